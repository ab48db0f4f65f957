"""Mends to how WeasyPrint 70 breaks and draws lines of text, so that they read as written.

- A line whose words fit but whose trailing space does not is taken as a line that cannot
  be split, and only its first word is kept (a word alone on a line, followed by the rest:
  "ideas that / may / help. It is not..." when a bold word follows). Found by the corpus in
  large print. ``split_first_line`` now measures such a line without its trailing space, as
  the caller already does when it checks for overflow.
- A line wrapped at a space loses the space: the last word of a line and the first of the
  next are read run together ("livercancer") by anything that reads the tagged text rather
  than guessing from positions. The space WeasyPrint strips from the end of a line (or the
  forced break of a ``<br>``) is kept as a real, invisible space glyph painted after the
  line's last word, inside its marked content.
- A space that is a text box of its own, between two inline elements, is not painted at all
  (WeasyPrint skips blank text boxes), so "<a>x</a> <span>y</span>" is read "xy". It is
  painted after the word before it, as for a line wrap.
- Glyphs that map to no text, or to the wrong text, in scripts drawn with several glyphs a
  cluster (Bengali, Gurmukhi, Arabic marks): see :mod:`.clusters`.
- Right-to-left lines are drawn in visual order, so their tagged text reads backwards: they
  are drawn again in logical order (:mod:`.bidi`).
"""

from __future__ import annotations

import weakref
from typing import Any

import pydyf

from . import bidi
from .clusters import actual_text, simple
from .state import ACTIVE, Replacement

_wrapped: weakref.WeakSet[Any] = weakref.WeakSet()  # text boxes ending a line wrapped at a space
_last_line: weakref.WeakKeyDictionary[Any, Any] = (
    weakref.WeakKeyDictionary()
)  # line box -> last line laid out
_flat: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()  # line box -> its text


def replacements() -> list[Replacement]:
    """Return the mended line-breaking and text-drawing functions, each with what it replaces."""
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline

    original_split = inline.split_first_line
    original_next_line = inline.get_next_linebox
    original_first_line = draw_text.draw_first_line

    def get_next_linebox(
        context: Any, linebox: Any, position_y: Any, bottom_space: Any, skip_stack: Any, *args: Any
    ) -> Any:
        result = original_next_line(context, linebox, position_y, bottom_space, skip_stack, *args)
        if ACTIVE.get() and skip_stack is not None and (previous := _last_line.get(linebox)) is not None:
            text, at = line_text(linebox, boxes), skip_offset(linebox, skip_stack, boxes)
            if text[at - 1 : at] in (" ", "\n") or text[at : at + 1] == " ":  # wrapped at a space or <br>
                words = [b for b in previous.descendants() if isinstance(b, boxes.TextBox) and b.text.strip()]
                if words and not words[-1].text.endswith(" "):
                    _wrapped.add(words[-1])
        if ACTIVE.get() and result[0] is not None:
            _last_line[linebox] = result[0]
            keep_lone_spaces(result[0], boxes)
        return result

    def draw_first_line(
        stream: Any, textbox: Any, text_overflow: str, block_ellipsis: Any, *args: Any
    ) -> Any:
        def draw() -> Any:
            return original_first_line(stream, textbox, text_overflow, block_ellipsis, *args)

        if (
            not ACTIVE.get()
            or not textbox.text.strip()  # drawn as nothing by WeasyPrint
            or text_overflow == "ellipsis"
            or block_ellipsis != "none"
        ):
            return draw()
        layout = textbox.pango_layout
        text = layout.text
        spaced = textbox in _wrapped and not text.endswith(" ")
        if spaced:
            layout.set_text(text + " ")  # painted after the last glyph: invisible, but read
        try:
            rtl = textbox.style["direction"] == "rtl"  # " 1" in Arabic is drawn "1 ": not simple
            if simple(text) and not rtl:
                return draw()
            line, utf8 = layout.get_first_line()[0], layout.text.encode()
            said = actual_text(stream, line, utf8)
            keys = bidi.places(line, utf8)
            if keys is not None:  # right to left: drawn in logical order, no /ActualText (see bidi)
                start, font = len(stream.stream), stream._current_font
                emojis = draw()
                if not emojis:
                    bidi.redraw_in_logical_order(stream, start, keys, font)
                return emojis
            if said is None:
                return draw()
            stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(said)}))
            try:
                return draw()
            finally:
                stream.end_marked_content()
        finally:
            if spaced:
                layout.set_text(text)

    def split_first_line(
        text: str, style: Any, context: Any, max_width: float | None, spacing: float, *args: Any, **kw: Any
    ) -> Any:
        result = original_split(text, style, context, max_width, spacing, *args, **kw)
        if (
            not ACTIVE.get()
            or result[2] is None  # no break: the whole text fits
            or max_width is None
            or not text.endswith(" ")
            or style["white_space"] not in ("normal", "pre-line")
        ):
            return result
        words = original_split(text.rstrip(" "), style, context, max_width, spacing, *args, **kw)
        if words[2] is not None:
            return result  # the words themselves do not fit: WeasyPrint's break stands
        # The words fit; only the trailing space did not. Lay the text out whole: the caller
        # leaves the trailing space out when it checks for overflow.
        return original_split(text, style, context, float("inf"), spacing, *args, **kw)

    return [
        (inline, "split_first_line", split_first_line),
        (inline, "get_next_linebox", get_next_linebox),
        (draw_text, "draw_first_line", draw_first_line),
    ]


def keep_lone_spaces(line: Any, boxes: Any) -> None:
    """Keep a space that is a text box of its own (``</a> <span>``): WeasyPrint paints none.

    The word before it is painted with the space after it instead.
    """
    previous = None
    for box in line.descendants():
        if not isinstance(box, boxes.TextBox) or not box.text:
            continue
        if box.text.strip():
            previous = box
        elif previous is not None and not previous.text.endswith(" "):
            _wrapped.add(previous)


def line_text(box: Any, boxes: Any) -> str:
    """Return the text of an inline box (a line box before it is split), one character per atom."""
    if box not in _flat:
        if isinstance(box, boxes.TextBox):
            _flat[box] = box.text
        elif type(box) in (boxes.LineBox, boxes.InlineBox):
            _flat[box] = "".join(line_text(child, boxes) for child in box.children)
        else:
            _flat[box] = "\ufffc"  # an image, an inline block: no text of its own here
    return _flat[box]


def skip_offset(box: Any, skip_stack: Any, boxes: Any) -> int:
    """Return where a line resumes (a WeasyPrint skip stack) as an offset in :func:`line_text`."""
    if not skip_stack:
        return 0
    ((index, rest),) = skip_stack.items()
    if isinstance(box, boxes.TextBox):
        return len(box.text.encode()[:index].decode(errors="ignore"))
    before = sum(len(line_text(child, boxes)) for child in box.children[:index])
    if rest is None or index >= len(box.children):
        return before
    return before + skip_offset(box.children[index], rest, boxes)
