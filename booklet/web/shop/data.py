"""Where the shop keeps its data: a private folder of its own, never under the published output.

The folder (``--data``, ``$BOOKLET_SHOP_DATA``, else ``shop-data`` beside the content folder)
holds the SQLite database (``shop.sqlite3``, with its ``-wal`` and ``-shm``), the key that
signs sessions (``session.key``, unless ``$BOOKLET_SHOP_SECRET`` gives it) and, when no SMTP
server is set, the messages in ``outbox/``. The folder is 0700 and every file 0600, made so
from their first moment (``os.open`` with the mode, ``mkstemp``), never widened after.

A shop from before kept its database in ``OUT/shop.sqlite3`` and its messages in
``OUT/shop-outbox/``, which ``booklet serve`` and a published catalogue handed out.
:func:`prepare` moves them here once (the database copied with SQLite's backup API, then
the old files removed), and says so in one line.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import tempfile
from pathlib import Path

from ...errors import BookletError
from ...log import LOGGER
from .db import default_url, private_file

ENV_DATA = "BOOKLET_SHOP_DATA"
ENV_SECRET = "BOOKLET_SHOP_SECRET"
DATABASE = "shop.sqlite3"
KEY_FILE = "session.key"
OUTBOX = "outbox"
OLD_DATABASE = "shop.sqlite3"  # under OUT/, before the data folder
OLD_OUTBOX = "shop-outbox"
MIN_SECRET = 32  # characters of a key given in the environment
SIDECARS = ("-wal", "-shm", "-journal")  # SQLite's files beside a database


def folder(content_dir: Path, given: Path | None = None) -> Path:
    """Return the data folder: ``given``, else $BOOKLET_SHOP_DATA, else shop-data beside the content."""
    if given is not None:
        return given
    if os.environ.get(ENV_DATA):
        return Path(os.environ[ENV_DATA])
    return content_dir.resolve().parent / "shop-data"


def make_private_folder(path: Path) -> None:
    """Make a folder only its owner can open (0700), or narrow one that exists."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except OSError as exc:
        raise BookletError(f"{path}: the shop's data folder cannot be made ({exc.strerror or exc})") from None


def prepare(data: Path, out: Path | None = None) -> Path:
    """Make the data folder private, move an old shop's files into it from ``out``; return it.

    Refuses a data folder inside ``out``: what is under the output folder is published.
    """
    if out is not None and data.resolve().is_relative_to(out.resolve()):
        raise BookletError(
            f"{data}: the shop's data folder is inside the output folder {out}, which is published; "
            "give --data a folder outside it"
        )
    make_private_folder(data)
    if out is not None:
        _move_old_layout(out, data)
    return data


def database_url(
    content_dir: Path, out_dir: Path, data_dir: Path | None, db_url: str | None
) -> tuple[Path, str]:
    """Return the shop's data folder (made private, an old layout moved in) and its database URL."""
    found = prepare(folder(content_dir, data_dir), out_dir)
    return found, db_url or default_url(found)


def database(data: Path) -> Path:
    """Return the SQLite database of a data folder."""
    return data / DATABASE


def outbox(data: Path) -> Path:
    """Return the folder messages are written to when no SMTP server is set."""
    return data / OUTBOX


def secret_key(data: Path) -> str:
    """Return the key that signs sessions: $BOOKLET_SHOP_SECRET, else DATA/session.key (made once, 0600)."""
    given = os.environ.get(ENV_SECRET, "")
    if given:
        if len(given) < MIN_SECRET:
            raise BookletError(f"{ENV_SECRET}: use at least {MIN_SECRET} random characters")
        return given
    path = data / KEY_FILE
    if not path.exists():
        _make_key(path)
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise BookletError(f"{path}: the session key cannot be read ({exc})") from None
    if len(key) < MIN_SECRET:
        raise BookletError(f"{path}: the session key is too short; delete the file to make a new one")
    return key


def _make_key(path: Path) -> None:
    """Write a new random key to ``path`` (0600), whole or not at all; two shops at once share one."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(name, path)  # never replaces a key another process has just made
            except FileExistsError:
                pass
        finally:
            Path(name).unlink(missing_ok=True)
    except OSError as exc:
        raise BookletError(f"{path}: the session key cannot be made ({exc.strerror or exc})") from None


def _move_old_layout(out: Path, data: Path) -> None:
    """Move the database and outbox an older shop kept under OUT into the data folder, once."""
    old_db, old_box = out / OLD_DATABASE, out / OLD_OUTBOX
    moved = []
    if old_db.is_file():
        new_db = database(data)
        if new_db.exists():
            raise BookletError(
                f"{old_db}: an older shop's database is still in the output folder, and {new_db} exists too; "
                "keep the one you want (booklet shop backup can copy either) and delete the other"
            )
        _copy_database(old_db, new_db)
        for suffix in ("", *SIDECARS):
            Path(f"{old_db}{suffix}").unlink(missing_ok=True)
        moved.append(OLD_DATABASE)
    if old_box.is_dir():
        target = outbox(data)
        make_private_folder(target)
        count = 0
        for item in sorted(old_box.iterdir()):
            destination = target / item.name
            if not destination.exists():
                shutil.move(item, destination)
                destination.chmod(0o600)
                count += 1
        if not any(old_box.iterdir()):
            old_box.rmdir()
        moved.append(f"{OLD_OUTBOX}/ ({count} messages)")
    if moved:
        LOGGER.warning(
            "Moved the shop's %s from %s (which is published) into its private data folder %s",
            " and ".join(moved),
            out,
            data,
        )


def _copy_database(old: Path, new: Path) -> None:
    """Copy a SQLite database (its WAL included) into a new private file with SQLite's backup API."""
    private_file(new)
    try:
        source = sqlite3.connect(old)
        try:
            target = sqlite3.connect(new)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        new.unlink(missing_ok=True)
        raise BookletError(f"{old}: the older shop's database cannot be moved ({exc})") from None
