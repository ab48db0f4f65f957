"""Robust at catalogue scale: cache, parallel renders, killed builds, any input, huge input."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booklet import build as build_module
from booklet import content
from booklet.build import build
from booklet.errors import BookletError, ContentError
from booklet.render_html import render
from booklet.render_pdf import Renderer
from booklet.variants import VARIANTS

from .conftest import FIXTURES, GOOD_FRONT


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


def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count renders, in this process (workers=1)."""
    seen: list[str] = []
    real = build_module.render

    def counting(booklet, variant, out, renderer):  # type: ignore[no-untyped-def]
        seen.append(f"{booklet.slug}/{variant.stem}")
        return real(booklet, variant, out, renderer)

    monkeypatch.setattr(build_module, "render", counting)
    return seen


def test_nothing_changed_renders_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_booklets(tmp_path)
    out = tmp_path / "out"
    build(folder, out, workers=1)
    seen = rendered(monkeypatch)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    build(folder, out, workers=1)
    assert seen == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == before


def test_one_edit_rebuilds_only_that_booklet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_booklets(tmp_path)
    out = tmp_path / "out"
    build(folder, out, workers=1)
    seen = rendered(monkeypatch)
    source = folder / "second-booklet" / "booklet.md"
    source.write_text(source.read_text().replace("This booklet explains", "This short booklet explains"))
    build(folder, out, workers=1)
    assert sorted(seen) == ["second-booklet/large-print", "second-booklet/standard"]


def test_changed_or_deleted_output_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_booklets(tmp_path)
    out = tmp_path / "out"
    build(folder, out, workers=1)
    (out / "second-booklet" / "second-booklet-standard.pdf").write_bytes(b"tampered")
    (out / "sample-booklet" / "sample-booklet-easy-read.html").unlink()
    seen = rendered(monkeypatch)
    build(folder, out, workers=1)
    assert sorted(seen) == [
        "sample-booklet/easy-read",
        "sample-booklet/large-print",
        "sample-booklet/standard",
        "second-booklet/large-print",
        "second-booklet/standard",
    ]
    assert (out / "second-booklet" / "second-booklet-standard.pdf").read_bytes().startswith(b"%PDF")


def test_no_cache_renders_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_booklets(tmp_path)
    out = tmp_path / "out"
    build(folder, out, workers=1)
    seen = rendered(monkeypatch)
    build(folder, out, use_cache=False, workers=1)
    assert len(seen) == 5


def test_parallel_build_gives_the_same_bytes(tmp_path: Path) -> None:
    folder = two_booklets(tmp_path)
    one = build(folder, tmp_path / "one", workers=1)
    two = build(folder, tmp_path / "two", workers=2)
    assert [p.relative_to(tmp_path / "one") for p in one] == [p.relative_to(tmp_path / "two") for p in two]
    for a, b in zip(one, two, strict=True):
        assert a.read_bytes() == b.read_bytes(), a


def test_killed_build_leaves_old_or_new_files(tmp_path: Path) -> None:
    """SIGKILL a build at several moments: every output is the old file or the new one, whole."""
    folder = two_booklets(tmp_path)
    out = tmp_path / "out"
    build(folder, out, workers=1)
    old = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix in (".pdf", ".html")}
    for path in (folder / "sample-booklet" / "booklet.md", folder / "second-booklet" / "booklet.md"):
        path.write_text(path.read_text().replace("Treatment can make", "Some treatments can make"))
    new_out = tmp_path / "new"
    build(folder, new_out, workers=1)
    new = {
        out / p.relative_to(new_out): p.read_bytes()
        for p in new_out.rglob("*")
        if p.suffix in (".pdf", ".html")
    }
    command = [
        sys.executable,
        "-c",
        "import cli; cli.main()",
        "-q",
        "build",
        "--content",
        str(folder),
        "--out",
        str(out),
        "--no-cache",
        "-j",
        "1",
    ]
    for delay in (0.9, 1.6, 2.4, 3.2):
        process = subprocess.Popen(command, cwd=Path(__file__).parent.parent)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for path, data in old.items():
            assert path.read_bytes() in (data, new[path]), f"{path} after {delay} s"
    build(folder, out, workers=1)
    assert not list(out.rglob(".*.tmp"))


MARKDOWN = st.text(
    alphabet=st.sampled_from(list("abc XYZ #*_-[]()!@;:|`>\n\t0123456789é€<>&\"'\\{}=~+.,/")), max_size=400
)
VALUES = st.one_of(
    st.text(max_size=20), st.integers(), st.booleans(), st.none(), st.lists(st.text(max_size=5))
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=MARKDOWN,
    title=VALUES,
    extra=st.dictionaries(st.sampled_from(["subtitle", "summary", "glossary", "reviewed_by", "odd"]), VALUES),
)
def test_any_input_gives_a_pdf_or_a_clear_error(
    tmp_path: Path, body: str, title: object, extra: dict[str, object]
) -> None:
    import yaml

    folder = tmp_path / "content" / "random"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "publisher.yml", tmp_path / "content" / "publisher.yml")
    front = {
        "title": title,
        "code": "RND-01",
        "published": "2026-01-01",
        "next_review": "2027-01-01",
        "references": [{"id": "one", "text": "A reference."}],
        **extra,
    }
    (folder / "booklet.md").write_text("---\n" + yaml.safe_dump(front) + "---\n" + body, encoding="utf-8")
    try:
        booklet = content.load_booklet(
            tmp_path / "content", "random", content.load_publisher(tmp_path / "content")
        )
        variant = VARIANTS["standard"]
        pdf = Renderer().pdf(
            render(booklet, variant), booklet.folder, variant.stylesheets, booklet.source.path
        )
        assert pdf.startswith(b"%PDF")
    except BookletError:
        pass


def test_huge_source_is_refused_quickly(write_booklet, sample_content: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_booklet("huge", GOOD_FRONT + "# A\n\n" + "Words and more words. " * 250_000)
    assert path.stat().st_size > 5_000_000
    started = time.perf_counter()
    with pytest.raises(ContentError, match="larger than the 2 MB"):
        content.load_booklet(sample_content, "huge", content.load_publisher(sample_content))
    assert time.perf_counter() - started < 2


def test_huge_picture_is_refused(write_booklet, sample_content: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_booklet("bigpic", GOOD_FRONT + "# A\n\n![A big picture](images/big.png)\n")
    (path.parent / "images").mkdir()
    with open(path.parent / "images" / "big.png", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ContentError, match="pictures may be 20 MB at most"):
        content.load_booklet(sample_content, "bigpic", content.load_publisher(sample_content))


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


def test_image_cache_holds_one_booklet(tmp_path: Path) -> None:
    """WeasyPrint's image cache grew by megabytes a booklet; a worker keeps only the current one's."""
    folder = two_booklets(tmp_path)
    renderer = Renderer()
    variant = VARIANTS["standard"]
    sizes = []
    for slug in ("sample-booklet", "second-booklet", "sample-booklet"):
        booklet = content.load_booklet(folder, slug, content.load_publisher(folder))
        renderer.pdf(render(booklet, variant), booklet.folder, variant.stylesheets, booklet.source.path)
        sizes.append(len(renderer._cache))
    assert sizes[0] == sizes[1] == sizes[2] > 0


@pytest.mark.parametrize("workers", [1, 2])
def test_no_font_folders_are_left_behind(tmp_path: Path, workers: int) -> None:
    """WeasyPrint keeps fonts in a temporary folder; builds (pool workers too) remove theirs."""
    import tempfile

    def font_folders() -> set[Path]:
        return set(Path(tempfile.gettempdir()).glob("weasyprint-*"))

    folder = two_booklets(tmp_path)
    before = font_folders()
    build(folder, tmp_path / "out", workers=workers)
    assert font_folders() - before == set()
