"""The report of booklet check: findings, silenced findings and scores, as text or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from ..source.content import Silenced
from .base import SEVERITIES, Finding
from .readability import Score


@dataclass(frozen=True)
class Summary:
    """One booklet's line of the summary table."""

    booklet: str
    errors: int
    warnings: int
    advice: int
    silenced: int
    flesch: float | None  # of booklet.md as a whole (None: not scored, e.g. it did not load)
    smog: float | None
    words: int


@dataclass
class Report:
    """Everything booklet check found, for the booklets it checked (in order)."""

    booklets: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    silenced: list[Silenced] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (booklet, what was and was not checked)

    def count(self, severity: str, booklet: str | None = None) -> int:
        """Return how many findings of a severity there are (for one booklet, or all)."""
        return sum(1 for f in self.findings if f.severity == severity and booklet in (None, f.booklet))

    @property
    def silenced_count(self) -> int:
        """Return how many findings were silenced."""
        return len(self.silenced)

    def failed(self, strict: bool = False) -> bool:
        """Return whether the check fails: any error, or with ``strict`` any warning too."""
        return bool(self.count("error") or (strict and self.count("warning")))

    def summary(self) -> list[Summary]:
        """Return one summary row per booklet."""
        rows = []
        for slug in self.booklets:
            whole = next(
                (
                    s
                    for s in self.scores
                    if s.booklet == slug and not s.chapter and s.path.name == "booklet.md"
                ),
                None,
            )
            rows.append(
                Summary(
                    slug,
                    self.count("error", slug),
                    self.count("warning", slug),
                    self.count("advice", slug),
                    sum(1 for s in self.silenced if s.problem.booklet == slug),
                    whole.flesch if whole else None,
                    whole.smog if whole else None,
                    whole.words if whole else 0,
                )
            )
        return rows


def _order(f: Finding) -> tuple[str, int, int, str]:
    return (str(f.path), f.line or 0, SEVERITIES.index(f.severity), f.rule)


def _line(f: Finding) -> str:
    fix = f"\n    Fix: {f.fix}" if f.fix else ""
    return f"{f.where()}: {f.severity} {f.rule}: {f.message}{fix}"


def format_text(report: Report, strict: bool = False) -> str:
    """Return the report for people: findings grouped by booklet, scores, then a summary table."""
    out: list[str] = []
    for slug in report.booklets:
        out.append(f"== {slug}")
        for f in sorted((f for f in report.findings if f.booklet == slug), key=_order):
            out.append(_line(f))
        out += [f"  note: {text}" for booklet, text in report.notes if booklet == slug]
        out += _score_table([s for s in report.scores if s.booklet == slug])
        out.append("")
    for f in sorted((f for f in report.findings if f.booklet not in report.booklets), key=_order):
        out.append(_line(f))
    out += _summary_table(report)
    verdict = "FAILED" if report.failed(strict) else "passed"
    why = " (--strict: warnings fail too)" if strict else ""
    out.append(
        f"{verdict}{why}: {report.count('error')} error(s), {report.count('warning')} warning(s), "
        f"{report.count('advice')} advice, {report.silenced_count} silenced"
    )
    return "\n".join(out)


def _score_table(scores: list[Score]) -> list[str]:
    if not scores:
        return []
    lines = ["  reading scores:  Flesch  SMOG  words  chapter"]
    for s in scores:
        where = f"{s.path.name}:{s.line}" if s.line else s.path.name
        name = s.chapter or "(whole file)"
        lines.append(f"  {where:>16} {s.flesch:7.1f} {s.smog:5.1f} {s.words:6d}  {name}")
    return lines


def _summary_table(report: Report) -> list[str]:
    heads = ("errors", "warnings", "advice", "silenced", "Flesch", "SMOG")
    lines = [f"{'booklet':30} " + " ".join(f"{h:>8}" for h in heads)]
    for row in report.summary():
        scores = [f"{x:.1f}" if x is not None else "-" for x in (row.flesch, row.smog)]
        cells = [str(n) for n in (row.errors, row.warnings, row.advice, row.silenced)] + scores
        lines.append(f"{row.booklet:30} " + " ".join(f"{c:>8}" for c in cells))
    return lines


def _finding(f: Finding) -> dict[str, object]:
    return {
        "booklet": f.booklet,
        "file": str(f.path),
        "line": f.line,
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "fix": f.fix,
    }


def _score(s: Score) -> dict[str, object]:
    return {
        "booklet": s.booklet,
        "file": str(s.path),
        "line": s.line,
        "chapter": s.chapter,
        "words": s.words,
        "sentences": s.sentences,
        "flesch": s.flesch,
        "smog": s.smog,
    }


def format_json(report: Report) -> str:
    """Return the report as JSON: findings (booklet, file, line, rule, severity, message) and more."""
    data = {
        "findings": [_finding(f) for f in sorted(report.findings, key=lambda f: (f.booklet, *_order(f)))],
        "silenced": [{**_finding(s.problem), "reason": s.reason} for s in report.silenced],
        "summary": [asdict(row) for row in report.summary()],
        "scores": [_score(s) for s in report.scores],
        "notes": [{"booklet": booklet, "note": text} for booklet, text in report.notes],
        "counts": {
            "error": report.count("error"),
            "warning": report.count("warning"),
            "advice": report.count("advice"),
            "silenced": report.silenced_count,
        },
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
