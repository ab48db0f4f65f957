"""The built PDFs: PDF/UA-1 validation, outloud, and type sizes measured in the PDF.

They run on the English booklet's PDFs and on each translation's (OUT/<slug>/<lang>/).

Each variant's type rules come from the variant table (``body_pt``, ``min_pt``,
``share_pt``): no character under ``min_pt``, and ``share_pt`` of the characters at
``body_pt`` or more. The validators are the test tools page-validation and outloud;
when one is not installed the check says so instead of passing silently.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .. import paths
from ..source.content import BOOKLET_FILE, PUBLISHER_FILE
from ..variants import VARIANTS, Variant
from .base import Context, Finding, Rule

PDF_UA = Rule("OUT-PDFUA", "error", "a PDF fails PDF/UA-1 validation (page-validation, profile ua1)")
OUTLOUD_ERROR = Rule("OUT-OUTLOUD-ERROR", "error", "outloud reports an error in a PDF")
OUTLOUD_WARNING = Rule("OUT-OUTLOUD-WARNING", "warning", "outloud reports a warning in a PDF")
SIZE_MIN = Rule("OUT-SIZE-MIN", "error", "text in a PDF is smaller than its variant's minimum size")
SIZE_SHARE = Rule("OUT-SIZE-SHARE", "error", "too little of a PDF's text is at its variant's body size")
ITALIC = Rule("OUT-ITALIC", "error", "a PDF uses an italic or oblique font")
UNREADABLE = Rule("OUT-UNREADABLE", "error", "a PDF cannot be read")
STALE = Rule("OUT-STALE", "warning", "a PDF is older than the files it is made from")
NOT_BUILT = Rule("OUT-NOT-BUILT", "advice", "a variant has not been built, so its PDF was not checked")
TOOL_MISSING = Rule("OUT-TOOL-MISSING", "warning", "a PDF validator is not installed, so it did not run")
RULES = (
    PDF_UA,
    OUTLOUD_ERROR,
    OUTLOUD_WARNING,
    SIZE_MIN,
    SIZE_SHARE,
    ITALIC,
    UNREADABLE,
    STALE,
    NOT_BUILT,
    TOOL_MISSING,
)

ITALIC_RE = re.compile(r"Italic|Oblique", re.IGNORECASE)
TOLERANCE = 0.01  # points: sizes are computed from text and page matrices
OUTLOUD_SECONDS = 600


@dataclass(frozen=True)
class Run:
    """A run of text on a page: page index (0-based), text, size in points, font name."""

    page: int
    text: str
    size: float
    font: str


def check(ctx: Context) -> Iterator[Finding]:
    """Check every built PDF of the booklet; say which variants are not built."""
    lang = ctx.booklet.lang  # a translation's PDFs are in OUT/<slug>/<lang>/
    built = built_pdfs(ctx.slug, paths.folder(ctx.out_dir, ctx.slug, lang))
    for variant in VARIANTS.values():
        if not ctx.booklet.has(variant):
            continue  # the booklet (or translation) has no source of this variant
        pdf = paths.variant_file(ctx.out_dir, ctx.slug, variant.stem, "pdf", lang)
        if not pdf.is_file():
            yield NOT_BUILT.at(
                ctx.slug,
                pdf,
                None,
                f"the {variant.name} PDF is not built, so it was not checked: run booklet check --build",
            )
    missing: set[str] = set()
    unreadable: set[Path] = set()
    outloud = Outloud([pdf for pdf, _ in built])  # runs beside the checks below, on the other core
    try:
        for pdf, variant in built:
            yield from _stale(ctx, pdf, variant)
            try:
                runs = text_runs(pdf)
            except (PyPdfError, OSError, ValueError, KeyError) as exc:
                unreadable.add(pdf)
                yield UNREADABLE.at(ctx.slug, pdf, None, f"the PDF cannot be read ({exc}): build it again")
                continue
            yield from _sizes(ctx, pdf, variant, runs)
            yield from _validate(ctx, pdf, missing)
        if outloud.tool is None and built:
            yield from _tool_missing(ctx, built[0][0], "outloud", missing)
        elif built:
            yield from outloud_findings(ctx, outloud.report(), built[0][0], unreadable)
    finally:
        outloud.close()


def built_pdfs(slug: str, folder: Path) -> list[tuple[Path, Variant]]:
    """Return each PDF of a booklet's output folder with the variant (and size) it was made as."""
    by_stem = {
        v.stem: v for base in VARIANTS.values() for v in (*(base.with_size(s) for s in base.sizes), base)
    }
    found = []
    for pdf in sorted(folder.glob("*.pdf")):
        if variant := by_stem.get(paths.stem_of(pdf, slug)):
            found.append((pdf, variant))
    return found


def _stale(ctx: Context, pdf: Path, variant: Variant) -> Iterator[Finding]:
    folder = ctx.booklet.folder  # the English booklet's: its pictures, and publisher.yml beside it
    source = ctx.booklet.source_folder / variant.source  # a translation's own text
    inputs = [source, ctx.path, folder / BOOKLET_FILE, folder.parent / PUBLISHER_FILE, *ctx.booklet.images]
    newer = dict.fromkeys(p for p in inputs if p.is_file() and p.stat().st_mtime > pdf.stat().st_mtime)
    if newer:  # each file named once, from the content folder: booklet.md, translations/pl/booklet.md
        names = [p.relative_to(folder).as_posix() if p.is_relative_to(folder) else p.name for p in newer]
        yield STALE.at(
            ctx.slug,
            pdf,
            None,
            f"the PDF is older than {', '.join(names)}, so this check reads an old "
            "version: build it again (booklet check --build)",
        )


def text_runs(pdf: Path) -> list[Run]:
    """Return every non-blank text run of a PDF with its effective size in points."""
    out: list[Run] = []
    for index, page in enumerate(PdfReader(pdf).pages):

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, index: int = index) -> None:
            if text.strip():
                c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
                name = str(font.get("/BaseFont", "")) if font else ""
                out.append(Run(index, text, round(size * math.hypot(c, d), 2), name))

        page.extract_text(visitor_text=visit)
    return out


def _sizes(ctx: Context, pdf: Path, variant: Variant, runs: list[Run]) -> Iterator[Finding]:
    chars: Counter[str] = Counter()
    small = [r for r in runs if r.size < variant.min_pt - TOLERANCE]
    for run in runs:
        n = len(run.text.strip())
        chars["all"] += n
        chars["body"] += n if run.size >= variant.body_pt - TOLERANCE else 0
    if small:
        first = min(small, key=lambda r: r.size)
        yield SIZE_MIN.at(
            ctx.slug,
            pdf,
            None,
            f"{sum(len(r.text.strip()) for r in small)} characters are under the {variant.name} minimum of "
            f"{variant.min_pt:g}pt; the smallest, {first.size:g}pt, on page {first.page + 1}: "
            f"'{first.text.strip()[:40]}'",
        )
    share = chars["body"] / chars["all"] if chars["all"] else 0.0
    if share < variant.share_pt:
        yield SIZE_SHARE.at(
            ctx.slug,
            pdf,
            None,
            f"{share:.0%} of the characters are at {variant.body_pt:g}pt or more; the {variant.name} rule "
            f"is at least {variant.share_pt:.0%}",
        )
    italic = sorted({r.font for r in runs if ITALIC_RE.search(r.font)})
    if italic:
        page = min(r.page for r in runs if r.font in italic) + 1
        yield ITALIC.at(
            ctx.slug,
            pdf,
            None,
            f"italic font {', '.join(italic)} is used (first on page {page}): use bold for emphasis",
        )


def _validate(ctx: Context, pdf: Path, missing: set[str]) -> Iterator[Finding]:
    try:
        import page
    except ImportError:
        yield from _tool_missing(ctx, pdf, "page-validation", missing)
        return
    try:
        report = page.validate_pdf(str(pdf), profile="ua1")
    except Exception as exc:
        yield UNREADABLE.at(
            ctx.slug, pdf, None, f"page-validation cannot read the PDF ({exc}): build it again"
        )
        return
    failures: dict[str, list[str]] = {}
    for failure in report.failures:
        failures.setdefault(failure.rule_id, []).append(failure.message)
    for rule_id, messages in sorted(failures.items()):
        yield PDF_UA.at(
            ctx.slug, pdf, None, f"PDF/UA-1 rule {rule_id} fails {len(messages)} time(s): {messages[0]}"
        )
    if not report.is_compliant and not failures:
        yield PDF_UA.at(ctx.slug, pdf, None, "page-validation says the PDF is not PDF/UA-1 compliant")


class Outloud:
    """outloud, run once on every PDF of a booklet, in the background (it is the slow part)."""

    def __init__(self, pdfs: list[Path]) -> None:
        beside = Path(sys.executable).parent / "outloud"
        self.tool = str(beside) if beside.is_file() else shutil.which("outloud")
        self.output, self.errors = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self.process: subprocess.Popen[bytes] | None = None
        if self.tool and pdfs:
            command = [self.tool, *map(str, pdfs), "--json", "-", "--fail-on", "never"]
            self.process = subprocess.Popen(command, stdout=self.output, stderr=self.errors)

    def report(self) -> dict[str, Any] | str:
        """Wait for outloud; return its JSON report, or what went wrong."""
        if self.process is None:
            return {}
        try:
            self.process.wait(timeout=OUTLOUD_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return f"it took more than {OUTLOUD_SECONDS} s"
        self.output.seek(0)
        self.errors.seek(0)
        try:
            report = json.loads(self.output.read())
        except json.JSONDecodeError:
            return self.errors.read().decode(errors="replace").strip()[-200:] or "no report"
        return report if isinstance(report, dict) else "an unexpected report"

    def close(self) -> None:
        """Stop outloud if it still runs, and remove its output."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.output.close()
        self.errors.close()


def outloud_findings(
    ctx: Context, report: dict[str, Any] | str, first: Path, unreadable: set[Path]
) -> Iterator[Finding]:
    """Turn outloud's JSON report into findings, each on the PDF it is about."""
    if isinstance(report, str):
        yield OUTLOUD_ERROR.at(ctx.slug, first, None, f"outloud failed: {report}")
        return
    for result in report.get("results", []):
        pdf = Path(str(result.get("path", first)))
        if result.get("error"):
            if pdf not in unreadable:
                yield UNREADABLE.at(ctx.slug, pdf, None, f"outloud cannot read the PDF: {result['error']}")
            continue
        for item in _outloud_findings(result):
            rule = {"error": OUTLOUD_ERROR, "warning": OUTLOUD_WARNING}.get(str(item["severity"]))
            if rule:
                where = f" (page {item['page']})" if item.get("page") else ""
                yield rule.at(
                    ctx.slug, pdf, None, f"outloud {item['rule']}{where}: {item.get('message', '')}"
                )


def _outloud_findings(node: object) -> Iterator[dict[str, Any]]:
    """Yield every finding of outloud's JSON report (objects with 'rule' and 'severity')."""
    if isinstance(node, dict):
        if "severity" in node and "rule" in node:
            yield node
        for value in node.values():
            yield from _outloud_findings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _outloud_findings(value)


def _tool_missing(ctx: Context, pdf: Path, tool: str, missing: set[str]) -> Iterator[Finding]:
    if tool not in missing:
        missing.add(tool)
        yield TOOL_MISSING.at(
            ctx.slug,
            pdf,
            None,
            f"{tool} is not installed, so the PDFs were not checked with it: "
            "install booklet's test tools (scripts/setup.sh test)",
        )
