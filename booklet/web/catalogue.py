"""The catalogue: a static website of every booklet, its downloads, and how to order printed copies.

It reads what a build left in ``out/`` (each PDF's size and page count, with pypdf), so it
makes no PDF itself unless asked to build first; a booklet not built yet is listed as such,
without links. Every link is relative and names its file, so the site works on any web
server and from a folder opened in a browser (``file://``):

- ``index.html``: every booklet, A to Z, with large print and easy read easy to find;
- ``<format>.html``: the booklets in one format (``large-print.html``, ``easy-read.html``);
- ``<slug>/index.html``: one booklet's page, where the QR code on its back cover points;
- ``order.html`` and ``order-form.csv``: how to order printed copies (the order shop, when
  publisher.yml names one, or the form, column by column), and the blank form;
- ``languages/<tag>.html``: the booklets translated into one language, wholly in that
  language (its words are the ``catalogue.*`` messages of ``booklet/source/messages/<tag>.yml``).

Only approved booklets are listed unless drafts are asked for (labelled Draft). Each booklet
has a cover thumbnail (booklet/web/covers.py), its translations listed on its page and on
the home page by language, and words the home page's search box looks in: title, subtitle,
summary, easy-read title, glossary terms and the translations' titles. The list of every
file the catalogue publishes is written with it (booklet/web/published.py).

A booklet whose front matter cannot be used is left out; the site is written for the others,
then its problems are reported and LeftOutError raised (``booklet catalogue`` exits with 1).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from .. import build, languages, output, paths
from ..errors import BookletError, ContentError, Problem
from ..languages import Language
from ..log import LOGGER
from ..model import Booklet, Metadata, Publisher, PublisherWords
from ..press import orders
from ..render import templates
from ..source import messages
from ..source.messages import Catalogue as Words
from ..source.project import Project
from ..variants import VARIANTS
from . import covers, published
from .downloads import (
    BrailleDownload,
    CatalogueVariant,
    Download,
    braille,
    download,
    downloads_of,
    formats,
    say,
)

FOLDERS = ("catalogue", "web")  # template folders (web: the frame shared with the shop), before "base"
LANGUAGE = "en-GB"  # the catalogue's own words; a booklet in another language is marked as such
ORDER_FORM = "order-form.csv"
# The order form's columns (booklet/press/orders.py TEMPLATE_COLUMNS, in its order), as the
# ordering page explains them: what to write (the message catalogue's catalogue.column.<name>)
# and an example that booklet order accepts: data here (a code, a variant, a number), the
# catalogue's words for the others (catalogue.example.<name>; the title has none).
ORDER_EXAMPLES = {"code": "SLC-01", "variant": "large-print", "quantity": "25"}
ORDER_FILL = ("quantity", "ordered_by", *orders.DELIVERY)  # the columns a person fills in


def order_columns(t: Words) -> dict[str, tuple[str, str]]:
    """Return each column of the order form with what to write in it and an example, in ``t``'s words."""
    return {
        name: (
            say(t, f"catalogue.column.{name}"),
            ORDER_EXAMPLES.get(name) or str(t.messages.get(f"catalogue.example.{name}", "")),
        )
        for name in orders.TEMPLATE_COLUMNS
    }


@dataclass(frozen=True)
class Translated:
    """One translation of a booklet in the catalogue: its language, title and downloads.

    Its downloads name files relative to the booklet's folder ('cy/<slug>-standard.pdf').
    """

    language: Language
    title: str
    downloads: tuple[Download, ...]
    summary: str = ""  # a summary's mark, in its language ('translation: summary'); '' for a full one
    braille: BrailleDownload | None = None  # where a build made it (a language liblouis has a table for)

    @property
    def page(self) -> str:
        """Return the language's catalogue page, relative to the site's top folder."""
        return paths.language_page(self.language.tag)


@dataclass(frozen=True)
class Entry:
    """One booklet of the catalogue, with its downloads in format order."""

    slug: str
    meta: Metadata
    easy_read_title: str
    downloads: tuple[Download, ...]
    braille: BrailleDownload | None = None
    translations: tuple[Translated, ...] = ()
    cover: str = ""  # the cover thumbnail's file name in the booklet's folder, '' when there is none

    @property
    def search_words(self) -> str:
        """Return what the home page's search looks in, in lower case: titles, summary, glossary terms."""
        parts = [self.meta.title, self.meta.subtitle, self.meta.summary, self.easy_read_title]
        parts += [term for term, _ in self.meta.glossary]
        parts += [t.title for t in self.translations]
        return " ".join(p for p in parts if p).casefold()

    @property
    def cover_pdf(self) -> str:
        """Return the PDF its cover thumbnail is made from: the standard one, else the first ('' if none)."""
        built = [d.pdf for d in self.downloads if d.pdf and not d.point]
        standard = [d.pdf for d in self.downloads if d.pdf and d.format.name == "standard" and not d.point]
        return (standard or built or [""])[0]

    @property
    def lang(self) -> str:
        """Return the booklet's language when it differs from the catalogue's, else ''."""
        return "" if self.meta.language == LANGUAGE else self.meta.language

    @property
    def letter(self) -> str:
        """Return the letter the title is filed under in the A to Z ('0-9' for a digit)."""
        first = next((c for c in self.meta.title.upper() if c.isalnum()), "#")
        return "0-9" if first.isdigit() else first

    def of(self, name: str) -> list[Download]:
        """Return the downloads in one format (every size), built or not."""
        return [d for d in self.downloads if d.format.name == name]

    def built(self, name: str) -> bool:
        """Tell whether this booklet has a PDF in the format ``name``."""
        return any(d.pdf for d in self.of(name))


@dataclass(frozen=True)
class Catalogue:
    """Everything the site shows: the publisher, the formats and the booklets, A to Z."""

    publisher: Publisher
    formats: tuple[CatalogueVariant, ...]
    entries: tuple[Entry, ...]

    def having(self, name: str) -> list[Entry]:
        """Return the booklets that come in the format ``name`` (built or not)."""
        return [e for e in self.entries if e.of(name)]

    @property
    def featured(self) -> list[CatalogueVariant]:
        """Return the formats in the order the home page offers them: large print and easy read first."""
        return sorted(self.formats, key=lambda f: f.name == "standard")

    def letters(self) -> list[tuple[str, list[Entry]]]:
        """Return the booklets grouped by the first letter of their titles, in order."""
        groups: dict[str, list[Entry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.letter, []).append(entry)
        return list(groups.items())

    def languages(self) -> list[tuple[Language, list[tuple[Entry, Translated]]]]:
        """Return each language some booklet is translated into (table order), with those booklets."""
        found: dict[str, list[tuple[Entry, Translated]]] = {}
        for entry in self.entries:
            for version in entry.translations:
                found.setdefault(version.language.tag, []).append((entry, version))
        return [(lang, found[tag]) for tag, lang in languages.LANGUAGES.items() if tag in found]

    def available(self) -> dict[str, list[str]]:
        """Return order code -> the formats that have a PDF to print from (for the order form).

        A booklet that is not approved cannot be ordered, so it is not on the form.
        """
        found = {
            e.meta.code: [f.name for f in self.formats if e.built(f.name)]
            for e in self.entries
            if not e.meta.draft
        }
        return {code: names for code, names in found.items() if names}


def entry_for(
    booklet: Booklet, out: Path, all_formats: Iterable[CatalogueVariant], translated: Iterable[Booklet] = ()
) -> Entry:
    """Describe one booklet (and its translations) from its content and the files built for it in ``out``."""
    folder = out / booklet.slug
    every = tuple(all_formats)
    downloads = [d for fmt in every for d in downloads_of(booklet, fmt, folder)]
    versions = tuple(_translated(t, folder, every) for t in translated)
    entry = Entry(
        booklet.slug,
        booklet.meta,
        booklet.easy_read_title,
        tuple(downloads),
        braille(folder),
        tuple(v for v in versions if v is not None),
    )
    return dataclasses.replace(entry, cover=covers.name(booklet.slug)) if entry.cover_pdf else entry


def _translated(
    booklet: Booklet, folder: Path, all_formats: tuple[CatalogueVariant, ...]
) -> Translated | None:
    """Describe a translation by the PDFs and web pages built of it (None: its language is unknown)."""
    language = languages.get(booklet.lang)
    if language is None:
        return None
    found = []
    for fmt in all_formats:
        variant = VARIANTS.get(fmt.name)
        if variant is not None and booklet.has(variant):
            found.append(download(fmt, folder, variant.stem, lang=booklet.lang))
    made = booklet.meta.translation
    mark = str(messages.of(booklet.publisher, booklet.lang)("cover.summary")) if made and made.summary else ""
    return Translated(language, booklet.meta.title, tuple(found), mark, braille(folder, booklet.lang))


class LeftOutError(ContentError):
    """Booklets whose front matter cannot be used were left out of a catalogue that was written.

    It carries their problems, like any ContentError; its text only names the booklets,
    because each problem was logged, with its file and line, as the catalogue was written.
    """

    def __init__(self, slugs: Iterable[str], problems: Iterable[Problem]) -> None:
        super().__init__(problems)
        self.slugs = tuple(slugs)
        self.args = (
            f"{len(self.slugs)} booklet(s) left out of the catalogue because of the problems "
            f"above: {', '.join(self.slugs)}",
        )


def left_out(project: Project) -> dict[str, tuple[Problem, ...]]:
    """Return slug -> problems of every booklet the catalogue leaves out (its front matter is unusable)."""
    return {item.slug: item.problems for item in project if item.booklet is None}


def gather(project: Project, out: Path, include_drafts: bool = False) -> Catalogue:
    """Describe every booklet and what was built of it (one with unusable front matter is left out).

    A booklet that loads is listed even when one of its variants cannot be made; one that is
    not approved is left out, or listed with a Draft label when ``include_drafts``.
    """
    all_formats = formats()
    entries = [
        entry_for(item.booklet, out, all_formats, [t.booklet for t in item.translations if t.booklet])
        for item in project
        if item.booklet is not None and (include_drafts or not item.booklet.meta.draft)
    ]
    entries.sort(key=lambda e: (e.meta.title.casefold(), e.slug))
    return Catalogue(project.publisher, all_formats, tuple(entries))


class NavItem(TypedDict):
    """One link of the site's main navigation."""

    key: str
    href: str
    text: str


class Page(TypedDict):
    """What every catalogue template can use."""

    catalogue: Catalogue
    publisher: Publisher
    t: Words  # the page's words (the publisher's over the package's): English, or a language page's own
    own: PublisherWords  # on a language's page, the publisher's details in that language (those it gives)
    site_name: str
    site_language: str  # the language of the site's other pages (the nav leads to them)
    language: str  # this page's language (html lang)
    direction: str  # this page's direction (html dir)
    root: str  # prefix from the page to the site's top folder: '' or '../'
    current: str  # the nav key of this page
    title: str  # the page's <title>, before the site name
    description: str
    nav: list[NavItem]
    fmt: CatalogueVariant | None
    entry: Entry | None
    order_form: str
    order_columns: dict[str, tuple[str, str]]  # column -> what to write, an example (in the page's words)
    order_fill: tuple[str, ...]  # the columns a person fills in
    in_language: tuple[Language, list[tuple[Entry, Translated]]] | None  # a language's page
    other_languages: list[tuple[Language, str]]  # on a language's page: the others, with their pages
    direction_of: Callable[[str], str]


def direction_of(tag: str) -> str:
    """Return the writing direction of a language tag ('ltr' for one not in the table)."""
    lang = languages.get(tag)
    return lang.direction if lang else "ltr"


def _nav(cat: Catalogue, t: Words) -> list[NavItem]:
    items: list[NavItem] = [{"key": "index", "href": "index.html", "text": say(t, "catalogue.nav.all")}]
    items += [{"key": f.name, "href": f.page, "text": f.label(t)} for f in cat.formats]
    items.append({"key": "order", "href": "order.html", "text": say(t, "catalogue.nav.order")})
    return items


def _page(
    cat: Catalogue,
    current: str,
    title: str,
    description: str,
    *,
    root: str = "",
    fmt: CatalogueVariant | None = None,
    entry: Entry | None = None,
    in_language: tuple[Language, list[tuple[Entry, Translated]]] | None = None,
) -> Page:
    lang = in_language[0] if in_language else None
    t = messages.of(cat.publisher, lang.tag if lang else messages.SOURCE)
    own = cat.publisher.words(lang.tag) if lang else PublisherWords()
    who = own.short_name or cat.publisher.short_name or own.name or cat.publisher.name
    return {
        "catalogue": cat,
        "publisher": cat.publisher,
        "t": t,
        "own": own,
        "site_name": say(t, "catalogue.site_name", publisher=who),
        "site_language": LANGUAGE,
        "language": lang.tag if lang else LANGUAGE,
        "direction": lang.direction if lang else "ltr",
        "root": root,
        "current": current,
        "title": title,
        "description": description,
        "nav": _nav(cat, t),
        "fmt": fmt,
        "entry": entry,
        "order_form": ORDER_FORM,
        "order_columns": order_columns(t),
        "order_fill": ORDER_FILL,
        "in_language": in_language,
        "other_languages": [
            (other, paths.language_page(other.tag)) for other, _ in cat.languages() if other != lang
        ]
        if lang
        else [],
        "direction_of": direction_of,
    }


def pages(cat: Catalogue) -> dict[str, tuple[str, Page]]:
    """Return every page of the site: path under out/ -> (template, context).

    Each language's page is wholly in that language (its words from the language's message
    catalogue); the other pages are in English. The publisher's ``messages:`` (and, on a
    language's page, its ``translations:`` for that language) are used over the package's.
    """
    who = cat.publisher.name
    t = messages.of(cat.publisher)
    about = {key: say(t, f"catalogue.{key}.description", publisher=who) for key in ("home", "order")}
    home = _page(cat, "index", say(t, "catalogue.home.title"), about["home"])
    order = _page(cat, "order", say(t, "catalogue.order.title"), about["order"])
    found = {"index.html": ("home.html", home), "order.html": ("order.html", order)}
    for fmt in cat.formats:
        title = say(t, "catalogue.format_page.title", format=fmt.label(t))
        found[fmt.page] = ("format.html", _page(cat, fmt.name, title, fmt.blurb(t), fmt=fmt))
    for e in cat.entries:
        summary = e.meta.summary or e.meta.subtitle or e.meta.title
        page = _page(cat, "", e.meta.title, summary, entry=e, root="../")
        found[str(paths.booklet_page(Path(), e.slug))] = ("booklet-page.html", page)
    for lang, listed in cat.languages():
        title = say(messages.of(cat.publisher, lang.tag), "catalogue.language.title")
        page = _page(cat, "", title, title, root="../", in_language=(lang, listed))
        found[paths.language_page(lang.tag)] = ("language.html", page)
    return found


def with_covers(cat: Catalogue, out: Path) -> tuple[Catalogue, dict[Path, bytes]]:
    """Return the catalogue and the cover thumbnails to write (those missing or older than their PDF).

    A booklet whose thumbnail cannot be made (its PDF unreadable) is shown without one.
    """
    wanted = {out / e.slug / e.cover: out / e.slug / e.cover_pdf for e in cat.entries if e.cover}
    made = covers.thumbnails(wanted)
    entries = tuple(
        e
        if not e.cover or out / e.slug / e.cover in made or (out / e.slug / e.cover).is_file()
        else dataclasses.replace(e, cover="")
        for e in cat.entries
    )
    return dataclasses.replace(cat, entries=entries), made


def entry_files(cat: Catalogue, out: Path) -> Iterable[str]:
    """Yield the files of out/ the catalogue links to for its booklets, and their web pages' pictures."""
    for e in cat.entries:
        folder = out / e.slug
        for d in (*e.downloads, *(d for t in e.translations for d in t.downloads)):
            yield from (f"{e.slug}/{name}" for name in (d.pdf, d.html, d.epub) if name)
        for b in (e.braille, *(t.braille for t in e.translations)):
            if b:
                yield from (f"{e.slug}/{name}" for name in (b.brf, b.pef) if name)
        if e.cover:
            yield f"{e.slug}/{e.cover}"
        yield from published.pictures(folder, out)
        for t in e.translations:
            yield from published.pictures(folder / t.language.tag, out)


def render(cat: Catalogue, out: Path) -> dict[Path, bytes]:
    """Render the site's pages and the blank order form, not yet written."""
    files = {
        out / path: templates.render(FOLDERS, template, dict(ctx)).encode()
        for path, (template, ctx) in pages(cat).items()
    }
    titles = {e.meta.code: e.meta.title for e in cat.entries}
    files[out / ORDER_FORM] = orders.template_csv(cat.available(), titles).encode()
    return files


def write_catalogue(
    project: Project,
    out: Path,
    build_first: bool = False,
    *,
    report: bool = True,
    include_drafts: bool = False,
    progress: build.Progress | None = None,
) -> list[Path]:
    """Write the catalogue site into ``out`` (building every booklet first if asked); return its files.

    With ``build_first``, a booklet that fails to build is listed as it was left, and the
    build's error is raised once the catalogue is written. A booklet whose front matter
    cannot be used is left out: the site is written for the others, every problem of the
    booklet left out is logged with its file and line (unless ``report`` is false: the
    caller has shown them already), and then LeftOutError is raised. Booklets that are not
    approved are left out (the catalogue a charity publishes), unless ``include_drafts``
    (labelled Draft: a preview for reviewers, and ``booklet serve``). The list of every file
    published (booklet/web/published.py) is written with the pages. ``progress`` is told of
    each render of the build (the command's progress bar).
    """
    failed: BookletError | None = None
    if build_first:
        try:
            build.build(project.content, out, project=project, progress=progress)
        except BookletError as exc:
            failed = exc
    started = time.perf_counter()
    cat = gather(project, out, include_drafts)
    with output.locked(out):
        cat, thumbnails = with_covers(cat, out)
        files = {**build.static_files(out), **thumbnails, **render(cat, out)}
        names = [p.relative_to(out).as_posix() for p in files] + list(entry_files(cat, out))
        files[published.path_of(out)] = published.render(names)
        written = output.write_all(files)
    LOGGER.info(
        "Wrote the catalogue of %d booklet(s) into %s in %.1f s",
        len(cat.entries),
        out / "index.html",
        time.perf_counter() - started,
    )
    drafts = [] if include_drafts else [e.booklet for e in project if e.booklet and e.booklet.meta.draft]
    if drafts:
        LOGGER.info(
            "Left out %d booklet(s) not approved yet: %s; --include-drafts lists them, labelled Draft",
            len(drafts),
            ", ".join(f"{b.slug} ({b.meta.status})" for b in drafts),
        )
    missing = left_out(project)
    if failed is not None:
        if report and not isinstance(failed, ContentError):  # a build's error already holds every problem
            _report(missing)
        raise failed
    if missing:
        if report:
            _report(missing)
        raise LeftOutError(missing, [p for problems in missing.values() for p in problems])
    return written


def _report(missing: dict[str, tuple[Problem, ...]]) -> None:
    """Log every problem of the booklets left out, with its file and line: errors as errors."""
    for problem in (p for problems in missing.values() for p in problems):
        (LOGGER.error if problem.stops else LOGGER.warning)("%s", problem)
