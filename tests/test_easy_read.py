"""Easy read: its own source, a picture beside every point, and the easy-read linter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.build import plan
from booklet.cli import main
from booklet.errors import ContentError
from booklet.source import easyread, tree
from booklet.source.content import load_publisher
from booklet.source.project import Project, load_booklet
from booklet.variants import VARIANTS

from . import pdfread
from .conftest import CONTENT, GOOD_FRONT, content_of, outputs

EASY = VARIANTS["easy-read"]
SLUGS = [key.split("/")[0] for key in outputs("easy-read")]


def rules(body: str, glossary: tuple[str, ...] = ()) -> list[str]:
    return [p.rule for p in easyread.lint(tree.parse(body, 1), Path("easy-read.md"), "b", glossary)]


GOOD = "# A\n\n![A doctor](icon:doctor) You see a doctor. The doctor checks you.\n"
LINT_CASES = [
    ("ER-SENTENCE-LONG", "# A\n\n![A doctor](icon:doctor) " + " ".join(["word"] * 16) + ".\n"),
    ("ER-SENTENCE-TOO-LONG", "# A\n\n![A doctor](icon:doctor) " + " ".join(["word"] * 21) + ".\n"),
    ("ER-NO-PICTURE", "# A\n\nYou see a doctor.\n"),
    ("ER-HARD-WORD-NOT-BOLD", "# A\n\n![A doctor](icon:doctor) You may have a biopsy.\n"),
    (
        "ER-HARD-WORD-NOT-EXPLAINED",
        "# A\n\n![A doctor](icon:doctor) You may have a **biopsy**. It is quick.\n"
        "\n# Hard words\n\n![A doctor](icon:doctor) **Biopsy**: a test.\n",
    ),
    (
        "ER-HARD-WORD-NOT-LISTED",
        "# A\n\n![A doctor](icon:doctor) You may have a **scan**. A scan is a picture.\n",
    ),
    ("ER-ACRONYM", "# A\n\n![A doctor](icon:doctor) You may see your GP.\n"),
    ("ER-NUMBER-WORD", "# A\n\n![A doctor](icon:doctor) You will have three tests.\n"),
]


@pytest.mark.parametrize(("rule", "body"), LINT_CASES, ids=[c[0] for c in LINT_CASES])
def test_linter_rule_fails_and_passes(rule: str, body: str) -> None:
    assert rule in rules(body, ("biopsy",))
    assert rule not in rules(GOOD, ("biopsy",))


def test_linter_passes_good_easy_read() -> None:
    body = (
        "# A\n\n![A doctor](icon:doctor) You may have a **biopsy**. A biopsy takes a tiny piece of you.\n\n"
        "![2 people](icon:people) No one will hurt you. You have 3 tests.\n\n"
        "# Hard words\n\n![A doctor](icon:doctor) **Biopsy**: a test.\n"
    )
    assert rules(body, ("biopsy",)) == []


def test_first_booklet_passes_the_linter() -> None:
    booklet = load_booklet(CONTENT, "secondary-liver-cancer")
    assert booklet.easy_read is not None
    body = booklet.easy_read
    assert easyread.lint(body.tree, body.path, "slc", [t for t, _ in booklet.meta.glossary]) == []


def test_lint_slips_stop_the_build_with_file_and_line(
    write_booklet: Callable[[str, str], Path], sample_content: Path
) -> None:
    path = write_booklet("er", GOOD_FRONT + "# A\n\nB\n")
    (path.parent / "easy-read.md").write_text("---\ntitle: T\n---\n\n# A\n\nNo picture here.\n")
    with pytest.raises(ContentError) as info:
        load_booklet(sample_content, "er")
    [problem] = info.value.problems
    assert (problem.path, problem.line, problem.rule) == (path.parent / "easy-read.md", 7, "ER-NO-PICTURE")
    assert problem.fix


def test_easy_read_written_by_another_hand_passes() -> None:
    """A hard word inside a bold phrase is bold; its explanation may start the next point."""
    body = (
        "# About\n\n![A doctor](icon:doctor) This booklet is about a test called a **liver biopsy**.\n\n"
        "![A liver](icon:liver) A liver biopsy means taking a tiny piece of your liver.\n\n"
        "![A scanner](icon:tac) A **scan** helps. A scan makes a picture.\n\n"
        "# Hard words\n\n![A liver](icon:liver) **Biopsy**: taking a tiny piece of the body to look at.\n\n"
        "![A scanner](icon:tac) **Scan**: a picture of the inside of your body.\n"
    )
    assert rules(body, ("biopsy",)) == []


@pytest.mark.slow
def test_an_easy_read_error_stops_only_easy_read(
    write_booklet: Callable[[str, str], Path], sample_content: Path, tmp_path: Path
) -> None:
    path = write_booklet("er", GOOD_FRONT + "# A\n\nB [@one].\n")
    (path.parent / "easy-read.md").write_text("---\ntitle: T\n---\n\n# A\n\nNo picture here.\n")
    todo = plan(Project.load(sample_content, ["er"]))
    assert sorted(v.name for _, v in todo.jobs) == ["large-print", "standard"]
    assert [p.rule for p in todo.problems if p.stops] == ["ER-NO-PICTURE"]
    result = CliRunner().invoke(
        main,
        [
            "build",
            "er",
            "--variant",
            "standard",
            "--variant",
            "easy-read",
            "--content",
            str(sample_content),
            "--out",
            str(tmp_path / "out"),
            "-j",
            "1",
        ],
    )
    assert result.exit_code == 1, result.output
    assert (tmp_path / "out" / "er" / "er-standard.pdf").is_file()
    assert not (tmp_path / "out" / "er" / "er-easy-read.pdf").exists()
    assert "easy-read.md:7" in result.output
    assert "Traceback" not in result.output


def test_missing_easy_read_title_gives_the_easy_read_hint(
    write_booklet: Callable[[str, str], Path], sample_content: Path
) -> None:
    path = write_booklet("er", GOOD_FRONT + "# A\n\nB\n")
    (path.parent / "easy-read.md").write_text(
        "---\nsubtitle: S\n---\n\n# A\n\n![A doctor](icon:doctor) Hi.\n"
    )
    with pytest.raises(ContentError) as info:
        load_booklet(sample_content, "er")
    assert "easy-read title" in info.value.problems[0].fix


def test_unknown_icon_names_the_closest(
    write_booklet: Callable[[str, str], Path], sample_content: Path
) -> None:
    path = write_booklet("er", GOOD_FRONT + "# A\n\nB\n")
    (path.parent / "easy-read.md").write_text(
        "---\ntitle: T\n---\n\n# A\n\n![A doctor](icon:docter) Hello.\n"
    )
    with pytest.raises(ContentError) as info:
        load_booklet(sample_content, "er")
    message = str(info.value)
    assert f"{path.parent / 'easy-read.md'}:7:" in message
    assert "no pictogram called 'docter'" in message
    assert "closest are: doctor" in message


def test_missing_easy_read_names_the_file(
    sample_content: Path, write_booklet: Callable[[str, str], Path]
) -> None:
    path = write_booklet("plain", GOOD_FRONT.replace("TST-99", "TST-97") + "# A\n\nB\n")
    result = plan(Project.load(sample_content, ["plain"]), [EASY])
    missing = [p for p in result.problems if p.path == path.parent / "easy-read.md"]
    assert [(p.severity, p.rule) for p in missing] == [("advice", "VARIANT-NO-SOURCE")]  # a note
    assert str(missing[0]).startswith(f"{path.parent / 'easy-read.md'}: advice: is missing")


def test_icons_command_lists_pictograms() -> None:
    result = CliRunner().invoke(main, ["icons", "liver"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert "liver" in names
    assert "hepatology" in names
    every = CliRunner().invoke(main, ["icons"]).output.splitlines()
    assert len(every) >= 120


@pytest.fixture(params=SLUGS)
def pdf(request: pytest.FixtureRequest, built: dict[str, Path]) -> Path:
    return built[f"{request.param}/easy-read"]


def points(pdf: Path) -> list[pdfread.Element]:
    """Return the picture-and-words rows (the back cover's QR code and its words are not one)."""
    last = len(PdfReader(pdf).pages) - 1
    return [
        e
        for e in pdfread.walk(pdfread.structure(pdf))
        if [k.tag for k in e.kids][:2] == ["/Figure", "/P"] and e.kids[0].page != last
    ]


def test_every_picture_is_a_figure_with_alt_text(pdf: Path) -> None:
    html = pdf.with_suffix(".html").read_text()
    figures = [e for e in pdfread.walk(pdfread.structure(pdf)) if e.tag == "/Figure"]
    assert len(figures) == html.count("<img ")
    assert all(f.alt and f.alt.strip() for f in figures)


def test_rows_are_a_layout_not_a_table(pdf: Path) -> None:
    tags = {e.tag for e in pdfread.walk(pdfread.structure(pdf))}
    assert "/Table" not in tags
    assert len(points(pdf)) >= 5


def test_picture_left_of_its_words_at_the_same_height(pdf: Path) -> None:
    positions = pdfread.mcid_text_positions(pdf)
    checked = 0
    for row in points(pdf):
        figure, words = row.kids[0], row.kids[1]
        assert figure.bbox is not None
        _, y1, x2, y2 = figure.bbox
        mcids = [m for e in pdfread.walk(words) for m in e.mcids]
        x, baseline, size = positions[(words.page or 0, mcids[0])]
        top = baseline - 0.75 * size
        assert x >= x2 + 20, f"words start at {x}, picture ends at {x2}"  # the 9 mm gap is 34 px
        assert abs(top - y1) <= 24, f"words start at {top}, picture at {y1}"
        assert top < y2
        checked += 1
    assert checked >= 5


def test_at_most_20_pages(pdf: Path) -> None:
    assert len(PdfReader(pdf).pages) <= 20


def test_helpline_is_in_the_text(pdf: Path) -> None:
    helpline = load_publisher(content_of(pdf.parent.name))[0].helpline
    assert helpline in " ".join(pdfread.page_texts(pdf))


def test_a_silenced_linter_rule_does_not_stop_the_build(
    write_booklet: Callable[[str, str], Path], sample_content: Path
) -> None:
    path = write_booklet("er", GOOD_FRONT + "# A\n\nB\n")
    (path.parent / "easy-read.md").write_text(
        "---\ntitle: T\n---\n\n# A\n\n<!-- booklet: ignore ER-NO-PICTURE a title page needs no picture -->\n"
        "No picture here.\n"
    )
    booklet = load_booklet(sample_content, "er")
    assert booklet.easy_read is not None
