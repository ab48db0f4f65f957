"""The variants a booklet is made in: a table of data, read by every later step."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

# Paper sizes in points (rounded), and the sheet two pages of a size are printed on side by side.
PAPER = {"A2": (1191, 1684), "A3": (842, 1191), "A4": (595, 842), "A5": (420, 595), "A6": (298, 420)}
SHEET_PAPER = {"A6": "A5", "A5": "A4", "A4": "A3", "A3": "A2"}


@dataclass(frozen=True)
class Variant:
    """How one variant is made: its source, page, type sizes, stylesheets and templates."""

    name: str
    label: str  # shown to readers, e.g. in "also available in ..." and the catalogue
    source: str  # which file of the booklet's folder it is made from
    page: str  # CSS page size, for reference (the stylesheet sets it)
    stylesheets: tuple[str, ...]  # in styles/, applied in order
    templates: tuple[str, ...]  # template folders searched before 'base'
    body_pt: float  # body text size: every text size is relative to it
    min_pt: float  # no text may be smaller than this
    share_pt: float  # ... and this share of the characters must be at least body_pt
    cover_label: str = ""  # a label such as 'Large print' on the cover
    text_width_mm: float = 120  # widest a picture is printed (the text column)
    contents_depth: int = 2  # heading levels listed in the contents
    stack_tables: int = 0  # tables with at least this many columns are stacked (0: never)
    keep_words: bool = False  # never break a line at a word's hyphen
    points: bool = False  # each point is a row: picture on the left, words on the right
    running_head: int = 0  # longest chapter title a running head shows whole (longer: shortened)
    back_matter: tuple[tuple[str, str], ...] = (
        ("questions-to-ask", "Questions to ask your doctor"),
        ("medical-words-explained", "Medical words explained"),
        ("references", "References"),
        ("about-this-information", "About this information"),
    )  # (anchor, title) of the template's parts after the chapters, for the contents
    sizes: tuple[int, ...] = ()  # other body sizes offered on request (--size)
    default_pt: float = 0  # the size that gets no suffix in file names

    @property
    def stem(self) -> str:
        """Return the file-name part for this variant: 'standard', 'large-print-24pt'."""
        if self.sizes and self.body_pt != self.default_pt:
            return f"{self.name}-{self.body_pt:g}pt"
        return self.name

    @property
    def size_css(self) -> str:
        """Return the stylesheet that sets the body size (every other size is in em)."""
        return f"@page {{ font-size: {self.body_pt:g}pt; }} html {{ font-size: {self.body_pt:g}pt; }}\n"

    def with_size(self, pt: int) -> Variant:
        """Return this variant at another body size (large print at 16, 20 or 24 point)."""
        if pt not in self.sizes:
            raise ValueError(f"{self.name} comes in {', '.join(map(str, self.sizes))} point, not {pt}")
        label = self.cover_label if pt == self.default_pt else f"{self.cover_label}, {pt} point"
        return dataclasses.replace(self, body_pt=pt, min_pt=min(self.min_pt, pt), cover_label=label)


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant(
            name="standard",
            label="Standard print (A5)",
            source="booklet.md",
            page="A5",
            stylesheets=("base.css", "standard.css"),
            templates=(),
            body_pt=12,
            min_pt=12,
            share_pt=0.95,
            running_head=55,
        ),
        Variant(
            name="large-print",
            label="Large print (A4)",
            source="booklet.md",
            page="A4",
            stylesheets=("base.css", "large-print.css"),
            templates=(),
            body_pt=18,
            min_pt=16,
            share_pt=0.95,
            cover_label="Large print",
            text_width_mm=166,
            stack_tables=3,
            keep_words=True,
            running_head=40,
            sizes=(16, 18, 20, 24),
            default_pt=18,
        ),
        Variant(
            name="easy-read",
            label="Easy read (A4)",
            source="easy-read.md",
            page="A4",
            stylesheets=("base.css", "easy-read.css"),
            templates=("easy-read",),
            body_pt=16,
            min_pt=16,
            share_pt=0.95,
            cover_label="Easy read",
            text_width_mm=166,
            contents_depth=1,
            stack_tables=2,
            keep_words=True,
            points=True,
            back_matter=(
                ("questions-to-ask", "My questions"),
                ("about-this-information", "Who made this booklet"),
            ),
        ),
    )
}


def choose(names: Sequence[str] = (), size: int | None = None) -> list[Variant] | None:
    """Return the variants asked for (None: every variant a booklet has).

    ``size`` asks for large print at that body size; alone, it asks for large print only.
    """
    chosen = [VARIANTS[n] for n in names]
    if size is None:
        return chosen or None
    sized = [v for v in VARIANTS.values() if v.sizes]
    if not chosen:
        chosen = sized
    return [v.with_size(size) if v.sizes else v for v in chosen]


def needs_easy_read(chosen: Sequence[Variant] | None) -> bool:
    """Return whether making ``chosen`` (None: every variant) needs easy-read.md read."""
    easy = VARIANTS["easy-read"].source
    return chosen is None or any(v.source == easy for v in chosen)


def get(name: str) -> Variant:
    """Return the variant called ``name`` (the CLI has already checked it exists)."""
    return VARIANTS[name]
