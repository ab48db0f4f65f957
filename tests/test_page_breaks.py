"""Pages that need no fixing by hand: where the contents, the chapters and the glossary break.

Over every variant of every booklet of the three content folders (issue 28):

- the contents is front matter: the first chapter starts on a fresh page after it, at the
  top, and no contents entry is printed on a chapter's page;
- a glossary term is never parted from its definition (the term last on a page, its
  meaning on the next), and a glossary never leaves a single entry alone on a page;
- no page is under a fifth full unless it is a deliberate one (tests/test_pages.py).

Read from the PDF as printed (pypdf: the named destinations WeasyPrint writes for every id,
and the link annotations; PyMuPDF: the lines on each page), with the contents' targets taken
from the booklet's own web page beside the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from .conftest import outputs
from .test_pages import lines, margins, open_pdf, variant_of

pytestmark = pytest.mark.slow
TOP_SLACK = 2.0  # points: a chapter that starts a page starts at the top of its text area
TOC = re.compile(r'<nav class="front contents".*?</nav>', re.S)
HREF = re.compile(r'href="#([^"]+)"')


@pytest.fixture(params=outputs())
def pdf(request: pytest.FixtureRequest, built: dict[str, Path]) -> Path:
    return built[request.param]


@dataclass(frozen=True)
class Place:
    """Where an id of the booklet's HTML is printed: its page (from 0), its box's top (points from top)."""

    page: int
    top: float


def places(path: Path) -> dict[str, Place]:
    """Return every named destination of a PDF (each id of its HTML) with its page and height."""
    reader = PdfReader(path)
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}  # type: ignore[union-attr]
    found = {}
    for name, dest in reader.named_destinations.items():
        page: Any = dest.page
        index = pages[page.idnum] if hasattr(page, "idnum") else int(page)
        height = float(reader.pages[index].mediabox.height)
        found[str(name)] = Place(index, height - float(dest.top or 0))
    return found


def contents_targets(pdf: Path) -> list[str]:
    """Return the ids the contents lists, in order, from the web page built beside the PDF."""
    page = pdf.with_suffix(".html").read_text(encoding="utf-8")
    found = TOC.search(page)
    assert found, f"{pdf.with_suffix('.html').name} has no contents"
    return HREF.findall(found[0])


def contents_pages(pdf: Path, targets: list[str], start: int) -> list[int]:
    """Return the pages (from 0) the contents entries are printed on: the pages of their links.

    The contents' links are the first links to its targets from its own first page (``start``) on.
    """
    reader = PdfReader(pdf)
    wanted = set(targets)
    found = []
    for index, page in enumerate(reader.pages[start:], start):
        for annot in page.get("/Annots", []) or []:
            link = annot.get_object()
            dest = link.get("/Dest") or (link.get("/A") or {}).get("/D")
            if link.get("/Subtype") == "/Link" and dest is not None and str(dest) in wanted:
                found.append(index)
    return sorted(set(found[: len(targets)]))


def test_the_first_chapter_starts_a_fresh_page_after_the_contents(pdf: Path) -> None:
    """The contents is front matter: no entry shares a page with a chapter, and chapter one starts a page."""
    targets = contents_targets(pdf)
    where = places(pdf)
    toc = contents_pages(pdf, targets, where["contents"].page)
    first = where[targets[0]]
    assert toc, "no contents entries found"
    shown = [p + 1 for p in toc]
    assert max(toc) < first.page, f"contents on pages {shown}, chapter 1 on page {first.page + 1}"
    top, _, _, _ = margins(variant_of(pdf))
    down = first.top - top
    assert down <= TOP_SLACK, f"chapter 1 starts {down:.0f} pt down page {first.page + 1}"
    on_chapter_pages = {where[t].page for t in targets if t in where} & set(toc)
    assert not on_chapter_pages, f"contents entries on the pages of chapters: {sorted(on_chapter_pages)}"


def glossary_terms(pdf: Path) -> list[tuple[str, Place]]:
    """Return the glossary's terms (their ids) in order, with where each is printed."""
    where = places(pdf)
    terms = [(n, p) for n, p in where.items() if n.startswith("word-")]
    return sorted(terms, key=lambda t: (t[1].page, t[1].top))


def test_a_glossary_term_is_never_parted_from_its_meaning(pdf: Path) -> None:
    """No term is the last line of its page, with its meaning on the next page."""
    terms = glossary_terms(pdf)
    if not terms:
        pytest.skip("no glossary")
    _, _, bottom, _ = margins(variant_of(pdf))
    doc = open_pdf(pdf)
    parted = []
    for name, place in terms:
        page = doc[place.page]
        body = [line for line in lines(page) if line.y <= page.rect.height - bottom]
        below = [line for line in body if line.y > place.top + line.size]  # past the term's own line
        if not below:
            parted.append((name, place.page + 1))
    assert not parted, f"terms last on their page, meaning on the next: {parted}"


def test_a_glossary_never_leaves_one_entry_alone_on_a_page(pdf: Path) -> None:
    """A page the glossary runs on to holds at least two of its entries (when it has two or more)."""
    terms = glossary_terms(pdf)
    if len(terms) < 2:
        pytest.skip("no glossary of two entries")
    heading = places(pdf)["medical-words-explained"].page
    per_page: dict[int, int] = {}
    for _, place in terms:
        per_page[place.page] = per_page.get(place.page, 0) + 1
    alone = [page + 1 for page, count in per_page.items() if page != heading and count == 1]
    assert not alone, f"a glossary entry alone on page(s) {alone}"
