"""booklet new: a commented booklet that builds at once as a draft, and refuses what it must."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.checks import run_checks
from booklet.cli import main
from booklet.errors import ConfigError
from booklet.source import scaffold, scaffold_publisher, schema
from booklet.source.content import load_publisher
from booklet.source.project import Project
from booklet.source.publisher import PUBLISHER_FIELDS, SUPPLY

TODAY = date(2026, 12, 7)


def _new(runner: CliRunner, content: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, ["new", *args, "--content", str(content)])
    return result.exit_code, result.output


def test_every_schema_key_has_an_explanation() -> None:
    """A key the loader reads and the scaffold does not explain fails here: the list cannot drift."""
    read = {f.name for f in schema.BOOKLET_FIELDS} - set(scaffold.RETIRED)
    assert read <= set(scaffold.KEYS)
    assert set(scaffold.KEYS) - read <= set(scaffold.OPTIONAL_ONLY)
    assert set(scaffold.front_keys()) == set(scaffold.KEYS)


def test_each_key_is_written_under_its_one_line_explanation() -> None:
    text = scaffold.booklet_text("having-a-colonoscopy", "HAC-01", TODAY)
    lines = text.splitlines()
    for name, key in scaffold.KEYS.items():
        at = next(i for i, line in enumerate(lines) if re.match(rf"(# )?{name}:", line))
        assert lines[at - 1] == f"# {key.explain}", name
        assert lines[at].startswith("# ") == key.commented, name
    assert "title: Having a colonoscopy" in lines
    assert "next_review: 2029-12-07" in lines


def test_the_body_shows_each_construct() -> None:
    body = scaffold.booklet_text("a-b", "AB-01", TODAY).split("\n---\n", 1)[1]
    assert re.search(r"^\| When \| What to do \|\n\|---\|---\|$", body, re.M)  # a table
    assert re.search(r"^> \[!IMPORTANT\]\n> \w", body, re.M)  # a callout box, its marker alone on its line
    assert "[@nhs-example]" in body  # a citation of the reference in the front matter
    assert "**biopsy**" in body  # the glossary's word
    assert "](images/example.svg" in body  # a picture
    assert "{publisher.helpline}" in body
    assert body.count("To be supplied by the writer:") == 2


@pytest.mark.parametrize("source", ["booklet.md", "easy-read.md"])
def test_the_questions_line_shows_its_three_forms_and_each_loads(
    runner: CliRunner, sample_content: Path, source: str
) -> None:
    assert _new(runner, sample_content, "having-a-colonoscopy", "--easy-read")[0] == 0
    path = sample_content / "having-a-colonoscopy" / source
    text = path.read_text(encoding="utf-8")
    listed = "# questions:\n#   - How long will the test take?\n#   - When will I get the results?\n"
    assert listed in text
    assert "\n# questions: []\n" in text
    assert "\n# questions: false\n" in text
    forms = {
        "own": listed.replace("# ", ""),
        "none suggested": "questions: []\n",
        "no page": "questions: false\n",
    }
    found = {}
    for name, uncommented in forms.items():
        chosen = text.replace(listed, uncommented if name == "own" else "")
        if name != "own":
            chosen = chosen.replace(f"# {uncommented}", uncommented)
        path.write_text(chosen, encoding="utf-8")
        entry = Project.load(sample_content, ["having-a-colonoscopy"]).entry("having-a-colonoscopy")
        assert entry.booklet is not None, entry.problems
        assert not [p for p in entry.problems if p.stops], name
        questions = (
            entry.booklet.meta.questions if source == "booklet.md" else entry.booklet.easy_read_questions
        )
        found[name] = (questions.page, questions.own)
    assert found == {
        "own": (True, ("How long will the test take?", "When will I get the results?")),
        "none suggested": (True, ()),
        "no page": (False, None),
    }


def test_a_new_booklet_loads_with_no_error_and_check_finds_none(
    runner: CliRunner, sample_content: Path, tmp_path: Path
) -> None:
    code, output = _new(runner, sample_content, "having-a-colonoscopy", "--easy-read", "--translation", "pl")
    assert code == 0, output
    folder = sample_content / "having-a-colonoscopy"
    for name in ("booklet.md", "easy-read.md", "images/example.svg", "translations/pl/booklet.md"):
        assert f"Wrote {folder / name}" in output
    assert "Next: open" in output
    project = Project.load(sample_content, ["having-a-colonoscopy"])
    entry = project.entry("having-a-colonoscopy")
    assert entry.booklet is not None
    assert [v.name for v in entry.variants()] == ["standard", "large-print", "easy-read"]
    assert not [p for p in entry.problems if p.stops]
    assert [t.lang for t in entry.translations] == ["pl"]
    assert not [p for t in entry.translations for p in t.problems if p.stops]
    report = run_checks(project, tmp_path / "out")
    assert not [f for f in report.findings if f.severity == "error"], report.findings
    assert entry.booklet.meta.status == "draft"
    assert entry.booklet.meta.code == "HAC-01"


def test_the_order_code_is_one_no_booklet_has(runner: CliRunner, sample_content: Path) -> None:
    assert _new(runner, sample_content, "having-a-colonoscopy")[0] == 0
    assert _new(runner, sample_content, "hip-and-check")[0] == 0
    assert "code: HAC-02" in (sample_content / "hip-and-check" / "booklet.md").read_text()


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Having_A_Test", "'Having_A_Test' is not a booklet slug: use lower-case letters"),
        ("sample-booklet", "already exists: choose another slug, or add to it with --easy-read"),
    ],
)
def test_refuses_a_bad_or_existing_slug(
    runner: CliRunner, sample_content: Path, slug: str, message: str
) -> None:
    before = sorted(sample_content.rglob("*"))
    code, output = _new(runner, sample_content, slug)
    assert code == 1
    assert message in output
    assert "Traceback" not in output
    assert sorted(sample_content.rglob("*")) == before


def test_adds_a_translation_to_a_booklet_that_exists(runner: CliRunner, sample_content: Path) -> None:
    code, output = _new(runner, sample_content, "sample-booklet", "--translation", "cy")
    assert code == 0, output
    text = (sample_content / "sample-booklet" / "translations" / "cy" / "booklet.md").read_text()
    english = (sample_content / "sample-booklet" / "booklet.md").read_text()
    assert text.split("\n---\n", 1)[1] == english.split("\n---\n", 1)[1]  # the text to translate
    entry = Project.load(sample_content, ["sample-booklet"]).entry("sample-booklet")
    assert [t.lang for t in entry.translations] == ["cy"]
    assert not [p for t in entry.translations for p in t.problems if p.stops]
    code, output = _new(runner, sample_content, "sample-booklet", "--translation", "cy")
    assert code == 1
    assert "already exists: nothing was written" in output


def test_a_new_translation_says_how_to_make_it_a_summary(runner: CliRunner, sample_content: Path) -> None:
    """The scaffold shows 'translation: summary' commented out; uncommented, a shorter text loads."""
    assert _new(runner, sample_content, "having-a-colonoscopy", "--translation", "pl")[0] == 0
    path = sample_content / "having-a-colonoscopy" / "translations" / "pl" / "booklet.md"
    front, _ = path.read_text(encoding="utf-8").removeprefix("---\n").split("\n---\n", 1)
    assert "\n# translation: summary" in f"\n{front}"
    short = "# Kolonoskopia\n\nKr\u00f3tkie streszczenie [@nhs-example].\n"
    path.write_text(f"---\n{front.replace('# translation: summary', 'translation: summary')}\n---\n{short}")
    entry = next(e for e in Project.load(sample_content, ["having-a-colonoscopy"]).every() if e.lang == "pl")
    assert not [p for p in entry.problems if p.stops]
    assert entry.booklet is not None
    assert entry.booklet.meta.translation is not None
    assert entry.booklet.meta.translation.kind == "summary"


def test_refuses_a_language_it_cannot_print(runner: CliRunner, sample_content: Path) -> None:
    code, output = _new(runner, sample_content, "a-test", "--translation", "xx")
    assert code == 2
    assert "'xx' is not one of 'cy', 'pl'" in output
    assert not (sample_content / "a-test").exists()
    with pytest.raises(
        ConfigError, match="--translation xx: not a language booklet can print; use one of cy, pl"
    ):
        scaffold.write(sample_content, "a-test", False, ("xx",), TODAY)
    assert not (sample_content / "a-test").exists()


@pytest.mark.slow
def test_a_new_booklet_builds_and_checks_at_once(
    runner: CliRunner, sample_content: Path, tmp_path: Path
) -> None:
    assert _new(runner, sample_content, "having-a-colonoscopy", "--easy-read")[0] == 0
    out = str(tmp_path / "out")
    args = ["having-a-colonoscopy", "--content", str(sample_content), "--out", out]
    result = runner.invoke(main, ["build", *args, "-j", "1"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "having-a-colonoscopy"
    for variant in ("standard", "large-print", "easy-read"):
        assert (folder / f"having-a-colonoscopy-{variant}.pdf").is_file()
    page = (folder / "having-a-colonoscopy-standard.html").read_text(encoding="utf-8")
    assert re.search(r'<aside[^>]*role="note"[^>]*>.*?Important', page, re.S)  # the sample callout box
    result = runner.invoke(main, ["check", *args])
    assert result.exit_code == 0, result.output
    assert re.search(r"having-a-colonoscopy\s+0\s", result.output)  # no error in the summary row


# ---- A folder with no publisher.yml (a charity that installed booklet with pip) ------------


def test_every_publisher_key_has_an_explanation() -> None:
    """A publisher key the loader reads and the scaffold does not explain fails here."""
    assert [f.name for f in PUBLISHER_FIELDS] == list(scaffold_publisher.KEYS)
    text = scaffold_publisher.publisher_text()
    lines = text.splitlines()
    for name, key in scaffold_publisher.KEYS.items():
        at = next(i for i, line in enumerate(lines) if re.match(rf"(# )?{name}:", line))
        assert lines[at - 1] == f"# {key.explain}", name
        assert lines[at].startswith("# ") == key.commented, name


def test_new_in_an_empty_folder_writes_a_publisher_that_loads_and_builds(
    runner: CliRunner, tmp_path: Path
) -> None:
    content = tmp_path / "content"  # not there yet
    code, output = _new(runner, content, "caring-for-your-wound")
    assert code == 0, output
    assert f"Wrote {content / 'publisher.yml'}" in output
    assert "Next: fill in" in output
    publisher, _ = load_publisher(content)
    assert publisher.name.startswith(SUPPLY)
    out = str(tmp_path / "out")
    result = runner.invoke(main, ["build", "--content", str(content), "--out", out, "--format", "html"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "caring-for-your-wound" / "caring-for-your-wound-standard.html").read_text()
    assert "To be supplied by the publisher: your helpline number" in page  # a draft shows what is missing
    again = (content / "publisher.yml").read_bytes()
    assert _new(runner, content, "a-second-booklet")[0] == 0
    assert (content / "publisher.yml").read_bytes() == again  # written once, never over the publisher's


def test_an_approved_booklet_is_refused_while_a_publisher_detail_is_to_be_supplied(
    runner: CliRunner, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    assert _new(runner, content, "caring-for-your-wound")[0] == 0
    source = content / "caring-for-your-wound" / "booklet.md"
    text = source.read_text().replace("status: draft", "status: in-review")
    source.write_text(text)
    draft = Project.load(content).entry("caring-for-your-wound")
    assert not [p for p in draft.problems if p.path.name == "publisher.yml"]
    reviews = "".join(
        f"\n  - kind: {kind}\n    role: A reviewer\n    date: {TODAY.isoformat()}\n    outcome: approved"
        for kind in ("clinical", "lay")
    )
    approved = re.sub(r"^published: .*$", f"published: {TODAY.isoformat()}", text, flags=re.M)
    source.write_text(approved.replace("status: in-review", "status: approved\nreviews:" + reviews))
    entry = Project.load(content).entry("caring-for-your-wound")
    found = sorted((p.line, p.rule) for p in entry.problems if p.path.name == "publisher.yml" and p.stops)
    yml = (content / "publisher.yml").read_text().splitlines()
    lines = {
        key: 1 + next(i for i, line in enumerate(yml) if line.startswith(f"{key}:"))
        for key in ("name", "helpline", "helpline_hours", "address")
    }
    assert found == sorted((line, "SRC-TO-BE-SUPPLIED") for line in lines.values())
    finished = (content / "publisher.yml").read_text()
    for key, value in {
        "name": "Ashgrove Hospitals Trust",
        "helpline": "0113 496 0735",
        "helpline_hours": "Every day, 8am to 8pm",
    }.items():
        finished = re.sub(rf'^{key}: ".*"$', f'{key}: "{value}"', finished, flags=re.M)
    finished = finished.replace(
        '  - "To be supplied by the publisher: your postal address"', "  - Ashgrove Road"
    )
    (content / "publisher.yml").write_text(finished)
    entry = Project.load(content).entry("caring-for-your-wound")
    assert not [p for p in entry.problems if p.path.name == "publisher.yml"]
