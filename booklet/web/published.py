"""The catalogue's allow-list: every file of out/ the catalogue publishes, written as it is built.

``out/`` holds more than the catalogue: the build cache (``.booklet-cache.json``), the lock
(``.booklet.lock``), print files and print runs (with volunteers' names and addresses), the
page maps, and perhaps an order shop's data. The catalogue writes the list of what it
publishes to ``out/.booklet-published.txt``, one path a line relative to ``out/`` (usable as
``rsync --files-from``); ``booklet serve`` serves those files and nothing else. The list is
made from what the catalogue shows: its own pages and order form, the shared styles, fonts
and pictograms, and of each booklet listed its downloads (PDF, web page, e-book, braille),
the pictures its web pages show and its cover thumbnail. A name starting with a dot is never
on it, whatever made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .. import paths

LIST = ".booklet-published.txt"


def path_of(out: Path) -> Path:
    """Return the file holding the allow-list of ``out``."""
    return out / LIST


def allowed(name: str) -> bool:
    """Tell whether a relative POSIX path may be published: no part hidden, none '..', not absolute."""
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and not any(p.startswith(".") for p in parts)


def pictures(folder: Path, out: Path) -> list[str]:
    """Return the pictures a booklet's (or translation's) web pages use: its images/ folder's files."""
    images = folder / paths.IMAGES
    if not images.is_dir():
        return []
    return [p.relative_to(out).as_posix() for p in sorted(images.iterdir()) if p.is_file()]


def render(names: Iterable[str]) -> bytes:
    """Return the allow-list's text: each allowed name once, sorted, one a line."""
    return "".join(f"{name}\n" for name in sorted({n for n in names if allowed(n)})).encode()


def read(out: Path) -> frozenset[str]:
    """Return the names the catalogue of ``out`` publishes (none when it wrote no list)."""
    try:
        text = path_of(out).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(line for line in text.splitlines() if allowed(line))


class Published:
    """The allow-list of ``out``, read again only when its file changes (serve asks on every request)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._key: tuple[int, int] | None = None
        self._names: frozenset[str] = frozenset()

    def names(self) -> frozenset[str]:
        """Return the published names as the list on disk now says."""
        try:
            info = path_of(self.out).stat()
            key = (info.st_mtime_ns, info.st_size)
        except OSError:
            return frozenset()
        if key != self._key:
            self._names, self._key = read(self.out), key
        return self._names
