"""Text that reads as it is written, in every script: each glyph's Unicode, and /ActualText.

WeasyPrint 70 maps each glyph of a font to one piece of text (its ToUnicode entry), the
text of the cluster it was first drawn in, counted from its own cluster to the next
glyph's. Where a cluster is drawn with more than one glyph, or its glyphs are reordered,
that goes wrong:

- A glyph that is not the last of its cluster gets no text at all: the Bengali and
  Gurmukhi vowel signs drawn before their consonant (ি, ਿ), Arabic marks placed over their
  letter. PDF/UA-1 refuses a glyph that maps to nothing (ISO 14289-1 7.21.7; page-validation
  FONT-UNICODE-MAPPING, outloud TXT-003).
- The consonant after it keeps the whole syllable ("কি" for ক), and reads as that syllable
  wherever else it is drawn.

The mend, before WeasyPrint draws a line (``draw_first_line``): each glyph of the line that
has no text yet is given the character the font's own cmap maps to it, or, for a glyph no
character maps to (a conjunct, a contextual form), the text of its cluster that the
cluster's other glyphs do not stand for. Every glyph then has text of its own. A line in
which some cluster is not drawn as exactly one glyph standing for exactly its text is drawn
(or in which a glyph is placed off its pen position, as a mark over or under its letter is:
text extraction then reads it as a word apart, "টু থব্রাশ") is drawn
inside a ``/Span`` marked-content sequence whose ``/ActualText`` is the line's text, in
logical order: what text extraction and screen readers read instead of the glyphs (ISO
32000-1 14.9.4). Lines of one glyph per cluster (English, Welsh, Chinese...) are drawn as
before, byte for byte.

Lines with right-to-left text get no ``/ActualText``: poppler (``pdftotext``, and the
readers built on it) lays a sequence's actual text out as one left-to-right word and then
reverses it with the right-to-left words around it, so a logical-order Arabic line came out
backwards, letter by letter. Their glyphs are all given text here, and are then drawn in
logical order by :mod:`.bidi`, so that the tagged text reads as written.
"""

from __future__ import annotations

import io
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # comes with WeasyPrint

# Characters that may be drawn otherwise than a glyph each: combining marks and every script
# but Latin, Greek and Cyrillic's first letters (below U+0300), and punctuation and symbols
# (U+2000 to U+2BFF).
COMPLEX_RE = re.compile("[^\x00-\u02ff\u2000-\u2bff]")

# a font -> for each glyph id, the character its cmap maps to it
_cmaps: weakref.WeakKeyDictionary[Any, dict[int, str]] = weakref.WeakKeyDictionary()


@dataclass
class Cluster:
    """The glyphs drawn for one piece of a line's text (Pango's log cluster)."""

    start: int  # byte offset of the text in the layout's UTF-8 text
    text: str
    font: Any  # WeasyPrint's pdf.fonts.Font the glyphs are drawn in
    glyphs: list[int] = field(default_factory=list)
    moved: bool = False  # a mark: a glyph of no width placed off its pen position, or above or below
    rtl: bool = False  # drawn right to left (its glyphs in visual order)


def clusters(stream: Any, first_line: Any, utf8: bytes) -> Iterator[Cluster]:
    """Yield the clusters of a laid-out line with real glyphs (not empty, not .notdef), in drawing order."""
    from weasyprint.text.ffi import ffi, pango

    run = first_line.runs[0] if first_line.runs != ffi.NULL else ffi.NULL
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        item, glyphs = glyph_item.item, glyph_item.glyphs
        font, _ = stream.add_font(item.analysis.font)
        starts = sorted({glyphs.log_clusters[i] for i in range(glyphs.num_glyphs)})
        ends = dict(zip(starts, [*starts[1:], item.length], strict=True))
        by_start: dict[int, Cluster] = {}
        for i in range(glyphs.num_glyphs):
            glyph_id, start = glyphs.glyphs[i].glyph, glyphs.log_clusters[i]
            if start not in by_start:
                text = utf8[item.offset + start : item.offset + ends[start]].decode()
                by_start[start] = Cluster(item.offset + start, text, font, rtl=bool(item.analysis.level % 2))
            if glyph_id != pango.PANGO_GLYPH_EMPTY and not glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                by_start[start].glyphs.append(glyph_id)
                geometry = glyphs.glyphs[i].geometry
                by_start[start].moved |= geometry.y_offset != 0 or (
                    geometry.x_offset != 0 and geometry.width == 0
                )
        yield from (c for c in by_start.values() if c.glyphs)


def glyph_chars(font: Any) -> dict[int, str]:
    """Return, for each glyph of a font that a character maps to, that character (the lowest)."""
    if font not in _cmaps:
        with TTFont(io.BytesIO(font.file_content), fontNumber=max(font.index, 0), lazy=True) as ttf:
            order = ttf.getGlyphOrder()
            ids = {name: i for i, name in enumerate(order)}
            chars: dict[int, str] = {}
            for code, name in sorted(ttf.getBestCmap().items(), reverse=True):
                chars[ids[name]] = chr(code)
        _cmaps[font] = chars
    return _cmaps[font]


def map_glyphs(cluster: Cluster) -> None:
    """Give each glyph of a cluster that has no text yet text of its own (see the module)."""
    to_unicode = cluster.font.to_unicode
    new = [g for g in dict.fromkeys(cluster.glyphs) if g not in to_unicode]
    if not new:
        return
    if len(cluster.glyphs) == 1:
        to_unicode[cluster.glyphs[0]] = cluster.text  # as WeasyPrint would: a letter, a ligature
        return
    chars = glyph_chars(cluster.font)
    left = list(cluster.text)
    for glyph in cluster.glyphs:  # the cluster's characters the mapped glyphs already stand for
        text = to_unicode.get(glyph, chars.get(glyph, ""))
        if len(text) == 1 and text in left:
            left.remove(text)
    unnamed = [g for g in new if g not in chars]
    for glyph in new:
        if glyph in chars:
            to_unicode[glyph] = chars[glyph]
        else:
            share = "".join(left) if glyph == unnamed[0] else ""
            to_unicode[glyph] = share or cluster.text


def simple(text: str) -> bool:
    """Return whether a text is drawn a glyph a character: Latin letters, punctuation, symbols.

    No combining mark and no complex script: WeasyPrint's own mapping is right for it, and
    the line is left to WeasyPrint without looking at its glyphs (the look costs as much as
    drawing the line).
    """
    return COMPLEX_RE.search(text) is None


def actual_text(stream: Any, first_line: Any, utf8: bytes) -> str | None:
    """Map a line's unmapped glyphs; return its text if its glyphs do not read as it, else None.

    Called only for a line that is not :func:`simple`.
    """
    found = list(clusters(stream, first_line, utf8))
    for cluster in found:
        map_glyphs(cluster)
    if any(c.rtl for c in found):
        return None  # see the module: poppler reads a right-to-left /ActualText backwards
    if all(len(c.glyphs) == 1 and not c.moved and c.font.to_unicode[c.glyphs[0]] == c.text for c in found):
        return None
    return "".join(c.text for c in sorted(found, key=lambda c: c.start))
