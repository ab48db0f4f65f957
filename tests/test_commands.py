"""Commands that say what they did: build's summary, -v, the next step, --language, - for standard output."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from booklet.cli import main
from booklet.outcome import summary

from .conftest import translated_content

OUT = Path("out")


def test_the_summary_groups_what_was_made_by_booklet_and_says_what_was_not_and_why() -> None:
    rendered = {
        ("a", "large-print"): {OUT / "a" / "a-large-print.pdf": b"", OUT / "a" / "a-large-print.html": b""},
        ("a", "standard"): {
            OUT / "a" / "a-standard.pdf": b"",
            OUT / "a" / "a-standard.pages.json": b"",
            OUT / "a" / "a-standard.epub": b"",
        },
        ("a/pl", "standard"): {OUT / "a" / "pl" / "a-standard.pdf": b""},
    }
    text = summary(
        OUT,
        rendered,
        current=[("b", "standard"), ("b", "easy-read")],
        stopped={"a": ["easy-read"]},
        failed=[("c", "standard")],
        seconds=8.71,
    )
    assert text == (
        "Made into out in 8.7 s:\n"
        "  a: standard (pdf, epub); large-print (pdf, html)\n"
        "  a in Polish (pl): standard (pdf)\n"
        "Up to date, not made again: 2 variant(s) of b\n"
        "Not made:\n"
        "  a: easy-read (a problem below stops it)\n"
        "  c: standard (it failed to render: see below)"
    )


def test_nothing_to_make_says_so() -> None:
    text = summary(OUT, {}, [("b", "standard")], {}, [], 0.2)
    assert text.splitlines() == [
        "Nothing to make into out (0.2 s).",
        "Up to date, not made again: 1 variant(s) of b",
    ]


def _build(runner: CliRunner, content: Path, out: Path, *args: str) -> str:
    result = runner.invoke(
        main, ["build", "--format", "html", "--content", str(content), "--out", str(out), "-j", "1", *args]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_build_language_builds_only_those(runner: CliRunner, tmp_path: Path) -> None:
    content = translated_content(tmp_path)
    out = tmp_path / "out"
    said = _build(runner, content, out, "--language", "pl", "--variant", "standard")
    assert (out / "translated" / "pl" / "translated-standard.html").is_file()
    assert not (out / "translated" / "translated-standard.html").exists()
    assert not (out / "translated" / "ar").exists()
    assert "  translated in Polish (pl): standard (html)\n" in said
    assert "Up to date" not in said  # the languages not asked for are not counted
    said = _build(runner, content, out, "--language", "en", "--language", "ar", "--variant", "standard")
    assert (out / "translated" / "translated-standard.html").is_file()
    assert (out / "translated" / "ar" / "translated-standard.html").is_file()
    assert not (out / "translated" / "bn").exists()
    assert "Polish" not in said
    assert "Next: booklet check (the checks before publishing); booklet serve" in said
    assert "Rendering" not in said  # no progress bar when the output is not a terminal


def test_build_language_says_when_no_booklet_has_it(runner: CliRunner, tmp_path: Path) -> None:
    content = translated_content(tmp_path)
    said = _build(runner, content, tmp_path / "out", "--language", "cy", "--variant", "standard")
    assert "No booklet here has a translation into cy, so none was made" in said
    assert not (tmp_path / "out" / "translated" / "cy").exists()


def test_build_language_refuses_a_language_it_does_not_know(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--language", "xx", "--content", str(tmp_path)])
    assert result.exit_code == 2
    assert "'xx' is not one of 'en', 'cy'" in result.output


def test_verbose_names_variant_and_language(runner: CliRunner, tmp_path: Path) -> None:
    content = translated_content(tmp_path)
    said = _build(runner, content, tmp_path / "out", "-v", "--language", "pl")
    assert re.search(
        r"^Made translated, standard, Polish \(pl\): translated-standard\.html \(\d+ bytes\)$", said, re.M
    )
    assert re.search(r"^Made translated, large-print, Polish \(pl\): ", said, re.M)


def test_quiet_says_no_next_step(runner: CliRunner, tmp_path: Path) -> None:
    content = translated_content(tmp_path)
    said = _build(runner, content, tmp_path / "out", "-q", "--language", "pl", "--variant", "standard")
    assert said == ""


def test_order_template_to_standard_output_and_what_it_leaves_out(
    runner: CliRunner, sample_content: Path
) -> None:
    result = runner.invoke(main, ["order", "--template", "--out", "-", "--content", str(sample_content)])
    assert result.exit_code == 0, result.output
    assert not Path("-").exists()
    assert result.output.startswith("code,variant,quantity,ordered_by,")
    assert "TST-01,standard,,," in result.output
    assert "leaves out" not in result.output  # the sample booklet is approved
    assert "Next: fill in a quantity, ordered_by, delivery_name, address and contact" in result.output


def test_order_template_names_a_draft(runner: CliRunner, tmp_path: Path) -> None:
    content = translated_content(tmp_path)
    md = content / "translated" / "booklet.md"
    md.write_text(md.read_text().replace("status: approved", "status: in-review"))
    result = runner.invoke(main, ["order", "--template", "--content", str(content)])
    assert result.exit_code == 0, result.output
    found = re.search(r"The order form leaves out (.+): only approved booklets can be ordered", result.output)
    assert found
    assert found.group(1).startswith("CORP-TRANS (in-review), CORP-TRANS-ar (in-review)")
    assert "(in-review)" in found.group(1)
    assert "The order form has no rows" in result.output


def test_a_print_run_is_not_standard_output(runner: CliRunner, sample_content: Path, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("code,variant,quantity,ordered_by,delivery_name,address,contact\n")
    result = runner.invoke(main, ["order", str(orders), "--out", "-", "--content", str(sample_content)])
    assert result.exit_code == 2
    assert "a print run is a folder, not standard output" in result.output


def test_catalogue_names_the_drafts_it_leaves_out(
    runner: CliRunner, sample_content: Path, tmp_path: Path
) -> None:
    """A writer whose booklet is missing from the published catalogue is told why, and what to do."""
    assert (
        runner.invoke(main, ["new", "having-a-colonoscopy", "--content", str(sample_content)]).exit_code == 0
    )
    args = ["--content", str(sample_content), "--out", str(tmp_path / "out")]
    result = runner.invoke(main, ["catalogue", *args])
    assert result.exit_code == 0, result.output
    assert "Left out 1 booklet(s) not approved yet: having-a-colonoscopy (draft)." in result.output
    assert "--include-drafts lists them" in result.output
    assert "having-a-colonoscopy" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    result = runner.invoke(main, ["catalogue", "--include-drafts", *args])
    assert result.exit_code == 0, result.output
    assert "Left out" not in result.output


def test_check_says_the_next_step_for_a_draft(
    runner: CliRunner, sample_content: Path, tmp_path: Path
) -> None:
    """After a check that passed, a draft's next step is its reviews, not publishing."""
    assert (
        runner.invoke(main, ["new", "having-a-colonoscopy", "--content", str(sample_content)]).exit_code == 0
    )
    args = ["having-a-colonoscopy", "--content", str(sample_content), "--out", str(tmp_path / "out")]
    result = runner.invoke(main, ["check", *args])
    assert result.exit_code == 0, result.output
    assert (
        "Next: have having-a-colonoscopy reviewed, record the reviews and set 'status: approved'"
        in result.output
    )
