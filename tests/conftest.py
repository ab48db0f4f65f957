"""Shared fixtures: sample content copied into a temporary folder, and booklets built once.

Every output test runs over every booklet of the four content folders: the first booklet
(content/), the sample booklet (tests/fixtures/content/), the corpus of varied booklets
written by other hands (tests/corpus/) and a leaflet on another topic from a second publisher
(tests/corpus/second-publisher/, with its own publisher.yml). A new kind of booklet found
broken becomes a corpus entry.

How the suite runs (``[tool.pytest.ini_options]`` in pyproject.toml):

- ``.venv/bin/python -m pytest -q``: everything, on one pytest-xdist worker per core. What
  is costly is made once per run and read by every worker (:func:`made_once`: the build of
  every booklet, the EPUBCheck and Ace reports); a module whose tests share a module-scoped
  fixture runs whole on one worker (SHARED_FIXTURE_MODULES).
- ``-m "not slow"``: the quick tier for day-to-day work, under a minute (585 tests): the
  content, the checks, orders, the shop on SQLite, braille, imposition, translations, the
  catalogue's pages and the CLI; none of the tests that read rendered PDFs.
- ``-n 0``: in this process alone (one test, a debugger).
- A test that runs an external tool says so (``needs``, tests/tools.py): a missing tool
  skips it, and under CI (``CI=true``, or ``BOOKLET_REQUIRE_TOOLS=1``) fails it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from booklet.build import build

from . import tools

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "content"
CONTENT = ROOT / "content"
CORPUS = Path(__file__).parent / "corpus"
SECOND_PUBLISHER = CORPUS / "second-publisher"  # a content folder of its own: a hospital trust's leaflet
COLONOSCOPY = CORPUS / "colonoscopy"  # another trust's, written from docs/writing.md alone
FOLDERS = (CONTENT, FIXTURES, CORPUS, SECOND_PUBLISHER, COLONOSCOPY)


def booklets() -> list[tuple[Path, str]]:
    """Return (content folder, slug) of every booklet the output tests run over."""
    return [(folder, p.parent.name) for folder in FOLDERS for p in sorted(folder.glob("*/booklet.md"))]


def outputs(variant: str | None = None) -> list[str]:
    """Return 'slug/variant' of every output of every booklet (of one variant, when given)."""
    from booklet.variants import VARIANTS

    return [
        f"{slug}/{v.name}"
        for folder, slug in booklets()
        for v in VARIANTS.values()
        if (folder / slug / v.source).is_file() and variant in (None, v.name)
    ]


def content_of(slug: str) -> Path:
    """Return the content folder a booklet is in."""
    return next(folder for folder, s in booklets() if s == slug)


def page_words(slug: str) -> tuple[str, str]:
    """Return the words before and after a page's number at the foot of a booklet's pages.

    They are its publisher's (publisher.yml's ``page``, else the package's "Page {n}"), as
    ``messages.words_css`` prints them on large-print and easy-read pages.
    """
    from booklet.source import messages
    from booklet.source.content import load_publisher

    words = messages.of(load_publisher(content_of(slug))[0])
    before, _, after = str(words.messages.get("page", "{n}")).partition("{n}")
    return before, after


def tree_of(pdf: Path) -> ET.Element:
    """Return the web page built beside a PDF (the same document tree) as an element tree: its ``<html>``."""
    from booklet.render import document

    return document.parse(pdf.with_suffix(".html").read_text(encoding="utf-8"))


@pytest.fixture
def sample_content(tmp_path: Path) -> Path:
    """Return a writable copy of the test content folder (publisher.yml and sample-booklet)."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES, dest)
    return dest


@pytest.fixture
def write_booklet(sample_content: Path) -> Callable[[str, str], Path]:
    """Write a booklet.md (front matter + body) into a new folder of the sample content."""

    def write(slug: str, text: str) -> Path:
        folder = sample_content / slug
        folder.mkdir(exist_ok=True)
        path = folder / "booklet.md"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def runner() -> CliRunner:
    """Return a Click test runner."""
    return CliRunner()


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """Return a folder of the test run's temporary folder, made by ``make`` once for the whole run.

    With parallel workers (pytest-xdist), the first worker to ask makes it while the others
    wait for it (a file lock), then all read the same files: a session fixture that renders
    or checks costly things runs once, not once per worker.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder, made = base / f"once-{name}", base / f"once-{name}.made"
    with (base / f"once-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not made.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            make(folder)
            made.touch()
    return folder


def _build_all(out: Path) -> None:
    for folder in FOLDERS:
        build(folder, out)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build every booklet of every content folder once, every variant; map 'slug/variant' -> PDF.

    Built once for the whole run (every worker reads the same folder): tests only read it,
    and copy what they change.
    """
    out = made_once(tmp_path_factory, "out", _build_all)
    return {f"{p.parent.name}/{p.stem.removeprefix(p.parent.name + '-')}": p for p in out.glob("*/*.pdf")}


GOOD_FRONT = """---
title: A test booklet
code: TST-99
published: 2026-01-01
next_review: 2027-01-01
references:
  - id: one
    text: A reference.
---
"""


RENDERING_FIXTURES = frozenset({"built", "sample_pdfs", "site", "printed", "pdf"})


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a test's fixtures are made: skip it (under CI: fail it) when a tool it ``needs`` is missing."""
    names = [name for mark in item.iter_markers("needs") for name in mark.args]
    if names:
        tools.require(*names)


def pytest_report_header() -> str:
    """Say which external tools are missing here, and whether that skips or fails their tests."""
    gone = [name for name in tools.TOOLS if tools.missing(name)]
    found = f"missing: {', '.join(gone)}" if gone else "all found"
    rule = "a missing one fails its tests" if tools.required() else "a missing one skips its tests"
    return f"external tools (tests/tools.py): {found}; {rule}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the missing external tools at the end too, where ``-q`` shows it (it hides the header)."""
    gone = [name for name in tools.TOOLS if tools.missing(name)]
    if gone:
        rule = (
            "the tests that need them fail"
            if tools.required()
            else "the tests that need them skip (under CI: fail)"
        )
        terminalreporter.write_line(
            f"external tools missing here (tests/tools.py): {', '.join(gone)}; {rule}"
        )


# The test modules whose tests share a module-scoped fixture (a site, print files, PDFs
# rendered for the module). Under pytest-xdist each runs whole on one worker, so its fixture
# is made once; every other test goes to whichever worker is free. (tests/test_tools.py
# checks that this names every such module.)
SHARED_FIXTURE_MODULES = frozenset(
    f"tests/test_{name}.py"
    for name in (
        "catalogue",
        "install",
        "catalogue_languages",
        "confinement",
        "hostile",
        "imposition",
        "markdown",
        "preflight",
        "print",
        "second_publisher",
        "shop_mail",
        "weasyfix",
    )
)

# Tests whose parameters all read one costly run made once for the whole test run (Ace by
# DAISY over every EPUB: minutes): they go to one worker, so that the other goes on with other
# tests instead of waiting on the file lock for the same run.
SHARED_RUN_TESTS = ("test_ace_reports_no_violation",)


def module_fixtures(item: pytest.Item) -> list[str]:
    """Return the names of the module-scoped fixtures a test uses."""
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return [name for name, chain in defs.items() if chain and chain[-1].scope == "module"]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Give pytest-xdist's ``--dist loadgroup`` the groups: the modules of SHARED_FIXTURE_MODULES.

    xdist's own loadgroup reads ``xdist_group`` marks through the node id, which pytest 9.2
    no longer lets it change (pytest-xdist issue 1386): its groups are silently lost. Each
    test of another module is a group of its own.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling  # type: ignore[import-untyped]

    class ModuleGroups(LoadGroupScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            module, _, test = nodeid.partition("::")
            if test.startswith(SHARED_RUN_TESTS):  # tests waiting on one costly run: one worker waits
                return test.split("[")[0]
            return module if module in SHARED_FIXTURE_MODULES else super()._split_scope(nodeid)

    return ModuleGroups(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as slow every test that uses a fixture which renders PDFs (``-m "not slow"`` skips them)."""
    for item in items:
        if RENDERING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each 'slug/variant' rendered from now on, in this process (build with workers=1)."""
    from booklet import build as build_module
    from booklet.model import Booklet
    from booklet.render.pdf import Renderer
    from booklet.variants import Variant

    seen: list[str] = []
    real = build_module.render

    def counting(
        booklet: Booklet, variant: Variant, out: Path, renderer: Renderer, names: Sequence[str] = ()
    ) -> dict[Path, bytes]:
        seen.append(f"{booklet.slug}/{variant.stem}")
        return real(booklet, variant, out, renderer, names)

    monkeypatch.setattr(build_module, "render", counting)
    return seen


def fake_print_ready(
    monkeypatch: pytest.MonkeyPatch,
    pages: int = 8,
    notes: int = 0,
    spreads: bool = True,
    press_sheet: str = "",
    sheets: int = 0,
    creep_mm: float = 0,
) -> list[int | None]:
    """Make print files without rendering: each is ``pages`` pages (``notes`` of them Notes) of a few bytes.

    Spreads (b"%PDF-spreads") are made when asked for and ``spreads``; returns the paper
    calipers print_ready is called with, in order.
    """
    from booklet.model import Booklet
    from booklet.press import print_run
    from booklet.render.pdf import Renderer
    from booklet.variants import Variant

    calipers: list[int | None] = []

    def made(
        booklet: Booklet,
        variant: Variant,
        renderer: Renderer,
        imposed: bool = False,
        caliper_um: int | None = None,
    ) -> print_run.PrintFile:
        calipers.append(caliper_um)
        imposed_pdf = b"%PDF-spreads" if imposed and spreads else None
        return print_run.PrintFile(
            booklet.slug,
            booklet.meta.code,
            variant.stem,
            pages,
            notes,
            b"%PDF-print",
            imposed_pdf,
            press_sheet,
            sheets,
            creep_mm,
            booklet.lang,
        )

    monkeypatch.setattr(print_run, "print_ready", made)
    return calipers


def copy_content(dest: Path, source: Path, *slugs: str) -> Path:
    """Copy publisher.yml of a content folder and some of its booklets (with their translations) to dest."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "publisher.yml", dest)
    for slug in slugs:
        shutil.copytree(source / slug, dest / slug)
    return dest


def translated_content(tmp_path: Path, limits: str = "") -> Path:
    """Return a copy of the translated corpus booklet, approved, with a publisher.yml (and its limits)."""
    content = copy_content(tmp_path / "content", CORPUS, "translated")
    if limits:
        with (content / "publisher.yml").open("a", encoding="utf-8") as handle:
            handle.write(limits)
    md = content / "translated" / "booklet.md"
    reviews = "".join(
        f"  - {{kind: {kind}, role: Reviewer, date: 2026-09-12, outcome: approved}}\n"
        for kind in ("clinical", "lay")
    )
    approved = md.read_text(encoding="utf-8").replace(
        "status: draft\n", f"status: approved\nreviews:\n{reviews}"
    )
    md.write_text(approved, encoding="utf-8")
    return content
