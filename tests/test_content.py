"""The content loader: every kind of bad input gives a clear error naming the file and line."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from booklet.errors import ContentError
from booklet.source import content
from booklet.source.project import load_booklet

from .conftest import GOOD_FRONT


def load(folder: Path) -> object:
    return load_booklet(folder.parent, folder.name)


def problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load(path.parent)
    return [str(p) for p in info.value.problems]


def test_good_booklet_loads(write_booklet: Callable[[str, str], Path]) -> None:
    path = write_booklet("good", GOOD_FRONT + "# Chapter\n\nText [@one].\n")
    booklet = load(path.parent)
    assert booklet.meta.title == "A test booklet"  # type: ignore[attr-defined]
    assert booklet.source.body_line == 10  # type: ignore[attr-defined]


BAD = [
    ("empty", "", "is empty", None),
    ("no front matter", "# Title\n\nText\n", "has no front matter", 1),
    ("unclosed", "---\ntitle: x\n# Title\n", "front matter is not closed", 1),
    (
        "yaml syntax",
        GOOD_FRONT.replace("title: A test booklet", "title: [unclosed"),
        "YAML syntax error",
        None,
    ),
    ("invalid date", GOOD_FRONT.replace("2026-01-01", "2026-13-01"), "'published'", 4),
    ("impossible date", GOOD_FRONT.replace("2026-01-01", "2026-02-30"), "'published'", 4),
    ("not iso date", GOOD_FRONT.replace("2026-01-01", "1 Jan 2026"), "YYYY-MM-DD", 4),
    (
        "review before published",
        GOOD_FRONT.replace("2027-01-01", "2025-01-01"),
        "'next_review' must be after 'published'",
        5,
    ),
    ("missing title", GOOD_FRONT.replace("title: A test booklet\n", ""), "required key 'title'", None),
    (
        "unknown key",
        GOOD_FRONT.replace("code:", "colour: blue\ncode:"),
        "unknown key 'colour'",
        3,
    ),
    ("wrong type", GOOD_FRONT.replace("title: A test booklet", "title: [a, b]"), "'title'", 2),
    ("bad code", GOOD_FRONT.replace("TST-99", "tst 99"), "'code'", 3),
    (
        "references not a list",
        GOOD_FRONT.split("references:")[0] + "references: none\n---\n",
        "'references'",
        6,
    ),
    ("edition zero", GOOD_FRONT.replace("code:", "edition: 0\ncode:"), "'edition'", 3),
    (
        "duplicate ref",
        GOOD_FRONT.replace("text: A reference.", "text: A reference.\n  - id: one\n    text: B."),
        "id 'one' is used twice",
        9,
    ),
    ("bad doi", GOOD_FRONT.replace("text: A reference.", "text: A reference.\n    doi: not-a-doi"), "DOI", 9),
    ("no body", GOOD_FRONT, "has front matter but no text", 10),
    (
        "retired reviewed_by",
        GOOD_FRONT.replace("code:", "reviewed_by:\n  - A nurse\ncode:"),
        "'reviewed_by' is no longer used: record each review under 'reviews:'",
        4,  # where its list begins
    ),
    ("unknown status", GOOD_FRONT.replace("code:", "status: final\ncode:"), "should be one of: draft", 3),
    (
        "approved without reviews",
        GOOD_FRONT.replace("code:", "status: approved\ncode:"),
        "is 'approved', but there is no approved clinical and no approved lay review",
        3,
    ),
    (
        "approved by a review made after publication",
        GOOD_FRONT.replace(
            "code:",
            "status: approved\nreviews:\n"
            "  - {kind: clinical, role: Nurse, date: 2025-12-01, outcome: approved}\n"
            "  - {kind: lay, role: Reader, date: 2026-01-02, outcome: approved}\ncode:",
        ),
        "no approved lay review dated on or before the published date (2026-01-01)",
        3,
    ),
    (
        "approved by a review that asked for changes",
        GOOD_FRONT.replace(
            "code:",
            "status: approved\nreviews:\n"
            "  - {kind: clinical, role: Nurse, date: 2025-12-01, outcome: changes-requested}\n"
            "  - {kind: lay, role: Reader, date: 2025-12-01, outcome: approved}\ncode:",
        ),
        "no approved clinical review",
        3,
    ),
    (
        "review of an unknown kind",
        GOOD_FRONT.replace(
            "code:",
            "reviews:\n  - kind: medical\n    role: Nurse\n    date: 2025-12-01\n"
            "    outcome: approved\ncode:",
        ),
        "'reviews' item 1: 'kind' 'medical' should be one of: clinical, lay, editorial",
        4,
    ),
    (
        "review without a date",
        GOOD_FRONT.replace(
            "code:", "reviews:\n  - kind: lay\n    role: Reader\n    outcome: approved\ncode:"
        ),
        "required key 'date' is missing",
        None,
    ),
]


@pytest.mark.parametrize(("text", "message", "line"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_front_matter(
    write_booklet: Callable[[str, str], Path], text: str, message: str, line: int | None
) -> None:
    body = "" if message.startswith(("has front matter", "is empty", "front matter is not")) else "# A\n\nB\n"
    path = write_booklet("bad", text + body)
    found = problems(path)
    assert any(message in p for p in found), found
    assert all(str(path) in p for p in found)
    if line is not None:
        assert any(f"{path}:{line}:" in p for p in found), found


def test_only_approved_reviews_of_this_edition_are_approvals(
    write_booklet: Callable[[str, str], Path],
) -> None:
    reviews = (
        "edition: 2\nstatus: approved\nreviews:\n"
        "  - {kind: clinical, role: Oncologist, name: Dr Example, date: 2025-11-01, outcome: approved}\n"
        "  - {kind: lay, role: Reader, date: 2025-11-02, outcome: approved}\n"
        "  - {kind: lay, role: Carer, date: 2025-11-03, outcome: changes-requested}\n"
        "  - {kind: editorial, role: Editor, date: 2024-01-01, outcome: approved, edition: 1}\n"
    )
    path = write_booklet("good", GOOD_FRONT.replace("code:", reviews + "code:") + "# A\n\nText [@one].\n")
    meta = load(path.parent).meta  # type: ignore[attr-defined]
    assert not meta.draft
    assert [(r.role, r.name, r.day.isoformat()) for r in meta.approvals] == [
        ("Oncologist", "Dr Example", "2025-11-01"),
        ("Reader", "", "2025-11-02"),
    ]


def test_a_booklet_is_a_draft_unless_approved(write_booklet: Callable[[str, str], Path]) -> None:
    path = write_booklet("good", GOOD_FRONT + "# A\n\nText [@one].\n")
    meta = load(path.parent).meta  # type: ignore[attr-defined]
    assert (meta.status, meta.draft, meta.approvals) == ("draft", True, ())


def test_every_problem_is_reported_at_once(write_booklet: Callable[[str, str], Path]) -> None:
    text = GOOD_FRONT.replace("title: A test booklet\n", "").replace("TST-99", "bad code")
    path = write_booklet("bad", text.replace("code:", "extra: 1\ncode:") + "# A\n")
    found = problems(path)
    assert len(found) == 3, found


def test_yaml_does_not_guess_types(write_booklet: Callable[[str, str], Path]) -> None:
    """'no' stays a word and 0123 stays '0123' (YAML 1.1 would give False and 83)."""
    text = GOOD_FRONT.replace("title: A test booklet", "title: no").replace(
        "code: TST-99", "code: TST-99\nedition: 0123"
    )
    path = write_booklet("typed", text + "# A\n\nB\n")
    booklet = load(path.parent)
    assert booklet.meta.title == "no"  # type: ignore[attr-defined]
    assert booklet.meta.edition == "0123"  # type: ignore[attr-defined]


def test_invalid_utf8(write_booklet: Callable[[str, str], Path]) -> None:
    path = write_booklet("latin", "")
    path.write_bytes(GOOD_FRONT.encode() + b"# Caf\xe9\n")
    found = problems(path)
    assert any("not valid UTF-8" in p and f"{path}:10:" in p for p in found), found


BODY_PROBLEMS = [
    ("unknown citation", "Text [@two].", "citation '@two' has no reference", 12),
    ("bad citation", "Text [@].", "is not written right", 12),
    ("missing image", "![A liver](images/none.svg)", "does not exist", 12),
    ("image escapes", "![A file](../../etc/passwd.png)", "outside the booklet's folder", 12),
    ("remote image", "![A logo](https://example.org/x.png)", "outside the booklet's folder", 12),
    ("no alt", "![](images/x.svg)", "has no alt text", 12),
    ("file name alt", "![x.svg](images/x.svg)", "says nothing", 12),
    ("raw html", "<script>alert(1)</script>", "raw HTML", 12),
    ("html comment", "<!-- a note to myself -->", "delete the comment", 12),
    ("skipped heading", "### Deep", "skips a level", 12),
]


@pytest.mark.parametrize(
    ("body", "message", "line"), [b[1:] for b in BODY_PROBLEMS], ids=[b[0] for b in BODY_PROBLEMS]
)
def test_bad_body(write_booklet: Callable[[str, str], Path], body: str, message: str, line: int) -> None:
    path = write_booklet("body", GOOD_FRONT + "# A\n\n" + body + "\n")
    (path.parent / "images").mkdir()
    (path.parent / "images" / "x.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    found = problems(path)
    assert any(message in p and f"{path}:{line}:" in p for p in found), found


def test_duplicate_codes_are_reported_for_every_booklet_involved(sample_content: Path) -> None:
    from booklet.build import plan
    from booklet.source.project import Project

    shutil.copytree(sample_content / "sample-booklet", sample_content / "copy")
    result = plan(Project.load(sample_content))
    duplicates = [p for p in result.problems if p.rule == "META-CODE-DUPLICATE"]
    assert {p.booklet for p in duplicates} == {"sample-booklet", "copy"}
    by_slug = {p.booklet: p for p in duplicates}
    assert str(sample_content / "copy") in by_slug["sample-booklet"].message
    assert str(sample_content / "sample-booklet") in by_slug["copy"].message
    lines = (sample_content / "copy" / "booklet.md").read_text(encoding="utf-8").split("\n")
    assert lines[by_slug["copy"].line - 1].startswith("code:")  # type: ignore[operator]
    assert by_slug["copy"].fix
    assert result.jobs == []  # neither can be ordered or printed under a shared code


def test_what_people_write_is_accepted(
    write_booklet: Callable[[str, str], Path], sample_content: Path
) -> None:
    """`edition: 3`, no glossary, no references and a one-line address are valid."""
    front = GOOD_FRONT.replace("code:", "edition: 3\ncode:").split("references:")[0] + "---\n"
    path = write_booklet("plain", front + "# A\n\nPlain words.\n")
    (sample_content / "publisher.yml").write_text(
        "name: Example Health Information\nhelpline: '0808 000 0000'\nwebsite: https://www.example.org\n"
        "address: 1 Example Street, Exampletown EX1 2AB\n",
        encoding="utf-8",
    )
    booklet = load(path.parent)
    assert booklet.meta.edition == "3rd edition"  # type: ignore[attr-defined]
    assert booklet.meta.glossary == ()  # type: ignore[attr-defined]
    assert booklet.publisher.address == ("1 Example Street, Exampletown EX1 2AB",)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("number", "printed"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (22, "22nd")]
)
def test_edition_numbers_print_as_ordinals(number: int, printed: str) -> None:
    from booklet.source.schema import edition

    assert edition(number) == f"{printed} edition"


def test_reference_style_picture_is_checked_with_its_line(write_booklet: Callable[[str, str], Path]) -> None:
    path = write_booklet("refpic", GOOD_FRONT + "# A\n\nText.\n\n![A liver][pic]\n\n[pic]: images/none.svg\n")
    found = problems(path)
    assert any("does not exist" in p and f"{path}:14:" in p for p in found), found


def test_same_alt_text_rule_for_build_and_check(write_booklet: Callable[[str, str], Path]) -> None:
    """One rule for alt text: what check refuses, the build refuses too."""
    path = write_booklet("alt", GOOD_FRONT + "# A\n\n![A picture](images/x.svg)\n")
    (path.parent / "images").mkdir()
    (path.parent / "images" / "x.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert any("says nothing" in p for p in problems(path))


def test_publisher_errors(sample_content: Path) -> None:
    (sample_content / "publisher.yml").write_text("name: X\nwebsite: not a url\n")
    with pytest.raises(ContentError) as info:
        content.load_publisher(sample_content)
    text = str(info.value)
    assert "publisher.yml" in text
    assert "helpline" in text
    assert "website" in text
