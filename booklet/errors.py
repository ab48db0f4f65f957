"""The few exception types of booklet, each with a message a person can act on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where it is, what it is, how to fix it."""

    path: Path
    message: str
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        text = f"{where}: {self.message}"
        return f"{text}\n    Fix: {self.hint}" if self.hint else text


class BookletError(Exception):
    """Base of every error booklet reports to its user; its text is the whole message."""


class ContentError(BookletError):
    """A booklet's files are wrong; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, path: Path, message: str, line: int | None = None, hint: str = "") -> ContentError:
        """Build an error holding a single problem."""
        return cls([Problem(path, message, line, hint)])


class ConfigError(BookletError):
    """The command line or publisher settings are wrong."""


class RenderError(BookletError):
    """HTML or PDF rendering failed, or tried to reach something it must not."""


class BuildError(BookletError):
    """Some booklets could not be built; the others were written."""
