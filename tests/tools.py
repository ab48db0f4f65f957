"""The external tools the tests run, in one table: how each is found and what installs it.

A test that runs a tool declares it with ``@needs("qpdf", ...)`` (a ``needs`` marker that
tests/conftest.py checks before the test's fixtures are made), or a fixture calls
``require("postgresql")``. A missing tool skips the test, saying which tool is missing and
what installs it; under CI (``CI=true``) or with ``BOOKLET_REQUIRE_TOOLS=1`` the same message
fails it instead, so that a machine without a tool cannot pass by skipping what it cannot
check. ``scripts/setup.sh test`` installs every tool of the table.

Libraries booklet itself needs (Pango, liblouis) are not here: without them booklet fails,
and so do its tests.
"""

from __future__ import annotations

import glob
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SETUP = "scripts/setup.sh test"


@dataclass(frozen=True)
class Tool:
    """An external program some tests run."""

    what: str  # what it is, for the message
    find: Callable[[], str | None]  # its path, or None when it is missing
    install: str  # what installs it


def _which(*programs: str) -> Callable[[], str | None]:
    """Find every one of some programs on PATH; return the first one's path, or None if any is missing."""

    def find() -> str | None:
        found = [shutil.which(p) for p in programs]
        return found[0] if all(found) else None

    return find


def _file(path: Path) -> Callable[[], str | None]:
    """Find a file (a program npm installed into a test folder)."""
    return lambda: str(path) if path.exists() else None


def postgres_bin() -> Path | None:
    """Return the folder of Debian's PostgreSQL programs, or None when they are not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(found[-1]).parent if found else None


def _postgres() -> str | None:
    folder = postgres_bin()
    return str(folder) if folder else None


def _browser_packages() -> str | None:
    modules = HERE / "browser" / "node_modules"
    packages = [modules / name for name in ("axe-core", "playwright-core")]
    return str(modules) if all(p.is_dir() for p in packages) else None


TOOLS: dict[str, Tool] = {
    "qpdf": Tool("qpdf (checks PDF files' structure)", _which("qpdf"), "Debian package qpdf"),
    "ghostscript": Tool("Ghostscript (gs, ink separations)", _which("gs"), "Debian package ghostscript"),
    "poppler": Tool(
        "poppler's pdftotext and pdftoppm", _which("pdftotext", "pdftoppm"), "Debian package poppler-utils"
    ),
    "zbar": Tool("zbarimg (reads QR codes)", _which("zbarimg"), "Debian package zbar-tools"),
    "postgresql": Tool(
        "PostgreSQL's programs (/usr/lib/postgresql/*/bin)", _postgres, "Debian package postgresql"
    ),
    "chromium": Tool("Chromium", _which("chromium"), "Debian package chromium"),
    "node": Tool("Node.js (node)", _which("node"), "Debian packages nodejs and npm"),
    "browser": Tool(
        "axe-core and playwright-core (tests/browser/node_modules)",
        _browser_packages,
        "npm ci --prefix tests/browser",
    ),
    "ace": Tool(
        "Ace by DAISY (tests/ace/node_modules/.bin/ace-cli)",
        _file(HERE / "ace" / "node_modules" / ".bin" / "ace-cli"),
        "PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/ace",
    ),
    "java": Tool(
        "a Java runtime (java, runs EPUBCheck)", _which("java"), "Debian package default-jre-headless"
    ),
}


def required() -> bool:
    """Tell whether a missing tool fails a test (CI, or BOOKLET_REQUIRE_TOOLS=1) rather than skipping it."""
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return ci or os.environ.get("BOOKLET_REQUIRE_TOOLS", "").strip() == "1"


def missing(*names: str) -> list[str]:
    """Return what to say of each named tool that is missing here (KeyError for a name not in TOOLS)."""
    gone = [TOOLS[name] for name in names if TOOLS[name].find() is None]
    return [f"{t.what} is not installed: install {t.install} ({SETUP} does)" for t in gone]


def require(*names: str) -> None:
    """Skip the running test when a named tool is missing, or fail it when tools are required (CI)."""
    problems = missing(*names)
    if not problems:
        return
    message = "; ".join(problems)
    if required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def needs(*names: str) -> pytest.MarkDecorator:
    """Mark a test (or, as ``pytestmark``, a module) as running the named tools."""
    unknown = [name for name in names if name not in TOOLS]
    if unknown:
        raise KeyError(f"no such tool in tests/tools.py: {', '.join(unknown)}")
    return pytest.mark.needs(*names)


def path(name: str) -> str:
    """Return where a tool is (call it in a test that ``needs`` it: it is then there)."""
    found = TOOLS[name].find()
    assert found is not None, name
    return found
