"""(Booklet, Variant) -> the HTML document of one variant; no WeasyPrint here."""

from __future__ import annotations

import copy
import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict

from .. import __version__, languages
from ..languages import Language
from ..model import Booklet, Metadata, Publisher, Reference, Source
from ..paths import PICTOGRAMS
from ..source import messages, rules
from ..variants import Variant
from . import document as page
from . import markup, qr, templates


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the contents list, with the sections under it."""

    level: int
    id: str
    text: str
    children: list[ContentsEntry] = field(default_factory=list)


@dataclass(frozen=True)
class NumberedReference:
    """A reference with its number and whether its address already shows in its text."""

    id: str
    text: str
    link: str | None
    in_text: bool
    cited_at: tuple[str, ...] = ()  # ids of the citations of it, in the text's order


class Context(TypedDict):
    """What every booklet template can use."""

    meta: Metadata
    publisher: Publisher
    variant: Variant
    version: str
    keywords: str
    css_links: list[str]
    body: ET.Element  # the body's elements (markup.to_html), put in the document's <booklet-body> slot
    contents: list[ContentsEntry]
    references: list[NumberedReference]
    other_formats: list[str]
    cover_picture: tuple[str, str]
    notes_pages: int
    catalogue_page: str
    qr_code: str
    stylesheets: tuple[str, ...]  # in styles/: the variant's, and the DRAFT mark's for a draft
    language: Language | None  # a translation's language (None: the original)
    t: messages.Catalogue  # the template's own words in the document's language


DRAFT_CSS = "draft.css"  # a band saying DRAFT on every page, and a banner on web pages


def draft_stylesheets(tag: str = "") -> tuple[str, ...]:
    """Return the stylesheets of styles/ marking a draft: draft.css, then a translation's own band."""
    return (DRAFT_CSS, f"draft-{tag}.css") if tag else (DRAFT_CSS,)


def draft_band(tag: str = "") -> str:
    """Return the file of styles/ that is a language's DRAFT band (scripts/make-draft-band.py makes them)."""
    return f"draft-band-{tag}.svg" if tag else "draft-band.svg"


ICON = "icon:"  # a pictogram's address in the templates and the body: 'icon:phone'
OWN_PICTURES = "images/"  # the booklet's own pictures


def reference_order(booklet: Booklet, cited: list[str]) -> list[Reference]:
    """Return references numbered by first citation, uncited ones last in front-matter order."""
    by_id = {r.id: r for r in booklet.meta.references}
    return [by_id[i] for i in cited] + [r for r in booklet.meta.references if r.id not in cited]


def _contents(headings: list[markup.Heading], variant: Variant, meta: Metadata) -> list[ContentsEntry]:
    entries: list[ContentsEntry] = []
    for h in headings:
        if h.level == 1:
            entries.append(ContentsEntry(1, h.id, h.text))
        elif h.level <= variant.contents_depth and entries:
            entries[-1].children.append(ContentsEntry(h.level, h.id, h.text))
    back = variant.back_matter
    absent = {
        "medical-words-explained": not meta.glossary,
        "references": not meta.references,
        "questions-to-ask": not meta.questions.page,
    }
    entries += [ContentsEntry(1, i, t) for i, t in back if not absent.get(i)]
    return entries


def source_of(booklet: Booklet, variant: Variant) -> tuple[Source, Metadata]:
    """Return the source a variant is made from, and the metadata it shows (its own title)."""
    if variant.source == booklet.source.path.name or booklet.easy_read is None:
        return booklet.source, booklet.meta
    meta = dataclasses.replace(
        booklet.meta,
        title=booklet.easy_read_title,
        subtitle=booklet.easy_read_subtitle,
        questions=booklet.easy_read_questions,
    )
    return booklet.easy_read, meta


def publisher_values(booklet: Booklet) -> dict[str, str]:
    """Return the publisher details that ``{publisher.x}`` placeholders may show, as text."""
    return {name: str(getattr(booklet.publisher, name)) for name in rules.PLACEHOLDERS}


def publisher_links(booklet: Booklet) -> dict[str, tuple[str, str]]:
    """Return the publisher details as (words, link): the email address and website are links."""
    values = {name: (text, "") for name, text in publisher_values(booklet).items()}
    if email := values["email"][0]:
        values["email"] = (email, f"mailto:{email}")
    if site := values["website"][0]:
        values["website"] = (templates.display_url(site), site)
    return values


def context(booklet: Booklet, variant: Variant) -> Context:
    """Gather what the templates show for one variant: converted body, contents, references."""
    t = messages.of(booklet.publisher, booklet.lang or messages.SOURCE)
    original = variant
    if booklet.lang:  # the reader-facing words of the variant table, in the translation's language
        variant = t.localise(variant)
    source, meta = source_of(booklet, variant)
    refs = reference_order(booklet, list(source.cited))
    numbers = {r.id: n for n, r in enumerate(refs, start=1)}
    body = markup.to_html(
        source,
        numbers,
        variant.stack_tables,
        variant.points,
        publisher_links(booklet),
        variant.running_head,
        titles={r.id: r.text for r in refs},
        lang=booklet.lang,
        supplied=messages.supplied_by(booklet.publisher, booklet.lang),
        words=t,
    )
    ctx: Context = {
        "meta": meta,
        "publisher": booklet.publisher,
        "variant": variant,
        "version": __version__,
        "keywords": ", ".join([meta.title, meta.code, variant.label, str(t("keywords"))]),
        "css_links": [],
        "body": body.root,
        "contents": _contents(body.headings, variant, meta),
        "cover_picture": booklet.easy_read_cover,
        "notes_pages": 0,
        "catalogue_page": (page := qr.page_url(booklet)),
        "qr_code": qr.data_uri(page) if page else "",
        "language": languages.get(booklet.lang),
        "t": t,
        "references": [
            NumberedReference(
                r.id, r.text, r.link, bool(r.link) and _shows(r, r.text), tuple(body.citations.get(r.id, ()))
            )
            for r in refs
        ],
        "other_formats": [t.format_name(v) for v in booklet.variants() if v != original],
        "stylesheets": (
            *original.stylesheets,
            *languages.stylesheets(booklet.lang, original.name),
            *(draft_stylesheets(booklet.lang) if booklet.meta.draft else ()),
        ),
    }
    return ctx


def document(
    ctx: Context,
    css_links: list[str] | None = None,
    icons: str | None = None,
    pictures: Callable[[str], str] | None = None,
) -> ET.Element:
    """Render a gathered context as the ``<html>`` element of a complete document (:mod:`.document`).

    The web version links ``css_links``; ``icons`` is where ``icon:name`` pictures are found
    (a folder URL ending in '/'; by default the pictogram folder itself, for rendering).
    ``pictures`` gives the booklet's pictures ('images/x.svg') their address in this
    document (:func:`picture_srcs`: a translation's own versions, and where the original's are).
    Each call makes a new tree, which the caller may change.
    """
    text = templates.render(ctx["variant"].templates, "booklet.html", {**ctx, "css_links": css_links or []})
    root = page.parse(text)
    page.graft(root, copy.deepcopy(ctx["body"]))
    page.keep_words(root, hyphenated=ctx["variant"].keep_words)  # the template's words too
    base = PICTOGRAMS.as_uri() + "/" if icons is None else icons

    def address(src: str) -> str:
        if src.startswith(ICON):
            return f"{base}{src.removeprefix(ICON)}.svg"
        if pictures is not None and src.startswith(OWN_PICTURES):
            return pictures(src)
        return src

    page.set_sources(root, address)
    return root


def picture_srcs(booklet: Booklet, web: bool = False) -> Callable[[str], str] | None:
    """Return how a translation's document addresses its pictures (None: as the text writes them).

    Rendered from the booklet's folder (``web`` False), its own versions are read from
    ``translations/<lang>/images/``. Its web page is in ``OUT/<slug>/<lang>/``: its own
    versions are published beside the page, and the original's one folder up.
    """
    if not booklet.lang:
        return None
    if web:
        return lambda src: src if src in booklet.own_pictures else f"../{src}"
    return booklet.picture_src


def render(booklet: Booklet, variant: Variant, css_links: list[str] | None = None) -> str:
    """Render one variant of a booklet as the text of a complete HTML document."""
    return page.serialise(document(context(booklet, variant), css_links))


def _shows(ref: Reference, text: str) -> bool:
    return any(x and x.split("://")[-1].removeprefix("www.") in text for x in (ref.doi, ref.url))
