"""The data booklet works on: frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .tree import Tree

DEFAULT_ORDER_LIMIT = 500  # copies of one booklet one order row may ask for, unless publisher.yml says


@dataclass(frozen=True)
class OrderLimits:
    """The most copies one order row (or shop basket line) may ask for, per order code."""

    default: int = DEFAULT_ORDER_LIMIT
    per_code: tuple[tuple[str, int], ...] = ()  # (code, limit), from publisher.yml's ``order_limits``

    def of(self, code: str) -> int:
        """Return the limit of one order code."""
        return dict(self.per_code).get(code, self.default)


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
    order_limits: OrderLimits = OrderLimits()


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
            return f"https://doi.org/{self.doi}"
        return self.url


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
    reviewed_by: tuple[str, ...] = ()
    summary: str = ""
    glossary: tuple[tuple[str, str], ...] = ()
    ignore: tuple[tuple[str, str], ...] = ()  # (rule id, reason) silenced for the whole booklet


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
        from .frontmatter import line_of

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
