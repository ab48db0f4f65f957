"""The README stays a front door, and the docs stay true to the code they describe.

The README is at most 300 lines; its list of commands is the list ``booklet --help`` gives
(with the sub-commands of a group); docs/architecture.md names every module of booklet/;
and every relative link of the README and docs/ leads to a file (and heading) that exists.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from booklet.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
MAX_LINES = 300

FENCE_RE = re.compile(r"^```.*?^```", re.M | re.S)
CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
LINK_RE = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
HEADING_RE = re.compile(r"^(#{1,6}) +(.+?) *#*$", re.M)
COMMAND_RE = re.compile(r"^- `booklet ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?")
OPTION_RE = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")


def prose(text: str) -> str:
    """Return Markdown without its code blocks and code spans, where links are not links."""
    return CODE_SPAN_RE.sub("", FENCE_RE.sub("", text))


def slug(heading: str) -> str:
    """Return the anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Return every heading anchor of a Markdown page (a repeated heading gets -1, -2...)."""
    found: set[str] = set()
    for _, heading in HEADING_RE.findall(FENCE_RE.sub("", page.read_text(encoding="utf-8"))):
        base = anchor = slug(heading)
        n = 0
        while anchor in found:
            n += 1
            anchor = f"{base}-{n}"
        found.add(anchor)
    return found


def section(text: str, title: str) -> str:
    """Return the text of the README's '## title' section, up to the next '## ' heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"the README has no '## {title}' section"
    return match.group(1)


def help_commands(args: list[str]) -> list[str]:
    """Return the command names the help of ``booklet ARGS --help`` lists under 'Commands:'."""
    result = CliRunner().invoke(main, [*args, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    listing = result.output.split("Commands:\n", 1)[1] if "Commands:\n" in result.output else ""
    return [line.split()[0] for line in listing.splitlines() if line.startswith("  ") and line.strip()]


def cli_commands() -> dict[str, click.Command]:
    """Return every command `booklet --help` lists, with each group's sub-commands as 'group sub'."""
    commands: dict[str, click.Command] = {}
    ctx = click.Context(main)
    for name in help_commands([]):
        command = main.get_command(ctx, name)
        assert command is not None, name
        commands[name] = command
        if isinstance(command, click.Group):
            sub_ctx = click.Context(command, parent=ctx)
            for sub in help_commands([name]):
                sub_command = command.get_command(sub_ctx, sub)
                assert sub_command is not None, f"{name} {sub}"
                commands[f"{name} {sub}"] = sub_command
    return commands


def readme_commands() -> dict[str, list[str]]:
    """Return each command the README's Commands section lists, with the options its line names."""
    listed: dict[str, list[str]] = {}
    for line in section(README.read_text(encoding="utf-8"), "Commands").splitlines():
        match = COMMAND_RE.match(line)
        if match is None:
            continue
        group, sub = match.groups()
        name = f"{group} {sub}" if sub else group  # arguments are written in capitals: SLUG, FILE
        spans = re.findall(r"`([^`]*)`", line.split("`:", 1)[0] + "`")
        listed[name] = [opt for span in spans for opt in OPTION_RE.findall(span)]
    return listed


def test_readme_is_a_front_door() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"README.md has {lines} lines; move the manual into docs/"


def test_readme_lists_every_command_of_booklet_help() -> None:
    """The README lists every command `booklet --help` lists (sub-commands too), and no other."""
    cli = cli_commands()
    assert {"build", "check", "shop", "shop add-user"} <= set(cli)  # the parsing found them
    assert sorted(readme_commands()) == sorted(cli)


def test_readme_options_are_options_of_their_command() -> None:
    """Every option a command's line of the README names is an option of that command."""
    cli = cli_commands()
    for name, options in readme_commands().items():
        known = {opt for param in cli[name].params for opt in (*param.opts, *param.secondary_opts)}
        assert set(options) <= known, f"booklet {name}: {sorted(set(options) - known)} not in its --help"


def test_architecture_names_every_module() -> None:
    """docs/architecture.md names every module under booklet/, as `booklet/path/module.py`."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "booklet").rglob("*.py"))
    assert len(modules) > 50
    missing = [m for m in modules if f"`{m}`" not in text]
    assert not missing, f"docs/architecture.md does not say what these modules own: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_lead_somewhere(page: Path) -> None:
    """Every relative link of the README and docs/ names a file that exists, and a heading it has."""
    broken = []
    for target in LINK_RE.findall(prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto:: not a file of the project
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(target)
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            broken.append(target)
    assert not broken, f"{page.name}: links to nothing: {broken}"


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_each_page_starts_with_a_summary_and_the_way_back(page: Path) -> None:
    """Each docs/ page has a title, then a one-line summary that links back to the README."""
    title, blank, summary, *_ = page.read_text(encoding="utf-8").splitlines()
    assert title.startswith("# ")
    assert not blank
    assert "(../README.md)" in summary


def test_the_parsers_catch_what_they_look_for() -> None:
    """The helpers find a broken link, a code span's fake link, and GitHub's anchors."""
    assert LINK_RE.findall(prose("[a](b.md) `[c](d.md)`\n```\n[e](f.md)\n```\n")) == ["b.md"]
    assert slug("E-books (EPUB 3)") == "e-books-epub-3"
    assert slug("The template's own words") == "the-templates-own-words"
    assert slug("WeasyPrint 70.0 and its mends") == "weasyprint-700-and-its-mends"
    assert OPTION_RE.findall("booklet build [SLUG...] [-j N] [--no-cache] [--format pdf|html]") == [
        "-j",
        "--no-cache",
        "--format",
    ]
