"""What every check works with: rules, findings, the reading targets and one booklet's context."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, Protocol

import yaml

from .. import frontmatter, markup, render_html
from ..model import Booklet, Source
from . import prose

Severity = Literal["error", "warning", "advice"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "advice")
STANDARD, EASY_READ = "standard", "easy-read"  # the two kinds of source text a booklet has


@dataclass(frozen=True)
class Finding:
    """One thing a check found: where it is, which rule, how bad, and what to do."""

    booklet: str
    path: Path
    line: int | None
    rule: str
    severity: Severity
    message: str

    def where(self) -> str:
        """Return 'file:line' (or the file alone when there is no line)."""
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True)
class Rule:
    """A rule: its stable id, its severity and a one-line summary (docs/checks.md says more)."""

    id: str
    severity: Severity
    summary: str

    def at(self, booklet: str, path: Path, line: int | None, message: str) -> Finding:
        """Return a finding of this rule."""
        return Finding(booklet, path, line, self.id, self.severity, message)


@dataclass(frozen=True)
class Targets:
    """Reading targets and word lists; publisher.yml's optional ``checks:`` mapping overrides them."""

    flesch_min: float = 60  # Flesch reading ease of every chapter [S25b]
    smog_max: float | None = None  # SMOG grade of every chapter; None: not checked (no target found)
    sentence_words_standard: int = 25  # words in a sentence of booklet.md [S10]
    sentence_words_easy_read: int = 15  # words in a sentence of easy-read.md [S9][S15][S16]
    hard_word_zipf: float = 3.0  # rarer than this (Zipf frequency) is a hard word
    medical_words: frozenset[str] = frozenset()  # more words that always need the glossary
    everyday_words: frozenset[str] = frozenset()  # more words that never do


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

    def __init__(
        self, booklet: Booklet, targets: Targets, out_dir: Path, today: date, front: yaml.Node | None
    ) -> None:
        self.booklet = booklet
        self.targets = targets
        self.out_dir = out_dir
        self.today = today
        self.front = front

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
        return frontmatter.line_of(self.front, loc, 2) if self.front is not None else None

    def sources(self) -> list[tuple[Source, str]]:
        """Return each Markdown source of the booklet with its kind."""
        found = [(self.booklet.source, STANDARD)]
        if self.booklet.easy_read is not None:
            found.append((self.booklet.easy_read, EASY_READ))
        return found

    @functools.cached_property
    def texts(self) -> tuple[SourceText, ...]:
        """Return the text of every source as readers see it, split into chapters."""
        numbers: defaultdict[str, int] = defaultdict(int)  # unknown citations: the evidence check's
        numbers.update({r.id: n for n, r in enumerate(self.booklet.meta.references, start=1)})
        values = render_html.publisher_values(self.booklet)
        return tuple(
            SourceText(source, kind, tuple(prose.chapters(source, numbers, values)))
            for source, kind in self.sources()
        )


def source_lines(source: Source) -> Iterable[tuple[int, str]]:
    """Yield (file line, text) for the body lines outside fenced code, ignore comments removed."""
    fenced = False
    for index, line in enumerate(source.body.split("\n")):
        if markup.FENCE_RE.match(line):
            fenced = not fenced
        elif not fenced:
            yield index + source.body_line, markup.strip_ignores(line)


class Check(Protocol):
    """A check: reads one booklet's context and yields findings; it never raises for a finding."""

    def __call__(self, ctx: Context) -> Iterable[Finding]:
        """Yield the findings for one booklet."""
        ...
