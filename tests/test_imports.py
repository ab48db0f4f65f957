"""The import graph: every module imports, none imports itself round a cycle, the shop loads no renderer."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "booklet"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Return every module of the package: its dotted name -> (file, whether it is a package's __init__)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if package else parts)] = (path, package)
    return found


MODULES = _modules()


def _imported(name: str, package: bool, node: ast.ImportFrom | ast.Import) -> set[str]:
    """Return the package's modules an import statement loads (a submodule loads its packages' __init__)."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        base = name.split(".") if package else name.split(".")[:-1]
        if node.level:
            base = base[: len(base) - node.level + 1]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        targets = [
            f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module
            for alias in node.names
        ]
    loaded = set()
    for target in targets:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            inside = name == prefix or name.startswith(prefix + ".")  # its own packages are loading already
            if prefix in MODULES and not inside and (end == len(parts) or MODULES[prefix][1]):
                loaded.add(prefix)
    return loaded


def import_graph() -> dict[str, set[str]]:
    """Return each module's imports of the package, read with ast: module level and inside functions alike."""
    graph = {}
    for name, (path, package) in MODULES.items():
        nodes = ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        graph[name] = {
            d
            for n in nodes
            if isinstance(n, ast.Import | ast.ImportFrom)
            for d in _imported(name, package, n)
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the cycles of a graph: one path round each that a depth-first search meets."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return found


def test_the_graph_reader_sees_imports_inside_functions_and_finds_a_cycle() -> None:
    source = "def f():\n    from .b import x\n"
    node = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom))
    assert _imported("booklet.render.html", False, node) == set()  # no booklet.render.b
    node = next(
        n
        for n in ast.walk(ast.parse("def f():\n    from .pdf import Renderer\n"))
        if isinstance(n, ast.ImportFrom)
    )
    assert _imported("booklet.render.html", False, node) == {"booklet.render.pdf"}
    node = next(
        n for n in ast.walk(ast.parse("from ..checks import base\n")) if isinstance(n, ast.ImportFrom)
    )
    assert _imported("booklet.web.serve", False, node) == {"booklet.checks", "booklet.checks.base"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


@pytest.mark.parametrize("name", sorted(m for m in MODULES if not m.endswith(".__main__")))  # that one runs
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) == len(MODULES)
    assert "booklet.render.pdf" in graph["booklet.build"]
    assert cycles(graph) == []


def test_the_shop_loads_no_renderer() -> None:
    """Importing the shop loads what it serves from: never WeasyPrint, its mends or the print files."""
    script = (
        "import json, sys; import booklet.web.shop.app; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('booklet', 'weasyprint', 'pikepdf', 'pypdf', 'markdown'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = json.loads(done.stdout)
    assert "booklet.web.shop.views" in loaded  # its pages are registered
    heavy = [
        m for m in loaded if m.split(".")[0] != "booklet" or m.startswith(("booklet.render", "booklet.build"))
    ]
    assert heavy == []
    assert [m for m in loaded if m.startswith("booklet.press.")] == [
        "booklet.press.csvfile",
        "booklet.press.offer",
        "booklet.press.orders",
    ]
