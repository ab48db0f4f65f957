"""Braille: a booklet in Unified English Braille grade 2, as a BRF file and as PEF.

:func:`transcribe` reads the standard variant's print document (``source``), finds where
each printed page begins (``printpages``, from the page map the PDF's layout wrote), sets
the blocks out on braille pages (``layout``), then adds the preliminary pages: a title page
and a contents list with braille page numbers. The pages are written as BRF (``brf``) and
as PEF (``pef``). Translation is liblouis's (``louis``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...model import Booklet
from ...variants import VARIANTS
from .. import html as render_html
from .. import templates
from ..pagemap import PageStart
from . import layout, louis, pef, printpages, source

__all__ = ["Transcription", "transcribe"]

VARIANT = "standard"  # braille follows the standard print edition and its page numbers
TRANSCRIBED = "Transcribed from the print edition into Unified English Braille, grade 2"
DRAFT = "DRAFT: not for use with patients"  # on the title page of a booklet that is not approved
NEWLINES = {"crlf": "\r\n", "lf": "\n"}  # line ends of a BRF file (--brf-newline)
NOTES_TITLE = "Transcriber's notes"
NOTES = (
    "Print page numbers are shown at the left of the top line of each page, and on a line of "
    "their own, after a line of dots 3 6, where each print page begins.",
    "Pictures are described between transcriber's note indicators.",
    "Tables are set out row by row, each value after its column heading.",
    "The print cover, contents list and pages left for notes are not transcribed.",
)


@dataclass(frozen=True)
class Transcription:
    """A booklet on braille pages: the preliminary pages (title, contents) then the body."""

    title: str
    language: str
    identifier: str
    date: str
    preliminary: list[list[str]]
    body: list[list[str]]
    print_pages: list[str]  # the print page at the top of each body page ('' before the first)

    @property
    def pages(self) -> list[list[str]]:
        """Return every page, each with its page number line first."""
        numbered = [("", f"p{n}", page) for n, page in enumerate(self.preliminary, start=1)]
        numbered += [
            (printed, str(n), page)
            for n, (printed, page) in enumerate(zip(self.print_pages, self.body, strict=True), start=1)
        ]
        return [[_number_line(printed, number), *_trimmed(page)] for printed, number, page in numbered]

    def brf(self, newline: str = "crlf") -> bytes:
        """Return the BRF file: lines end with CR LF (or ``newline``), each page's last line with a form feed.

        No line feed comes before a form feed: an embosser would feed a blank line, or a blank
        sheet, for it (liblouisutdml writes CR LF too).
        """
        end = NEWLINES[newline]
        return "".join(end.join(page) + "\f" for page in self.pages).encode("ascii")

    def pef(self) -> bytes:
        """Return the same pages as PEF (Portable Embosser Format)."""
        return pef.document(self.pages, self.title, self.language, self.identifier, self.date)


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


def transcribe(
    booklet: Booklet, starts: Sequence[PageStart], ctx: render_html.Context | None = None
) -> Transcription:
    """Transcribe a booklet's standard edition, with print page indicators from its page map.

    ``ctx`` is the standard variant's template context when the caller has it already (the
    build does), to save converting the Markdown again.
    """
    if ctx is None:
        ctx = render_html.context(booklet, VARIANTS[VARIANT])
    blocks = source.read(render_html.document(ctx))
    body = layout.lay_out(blocks, printpages.indicators(blocks, starts))
    listed = {e.id for e in ctx["contents"]} | {c.id for e in ctx["contents"] for c in e.children}
    entries = [
        (b.level, b.text, body.heading_pages[b.anchor] + 1)
        for b in blocks
        if b.anchor in body.heading_pages and (b.level == 1 or b.anchor in listed)
    ]
    contents = _contents(entries)
    notes = _notes()
    meta = ctx["meta"]
    published = templates.month(meta.published)
    lines = [
        *([*layout.centre(louis.translate(DRAFT)), ""] if meta.draft else []),
        *layout.centre(louis.translate(meta.title)),
        *(layout.centre(louis.translate(meta.subtitle)) if meta.subtitle else []),
        "",
        *layout.centre(louis.translate(booklet.publisher.name)),
        *layout.centre(louis.translate(", ".join(x for x in (meta.edition, published) if x))),
        "",
        *layout.centre(louis.translate(TRANSCRIBED)),
        "",
        *layout.centre(louis.translate("In 1 volume")),
        *layout.centre(louis.translate(f"Preliminary pages p1 to p{1 + len(contents) + len(notes)}")),
        *layout.centre(louis.translate(f"Braille pages 1 to {len(body.pages)}")),
    ]
    return Transcription(
        meta.title,
        meta.language,
        f"{meta.code}-braille",
        meta.published.isoformat(),
        [lines[: layout.BODY_LINES], *contents, *notes],
        body.pages,
        body.print_pages,
    )


def _notes() -> list[list[str]]:
    """Set out the transcriber's notes page: what the braille shows that print shows otherwise."""
    pager = layout.Pager()
    for line in layout.centre(louis.translate(NOTES_TITLE)):
        pager.add(line)
    pager.blank()
    for note in NOTES:
        for line in layout.wrap(louis.translate(note), 2, 0):
            pager.add(line)
    return pager.pages


def _contents(entries: list[tuple[int, str, int]]) -> list[list[str]]:
    """Set out the contents list: each entry, guide dots, and its braille page number at the right."""
    pager = layout.Pager()
    for line in layout.centre(louis.translate("Contents")):
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
