"""A small ctypes binding to liblouis: text to North American ASCII braille (BRF) and back.

liblouis is the braille translator used by NVDA, JAWS, BRLTTY and DAISY Pipeline; Debian
packages it as ``liblouis20`` (the library) and ``liblouis-data`` (the tables). Debian's
``python3-louis`` is itself a ctypes wrapper, but it is installed for Debian's Python, not
this project's virtual environment, so the two functions needed are bound here. Calling the
library (not the ``lou_translate`` program) translates a paragraph in microseconds and
needs no process per paragraph.

The table list is liblouis's own: ``en-us-brf.dis`` shows the cells as BRF characters
(upper case, 0x20-0x5F) and ``en-ueb-g2.ctb`` is Unified English Braille, grade 2.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ...errors import RenderError

LIBRARY = "liblouis.so.20"
DISPLAY = "en-us-brf.dis"  # cells shown as North American ASCII braille (BRF), whatever the language
ENGLISH = "en-ueb-g2.ctb"  # UEB grade 2 (contracted); other languages' tables: booklet/languages.py
TABLES = f"{DISPLAY},{ENGLISH}"
_TABLES = contextvars.ContextVar("tables", default=TABLES)  # the table list in use (language())
BOLD = 4  # liblouis emph_3: en-ueb-g2.ctb declares its emphasis classes italic, underline, bold
GROWTH = 16  # at most this many cells a character (a capital, a number and a contraction indicator
# come to 4): past it the buffer is not grown again (a NUL made it double without end)
# What print shows nothing for: control and format characters (word joiners, bidi marks, soft
# hyphens), surrogates, private use and unassigned code points (U+FFFF): braille leaves them out.
NOT_TEXT = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
BRF_RE = re.compile("[\x20-\x5f]*")  # North American ASCII braille: one character a cell
INSTALL = "install liblouis (Debian: apt-get install liblouis20 liblouis-data; scripts/setup.sh does it)"


@dataclass(frozen=True)
class _Louis:
    """The loaded library and the width of its characters (2 or 4 bytes)."""

    lib: ctypes.CDLL
    size: int

    @property
    def codec(self) -> str:
        """Return the codec of liblouis's wide characters."""
        return "utf-32-le" if self.size == 4 else "utf-16-le"


@functools.cache
def _louis() -> _Louis:
    try:
        lib = ctypes.CDLL(LIBRARY)
    except OSError as exc:
        raise RenderError(f"cannot make braille: {LIBRARY} is not installed ({exc}); {INSTALL}") from None
    lib.lou_version.restype = ctypes.c_char_p
    lib.lou_charSize.restype = ctypes.c_int
    for name in ("lou_translateString", "lou_backTranslateString"):
        function = getattr(lib, name)
        function.restype = ctypes.c_int
        function.argtypes = [
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_void_p,  # typeform: emphasis of each character
            ctypes.c_void_p,  # spacing
            ctypes.c_int,  # mode
        ]
    lib.lou_getTable.restype = ctypes.c_void_p
    lib.lou_getTable.argtypes = [ctypes.c_char_p]
    if not lib.lou_getTable(TABLES.encode()):
        raise RenderError(f"cannot make braille: liblouis has no table {TABLES}; {INSTALL}")
    return _Louis(lib, int(lib.lou_charSize()))


@functools.cache
def _loaded(tables: str) -> bool:
    """Tell whether liblouis can compile a table list (once for each)."""
    return bool(_louis().lib.lou_getTable(tables.encode()))


@contextlib.contextmanager
def language(table: str) -> Iterator[None]:
    """Translate with a language's literary table (``booklet.languages``) inside the block ('' : UEB)."""
    tables = f"{DISPLAY},{table}" if table else TABLES
    if not _loaded(tables):
        raise RenderError(f"cannot make braille: liblouis has no table {table}; {INSTALL}")
    token = _TABLES.set(tables)
    try:
        yield
    finally:
        _TABLES.reset(token)


def version() -> str:
    """Return the version of liblouis in use, e.g. '3.24.0'."""
    return (_louis().lib.lou_version() or b"").decode()


def _run(name: str, text: str, bold: Sequence[bool] = ()) -> str:
    """Run a liblouis translation function over ``text``, growing the output buffer until it fits.

    ``bold`` marks the characters printed in bold (one flag a character; none: no bold).
    """
    louis = _louis()
    tables = _TABLES.get()
    data = text.encode(louis.codec, "surrogatepass")
    length = len(data) // louis.size
    room, most = 4 * length + 64, GROWTH * length + 64
    while True:
        inlen = ctypes.c_int(length)
        outlen = ctypes.c_int(room)
        out = ctypes.create_string_buffer(room * louis.size)
        typeform = None
        if any(bold) and tables == TABLES:  # UEB's bold indicators (other tables: plain text). One
            # unsigned short a character (bold: emphasis class 3); liblouis writes the
            # output's typeforms back into it, so it is as long as the output buffer
            typeform = (ctypes.c_ushort * room)(*(BOLD if b else 0 for b in bold))
        ok = getattr(louis.lib, name)(tables.encode(), data, inlen, out, outlen, typeform, None, 0)
        if not ok:
            raise RenderError(f"liblouis could not translate {text[:60]!r}")
        if inlen.value >= length:  # all of the input was read: the output fitted
            return out.raw[: outlen.value * louis.size].decode(louis.codec, "replace")
        if room >= most:
            raise RenderError(
                f"liblouis could not translate {text[:60]!r}: it read {inlen.value} of {length} "
                f"characters into {room} cells",
                fix="remove any control character from the text",
            )
        room = min(2 * room, most)


def _is_text(ch: str) -> bool:
    """Tell whether a character is text print shows (not a control, format or unassigned code point)."""
    return unicodedata.category(ch) not in NOT_TEXT


def translate(text: str, bold: Sequence[bool] = ()) -> str:
    """Return ``text`` in UEB grade 2 as BRF characters, with UEB's bold indicators where ``bold`` says.

    Characters that are not text (control characters, noncharacters such as U+FFFF) show
    nothing in print and are left out; a character the table has no braille for is a
    :class:`RenderError` naming it, not a cell an embosser cannot print.
    """
    if bold and len(bold) != len(text):
        raise ValueError("one bold flag a character")
    flags = bold or [False] * len(text)
    kept = [(ch, b) for ch, b in zip(text, flags, strict=True) if ch.isspace() or _is_text(ch)]
    text = "".join(ch for ch, _ in kept)
    if not text.strip():
        return ""
    cells = _run("lou_translateString", text, [b for _, b in kept] if bold else ())
    if not BRF_RE.fullmatch(cells):
        odd = next(ch for ch in cells if not BRF_RE.fullmatch(ch))
        raise RenderError(
            f"liblouis has no braille for a character of {text[:60]!r} (it gave {odd!r})",
            fix="write the character another way, or leave it out",
        )
    return cells


def back_translate(cells: str) -> str:
    """Return the print text liblouis reads from BRF cells (for checking a transcription)."""
    return _run("lou_backTranslateString", cells) if cells.strip() else ""
