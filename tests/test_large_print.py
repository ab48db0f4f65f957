"""Large print: the same words as the standard booklet, re-set to UKAAF rules, measured in the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from booklet.build import build
from booklet.variants import VARIANTS

from . import pdfread
from .conftest import FIXTURES, outputs, page_words

SLUGS = [key.split("/")[0] for key in outputs("large-print")]
LARGE = VARIANTS["large-print"]


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hex_rgb(value: str) -> tuple[float, ...]:
    return tuple(int(value[i : i + 2], 16) / 255 for i in (1, 3, 5))


WHITE = (1.0, 1.0, 1.0)
BRAND = hex_rgb("#0b4f5c")  # cover and back-cover background
TINT = hex_rgb("#e4f0f1")  # table header and panel background


def table_words(html: str) -> set[str]:
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html, re.S)
    return {w for c in cells for w in re.findall(r"\w+", re.sub(r"<[^>]+>", " ", c))}


def picture_words(pdf: Path) -> set[str]:
    """Words drawn inside the booklet's SVG pictures (read by no one: a picture has its alt text)."""
    found: set[str] = set()
    for svg in (pdf.parent / "images").glob("*.svg"):
        for text in re.findall(r"<text[^>]*>(.*?)</text>", svg.read_text(), re.S):
            found.update(re.findall(r"\w+", text))
    return found


def words(pdf: Path) -> list[str]:
    """Words of the tagged text, without the two differences made by design.

    Each variant names the *other* formats it is available in, and numbers (the contents'
    page numbers) differ.
    """
    text = re.sub(r"also available in [^.]*\.", "", pdfread.content_text(pdf), flags=re.I)
    return [w for w in re.findall(r"\w+", text) if not w.isdigit()]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_standard_word_in_the_same_order(slug: str, built: dict[str, Path]) -> None:
    standard = words(built[f"{slug}/standard"])
    large = words(built[f"{slug}/large-print"])
    # Stacked tables repeat their headers, and text inside pictures is painted where the
    # picture is drawn, so those words are compared as a set and all the others in order.
    in_tables = table_words(built[f"{slug}/standard"].with_suffix(".html").read_text())
    in_tables |= picture_words(built[f"{slug}/standard"])
    assert not set(standard) - set(large)
    position = 0
    for word in (w for w in standard if w not in in_tables):
        found = large.index(word, position) if word in large[position:] else -1
        assert found >= 0, f"'{word}' missing or out of order after {large[max(0, position - 8) : position]}"
        position = found + 1
    assert "Large print" in " ".join(large[:40]), "the cover says 'Large print'"


@pytest.mark.parametrize("slug", SLUGS)
def test_page_furniture_is_bold_at_body_size(slug: str, built: dict[str, Path]) -> None:
    furniture = [r for r in pdfread.painted(built[f"{slug}/large-print"]) if r.artifact]
    before, after = (re.escape(w) for w in page_words(slug))
    numbers = [r for r in furniture if re.fullmatch(rf"{before}\d+{after}", r.text.strip())]
    assert len(numbers) >= 8
    for run in furniture:
        assert run.size >= LARGE.body_pt, run
    for run in numbers:
        assert "Bold" in run.font, run


@pytest.mark.parametrize("slug", SLUGS)
def test_no_word_is_split_across_lines(slug: str, built: dict[str, Path]) -> None:
    """No word is hyphenated at a line's end (UKAAF).

    A web address is not a word: it breaks where tests/test_overflow.py says (after
    / . ? & = -, as issue 27 asks), so a line ending in one is left out.
    """
    for text in pdfread.page_texts(built[f"{slug}/large-print"]):
        for line in text.splitlines():
            last = line.split()[-1] if line.split() else ""
            if "/" in last or last.startswith("www."):
                continue
            assert not re.search(r"\w[-\u2010\u00ad]$", line.rstrip()), line


@pytest.mark.parametrize("slug", SLUGS)
def test_text_contrast_is_at_least_7_to_1(slug: str, built: dict[str, Path]) -> None:
    """Every text colour, on the background it is used on, reaches WCAG AAA (7:1)."""
    pdf = built[f"{slug}/large-print"]
    last = len(pdfread.page_texts(pdf)) - 1
    for run in pdfread.painted(pdf):
        if run.colour == WHITE:
            assert run.page in (0, last), run
            assert contrast(WHITE, BRAND) >= 7
        else:
            assert contrast(run.colour, WHITE) >= 7, run
            assert contrast(run.colour, TINT) >= 7, run


def test_wide_tables_are_stacked_not_shrunk(built: dict[str, Path]) -> None:
    html = built["sample-booklet/large-print"].with_suffix(".html").read_text()
    assert '<ul class="stacked-table">' in html
    assert "<table>" not in html.split("<main")[1]
    standard = built["sample-booklet/standard"].with_suffix(".html").read_text()
    assert "<table>" in standard
    words = pdfread.content_words(built["sample-booklet/large-print"])
    assert words.count("How") >= 3, "each stacked row repeats its column headers"


@pytest.mark.slow
def test_other_sizes_on_request(tmp_path: Path) -> None:
    written = build(FIXTURES, tmp_path, ["sample-booklet"], size=24)
    pdfs = [p.name for p in written if p.suffix == ".pdf"]
    assert pdfs == ["sample-booklet-large-print-24pt.pdf"]
    pdf = tmp_path / "sample-booklet" / pdfs[0]
    runs = pdfread.runs(pdf)
    total = sum(len(r.text.strip()) for r in runs)
    assert sum(len(r.text.strip()) for r in runs if r.size >= 24) / total >= 0.95
    assert "Large print, 24 point" in pdfread.page_texts(pdf)[0]
