"""The table of external tools (tests/tools.py): a missing tool skips a test here and fails it under CI."""

from __future__ import annotations

import re

import pytest

from . import tools
from .conftest import ROOT, SHARED_FIXTURE_MODULES, module_fixtures

pytest_plugins = ["pytester"]

MADE_UP = tools.Tool("frobnicate (a made-up tool)", lambda: None, "Debian package frobnicate-utils")
THERE = tools.Tool("true", lambda: "/bin/true", "Debian package coreutils")


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Add a missing made-up tool and a present one to the table, and start outside CI."""
    monkeypatch.setitem(tools.TOOLS, "frobnicate", MADE_UP)
    monkeypatch.setitem(tools.TOOLS, "there", THERE)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BOOKLET_REQUIRE_TOOLS", raising=False)


MESSAGE = "frobnicate (a made-up tool) is not installed: install Debian package frobnicate-utils"


@pytest.mark.usefixtures("table")
def test_a_missing_tool_skips_outside_ci_naming_the_tool_and_its_package() -> None:
    with pytest.raises(pytest.skip.Exception, match=re.escape(MESSAGE)):
        tools.require("there", "frobnicate")


@pytest.mark.usefixtures("table")
@pytest.mark.parametrize(("name", "value"), [("CI", "true"), ("CI", "1"), ("BOOKLET_REQUIRE_TOOLS", "1")])
def test_a_missing_tool_fails_under_ci_with_the_same_message(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(pytest.fail.Exception, match=re.escape(MESSAGE)):
        tools.require("there", "frobnicate")


@pytest.mark.usefixtures("table")
@pytest.mark.parametrize("value", ["", "false", "0"])
def test_ci_set_to_false_does_not_require_tools(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception):
        tools.require("frobnicate")


@pytest.mark.usefixtures("table")
def test_tools_that_are_there_neither_skip_nor_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    tools.require("there")
    assert tools.path("there") == "/bin/true"


def test_a_tool_not_in_the_table_cannot_be_named() -> None:
    with pytest.raises(KeyError, match="frobnicate"):
        tools.needs("frobnicate")
    with pytest.raises(KeyError):
        tools.require("frobnicate")


INNER_CONFTEST = """
from tests.conftest import pytest_runtest_setup


def pytest_configure(config):
    config.addinivalue_line("markers", "needs(*tools): external tools")
"""
INNER_TEST = """
import pytest


@pytest.fixture
def costly():
    raise AssertionError("the fixture was made")


@pytest.mark.needs("there", "frobnicate")
def test_needs_a_missing_tool(costly):
    raise AssertionError("the test ran")


@pytest.mark.needs("there")
def test_needs_a_tool_that_is_there():
    pass
"""


@pytest.mark.usefixtures("table")
@pytest.mark.parametrize("ci", [False, True])
def test_the_marker_is_checked_before_the_fixtures(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: bool
) -> None:
    """Through tests/conftest.py's hook: skipped here, an error under CI; neither fixture nor test runs."""
    if ci:
        monkeypatch.setenv("CI", "true")
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(INNER_TEST)
    result = pytester.runpytest("-rsE", "-p", "no:cacheprovider")
    if ci:
        result.assert_outcomes(passed=1, errors=1)
    else:
        result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines([f"*{MESSAGE}*"])
    result.stdout.no_fnmatch_line("*the fixture was made*")
    result.stdout.no_fnmatch_line("*the test ran*")


def test_every_marker_names_tools_of_the_table(request: pytest.FixtureRequest) -> None:
    """Every ``needs`` marker of the collected tests names tools the table knows."""
    named = {
        name for item in request.session.items for mark in item.iter_markers("needs") for name in mark.args
    }
    assert named <= set(tools.TOOLS) | {"frobnicate"}


def test_every_module_sharing_a_module_fixture_runs_on_one_worker(request: pytest.FixtureRequest) -> None:
    """conftest.py names every module whose tests share a module-scoped fixture (else it is made twice)."""
    sharing = {item.nodeid.split("::")[0] for item in request.session.items if module_fixtures(item)}
    assert sharing <= SHARED_FIXTURE_MODULES
    assert all((ROOT / module).is_file() for module in SHARED_FIXTURE_MODULES)
