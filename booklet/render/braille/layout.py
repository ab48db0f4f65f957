"""Braille pages: blocks set out in lines of 40 cells, 24 lines a page under a page number line.

How each kind of block is set out is a table (:data:`FORMATS`), in cells from the left
margin (0 is cell 1): the first line's indent, the indent of the lines after it (runover),
blank lines before and after, centring, and whether the block must share its page with
the first line of what follows (headings). See docs/formats.md, braille, for the source
of each choice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

from . import louis
from .printpages import Place
from .source import NOT_SHOWN, Block, Piece

WIDTH = 40  # cells a line
LINES = 25  # lines a page, the first of them the page number line
BODY_LINES = LINES - 1
CENTRE_MARGIN = 3  # a centred heading keeps 3 cells clear at each side
CONTINUES = '"'  # dot 5, UEB's line continuation indicator: a long address goes on on the next line
PAGE_LINE = "-"  # dots 36: the print page indicator's line
GUIDE = '"'  # dot 5: guide dots of the contents list
PREFIXES = frozenset('@^_".;,#')  # UEB's prefix cells (dots 4, 45, 456, 5, 46, 56, 6, 3456)
BREAK_AFTER = frozenset("/4-")  # slash (after dots 456), full stop, hyphen: where an address may break
DIGITS = frozenset("ABCDEFGHIJ")  # digits 1 to 0 after a numeric indicator
NUMERIC = DIGITS | set('14"')  # ... with their comma, full stop and numeric space


@dataclass(frozen=True)
class BlockFormat:
    """How a kind of block is set out."""

    first: int  # indent of the first line, in cells
    runover: int  # indent of the lines after it
    before: bool = False  # a blank line before
    after: bool = False  # a blank line after
    centred: bool = False
    keep: bool = False  # on the same page as the first line of the next block


FORMATS: dict[str, BlockFormat] = {
    "centred": BlockFormat(0, 0, before=True, after=True, centred=True, keep=True),  # chapter headings
    "cell5": BlockFormat(4, 4, before=True, keep=True),  # section headings
    "cell7": BlockFormat(6, 6, before=True, keep=True),  # headings under sections
    "para": BlockFormat(2, 0),  # paragraphs, 3-1
    "line": BlockFormat(0, 0),  # a line of an address or a broken line, 1-1
    "box": BlockFormat(0, 0, keep=True),  # a top box line: on the page of what it boxes (BANA 7.3)
    "item": BlockFormat(0, 2),  # list items, glossary entries, a table row's first cell: 1-3
    "more": BlockFormat(2, 2),  # more of an item (its next paragraph, a row's next cell): 3-3
    "note": BlockFormat(6, 4),  # transcriber's notes, 7-5
}
LIST_STEP = 2  # each list level in is 2 cells further in


def format_of(block: Block) -> BlockFormat:
    """Return how a block is set out (list items move 2 cells in at each level)."""
    fmt = FORMATS[block.style]
    shift = LIST_STEP * max(block.depth - 1, 0)
    return BlockFormat(fmt.first + shift, fmt.runover + shift, fmt.before, fmt.after, fmt.centred, fmt.keep)


def cells(pieces: Sequence[Piece]) -> str:
    """Translate pieces into braille: print and added text through liblouis, braille kept as it is."""
    out: list[str] = []
    run: list[Piece] = []
    for piece in [*pieces, Piece("", raw=True)]:
        if piece.raw:
            out.append(louis.translate(*_collapsed(run)))
            out.append(piece.text)
            run = []
        else:
            run.append(piece)
    return " ".join("".join(out).split(" ")).strip()


def _collapsed(pieces: Sequence[Piece]) -> tuple[str, list[bool]]:
    """Return the pieces' text with each run of white space made one space, and a bold flag a character."""
    text: list[str] = []
    bold: list[bool] = []
    for piece in pieces:
        for ch in piece.text:
            if ch.isspace():
                if not text or text[-1] == " ":
                    continue
                ch = " "
            text.append(ch)
            bold.append(piece.bold)
    while text and text[-1] == " ":
        text.pop()
        bold.pop()
    return "".join(text), bold


def wrap(braille: str, first: int, runover: int, width: int = WIDTH) -> list[str]:
    """Break braille into lines at spaces; a word longer than a line goes on with dot 5 at each break."""
    lines: list[str] = []
    line = " " * first
    for word in braille.split():
        while True:
            gap = "" if not line.strip() else " "
            if len(line) + len(gap) + len(word) <= width:
                line += gap + word
                break
            if line.strip() and len(word) <= width - runover:
                lines.append(line)
                line = " " * runover
                continue
            room = width - len(line) - len(gap) - len(CONTINUES)  # split a long word where it stands
            if room < 4:
                lines.append(line)
                line = " " * runover
                continue
            cut = _cut(word, room)
            lines.append(line + gap + word[:cut] + CONTINUES)
            word, line = word[cut:], " " * runover
    if line.strip():
        lines.append(line)
    return lines


def _cut(word: str, room: int) -> int:
    """Return where to split a word too long for a line, within ``room`` cells.

    After a slash, full stop or hyphen when one is in the second half; never just after a
    prefix (capital, number, contraction or typeform indicator): it belongs with what follows.
    """
    breaks = (i for i in range(room // 2, room + 1) if word[i - 1] in BREAK_AFTER and not _in_number(word, i))
    cut = max(breaks, default=room)
    while cut > 1 and word[cut - 1] in PREFIXES:
        cut -= 1
    return cut


def _in_number(word: str, i: int) -> bool:
    """Tell whether position ``i`` is inside a number (after a numeric indicator, before a digit)."""
    start = word.rfind("#", 0, i)
    return start >= 0 and set(word[start + 1 : i]) <= NUMERIC and word[i : i + 1] in DIGITS


def centre(braille: str) -> list[str]:
    """Return centred lines (3 cells kept clear at each side)."""
    lines = wrap(braille, 0, 0, WIDTH - 2 * CENTRE_MARGIN)
    return [" " * ((WIDTH - len(s)) // 2) + s for s in lines]


def indicator(label: str) -> str:
    """Return a print page indicator line: dots 36 across, the print page number at the right margin."""
    number = louis.translate(label)
    return PAGE_LINE * (WIDTH - len(number)) + number


@dataclass
class Pager:
    """Fill pages line by line; remember which page each heading falls on and each page's print page."""

    pages: list[list[str]] = field(default_factory=lambda: [[]])
    heading_pages: dict[str, int] = field(default_factory=dict)  # anchor -> index of its page
    print_pages: list[str] = field(default_factory=lambda: [""])  # the print page at each page's top
    current: str = ""  # the print page the text is on

    @property
    def room(self) -> int:
        """Return how many lines are left on the page."""
        return BODY_LINES - len(self.pages[-1])

    def add(self, line: str) -> None:
        """Add a line, on a new page when this one is full."""
        if self.room <= 0:
            self._turn()
        self.pages[-1].append(line.rstrip())

    def print_page(self, label: str) -> None:
        """Add a print page indicator: the text after it is on print page ``label``."""
        self.add(indicator(label))
        self.current = label
        if len(self.pages[-1]) == 1:  # the braille page begins with it
            self.print_pages[-1] = label

    def blank(self) -> None:
        """Add a blank line, except at the top of a page or after a blank line or a print page indicator."""
        page = self.pages[-1]
        if page and page[-1] and not page[-1].startswith(PAGE_LINE * 4) and self.room > 1:
            self.add("")

    def new_page(self) -> None:
        """Start a new page (unless this one is still empty)."""
        if self.pages[-1]:
            self._turn()

    def _turn(self) -> None:
        self.pages.append([])
        self.print_pages.append(self.current)


def _segments(block: Block, cuts: dict[tuple[int, int], str]) -> Iterator[tuple[str, list[Piece]]]:
    """Split a block's pieces where print pages begin: (print page label or '', pieces), in order."""
    label, pieces = "", []
    for p, piece in enumerate(block.pieces):
        last = 0
        for char in sorted(c for q, c in cuts if q == p):
            if piece.text[last:char]:
                pieces.append(dataclasses.replace(piece, text=piece.text[last:char]))
            if pieces or label:
                yield label, pieces
            label, pieces, last = cuts[(p, char)], [], char
        if piece.text[last:]:
            pieces.append(dataclasses.replace(piece, text=piece.text[last:]))
    yield label, pieces


def lay_out(blocks: Sequence[Block], places: dict[Place, str], breaks: Collection[int] = ()) -> Pager:
    """Set out the shown blocks on pages, with print page indicators where print pages begin.

    A block whose index is in ``breaks`` starts a new page (a volume begins with it).
    """
    pager = Pager()
    shown = [(i, b) for i, b in enumerate(blocks) if b.style not in NOT_SHOWN]
    by_block: dict[int, dict[tuple[int, int], str]] = {}
    for place, label in places.items():
        by_block.setdefault(place.block, {})[(place.piece, place.char)] = label
    for n, (i, block) in enumerate(shown):
        fmt = format_of(block)
        if i in breaks:
            pager.new_page()
        cuts = by_block.get(i, {})
        if (0, 0) in cuts:  # a print page begins with this block: its indicator comes first
            pager.print_page(cuts.pop((0, 0)))
        parts = list(_segments(block, cuts))
        if fmt.before:
            pager.blank()
        first = True
        for label, pieces in parts:
            if label:
                pager.print_page(label)
            braille = cells(pieces)
            if not braille:
                continue
            indent = fmt.first if first else fmt.runover
            lines = centre(braille) if fmt.centred else wrap(braille, indent, fmt.runover)
            if fmt.keep:  # a heading shares its page with the next block's first line
                need = len(lines) + (1 if fmt.after else 0) + (1 if n + 1 < len(shown) else 0)
                if pager.room < need:
                    pager.new_page()
                if block.anchor:
                    pager.heading_pages.setdefault(block.anchor, len(pager.pages) - 1)
            for line in lines:
                pager.add(line)
            first = False
        if fmt.after:
            pager.blank()
    return pager
