"""CSV files that people fill in and open in spreadsheets: read safely, written safely.

Reading (an order file): UTF-8 with or without a byte-order mark and no more than
``MAX_FILE_BYTES``; a quote never closed, or closed in the middle of a value, is named by
the line it opened on, since it would swallow every later row; no value longer than
``MAX_FIELD_CHARS``. Writing (run.csv, the blank order form): a cell a spreadsheet would run
as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
single quote in front, the OWASP rule against CSV injection. ``booklet.press.orders`` reads the
rows as orders.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import ContentError, Problem

MAX_FILE_BYTES = 5 * 2**20  # an order file: 5 MiB
MAX_FIELD_CHARS = 1_000  # characters in one value
SHOWN = 20  # characters of a value quoted back in a message
SPLIT_HINT = "split it into several order files"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet cell a formula


def decode(path: Path) -> str:
    """Read the order file as UTF-8 (with or without a byte-order mark), at most MAX_FILE_BYTES."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # a device or pipe never ends: read no more
    except FileNotFoundError:
        raise ContentError.one(path, "file not found", fix="check the order file's name and folder") from None
    except OSError as exc:
        raise ContentError.one(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ContentError.one(
            path,
            f"is larger than {MAX_FILE_BYTES // 2**20} MB, the most an order file may be",
            fix=SPLIT_HINT,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError.one(
            path,
            f"is not valid UTF-8 (byte {exc.start})",
            line,
            "save it as 'CSV UTF-8' in your spreadsheet program",
        ) from None


def shown(value: str, limit: int = SHOWN) -> str:
    """Return a value as quoted back in a message: its first ``limit`` characters only."""
    return value if len(value) <= limit else value[:limit] + "\u2026"


def _broken_quote(text: str, start: int) -> tuple[int, int | None] | None:
    """Find, in the row starting on line ``start``, a quote that is never closed or closed mid-value.

    Return (line it opened on, line it closed on mid-value, or None when never closed).
    Reads as the csv module does: a quote opens a value only at its start, ``""`` inside
    a quoted value is a quote, and a closing quote must be followed by a comma or a line end.
    """
    at_start, quoted, opened = True, False, 0
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if number < start:
            continue
        i = 0
        while i < len(line):
            char = line[i]
            if quoted and char == '"':
                after = line[i + 1 : i + 2]
                if after == '"':  # a quote inside the value
                    i += 2
                    continue
                if after not in (",", "\r", "\n", ""):
                    return opened, number
                quoted = False
            elif char == '"' and at_start:
                quoted, opened = True, number
            at_start = not quoted and char in ",\r\n"
            i += 1
    return (opened, None) if quoted else None


def _quote_problem(path: Path, text: str, start: int) -> Problem | None:
    """Return the problem of a quote never closed, or closed mid-value, in the row starting on ``start``."""
    found = _broken_quote(text, start)
    if found is None:
        return None
    opened, closed = found
    if closed is None:
        message = 'a quote (") opened on this line is never closed, so every later line would be one value'
        return Problem(
            path, message, opened, 'close the quote at the end of the value ("Ward 7"), or delete it'
        )
    message = f'the quote (") opened on this line closes in the middle of a value on line {closed}'
    fix = (
        'end a quoted value with a quote before the next comma; write a quote inside it as two: "Ward ""7"""'
    )
    return Problem(path, message, opened, fix)


def rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line the row starts on, its cells) for every row that is not blank.

    Raise ContentError on a row the csv module cannot read: a quote never closed or
    closed mid-value (named by the line it opened on), or a value over its 128 KiB limit.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            quote = _quote_problem(path, text, start)
            if quote is not None:
                raise ContentError([quote]) from None
            if "field larger than field limit" in str(exc):
                message = f"a value is longer than {MAX_FIELD_CHARS:,} characters"
                raise ContentError.one(path, message, start, "shorten it") from None
            raise ContentError.one(path, f"cannot be read as CSV ({exc})", start) from None
        if any(cell.strip() for cell in cells):
            yield start, [cell.strip() for cell in cells]
        start = reader.line_num + 1


def too_long(path: Path, line: int, cells: list[str], names: Sequence[str]) -> list[Problem]:
    """Return a problem for each value longer than MAX_FIELD_CHARS, naming its column."""
    problems = []
    for i, cell in enumerate(cells):
        if len(cell) > MAX_FIELD_CHARS:
            column = names[i] if i < len(names) else f"column {i + 1}"
            message = f"the {column} value is {len(cell):,} characters long; the most is {MAX_FIELD_CHARS:,}"
            problems.append(Problem(path, message, line, "shorten it"))
    return problems


def cell(value: object) -> str:
    """Return a value as a CSV cell no spreadsheet runs as a formula (OWASP: a quote in front).

    Line breaks inside it become ``\\n``: the writer quotes those, but would leave a lone
    ``\\r`` bare, and every reader would end the row there.
    """
    text = str(value)
    safe = "'" + text if text.startswith(_FORMULA_START) else text
    return safe.replace("\r\n", "\n").replace("\r", "\n")


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Return rows as CSV text, every cell made safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()
