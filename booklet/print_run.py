"""Print-ready files: trim size with 3 mm bleed and crop marks, padded for saddle stitching.

The accessible PDF is for screens; the print file is for the printer. It is the same
booklet laid out again with bleed and crop marks (``styles/print.css``), as PDF/X-4
with a fixed identifier, its page count padded to a multiple of 4 with "Notes" pages
placed before the back cover, and optionally imposed into printer's spreads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import content, imposition, orders, output, paths, render_html
from .build import plan
from .errors import BookletError, BuildError, Problem
from .log import LOGGER, PROGRESS
from .model import Booklet
from .project import Project
from .render_pdf import Renderer
from .variants import VARIANTS, Variant, choose

PRINT_CSS = "print.css"
PRINT_VARIANT = "pdf/x-4"


@dataclass(frozen=True)
class PrintFile:
    """A print-ready file made for one booklet and variant."""

    slug: str
    code: str
    variant: str
    pages: int  # printed pages, Notes pages included (a multiple of 4)
    notes: int  # how many Notes pages were added
    pdf: bytes
    imposed: bytes | None = None


PRINT_DPI = 300


def low_resolution(booklet: Booklet, variant: Variant) -> list[str]:
    """Return a warning for each raster picture with too few pixels for 300 dpi at full text width."""
    from PIL import Image  # Pillow comes with WeasyPrint

    needed = round(variant.text_width_mm / 25.4 * PRINT_DPI)
    warnings = []
    for picture in booklet.images:
        if picture.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            continue  # SVG is vector: any size prints sharp
        with Image.open(picture) as image:
            width = image.width
        if width < needed:
            dpi = width / variant.text_width_mm * 25.4
            warnings.append(
                f"{picture}: {width} pixels wide, {dpi:.0f} dpi when printed "
                f"{variant.text_width_mm:g} mm wide in {variant.stem}; printers want {PRINT_DPI} dpi "
                f"({needed} pixels) or an SVG"
            )
    return warnings


def print_ready(booklet: Booklet, variant: Variant, renderer: Renderer, imposed: bool = False) -> PrintFile:
    """Make the print-ready PDF of one variant (and its imposed spreads when asked)."""
    for warning in low_resolution(booklet, variant):
        LOGGER.warning("%s", warning)
    source = booklet.folder / variant.source
    ctx = render_html.context(booklet, variant)
    stylesheets = (*variant.stylesheets, PRINT_CSS)
    document = renderer.layout(
        render_html.document(ctx), booklet.folder, stylesheets, source, variant.size_css, PRINT_VARIANT
    )
    notes = imposition.pad_count(len(document.pages)) - len(document.pages)
    if notes:
        ctx["notes_pages"] = notes
        document = renderer.layout(
            render_html.document(ctx), booklet.folder, stylesheets, source, variant.size_css, PRINT_VARIANT
        )
    if len(document.pages) % 4:
        raise BookletError(
            f"{source}: adding {notes} Notes pages gave {len(document.pages)} pages, "
            "not a multiple of 4; check styles/print.css"
        )
    identifier = hashlib.md5(f"{booklet.slug}/{variant.stem}/{booklet.meta.published}".encode()).hexdigest()
    pdf = renderer.write(document, source, PRINT_VARIANT, identifier.encode())
    spreads = imposition.impose(pdf) if imposed else None
    return PrintFile(booklet.slug, booklet.meta.code, variant.stem, len(document.pages), notes, pdf, spreads)


def files_of(made: PrintFile, folder: Path) -> dict[Path, bytes]:
    """Return where a print file and its spreads are written, in ``folder``."""
    files = {paths.print_file(folder, made.slug, made.variant): made.pdf}
    if made.imposed is not None:
        files[paths.print_file(folder, made.slug, made.variant, imposed=True)] = made.imposed
    return files


def print_booklets(
    content_dir: Path,
    out: Path,
    slugs: Sequence[str] = (),
    variant_names: Sequence[str] = (),
    imposed: bool = False,
    size: int | None = None,
) -> list[Path]:
    """Write ``OUT/<slug>/print/<slug>-<variant>-print.pdf`` (and ``-imposed.pdf``) for each booklet."""
    variants = choose(variant_names, size)
    easy = variants is None or any(v.source == content.EASY_READ_FILE for v in variants)
    todo = plan(Project.load(content_dir, slugs, easy_read=easy), variants)
    files: dict[Path, bytes] = {}
    with Renderer() as renderer:
        for booklet, variant in todo.jobs:
            PROGRESS.info("Print file for %s (%s)", booklet.slug, variant.stem)
            try:
                made = print_ready(booklet, variant, renderer, imposed)
            except BookletError as exc:
                todo.problems.append(
                    Problem(
                        booklet.folder / variant.source, str(exc), rule="RENDER-FAILED", booklet=booklet.slug
                    )
                )
                continue
            files.update(files_of(made, paths.print_folder(out, booklet.slug)))
    written = output.write_all(files)
    LOGGER.info("Wrote %d print file(s) into %s", len(written), out)
    for problem in todo.problems:
        if problem.severity == "warning":
            LOGGER.warning("%s", problem)
    if errors := [p for p in todo.problems if p.stops]:
        raise BuildError(errors)
    return written


def available(content_dir: Path) -> tuple[dict[str, list[str]], dict[str, str], dict[str, Booklet]]:
    """Return what can be ordered: code -> variants that can be made, code -> title, code -> booklet.

    A booklet with a duplicate code, or unusable front matter, cannot be ordered.
    """
    project = Project.load(content_dir)
    codes: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    booklets: dict[str, Booklet] = {}
    for entry in project:
        b = entry.booklet
        names = [v.name for v in entry.variants() if not entry.blocked(v)]
        if b is None or not names:
            continue
        codes[b.meta.code], titles[b.meta.code], booklets[b.meta.code] = names, b.meta.title, b
    return codes, titles, booklets


def print_run(content_dir: Path, orders_csv: Path, out: Path, imposed: bool = True) -> list[Path]:
    """Turn an order file into a print-run folder: print files, run.csv and summary.txt.

    Every row is checked before anything is made; a bad file writes nothing.
    """
    codes, _, booklets = available(content_dir)
    lines = orders.group(orders.read_orders(orders_csv, codes))
    files: dict[Path, bytes] = {}
    pages: dict[tuple[str, str], int] = {}
    with Renderer() as renderer:
        for line in lines:
            booklet = booklets[line.code]
            PROGRESS.info("Print file for %s (%s), %d copies", booklet.slug, line.variant, line.copies)
            made = print_ready(booklet, VARIANTS[line.variant], renderer, imposed)
            pages[(line.code, line.variant)] = made.pages
            files.update(files_of(made, out))
    summary = orders.summarise(lines, pages)
    files[out / "run.csv"] = orders.run_csv(summary).encode()
    files[out / "summary.txt"] = orders.summary_text(summary).encode()
    written = output.write_all(files)
    LOGGER.info(
        "Print run of %d copies on %d sheets written to %s", summary.copies, summary.total_sheets, out
    )
    return written


def order_form(content_dir: Path) -> str:
    """Return the blank order form: every code and variant, with an empty quantity."""
    codes, titles, _ = available(content_dir)
    return orders.template_csv(codes, titles)
