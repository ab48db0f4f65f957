"""Review status as readers meet it (issue 15).

A draft says so on every page, in every output; an approved booklet prints its reviews,
with roles and dates, and no mark.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from booklet import paths
from booklet.source.project import load_booklet

from .conftest import content_of, outputs
from .tools import needs

YELLOW = (255, 214, 10)  # the band of styles/draft-band.svg


def _draft(name: str) -> bool:
    slug = name.split("/")[0]
    return load_booklet(content_of(slug), slug).meta.draft


def _near(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return sum(abs(int(a) - b) for a, b in zip(pixel, colour, strict=True)) < 40


@needs("poppler")
@pytest.mark.parametrize("name", outputs())
def test_a_draft_is_marked_on_every_page_and_an_approved_booklet_on_none(
    name: str, built: dict[str, Path], tmp_path: Path
) -> None:
    """Look at every page as a reader does: the band is yellow across the top, 10 mm high."""
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(built[name]), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    marked = []
    for number, png in enumerate(pages, start=1):
        with Image.open(png) as image:
            rgb = image.convert("RGB")
            top = [rgb.getpixel((x, 2)) for x in (2, rgb.width - 3)]  # 2.5 mm down, at both edges
        if all(_near(px, YELLOW) for px in top):
            marked.append(number)
    assert len(pages) == len(PdfReader(built[name]).pages)
    assert marked == (list(range(1, len(pages) + 1)) if _draft(name) else [])


@pytest.mark.parametrize("name", outputs("standard"))
def test_reviewed_by_lists_only_approved_reviews_with_role_and_date(
    name: str, built: dict[str, Path]
) -> None:
    slug = name.split("/")[0]
    meta = load_booklet(content_of(slug), slug).meta
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(built[name]).pages).split())
    assert ("Reviewed by:" in text) == bool(meta.approvals)
    for review in meta.reviews:
        month = review.day.strftime("%B %Y")
        line = f"{review.role}{f' ({review.name})' if review.name else ''}, {month}"
        assert (line in text) == (review in meta.approvals), line
    assert ("This is a draft." in text) == meta.draft


def test_the_web_page_of_a_draft_has_a_banner(built: dict[str, Path]) -> None:
    for name, pdf in built.items():
        slug, stem = name.split("/")
        html = paths.variant_file(pdf.parent.parent, slug, stem, "html").read_text(encoding="utf-8")
        assert ('class="draft-banner"' in html) == _draft(name), name


def test_a_part_to_be_supplied_is_set_as_a_marked_box() -> None:
    from booklet.render import html as render_html
    from booklet.variants import VARIANTS

    slug = "secondary-liver-cancer"
    html = render_html.render(load_booklet(content_of(slug), slug), VARIANTS["standard"])
    assert html.count('<p class="to-be-supplied">To be supplied by the clinical reviewer: ') == 1
