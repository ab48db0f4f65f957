"""What every check works with: rules, findings, the reading targets and one booklet's context."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from ..errors import SEVERITIES, Problem, Severity
from ..model import Booklet, Source, Targets
from ..render import html as render_html
from ..source.rules import Rule
from . import prose

__all__ = [
    "EASY_READ",
    "SEVERITIES",
    "STANDARD",
    "Context",
    "Finding",
    "Rule",
    "Severity",
    "SourceText",
    "Targets",
]

STANDARD, EASY_READ = "standard", "easy-read"  # the two kinds of source text a booklet has
Finding = Problem  # what a check finds is a problem like any other: file, line, rule, severity, fix


@dataclass(frozen=True)
class SourceText:
    """A source file of a booklet and its text as readers see it."""

    source: Source
    kind: str  # STANDARD or EASY_READ
    chapters: tuple[prose.Chapter, ...]

    @property
    def sentences(self) -> list[prose.Sentence]:
        """Return every sentence of every chapter."""
        return [s for c in self.chapters for s in c.sentences]


class Context:
    """One booklet being checked, with what the checks share (its reader text is made once)."""

    def __init__(self, booklet: Booklet, targets: Targets, out_dir: Path, today: date) -> None:
        self.booklet = booklet
        self.targets = targets
        self.out_dir = out_dir
        self.today = today

    @property
    def slug(self) -> str:
        """Return the booklet's slug."""
        return self.booklet.slug

    @property
    def path(self) -> Path:
        """Return the booklet's main file (booklet.md)."""
        return self.booklet.source.path

    def meta_line(self, *loc: str | int) -> int | None:
        """Return the line of a front matter value of booklet.md, e.g. ('references', 0)."""
        return self.booklet.source.front_line(*loc)

    def sources(self) -> list[tuple[Source, str]]:
        """Return each Markdown source of the booklet with its kind."""
        found = [(self.booklet.source, STANDARD)]
        if self.booklet.easy_read is not None:
            found.append((self.booklet.easy_read, EASY_READ))
        return found

    @functools.cached_property
    def texts(self) -> tuple[SourceText, ...]:
        """Return the text of every source as readers see it, split into chapters."""
        values = render_html.publisher_values(self.booklet)
        return tuple(
            SourceText(source, kind, tuple(prose.chapters(source, values))) for source, kind in self.sources()
        )


class Check(Protocol):
    """A check: reads one booklet's context and yields findings; it never raises for a finding."""

    def __call__(self, ctx: Context) -> Iterable[Finding]:
        """Yield the findings for one booklet."""
        ...
