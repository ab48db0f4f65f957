"""Right-to-left lines drawn in logical order, so that their tagged text reads as written.

WeasyPrint 70 draws a line's glyphs in visual order, left to right, as Pango gives them: an
Arabic or Urdu word is drawn from its last letter to its first, and a line's words from the
last to the first. Whatever reads the content stream in order (a screen reader following
the structure tree, any tool reading marked content) then reads every right-to-left word
letters-reversed: 825 of 893 Arabic words of the test translation were.

``/ActualText`` would give the reader the logical text, but poppler (``pdftotext``, and the
readers built on it) lays a sequence's actual text out left to right and then reverses it
with the right-to-left words around it, so it read those lines backwards. The glyphs are
drawn in logical order instead, each at the place WeasyPrint put it: after WeasyPrint has
drawn a line, its text operators are read back (font, rise, glyphs and the adjustments
between them), the place of each glyph is worked out as a PDF reader does (ISO 32000-1
9.4.4), and the glyphs are written again ordered by the character of the text each stands
for, each preceded by the adjustment that puts it where it was. The page looks the same; the
text in the content stream is in reading order, and poppler, which orders glyphs by their
place, still reads the line as written.

Only lines holding right-to-left text are redrawn (Pango's bidi level is odd for some run);
every other line is left byte for byte as WeasyPrint drew it.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
import weakref
from dataclasses import dataclass
from typing import Any

import pydyf
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # comes with WeasyPrint

from .clusters import glyph_chars

NUMBER = rb"[-+]?(?:[0-9]*\.)?[0-9]+(?:[eE][-+]?[0-9]+)?"  # Python's repr of a float, as WeasyPrint writes it
TOKEN_RE = re.compile(rb"<([0-9a-fA-F]*)>|(" + NUMBER + rb")")
TJ_RE = re.compile(rb"^\[(.*)\] TJ$", re.S)
TF_RE = re.compile(rb"^/(\S+) (\S+) Tf$")
TS_RE = re.compile(rb"^(\S+) Ts$")


@dataclass
class Glyph:
    """A glyph drawn: its code (hex), font, size and rise, and where it stands (text space)."""

    code: bytes
    font: bytes
    size: float
    rise: bytes
    x: float
    cluster: int = -1  # where the text it stands for starts (a byte offset in the layout's text)
    actual: str | None = None  # its cluster's text, where its glyphs' own text is not that text
    invisible: bool = False  # drawn in text render mode 3: text for readers, no ink


@dataclass(frozen=True)
class Place:
    """Where a glyph drawn comes in the text: its cluster's offset and text."""

    offset: int
    text: str


def places(first_line: Any, utf8: bytes) -> list[Place] | None:
    """Return where each glyph WeasyPrint will draw of a line comes in its text; None if all is left to right.

    Glyphs are listed in drawing order, as WeasyPrint draws them (empty glyphs are not drawn).
    """
    from weasyprint.text.ffi import ffi, pango

    found: list[Place] = []
    rtl = False
    run = first_line.runs[0] if first_line.runs != ffi.NULL else ffi.NULL
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        item, glyphs = glyph_item.item, glyph_item.glyphs
        rtl |= bool(item.analysis.level % 2)
        starts = sorted({glyphs.log_clusters[i] for i in range(glyphs.num_glyphs)})
        ends = dict(zip(starts, [*starts[1:], item.length], strict=True))
        for i in range(glyphs.num_glyphs):
            if glyphs.glyphs[i].glyph != pango.PANGO_GLYPH_EMPTY:
                start = glyphs.log_clusters[i]
                text = utf8[item.offset + start : item.offset + ends[start]].decode(errors="replace")
                found.append(Place(item.offset + start, text))
    return found if rtl else None


def redraw_in_logical_order(stream: Any, start: int, keys: list[Place], before: Any = None) -> bool:
    """Write again, in logical order, the glyphs WeasyPrint drew into ``stream`` since operator ``start``.

    ``before`` is the font and size WeasyPrint had set when it began the line (its
    ``stream._current_font``): a line drawn in that font has no ``Tf`` of its own. The redrawn
    line ends with the font WeasyPrint set last current again, since WeasyPrint leaves out the
    ``Tf`` of a next line in that font (a line ending in a Latin full stop, redrawn with its
    full stop first, left the Latin font current: the next line was drawn in it, off the page).

    A cluster whose glyphs' own text is not its text (a bracket drawn mirrored, "[" as the
    glyph of "]") is drawn inside a ``/Span`` with its text as ``/ActualText``. Returns
    False, leaving the stream as it was, when the operators are not the ones WeasyPrint
    draws a line with or do not match ``keys``.
    """
    fonts = {font.hash.encode(): font for font in stream._fonts.values()}
    if start < len(stream.stream) and str(stream.stream[start]).endswith(" Tm'"):
        start += 1  # the line's text matrix: where its first glyph is drawn from, kept
    font = (before[0].encode(), float(before[1])) if before else (b"", 0.0)
    drawn = read_glyphs(stream.stream[start:], fonts, font)
    if drawn is None or len(drawn) != len(keys):
        return False
    for glyph, place in zip(drawn, keys, strict=True):
        glyph.cluster = place.offset
    wanted = {place.offset: place.text for place in keys}
    ordered: list[Glyph] = []
    for cluster in sorted(_clusters(drawn), key=lambda c: c[0].cluster):
        ordered += _in_order(cluster, wanted[cluster[0].cluster], fonts)
    glyphs = _apart(split_ligatures(ordered, fonts))
    written = write_glyphs(glyphs, fonts)
    last = (drawn[-1].font, drawn[-1].size)
    if last != (glyphs[-1].font, glyphs[-1].size):  # WeasyPrint's state after the line, as it knows it
        written.append(b"/" + last[0] + b" " + _number(last[1]) + b" Tf")
    stream.stream[start:] = written
    return True


def split_ligatures(glyphs: list[Glyph], fonts: dict[bytes, Any]) -> list[Glyph]:
    """Give a right-to-left ligature (lam-alef) its first letter's text, and its others invisible glyphs.

    poppler reads the text of one glyph standing for several letters (``لا``) left to right
    within a right-to-left line, so it read "علاج" as "عالج". Each further letter is
    drawn after the ligature, invisible (text render mode 3), a hair to its left, in the
    glyph the font has for it: in content order the letters read as written, and by place
    too.
    """
    out: list[Glyph] = []
    for glyph in glyphs:
        out.append(glyph)
        font = fonts[glyph.font]
        text = text_of(font, int(glyph.code, 16))
        if glyph.actual is not None or len(text) < 2 or not all(_rtl_letter(c) for c in text):
            continue
        ids = {char: gid for gid, char in glyph_chars(font).items()}
        if not all(c in ids for c in text[1:]):
            continue
        _ligatures.setdefault(font, {})[int(glyph.code, 16)] = text
        font.to_unicode[int(glyph.code, 16)] = text[0]  # every lam-alef of the font is drawn this way
        for n, char in enumerate(text[1:], start=1):
            gid = ids[char]
            font.to_unicode.setdefault(gid, char)
            if gid not in font.widths:
                font.widths[gid] = advance(font, gid)
            code = f"{gid:04x}".encode()
            x = glyph.x - n * HAIR
            out.append(Glyph(code, glyph.font, glyph.size, glyph.rise, x, glyph.cluster, invisible=True))
    return out


def text_of(font: Any, gid: int) -> str:
    """Return the text a glyph stands for (a ligature split by :func:`split_ligatures`: all its letters)."""
    return _ligatures.get(font, {}).get(gid) or font.to_unicode.get(gid, "")


def advance(font: Any, gid: int) -> int:
    """Return a glyph's advance in thousandths of an em, from the font's own metrics (hmtx)."""
    with TTFont(io.BytesIO(font.file_content), fontNumber=max(font.index, 0), lazy=True) as ttf:
        width = ttf["hmtx"][ttf.getGlyphOrder()[gid]][0]
        return round(int(width) * 1000 / int(ttf["head"].unitsPerEm))


_ligatures: weakref.WeakKeyDictionary[Any, dict[int, str]] = weakref.WeakKeyDictionary()  # font -> split
HAIR = 0.01  # how far left of a ligature its further letters are drawn (text space units)


def _rtl_letter(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL", "NSM")


def _in_order(cluster: list[Glyph], text: str, fonts: dict[bytes, Any]) -> list[Glyph]:
    """Return a cluster's glyphs in the order whose text is the cluster's; else mark them for /ActualText.

    A right-to-left cluster of several glyphs (lam-alef, a letter and its marks) comes in
    visual order: reversed, its glyphs read as written.
    """

    def said(glyphs: list[Glyph]) -> str:
        return "".join(text_of(fonts[g.font], int(g.code, 16)) for g in glyphs)

    for order in (cluster, cluster[::-1]):
        if said(order) == text:
            return order
    for glyph in cluster:
        glyph.actual = text
    return cluster[::-1]


def _apart(glyphs: list[Glyph]) -> list[Glyph]:
    """Move a glyph drawn at the very place of the one before it a hair to its left (poppler orders by place).

    A lam-alef drawn as two glyphs has its alef, of no width, where its lam starts: poppler,
    finding them at one place, read the alef first. A hair (a hundredth of a point) is not seen.
    """
    for before, glyph in itertools.pairwise(glyphs):
        if abs(glyph.x - before.x) < HAIR:
            glyph.x = before.x - HAIR
    return glyphs


def _clusters(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Return the glyphs grouped by cluster (a cluster's glyphs are drawn one after another)."""
    groups: list[list[Glyph]] = []
    for glyph in glyphs:
        if groups and groups[-1][0].cluster == glyph.cluster:
            groups[-1].append(glyph)
        else:
            groups.append([glyph])
    return groups


def read_glyphs(
    operators: list[Any], fonts: dict[bytes, Any], current: tuple[bytes, float] = (b"", 0.0)
) -> list[Glyph] | None:
    """Return the glyphs the operators draw, in drawing order, each with its place; None if not a line.

    ``current`` is the font and size set before the operators, if known.
    """
    glyphs: list[Glyph] = []
    (font, size), rise, x = current, b"0", 0.0
    for op in operators:
        if not isinstance(op, bytes):
            return None
        if m := TF_RE.match(op):
            font, size = m[1], float(m[2])
            if font not in fonts or fonts[font].bitmap:
                return None  # a bitmap font's codes are one byte: no script written right to left
        elif m := TS_RE.match(op):
            rise = m[1]
        elif m := TJ_RE.match(op):
            if font not in fonts or fonts[font].bitmap:
                return None  # text in a font not known to be current: not a line WeasyPrint drew whole
            table = fonts[font].widths
            for code, number in TOKEN_RE.findall(m[1]):
                if number:
                    x -= float(number) / 1000 * size
                    continue
                for i in range(0, len(code), 4):  # two bytes a glyph (Identity-H)
                    glyph = code[i : i + 4]
                    glyphs.append(Glyph(glyph, font, size, rise, x))
                    x += table.get(int(glyph, 16), 0) / 1000 * size
        else:
            return None
    return glyphs


def write_glyphs(glyphs: list[Glyph], fonts: dict[bytes, Any]) -> list[bytes]:
    """Return text operators drawing ``glyphs`` in the order given, each at its own place."""
    out: list[bytes] = []
    font, size, rise, x = b"", 0.0, b"0", 0.0
    parts: list[bytes] = []

    def flush() -> None:
        if parts:
            out.append(b"[" + b"".join(parts) + b"] TJ")
            parts.clear()

    actual: tuple[int, str] | None = None  # the cluster inside an /ActualText span, if any
    invisible = False
    for glyph in glyphs:
        if actual is not None and actual[0] != glyph.cluster:
            flush()
            out.append(b"EMC")
            actual = None
        if glyph.actual is not None and actual is None:
            flush()
            said = pydyf.Dictionary({"ActualText": pydyf.String(glyph.actual)})
            out.append(b"/Span " + said.data + b" BDC")
            actual = (glyph.cluster, glyph.actual)
        if (glyph.font, glyph.size) != (font, size):
            flush()
            font, size = glyph.font, glyph.size
            out.append(b"/" + font + b" " + _number(size) + b" Tf")
        if glyph.invisible != invisible:
            flush()
            invisible = glyph.invisible
            out.append(b"3 Tr" if invisible else b"0 Tr")
        if glyph.rise != rise:
            flush()
            rise = glyph.rise
            out.append(rise + b" Ts")
        adjust = round((x - glyph.x) * 1000 / size, 3)
        if adjust:
            parts.append(_number(adjust))
            x -= adjust / 1000 * size
        parts.append(b"<" + glyph.code + b">")
        x += fonts[font].widths.get(int(glyph.code, 16), 0) / 1000 * size
    flush()
    if invisible:
        out.append(b"0 Tr")
    if actual is not None:
        out.append(b"EMC")
    if rise != b"0":
        out.append(b"0 Ts")
    return out


def _number(value: float) -> bytes:
    return f"{value:f}".rstrip("0").rstrip(".").encode() or b"0"
