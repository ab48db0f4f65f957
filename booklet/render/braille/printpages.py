"""Where each printed page begins in the braille blocks: the print page indicators' places.

The page map (``booklet/render/pagemap.py``) gives each printed page as a heading id and a count
of letters and digits from the start of that heading's text. The same count is made here
over the print text of the blocks (``source.Block.printed``), so a page is found at the word
where print starts it. A page that begins in something braille does not show (the cover,
the print contents list, pages for notes) gets no indicator; several pages found at the
same place share one indicator ("14-15").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..pagemap import PageStart
from .source import Block


@dataclass(frozen=True)
class Place:
    """A place in the blocks: block index, piece index and character in the piece."""

    block: int
    piece: int
    char: int


def _walk(blocks: Sequence[Block], wanted: set[tuple[str, int]]) -> dict[tuple[str, int], Place]:
    """Map each wanted (anchor, count of letters and digits) to the word the counted character starts.

    A count that no character starts (a page that begins after the last counted text of a
    section, e.g. with a picture) is found after the last block holding that count.
    """
    words: dict[tuple[str, int], Place] = {}
    ends: dict[tuple[str, int], Place] = {}
    anchor, count = "", 0
    for b, block in enumerate(blocks):
        if block.anchor and block.anchor != anchor:
            anchor, count = block.anchor, 0
        for p, piece in enumerate(block.pieces):
            if not piece.printed or piece.raw:
                continue
            for c, ch in enumerate(piece.text):
                if ch.isalnum():
                    if (anchor, count) in wanted and (anchor, count) not in words:
                        words[(anchor, count)] = _word_start(blocks, b, p, c)
                    count += 1
        if (anchor, count) in wanted:
            ends[(anchor, count)] = Place(b + 1, 0, 0)
    return {**ends, **words}


def _word_start(blocks: Sequence[Block], b: int, p: int, c: int) -> Place:
    """Return where the word holding a character begins (the block's start if nothing printed is before)."""
    text = blocks[b].pieces[p].text
    while c > 0 and not text[c - 1].isspace():
        c -= 1
    before = "".join(x.text for x in blocks[b].pieces[:p] if x.printed and not x.raw) + text[:c]
    return Place(b, 0, 0) if not before.strip() else Place(b, p, c)


def indicators(blocks: Sequence[Block], starts: Sequence[PageStart]) -> dict[Place, str]:
    """Return the print page numbers to show at each place ('7', or '14-15' for pages found together)."""
    found = _walk(blocks, {(s.anchor, s.offset) for s in starts})
    pages: dict[Place, list[int]] = {}
    for start in starts:
        place = found.get((start.anchor, start.offset))
        while place is not None and place.block < len(blocks) and blocks[place.block].style == "header":
            place = Place(place.block + 1, 0, 0)  # a table's head: its first row shows the column names
        if place is None or place.block >= len(blocks) or blocks[place.block].style == "hidden":
            continue
        pages.setdefault(place, []).append(start.number)
    return {
        place: str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"
        for place, numbers in pages.items()
    }
