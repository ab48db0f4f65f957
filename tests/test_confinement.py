"""Rendering reads only the booklet's folder, styles/ and fonts/: every escape is refused."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from booklet.errors import RenderError
from booklet.render.pdf import Renderer

PAGE = '<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body><h1>T</h1>{}</body></html>'
SECRET = "not-for-the-pdf-7c1e"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "outside.txt").write_text(SECRET)
    booklet = tmp_path / "booklet"
    (booklet / "images").mkdir(parents=True)
    (booklet / "images" / "ok.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>"
    )
    os.symlink(tmp_path / "outside.txt", booklet / "images" / "link.svg")
    return booklet


def render(renderer: Renderer, folder: Path, body: str) -> bytes:
    return renderer.pdf(PAGE.format(body), folder, ("base.css", "standard.css"), folder / "booklet.md")


def test_own_pictures_are_read(renderer: Renderer, folder: Path) -> None:
    assert render(renderer, folder, '<img src="images/ok.svg" alt="A square">').startswith(b"%PDF")


ESCAPES = {
    "absolute file": '<img src="file:///etc/hostname" alt="x">',
    "dot-dot": '<img src="../outside.txt" alt="x">',
    "deep dot-dot": '<img src="images/../../outside.txt" alt="x">',
    "symlink out": '<img src="images/link.svg" alt="x">',
    "http": '<img src="http://127.0.0.1:9/x.png" alt="x">',
    "https stylesheet": '<link rel="stylesheet" href="https://example.org/x.css">',
    "attachment": '<link rel="attachment" href="../outside.txt">',
    "anchor attachment": '<a rel="attachment" href="../outside.txt">file</a>',
    "css background": '<p style="background: url(../outside.txt)">x</p>',
    "big data url": '<img alt="x" src="data:image/png;base64,{}">'.format(
        base64.b64encode(b"0" * 100_000).decode()
    ),
}


@pytest.mark.parametrize("body", ESCAPES.values(), ids=ESCAPES.keys())
def test_escape_is_refused(renderer: Renderer, folder: Path, body: str) -> None:
    with pytest.raises(RenderError) as info:
        render(renderer, folder, body)
    message = str(info.value)
    assert str(folder / "booklet.md") in message
    assert "refused" in message
