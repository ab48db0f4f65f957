"""Every page of every variant, as printed: filled, text inside its box, nothing split that must stay whole.

Read with PyMuPDF (independent of WeasyPrint and of pypdf): where text and drawings are on
each page, and the text of each printed line.

The rule for keeping things together (styles/base.css): no page is less than a fifth full
except the deliberate ones, the cover, the back cover, a notes page, and the last page of
text before the back cover (where the booklet simply ends).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from booklet.render import document
from booklet.variants import VARIANTS

from .conftest import ROOT, outputs

pytestmark = pytest.mark.slow
MM = 72 / 25.4
FIFTH = 0.2
EDGE = 1.0  # points of slack for glyph overhang


@pytest.fixture(params=outputs())
def pdf(request: pytest.FixtureRequest, built: dict[str, Path]) -> Path:
    return built[request.param]


def open_pdf(path: Path) -> Any:
    """Open a PDF with PyMuPDF (untyped)."""
    return pymupdf.open(path)  # type: ignore[no-untyped-call]


def variant_of(pdf: Path) -> str:
    return pdf.stem.removeprefix(pdf.parent.name + "-")


def margins(variant: str) -> tuple[float, float, float, float]:
    """Return a variant's page margins in points (top, right, bottom, left), from its stylesheet."""
    css = (ROOT / "styles" / VARIANTS[variant].stylesheets[-1]).read_text(encoding="utf-8")
    found = re.search(r"@page\s*\{[^}]*?margin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm", css)
    assert found, f"no page margins in {variant}"
    top, right, bottom, left = (float(v) * MM for v in found.groups())
    return top, right, bottom, left


@dataclass(frozen=True)
class Line:
    """A printed line of text: its text, its left and right edges, and its baseline."""

    text: str
    x0: float
    x1: float
    y: float
    size: float


def lines(page: Any) -> list[Line]:
    """Return the printed lines of a page, top to bottom (glyphs on one baseline make a line).

    A line's edges are those of its first and last visible glyphs (a space painted after the
    last word, for readers, takes no room on the page).
    """
    by_y: dict[int, list[tuple[str, float, float, float]]] = defaultdict(list)
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for char in span["chars"]:
                    x0, _, x1, _ = char["bbox"]
                    by_y[round(span["origin"][1])].append((char["c"], x0, x1, span["size"]))
    found = []
    for y in sorted(by_y):
        chars = sorted(by_y[y], key=lambda c: c[1])
        text = "".join(c[0] for c in chars)
        seen = [c for c in chars if c[0].strip()]
        if seen:
            found.append(Line(text, seen[0][1], seen[-1][2], y, max(c[3] for c in seen)))
    return found


def fill(page: Any, top: float, bottom: float) -> float:
    """Return how far down the text area a page's content reaches (0: empty, 1: to the bottom)."""
    body_top, body_bottom = top, page.rect.height - bottom
    ends = [
        b["bbox"][3] for b in page.get_text("dict")["blocks"] if body_top < b["bbox"][3] <= body_bottom + EDGE
    ]
    ends += [d["rect"].y1 for d in page.get_drawings() if body_top < d["rect"].y1 <= body_bottom + EDGE]
    return float(max(ends, default=body_top) - body_top) / float(body_bottom - body_top)


def deliberate(doc: Any, index: int) -> bool:
    """Return whether a page may be nearly empty: cover, back cover, last page of text, notes."""
    last = len(doc) - 1
    return index in (0, last, last - 1) or "Notes" in doc[index].get_text()[:40]


def test_no_page_is_nearly_empty(pdf: Path) -> None:
    """No page but a deliberate one is less than a fifth full."""
    top, _, bottom, _ = margins(variant_of(pdf))
    doc = open_pdf(pdf)
    low = [
        (i + 1, round(fill(page, top, bottom), 2))
        for i, page in enumerate(doc)
        if not deliberate(doc, i) and fill(page, top, bottom) < FIFTH
    ]
    assert not low, f"pages less than a fifth full (page, fill): {low}"


def test_text_stays_inside_its_box(pdf: Path) -> None:
    """On every page but the covers, the text between the running head and folio stays in the column."""
    top, right, bottom, left = margins(variant_of(pdf))
    doc = open_pdf(pdf)
    outside = []
    for i, page in enumerate(doc):
        if i in (0, len(doc) - 1):
            continue  # the covers have their own margins
        width, height = page.rect.width, page.rect.height
        for line in lines(page):
            if line.y < top or line.y > height - bottom + line.size:
                continue  # running head, page number
            if line.x0 < left - EDGE or line.x1 > width - right + EDGE:
                outside.append((i + 1, line.text[:40], round(line.x0, 1), round(line.x1, 1)))
    assert not outside, outside[:10]


def test_contents_page_numbers_share_one_right_edge(pdf: Path) -> None:
    """Every page number of the contents list ends at the same right edge, on every page."""
    doc = open_pdf(pdf)
    edges = [
        line.x1
        for page in list(doc)[1:6]
        for line in lines(page)
        if re.search(r"(\. ){3,}\.?\s*\d+\s*$", line.text)
    ]
    assert edges, "no contents entries found"
    assert max(edges) - min(edges) < 0.5, sorted(set(edges))


def test_numbers_codes_and_dates_never_break(pdf: Path) -> None:
    """No phone number, date, postcode or order code is split across two lines."""
    doc = open_pdf(pdf)
    split = []
    for i, page in enumerate(doc):
        printed = lines(page)
        for line, after in itertools.pairwise(printed):
            joined = f"{line.text.rstrip()} {after.text.lstrip()}".replace("\u2060", "")
            at = len(line.text.rstrip())
            for m in [*document.UNBROKEN_RE.finditer(joined), *re.finditer(r"\b[A-Z]{2,5}- ?\d+\b", joined)]:
                if m.start() < at < m.end():
                    split.append((i + 1, m[0]))
    assert not split, split


def test_large_print_figure_text_is_not_smaller_than_the_body(built: dict[str, Path]) -> None:
    """Text in a picture (its labels) is at least the body size in large print."""
    small = []
    for name, pdf in built.items():
        if not name.endswith("/large-print"):
            continue
        body = VARIANTS["large-print"].body_pt
        for i, page in enumerate(open_pdf(pdf)):
            for line in lines(page):
                if line.size < body - 0.05:
                    small.append((name, i + 1, line.text[:30], round(line.size, 2)))
    assert not small, small[:10]
