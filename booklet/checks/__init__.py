"""booklet check: the quality gate an information team runs before publishing a booklet.

Each check is a function in the :data:`CHECKS` table; it reads one booklet's
:class:`Context` and yields :class:`Finding` objects, each of a rule in :data:`RULES`
(ids are stable; docs/checks.md describes every one). :func:`run_checks` loads the
booklets, runs every check on each (no check stops another), then sets aside the
findings that ``<!-- booklet: ignore RULE reason -->`` comments or the front matter's
``ignore:`` list silence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import yaml

from .. import content, frontmatter, markup
from ..errors import BookletError, ConfigError, ContentError, Problem
from ..model import Booklet, Publisher
from . import evidence, outputs, readability, sources, targets, vocabulary
from .base import Check, Context, Finding, Rule, Severity, Targets
from .report import Report, Silenced, Summary, format_json, format_text

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

LOAD_ERROR = Rule("LOAD-ERROR", "error", "a booklet's files have problems that stop it being built")
BUILD_FAILED = Rule("BUILD-FAILED", "error", "booklet build failed for a booklet (with --build)")
IGNORE_UNKNOWN = Rule("CHECK-IGNORE-UNKNOWN", "warning", "an ignore names a rule that does not exist")
IGNORE_UNUSED = Rule("CHECK-IGNORE-UNUSED", "advice", "an ignore silenced nothing")
GENERAL = (LOAD_ERROR, BUILD_FAILED, IGNORE_UNKNOWN, IGNORE_UNUSED)
# The easy-read linter's rules (booklet/easyread.py; ER-SENTENCE-LONG is in readability). The
# build refuses easy read that breaks them, so they reach this check as loading problems,
# reported under their own ids.
EASY_READ_LINT = (
    Rule("ER-NO-PICTURE", "error", "an easy-read point does not start with a picture"),
    Rule("ER-HARD-WORD-NOT-BOLD", "error", "the first use of a hard word in easy read is not in bold"),
    Rule("ER-HARD-WORD-NOT-EXPLAINED", "error", "a bold hard word is not explained in the next sentence"),
    Rule("ER-HARD-WORD-NOT-LISTED", "error", "a bold hard word is missing from the 'Hard words' chapter"),
    Rule("ER-ACRONYM", "error", "easy read uses an acronym such as 'CT'"),
    Rule("ER-NUMBER-WORD", "error", "easy read writes a number as a word ('three')"),
)
RULE_PREFIX_RE = re.compile(r"^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+): (.*)$", re.DOTALL)

CHECKS: dict[str, Check] = {
    "reading ease and sentences": readability.check,
    "words and glossary": vocabulary.check,
    "evidence and dates": evidence.check,
    "accessibility of the sources": sources.check,
    "built outputs": outputs.check,
}
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        *readability.RULES,
        *vocabulary.RULES,
        *evidence.RULES,
        *sources.RULES,
        *outputs.RULES,
        *GENERAL,
        *EASY_READ_LINT,
    )
}


def run_checks(
    content_dir: Path,
    out_dir: Path,
    slugs: Sequence[str] = (),
    build: bool = False,
    *,
    today: date | None = None,
) -> Report:
    """Check booklets (all, or those named) and their built outputs; build them first with ``build``.

    Raises ConfigError for an unknown slug and ContentError when publisher.yml is wrong;
    everything wrong with a booklet is a finding in the report.
    """
    publisher, goals = targets.load(content_dir)
    known = content.discover(content_dir)
    if missing := [s for s in slugs if s not in known]:
        raise ConfigError(
            f"no booklet called {', '.join(missing)} in {content_dir}; "
            f"booklets there: {', '.join(known) or 'none'}"
        )
    report = Report(booklets=list(slugs or known))
    not_built = _build(content_dir, out_dir, slugs) if build else {}
    loaded = _load(content_dir, report, publisher)
    for slug, message in not_built.items():
        if slug in {b.slug for b, _ in loaded} or slug not in report.booklets:  # else: found loading it
            report.findings.append(
                BUILD_FAILED.at(slug, content_dir / slug, None, f"booklet build failed: {message}")
            )
    for booklet, front in loaded:
        ctx = Context(booklet, goals, out_dir, today or date.today(), front)
        found = [finding for check in CHECKS.values() for finding in check(ctx)]
        _silence(ctx, found, report)
        report.scores += readability.scores(ctx)
    return report


def _build(content_dir: Path, out_dir: Path, slugs: Sequence[str]) -> dict[str, str]:
    """Build the booklets; return what failed, by slug ('' when the failure names no booklet)."""
    from ..build import build

    try:
        build(content_dir, out_dir, slugs)
    except BookletError as exc:
        parts = re.split(r"^([a-z0-9][a-z0-9-]*): not built$", str(exc), flags=re.MULTILINE)
        if len(parts) < 3:
            return {"": str(exc)}
        return {parts[i]: " ".join(parts[i + 1].split()) for i in range(1, len(parts), 2)}
    return {}


def _load(content_dir: Path, report: Report, publisher: Publisher) -> list[tuple[Booklet, yaml.Node | None]]:
    """Load each booklet, with its front matter's YAML nodes; one that fails gives loading findings."""
    loaded: list[Booklet] = []
    for slug in report.booklets:
        try:
            loaded.append(content.load_booklet(content_dir, slug, publisher))
        except ContentError as exc:
            report.findings += [_load_error(slug, p) for p in exc.problems]
    for problem in content.check_unique_codes(loaded):
        slug = problem.path.parent.name
        report.findings.append(_load_error(slug, problem))
        loaded = [b for b in loaded if b.slug != slug]
    return [(b, _front(b)) for b in loaded]


def _load_error(slug: str, problem: Problem) -> Finding:
    """Return a loading problem as a finding: of its own rule when its message starts with a rule id."""
    rule, message = LOAD_ERROR, problem.message
    if (match := RULE_PREFIX_RE.match(message)) and match[1] in RULES:
        rule, message = RULES[match[1]], match[2]
    fix = f" (fix: {problem.hint})" if problem.hint else ""
    return Finding(
        slug,
        problem.path,
        problem.line,
        rule.id,
        "error",  # the build refuses it, whatever the rule's own severity
        f"{message}{fix}; the booklet cannot be built, so its other checks did not run",
    )


def _front(booklet: Booklet) -> yaml.Node | None:
    """Return the YAML node tree of booklet.md's front matter (it loaded once already)."""
    path = booklet.source.path
    yaml_text, _, _ = frontmatter.split(path, frontmatter.read_text(path))
    return frontmatter.load(path, yaml_text, 2)[1]


def _silence(ctx: Context, found: list[Finding], report: Report) -> None:
    """Add findings to the report, setting aside those an ignore comment or ``ignore:`` silences."""
    by_line = {
        (source.path, line, rule): reason
        for source, _ in ctx.sources()
        for line, rule, reason in markup.ignores(source.body, source.body_line)
    }
    by_booklet = dict(ctx.booklet.meta.ignore)
    used: set[object] = set()
    for finding in found:
        key = (finding.path, finding.line, finding.rule)
        if key in by_line:
            report.silenced.append(Silenced(finding, by_line[key]))
            used.add(key)
        elif finding.rule in by_booklet:
            report.silenced.append(Silenced(finding, by_booklet[finding.rule]))
            used.add(finding.rule)
        else:
            report.findings.append(finding)
    for (path, line, rule), _ in by_line.items():
        report.findings += _ignore_problems(ctx.slug, path, line, rule, (path, line, rule) in used)
    for index, (rule, _) in enumerate(ctx.booklet.meta.ignore):
        report.findings += _ignore_problems(
            ctx.slug, ctx.path, ctx.meta_line("ignore", index), rule, rule in used
        )


def _ignore_problems(slug: str, path: Path, line: int | None, rule: str, used: bool) -> list[Finding]:
    if rule not in RULES:
        return [
            IGNORE_UNKNOWN.at(
                slug,
                path,
                line,
                f"ignore names rule '{rule}', which does not exist: see docs/checks.md for rule ids",
            )
        ]
    if not used:
        return [IGNORE_UNUSED.at(slug, path, line, f"ignore of rule '{rule}' silenced nothing: remove it")]
    return []
