"""Safe writes: each output goes to a temporary file beside it, then is renamed into place.

A build stopped at any moment leaves every output either the old complete file
or the new complete one, never a half-written file. A temporary file's name holds the
process id of the writer; only those of writers no longer running are cleaned up, so two
processes writing into one output folder never remove each other's. One build at a time
writes into an output folder (:func:`locked`). A write that fails (a full disk, a
read-only folder) is a :class:`~booklet.errors.WriteError` naming the file.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .errors import WriteError
from .log import LOGGER, PROGRESS

LOCK_FILE = ".booklet.lock"
TEMPORARY_RE = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent folders."""
    try:
        _write(path, data)
    except OSError as exc:
        raise WriteError(path, exc) from None


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by its owner only (0600): files about people."""
    try:
        _write(path, data, 0o600)
    except OSError as exc:
        raise WriteError(path, exc) from None


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp made it 0600: never wider than asked, at any moment
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
    """Remove temporary files left by a writer that was killed (never those of one still running)."""
    if out.is_dir():
        for stale in out.rglob(".*.tmp"):
            match = TEMPORARY_RE.match(stale.name)
            if match is None or not _running(int(match[1])):
                stale.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != 0


_local = threading.local()  # the output folders this thread holds the lock of, and how many times


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output folder's lock: one writer at a time; a second waits, saying who holds it.

    Re-entrant within a thread (``catalogue --build`` builds, then writes the site).
    """
    key = out.resolve()
    _held: dict[Path, int] = _local.__dict__.setdefault("held", {})
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    with _locked(out):
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = (out / LOCK_FILE).open("a+")
    except OSError as exc:
        raise WriteError(out / LOCK_FILE, exc) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise WriteError(out / LOCK_FILE, exc) from None
            handle.seek(0)
            holder = handle.read().strip() or "another booklet command"
            LOGGER.warning("Waiting for %s, which is writing into %s", holder, out)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"booklet (process {os.getpid()})\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
