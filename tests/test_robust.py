"""Robust at catalogue scale: cache, parallel renders, killed builds, huge input.

Random input is tested in test_random_input.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from booklet.build import build
from booklet.errors import BookletError, ContentError
from booklet.output import LOCK_FILE
from booklet.render.html import render
from booklet.render.pdf import Renderer
from booklet.source.project import load_booklet
from booklet.variants import VARIANTS

from .conftest import FIXTURES, GOOD_FRONT, rendered

WriteBooklet = Callable[[str, str], Path]  # the write_booklet fixture


def two_booklets(root: Path) -> Path:
    """Return a content folder with the sample booklet and a copy of it under another code."""
    folder = root / "content"
    shutil.copytree(FIXTURES, folder)
    copy = folder / "second-booklet"
    shutil.copytree(folder / "sample-booklet", copy)
    (copy / "easy-read.md").unlink()
    text = (copy / "booklet.md").read_text()
    (copy / "booklet.md").write_text(text.replace("TST-01", "TST-02"))
    return folder


@pytest.mark.slow
def test_nothing_changed_renders_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_booklets(tmp_path)
    out = tmp_path / "out"
    build(folder, out, workers=1)
    seen = rendered(monkeypatch)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    build(folder, out, workers=1)
    assert seen == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == before


@pytest.mark.slow
def test_one_edit_rebuilds_only_that_booklet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_booklets(tmp_path)
    out = tmp_path / "out"
    build(folder, out, workers=1)
    seen = rendered(monkeypatch)
    source = folder / "second-booklet" / "booklet.md"
    source.write_text(source.read_text().replace("This booklet explains", "This short booklet explains"))
    build(folder, out, workers=1)
    assert sorted(seen) == ["second-booklet/large-print", "second-booklet/standard"]


@pytest.mark.slow
def test_changed_or_deleted_output_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_booklets(tmp_path)
    out = tmp_path / "out"
    build(folder, out, workers=1)
    (out / "second-booklet" / "second-booklet-standard.pdf").write_bytes(b"tampered")
    (out / "sample-booklet" / "sample-booklet-easy-read.html").unlink()
    seen = rendered(monkeypatch)
    build(folder, out, workers=1)
    assert sorted(seen) == ["sample-booklet/easy-read", "second-booklet/standard"]  # only those two
    assert (out / "second-booklet" / "second-booklet-standard.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_no_cache_renders_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_booklets(tmp_path)
    out = tmp_path / "out"
    build(folder, out, workers=1)
    seen = rendered(monkeypatch)
    build(folder, out, use_cache=False, workers=1)
    assert len(seen) == 5


@pytest.mark.slow
def test_parallel_build_gives_the_same_bytes(tmp_path: Path) -> None:
    folder = two_booklets(tmp_path)
    one = build(folder, tmp_path / "one", workers=1)
    two = build(folder, tmp_path / "two", workers=2)
    assert [p.relative_to(tmp_path / "one") for p in one] == [p.relative_to(tmp_path / "two") for p in two]
    for a, b in zip(one, two, strict=True):
        assert a.read_bytes() == b.read_bytes(), a


# Run in a subprocess: os.replace is how booklet.output.write_bytes puts each output in place
# (its temporary file written in full first). This hook counts the outputs renamed into
# ``out`` and sends SIGKILL to its own process at the Nth: before it is renamed ("during":
# its temporary file is complete, the output still the old one) or just after ("after").
KILL_WHILE_WRITING = """
import os, signal, sys
from pathlib import Path

mode, at, content, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], Path(sys.argv[4]).resolve()
real_replace = os.replace
renamed = 0

def replace(src, dst, **kwargs):
    global renamed
    into_out = Path(dst).resolve().is_relative_to(out)
    renamed += into_out
    if into_out and renamed == at and mode == "during":
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst, **kwargs)
    if into_out and renamed == at and mode == "after":
        os.kill(os.getpid(), signal.SIGKILL)

os.replace = replace
from booklet import cli
sys.argv = ["booklet", "-q", "build", "--content", content, "--out", str(out), "-j", "1"]
cli.main()
"""


def files_in(out: Path) -> dict[Path, bytes]:
    """Return every file under ``out`` (temporary files included) with its bytes; not the lock."""
    return {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and p.name != LOCK_FILE}


def is_temporary(path: Path) -> bool:
    """Tell whether ``path`` is one of booklet.output's temporary files: hidden, beside its output."""
    return path.name.startswith(".") and path.suffix == ".tmp"


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "at"), [("after", 1), ("during", 2), ("after", 5)])
def test_killed_build_leaves_old_or_new_files(tmp_path: Path, mode: str, at: int) -> None:
    """SIGKILL a build while it writes its outputs: each is the old file or the new one, whole."""
    folder = two_booklets(tmp_path)
    first = tmp_path / "first"
    build(folder, first, workers=1)
    old = {p.relative_to(first): d for p, d in files_in(first).items()}
    for path in (folder / "sample-booklet" / "booklet.md", folder / "second-booklet" / "booklet.md"):
        path.write_text(path.read_text().replace("Treatment can make", "Some treatments can make"))
    build(folder, tmp_path / "new", workers=1)
    new = {p.relative_to(tmp_path / "new"): d for p, d in files_in(tmp_path / "new").items()}
    changed = sorted(
        p for p in new if p.suffix in (".pdf", ".html", ".epub", ".brf", ".pef") and old.get(p) != new[p]
    )
    assert len(changed) >= 5, changed

    out = tmp_path / "out"
    shutil.copytree(first, out)
    killed = subprocess.run(
        [sys.executable, "-c", KILL_WHILE_WRITING, mode, str(at), str(folder), str(out)],
        cwd=Path(__file__).parent.parent,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, "the build must be killed while writing"

    after = {p.relative_to(out): d for p, d in files_in(out).items()}
    temporary = [p for p in after if is_temporary(p)]
    visible = {p: d for p, d in after.items() if p not in temporary}
    assert set(visible) == set(old), "no file appears or disappears but the build's own"
    for path, data in visible.items():
        assert data in (old[path], new[path]), f"{path} is neither the old file nor the new one"
    made = [p for p in changed if visible[p] == new[p]]
    assert made == changed[: at if mode == "after" else at - 1], "written in order, up to the kill"
    if mode == "during":  # the file being written when killed: its complete temporary copy, hidden
        assert [p.parent for p in temporary] == [changed[at - 1].parent]
        assert temporary[0].name.startswith(f".{changed[at - 1].name}.")
        assert after[temporary[0]] == new[changed[at - 1]]
        assert visible[changed[at - 1]] == old[changed[at - 1]]
    else:
        assert temporary == []

    build(folder, out, workers=1)  # the next build recovers: every output new, no temporary file left
    assert {p.relative_to(out): d for p, d in files_in(out).items() if p.suffix != ".json"} == {
        p: d for p, d in new.items() if p.suffix != ".json"
    }


def test_huge_source_is_refused_quickly(write_booklet: WriteBooklet, sample_content: Path) -> None:
    path = write_booklet("huge", GOOD_FRONT + "# A\n\n" + "Words and more words. " * 250_000)
    assert path.stat().st_size > 5_000_000
    started = time.perf_counter()
    with pytest.raises(ContentError, match="larger than the 2 MB"):
        load_booklet(sample_content, "huge")
    assert time.perf_counter() - started < 2


def test_huge_picture_is_refused(write_booklet: WriteBooklet, sample_content: Path) -> None:
    path = write_booklet("bigpic", GOOD_FRONT + "# A\n\n![A big picture](images/big.png)\n")
    (path.parent / "images").mkdir()
    with open(path.parent / "images" / "big.png", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ContentError, match="pictures may be 20 MB at most"):
        load_booklet(sample_content, "bigpic")


def test_no_connection_is_attempted(tmp_path: Path) -> None:
    """A picture on a web server is refused before any connection is made."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    html = (
        f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><h1>T</h1>'
        f'<img src="http://127.0.0.1:{port}/x.png" alt="x"></body></html>'
    )
    with pytest.raises(BookletError, match="no network access"):
        Renderer().pdf(html, tmp_path, ("base.css",), tmp_path / "booklet.md")
    with pytest.raises(TimeoutError):
        server.accept()
    server.close()


@pytest.mark.slow
def test_image_cache_holds_one_booklet(tmp_path: Path) -> None:
    """WeasyPrint's image cache grew by megabytes a booklet; a worker keeps only the current one's."""
    folder = two_booklets(tmp_path)
    renderer = Renderer()
    variant = VARIANTS["standard"]
    sizes = []
    for slug in ("sample-booklet", "second-booklet", "sample-booklet"):
        booklet = load_booklet(folder, slug)
        renderer.pdf(render(booklet, variant), booklet.folder, variant.stylesheets, booklet.source.path)
        sizes.append(len(renderer._cache))
    assert sizes[0] == sizes[1] == sizes[2] > 0


# The process then ends without Python's clean-up at exit (which would delete a font folder the
# build left behind, when it collects the font configuration): the build must remove its own.
WITHOUT_CLEAN_UP = """
from booklet import cli
try:
    cli.main()
except SystemExit as exc:
    os._exit(exc.code if isinstance(exc.code, int) else 1)
"""


def build_in_own_temp(folder: Path, out: Path, temp: Path, workers: int, code: str = "") -> None:
    """Build with the booklet program in a process whose temporary folder is ``temp``, not /tmp."""
    command = [
        sys.executable,
        "-c",
        "import os; " + code + WITHOUT_CLEAN_UP,
        "-q",
        "build",
        "--content",
        str(folder),
        "--out",
        str(out),
        "-j",
        str(workers),
    ]
    env = {**os.environ, "TMPDIR": str(temp)}
    subprocess.run(command, cwd=Path(__file__).parent.parent, env=env, check=True)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_no_font_folders_are_left_behind(tmp_path: Path, workers: int) -> None:
    """WeasyPrint keeps fonts in a temporary folder; builds (pool workers too) remove theirs.

    The build runs with its own temporary folder, so that no other WeasyPrint process
    sharing /tmp can add or remove a font folder while it is being watched.
    """
    folder = two_booklets(tmp_path)
    temp = tmp_path / "temp"
    temp.mkdir()
    build_in_own_temp(folder, tmp_path / "out", temp, workers)
    assert list(temp.iterdir()) == []


@pytest.mark.slow
def test_font_folders_would_be_seen(tmp_path: Path) -> None:
    """The check above can fail: a build whose renderers are never closed leaves its folder there."""
    folder = two_booklets(tmp_path)
    temp = tmp_path / "temp"
    temp.mkdir()
    leak = "from booklet.render.pdf import Renderer; Renderer.close = lambda self: None; "
    build_in_own_temp(folder, tmp_path / "out", temp, 1, code=leak)
    assert [p.name.startswith("weasyprint-") for p in temp.iterdir()] == [True]
