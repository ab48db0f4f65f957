"""Only text comes in: every source is read here, bounded, confined to the content folder, and checked.

A source (booklet.md, easy-read.md, a translation's, publisher.yml) is read through
:func:`read_text`, which opens it without waiting (a FIFO does not hang it), refuses
anything but a regular file (a folder, ``/dev/zero``, a FIFO) and reads at most
``MAX_SOURCE_BYTES`` + 1 bytes, whatever the file claims to be. A source that resolves
outside the content folder (a booklet folder, translation folder or file linked from
elsewhere) is refused as a picture outside ``images/`` is (``rules.picture_problem``).

Then its characters: C0 and C1 control characters other than tab and newline,
noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF...), lone surrogates and the bidi overrides
and embeddings (U+202A-U+202E) are refused, with their line, in the file's text, in its
YAML values (written as escapes, ``"\\0"``) and in the Markdown's numeric character
references (``&#0;``). They print as nothing or as boxes, reorder what a reader sees, or
stop the renderers (liblouis, the EPUB's XML).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..errors import LOAD, ContentError, Problem

MAX_SOURCE_BYTES = 2 * 1024 * 1024  # a long booklet is ~50 kB; this leaves room for a book
MAX_REPORTED = 10  # bad characters named per file; the rest are counted
BIDI = range(0x202A, 0x202F)  # LRE, RLE, PDF, LRO, RLO
NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED"}
NAMES |= {0x0D: "CARRIAGE RETURN", 0x1B: "ESC", 0x7F: "DELETE", 0x85: "NEXT LINE"}
NAMES |= {0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING"}
NAMES |= {
    0x202C: "POP DIRECTIONAL FORMATTING",
    0x202D: "LEFT-TO-RIGHT OVERRIDE",
    0x202E: "RIGHT-TO-LEFT OVERRIDE",
}
REFERENCE_RE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]{1,8})|([0-9]{1,10}));")


def refuse(path: Path, message: str, line: int | None = None, fix: str = "") -> ContentError:
    """Return the error of a source that cannot be read (rule LOAD-ERROR)."""
    return ContentError([Problem(path, message, line, fix, LOAD)])


def outside(path: Path, root: Path) -> str:
    """Return where ``path`` leads when it resolves outside ``root`` ('' when it stays inside)."""
    target = path.resolve()
    return "" if target.is_relative_to(root.resolve()) else str(target)


def read_bytes(path: Path, root: Path | None = None, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """Read a regular file of at most ``limit`` bytes, inside ``root`` when given; ContentError otherwise."""
    if root is not None and (target := outside(path, root)):
        raise refuse(
            path,
            f"leads to {target}, outside the content folder {root.resolve()}",
            fix="move or copy the file (or its folder) into the content folder instead of linking to it",
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise refuse(path, "file not found", fix="create it, or check the folder name") from None
    except OSError as exc:
        raise refuse(path, f"cannot be read ({exc.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        fix = "replace it with a text file saved as UTF-8"
        raise refuse(path, f"is {_kind(mode)}, not a file", fix=fix)
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise refuse(path, f"cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise refuse(
            path,
            f"is larger than the {limit // 2**20} MB a source may be",
            fix="split it into several booklets",
        )
    return data


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a device"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_text(path: Path, root: Path | None = None) -> str:
    """Read a source as UTF-8 text (newlines made '\\n'), refusing what is not text, with its line."""
    data = read_bytes(path, root)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise refuse(
            path, f"is not valid UTF-8 (byte {exc.start})", line, "save the file as UTF-8 in your editor"
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    found = [(line, char, "") for line, char in _in_text(text)]
    found += [(line, char, " (written as a character reference)") for line, char in _in_references(text)]
    if found:
        raise ContentError(_problems(path, sorted(found)))
    return text


def check_values(path: Path, node: yaml.Node | None, first_line: int) -> None:
    """Refuse the characters YAML escapes made in front matter values (``"\\0"``, ``"\\uD800"``)."""
    found = sorted(set(_in_node(node, first_line)))
    if found:
        raise ContentError(
            _problems(path, [(line, char, " (written as a YAML escape)") for line, char in found])
        )


def refused(char: str) -> bool:
    """Return whether a character is not text a booklet may hold."""
    code = ord(char)
    if code < 0x20:
        return char not in "\t\n"
    return (
        0x7F <= code <= 0x9F  # DELETE and the C1 controls
        or 0xD800 <= code <= 0xDFFF  # a surrogate, alone
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE  # U+FFFE, U+FFFF and their like in every plane
        or code in BIDI
    )


def describe(char: str) -> str:
    """Name a refused character: 'U+0000 (NUL)'."""
    code = ord(char)
    name = NAMES.get(code) or (
        "a surrogate"
        if 0xD800 <= code <= 0xDFFF
        else "a control character"
        if code < 0xA0
        else "a noncharacter"
    )
    return f"U+{code:04X} ({name})"


def _in_text(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), start=1):
        for char in dict.fromkeys(c for c in line if refused(c)):
            yield number, char


def _in_references(text: str) -> Iterator[tuple[int, str]]:
    for match in REFERENCE_RE.finditer(text):
        code = int(match[1], 16) if match[1] else int(match[2])
        if code == 0 or code > 0x10FFFF or refused(chr(code)):
            yield text.count("\n", 0, match.start()) + 1, chr(min(code, 0x10FFFF) if code else 0)


def _in_node(node: yaml.Node | None, first_line: int) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.ScalarNode):
        for char in dict.fromkeys(c for c in str(node.value) if refused(c)):
            yield node.start_mark.line + first_line, char
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _in_node(item, first_line)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _in_node(key, first_line)
            yield from _in_node(value, first_line)


def _problems(path: Path, found: list[tuple[int, str, str]]) -> list[Problem]:
    fix = (
        "delete it: it is not text, and most editors do not show it (search for the code, or retype "
        "the line); for right-to-left text, the page's direction is set by the language, not by "
        "control characters"
    )
    problems = [
        Problem(path, f"holds {describe(char)}, which is not text{how}", line, fix, LOAD)
        for line, char, how in found[:MAX_REPORTED]
    ]
    if len(found) > MAX_REPORTED:
        problems.append(
            Problem(path, f"holds {len(found) - MAX_REPORTED} more such characters", None, fix, LOAD)
        )
    return problems
