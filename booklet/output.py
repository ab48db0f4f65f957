"""Safe writes: each output goes to a temporary file beside it, then is renamed into place.

A build stopped at any moment leaves every output either the old complete file
or the new complete one, never a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .log import PROGRESS


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def unchanged(path: Path, data: bytes) -> bool:
    """Tell whether ``path`` already holds exactly ``data`` (so writing it again can be skipped)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file atomically, in a stable order, skipping identical ones; return all paths."""
    for path in sorted(files):
        if unchanged(path, files[path]):
            os.utime(path)  # made again, same bytes: its date says it is current
            PROGRESS.debug("Unchanged %s", path)
            continue
        write_bytes(path, files[path])
        PROGRESS.info("Wrote %s", path)
    return sorted(files)


def copy_files(pairs: Iterable[tuple[Path, Path]]) -> dict[Path, bytes]:
    """Read source files for copying: return {destination: bytes}, to be written with the rest."""
    return {dest: src.read_bytes() for src, dest in pairs}


def clean_temporary(out: Path) -> None:
    """Remove temporary files left by a build that was killed while writing."""
    if out.is_dir():
        for stale in out.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)
