"""The build as a whole: reproducible bytes and safe writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet import output
from booklet.build import build


def test_same_input_gives_same_bytes(sample_content: Path, tmp_path: Path) -> None:
    first = build(sample_content, tmp_path / "a")
    second = build(sample_content, tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x" / "file.pdf"
    output.write_bytes(target, b"old")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        output.write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["file.pdf"]
