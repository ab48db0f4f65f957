"""The build cache: an output is made again only when something that feeds it changed.

Each output is recorded in ``OUT/.booklet-cache.json`` with the key it was made from
(a hash of the booklet's folder, the publisher, styles, fonts, pictograms, templates,
booklet's own code and the variant's settings) and the hash of the bytes written. A
later build skips a booklet whose outputs all exist, still hold those bytes, and
would be made from the same key.
"""

from __future__ import annotations

import functools
import hashlib
import json
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, output
from .errors import ContentError
from .paths import CACHE_FILE, FONTS, PICTOGRAMS, STYLES
from .source import reading, rules
from .variants import Variant

PICTURE = "picture"  # the key of a booklet's picture copied beside its web pages
CODE = Path(__file__).resolve().parent
TEMPLATES = CODE / "render" / "templates"  # every template counts, whatever its suffix (.html, .opf, .xhtml)


def _digest_files(paths: Iterable[Path], root: Path, content: Path | None = None) -> str:
    """Return a hash of files' names (relative to ``root``) and bytes.

    With ``content`` (the content folder), each file is read as loading reads it
    (:func:`_digest_of`): nothing outside that folder, nothing but a regular file, and no
    more than a source or picture may hold. Without it (the tool's own files), as they are.
    """
    h = hashlib.sha256()
    for path in sorted(paths):
        if content is not None:
            digest = _digest_of(path, content)
        elif path.is_file():
            digest = hashlib.sha256(path.read_bytes()).digest()
        else:
            digest = None
        if digest is None:
            continue
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(digest)
    return h.hexdigest()


def _digest_of(path: Path, content: Path) -> bytes | None:
    """Return the hash of a content file's bytes, read through the sources' bounded reader (None: a folder).

    A file that resolves outside the content folder, is not a regular file (a device such as
    /dev/zero, a FIFO) or is larger than the most a source or picture may be is not read:
    its hash is of what loading says of it, which refuses it. So a link to a huge file is
    not read to weigh a build.
    """
    try:
        if not stat.S_ISREG(mode := path.stat().st_mode):
            return None if stat.S_ISDIR(mode) and not reading.outside(path, content) else _refused(path)
        limit = reading.MAX_SOURCE_BYTES if path.suffix in SOURCE_SUFFIXES else rules.MAX_PICTURE_BYTES
        return hashlib.sha256(reading.read_bytes(path, content, limit)).digest()
    except ContentError as exc:
        return b"refused\0" + str(exc).encode()
    except OSError as exc:  # gone, or a link that leads nowhere
        return b"unreadable\0" + str(exc.strerror).encode()


def _refused(path: Path) -> bytes:
    """Return what loading says of a path that is not a regular file inside the content folder."""
    return b"not a file\0" + str(path.resolve()).encode()


@functools.cache
def tool_digest() -> str:
    """Return a hash of everything of booklet's own that shapes an output (once per process)."""
    parts = [
        __version__,
        _digest_files(STYLES.rglob("*"), STYLES),
        _digest_files(FONTS.rglob("*"), FONTS),
        _digest_files(PICTOGRAMS.rglob("*"), PICTOGRAMS),
        _digest_files(
            # .yml: the message catalogues, the words of the templates and of parts to be supplied
            (p for p in CODE.rglob("*") if p.suffix in (".py", ".html", ".yml") or TEMPLATES in p.parents),
            CODE,
        ),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


SOURCES = ("booklet.md", "easy-read.md")  # a variant is made from booklet.md and its own source
SOURCE_SUFFIXES = (".md", ".yml", ".yaml")  # read as sources: at most reading.MAX_SOURCE_BYTES
TRANSLATIONS = "translations"  # a booklet's folder of translations (booklet/source/translations.py)


def _walk(folder: Path, content: Path) -> list[Path]:
    """Return the paths under a folder, going into no folder that leads outside ``content``.

    A folder that does (the booklet's own, a translation's, one inside them linked from
    elsewhere) is one path, hashed as loading refuses it (:func:`_digest_of`), not walked.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    todo = [folder]
    while todo:
        here = todo.pop()
        if not here.is_dir() or reading.outside(here, content):
            found.append(here)  # a file, a link to one, or a folder outside (refused)
        elif (real := here.resolve()) not in seen:  # a folder linked twice, or into itself, once
            seen.add(real)
            todo += here.iterdir()
    return found if folder.exists() or folder.is_symlink() else []


def _files(folder: Path, content: Path) -> Iterable[Path]:
    """Return a booklet folder's files, leaving out its translations."""
    return (p for p in _walk(folder, content) if TRANSLATIONS not in p.relative_to(folder).parts[:1])


def key(content_dir: Path, folder: Path, variant: Variant, lang: str = "") -> str:
    """Return the key of one variant of the booklet in ``folder`` (of its translation into ``lang``).

    It covers the tool, publisher.yml, the variant's settings and the booklet's files, but
    not the source of another variant: editing easy-read.md leaves standard print current.
    The original's key leaves out its translations; a translation's covers the original too
    (its front matter gives the translation's code, dates and references).
    """
    others = {folder / name for name in SOURCES if name not in ("booklet.md", variant.source)}
    own = folder / TRANSLATIONS / lang
    others |= {own / name for name in SOURCES if name not in ("booklet.md", variant.source)}
    parts = [
        tool_digest(),
        _digest_files([content_dir / "publisher.yml"], content_dir, content_dir),
        _digest_files((p for p in _files(folder, content_dir) if p not in others), folder, content_dir),
        _digest_files((p for p in _walk(own, content_dir) if p not in others), folder, content_dir)
        if lang
        else "",
        repr(variant),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


MODEL = ".model"  # the cache's record of a booklet's model: its entry '<slug>/.model' (no file)


def folder_key(content_dir: Path, folder: Path) -> str:
    """Return the key of a whole booklet folder, its translations too: what its model is read from.

    One pass over its files: the tool, publisher.yml and every file of the folder. While it
    is unchanged, the model the cache recorded for it (:class:`Model`) still holds.
    """
    parts = [
        tool_digest(),
        _digest_files([content_dir / "publisher.yml"], content_dir, content_dir),
        _digest_files(_walk(folder, content_dir), folder, content_dir),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Model:
    """What a build recorded of a booklet it loaded: enough to weigh its outputs without reading it.

    ``keys`` maps '<job>|<stem>' (job: the slug, or '<slug>/<lang>') to that output's cache key.
    """

    code: str
    variants: tuple[str, ...]
    translations: tuple[tuple[str, tuple[str, ...]], ...]  # (language tag, its variants)
    keys: dict[str, str]

    def dumps(self) -> str:
        """Return the record as JSON text (a cache entry holds text)."""
        return json.dumps([self.code, self.variants, self.translations, self.keys])

    @classmethod
    def loads(cls, text: str) -> Model | None:
        """Read a record written by :meth:`dumps` (None: unreadable, so the booklet is read instead)."""
        try:
            code, variants, langs, keys = json.loads(text)
            return cls(
                str(code),
                tuple(map(str, variants)),
                tuple((str(tag), tuple(map(str, names))) for tag, names in langs),
                {str(k): str(v) for k, v in keys.items()},
            )
        except (ValueError, TypeError, AttributeError):
            return None


@dataclass
class Cache:
    """What was made, from which key, with which bytes."""

    out: Path
    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> Cache:
        """Read the cache of an output folder (an unreadable one is treated as empty)."""
        try:
            entries = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        if not isinstance(entries, dict):
            entries = {}
        good = {  # an edited or damaged entry is forgotten: its output is made again
            name: entry
            for name, entry in entries.items()
            if isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values())
        }
        return cls(out, good)

    def fresh(self, paths: Iterable[Path], key: str) -> bool:
        """Tell whether every path was made from ``key`` and still holds what was written."""
        for path in paths:
            entry = self.entries.get(str(path.relative_to(self.out)))
            if not entry or entry.get("key") != key:
                return False
            try:
                if hashlib.sha256(path.read_bytes()).hexdigest() != entry.get("sha256"):
                    return False
            except OSError:
                return False
        return True

    def made_under(self, folder: Path) -> list[Path]:
        """Return the recorded outputs inside ``folder``."""
        prefix = str(folder.relative_to(self.out)).rstrip("/") + "/"
        return [self.out / name for name in self.entries if name.startswith(prefix)]

    def record(self, files: dict[Path, bytes], key: str, content: Path | None = None) -> None:
        """Remember that these files were made from ``key`` (of a booklet of the ``content`` folder)."""
        for path, data in files.items():
            entry = {"key": key, "sha256": hashlib.sha256(data).hexdigest()}
            if content is not None:
                entry["content"] = str(content.resolve())
            self.entries[str(path.relative_to(self.out))] = entry

    def model(self, slug: str, folder: str) -> Model | None:
        """Return the model recorded for a booklet whose folder still has key ``folder`` (else None)."""
        entry = self.entries.get(f"{slug}/{MODEL}")
        if not entry or entry.get("key") != folder:
            return None
        return Model.loads(entry.get("model", ""))

    def record_model(self, slug: str, folder: str, model: Model, content: Path) -> None:
        """Remember the model of a booklet read from its folder with key ``folder``."""
        self.entries[f"{slug}/{MODEL}"] = {
            "key": folder,
            "model": model.dumps(),
            "content": str(content.resolve()),
        }

    def save(self) -> None:
        """Write the cache file (atomically, like every output)."""
        data = json.dumps(self.entries, indent=1, sort_keys=True).encode()
        output.write_bytes(self.out / CACHE_FILE, data)
