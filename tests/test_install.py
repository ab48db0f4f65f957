"""The package as an IT person installs it: the wheel's contents, a fresh virtual environment, the extras.

The wheel is built from a copy of the checkout's files (tracked, or new and not ignored), so
an earlier build's ``build/`` folder cannot hide a missing file, and installed without
extras, as ``pipx install`` installs a wheel, in a virtual environment outside the checkout.
There, ``booklet build`` makes a booklet from a folder outside the checkout, byte for byte
the PDF the checkout makes, and the shop's packages are missing: only ``booklet shop`` asks
for them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet import __version__
from booklet.cli import main

from .conftest import FIXTURES, ROOT

VERSION = __version__  # the checkout's: the installed metadata must say the same
SHOP_MODULES = ("flask", "werkzeug", "waitress", "argon2", "psycopg")
SHOP_ONLY = "booklet.web.shop"  # the only package that may import them (some of its modules do)
INSTALL_HINT = "pip install flask waitress argon2-cffi email-validator 'psycopg[binary]'"


def run(args: list[str | Path], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a program with nothing of the checkout's in its environment; return what it did."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def checkout_copy(dest: Path) -> Path:
    """Copy the checkout's files (tracked, or untracked and not ignored), links kept as links."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source, target = ROOT / name, dest / name
        if not source.is_symlink() and not source.is_file():
            continue  # deleted in the work tree, not yet in the index
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the checkout, as a release would; return its path."""
    top = tmp_path_factory.mktemp("wheel")
    source = checkout_copy(top / "source")
    done = run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", top / "dist", source], top)
    assert done.returncode == 0, done.stderr
    (built,) = (top / "dist").glob("booklet-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the wheel, without extras, in a new virtual environment; return the environment.

    Like pipx, the environment has no pip of its own: this test's pip installs into it.
    """
    where = tmp_path_factory.mktemp("venv") / "env"
    made = run([sys.executable, "-m", "venv", "--without-pip", where], where.parent)
    assert made.returncode == 0, made.stderr
    python = where / "bin" / "python"
    installed = run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-compile", wheel],
        where.parent,
    )
    assert installed.returncode == 0, installed.stderr
    return where


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Return a working folder outside the checkout holding a copy of the test content."""
    assert not tmp_path.is_relative_to(ROOT)
    shutil.copytree(FIXTURES, tmp_path / "content")
    return tmp_path


@pytest.mark.slow  # builds the wheel (about 10 s)
def test_wheel_holds_everything_a_build_needs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    info = f"booklet-{VERSION}.dist-info"
    assert wheel.name == f"booklet-{VERSION}-py3-none-any.whl"
    # every file of the package, the linked styles/, fonts/ and pictograms/ followed into
    files = {
        (Path(root) / f).relative_to(ROOT).as_posix()
        for root, dirs, found in os.walk(ROOT / "booklet", followlinks=True)
        if "__pycache__" not in Path(root).parts
        for f in found
    }
    assert sorted(files - names) == []
    for needed in (
        "booklet/py.typed",
        "booklet/resources/styles/standard.css",
        "booklet/resources/styles/colour/FOGRA39-booklet.icc",
        "booklet/resources/styles/print/cover-shapes.svg",
        "booklet/resources/fonts/AtkinsonHyperlegible-Regular.ttf",
        "booklet/resources/pictograms/healthicons/index.json",
        "booklet/resources/pictograms/ambulance.svg",
        "booklet/resources/pictograms/toilet.svg",
        "booklet/resources/pictograms/openmoji/index.json",
        "booklet/source/messages/en.yml",
        "booklet/render/templates/base/booklet.html",
        "booklet/render/templates/epub/package.opf",
        "booklet/checks/plain-words.txt",
        "booklet/web/shop/templates/layout.html",
        "booklet/web/shop/static/shop.css",
    ):
        assert needed in names, needed
    # one top-level package, no 'cli' module beside it
    assert {n.split("/")[0] for n in names} == {"booklet", info}
    assert zipfile.ZipFile(wheel).read(f"{info}/top_level.txt").split() == [b"booklet"]
    # the code's licence, the fonts' and the pictograms'
    licences = {n.removeprefix(f"{info}/licenses/") for n in names if n.startswith(f"{info}/licenses/")}
    fonts = {f"fonts/{p.name}" for p in (ROOT / "fonts").glob("*-OFL.txt")}
    assert fonts
    assert {
        "LICENSE",
        "fonts/DejaVu-LICENSE.txt",
        "pictograms/healthicons/LICENSE",
        "pictograms/openmoji/LICENSE",
        *fonts,
    } <= licences


@pytest.mark.slow
def test_wheel_leaves_the_shop_packages_to_the_extra(wheel: Path) -> None:
    metadata = zipfile.ZipFile(wheel).read(f"booklet-{VERSION}.dist-info/METADATA").decode()
    requires = [
        line.removeprefix("Requires-Dist: ") for line in metadata.splitlines() if "Requires-Dist" in line
    ]
    base = [r for r in requires if "extra ==" not in r]
    shop = [r.split(";")[0] for r in requires if 'extra == "shop"' in r]
    assert base
    assert not [
        r for r in base if r.lower().startswith(("flask", "waitress", "argon2", "email-validator", "psycopg"))
    ]
    assert sorted(r.split("<")[0].split(">")[0] for r in shop) == [
        "argon2-cffi",
        "email-validator",
        "flask",
        "psycopg[binary]",
        "waitress",
    ]


@pytest.mark.slow
def test_installed_wheel_builds_a_booklet_from_any_folder(venv: Path, outside: Path) -> None:
    args = ["build", "--variant", "standard", "--format", "pdf", "--content", "content"]
    installed = run([venv / "bin" / "booklet", *args, "--out", "out"], outside)
    assert installed.returncode == 0, installed.stderr
    pdf = outside / "out" / "sample-booklet" / "sample-booklet-standard.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    # the same folder, built by the checkout: the same bytes
    checkout = run([sys.executable, "-m", "booklet", *args, "--out", "checkout-out"], outside)
    assert checkout.returncode == 0, checkout.stderr
    assert (outside / "checkout-out" / pdf.relative_to(outside / "out")).read_bytes() == pdf.read_bytes()
    # the catalogue too needs no shop package
    site = run([venv / "bin" / "booklet", "catalogue", "--content", "content", "--out", "out"], outside)
    assert site.returncode == 0, site.stderr
    assert (outside / "out" / "index.html").is_file()


@pytest.mark.slow
def test_installed_package_is_the_wheel_not_the_checkout(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    version = run([python, "-I", "-m", "booklet", "--version"], tmp_path)
    assert (version.returncode, version.stdout) == (0, f"booklet, version {VERSION}\n"), version.stderr
    assert run([venv / "bin" / "booklet", "--version"], tmp_path).stdout == version.stdout
    no_cli = run([python, "-I", "-c", "import cli"], tmp_path)
    assert no_cli.returncode == 1
    assert "ModuleNotFoundError: No module named 'cli'" in no_cli.stderr
    # every module outside the shop imports, from the environment, with no shop package there
    walk = (
        "import importlib, pkgutil, sys, booklet\n"
        "for m in pkgutil.walk_packages(booklet.__path__, 'booklet.'):\n"
        f"    if m.name != 'booklet.__main__' and not m.name.startswith('{SHOP_ONLY}.'):\n"
        "        importlib.import_module(m.name)\n"
        "for name, module in sorted(sys.modules.items()):\n"
        "    print(name, getattr(module, '__file__', None) or '')\n"
    )
    imported = run([python, "-I", "-c", walk], tmp_path)
    assert imported.returncode == 0, imported.stderr
    files = dict(line.partition(" ")[::2] for line in imported.stdout.splitlines())
    assert files["booklet.build"].startswith(str(venv / "lib"))
    assert files["booklet.render.pdf"].startswith(str(venv / "lib"))
    assert [n for n, f in files.items() if f.startswith(str(ROOT))] == []
    assert [n for n in files if n.split(".")[0] in SHOP_MODULES] == []
    assert run([python, "-I", "-c", "import flask"], tmp_path).returncode == 1  # installed without extras


@pytest.mark.slow
def test_installed_without_the_shop_extra_the_shop_says_how_to_install(venv: Path, outside: Path) -> None:
    for args in (["shop"], ["shop", "add-user", "ann@example.org", "--role", "team"]):
        done = run([venv / "bin" / "booklet", *args], outside)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "flask" in done.stderr
        assert INSTALL_HINT in done.stderr
    # the print run from a SQLite shop needs none of them; a PostgreSQL one needs psycopg
    sqlite = run([venv / "bin" / "booklet", "order", "--from-shop", "--content", "content"], outside)
    assert "Traceback" not in sqlite.stderr
    assert INSTALL_HINT not in sqlite.stderr
    pg = ["order", "--from-shop", "--db", "postgresql://localhost/shop", "--content", "content"]
    done = run([venv / "bin" / "booklet", *pg], outside)
    assert done.returncode == 1
    assert "psycopg" in done.stderr
    assert INSTALL_HINT in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("missing", ["flask", "waitress", "argon2", "email_validator"])
def test_shop_without_a_package_says_which_and_how_to_install(
    missing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # import fails as if not installed
    db = ["--db", str(tmp_path / "shop.sqlite3")]
    for args in (["add-user", "ann@example.org", "--role", "team"], ["backup", str(tmp_path / "copy")]):
        result = CliRunner().invoke(main, ["shop", *db, *args])
        assert result.exit_code == 1
        package = {"argon2": "argon2-cffi", "email_validator": "email-validator"}.get(missing, missing)
        assert result.output.startswith(f"Error: booklet shop needs {package}, not installed: ")
        assert INSTALL_HINT in result.output
        assert "pipx inject booklet" in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "copy").exists()
    assert not (tmp_path / "shop.sqlite3").exists()


def test_postgresql_without_psycopg_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    url = "postgresql://localhost/shop"
    for args in (
        ["order", "--from-shop", "--db", url, "--content", str(FIXTURES)],
        ["shop", "--db", url, "backup", str(tmp_path / "copy")],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1
        assert "needs psycopg[binary], not installed" in result.output
        assert INSTALL_HINT in result.output
    # nothing made before the refusal: no data folder beside either content folder
    assert not (FIXTURES.parent / "shop-data").exists()
    assert not (Path("content").resolve().parent / "shop-data").exists()
