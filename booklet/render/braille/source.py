"""The print document, read as braille blocks: what each block says and how it is set out.

Braille is transcribed from the very document tree the standard PDF is laid out from
(``render_html.document``, :mod:`booklet.render.document`), walked element by element, so
it has the same words, the same heading ids and the same template parts (about this
booklet, questions, medical words explained, references, about this information, contact
us) as print, with none of their wording copied here.
Walking the same text also lets the print page map (``booklet/render/pagemap.py``) be followed
letter for letter: each block keeps which of its characters are print text (counted by the
page map) and which are added for braille (list numbers, a table's column names repeated
on each row, transcriber's notes).

The cover and the print contents list are read but not shown (the braille title page and
contents replace them); pages for notes are left out.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Literal

from ...source.messages import Catalogue
from ..document import VOID, WORD_JOINER  # a word joiner is a print layout hint, no text

Style = Literal[
    "centred", "cell5", "cell7", "para", "line", "box", "item", "more", "note", "header", "hidden"
]
NOT_SHOWN = frozenset({"hidden", "header"})  # left out; a table's header cells are shown in each row
HEADING_STYLE: dict[str, Style] = {"h1": "centred", "h2": "cell5"}  # h3 to h6: cell 7
HIDDEN_CLASSES = frozenset({"cover", "contents", "notes", "writing-space"})
BLOCK_TAGS = frozenset({"p", "li", "dt", "dd", "figcaption", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
BOLD_TAGS = frozenset({"strong", "b"})
BULLET = "\u2022"
SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Piece:
    """A run of a block's text: print text (counted by the page map) or words added for braille."""

    text: str
    printed: bool = True
    raw: bool = False  # already braille (BRF), not to be translated
    bold: bool = False  # printed in bold (``<strong>``)


@dataclass
class Block:
    """A heading, paragraph, list item, table row or note, with its style and list depth."""

    style: Style
    depth: int = 0  # how deep in lists (0: not in a list)
    anchor: str = ""  # a heading's id
    level: int = 0  # a heading's level
    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Return the block's text (print and added), spaces collapsed."""
        return SPACE_RE.sub(" ", "".join(p.text for p in self.pieces if not p.raw)).strip()

    def printed(self) -> str:
        """Return the block's print text only (what the page map counts)."""
        return "".join(p.text for p in self.pieces if p.printed and not p.raw)


# The transcriber's note indicators of UEB (opening dots 4, 46, 126; closing dots 4, 46, 345).
NOTE_OPEN, NOTE_CLOSE = "@.<", "@.>"
# A box (a callout: ``<aside class="callout">``) is set between box lines the width of a
# line (BANA Braille Formats 2016, section 7): the top one dots 2356, the bottom one dots 1245.
BOX_CELLS = 40  # layout.WIDTH (not imported: layout reads this module)
BOX_TOP, BOX_BOTTOM = "7" * BOX_CELLS, "G" * BOX_CELLS


class _Reader:
    """Turn a document's elements into blocks, in reading order (:func:`read` walks the tree)."""

    def __init__(self, words: Catalogue) -> None:
        self.words = words  # the document's language's words (transcriber's notes)
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.hidden = 0  # depth inside hidden elements (0: shown)
        self.skip = 0  # inside head, style or script
        self.stack: list[tuple[str, bool]] = []  # open elements: tag, whether it hides
        self.lists: list[list[int]] = []  # open lists: [next number] or [-1] for bullets
        self.headers: list[str] = []
        self.cell = 0
        self.header_cell = False
        self.bold = 0  # depth inside strong or b elements
        self.boxes: list[bool] = []  # open asides: whether each is a box (a callout)
        self.quotes = 0  # depth inside quotes: each sets its paragraphs 2 cells further in

    # -- blocks -------------------------------------------------------------------------
    def _open(self, style: Style, anchor: str = "", level: int = 0) -> Block:
        block = Block("hidden" if self.hidden else style, len(self.lists) + self.quotes, anchor, level)
        self.blocks.append(block)
        self.current = block
        return block

    def _add(self, text: str, printed: bool = True, raw: bool = False) -> None:
        if self.current is None:
            self._open("line" if not self.lists else "more")
        assert self.current is not None
        self.current.pieces.append(Piece(text, printed, raw, printed and self.bold > 0))

    # -- the walk's events: an element opens, closes, or has text -----------------------
    def handle_starttag(self, tag: str, attr: dict[str, str]) -> None:
        if tag in ("head", "style", "script"):
            self.skip += 1
            return
        if tag in ("br", "img", "meta", "link"):
            self._empty(tag, attr)
            return
        self.bold += tag in BOLD_TAGS
        hides = bool(HIDDEN_CLASSES & set(attr.get("class", "").split()))
        self.stack.append((tag, hides))
        self.hidden += hides
        if tag == "aside":
            boxed = "callout" in attr.get("class", "").split()
            self.boxes.append(boxed)
            if boxed:
                self._box_line(BOX_TOP, "box")
        elif tag == "blockquote":
            self.quotes += 1
        elif tag in ("ul", "ol"):
            self.lists.append([int(attr.get("start", "1")) if tag == "ol" else -1])
        elif tag in HEADING_STYLE or tag in ("h3", "h4", "h5", "h6"):
            self._open(HEADING_STYLE.get(tag, "cell7"), anchor=attr.get("id", ""), level=int(tag[1]))
        elif tag == "li":
            self._item(attr)
        elif tag == "p" and "callout-title" in attr.get("class", "").split():
            self._open("line")
        elif tag in ("p", "figcaption"):
            inside = self.current is not None and self.current.style in ("item", "more") and self._in("li")
            if not inside:
                self._open("more" if self.lists or self.quotes else "para")
        elif tag == "dt":
            self._open("item")
        elif tag == "dd":
            if self.current is not None and self.current.pieces:
                last = self.current.pieces[-1]
                self.current.pieces[-1] = dataclasses.replace(last, text=last.text.rstrip())
            self._add(": ", printed=False)
        elif tag == "tr":
            self.cell = 0
        elif tag in ("th", "td"):
            self.header_cell = tag == "th"
            if not self.header_cell:
                self._open("item" if self.cell == 0 else "more")
                if self.cell < len(self.headers) and self.headers[self.cell]:
                    self._add(f"{self.headers[self.cell]}: ", printed=False)
            else:
                self._open("header")
                self.headers.append("")
        elif tag == "table":
            self.headers = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "script"):
            self.skip -= 1
            return
        self.bold -= tag in BOLD_TAGS and self.bold > 0
        while self.stack:
            open_tag, hides = self.stack.pop()
            self.hidden -= hides
            if open_tag == tag:
                break
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "blockquote" and self.quotes:
            self.quotes -= 1
        if tag == "aside" and self.boxes and self.boxes.pop():
            self._box_line(BOX_BOTTOM, "line")
        if tag in ("th", "td"):
            self.cell += 1
        if tag in BLOCK_TAGS - {"dt"} or tag in ("th", "td", "ul", "ol", "table", "dl"):
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.skip or not data:
            return
        if self.current is None and not data.strip():
            return
        if self.header_cell and self.headers:
            self.headers[-1] += data.strip()
        self._add(data)

    # -- helpers ------------------------------------------------------------------------
    def _in(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def _box_line(self, cells: str, style: Style) -> None:
        """Add a box line: a line of braille cells of its own, printed nowhere else."""
        self._open(style)
        self._add(cells, printed=False, raw=True)
        self.current = None

    def _item(self, attr: dict[str, str]) -> None:
        numbers = self.lists[-1] if self.lists else [-1]
        self._open("item")
        if numbers[0] < 0:
            self._add(f"{BULLET} ", printed=False)
        else:
            number = int(attr["value"]) if attr.get("value", "").isdigit() else numbers[0]
            self._add(f"{number}. ", printed=False)
            numbers[0] = number + 1

    def _empty(self, tag: str, attr: dict[str, str]) -> None:
        if self.skip:
            return
        if tag == "br" and self.current is not None:
            style: Style = "more" if self.current.style in ("item", "more") else "line"
            self._open(style)
        elif tag == "img" and not self.hidden:
            note = Block("note", len(self.lists))
            note.pieces = [
                Piece(NOTE_OPEN, printed=False, raw=True),
                Piece(self.words.text("braille.picture", alt=attr.get("alt", "").strip()), printed=False),
                Piece(NOTE_CLOSE, printed=False, raw=True),
            ]
            self.blocks.append(note)
            self.current = None


def _walk(reader: _Reader, el: ET.Element) -> None:
    tag = str(el.tag)
    reader.handle_starttag(tag, dict(el.attrib))
    if tag in VOID:
        return
    reader.handle_data((el.text or "").replace(WORD_JOINER, ""))
    for child in el:
        _walk(reader, child)
        reader.handle_data((child.tail or "").replace(WORD_JOINER, ""))
    reader.handle_endtag(tag)


def read(document: ET.Element, words: Catalogue) -> list[Block]:
    """Return the blocks of a document (its ``<html>`` element) in reading order (empty ones left out).

    ``words`` are the catalogue of the document's language: a picture's note says "Picture:" in it.
    """
    reader = _Reader(words)
    _walk(reader, document)
    return [b for b in reader.blocks if b.text or b.printed().strip() or any(p.raw for p in b.pieces)]
