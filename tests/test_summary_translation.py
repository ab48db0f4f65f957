"""A translation may be a summary: its own shorter structure, still checked, and marked as a summary."""

from __future__ import annotations

import subprocess
from pathlib import Path

import page
import pytest

from booklet.build import build
from booklet.source.project import Project
from booklet.web.catalogue import write_catalogue

from .conftest import CORPUS, copy_content
from .test_pdf import outloud
from .tools import needs

SLUG = "translated"
MARK = "Streszczenie: krótsza wersja broszury w języku angielskim"  # cover.summary of pl.yml

SUMMARY = """---
# A short Polish fact sheet made from the English booklet: one chapter, not every section.
title: Dbanie o jamę ustną w skrócie
translation: summary
questions:
  - Czy mogę używać zwykłej pasty do zębów?
translated_from:
  edition: 1st edition
  published: 2026-10-01
---

# Najważniejsze informacje

Leczenie raka może powodować ból jamy ustnej [@mouthcare].

- Myj zęby delikatnie dwa razy dziennie.
- Pij dużo wody.

Zadzwoń do swojego zespołu, jeśli ból nie pozwala ci jeść ani pić.
"""


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """Return the corpus's translated booklet with its Polish translation made a summary."""
    content = copy_content(tmp_path / "content", CORPUS, SLUG)
    (content / SLUG / "translations" / "pl" / "booklet.md").write_text(SUMMARY, encoding="utf-8")
    return content


def problems(content: Path, tag: str = "pl") -> list[tuple[str, str]]:
    entry = next(e for e in Project.load(content, [SLUG]).every() if e.lang == tag)
    return [(p.rule, p.severity) for p in entry.problems]


def polish(content: Path) -> Path:
    return content / SLUG / "translations" / "pl" / "booklet.md"


def test_a_summary_has_its_own_structure(content: Path) -> None:
    assert problems(content) == []
    full = polish(content)
    full.write_text(SUMMARY.replace("translation: summary\n", ""), encoding="utf-8")
    assert problems(content) == [("TRN-STRUCTURE", "error")]  # a full translation must follow the original


def test_a_summary_is_still_checked_for_what_it_cites(content: Path) -> None:
    path = polish(content)
    path.write_text(SUMMARY.replace("[@mouthcare]", "[@nowhere]"), encoding="utf-8")
    assert ("REF-CITATION-UNRESOLVED", "error") in problems(content)


def test_a_summary_of_an_older_edition_is_stale(content: Path) -> None:
    english = content / SLUG / "booklet.md"
    english.write_text(english.read_text().replace("edition: 1st edition", "edition: 2nd edition"), "utf-8")
    assert problems(content) == [("TRN-STALE", "warning")]


def test_a_summary_is_still_checked_for_its_pictures_and_language(content: Path) -> None:
    path = polish(content)
    path.write_text(SUMMARY + "\n![Usta](images/none.svg)\n", encoding="utf-8")
    assert ("SRC-IMAGE-FILE", "error") in problems(content)
    path.write_text(SUMMARY.replace("translation: summary", "translation: summary\nlanguage: cy"), "utf-8")
    assert ("TRN-LANGUAGE", "error") in problems(content)


def test_translation_takes_full_or_summary(content: Path) -> None:
    path = polish(content)
    path.write_text(SUMMARY.replace("translation: summary", "translation: short"), encoding="utf-8")
    entry = next(e for e in Project.load(content, [SLUG]).every() if e.lang == "pl")
    problem = entry.problems[0]
    assert problem.rule == "META-FIELD"
    assert problem.line == 4
    assert "should be one of: full, summary" in problem.message
    assert "summary" in problem.fix


def test_a_summary_is_marked_on_every_catalogue_page_that_lists_it(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_catalogue(Project.load(content), out, include_drafts=True)  # the corpus booklet is a draft
    note = f'<span class="summary-note" lang="pl" dir="ltr">({MARK})</span>'
    assert note in (out / "index.html").read_text(encoding="utf-8")  # "Booklets in other languages"
    assert f"({MARK})" in (out / SLUG / "index.html").read_text(encoding="utf-8")
    language_page = (out / "languages" / "pl.html").read_text(encoding="utf-8")
    assert f'<p class="summary-note">{MARK}</p>' in language_page
    for tag in ("bn", "ar"):  # full translations: no mark
        assert "summary-note" not in (out / "languages" / f"{tag}.html").read_text(encoding="utf-8")


@pytest.mark.slow
@needs("poppler")
def test_a_summary_is_built_marked_and_valid(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(content, out, [SLUG], ["standard"])
    pdf = out / SLUG / "pl" / f"{SLUG}-standard.pdf"
    text = " ".join(pdftotext(pdf).split())
    assert MARK in text  # on the cover, in Polish
    assert "to jest jej krótsze streszczenie w języku polskim" in text  # "About this information" says so
    assert "to jest jej tłumaczenie" not in text
    assert "Czy mogę używać zwykłej pasty do zębów?" in text  # its own questions
    assert "Najważniejsze informacje" in text
    result = page.validate_pdf(str(pdf), profile="ua1")
    assert result.is_compliant, sorted({f.rule_id for f in result.failures})
    assert not [f for f in outloud(pdf) if f["severity"] == "error"]
    english = pdftotext(out / SLUG / f"{SLUG}-standard.pdf")
    assert "Streszczenie" not in english
    assert "Summary: a shorter" not in english
    assert "সারসংক্ষেপ" not in pdftotext(out / SLUG / "bn" / f"{SLUG}-standard.pdf")  # a full one: no mark
    write_catalogue(Project.load(content), out, include_drafts=True)  # the corpus booklet is a draft
    assert f"({MARK})" in (out / SLUG / "index.html").read_text(encoding="utf-8")
    assert f'<p class="summary-note">{MARK}</p>' in (out / "languages" / "pl.html").read_text(
        encoding="utf-8"
    )
