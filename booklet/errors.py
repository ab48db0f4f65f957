"""The few exception types of booklet, and the problem record every rule reports.

A :class:`Problem` is data: the file and line, the rule broken, how serious it is and
how to fix it. It travels as it is from the loader and the checks to the command line,
``booklet check`` and ``booklet serve``; no message is ever parsed back. Every exception
here can say what went wrong as problem records (:meth:`BookletError.problems_at`) and
pickles with its fields, so a problem raised in a render worker keeps its file, line,
rule and fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning", "advice"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "advice")
LOAD = "LOAD-ERROR"  # the rule of a file that cannot be read or parsed at all
RENDER_FAILED = "RENDER-FAILED"  # the rule of a variant that could not be made


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

    def problems_at(self, path: Path, rule: str = "", booklet: str = "") -> tuple[Problem, ...]:
        """Return the error as problem records; ``path``, ``rule`` and ``booklet`` fill what it lacks."""
        return (Problem(path, str(self), rule=rule, booklet=booklet),)


class ContentError(BookletError):
    """Files are wrong; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.problems,)

    def problems_at(self, path: Path, rule: str = "", booklet: str = "") -> tuple[Problem, ...]:
        """Return its own problems, each given ``rule`` and ``booklet`` when it has none."""
        return tuple(
            dataclasses.replace(p, rule=p.rule or rule, booklet=p.booklet or booklet) for p in self.problems
        )

    @classmethod
    def one(cls, path: Path, message: str, line: int | None = None, fix: str = "") -> ContentError:
        """Build an error holding a single problem."""
        return cls([Problem(path, message, line, fix)])


class ConfigError(BookletError):
    """The command line or publisher settings are wrong."""


class RenderError(BookletError):
    """HTML or PDF rendering failed, or tried to reach something it must not.

    It carries the fields of a problem record: the file (when the error knows it; else the
    variant's source is given by whoever reports it), line, fix and rule.
    """

    def __init__(
        self, message: str, path: Path | None = None, line: int | None = None, fix: str = "", rule: str = ""
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.fix = fix
        self.rule = rule
        super().__init__(str(self.problems_at(path)[0]) if path else message)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.message, self.path, self.line, self.fix, self.rule)

    def problems_at(self, path: Path, rule: str = "", booklet: str = "") -> tuple[Problem, ...]:
        """Return the error as one problem record, at its own file (else ``path``)."""
        return (
            Problem(self.path or path, self.message, self.line, self.fix, self.rule or rule, booklet=booklet),
        )


class WriteError(BookletError):
    """An output could not be written: a full disk, a read-only folder, a missing folder."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = path
        self.error = error
        why = error.strerror or str(error)
        self.message = f"cannot be written ({why}); earlier outputs are unchanged"
        self.fix = {
            28: "free some space on the disk, or give --out a folder on another disk",
            13: "make the folder writable, or give --out a folder you can write to",
            30: "give --out a folder on a disk that is not read-only",
        }.get(error.errno or 0, "check the folder exists and can be written to")
        super().__init__(str(Problem(path, self.message, fix=self.fix)))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.path, self.error)

    def problems_at(self, path: Path, rule: str = "", booklet: str = "") -> tuple[Problem, ...]:
        """Return the error as one problem record, at the file that could not be written."""
        return (Problem(self.path, self.message, fix=self.fix, rule=rule, booklet=booklet),)


class BuildError(ContentError):
    """Some outputs could not be made; the others were written. Carries every problem, by booklet."""
