"""Print-ready files: trim size with 3 mm bleed and crop marks, padded for saddle stitching.

The accessible PDF is for screens; the print file is for the printer. It is the same
booklet laid out again in CMYK with bleed (``styles/print.css``), with a fixed
identifier, its page count padded to a multiple of 4 with "Notes" pages placed before
the back cover, finished as PDF/X-4 with crop marks in a slug (``prepress.py``), and
optionally imposed into printer's spreads on press sheets, with creep (``imposition.py``).
A translation's print files are made the same way, into its own folder
(``paths.print_folder``); one in a right-to-left language is bound on the right, so its
spreads are mirrored (``languages.Language.bound_right``).

A print run (``print_run``) is written into a hidden folder beside its own
(``.<name>.XXXX.unfinished``) and renamed into place when every file is written, so a
full disk or a read-only folder leaves no half print run: the run's folder holds the
whole run or does not exist. A folder that already holds a run (its ``run.csv``) is refused.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import languages, output, paths
from ..build import Progress, plan
from ..errors import RENDER_FAILED, BookletError, BuildError, RenderError
from ..log import LOGGER, PROGRESS
from ..model import Booklet
from ..render import document as page
from ..render import html as render_html
from ..render.pdf import Renderer
from ..source import messages
from ..source.project import Project
from ..variants import VARIANTS, Variant, choose
from . import imposition, orders, prepress, run_summary
from .offer import Offer, available
from .orders import RUN_CSV

PRINT_CSS = "print.css"
PRINT_VARIANT = "pdf/x-4"
SUMMARY_TXT = "summary.txt"
PT_PER_PX = 0.75  # WeasyPrint sizes pages in CSS pixels (96 a inch); PDF in points (72)
UNFINISHED = ".unfinished"  # suffix of the hidden folder a print run is written into first


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
    press_sheet: str = ""  # the paper the imposed sheets are printed on: 'SRA4', 'SRA3' or 'W x H mm'
    sheets: int = 0  # press sheets (each printed both sides) a copy takes
    creep_mm: float = 0  # how far the innermost sheet's pages move towards the spine (0: no creep)
    lang: str = ""  # a translation's BCP 47 tag ('' for the original)

    @property
    def bound_right(self) -> bool:
        """Return whether the booklet is bound on the right (a right-to-left language)."""
        return languages.bound_right(self.lang)


PRINT_DPI = 300


def low_resolution(booklet: Booklet, variant: Variant) -> list[str]:
    """Return a warning for each raster picture with too few pixels for 300 dpi at full text width."""
    from PIL import Image  # Pillow comes with WeasyPrint

    needed = round(variant.text_width_mm / 25.4 * PRINT_DPI)
    warnings = []
    for picture in booklet.images:
        if picture.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            continue  # SVG is vector: any size prints sharp
        try:
            with Image.open(picture) as image:
                width = image.width
        except Exception:  # Pillow raises OSError, SyntaxError, struct.error... on a damaged file
            warnings.append(
                f"{picture}: cannot be read as a picture (damaged, cut short, or not a "
                f"{picture.suffix.lstrip('.').upper()} file); its print resolution was not checked"
            )
            continue
        if width < needed:
            dpi = width / variant.text_width_mm * 25.4
            warnings.append(
                f"{picture}: {width} pixels wide, {dpi:.0f} dpi when printed "
                f"{variant.text_width_mm:g} mm wide in {variant.stem}; printers want {PRINT_DPI} dpi "
                f"({needed} pixels) or an SVG"
            )
    return warnings


def print_ready(
    booklet: Booklet,
    variant: Variant,
    renderer: Renderer,
    imposed: bool = False,
    caliper_um: int | None = None,
) -> PrintFile:
    """Make the print-ready PDF of one variant (and its imposed spreads when asked).

    ``caliper_um``: the paper's thickness in microns, for creep in the spreads (None: the
    publisher's ``paper_caliper``; 0: no creep).
    """
    if caliper_um is None:
        caliper_um = booklet.publisher.paper_caliper
    for warning in low_resolution(booklet, variant):
        LOGGER.warning("%s", warning)
    source = booklet.source_folder / variant.source
    ctx = render_html.context(booklet, variant)
    stylesheets = (*ctx["stylesheets"], PRINT_CSS)
    words = messages.of(booklet.publisher, booklet.lang or messages.SOURCE)  # Notes pages' head, links' words
    extra = variant.size_css + messages.words_css(words, variant.name)
    html = page.serialise(render_html.document(ctx))
    document = renderer.layout(html, booklet.folder, stylesheets, source, extra, PRINT_VARIANT)
    notes = imposition.pad_count(len(document.pages)) - len(document.pages)
    if notes:
        ctx["notes_pages"] = notes
        html = page.serialise(render_html.document(ctx))
        document = renderer.layout(html, booklet.folder, stylesheets, source, extra, PRINT_VARIANT)
    if len(document.pages) % 4:
        raise RenderError(
            f"adding {notes} Notes pages gave {len(document.pages)} pages, not a multiple of 4",
            source,
            fix="check styles/print.css",
        )
    identifier = hashlib.md5(f"{booklet.key}/{variant.stem}/{booklet.meta.published}".encode()).hexdigest()
    pdf = prepress.finish(renderer.write(document, source, PRINT_VARIANT, identifier.encode(), words))
    right = languages.bound_right(booklet.lang)
    spreads = imposition.impose(pdf, caliper_um, right_bound=right) if imposed else None
    sheets = imposition.sheets_per_copy(len(document.pages))
    first = document.pages[0]  # its size is the trim size (CSS px): the bleed is outside it
    return PrintFile(
        booklet.slug,
        booklet.meta.code,
        variant.stem,
        len(document.pages),
        notes,
        pdf,
        spreads,
        press_sheet=imposition.press_sheet(first.width * PT_PER_PX, first.height * PT_PER_PX).name,
        sheets=sheets,
        creep_mm=imposition.creep_mm(sheets, caliper_um),
        lang=booklet.lang,
    )


def files_of(made: PrintFile, folder: Path) -> dict[Path, bytes]:
    """Return where a print file and its spreads are written, in ``folder``."""
    files = {paths.print_file(folder, made.slug, made.variant, lang=made.lang): made.pdf}
    if made.imposed is not None:
        files[paths.print_file(folder, made.slug, made.variant, imposed=True, lang=made.lang)] = made.imposed
    return files


def print_booklets(
    project: Project,
    out: Path,
    variant_names: Sequence[str] = (),
    imposed: bool = False,
    size: int | None = None,
    caliper_um: int | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write ``OUT/<slug>/print/<slug>-<variant>-print.pdf`` (and ``-imposed.pdf``) for each booklet.

    Each translation's go to ``OUT/<slug>/<lang>/print/<slug>-<variant>-<lang>-print.pdf``
    (``paths.print_file``). ``caliper_um``: paper thickness in microns for creep in the
    spreads (None: publisher.yml's). ``progress`` is told of each print file made.
    """
    todo = plan(project, choose(variant_names, size))
    files: dict[Path, bytes] = {}
    with Renderer() as renderer:
        for done, (booklet, variant) in enumerate(todo.jobs, 1):
            PROGRESS.info("Print file for %s (%s)", booklet.key, variant.stem)
            try:
                made = print_ready(booklet, variant, renderer, imposed, caliper_um)
            except BookletError as exc:
                source = booklet.source_folder / variant.source
                todo.problems += exc.problems_at(source, RENDER_FAILED, booklet.slug)
                continue
            finally:
                if progress:
                    progress(f"{booklet.key} ({variant.stem})", done, len(todo.jobs))
            if made.lang:
                LOGGER.info("%s (%s): %s", booklet.key, variant.stem, run_summary.language_note(made.lang))
            files.update(files_of(made, paths.print_folder(out, booklet.slug, booklet.lang)))
    with output.locked(out):
        written = output.write_all(files)
    LOGGER.info("Wrote %d print file(s) into %s", len(written), out)
    for problem in todo.problems:
        if problem.severity == "warning":
            LOGGER.warning("%s", problem)
    if errors := [p for p in todo.problems if p.stops]:
        raise BuildError(errors)
    return written


def _reason(exc: OSError) -> str:
    """Return why a file operation failed, in words: 'No space left on device'."""
    return exc.strerror or str(exc)


def _check_run_folder(out: Path) -> None:
    """Refuse a print-run folder that is a file, or that already holds a print run."""
    if os.path.lexists(out) and not out.is_dir():
        raise BookletError(f"{out}: is a file, not a folder; give a new folder for the print run")
    if os.path.lexists(out / RUN_CSV):
        raise BookletError(
            f"{out}: already holds a print run ({RUN_CSV}); give a new folder with --out, "
            "or leave --out off to make the next free out/print-runs/<date>-N"
        )


def _move_into(staging: Path, out: Path, names: Sequence[str]) -> None:
    """Move a written run into an existing folder, run.csv last; undo the moves when one fails."""
    moved: list[Path] = []
    try:
        for name in sorted(names, key=lambda n: n == RUN_CSV):
            target = out / name
            new = not os.path.lexists(target)
            os.replace(staging / name, target)
            if new:
                moved.append(target)
    except OSError as exc:
        for path in moved:
            path.unlink(missing_ok=True)
        raise BookletError(f"{out}: the print run cannot be moved into it ({_reason(exc)})") from None


def _write_run(out: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write a print run's files (by name) so that ``out`` holds all of them or none.

    They are written into a hidden folder beside ``out`` (inside it when it is an
    existing folder), then renamed into place.
    """
    _check_run_folder(out)
    existing = out.is_dir()
    try:
        where = out if existing else out.parent
        where.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=where, prefix=f".{out.name}.", suffix=UNFINISHED))
    except OSError as exc:
        raise BookletError(f"{out}: the print-run folder cannot be made ({_reason(exc)})") from None
    try:
        for name in sorted(files):
            try:
                # orders.csv, run.csv, summary.txt and packing lists name people and addresses: 0600
                write = output.write_bytes if name.endswith(".pdf") else output.write_private
                write(staging / name, files[name])
            except OSError as exc:
                raise BookletError(
                    f"{out / name}: cannot be written ({_reason(exc)}); the print run was not made"
                ) from None
        if existing:
            _move_into(staging, out, list(files))
        else:
            try:
                os.chmod(staging, 0o755)  # mkdtemp makes it for its owner only
                os.rename(staging, out)
            except OSError as exc:
                raise BookletError(f"{out}: the print run cannot be put in place ({_reason(exc)})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when it was renamed into place
    return [out / name for name in sorted(files)]


def print_run(
    project: Project,
    orders_csv: Path,
    out: Path,
    imposed: bool = True,
    caliper_um: int | None = None,
    allow_drafts: bool = False,
) -> list[Path]:
    """Turn an order file into a print-run folder: print files, run.csv and summary.txt.

    ``caliper_um``: paper thickness in microns for creep in the spreads (None: publisher.yml's).
    A row ordering a booklet that is not approved is refused, unless ``allow_drafts``
    (proof copies for reviewers, which carry the DRAFT mark).

    Every row is checked before anything is made; a bad file writes nothing. ``out`` must
    not already hold a print run; it holds the whole run or, when writing fails, nothing new.
    """
    offer = available(project, allow_drafts)
    rows = orders.read_orders(orders_csv, offer.codes, offer.limits, offer.drafts)
    return make_run(offer, rows, out, imposed, caliper_um=caliper_um)


def make_run(
    offer: Offer,
    rows: Sequence[orders.Order],
    out: Path,
    imposed: bool = True,
    extra: Mapping[str, bytes] | None = None,
    caliper_um: int | None = None,
    on_file: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Make a print-run folder from checked orders (an order file's rows, or the shop's orders).

    ``extra`` adds files by name (the shop's export adds the orders as an order file);
    ``caliper_um``: paper thickness in microns for creep in the spreads (None: publisher.yml's);
    ``on_file(done, total)`` is called before the first print file and after each (progress).
    """
    lines = orders.group(rows)
    _check_run_folder(out)  # before the renders, which take a while
    files: dict[str, bytes] = dict(extra or {})
    pages: dict[tuple[str, str], int] = {}
    paper: dict[str, str] = {}
    creep: dict[tuple[str, str], float] = {}
    if on_file is not None:
        on_file(0, len(lines))
    with Renderer() as renderer:
        for done, line in enumerate(lines, start=1):
            booklet = offer.booklets[line.code]
            PROGRESS.info("Print file for %s (%s), %d copies", booklet.key, line.variant, line.copies)
            made = print_ready(booklet, VARIANTS[line.variant], renderer, imposed, caliper_um)
            pages[(line.code, line.variant)] = made.pages - made.notes  # summarise pads them itself
            creep[(line.code, line.variant)] = made.creep_mm
            if made.press_sheet:
                paper[line.variant] = made.press_sheet
            files.update((path.name, data) for path, data in files_of(made, out).items())
            if on_file is not None:
                on_file(done, len(lines))
    langs = {code: b.lang for code, b in offer.booklets.items() if b.lang}
    summary = run_summary.summarise(lines, pages, {**run_summary.default_paper(), **paper}, creep, langs)
    files[RUN_CSV] = run_summary.run_csv(summary).encode()
    files[SUMMARY_TXT] = run_summary.summary_text(summary).encode()
    written = _write_run(out, files)
    LOGGER.info(
        "Print run of %d copies on %d sheets written to %s", summary.copies, summary.total_sheets, out
    )
    return written


def order_form(project: Project) -> str:
    """Return the blank order form: every code and variant, with an empty quantity.

    A booklet left out (not approved, or that cannot be made) is logged, with why.
    """
    offer = available(project)
    if offer.drafts:
        LOGGER.warning(
            "The order form leaves out %s: only approved booklets can be ordered (set 'status: "
            "approved' once a clinical and a lay reviewer have approved one)",
            ", ".join(f"{code} ({status})" for code, status in sorted(offer.drafts.items())),
        )
    unmade = [
        e.slug
        for e in project
        if e.booklet is None or e.booklet.meta.code not in {*offer.codes, *offer.drafts}
    ]
    if unmade:
        LOGGER.warning(
            "The order form leaves out %s: it cannot be made (booklet list says why)", ", ".join(unmade)
        )
    if not offer.codes:
        LOGGER.warning("The order form has no rows: no booklet can be ordered")
    return orders.template_csv(offer.codes, offer.titles)


def write_order_form(project: Project, path: Path) -> None:
    """Write the blank order form to ``path``, a file in a folder that must exist."""
    if path.is_dir():
        raise BookletError(f"{path}: is a folder; give the form a file name, e.g. {path / 'order-form.csv'}")
    if not path.parent.is_dir():
        raise BookletError(
            f"{path}: the folder {path.parent} does not exist; make it first, or give another file"
        )
    form = order_form(project)
    try:
        output.write_bytes(path, form.encode())
    except OSError as exc:
        raise BookletError(f"{path}: cannot be written ({_reason(exc)})") from None
