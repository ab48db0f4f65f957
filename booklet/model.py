"""The data booklet works on: frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .source.tree import Tree
from .variants import VARIANTS, Variant

DEFAULT_ORDER_LIMIT = 500  # copies of one booklet one order row may ask for, unless publisher.yml says


@dataclass(frozen=True)
class OrderLimits:
    """The most copies one order row (or shop basket line) may ask for, per order code."""

    default: int = DEFAULT_ORDER_LIMIT
    per_code: tuple[tuple[str, int], ...] = ()  # (code, limit), from publisher.yml's ``order_limits``

    def of(self, code: str) -> int:
        """Return the limit of one order code."""
        return dict(self.per_code).get(code, self.default)


Message = str | tuple[str, ...]  # a template message: text, or lines (the questions to ask)
Messages = tuple[tuple[str, Message], ...]  # (key of messages/en.yml, the publisher's words)


@dataclass(frozen=True)
class PublisherWords:
    """What a publisher says in a language other than its own (``translations: {<lang>: ...}``)."""

    name: str = ""
    short_name: str = ""
    helpline_hours: str = ""
    address: tuple[str, ...] = ()
    charity_number: str = ""
    edition: str = ""  # how an edition is named, '{n}' its number: 'Argraffiad {n}'
    messages: Messages = ()


@dataclass(frozen=True)
class Publisher:
    """Who publishes every booklet in a content folder (from ``publisher.yml``)."""

    name: str
    helpline: str
    website: str
    address: tuple[str, ...]
    short_name: str = ""
    helpline_hours: str = ""
    email: str = ""
    charity_number: str = ""
    catalogue_url: str = ""  # where the catalogue is published; booklet pages are <url><slug>/
    shop_url: str = ""  # where volunteers order printed copies online (booklet shop); '': no shop
    paper_caliper: int = 0  # print paper thickness in microns, for creep in imposed sheets (0: none)
    order_limits: OrderLimits = OrderLimits()
    messages: Messages = ()  # its own words for template messages, in the original's language
    translations: tuple[tuple[str, PublisherWords], ...] = ()  # (BCP 47 tag, its words in that language)

    def words(self, tag: str) -> PublisherWords:
        """Return what it says in a translation's language (nothing given: empty words)."""
        return dict(self.translations).get(tag, PublisherWords()) if tag else PublisherWords()

    def messages_in(self, tag: str) -> dict[str, Message]:
        """Return its template messages in a language ('': the original's)."""
        return dict(self.words(tag).messages if tag else self.messages)


@dataclass(frozen=True)
class Reference:
    """One entry of a booklet's references appendix."""

    id: str
    text: str
    doi: str | None = None
    url: str | None = None

    @property
    def link(self) -> str | None:
        """Return where the reference can be read: its DOI resolver address, else its URL."""
        if self.doi:
            return doi_link(self.doi)
        return self.url


def doi_link(doi: str) -> str:
    """Return a DOI's resolver address, the characters a link cannot hold percent-encoded ('<' is %3C).

    Old DOIs (SICIs) hold '<', '>' and '#': 10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0.
    """
    return "https://doi.org/" + quote(doi, safe="/:;()._-~!$*+,=@")


STATUSES = ("draft", "in-review", "approved")  # a booklet's review status, in the order it moves
TRANSLATION_KINDS = ("full", "summary")  # 'translation:' of a translation's front matter
REVIEW_KINDS = ("clinical", "lay", "editorial")
OUTCOMES = ("approved", "changes-requested")
NEEDED_FOR_APPROVAL = ("clinical", "lay")  # an approved booklet has an approved review of each kind


@dataclass(frozen=True)
class Review:
    """One recorded review of a booklet: who (by role) looked at it, when, and what they decided."""

    kind: str  # one of REVIEW_KINDS
    role: str  # e.g. 'Consultant medical oncologist', 'Person living with cancer'
    day: date  # written 'date:' in the front matter
    outcome: str  # one of OUTCOMES
    name: str = ""  # optional: reviewers may prefer not to be named
    edition: str = ""  # the edition reviewed ('' = the booklet's current edition)

    @property
    def approved(self) -> bool:
        """Return whether the reviewer approved the booklet."""
        return self.outcome == "approved"


def approved_reviews(reviews: tuple[Review, ...], edition: str) -> tuple[Review, ...]:
    """Return the reviews that approved this edition (a review names no edition when it is this one)."""
    return tuple(r for r in reviews if r.approved and r.edition in ("", edition))


@dataclass(frozen=True)
class Translation:
    """What a translated booklet records of its making (``translated_from:`` and review by a translator)."""

    language: str  # the BCP 47 tag of the translation (its folder's name)
    edition: str  # the English edition it was translated from
    published: date  # ... and that edition's published date
    reviewed: bool = False  # a professional translator has reviewed it (otherwise the booklet says so)
    original: str = "en-GB"  # the language of the original, which its references keep
    kind: str = "full"  # one of TRANSLATION_KINDS: 'summary' has its own, shorter structure

    @property
    def summary(self) -> bool:
        """Return whether it is a summary of the original, not a full translation."""
        return self.kind == "summary"


@dataclass(frozen=True)
class Questions:
    """The suggested questions of a booklet's questions page (``questions:`` in its front matter)."""

    own: tuple[str, ...] | None = None  # the booklet's own list (None: the publisher's list)
    page: bool = True  # False ('questions: false'): the booklet has no questions page

    def listed(self, default: list[str]) -> list[str]:
        """Return the questions printed: the booklet's own, else ``default`` (the publisher's)."""
        return list(self.own) if self.own is not None else default


@dataclass(frozen=True)
class Metadata:
    """A booklet's front matter, validated."""

    title: str
    code: str
    published: date
    next_review: date
    references: tuple[Reference, ...] = ()
    subtitle: str = ""
    edition: str = ""
    language: str = "en-GB"
    status: str = "draft"  # one of STATUSES: only 'approved' booklets are for use with patients
    reviews: tuple[Review, ...] = ()
    summary: str = ""
    glossary: tuple[tuple[str, str], ...] = ()
    ignore: tuple[tuple[str, str], ...] = ()  # (rule id, reason) silenced for the whole booklet
    translation: Translation | None = None  # set on a translation's metadata (None: the original)
    questions: Questions = Questions()

    @property
    def draft(self) -> bool:
        """Return whether the booklet is not approved: every output then carries a DRAFT mark."""
        return self.status != "approved"

    @property
    def approvals(self) -> tuple[Review, ...]:
        """Return the approved reviews of this edition, the only ones a booklet may print."""
        return approved_reviews(self.reviews, self.edition)


@dataclass(frozen=True)
class Source:
    """A Markdown source file, parsed once: its front matter's node tree, its body and the body's tree."""

    path: Path
    body: str
    body_line: int  # line number of the body's first line in the file
    tree: Tree = field(default_factory=Tree)
    front: Any = None  # the YAML node tree of the front matter (for line numbers)
    cited: tuple[str, ...] = ()  # reference ids in order of first citation

    def front_line(self, *loc: str | int) -> int | None:
        """Return the line of a front matter value, e.g. ('references', 0)."""
        from .source.frontmatter import line_of

        return line_of(self.front, loc, 2) if self.front is not None else None


@dataclass(frozen=True)
class Targets:
    """Reading targets and word lists; publisher.yml's optional ``checks:`` mapping overrides them."""

    flesch_min: float = 60  # Flesch reading ease of every chapter [S25b]
    smog_max: float | None = None  # SMOG grade of every chapter; None: not checked (no target found)
    sentence_words_standard: int = 25  # words in a sentence of booklet.md [S10]
    sentence_words_easy_read: int = 15  # words in a sentence of easy-read.md [S9][S15][S16]
    hard_word_zipf: float = 3.0  # rarer than this (Zipf frequency) is a hard word
    medical_words: frozenset[str] = frozenset()  # more words that always need the glossary
    everyday_words: frozenset[str] = frozenset()  # more words that never do


@dataclass(frozen=True)
class Booklet:
    """Everything needed to render one booklet in any variant."""

    slug: str
    folder: Path
    meta: Metadata
    publisher: Publisher
    source: Source
    easy_read: Source | None = None
    easy_read_title: str = ""
    easy_read_subtitle: str = ""
    easy_read_cover: tuple[str, str] = ("", "")  # (picture, alt text) for the easy-read cover
    images: tuple[Path, ...] = field(default=())
    lang: str = ""  # a translation's BCP 47 tag ('' for the original): its outputs go to OUT/<slug>/<lang>/
    # A translation's own versions of pictures (their words translated): the pictures' addresses
    # ('images/x.svg'), each a file of the same name in its own folder (translations/<lang>/images/).
    own_pictures: tuple[str, ...] = ()
    # The variants it has a source for, in its own folder (a translation's own): filled in by loading.
    variant_names: tuple[str, ...] = ()
    easy_read_questions: Questions = Questions()  # easy-read.md's own 'questions:'

    @property
    def key(self) -> str:
        """Return what names it among a build's jobs: the slug, or '<slug>/<lang>' for a translation."""
        return f"{self.slug}/{self.lang}" if self.lang else self.slug

    @property
    def source_folder(self) -> Path:
        """Return the folder of its Markdown sources (a translation's own; pictures stay in ``folder``)."""
        return self.source.path.parent

    def picture(self, src: str) -> Path:
        """Return the file the text's picture is read from: a translation's own version, or the original."""
        return (self.source_folder if src in self.own_pictures else self.folder) / src

    def variants(self) -> list[Variant]:
        """Return the variants it can be made in (those it has a source for), in the table's order."""
        return [v for v in VARIANTS.values() if v.name in self.variant_names]

    def has(self, variant: Variant) -> bool:
        """Return whether it has a source for ``variant`` (a size of large print is large print)."""
        return variant.name in self.variant_names

    def picture_src(self, src: str) -> str:
        """Return a picture's address relative to ``folder`` (where PDFs are rendered from)."""
        return self.picture(src).relative_to(self.folder).as_posix()
