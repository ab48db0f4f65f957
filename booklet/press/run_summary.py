"""A print run's summary: the paper each booklet takes, run.csv and summary.txt.

``summarise`` turns the grouped orders (``orders.group``) and each booklet's page count into
sheets of paper; ``run_csv`` writes a line per booklet per orderer, then the totals, for
the dispatcher's spreadsheet; ``summary_text`` lists the booklets to print (pages, Notes
pages, sheets, paper, finishing) and a packing list: one parcel per orderer and address.

A "sheet" is one sheet of the printer's paper, printed on both sides and folded: it
carries four booklet pages (A5 pages on A4 paper, A4 pages on A3).

A translation's line names its language in English and in itself, and how it is bound:
a right-to-left booklet (Arabic, Urdu) is bound on the right, its spreads mirrored. The
words are English, as the rest of the summary (the dispatcher's language), with the
language's own name beside its English one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .. import languages
from ..variants import SHEET_PAPER, VARIANTS
from . import imposition
from .csvfile import csv_text
from .orders import Recipient, RunLine


@dataclass(frozen=True)
class SummaryLine:
    """One booklet variant of a print run, with the paper it takes."""

    code: str
    variant: str
    copies: int
    printed_pages: int  # pages of the booklet itself
    pages_per_copy: int  # padded to a multiple of 4 with notes pages
    sheets_per_copy: int
    total_sheets: int
    paper: str  # the sheet's paper size ('A4'), or '' when not known
    shares: tuple[tuple[Recipient, int], ...]
    finishing: str = ""
    creep_mm: float = 0  # how far the innermost sheet's pages are moved towards the spine
    lang: str = ""  # a translation's BCP 47 tag ('' for the original)

    @property
    def notes_pages(self) -> int:
        """Return how many notes pages pad the booklet to a multiple of 4."""
        return self.pages_per_copy - self.printed_pages


@dataclass(frozen=True)
class RunSummary:
    """A whole print run: its lines, and totals."""

    lines: tuple[SummaryLine, ...]

    @property
    def parcels(self) -> list[tuple[Recipient, list[tuple[str, str, int]]]]:
        """Return the packing list: each orderer, in order, with the (code, variant, copies) for them."""
        packs: dict[Recipient, list[tuple[str, str, int]]] = defaultdict(list)
        for line in self.lines:
            for recipient, copies in line.shares:
                packs[recipient].append((line.code, line.variant, copies))
        return sorted(packs.items(), key=lambda item: item[0].key)

    @property
    def copies(self) -> int:
        """Return the number of booklets printed."""
        return sum(line.copies for line in self.lines)

    @property
    def total_sheets(self) -> int:
        """Return the number of sheets of paper, whatever their size."""
        return sum(line.total_sheets for line in self.lines)

    @property
    def sheets_by_paper(self) -> dict[str, int]:
        """Return the sheets of paper needed of each paper size ('' when not known), by size name."""
        sheets: dict[str, int] = defaultdict(int)
        for line in self.lines:
            sheets[line.paper] += line.total_sheets
        return dict(sorted(sheets.items()))


def default_paper() -> dict[str, str]:
    """Return the paper each variant is imposed on: two of its pages side by side."""
    return {name: SHEET_PAPER.get(v.page, "") for name, v in VARIANTS.items()}


def default_finishing() -> dict[str, str]:
    """Return how each variant is finished once printed: folded, stapled in the fold, trimmed."""
    return {
        name: f"fold, saddle-stitch (2 staples in the fold), trim to {v.page}" for name, v in VARIANTS.items()
    }


def language_note(tag: str) -> str:
    """Return what a print summary says of a translation: its language and its binding."""
    if languages.bound_right(tag):
        return (
            f"{languages.display_name(tag)}, bound on the right (read right to left: "
            "the cover opens from the right, the imposed sheets are mirrored)"
        )
    return f"{languages.display_name(tag)}, bound on the left"


def summarise(
    lines: Iterable[RunLine],
    pages: Mapping[tuple[str, str], int],
    paper: Mapping[str, str] | None = None,
    creep: Mapping[tuple[str, str], float] | None = None,
    langs: Mapping[str, str] | None = None,
) -> RunSummary:
    """Work out the paper a print run takes, from each (code, variant)'s printed page count.

    ``pages`` counts the booklet's own pages, before padding with notes pages.
    ``paper`` maps a variant to its sheet's paper size (default: from the variants table);
    ``creep`` gives each (code, variant)'s creep compensation in mm (default: none);
    ``langs`` maps a translation's order code to its language tag (default: none).
    """
    paper = default_paper() if paper is None else paper
    finishing = default_finishing()
    result = []
    for line in lines:
        key = (line.code, line.variant)
        if key not in pages:
            raise ValueError(f"no page count for {line.code} {line.variant}")
        padded = imposition.pad_count(pages[key])
        sheets = imposition.sheets_per_copy(pages[key])
        result.append(
            SummaryLine(
                line.code,
                line.variant,
                line.copies,
                pages[key],
                padded,
                sheets,
                sheets * line.copies,
                paper.get(line.variant, ""),
                line.shares,
                finishing.get(line.variant, ""),
                (creep or {}).get(key, 0),
                (langs or {}).get(line.code, ""),
            )
        )
    return RunSummary(tuple(result))


RUN_COLUMNS = (
    "row",
    "code",
    "variant",
    "copies",
    "ordered_by",
    "delivery_name",
    "address",
    "contact",
    "pages_per_copy",
    "sheets_per_copy",
    "sheets",
    "paper",
)


def run_csv(summary: RunSummary) -> str:
    """Return the print run as CSV: a row per booklet variant per orderer, then the totals.

    ``row`` says what a row is: ``order`` (one orderer's copies of one booklet variant),
    ``booklet total`` (every order of that booklet variant), ``run total`` (every booklet
    printed on one paper size).
    """
    rows: list[Sequence[object]] = [RUN_COLUMNS]
    for line in summary.lines:
        each = (line.pages_per_copy, line.sheets_per_copy)
        rows += [
            (
                "order",
                line.code,
                line.variant,
                copies,
                r.ordered_by,
                r.delivery_name,
                r.address,
                r.contact,
                *each,
                line.sheets_per_copy * copies,
                line.paper,
            )
            for r, copies in line.shares
        ]
    for line in summary.lines:
        total = ("booklet total", line.code, line.variant, line.copies, "", "", "", "")
        rows.append((*total, line.pages_per_copy, line.sheets_per_copy, line.total_sheets, line.paper))
    for paper, sheets in summary.sheets_by_paper.items():
        copies = sum(line.copies for line in summary.lines if line.paper == paper)
        rows.append(("run total", "", "", copies, "", "", "", "", "", "", sheets, paper))
    return csv_text(rows)


def _copies(count: int) -> str:
    """Return '1 copy' or '25 copies'."""
    return f"{count} {'copy' if count == 1 else 'copies'}"


def _sheets(count: int, paper: str) -> str:
    """Return '225 sheets of A4' (or '1 sheet of paper' when the size is not known)."""
    noun = "sheet" if count == 1 else "sheets"
    return f"{count} {noun} of {paper or 'paper'}"


def _in(tag: str) -> str:
    """Return ', in Welsh (Cymraeg)' for a translation's packing-list line ('' for the original)."""
    return f", in {languages.display_name(tag)}" if tag else ""


def _one_line(text: str) -> str:
    """Return a value on one line: the summary lays out lines itself."""
    return " ".join(text.split())


def summary_text(summary: RunSummary) -> str:
    """Return the print run for people: sheets, paper and finishing per booklet, then a packing list."""
    out = ["Booklets to print"]
    for line in summary.lines:
        pages = f"{line.pages_per_copy} pages"
        if line.notes_pages:
            pages += f" ({line.printed_pages} + {line.notes_pages} notes)"
        out.append(
            f"{line.code} {line.variant}: {_copies(line.copies)} "
            f"x {pages} = {_sheets(line.sheets_per_copy, line.paper)} each, "
            f"{_sheets(line.total_sheets, line.paper)}"
        )
        if line.lang:
            out.append(f"    language: {language_note(line.lang)}")
        if line.finishing:
            out.append(f"    finishing: {line.finishing}")
        if line.creep_mm:
            out.append(f"    creep: innermost sheet's pages moved {line.creep_mm:.2f} mm towards the spine")
    paper = ", ".join(_sheets(n, size) for size, n in summary.sheets_by_paper.items())
    out.append(
        f"Total: {_copies(summary.copies)} of {len(summary.lines)} booklet variant(s); "
        f"{paper or '0 sheets of paper'} (each printed on both sides)"
    )
    parcels = summary.parcels
    langs = {line.code: line.lang for line in summary.lines if line.lang}
    out += ["", f"Packing list: {len(parcels)} parcel(s), one per orderer and address"]
    for number, (who, items) in enumerate(parcels, start=1):
        out.append(f"{number}. {_one_line(who.ordered_by) or '(no name given)'}")
        if who.delivery_name or who.address:
            place = [_one_line(who.delivery_name), *map(_one_line, who.address.splitlines())]
            out.append("    deliver to: " + ", ".join(p for p in place if p))
        if who.contact:
            out.append(f"    contact: {_one_line(who.contact)}")
        out += [
            f"    [ ] {code} {variant}{_in(langs.get(code, ''))}: {_copies(copies)}"
            for code, variant, copies in items
        ]
    return "\n".join(out) + "\n"
