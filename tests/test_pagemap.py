"""The page map: where each printed page begins, as other formats (EPUB, braille) find it.

A format finds a page's start by walking its own text from the anchor heading and counting
letters and digits; these tests do exactly that on the web HTML of the same variant, and
check that the page found there is the page the PDF shows.
"""

from __future__ import annotations

import html.parser
import itertools
from pathlib import Path

import pytest
from pypdf import PdfReader

from booklet import paths
from booklet.render import pagemap

from .conftest import outputs
from .structread import SCREEN_ONLY_RE


class _Text(html.parser.HTMLParser):
    """The text of an HTML document from the element with one id onward (scripts and styles left out)."""

    def __init__(self, anchor: str) -> None:
        super().__init__(convert_charrefs=True)
        self.anchor = anchor
        self.on = anchor == ""
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self.skip += 1
        if not self.on and dict(attrs).get("id") == self.anchor:
            self.on = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.on and not self.skip:
            self.parts.append(data)


def _letters(text: str) -> str:
    """Return the letters and digits of a text, case folded (a stylesheet may capitalise)."""
    return "".join(ch for ch in text if ch.isalnum()).casefold()


def _after(html_text: str, start: pagemap.PageStart) -> str:
    """Return the letters and digits of the HTML from the page's start on (as a format finds it).

    The draft banner is left out: the print does not show it (styles/draft.css).
    """
    reader = _Text(start.anchor)
    reader.feed(SCREEN_ONLY_RE.sub("", html_text))
    assert reader.on, f"page {start.number}: no element with id {start.anchor!r}"
    return _letters("".join(reader.parts))[start.offset :]


def test_alnum_counts_letters_and_digits_of_any_script() -> None:
    assert pagemap.alnum("A-b 1, \u00e7 \u0627 \u4e2d.") == 6


def test_round_trip() -> None:
    starts = (pagemap.PageStart(1, "", 0, "Title"), pagemap.PageStart(2, "h", 12, "Ça"))
    assert pagemap.loads(pagemap.dumps(starts)) == starts


@pytest.mark.parametrize("name", outputs("standard"))
def test_page_starts_are_found_in_the_html_where_the_pdf_page_begins(
    name: str, built: dict[str, Path]
) -> None:
    pdf = built[name]
    slug, stem = name.split("/")
    out = pdf.parent.parent
    starts = pagemap.loads(paths.page_map_file(out, slug, stem).read_bytes())
    html_text = paths.variant_file(out, slug, stem, "html").read_text(encoding="utf-8")
    pages = PdfReader(pdf).pages
    assert [s.number for s in starts] == list(range(1, len(pages) + 1))
    for start in starts:
        page = _letters(pages[start.number - 1].extract_text())
        sample = _letters(start.text)
        if not sample:  # nothing new on the page (the repeated head of a table of blank rows)
            continue
        assert sample in page, f"page {start.number} does not show {start.text!r}"
        # Counting from the anchor in the web page lands on the page's first words.
        assert _after(html_text, start).startswith(sample[:20]), f"page {start.number}: {start}"
    # Offsets grow within an anchor, so markers come in page order.
    for a, b in itertools.pairwise(starts):
        assert a.anchor != b.anchor or a.offset <= b.offset
