"""Braille: a booklet in its language's literary braille (English: UEB grade 2), as BRF and as PEF.

:func:`transcribe` reads the standard variant's print document (``source``), finds where
each printed page begins (``printpages``, from the page map the PDF's layout wrote), sets
the blocks out on braille pages (``layout``), splits a long book into volumes at chapter
boundaries (``volumes``), then gives each volume its preliminary pages: a title page and a
contents list with braille page numbers. The pages are written as BRF (``brf``) and as PEF
(``pef``). Translation is liblouis's (``louis``), with the table of the booklet's language
(``booklet.languages``); the preliminary pages' words are the language's message catalogue's
(``braille.*`` in ``booklet/source/messages/<tag>.yml``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import RenderError
from ...languages import LANGUAGES
from ...model import Booklet
from ...source import messages
from ...variants import VARIANTS
from .. import html as render_html
from .. import templates
from ..pagemap import PageStart
from . import layout, louis, pef, printpages, source, volumes
from .volumes import Volume

__all__ = ["Transcription", "Volume", "has_braille", "transcribe"]

VARIANT = "standard"  # braille follows the standard print edition and its page numbers
NEWLINES = {"crlf": "\r\n", "lf": "\n"}  # line ends of a BRF file (--brf-newline)


@dataclass(frozen=True)
class Transcription:
    """A booklet on braille pages, in volumes: each its preliminary pages (title, contents), then its body."""

    title: str
    language: str
    identifier: str
    date: str
    volumes: list[Volume]

    @property
    def preliminary(self) -> list[list[str]]:
        """Return the first volume's preliminary pages."""
        return self.volumes[0].preliminary

    @property
    def body(self) -> list[list[str]]:
        """Return every body page of every volume, in order (no page number lines)."""
        return [page for volume in self.volumes for page in volume.body]

    @property
    def volume_pages(self) -> list[list[list[str]]]:
        """Return each volume's pages, each page with its page number line first."""
        return [_numbered(volume, True) for volume in self.volumes]

    @property
    def pages(self) -> list[list[str]]:
        """Return every page of every volume, each with its page number line first."""
        return [page for volume in self.volume_pages for page in volume]

    @property
    def body_pages(self) -> list[list[str]]:
        """Return the body pages of every volume, numbered, without the preliminary pages."""
        return [page for volume in self.volumes for page in _numbered(volume, False)]

    def brf(self, newline: str = "crlf") -> bytes:
        """Return the BRF file: lines end with CR LF (or ``newline``), each page's last line with a form feed.

        No line feed comes before a form feed: an embosser would feed a blank line, or a blank
        sheet, for it (liblouisutdml writes CR LF too). The volumes follow one another, each
        beginning with its title page.
        """
        end = NEWLINES[newline]
        return "".join(end.join(page) + "\f" for page in self.pages).encode("ascii")

    def pef(self) -> bytes:
        """Return the same pages as PEF (Portable Embosser Format), one ``volume`` element a volume."""
        return pef.document(self.volume_pages, self.title, self.language, self.identifier, self.date)


def _numbered(volume: Volume, preliminary: bool) -> list[list[str]]:
    """Return a volume's pages with their page number lines: p1, p2... then its braille page numbers."""
    front = volume.preliminary if preliminary else []
    numbered = [("", f"p{n}", page) for n, page in enumerate(front, start=1)]
    body = zip(volume.print_pages, volume.body, strict=True)
    numbered += [(printed, str(n), page) for n, (printed, page) in enumerate(body, start=volume.first)]
    return [[_number_line(printed, number), *_trimmed(page)] for printed, number, page in numbered]


def _trimmed(page: list[str]) -> list[str]:
    """Return a page's lines without blank lines at its end (the form feed ends the page)."""
    end = len(page)
    while end and not page[end - 1].strip():
        end -= 1
    return page[:end]


def _number_line(printed: str, number: str) -> str:
    """Return the page information line: the print page at the left, the braille page number at the right."""
    left = louis.translate(printed) if printed else ""
    right = louis.translate(number)
    return left + " " * (layout.WIDTH - len(left) - len(right)) + right


def has_braille(lang: str) -> bool:
    """Tell whether braille is made for a booklet in ``lang`` ('' : the English original)."""
    return not lang or bool(LANGUAGES[lang].braille if lang in LANGUAGES else "")


def transcribe(
    booklet: Booklet, starts: Sequence[PageStart], ctx: render_html.Context | None = None
) -> Transcription:
    """Transcribe a booklet's standard edition, with print page indicators from its page map.

    ``ctx`` is the standard variant's template context when the caller has it already (the
    build does), to save converting the Markdown again. A translation is transcribed with its
    language's table; a language liblouis has none for is a RenderError.
    """
    lang = booklet.lang
    if not has_braille(lang):
        raise RenderError(f"liblouis has no braille table for the language '{lang}' (booklet/languages.py)")
    if ctx is None:
        ctx = render_html.context(booklet, VARIANTS[VARIANT])
    with louis.language(LANGUAGES[lang].braille if lang else ""):
        return _transcribe(booklet, starts, ctx, messages.of(booklet.publisher, lang or messages.SOURCE))


def _transcribe(
    booklet: Booklet, starts: Sequence[PageStart], ctx: render_html.Context, words: messages.Catalogue
) -> Transcription:
    """Lay the booklet out on braille pages, in volumes, each with its preliminary pages."""
    blocks = source.read(render_html.document(ctx), words)
    places = printpages.indicators(blocks, starts)
    body = layout.lay_out(blocks, places)
    cuts = volumes.breaks(volumes.chapter_pages(blocks, body.heading_pages), len(body.pages))
    if cuts:  # lay out again, each volume's first chapter on a new page
        body = layout.lay_out(blocks, places, frozenset(cuts))
    parts = volumes.split(body.pages, body.print_pages, [body.heading_pages[blocks[i].anchor] for i in cuts])
    listed = {e.id for e in ctx["contents"]} | {c.id for e in ctx["contents"] for c in e.children}
    entries = [
        (b.level, b.text, body.heading_pages[b.anchor] + 1)
        for b in blocks
        if b.anchor in body.heading_pages and (b.level == 1 or b.anchor in listed)
    ]
    done = []
    for n, part in enumerate(parts, start=1):
        last = part.first + len(part.body) - 1
        contents = _contents([e for e in entries if part.first <= e[2] <= last], words)
        notes = _notes(words) if n == 1 else []
        front = 1 + len(contents) + len(notes)
        title = _title_page(booklet, ctx, words, (n, len(parts)), front, (part.first, last))
        done.append(Volume([title, *contents, *notes], part.body, part.print_pages, part.first))
    meta = ctx["meta"]
    return Transcription(meta.title, meta.language, f"{meta.code}-braille", meta.published.isoformat(), done)


def _say(words: messages.Catalogue, key: str, **values: object) -> str:
    """Return a message of the catalogue as plain text (not escaped for HTML), its placeholders filled."""
    text = words.messages.get(key)
    if not isinstance(text, str):
        raise RenderError(f"the message catalogue '{words.tag}' has no '{key}'")
    return text.format(**values)


def _title_page(
    booklet: Booklet,
    ctx: render_html.Context,
    words: messages.Catalogue,
    volume: tuple[int, int],
    preliminary: int,
    pages: tuple[int, int],
) -> list[str]:
    """Set out a volume's title page: title, publisher, edition, braille code, the volume, its pages."""
    meta = ctx["meta"]
    published = words.month(meta.published) if booklet.lang else templates.month(meta.published)
    n, count = volume
    which = _say(words, "braille.volume", n=n, count=count) if count > 1 else ""
    which = which or _say(words, "braille.one_volume")
    lines = [
        *([*layout.centre(louis.translate(_say(words, "braille.draft"))), ""] if meta.draft else []),
        *layout.centre(louis.translate(meta.title)),
        *(layout.centre(louis.translate(meta.subtitle)) if meta.subtitle else []),
        "",
        *layout.centre(louis.translate(booklet.publisher.name)),
        *layout.centre(louis.translate(", ".join(x for x in (meta.edition, published) if x))),
        "",
        *layout.centre(louis.translate(_say(words, "braille.transcribed"))),
        "",
        *layout.centre(louis.translate(which)),
        *layout.centre(louis.translate(_say(words, "braille.preliminary", last=preliminary))),
        *layout.centre(louis.translate(_say(words, "braille.pages", first=pages[0], last=pages[1]))),
    ]
    return lines[: layout.BODY_LINES]


def _notes(words: messages.Catalogue) -> list[list[str]]:
    """Set out the transcriber's notes page: what the braille shows that print shows otherwise."""
    pager = layout.Pager()
    for line in layout.centre(louis.translate(_say(words, "braille.notes_title"))):
        pager.add(line)
    pager.blank()
    for note in words.list("braille.notes"):
        for line in layout.wrap(louis.translate(note), 2, 0):
            pager.add(line)
    return pager.pages


def _contents(entries: list[tuple[int, str, int]], words: messages.Catalogue) -> list[list[str]]:
    """Set out the contents list: each entry, guide dots, and its braille page number at the right."""
    pager = layout.Pager()
    for line in layout.centre(louis.translate(_say(words, "contents.title"))):
        pager.add(line)
    pager.blank()
    for level, text, page in entries:
        number = louis.translate(str(page))
        indent = 0 if level == 1 else 2
        lines = layout.wrap(louis.translate(text), indent, 4, layout.WIDTH - len(number) - 4)
        last = lines[-1]
        dots = layout.WIDTH - len(last) - len(number) - 2  # at least 2: the entry was wrapped short
        lines[-1] = f"{last} {layout.GUIDE * dots} {number}"
        for line in lines:
            pager.add(line)
    return pager.pages
