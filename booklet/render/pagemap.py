"""Where each printed page begins: the page map other formats use to show print page numbers.

An e-book's page list and braille's print page indicators must say "page 12" exactly where
page 12 of the printed booklet begins. When a variant is laid out, :func:`page_starts` walks
each page's boxes in reading order and records where its first words are, in a form that
does not depend on WeasyPrint: the nearest heading (by its ``id``) at or before the page's
start, and how many letters and digits of text lie between that heading's first word and
the page's first word. Counting only letters and digits makes the count the same in any
rendering of the same source: spaces, line breaks, punctuation, hyphens added at line ends
and list markers do not count. A format that walks its own text from the same heading
counts the same characters and puts the page marker where the count is reached.

Generated text (list markers, ``::before`` and ``::after`` content such as the contents
list's leaders), the page's margin boxes (running heads, page numbers) and a table's header
rows repeated on the pages it continues on are not text of the source and are not counted.
Letter case is not compared (a stylesheet may capitalise), only counted. Pages before the
first heading with an ``id`` have the anchor ``""`` (the start of the document).

The map is written beside each variant's PDF as ``<slug>-<stem>.pages.json`` (see
:func:`booklet.paths.page_map_file`), so a later build can make another format from it
without laying the PDF out again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
GENERATED = ("::before", "::after", "::marker")
SAMPLE = 60  # characters of a page's first text kept, for people and tests to check a marker against


@dataclass(frozen=True)
class PageStart:
    """Where one printed page begins.

    ``number`` is the printed page number (the cover is page 1), ``anchor`` the ``id`` of the
    nearest heading at or before the page's first word, ``offset`` the count of letters and
    digits from the start of that heading's text to the page's first word, and ``text`` the
    page's first characters (whitespace collapsed).
    """

    number: int
    anchor: str
    offset: int
    text: str


def alnum(text: str) -> int:
    """Return how many letters and digits ``text`` has: the unit every page offset counts in."""
    return sum(1 for ch in text if ch.isalnum())


def _text_boxes(box: Any, repeated: set[int]) -> Iterator[Any]:
    """Yield the text boxes of a page's main flow in reading order, generated text left out.

    A table's header rows are repeated on each page the table continues on; ``repeated``
    holds the header row groups already met, which are left out when met again.
    """
    from weasyprint.formatting_structure import boxes  # deferred: WeasyPrint is slow to import

    if isinstance(box, boxes.MarginBox):
        return
    if isinstance(box, boxes.TextBox):
        if not str(box.element_tag or "").endswith(GENERATED):
            yield box
        return
    if getattr(box, "is_header", False) or getattr(box, "is_footer", False):
        if id(box.element) in repeated:
            return
        repeated.add(id(box.element))
    for child in getattr(box, "children", None) or ():
        yield from _text_boxes(child, repeated)


def page_starts(document: Any) -> tuple[PageStart, ...]:
    """Return where each page of a laid-out WeasyPrint document begins, in page order."""
    anchor, count = "", 0
    starts: list[PageStart] = []
    repeated: set[int] = set()
    for number, page in enumerate(document.pages, start=1):
        first: PageStart | None = None
        for box in _text_boxes(page._page_box, repeated):
            element = box.element
            tag = str(box.element_tag or "")
            ident = element.get("id") if element is not None else None
            if tag in HEADINGS and ident and ident != anchor:
                anchor, count = ident, 0
            if first is None and box.text.strip():
                sample = " ".join(box.text.split())
                first = PageStart(number, anchor, count, sample[:SAMPLE])
            count += alnum(box.text)
        starts.append(first or PageStart(number, anchor, count, ""))
    return tuple(starts)


def dumps(starts: Sequence[PageStart]) -> bytes:
    """Return a page map as JSON bytes (stable: same map, same bytes)."""
    return (json.dumps([asdict(s) for s in starts], ensure_ascii=False, indent=1) + "\n").encode()


def loads(data: bytes) -> tuple[PageStart, ...]:
    """Read a page map written by :func:`dumps`."""
    return tuple(PageStart(**item) for item in json.loads(data))
