"""Units of the right-to-left redraw (booklet/render/weasyfix/bidi.py): the text state it leaves behind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from booklet.render.weasyfix import bidi


@dataclass(eq=False)
class Font:
    """The parts of a WeasyPrint font the redraw reads."""

    hash: str
    widths: dict[int, int] = field(default_factory=lambda: {1: 500, 2: 250})
    to_unicode: dict[int, str] = field(default_factory=dict)
    bitmap: bool = False


@dataclass
class Stream:
    """The parts of a WeasyPrint stream the redraw reads and writes."""

    stream: list[Any]
    _fonts: dict[str, Font]


def line(*operators: bytes) -> Stream:
    arabic = Font("AR", to_unicode={1: "ب"})
    latin = Font("LA", to_unicode={2: "."})
    return Stream([b"BT", *operators], {"AR": arabic, "LA": latin})


def test_a_redrawn_line_leaves_the_font_weasyprint_set_last_current() -> None:
    """'ب.' drawn as '.' (Latin font) then 'ب': redrawn 'ب' first, the Latin font is set again after it.

    WeasyPrint writes no Tf for a next line in the font it set last: without this, a line after
    one ending in a Latin full stop was drawn in the Latin font, its glyphs wrong and off the page.
    """
    stream = line(b"/LA 16 Tf", b"[<0002>0] TJ", b"/AR 16 Tf", b"[<0001>0] TJ")
    keys = [bidi.Place(1, "."), bidi.Place(0, "ب")]
    assert bidi.redraw_in_logical_order(stream, 1, keys, ("LA", 8))
    redrawn = [b"/AR 16 Tf", b"[-250<0001>] TJ", b"/LA 16 Tf", b"[750<0002>] TJ"]
    assert stream.stream[1:] == [*redrawn, b"/AR 16 Tf"]
    glyphs = bidi.read_glyphs(stream.stream[1:], {b"AR": stream._fonts["AR"], b"LA": stream._fonts["LA"]})
    assert glyphs is not None
    assert [(g.code, g.x) for g in glyphs] == [(b"0001", 4.0), (b"0002", 0.0)], "each glyph where it was"


def test_a_line_in_the_font_set_before_it_is_redrawn() -> None:
    """WeasyPrint leaves out the Tf of a line in the font already current: the redraw takes that font."""
    stream = line(b"[<0001>0<0001>0] TJ")
    keys = [bidi.Place(2, "ب"), bidi.Place(0, "ب")]
    unknown = line(b"[<0001>0] TJ")
    assert not bidi.redraw_in_logical_order(unknown, 1, keys[:1]), "font not known: left as drawn"
    assert bidi.redraw_in_logical_order(stream, 1, keys, ("AR", 16))
    assert stream.stream[1:] == [b"/AR 16 Tf", b"[-500<0001>1000<0001>] TJ"]
