"""EPUB 3 e-books: the booklet's text (booklet/render/epub_text.py) packaged with its navigation and metadata.

The package is written with the standard library's ``zipfile``: the entries come in a fixed
order (``mimetype`` first, stored), with fixed dates (the publication date) and
permissions, so the same booklet gives the same bytes. The identifier is a name-based
UUID (``urn:uuid:``) made from the order code, the edition and the variant; the
modification date is the publication date of the front matter. The package document
carries EPUB Accessibility 1.1 metadata; the navigation document has the contents,
landmarks and the page list of the printed booklet, from its page map.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from markupsafe import Markup

from ..errors import RenderError
from ..model import Booklet
from ..paths import FONTS, PICTOGRAMS, STYLES
from ..source.messages import Catalogue
from ..variants import Variant
from . import epub_text, templates
from . import html as render_html
from .pagemap import PageStart

ROOT = "EPUB"  # the folder of the publication's files inside the zip
STYLESHEET = "styles/epub.css"
FONT_FILES = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")
ICONS = "pictograms/"  # where icon:name pictures are, inside the e-book
MEDIA_TYPES = {
    ".xhtml": "application/xhtml+xml",
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
FEATURES = (
    "structuralNavigation",
    "tableOfContents",
    "pageNavigation",
    "pageBreakMarkers",
    "readingOrder",
    "displayTransformability",
)
TEMPLATES = ("epub",)


@dataclass(frozen=True)
class Item:
    """One file of the manifest."""

    id: str
    href: str
    media_type: str
    properties: str = ""


@dataclass(frozen=True)
class Entry:
    """One line of the navigation document's contents."""

    text: str
    href: str
    children: tuple[Entry, ...] = ()


def identifier(booklet: Booklet, variant: Variant, what: str = "epub") -> str:
    """Return a stable URN for one edition of a booklet in one variant and language: urn:uuid:<UUID>.

    The UUID is name-based (version 5), from the order code, edition, variant, what it names
    (``epub``, or ``print``: the printed booklet the page list follows) and, for a
    translation, its language: each language's e-book and printed booklet are publications
    of their own, so reading systems neither merge them nor share reading positions. The
    English booklet's names are those of earlier builds.
    """
    meta = booklet.meta
    name = f"booklet:{meta.code}:{meta.edition or 'first'}:{variant.name}:{what}"
    if booklet.lang:
        name += f":{booklet.lang}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _picture_source(booklet: Booklet, src: str) -> Path:
    """Return the file a picture of the text comes from (the booklet's images, or a pictogram)."""
    if src.startswith(ICONS):
        path, root = PICTOGRAMS / src.removeprefix(ICONS), PICTOGRAMS
    else:
        path = booklet.picture(src)  # a translation's own version, or the original's
        root = path.parent if src in booklet.own_pictures else booklet.folder / "images"
    if not path.resolve().is_relative_to(root.resolve()) or not path.is_file():
        raise RenderError(f"the picture '{src}' is not one of the booklet's pictures", booklet.folder)
    return path


def _item_id(href: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", href).strip("-")


def _media_type(href: str) -> str:
    try:
        return MEDIA_TYPES[PurePosixPath(href).suffix.lower()]
    except KeyError:
        raise RenderError(f"the e-book cannot hold '{href}': not a kind of file EPUB readers show") from None


def _contents(text: epub_text.Text, ctx: render_html.Context) -> list[Entry]:
    """Return the full contents: every part of the book, with the sections the printed contents list."""
    sections = {e.id: e.children for e in ctx["contents"]}
    entries = []
    for part in text.parts:
        heading = part.element.get("aria-labelledby") or ""
        if part.kind == "cover" or heading == "contents":  # the contents does not list itself
            continue
        href = text.href(heading) if heading in text.where else part.name
        children = tuple(Entry(c.text, text.href(c.id)) for c in sections.get(heading, []))
        entries.append(Entry(part.title, href, children))
    return entries


def _landmarks(text: epub_text.Text, t: Catalogue) -> list[tuple[str, str, str]]:
    """Return the landmarks: (epub:type, link, text) of the cover, contents and first chapter."""
    marks = [("cover", p.name, t("epub.cover").unescape()) for p in text.parts if p.kind == "cover"][:1]
    if "contents" in text.where:  # the printed contents page (the navigation document is not read in order)
        marks.append(("toc", text.href("contents"), t("contents.title").unescape()))
    chapters = [p for p in text.parts if p.kind == "chapter"]
    if chapters:
        marks.append(("bodymatter", chapters[0].name, t("epub.start").unescape()))
    return marks


def _summary(variant: Variant, pictures: bool, pages: int, t: Catalogue) -> str:
    """Return the accessibility summary, in the book's language."""
    named = Markup(t.format_name(variant))  # already escaped
    words = [t("epub.summary", format=named, n=pages).unescape()]
    if pictures:
        words.append(t("epub.summary_pictures").unescape())
    if variant.points:
        words.append(t("epub.summary_points").unescape())
    words.append(t("epub.summary_reader").unescape())
    return t("catalogue.space").unescape().join(words)


def _direction(ctx: render_html.Context) -> str:
    """Return the book's writing direction: 'rtl' or 'ltr' (``dir``, and the spine's progression)."""
    language = ctx["language"]
    return "rtl" if language is not None and language.rtl else "ltr"


def package(
    booklet: Booklet, variant: Variant, ctx: render_html.Context, text: epub_text.Text, pages: int
) -> dict[str, bytes]:
    """Return every file of the publication but the text: package document, navigation, style, fonts."""
    meta, t = ctx["meta"], ctx["t"]
    files: dict[str, bytes] = {}
    for src in dict.fromkeys(text.pictures):
        files[src] = text.generated.get(src) or _picture_source(booklet, src).read_bytes()
    files[STYLESHEET] = (STYLES / "epub.css").read_bytes()
    for name in FONT_FILES:
        files[f"fonts/{name}"] = (FONTS / name).read_bytes()
    label = ctx["variant"].cover_label  # in the book's language
    title = meta.title if not label else f"{meta.title} ({label})"
    values: dict[str, object] = {
        "meta": meta,
        "title": title,
        "stylesheet": STYLESHEET,
        "body_class": f"variant-{variant.name}",
        "toc": _contents(text, ctx),
        "landmarks": _landmarks(text, t),
        "pages": text.pages,
        "t": t,
        "direction": _direction(ctx),
    }
    nav = templates.render(TEMPLATES, "nav.xhtml", values).encode()
    items = [Item("nav", "nav.xhtml", MEDIA_TYPES[".xhtml"], "nav")]
    items += [Item(_item_id(p.name), p.name, MEDIA_TYPES[".xhtml"]) for p in text.parts]
    items += [Item(_item_id(href), href, _media_type(href)) for href in files]
    values |= {
        "identifier": identifier(booklet, variant),
        "page_source": identifier(booklet, variant, "print"),
        "publisher": booklet.publisher,
        "modified": f"{meta.published.isoformat()}T00:00:00Z",
        "pictures": bool(text.pictures),
        "features": (*FEATURES, "alternativeText") if text.pictures else FEATURES,
        "summary": _summary(variant, bool(text.pictures), pages, t),
        "manifest": items,
        "spine": items[1 : 1 + len(text.parts)],
    }
    opf = templates.render(TEMPLATES, "package.opf", values).encode()
    return {"package.opf": opf, "nav.xhtml": nav, **files}


def make(booklet: Booklet, variant: Variant, ctx: render_html.Context, starts: Sequence[PageStart]) -> bytes:
    """Return the EPUB 3 of one variant, its page list from the printed page map ``starts``."""
    meta = ctx["meta"]
    body = epub_text.body_of(render_html.document(ctx, icons=ICONS))
    text = epub_text.split(body, starts, meta.title)
    body_class = f"variant-{variant.name}"
    parts = {
        p.name: epub_text.xhtml(p.element, p.title, meta.language, STYLESHEET, body_class, _direction(ctx))
        for p in text.parts
    }
    files = {**parts, **package(booklet, variant, ctx, text, len(starts))}
    container = templates.render(TEMPLATES, "container.xml", {"package": f"{ROOT}/package.opf"})
    entries = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", container.encode()),
        *((f"{ROOT}/{name}", data) for name, data in files.items()),
    ]
    return zip_bytes(entries, meta.published)


def zip_bytes(entries: Sequence[tuple[str, bytes]], day: date) -> bytes:
    """Return a zip of ``entries`` in their order, each dated ``day``: same entries, same bytes.

    The first entry (``mimetype``) is stored uncompressed, as EPUB requires; the others are
    deflated.
    """
    out = io.BytesIO()
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w") as archive:
        for n, (name, data) in enumerate(entries):
            info = zipfile.ZipInfo(name, stamp)
            info.create_system = 3  # Unix, whatever machine makes it
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if n == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=None if n == 0 else 9)
    return out.getvalue()
