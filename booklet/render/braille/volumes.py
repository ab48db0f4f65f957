"""Braille volumes: a long book split at chapter boundaries, each volume with its own preliminary pages.

A braille volume is bound on its own and should not pass about 100 braille pages (BANA
Braille Formats 2016, 1.10; UKAAF's braille presentation guidance); a book is divided where a
chapter begins, into volumes of about equal size, and each volume has its own title page
("Volume 2 of 2", its braille pages) and a contents list of what that volume holds. Braille
page numbers run on from one volume to the next; each volume's preliminary pages are
numbered p1, p2, ... afresh.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .source import Block

VOLUME_PAGES = 100  # about the most braille pages a volume holds


@dataclass(frozen=True)
class Volume:
    """One bound volume: its preliminary pages, then its body pages and the print page at each one's top."""

    preliminary: list[list[str]]
    body: list[list[str]]
    print_pages: list[str]
    first: int  # the braille page number of its first body page


def chapter_pages(blocks: Sequence[Block], heading_pages: dict[str, int]) -> list[tuple[int, int]]:
    """Return (block index, page index) of each chapter heading (level 1) laid out, in order."""
    chapters = [(i, b.anchor) for i, b in enumerate(blocks) if b.level == 1 and b.anchor in heading_pages]
    return [(i, heading_pages[anchor]) for i, anchor in chapters]


def breaks(chapters: Sequence[tuple[int, int]], pages: int, most: int = VOLUME_PAGES) -> list[int]:
    """Return the block indices of the chapters each volume after the first begins with.

    A book of ``pages`` body pages past ``most`` is split into the fewest volumes of at most
    about ``most`` pages, each break at the chapter beginning nearest an equal share that
    leaves the volume before it no longer than ``most``.
    """
    if pages <= most:
        return []
    count = math.ceil(pages / most)
    chosen: list[int] = []
    last_page = 0
    for k in range(1, count):
        target = pages * k / count
        later = [(i, page) for i, page in chapters if page > last_page]
        if not later:
            break
        fits = [c for c in later if c[1] - last_page <= most] or later[
            :1
        ]  # no volume past ``most`` if it can be helped
        i, page = min(fits, key=lambda c: abs(c[1] - target))
        chosen.append(i)
        last_page = page
    return chosen


def split(pages: Sequence[list[str]], print_pages: Sequence[str], starts: Sequence[int]) -> list[Volume]:
    """Split body pages into volumes beginning at the page indices ``starts`` (no preliminary pages yet)."""
    edges = [0, *starts, len(pages)]
    return [Volume([], list(pages[a:b]), list(print_pages[a:b]), a + 1) for a, b in itertools.pairwise(edges)]
