"""The build as a whole: reproducible bytes and safe writes."""

from __future__ import annotations

import os
import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from booklet import output
from booklet.build import build
from booklet.errors import BookletError, BuildError, ContentError, Problem, RenderError, WriteError
from booklet.render import html as render_html
from booklet.source import content, translations
from booklet.source.project import Project
from booklet.variants import Variant
from booklet.web.catalogue import write_catalogue

from .conftest import rendered


@pytest.mark.slow
def test_same_input_gives_same_bytes(sample_content: Path, tmp_path: Path) -> None:
    first = build(sample_content, tmp_path / "a")
    second = build(sample_content, tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x" / "file.pdf"
    output.write_bytes(target, b"old")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("booklet.output.os.replace", fail)
    with pytest.raises(WriteError, match=r"file.pdf: cannot be written \(No space left on device\)") as info:
        output.write_bytes(target, b"new")
    assert "free some space" in str(info.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["file.pdf"]


@pytest.mark.slow
def test_cache_is_per_output(sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After one variant is built, a plain build makes only the others.

    Editing easy-read.md then makes only easy read again.
    """
    out = tmp_path / "out"
    seen = rendered(monkeypatch)
    build(sample_content, out, variant_names=["standard"], workers=1)
    build(sample_content, out, workers=1)
    assert seen == ["sample-booklet/standard", "sample-booklet/large-print", "sample-booklet/easy-read"]
    seen.clear()
    easy = sample_content / "sample-booklet" / "easy-read.md"
    easy.write_text(easy.read_text(encoding="utf-8") + "\n![A doctor](icon:doctor) Ask your nurse.\n")
    build(sample_content, out, workers=1)
    assert seen == ["sample-booklet/easy-read"]


@pytest.mark.slow
def test_outputs_of_a_removed_booklet_are_removed(sample_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    copy = sample_content / "second"
    shutil.copytree(sample_content / "sample-booklet", copy)
    (copy / "booklet.md").write_text((copy / "booklet.md").read_text().replace("TST-01", "TST-02"))
    build(sample_content, out, workers=1)
    assert (out / "second" / "second-standard.pdf").is_file()
    other = tmp_path / "other"  # another content folder built into the same out/ is left alone
    shutil.copytree(sample_content, other)
    shutil.rmtree(other / "second")
    shutil.move(other / "sample-booklet", other / "third")
    (other / "third" / "booklet.md").write_text(
        (other / "third" / "booklet.md").read_text().replace("TST-01", "TST-03")
    )
    build(other, out, workers=1)
    shutil.rmtree(copy)
    build(sample_content, out, workers=1)
    assert not (out / "second").exists()
    assert (out / "sample-booklet" / "sample-booklet-standard.pdf").is_file()
    assert (out / "third" / "third-standard.pdf").is_file()
    write_catalogue(Project.load(sample_content, empty_ok=True), out)
    assert "second" not in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_booklet_without_glossary_or_references_builds(sample_content: Path, tmp_path: Path) -> None:
    source = sample_content / "sample-booklet" / "booklet.md"
    body = source.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    body = re.sub(r"\s*\[@[^\]]*\]", "", body)
    front = (
        "---\ntitle: No glossary\ncode: TST-05\nedition: 3\npublished: 2026-01-15\nnext_review: 2027-01-15\n"
    )
    source.write_text(front + "---\n" + body, encoding="utf-8")
    (sample_content / "sample-booklet" / "easy-read.md").unlink()
    build(sample_content, tmp_path / "out", workers=1)
    html = (tmp_path / "out" / "sample-booklet" / "sample-booklet-standard.html").read_text(encoding="utf-8")
    assert 'href="#medical-words-explained"' not in html
    assert 'id="references"' not in html
    assert "3rd edition" in html


@pytest.mark.slow
def test_deleted_picture_and_edited_shared_file_are_made_again(sample_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(sample_content, out, variant_names=["standard"], workers=1)
    picture = out / "sample-booklet" / "images" / "cream.svg"
    style = out / "_static" / "styles" / "base.css"
    original = style.read_bytes()
    picture.unlink()
    style.write_bytes(b"/* edited */")
    build(sample_content, out, variant_names=["standard"], workers=1)
    assert picture.is_file()
    assert style.read_bytes() == original


def test_a_problem_raised_in_a_render_worker_keeps_its_rule_line_and_fix(
    sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker sends the problem record itself across the pool; nothing is parsed back from text."""
    source = sample_content / "sample-booklet" / "booklet.md"

    def fail(booklet: object, variant: Variant) -> object:
        raise RenderError(f"broke in process {os.getpid()}", source, 12, "mend line 12", "TEST-RULE")

    monkeypatch.setattr(render_html, "context", fail)  # the pool's processes are forked: they see it
    with pytest.raises(BuildError) as caught:
        build(sample_content, tmp_path / "out", variant_names=["standard", "large-print"], workers=2)
    problems = caught.value.problems
    assert len(problems) == 2
    for problem in problems:
        assert (problem.path, problem.line, problem.fix, problem.rule) == (
            source,
            12,
            "mend line 12",
            "TEST-RULE",
        )
        assert problem.booklet == "sample-booklet"
        assert problem.message.startswith("broke in process ")
    pids = {int(p.message.rsplit(" ", 1)[1]) for p in problems}
    assert os.getpid() not in pids  # raised in the pool's worker processes, not here


@pytest.mark.parametrize(
    "error",
    [
        RenderError("no page map", Path("a/b.md"), 3, "build again", "R-1"),
        RenderError("no path"),
        ContentError([Problem(Path("x.md"), "bad", 4, "fix it", "RULE", "warning", "x")]),
        BuildError([Problem(Path("y.md"), "worse", rule="RENDER-FAILED")]),
        WriteError(Path("out/x.pdf"), OSError(28, "No space left on device")),
    ],
)
def test_every_error_pickles_with_its_problem_records(error: BookletError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error)
    where = Path("source.md")
    assert again.problems_at(where, "RULE", "slug") == error.problems_at(where, "RULE", "slug")


def test_a_build_with_nothing_changed_reads_the_model_the_cache_recorded(
    sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No front matter is peeked at and no folder listed for sources or translations; a new source counts."""
    out = tmp_path / "out"
    easy = sample_content / "sample-booklet" / "easy-read.md"
    easy.rename(tmp_path / "easy-read.md")  # made without easy read first
    seen = rendered(monkeypatch)
    build(sample_content, out, format_names=["html"], workers=1)
    assert seen == ["sample-booklet/standard", "sample-booklet/large-print"]
    asked: list[str] = []

    def counted(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            asked.append(name)
            return real(*args, **kwargs)

        return call

    for owner, name in ((content, "peek_code"), (content, "variants_in"), (translations, "discover")):
        monkeypatch.setattr(owner, name, counted(name, getattr(owner, name)))
    monkeypatch.setattr(Project, "load", counted("load", Project.load))
    seen.clear()
    build(sample_content, out, format_names=["html"], workers=1)
    assert seen == []
    assert asked == []  # the model came from the cache's record of it
    (tmp_path / "easy-read.md").rename(easy)  # the folder changed: its model is worked out again
    build(sample_content, out, format_names=["html"], workers=1)
    assert seen == ["sample-booklet/easy-read"]
    assert {"variants_in", "load"} <= set(asked)


@pytest.mark.slow
def test_an_asked_variant_a_booklet_has_no_source_for_is_a_note(tmp_path: Path) -> None:
    """--variant easy-read over booklets and translations some of which have no easy read: exit 0, notes."""
    from click.testing import CliRunner

    from booklet.cli import main

    from .conftest import CORPUS, copy_content

    content = copy_content(tmp_path / "content", CORPUS, "translated", "one-chapter", "easy-read-other-hand")
    out = tmp_path / "out"
    args = ["build", "--variant", "easy-read", "--format", "html", "-j", "1"]
    result = CliRunner().invoke(main, [*args, "--content", str(content), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "easy-read-other-hand" / "easy-read-other-hand-easy-read.html").is_file()
    notes = [line for line in result.output.splitlines() if "[VARIANT-NO-SOURCE]" in line]
    assert len(notes) == 8  # one-chapter, translated and its six translations
    assert all("advice: is missing, so there is no easy-read variant" in line for line in notes)
    broken = content / "easy-read-other-hand" / "easy-read.md"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n```\ncode\n```\n", encoding="utf-8")
    result = CliRunner().invoke(main, [*args, "--content", str(content), "--out", str(out)])
    assert result.exit_code == 1  # what could be made was not
    assert "SRC-CODE-BLOCK" in result.output
