"""Review status as readers meet it (issue 15).

A draft says so on every page, in every output; an approved booklet prints its reviews,
with roles and dates, and no mark.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from booklet import paths
from booklet.project import load_booklet

from .conftest import content_of, outputs

MARK = "DRAFT \u2013 not for use with patients"


def _draft(name: str) -> bool:
    slug = name.split("/")[0]
    return load_booklet(content_of(slug), slug).meta.draft


@pytest.mark.parametrize("name", outputs())
def test_a_draft_is_marked_on_every_page_and_an_approved_booklet_on_none(
    name: str, built: dict[str, Path]
) -> None:
    pages = [" ".join((page.extract_text() or "").split()) for page in PdfReader(built[name]).pages]
    marked = [n for n, text in enumerate(pages, start=1) if MARK in text]
    if _draft(name):
        assert marked == list(range(1, len(pages) + 1))
    else:
        assert marked == []


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
