"""booklet check: the quality gate an information team runs before publishing a booklet.

It reads the project loaded once (:class:`booklet.source.project.Project`): the problems the
source rules and the easy-read linter found while loading (the same the build reports),
then every check of the :data:`CHECKS` table on each booklet that loaded, even when one
of its variants cannot be built (no check stops another). Findings are problems
(file, line, rule, severity, fix); ``<!-- booklet: ignore RULE reason -->`` comments and
the front matter's ``ignore:`` list silence them. docs/checks.md describes every rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .. import build as build_
from ..errors import RENDER_FAILED, BookletError, BuildError, Problem
from ..source import content, easyread, rules, schema, translations
from ..source.content import Silenced
from ..source.project import DUPLICATE_CODE, Entry, Project
from . import evidence, outputs, readability, vocabulary
from .base import Check, Context, Finding, Rule, Severity, Targets
from .report import Report, Summary, format_json, format_text

__all__ = [
    "CHECKS",
    "RULES",
    "Check",
    "Finding",
    "Report",
    "Rule",
    "Severity",
    "Silenced",
    "Summary",
    "Targets",
    "format_json",
    "format_text",
    "run_checks",
]

IGNORE_UNKNOWN = Rule("CHECK-IGNORE-UNKNOWN", "warning", "an ignore names a rule that does not exist")
IGNORE_UNUSED = Rule("CHECK-IGNORE-UNUSED", "advice", "an ignore silenced nothing")
# Rules of loading and building, reported by the build and by check alike.
LOADING = (
    Rule("LOAD-ERROR", "error", "a file cannot be read, or its front matter is not YAML"),
    Rule(schema.META_FIELD, "error", "a front matter or publisher.yml value is missing or wrong"),
    Rule(content.BAD_SLUG, "error", "a booklet's folder name is not a slug"),
    Rule(content.EMPTY_BODY, "error", "a source has front matter but no text"),
    Rule(DUPLICATE_CODE, "error", "two booklets have the same order code"),
    Rule(build_.NO_SOURCE, "advice", "a variant was asked for that a booklet has no source for (a note)"),
    Rule(RENDER_FAILED, "error", "a variant failed to render (with --build)"),
)
GENERAL = (*LOADING, IGNORE_UNKNOWN, IGNORE_UNUSED)

CHECKS: dict[str, Check] = {
    "reading ease and sentences": readability.check,
    "words and glossary": vocabulary.check,
    "evidence and dates": evidence.check,
    "built outputs": outputs.check,
}
# What runs on a translation besides its source rules: its built PDFs. The prose checks are
# English rules (word lists, reading-ease formulas), and its references and dates are the
# English booklet's, checked there.
TRANSLATION_CHECKS = ("built outputs",)
ENGLISH_ONLY = "plain English, hard words and sentence length are English rules and were not run on them"
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        *rules.RULES,
        *easyread.RULES,
        *readability.RULES,
        *vocabulary.RULES,
        *evidence.RULES,
        *outputs.RULES,
        *translations.RULES,
        *GENERAL,
    )
}


def run_checks(
    project: Project,
    out_dir: Path,
    build: bool = False,
    *,
    today: date | None = None,
    progress: build_.Progress | None = None,
) -> Report:
    """Check the project's booklets and their built outputs; build them first with ``build``.

    Everything wrong with a booklet is a finding in the report (loading the project raised
    for the folder itself).
    """
    report = Report(booklets=[e.slug for e in project])
    built = _build(project, out_dir, progress) if build else []
    for entry in project:
        report.findings += built_problems(entry, built)
        _check(entry, project.targets, out_dir, today or date.today(), report)
        for translation in entry.translations:  # source rules, structure and staleness, built PDFs
            _check(translation, project.targets, out_dir, today or date.today(), report, TRANSLATION_CHECKS)
        if entry.translations:
            tags = ", ".join(t.lang for t in entry.translations)
            report.notes.append((entry.slug, f"translations {tags}: built PDFs checked; {ENGLISH_ONLY}"))
    return report


def _build(project: Project, out_dir: Path, progress: build_.Progress | None = None) -> list[Problem]:
    """Build the booklets; return the problems of the build (as data, no message is parsed)."""
    try:
        build_.build(project.content, out_dir, [e.slug for e in project], project=project, progress=progress)
    except BuildError as exc:
        return list(exc.problems)
    except BookletError as exc:
        return list(exc.problems_at(project.content, RENDER_FAILED))
    return []


def built_problems(entry: Entry, built: list[Problem]) -> list[Problem]:
    """Return the build's own problems for a booklet (loading problems are reported once, from the load)."""
    known = set(entry.problems)
    return [p for p in built if p.booklet == entry.slug and p not in known]


def _check(
    entry: Entry,
    targets: Targets,
    out_dir: Path,
    today: date,
    report: Report,
    names: Sequence[str] = tuple(CHECKS),
) -> None:
    """Run the checks named (all) that can run on one booklet; silence what its ignores silence.

    A translation's entry is given TRANSLATION_CHECKS, and has no reading scores.
    """
    found: list[Problem] = list(entry.problems)
    silenced: list[Silenced] = list(entry.loaded.silenced)
    booklet = entry.booklet
    if booklet is not None:
        ctx = Context(booklet, targets, out_dir, today)
        checked = [finding for name in names for finding in CHECKS[name](ctx)]
        kept, more = content.silence(checked, entry.loaded.sources, booklet.meta.ignore)
        found += kept
        silenced += more
        if not entry.lang:
            report.scores += readability.scores(ctx)
    report.findings += found
    report.silenced += silenced
    report.findings += _ignores(entry, silenced)


def _ignores(entry: Entry, silenced: list[Silenced]) -> list[Problem]:
    """Report ignores that name no rule, or silenced nothing."""
    used_lines = {(s.problem.path, s.problem.line, s.problem.rule) for s in silenced}
    used_rules = {s.problem.rule for s in silenced}
    out = []
    for source in entry.loaded.sources:
        for ignore in source.tree.ignores:
            used = (source.path, ignore.line, ignore.rule) in used_lines
            out += _ignore_problems(entry.slug, source.path, ignore.line, ignore.rule, used)
    if entry.booklet is not None and not entry.lang:  # a translation's ignore: list is the original's
        for index, (rule, _) in enumerate(entry.booklet.meta.ignore):
            line = entry.booklet.source.front_line("ignore", index)
            out += _ignore_problems(entry.slug, entry.booklet.source.path, line, rule, rule in used_rules)
    return out


def _ignore_problems(slug: str, path: Path, line: int | None, rule: str, used: bool) -> list[Problem]:
    if rule not in RULES:
        return [
            IGNORE_UNKNOWN.at(
                slug,
                path,
                line,
                f"ignore names rule '{rule}', which does not exist",
                "use a rule id from docs/checks.md",
            )
        ]
    if not used:
        return [IGNORE_UNUSED.at(slug, path, line, f"ignore of rule '{rule}' silenced nothing", "remove it")]
    return []
