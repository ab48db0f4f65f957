"""booklet check: every rule fails on a bad example and passes on a good one; the report and CLI."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from booklet.checks import (
    RULES,
    Report,
    evidence,
    format_json,
    format_text,
    outputs,
    prose,
    readability,
    run_checks,
    vocabulary,
)
from booklet.checks.base import EASY_READ, Context, Finding, Targets
from booklet.cli import main
from booklet.errors import BuildError, ConfigError, ContentError, Problem
from booklet.model import Source
from booklet.source import content, easyread, frontmatter, schema, tree
from booklet.source import rules as source_rules_
from booklet.source.content import load_publisher
from booklet.source.project import Project, load_booklet
from booklet.variants import VARIANTS

from .conftest import CONTENT, GOOD_FRONT, ROOT

TODAY = date(2026, 6, 1)  # GOOD_FRONT: published 2026-01-01, next review 2027-01-01
EASY = "# Chapter\n\nThe cat sat on the mat. It was a big cat. We fed the cat.\n"
HARD = (
    "# Chapter\n\n"
    + (
        "Hepatocellular carcinoma necessitates multidisciplinary consideration of locoregional "
        "therapeutic interventions. "
    )
    * 3
)
PLAIN = "you can ask your nurse or doctor about the tests and what they are for before you go in".split()
REFERENCE = "    text: A reference.\n"

Check = Callable[[Context], Iterable[Finding]]


def words(n: int) -> str:
    """Return a plain sentence of exactly ``n`` words."""
    found = (PLAIN * 5)[:n]
    return " ".join([found[0].capitalize(), *found[1:]]) + "."


def front(extra: str = "", ref: str = "", **dates: str) -> str:
    """Return GOOD_FRONT with more keys, more reference keys and other dates."""
    text = GOOD_FRONT.replace(REFERENCE, REFERENCE + ref)
    for key, value in dates.items():
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.M)
    return text[: -len("---\n")] + extra + "---\n"


def make(
    folder: Path,
    body: str = EASY,
    front_text: str = GOOD_FRONT,
    easy: str | None = None,
    goals: Targets | None = None,
    today: date = TODAY,
    out: Path | None = None,
) -> Context:
    """Return the context of a booklet with this body, loaded past the build's own refusals."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "booklet.md"
    path.write_text(front_text + "\n# Loads\n\nText [@one].\n", encoding="utf-8")
    loaded = content.load_booklet(folder.parent, folder.name, load_publisher(folder.parent)[0])
    assert loaded.booklet is not None, loaded.problems
    booklet = loaded.booklet
    path.write_text(front_text + body, encoding="utf-8")
    node = frontmatter.load(path, front_text.split("---\n")[1], 2)[1]
    meta = schema.booklet_metadata(path, frontmatter.load(path, front_text.split("---\n")[1], 2)[0], node, 2)
    booklet = dataclasses.replace(
        booklet, meta=meta, source=parsed(path, body, front_text.count("\n") + 1, node)
    )
    if easy is not None:
        (folder / "easy-read.md").write_text("---\ntitle: Easy\n---\n" + easy, encoding="utf-8")
        booklet = dataclasses.replace(booklet, easy_read=parsed(folder / "easy-read.md", easy, 4))
    return Context(booklet, goals or Targets(), out or folder.parent / "out", today)


def parsed(path: Path, body: str, line: int, node: Any = None) -> Source:
    """Return a source as the loader makes it: its body's tree and its citations."""
    parsed_tree = tree.parse(body, line)
    return Source(path, body, line, parsed_tree, node, tuple(source_rules_.cited(parsed_tree)))


def source_rules(ctx: Context) -> Iterable[Finding]:
    """Run the source rules (booklet/source/rules.py) on every source of a context, as loading does."""
    ids = [r.id for r in ctx.booklet.meta.references]
    for source, kind in ctx.sources():
        scope = source_rules_.Scope(
            ctx.slug,
            source.path,
            ctx.booklet.folder,
            ids,
            icons=kind == EASY_READ,
            approved=not ctx.booklet.meta.draft,
        )
        yield from source_rules_.check(source.tree, scope)


def easy_rules(ctx: Context) -> Iterable[Finding]:
    """Run the easy-read linter on a context's easy-read source, as loading does."""
    easy = ctx.booklet.easy_read
    assert easy is not None
    return easyread.lint(easy.tree, easy.path, ctx.slug, [t for t, _ in ctx.booklet.meta.glossary])


def rules(check: Check, ctx: Context) -> list[str]:
    return [f.rule for f in check(ctx)]


APPROVED = (
    "status: approved\nreviews:\n"
    "  - kind: clinical\n    role: Oncologist\n    date: 2025-12-01\n    outcome: approved\n"
    "  - kind: lay\n    role: Reader\n    date: 2025-12-01\n    outcome: approved\n"
)
REVIEWED = APPROVED.replace("status: approved", "status: in-review")
GLOSSARY = "glossary:\n  percutaneous: Through the skin.\n  pancreas: An organ behind the stomach.\n"
# rule, check, what makes it fail, what makes it pass (keyword arguments of make)
CASES: list[tuple[str, Check, dict[str, Any], dict[str, Any]]] = [
    ("TEXT-FLESCH", readability.check, {"body": HARD}, {"body": EASY}),
    (
        "TEXT-SMOG",
        readability.check,
        {"body": HARD, "goals": Targets(smog_max=8)},
        {"goals": Targets(smog_max=8)},
    ),
    (
        "STD-SENTENCE-LONG",
        readability.check,
        {"body": f"# A\n\n{words(26)}\n"},
        {"body": f"# A\n\n{words(25)}\n"},
    ),
    (
        "ER-SENTENCE-LONG",
        easy_rules,
        {"easy": f"# A\n\n![A doctor](icon:doctor) {words(16)}\n"},
        {"easy": f"# A\n\n![A doctor](icon:doctor) {words(15)}\n"},
    ),
    (
        "ER-SENTENCE-TOO-LONG",
        easy_rules,
        {"easy": f"# A\n\n![A doctor](icon:doctor) {words(21)}\n"},
        {"easy": f"# A\n\n![A doctor](icon:doctor) {words(20)}\n"},
    ),
    (
        "ER-PICTURE-ALARMING",
        easy_rules,
        {"easy": "# A\n\n![A radiation sign](icon:hazardous) Radiotherapy uses rays.\n"},
        {"easy": "# A\n\n![An x-ray picture of a person](icon:radiology) Radiotherapy uses rays.\n"},
    ),
    (
        "ER-PICTURE-REUSED",
        easy_rules,
        {"easy": "# A\n\n![A phone](icon:phone) Call our helpline.\n\n![A phone](icon:phone) Eat well.\n"},
        {
            "easy": "# A\n\n![A phone](icon:phone) Call our helpline.\n\n"
            "![A phone](icon:phone) Our helpline is free.\n"
        },
    ),
    (
        "TEXT-PASSIVE",
        readability.check,
        {"body": "# A\n\nThe sample is checked by a doctor.\n"},
        {"body": "# A\n\nA doctor checks the sample. This is called a biopsy.\n"},
    ),
    (
        "TEXT-HARD-WORD",
        vocabulary.check,
        {"body": "# A\n\nYou may have a percutaneous injection.\n"},
        {"body": "# A\n\nYou may have a percutaneous injection.\n", "front_text": front(GLOSSARY)},
    ),
    (
        "TEXT-HARD-WORD",
        vocabulary.check,
        {"body": "# A\n\nIt starts in the pancreas.\n"},
        {"body": "# A\n\nIt starts in the pancreas.\n", "front_text": front(GLOSSARY)},
    ),
    (
        "TEXT-HARD-WORD",
        vocabulary.check,
        {"body": "# A\n\nAsk your GP.\n"},
        {"body": "# A\n\nAsk your general practitioner (GP). Your GP can help.\n"},
    ),
    (
        "TEXT-HARD-WORD",
        vocabulary.check,
        {"easy": "# A\n\nYou may have a biopsy.\n"},
        {"easy": "# A\n\nYou may have a **biopsy**. A doctor takes a tiny piece of you.\n"},
    ),
    (
        "TEXT-GLOSSARY-UNUSED",
        vocabulary.check,
        {"front_text": front(GLOSSARY)},
        {"front_text": front(GLOSSARY), "body": "# A\n\nThe pancreas and percutaneous tests.\n"},
    ),
    (
        "TEXT-LONG-WORD",
        vocabulary.check,
        {"body": "# A\n\nThe damage is irreversible.\n"},
        {"body": "# A\n\nThe damage is lasting.\n"},
    ),
    (
        "TEXT-PLAIN-WORD",
        vocabulary.check,
        {"body": "# A\n\nWe occasionally meet.\n"},
        {"body": "# A\n\nWe sometimes meet.\n"},
    ),
    (
        "REF-CITATION-UNRESOLVED",
        source_rules,
        {"body": "# A\n\nText [@nope].\n"},
        {"body": "# A\n\nText [@one].\n"},
    ),
    (
        "REF-CITATION-UNRESOLVED",
        source_rules,
        {"body": "# A\n\nText [@one two].\n"},
        {"body": "# A\n\nText [@one].\n"},
    ),
    ("REF-UNCITED", evidence.check, {"body": EASY}, {"body": "# A\n\nText [@one].\n"}),
    (
        "REF-DOI-FORMAT",
        evidence.check,
        {"front_text": front(ref="    doi: 10.1000/test?download=true\n")},
        {"front_text": front(ref="    doi: 10.1000/test.2024-1\n")},
    ),
    (
        "REF-DOI-MISMATCH",
        evidence.check,
        {
            "front_text": front(ref="    doi: 10.1000/test\n").replace(
                "A reference.", "A reference. doi:10.1000/other."
            )
        },
        {
            "front_text": front(ref="    doi: 10.1000/test\n").replace(
                "A reference.", "A reference. doi:10.1000/TEST."
            )
        },
    ),
    ("DATE-REVIEW-OVERDUE", evidence.check, {"today": date(2027, 1, 2)}, {"today": date(2027, 1, 1)}),
    ("DATE-REVIEW-SOON", evidence.check, {"today": date(2026, 10, 1)}, {"today": date(2026, 9, 30)}),
    (
        "DATE-REVIEW-INTERVAL",
        evidence.check,
        {"front_text": front(next_review="2029-01-02")},
        {"front_text": front(next_review="2029-01-01")},
    ),
    (
        "META-STATUS",
        evidence.check,
        {"front_text": front("status: in-review\n")},
        {"front_text": front(APPROVED)},
    ),
    ("META-REVIEWS-MISSING", evidence.check, {}, {"front_text": front(APPROVED)}),
    (
        "META-REVIEWS-MISSING",
        evidence.check,
        {"front_text": front(REVIEWED.replace("kind: lay", "kind: editorial"))},
        {"front_text": front(APPROVED)},
    ),
    (
        "META-REVIEW-OLD",
        evidence.check,
        {"front_text": front("edition: 2nd edition\n" + REVIEWED + "    edition: 1st edition\n")},
        {"front_text": front("edition: 2nd edition\n" + REVIEWED + "    edition: 2nd edition\n")},
    ),
    (
        "META-REVIEW-OLD",
        evidence.check,
        {"front_text": front(REVIEWED.replace("2025-12-01", "2022-12-31"))},
        {"front_text": front(REVIEWED.replace("2025-12-01", "2023-01-01"))},
    ),
    (
        "META-REVIEW-FUTURE",
        evidence.check,
        {
            "front_text": front(
                "reviews:\n  - kind: lay\n    role: Reader\n    date: 2026-06-02\n    outcome: approved\n"
            )
        },
        {
            "front_text": front(
                "reviews:\n  - kind: lay\n    role: Reader\n    date: 2026-06-01\n    outcome: approved\n"
            )
        },
    ),
    (
        "SRC-TO-BE-SUPPLIED",
        source_rules,
        {
            "front_text": front(APPROVED),
            "body": "# A\n\nTo be supplied by the clinical reviewer: what to do.\n",
        },
        {
            "front_text": front("status: in-review\n"),
            "body": "# A\n\nTo be supplied by the clinical reviewer: what to do.\n",
        },
    ),
    (
        "SRC-IMAGE-ALT",
        source_rules,
        {"body": "# A\n\n![image](images/cream.svg)\n"},
        {"body": "# A\n\n![A hand putting cream on an arm](images/cream.svg)\n"},
    ),
    ("SRC-IMAGE-ALT", source_rules, {"body": "# A\n\n![cream.svg](images/cream.svg)\n"}, {}),
    (
        "SRC-IMAGE-ALT",
        source_rules,
        {"easy": "# A\n\n![doctor](icon:doctor) Ask.\n"},
        {"easy": "# A\n\n![A doctor](icon:doctor) Ask.\n"},
    ),
    ("SRC-HEADING-SKIP", source_rules, {"body": "# A\n\n### B\n"}, {"body": "# A\n\n## B\n\n### C\n"}),
    (
        "SRC-LINK-TEXT",
        source_rules,
        {"body": "# A\n\n[Click here](https://www.nhs.uk).\n"},
        {"body": "# A\n\nSee [the NHS website](https://www.nhs.uk).\n"},
    ),
    (
        "SRC-BARE-URL",
        source_rules,
        {"body": "# A\n\nGo to https://www.nhs.uk/conditions.\n"},
        {"body": "# A\n\nGo to [the NHS website](https://www.nhs.uk/conditions).\n"},
    ),
    ("SRC-BARE-URL", source_rules, {"body": "# A\n\nGo to [www.nhs.uk](https://www.nhs.uk).\n"}, {}),
    (
        "SRC-TABLE-HEADER",
        source_rules,
        {"body": "# A\n\n| Cream | When |\n| Thick | Night |\n"},
        {"body": "# A\n\n| Cream | When |\n|---|---|\n| Thick | Night |\n"},
    ),
    ("SRC-TABLE-HEADER", source_rules, {"body": "# A\n\n|  | When |\n|---|---|\n| Thick | Night |\n"}, {}),
    (
        "SRC-IMAGE-FILE",
        source_rules,
        {"easy": "# A\n\n![A doctor](icon:docter) Ask.\n"},
        {"easy": "# A\n\n![A doctor](icon:doctor) Ask.\n"},
    ),
    (
        "SRC-PLACEHOLDER",
        source_rules,
        {"body": "# A\n\nCall {publisher.phone}.\n"},
        {"body": "# A\n\nCall {publisher.helpline}.\n"},
    ),
    (
        "SRC-RAW-HTML",
        source_rules,
        {"body": "# A\n\nA <b>bold</b> word.\n"},
        {"body": "# A\n\nA **bold** word.\n"},
    ),
    (
        "SRC-LINK-TARGET",
        source_rules,
        {"body": "# A\n\nSee [the form](javascript:alert(1)).\n"},
        {"body": "# A\n\nSee [the form](https://www.example.org/form).\n"},
    ),
    ("SRC-LINK-TARGET", source_rules, {"body": "# A\n\nSee [the cream picture](images/cream.svg).\n"}, {}),
    ("SRC-FOOTNOTE", source_rules, {"body": "# A\n\nSee this[^1].\n\n[^1]: A note.\n"}, {}),
    (
        "SRC-DEFINITION-LIST",
        source_rules,
        {"body": "# A\n\nStoma\n: An opening.\n"},
        {"body": "# A\n\n**Stoma**: an opening.\n"},
    ),
    (
        "SRC-TASK-LIST",
        source_rules,
        {"body": "# A\n\n- [ ] Ring the ward\n"},
        {"body": "# A\n\n- Ring the ward\n"},
    ),
    (
        "SRC-HEADING-LINK",
        source_rules,
        {"body": "# Help from [the clinic](https://www.nhs.uk)\n\nWords.\n"},
        {"body": "# Help from the clinic\n\nSee [the clinic's page](https://www.nhs.uk).\n"},
    ),
    ("SRC-STRIKETHROUGH", source_rules, {"body": "# A\n\nSome ~~old~~ words.\n"}, {}),
    (
        "SRC-CALLOUT",
        source_rules,
        {"body": "# A\n\n> [!DANGER]\n> Ring us.\n"},
        {"body": "# A\n\n> [!WARNING]\n> Ring us.\n"},
    ),
    ("SRC-CALLOUT", source_rules, {"body": "# A\n\n> [!WARNING] Ring us.\n"}, {}),
    (
        "SRC-NESTING",
        source_rules,
        {"body": "# A\n\n" + "".join("    " * i + "- a\n" for i in range(9))},
        {"body": "# A\n\n" + "".join("    " * i + "- a\n" for i in range(8))},
    ),
    (
        "SRC-NESTING",
        source_rules,
        {"body": "# A\n\n" + "".join("  " * i + "- a\n" for i in range(9))},
        {"body": "# A\n\n" + "".join("  " * i + "- a\n" for i in range(8))},
    ),
    (
        "SRC-NESTING",
        source_rules,
        {"body": "# A\n\n" + ">" * 9 + " a\n"},
        {"body": "# A\n\n" + ">" * 8 + " a\n"},
    ),
    (
        "SRC-GLYPH",
        source_rules,
        {"body": "# A\n\nHello 中文.\n"},
        {"body": "# A\n\nHello café \u2013 \u201cquoted\u201d.\n"},
    ),
    (
        "SRC-BLOCK-LONG",
        source_rules,
        {"body": "# A\n\n" + "word " * 400 + "end.\n"},
        {"body": "# A\n\n" + "word " * 399 + "end.\n"},
    ),
    (
        "SRC-CODE-BLOCK",
        source_rules,
        {"body": "# A\n\n    Indented words.\n"},
        {"body": "# A\n\nIndented words.\n"},
    ),
]


@pytest.mark.parametrize(
    ("rule", "check", "bad", "good"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_fails_then_passes(
    rule: str, check: Check, bad: dict[str, Any], good: dict[str, Any], tmp_path: Path, sample_content: Path
) -> None:
    assert rule in rules(check, make(sample_content / "bad", **bad))
    assert rule not in rules(check, make(sample_content / "good", **good))


# Rules whose failing and passing examples need more than a body: each has its own test below.
OWN_TESTS = {
    "REF-LIST-MISSING": "test_reference_list_missing",
    "META-OTHER-FORMATS": "test_other_formats",
    "OUT-PDFUA": "test_pdf_that_is_not_pdf_ua",
    "OUT-OUTLOUD-ERROR": "test_pdf_that_is_not_pdf_ua",
    "OUT-UNREADABLE": "test_pdf_that_is_not_pdf_ua",
    "OUT-OUTLOUD-WARNING": "test_outloud_warnings_listed",
    "OUT-SIZE-MIN": "test_italic_and_size_rules_on_text_runs",
    "OUT-SIZE-SHARE": "test_italic_and_size_rules_on_text_runs",
    "OUT-ITALIC": "test_italic_and_size_rules_on_text_runs",
    "OUT-STALE": "test_not_built_and_stale",
    "OUT-NOT-BUILT": "test_not_built_and_stale",
    "OUT-TOOL-MISSING": "test_missing_validators_are_reported",
    "LOAD-ERROR": "test_load_error_then_others_checked",
    "META-FIELD": "test_load_error_then_others_checked",
    "SRC-EMPTY": "test_load_error_then_others_checked",
    "META-SLUG": "test_load_error_then_others_checked",
    "META-CODE-DUPLICATE": "test_load_error_then_others_checked",
    "RENDER-FAILED": "test_build_failures_become_findings",
    "VARIANT-NO-SOURCE": "test_build_failures_become_findings",
    "CHECK-IGNORE-UNKNOWN": "test_silencing",
    "CHECK-IGNORE-UNUSED": "test_silencing",
    **{
        rule: "test_translation_findings"
        for rule in (
            "TRN-STRUCTURE",
            "TRN-STALE",
            "TRN-LANGUAGE",
            "TRN-ORIGINAL",
            "TRN-PICTURE-WORDS",
            "TRN-QUESTIONS",
            "TRN-MESSAGES",
        )
    },
    **{
        rule: "test_easy_read_lint_reported_by_rule"
        for rule in (
            "ER-NO-PICTURE",
            "ER-HARD-WORD-NOT-BOLD",
            "ER-HARD-WORD-NOT-EXPLAINED",
            "ER-HARD-WORD-NOT-LISTED",
            "ER-ACRONYM",
            "ER-NUMBER-WORD",
        )
    },
}


def test_translation_findings(tmp_path: Path) -> None:
    """Check reports a translation's drift (error), staleness (warning), language and lone easy read.

    And a message publisher.yml words in English only (TRN-MESSAGES, tests/test_publisher_words.py).
    """
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "tests" / "corpus" / "publisher.yml", content)
    publisher = content / "publisher.yml"  # its words for a phone link, in English only
    words = publisher.read_text().replace("messages:\n", 'messages:\n  link.call: "Ring {number}"\n', 1)
    publisher.write_text(words)
    shutil.copytree(ROOT / "tests" / "corpus" / "translated", content / "translated")
    english = content / "translated" / "booklet.md"
    english.write_text(
        english.read_text().replace("edition: 1st edition", "edition: 2nd edition\nquestions: [Ouch?]")
    )
    polish = content / "translated" / "translations" / "pl"
    (polish / "booklet.md").write_text((polish / "booklet.md").read_text().replace(" [@mouthcare]", ""))
    (polish / "easy-read.md").write_text("---\ntitle: Łatwy tekst\n---\n\n# Jama ustna\n")
    shutil.copytree(polish, content / "translated" / "translations" / "xx")
    (content / "translated" / "images").mkdir()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 90 30"><text x="0" y="20">Mouth</text></svg>'
    (content / "translated" / "images" / "mouth.svg").write_text(svg)
    picture = "\n\n![A mouth, labelled](images/mouth.svg)\n"
    for source in (english, polish / "booklet.md"):  # a picture with an English word, not translated
        source.write_text(source.read_text() + picture)
    report = run_checks(Project.load(content), tmp_path / "out", today=date(2026, 11, 1))
    found = {(p.rule, p.severity, p.path.parent.name) for p in report.findings if p.rule.startswith("TRN-")}
    assert ("TRN-STRUCTURE", "error", "pl") in found
    assert ("TRN-STALE", "warning", "ar") in found
    assert ("TRN-ORIGINAL", "error", "pl") in found
    assert ("TRN-LANGUAGE", "error", "translations") in found
    assert ("TRN-PICTURE-WORDS", "warning", "pl") in found
    assert ("TRN-QUESTIONS", "warning", "bn") in found  # the English booklet's own questions, untranslated
    assert ("TRN-MESSAGES", "warning", "content") in found  # on publisher.yml's line


TRANSLATED = ("ar", "bn", "pa", "pl", "ur", "zh-Hans")  # tests/corpus/translated/translations/
ENGLISH_PROSE = ("TEXT-", "STD-", "ER-")  # the prose rules' ids: reading ease, words, sentences


def test_translations_get_the_output_checks_and_not_the_english_prose_rules(tmp_path: Path) -> None:
    """Issue 18: each translation's PDFs are looked for (none built here); prose rules stay English."""
    out = tmp_path / "out"
    report = run_checks(Project.load(ROOT / "tests" / "corpus", ["translated"]), out, today=date(2026, 11, 1))
    folder = out / "translated"
    variants = ("standard", "large-print")
    assert {p.path for p in report.findings if p.rule == "OUT-NOT-BUILT"} == {
        *(folder / f"translated-{v}.pdf" for v in variants),
        *(folder / tag / f"translated-{v}.pdf" for tag in TRANSLATED for v in variants),
    }
    translated = [p for p in report.findings if "translations" in p.path.parts]
    assert not [p for p in translated if p.rule.startswith(ENGLISH_PROSE)]
    assert all(s.path.parent.name == "translated" for s in report.scores), (
        "reading scores are the English text's"
    )
    text = format_text(report)
    assert (
        "  note: translations ar, bn, pa, pl, ur, zh-Hans: built PDFs checked; plain English, hard words and "
        "sentence length are English rules and were not run on them"
    ) in text
    assert json.loads(format_json(report))["notes"][0]["booklet"] == "translated"


@pytest.mark.slow  # builds the test translations' standard PDFs
def test_translated_pdfs_are_validated_by_check(tmp_path: Path) -> None:
    """The validators run on each translation's built PDFs: all pass, and one spoilt here fails."""
    import pikepdf

    from booklet.build import build

    out = tmp_path / "out"
    build(ROOT / "tests" / "corpus", out, ["translated"], ["standard"])
    spoilt = out / "translated" / "pl" / "translated-standard.pdf"
    with pikepdf.open(spoilt, allow_overwriting_input=True) as pdf:
        del pdf.Root.MarkInfo  # no longer says it is tagged
        pdf.save(spoilt)
    report = run_checks(Project.load(ROOT / "tests" / "corpus", ["translated"]), out, today=date(2026, 11, 1))
    standard = {tag: out / "translated" / tag / "translated-standard.pdf" for tag in TRANSLATED}
    not_built = {p.path for p in report.findings if p.rule == "OUT-NOT-BUILT"}
    assert not set(standard.values()) & not_built, "every translation's standard PDF was checked"
    failing = {p.path.parent.name for p in report.findings if p.rule == "OUT-PDFUA"}
    assert failing == {"pl"}, "PDF/UA-1 fails where the PDF was spoilt, nowhere else"
    warnings = {p.path.parent.name for p in report.findings if p.rule == "OUT-OUTLOUD-WARNING"}
    assert {"ar", "ur"} <= warnings  # outloud read them: its TXT-004 on Arabic letters' contextual forms
    errors = {p.path.parent.name for p in report.findings if p.rule == "OUT-OUTLOUD-ERROR"}
    assert errors <= {"pl"}
    assert not [p for p in report.findings if p.rule in ("OUT-SIZE-MIN", "OUT-SIZE-SHARE", "OUT-ITALIC")]


def test_every_rule_is_tested() -> None:
    assert {c[0] for c in CASES} | set(OWN_TESTS) == set(RULES)
    assert all(name in globals() for name in OWN_TESTS.values())


def test_sentence_findings_give_the_source_line(sample_content: Path) -> None:
    body = f"# A\n\nShort one. {words(30)}\n\n- {words(27)}\n- short item\n"
    ctx = make(sample_content / "t", body=body)
    found = [f for f in readability.check(ctx) if f.rule == "STD-SENTENCE-LONG"]
    first = ctx.booklet.source.body_line
    assert [(f.line, f.path) for f in found] == [(first + 2, ctx.path), (first + 4, ctx.path)]
    assert "30 words (at most 25)" in found[0].message


def test_reader_text_drops_citations_and_splits_lists(sample_content: Path) -> None:
    body = (
        "# Chapter one\n\nSee a doctor [@one], e.g. your GP. Then rest.\n\n- in the blood\n- in the lymph\n"
    )
    ctx = make(sample_content / "t", body=body)
    chapter = ctx.texts[0].chapters[0]
    assert chapter.title == "Chapter one"
    assert [s.text for s in chapter.sentences] == [
        "See a doctor, e.g. your GP.",
        "Then rest.",
        "in the blood",
        "in the lymph",
    ]
    assert chapter.sentences[0].words == ("See", "a", "doctor", "e.g.", "your", "GP")
    assert prose.reader_text(chapter.sentences).endswith("in the lymph.")


def test_hard_words_follow_forms_and_spellings() -> None:
    assert vocabulary.forms("tumours") >= {"tumour"}
    assert vocabulary.forms("metastases") >= {"metastasis"}
    assert vocabulary.forms("clotting") >= {"clot"}
    assert vocabulary.zipf("tumour") >= vocabulary.zipf("tumor") - 0.01  # British spelling, American data
    assert vocabulary.zipf("the") > 7


def test_no_network_needed(tmp_path: Path) -> None:
    """Word frequencies and reading scores work with every socket refused (wordfreq's data ships in it)."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "from booklet.checks import vocabulary\nimport textstat\n"
        "assert vocabulary.zipf('embolisation') < 3 < vocabulary.zipf('liver')\n"
        "assert textstat.flesch_reading_ease('The cat sat on the mat. It was happy.') > 90\n"
        "assert textstat.syllable_count('chemotherapy') == 5\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr


def test_reference_list_missing(sample_content: Path) -> None:
    ctx = make(sample_content / "t")
    assert "REF-LIST-MISSING" not in rules(evidence.check, ctx)
    ctx.booklet = dataclasses.replace(ctx.booklet, meta=dataclasses.replace(ctx.booklet.meta, references=()))
    assert "REF-LIST-MISSING" in rules(evidence.check, ctx)


def test_other_formats(sample_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ctx = make(sample_content / "t", out=out)
    assert "META-OTHER-FORMATS" not in rules(evidence.check, ctx)  # not built: it has other variants
    page = out / "t" / "t-standard.html"
    page.parent.mkdir(parents=True)
    page.write_text('<h2 id="other-formats">Other formats</h2><p>Call us.</p><h2 id="x">X</h2>')
    assert "META-OTHER-FORMATS" in rules(evidence.check, ctx)
    page.write_text('<h2 id="other-formats">Other formats</h2><p>Also available in large print.</p>')
    assert "META-OTHER-FORMATS" not in rules(evidence.check, ctx)
    ctx.booklet = dataclasses.replace(ctx.booklet, variant_names=("standard",))  # as if it had one source
    assert "META-OTHER-FORMATS" in rules(evidence.check, ctx)


def test_finding_lines_in_front_matter(sample_content: Path) -> None:
    ctx = make(sample_content / "t", today=date(2027, 3, 1))
    overdue = next(f for f in evidence.check(ctx) if f.rule == "DATE-REVIEW-OVERDUE")
    uncited = next(f for f in evidence.check(ctx) if f.rule == "REF-UNCITED")
    assert overdue.line == GOOD_FRONT.splitlines().index("next_review: 2027-01-01") + 1
    assert uncited.line == GOOD_FRONT.splitlines().index("  - id: one") + 1


# Outputs: real PDFs from the session build (tests/conftest.py), copied where a test changes them.


@pytest.fixture(scope="session")
def sample_pdfs(built: dict[str, Path]) -> Path:
    """Return the output folder holding the built sample booklet (every variant)."""
    return built["sample-booklet/standard"].parent.parent


def output_rules(ctx: Context) -> list[str]:
    return rules(outputs.check, ctx)


def sample_context(out: Path) -> Context:
    booklet = load_booklet(ROOT / "tests" / "fixtures" / "content", "sample-booklet")
    return Context(booklet, Targets(), out, TODAY)


def test_built_pdfs_pass(sample_pdfs: Path) -> None:
    found = list(outputs.check(sample_context(sample_pdfs)))
    assert [f for f in found if f.severity == "error"] == []
    assert {f.rule for f in found} == set()
    assert len(outputs.built_pdfs("sample-booklet", sample_pdfs / "sample-booklet")) == len(VARIANTS)


def test_type_sizes_measured_against_the_variant(sample_pdfs: Path) -> None:
    """The standard PDF, measured against large print at 24pt, is too small."""
    standard = sample_pdfs / "sample-booklet" / "sample-booklet-standard.pdf"
    giant = VARIANTS["large-print"].with_size(24)
    ctx = sample_context(sample_pdfs)
    assert list(outputs._sizes(ctx, standard, VARIANTS["standard"], outputs.text_runs(standard))) == []
    found = list(outputs._sizes(ctx, standard, giant, outputs.text_runs(standard)))
    assert {f.rule for f in found} == {"OUT-SIZE-MIN", "OUT-SIZE-SHARE"}
    assert any("under the large-print minimum of 16pt" in f.message for f in found)
    assert any("at 24pt or more" in f.message for f in found)


def test_built_pdfs_are_matched_to_their_variant(sample_pdfs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sample-booklet"
    folder.mkdir()
    for name in ("standard", "large-print-24pt", "large-print", "unknown"):
        (folder / f"sample-booklet-{name}.pdf").write_bytes(b"")
    found = {pdf.name: (v.name, v.body_pt) for pdf, v in outputs.built_pdfs("sample-booklet", folder)}
    assert found == {
        "sample-booklet-standard.pdf": ("standard", 12),
        "sample-booklet-large-print.pdf": ("large-print", 18),
        "sample-booklet-large-print-24pt.pdf": ("large-print", 24),
    }


def test_italic_and_size_rules_on_text_runs(sample_content: Path) -> None:
    ctx = make(sample_content / "t")
    standard = VARIANTS["standard"]
    good = [outputs.Run(0, "x" * 100, 12, "/AAAAAA+AtkinsonHyperlegible-Regular")]
    assert list(outputs._sizes(ctx, ctx.path, standard, good)) == []
    bad = [*good, outputs.Run(1, "small", 9, "/AAAAAA+AtkinsonHyperlegible-Italic")]
    assert {f.rule for f in outputs._sizes(ctx, ctx.path, standard, bad)} == {"OUT-SIZE-MIN", "OUT-ITALIC"}
    mostly_small = [outputs.Run(0, "x" * 100, 12, "A"), outputs.Run(0, "y" * 10, 11.9, "A")]
    large = dataclasses.replace(standard, min_pt=11)
    assert {f.rule for f in outputs._sizes(ctx, ctx.path, large, mostly_small)} == {"OUT-SIZE-SHARE"}


def test_pdf_that_is_not_pdf_ua(tmp_path: Path) -> None:
    folder = tmp_path / "sample-booklet"
    folder.mkdir()
    writer = PdfWriter()
    writer.add_blank_page(420, 595)
    with (folder / "sample-booklet-standard.pdf").open("wb") as f:
        writer.write(f)
    (folder / "sample-booklet-large-print.pdf").write_bytes(b"not a pdf")
    found = {f.rule for f in outputs.check(sample_context(tmp_path))}
    assert {"OUT-PDFUA", "OUT-OUTLOUD-ERROR", "OUT-UNREADABLE"} <= found


def test_outloud_warnings_listed(sample_content: Path) -> None:
    ctx = make(sample_content / "t")
    pdf = ctx.out_dir / "t.pdf"
    found = [{"rule": "ORD-001", "severity": "warning", "page": 3, "message": "out of order"}]
    report = {"results": [{"path": str(pdf), "error": None, "findings": found}]}
    assert [(f.rule, f.path, f.message) for f in outputs.outloud_findings(ctx, report, pdf, set())] == [
        ("OUT-OUTLOUD-WARNING", pdf, "outloud ORD-001 (page 3): out of order")
    ]
    report = {"results": [{"path": str(pdf), "error": None, "findings": []}]}
    assert list(outputs.outloud_findings(ctx, report, pdf, set())) == []
    assert [f.rule for f in outputs.outloud_findings(ctx, "it crashed", pdf, set())] == ["OUT-OUTLOUD-ERROR"]


def test_missing_validators_are_reported(sample_pdfs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "page", None)
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    found = [f for f in outputs.check(sample_context(sample_pdfs)) if f.rule == "OUT-TOOL-MISSING"]
    assert len(found) == 2  # once per tool, not once per PDF


def test_not_built_and_stale(sample_pdfs: Path, tmp_path: Path) -> None:
    ctx = sample_context(tmp_path)
    assert output_rules(ctx).count("OUT-NOT-BUILT") == len(ctx.booklet.variants())
    pdf = tmp_path / "old.pdf"
    shutil.copy(sample_pdfs / "sample-booklet" / "sample-booklet-standard.pdf", pdf)
    assert list(outputs._stale(ctx, pdf, VARIANTS["standard"])) == []
    os.utime(pdf, (0, 0))
    [stale] = outputs._stale(ctx, pdf, VARIANTS["standard"])
    assert stale.rule == "OUT-STALE"
    assert stale.message.count("booklet.md") == 1  # each file named once, not 'booklet.md, booklet.md'
    assert "publisher.yml" in stale.message


# The whole run: loading, building, silencing, the report and the command line.


def test_first_booklet_has_no_errors(built: dict[str, Path]) -> None:
    """The first booklet, checked on the day it was published, with its built PDFs."""
    out = built["secondary-liver-cancer/standard"].parent.parent
    booklet = load_booklet(CONTENT, "secondary-liver-cancer")
    report = run_checks(Project.load(CONTENT, ["secondary-liver-cancer"]), out, today=booklet.meta.published)
    assert [f for f in report.findings if f.severity == "error"] == []
    assert not report.failed()
    assert {s.chapter for s in report.scores} >= {"Secondary liver cancer", "Drug treatments", ""}
    assert report.summary()[0].words > 2000


def test_load_error_then_others_checked(
    sample_content: Path, write_booklet: Callable[[str, str], Path]
) -> None:
    """Loading problems are reported under their own rules, and every other check still runs."""
    write_booklet("broken", GOOD_FRONT.replace("TST-99", "TST-98") + "# A\n\nSee [@missing].\n")
    write_booklet("nofront", GOOD_FRONT.replace("TST-99", "TST-97").replace("published: 2026-01-01\n", ""))
    write_booklet("Bad_Slug", GOOD_FRONT.replace("TST-99", "TST-96") + "# A\n\nB.\n")
    write_booklet("unreadable", "# no front matter\n")
    shutil.copytree(sample_content / "sample-booklet", sample_content / "copy")
    report = run_checks(Project.load(sample_content), sample_content.parent / "out", today=TODAY)
    by_rule = {(f.booklet, f.rule): f for f in report.findings}
    cited = by_rule[("broken", "REF-CITATION-UNRESOLVED")]
    assert (cited.line, cited.severity) == (12, "error")
    assert "citation '@missing' has no reference" in cited.message
    assert cited.fix
    assert ("broken", "TEXT-FLESCH") in by_rule or ("broken", "REF-UNCITED") in by_rule  # others ran
    assert ("nofront", "META-FIELD") in by_rule
    assert ("nofront", "SRC-EMPTY") in by_rule
    assert ("Bad_Slug", "META-SLUG") in by_rule
    assert ("unreadable", "LOAD-ERROR") in by_rule
    assert {("copy", "META-CODE-DUPLICATE"), ("sample-booklet", "META-CODE-DUPLICATE")} <= set(by_rule)
    assert ("sample-booklet", "REF-UNCITED") not in by_rule  # the sample's other checks ran and passed
    assert "sample-booklet" in {s.booklet for s in report.scores}
    assert report.failed()
    assert not any("cannot be built" in f.message for f in report.findings)


def test_easy_read_lint_reported_by_rule(sample_content: Path) -> None:
    """Check names each easy-read rule, at its own severity; the booklet's other checks still run."""
    easy = sample_content / "sample-booklet" / "easy-read.md"
    easy.write_text(
        easy.read_text(encoding="utf-8")
        + "\n# More\n\n![A nurse](icon:nurse) You see three nurses at the CT unit. Ask a dermatologist. "
        + "A **scan** helps. It is quick.\n\nNo picture here.\n"
        + f"\n![A nurse](icon:nurse) {words(16)}\n"
        + "\n![A warning sign](icon:alert) Take care.\n\n![A nurse](icon:nurse) Eat fruit.\n",
        encoding="utf-8",
    )
    report = run_checks(Project.load(sample_content), sample_content.parent / "out", today=TODAY)
    found = {(f.rule, f.severity) for f in report.findings if f.path == easy and f.rule.startswith("ER-")}
    wanted = {(r.id, r.severity) for r in easyread.RULES if r.id != "ER-SENTENCE-TOO-LONG"}
    assert found == wanted
    line = easy.read_text(encoding="utf-8").splitlines().index(f"![A nurse](icon:nurse) {words(16)}") + 1
    assert ("ER-SENTENCE-LONG", line) in {(f.rule, f.line) for f in report.findings}
    assert any(s.path.name == "booklet.md" for s in report.scores)  # standard checks ran too


def test_build_failures_become_findings(sample_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problem = Problem(
        sample_content / "sample-booklet" / "booklet.md",
        "something broke",
        rule="RENDER-FAILED",
        booklet="sample-booklet",
    )
    failing = mock.Mock(side_effect=BuildError([problem]))
    monkeypatch.setattr("booklet.build.build", failing)
    report = run_checks(Project.load(sample_content), sample_content.parent / "out", build=True, today=TODAY)
    assert [f for f in report.findings if f.rule == "RENDER-FAILED"] == [problem]
    assert failing.call_args.args[:3] == (sample_content, sample_content.parent / "out", ["sample-booklet"])
    monkeypatch.setattr("booklet.build.build", mock.Mock(return_value=[]))
    report = run_checks(Project.load(sample_content), sample_content.parent / "out", build=True, today=TODAY)
    assert "RENDER-FAILED" not in {f.rule for f in report.findings}


def test_missing_variant_source_is_a_problem(
    sample_content: Path, write_booklet: Callable[[str, str], Path]
) -> None:
    from booklet.build import plan
    from booklet.source.project import Project

    write_booklet("plain", GOOD_FRONT.replace("TST-99", "TST-95") + "# A\n\nB [@one].\n")
    todo = plan(Project.load(sample_content, ["plain"]), [VARIANTS["easy-read"]])
    assert [(p.rule, p.severity, p.stops) for p in todo.problems] == [("VARIANT-NO-SOURCE", "advice", False)]


def test_unknown_slug(sample_content: Path) -> None:
    with pytest.raises(ConfigError, match="no booklet called nope"):
        Project.load(sample_content, ["nope"])


def test_silencing(sample_content: Path, write_booklet: Callable[[str, str], Path]) -> None:
    long = words(27)
    body = (
        f"# A\n\n<!-- booklet: ignore STD-SENTENCE-LONG a quoted guideline -->\n{long}\n\n{long}\n\n"
        f"Short [@one]. <!-- booklet: ignore STD-SENTENCE-LONG nothing here -->\n\n"
        "Fine. <!-- booklet: ignore NO-SUCH-RULE typo -->\n"
    )
    ignore = (
        "ignore:\n  - rule: TEXT-PASSIVE\n    reason: house style\n  - rule: REF-UNCITED\n    reason: none\n"
    )
    write_booklet("t", front(ignore, next_review="2026-12-01") + body)
    report = run_checks(Project.load(sample_content, ["t"]), sample_content.parent / "out", today=TODAY)
    found = [(f.rule, f.line) for f in report.findings if not f.rule.startswith(("OUT-", "TEXT-", "META-"))]
    first = front(ignore).count("\n") + 1
    assert ("STD-SENTENCE-LONG", first + 5) in found  # the second long sentence is not silenced
    assert ("CHECK-IGNORE-UNUSED", first + 7) in found
    assert ("CHECK-IGNORE-UNKNOWN", first + 9) in found
    assert ("CHECK-IGNORE-UNUSED", front(ignore).splitlines().index("  - rule: REF-UNCITED") + 1) in found
    assert {(s.problem.rule, s.reason) for s in report.silenced} == {
        ("STD-SENTENCE-LONG", "a quoted guideline")
    }
    assert report.summary()[0].silenced == 1


def test_targets_from_publisher(sample_content: Path) -> None:
    publisher = sample_content / "publisher.yml"
    publisher.write_text(
        publisher.read_text()
        + "checks:\n  flesch_min: 99.5\n  sentence_words_standard: 10\n  smog_max: null\n"
    )
    _, goals = load_publisher(sample_content)
    assert (goals.flesch_min, goals.sentence_words_standard, goals.smog_max) == (99.5, 10, None)
    report = run_checks(Project.load(sample_content), sample_content.parent / "out", today=TODAY)
    assert {"TEXT-FLESCH", "STD-SENTENCE-LONG"} <= {f.rule for f in report.findings}
    publisher.write_text(publisher.read_text() + "  flesh_min: 3\n")
    with pytest.raises(ContentError, match="'checks' unknown key 'flesh_min'") as info:
        load_publisher(sample_content)
    assert info.value.problems[0].line == publisher.read_text().splitlines().index("  flesh_min: 3") + 1


def a_report() -> Report:
    finding = Finding(Path("b/booklet.md"), "too long", 3, "split it", "STD-SENTENCE-LONG", "warning", "b")
    return Report(
        ["b"], [finding, dataclasses.replace(finding, line=None, rule="OUT-PDFUA", severity="error")]
    )


def test_text_and_json_formats() -> None:
    report = a_report()
    text = format_text(report)
    assert "b/booklet.md:3: warning STD-SENTENCE-LONG: too long" in text
    assert re.search(r"^b +1 +1 +0 +0 +- +-$", text, re.M), text  # the summary table
    assert text.endswith("FAILED: 1 error(s), 1 warning(s), 0 advice, 0 silenced")
    data = json.loads(format_json(report))
    assert data["findings"][1] == {
        "booklet": "b",
        "file": "b/booklet.md",
        "line": 3,
        "rule": "STD-SENTENCE-LONG",
        "severity": "warning",
        "message": "too long",
        "fix": "split it",
    }
    assert data["counts"] == {"error": 1, "warning": 1, "advice": 0, "silenced": 0}


@pytest.mark.parametrize(
    ("findings", "args", "status"),
    [
        ([], [], 0),
        (["warning"], [], 0),
        (["warning"], ["--strict"], 1),
        (["error"], [], 1),
        (["advice"], ["--strict"], 0),
    ],
)
def test_cli_exit_status(runner: CliRunner, findings: list[str], args: list[str], status: int) -> None:
    report = Report(["b"], [Finding(Path("b.md"), "m", 1, "", "TEXT-FLESCH", s, "b") for s in findings])  # type: ignore[arg-type]
    project = mock.sentinel.project  # the command loads the folder once and hands the library the project
    with (
        mock.patch("booklet.checks.run_checks", autospec=True, return_value=report) as run,
        mock.patch.object(Project, "load", return_value=project) as load,
    ):
        result = runner.invoke(main, ["check", "b", "--content", "c", "--out", "o", "--build", *args])
    assert result.exit_code == status, result.output
    load.assert_called_once_with(Path("c"), ("b",))
    run.assert_called_once_with(project, Path("o"), build=True)


def test_cli_json(runner: CliRunner) -> None:
    with mock.patch("booklet.checks.run_checks", autospec=True, return_value=a_report()):
        result = runner.invoke(main, ["check", "--report", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["counts"]["error"] == 1


def test_cli_errors_and_choices(runner: CliRunner, sample_content: Path) -> None:
    result = runner.invoke(main, ["check", "nope", "--content", str(sample_content)])
    assert result.exit_code == 1
    assert "no booklet called nope" in result.output
    result = runner.invoke(main, ["check", "--report", "xml"])
    assert result.exit_code == 2
    assert "Invalid value for '--report'" in result.output


def test_docs_describe_every_rule() -> None:
    """docs/checks.md has a row for every rule id, with the same severity, and no others."""
    docs = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([A-Z0-9-]+)` \| (error|warning|advice) \|", docs, re.M))
    assert rows == {rule.id: rule.severity for rule in RULES.values()}
