"""The few exception types of booklet, and the problem record every rule reports.

A :class:`Problem` is data: the file and line, the rule broken, how serious it is and
how to fix it. It travels as it is from the loader and the checks to the command line,
``booklet check`` and ``booklet serve``; no message is ever parsed back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "advice"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "advice")
LOAD = "LOAD-ERROR"  # the rule of a file that cannot be read or parsed at all


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where it is, which rule, how serious, and how to fix it."""

    path: Path
    message: str
    line: int | None = None
    fix: str = ""
    rule: str = ""  # '' for a problem no rule of docs/checks.md covers (an order row, a folder)
    severity: Severity = "error"
    booklet: str = ""  # the booklet's slug, when the problem belongs to one

    def where(self) -> str:
        """Return 'file:line' (or the file alone when there is no line)."""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        kind = "" if self.severity == "error" else f"{self.severity}: "
        rule = f" [{self.rule}]" if self.rule else ""  # the id docs/checks.md explains
        text = f"{self.where()}: {kind}{self.message}{rule}"
        return f"{text}\n    Fix: {self.fix}" if self.fix else text

    @property
    def stops(self) -> bool:
        """Tell whether this problem stops what it belongs to from being made."""
        return self.severity == "error"


class BookletError(Exception):
    """Base of every error booklet reports to its user; its text is the whole message."""


class ContentError(BookletError):
    """Files are wrong; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, path: Path, message: str, line: int | None = None, fix: str = "") -> ContentError:
        """Build an error holding a single problem."""
        return cls([Problem(path, message, line, fix)])


class ConfigError(BookletError):
    """The command line or publisher settings are wrong."""


class RenderError(BookletError):
    """HTML or PDF rendering failed, or tried to reach something it must not."""


class WriteError(BookletError):
    """An output could not be written: a full disk, a read-only folder, a missing folder."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = path
        self.error = error
        why = error.strerror or str(error)
        fix = {
            28: "free some space on the disk, or give --out a folder on another disk",
            13: "make the folder writable, or give --out a folder you can write to",
            30: "give --out a folder on a disk that is not read-only",
        }.get(error.errno or 0, "check the folder exists and can be written to")
        super().__init__(f"{path}: cannot be written ({why}); earlier outputs are unchanged\n    Fix: {fix}")


class BuildError(ContentError):
    """Some outputs could not be made; the others were written. Carries every problem, by booklet."""
