"""The command line: exit codes, messages, and what is (and is not) written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main

from .conftest import GOOD_FRONT


@pytest.mark.slow
def test_build_writes_pdf_and_html(runner: CliRunner, sample_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--content", str(sample_content), "--out", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "sample-booklet"
    assert (folder / "sample-booklet-standard.pdf").read_bytes().startswith(b"%PDF-")
    html = (folder / "sample-booklet-standard.html").read_text()
    assert '<link rel="stylesheet" href="../_static/styles/standard.css">' in html
    assert (folder / "images" / "cream.svg").is_file()
    assert (out / "_static" / "styles" / "standard.css").is_file()
    assert (out / "_static" / "fonts" / "AtkinsonHyperlegible-Regular.ttf").is_file()
    assert not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_bad_booklet_fails_alone(
    runner: CliRunner, sample_content: Path, tmp_path: Path, write_booklet: Callable[[str, str], Path]
) -> None:
    bad = write_booklet("broken", GOOD_FRONT.replace("TST-99", "TST-98") + "# A\n\nSee [@missing].\n")
    out = tmp_path / "out"
    old = out / "broken" / "broken-standard.pdf"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"an earlier good build")
    result = runner.invoke(main, ["build", "--content", str(sample_content), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{bad}:12: citation '@missing' has no reference" in result.output
    assert "Fix:" in result.output
    assert "Traceback" not in result.output
    assert old.read_bytes() == b"an earlier good build"
    assert not (out / "broken" / "broken-standard.html").exists()
    assert (out / "sample-booklet" / "sample-booklet-standard.pdf").is_file()


def test_unknown_slug(runner: CliRunner, sample_content: Path, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "nope", "--content", str(sample_content), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no booklet called nope" in result.output
    assert "sample-booklet" in result.output


def test_unknown_variant_is_refused_by_click(runner: CliRunner, sample_content: Path) -> None:
    result = runner.invoke(main, ["build", "--variant", "braille", "--content", str(sample_content)])
    assert result.exit_code == 2
    assert "Invalid value for '--variant': 'braille'" in result.output


def test_missing_publisher(runner: CliRunner, sample_content: Path, tmp_path: Path) -> None:
    (sample_content / "publisher.yml").unlink()
    result = runner.invoke(main, ["build", "--content", str(sample_content), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "publisher.yml: file not found" in result.output


def test_list(runner: CliRunner, sample_content: Path, write_booklet: Callable[[str, str], Path]) -> None:
    write_booklet("broken", "no front matter")
    result = runner.invoke(main, ["list", "--content", str(sample_content)])
    assert result.exit_code == 1, result.output  # a booklet that cannot be built
    assert "sample-booklet" in result.output
    assert "TST-01" in result.output
    assert "Looking after your skin during treatment" in result.output
    assert "2028-01-15" in result.output
    assert f"{sample_content / 'broken' / 'booklet.md'}:1: has no front matter" in result.output
    assert "Fix: start the file with a line '---'" in result.output
    assert "Traceback" not in result.output


def test_list_reports_duplicate_codes_on_both(runner: CliRunner, sample_content: Path) -> None:
    shutil.copytree(sample_content / "sample-booklet", sample_content / "sample-copy")
    result = runner.invoke(main, ["list", "--content", str(sample_content)])
    assert result.exit_code == 1
    assert f"also used by {sample_content / 'sample-copy'}" in result.output
    assert f"also used by {sample_content / 'sample-booklet'}" in result.output


def test_build_with_no_booklets_or_no_folder_says_where(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "content"
    empty.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "content" / "publisher.yml", empty)
    result = runner.invoke(main, ["build", "--content", str(empty), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{empty.resolve()}: holds no booklet" in result.output
    missing = tmp_path / "nowhere"
    result = runner.invoke(main, ["build", "--content", str(missing), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{missing.resolve()}: is not a folder" in result.output
    assert not (tmp_path / "out").exists()


def test_icons_with_no_match_fails(runner: CliRunner) -> None:
    result = runner.invoke(main, ["icons", "xyz"])
    assert result.exit_code == 1
    assert "no pictogram matches 'xyz'" in result.output


def test_help_on_every_command(runner: CliRunner) -> None:
    commands = ["build", "list", "check", "print", "order", "icons", "catalogue", "serve"]
    for command in ([], *([c] for c in commands)):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.output


@pytest.mark.slow
def test_size_option_builds_large_print_at_that_size(
    runner: CliRunner, sample_content: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        main, ["build", "--size", "20", "--content", str(sample_content), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "sample-booklet").glob("*.pdf")) == [
        "sample-booklet-large-print-20pt.pdf"
    ]
