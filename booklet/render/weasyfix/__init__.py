"""Mends for WeasyPrint 70.0's tagged PDFs, in force only inside ``with mended():``.

Each module mends one part and says what it mends and why:

- :mod:`.paint`: running heads, leaders and list markers painted as content, or out of order;
- :mod:`.text`: lines that lose their words or spaces; glyphs without text (:mod:`.clusters`);
- :mod:`.tags`: the structure tree (links, table headers, terms, languages);
- :func:`finish` (passed to ``write_pdf`` as its ``finisher``): link annotations lack the
  Print flag (outloud LNK-004), and PDF/X's random XMP DocumentID breaks same input, same bytes.

All but the last reach into private WeasyPrint functions. :func:`mended` puts its versions
in place when the first render enters it and puts WeasyPrint's own back when the last one
leaves; while they are in place they act only for code running inside ``mended()`` (a
context variable says so), so another thread rendering with WeasyPrint at the same time
gets WeasyPrint's own behaviour. They are pinned to the version they were written for:
any other version is refused with :class:`UnsupportedWeasyPrintError`. ``tests/test_weasyfix.py``
checks each mend on a tiny document; ``tests/test_pdf.py`` checks the result with the
validators.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf

from ...errors import RenderError
from ...source.messages import Catalogue
from . import paint, tags, text
from .state import ACTIVE, Replacement

PINNED = "70.0"
DOCUMENT_ID_RE = re.compile(rb"xmp\.did:[0-9a-f-]{36}")

_lock = threading.Lock()
_users = 0  # renders inside mended(), in every thread
_saved: list[Replacement] = []  # (owner, attribute, WeasyPrint's own value) while installed


class UnsupportedWeasyPrintError(RenderError):
    """The installed WeasyPrint is not the version the mends were written for."""


def check_version() -> None:
    """Refuse any WeasyPrint but the one the mends were written for, saying how to install it."""
    import weasyprint  # deferred: importing WeasyPrint takes about half a second

    installed = getattr(weasyprint, "__version__", "unknown")
    if installed != PINNED:
        raise UnsupportedWeasyPrintError(
            f"WeasyPrint {installed} is installed, but booklet needs WeasyPrint {PINNED}: "
            f"its tagged-PDF mends (booklet/render/weasyfix/) were written for {PINNED} only. "
            f"Install it with: pip install weasyprint=={PINNED}"
        )


@contextmanager
def mended(words: Catalogue | None = None) -> Iterator[None]:
    """Render with the mends in force; outside this block WeasyPrint behaves as its own.

    ``words``: the document's words for what a screen reader hears of a link (the
    publisher's over the package's, in the document's language); None: the package's.
    """
    global _users
    check_version()
    with _lock:
        if _users == 0:
            try:
                _install()
            except BaseException:
                _restore()
                raise
        _users += 1
    token, given = ACTIVE.set(True), tags.GIVEN.set(words)
    try:
        yield
    finally:
        ACTIVE.reset(token)
        tags.GIVEN.reset(given)
        with _lock:
            _users -= 1
            if _users == 0:
                _restore()


def _install() -> None:
    """Put the mended functions in place of WeasyPrint's (called under ``_lock``)."""
    for owner, name, replacement in [*paint.replacements(), *text.replacements(), *tags.replacements()]:
        _saved.append((owner, name, vars(owner)[name]))
        setattr(owner, name, replacement)


def _restore() -> None:
    """Put WeasyPrint's own functions back (called under ``_lock``)."""
    while _saved:
        owner, name, original = _saved.pop()
        setattr(owner, name, original)


def finish(document: Any, pdf: pydyf.PDF) -> None:
    """Finish a PDF before it is written: make every link annotation printable.

    Also replace the random XMP DocumentID that PDF/X variants write with one derived
    from the metadata itself, so that the same input gives the same bytes.
    """
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Link":
            obj["F"] = 4
        elif isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
            obj.stream = [_stable_document_id(part) for part in obj.stream]


def _stable_document_id(part: Any) -> Any:
    if not isinstance(part, bytes) or b"xmp.did:" not in part:
        return part
    digest = hashlib.sha256(DOCUMENT_ID_RE.sub(b"", part)).hexdigest()
    stable = f"xmp.did:{uuid.UUID(digest[:32])}".encode()
    return DOCUMENT_ID_RE.sub(stable, part)
