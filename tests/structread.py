"""Read a tagged PDF as a screen reader does: the structure tree in order, its marked content.

Independent of pypdf's text extraction (which guesses spaces from glyph positions): each
page's content stream is parsed here, text shown inside a marked-content sequence with an
MCID is decoded through its font's ToUnicode map, exactly as written, and artifacts are left
out. The structure tree is then walked in order; an element's ``/ActualText`` or ``/Alt``
stands for its content, and a block-level element is read apart from its neighbours while
inline ones (Span, Link, ...) run on, as a reader that reads the tagged text meets them.
"""

from __future__ import annotations

import copy
import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast

from pypdf import PdfReader
from pypdf.generic import ContentStream

# Structure types read as a piece of their own (a reader pauses between them).
BLOCK = frozenset(
    {
        "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
        "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR",
        "TH", "TD", "THead", "TBody", "TFoot", "Figure", "Formula", "Form", "Note", "Aside",
    }
)  # fmt: skip
CMAP_CHAR_RE = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
CMAP_RANGE_RE = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])")


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be")


def to_unicode(font: Any) -> tuple[int, dict[int, str]]:
    """Return a font's code width in bytes and its ToUnicode map (code -> text)."""
    mapping: dict[int, str] = {}
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    if "/ToUnicode" not in font:
        return width, mapping
    text = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for start, end, target in CMAP_RANGE_RE.findall(block):
            first, last = int(start, 16), int(end, 16)
            if target.startswith("["):
                for offset, item in enumerate(re.findall(r"<([0-9a-fA-F]+)>", target)):
                    mapping[first + offset] = _utf16(item)
            else:
                base = int(target[1:-1], 16)
                for offset in range(last - first + 1):
                    mapping[first + offset] = chr(base + offset)
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in CMAP_CHAR_RE.findall(block):
            mapping[int(code, 16)] = _utf16(target)
    return width, mapping


def _decode(raw: Any, font: tuple[int, dict[int, str]]) -> str:
    data = raw.original_bytes if hasattr(raw, "original_bytes") else bytes(raw)
    width, mapping = font
    codes = (int.from_bytes(data[i : i + width], "big") for i in range(0, len(data), width))
    return "".join(mapping.get(code, "\ufffd") for code in codes)


@dataclass
class PageText:
    """The text of one page: per MCID, and the text painted outside any MCID (not artifact)."""

    by_mcid: dict[int, str] = field(default_factory=lambda: defaultdict(str))
    untagged: str = ""
    artifact: str = ""


def page_text(page: Any) -> PageText:
    """Decode the text a page's content stream shows, by marked-content sequence.

    A marked-content sequence with ``/ActualText`` is read as that text, not as the glyphs
    shown inside it (ISO 32000-1 14.9.4), as a screen reader does.
    """
    result = PageText()
    fonts: dict[str, tuple[int, dict[int, str]]] = {}
    resources = page["/Resources"]
    font_dict = resources.get("/Font", {})
    stack: list[tuple[str, int | None, str | None]] = []  # (tag, MCID, ActualText)
    current: tuple[int, dict[int, str]] = (1, {})
    content = ContentStream(page.get_contents(), page.pdf)

    def show(text: str) -> None:
        if any(tag == "/Artifact" for tag, _, _ in stack):
            result.artifact += text
            return
        mcid = next((m for _, m, _ in reversed(stack) if m is not None), None)
        if mcid is None:
            result.untagged += text
        else:
            result.by_mcid[mcid] += text

    for operands, operator in content.operations:
        if operator == b"BDC":
            props = operands[1]
            props = props.get_object() if hasattr(props, "get_object") else props
            mcid = int(props["/MCID"]) if isinstance(props, dict) and "/MCID" in props else None
            actual = str(props["/ActualText"]) if isinstance(props, dict) and "/ActualText" in props else None
            stack.append((str(operands[0]), mcid, actual))
        elif operator == b"BMC":
            stack.append((str(operands[0]), None, None))
        elif operator == b"EMC":
            _, _, actual = stack.pop()
            if actual is not None and not any(a is not None for _, _, a in stack):
                show(actual)
        elif operator == b"Tf":
            name = str(operands[0])
            if name not in fonts:
                fonts[name] = to_unicode(font_dict[name].get_object())
            current = fonts[name]
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            if any(a is not None for _, _, a in stack):
                continue  # replaced by the sequence's ActualText
            items = operands[0] if operator == b"TJ" else operands[-1:]
            show("".join(_decode(item, current) for item in items if not isinstance(item, (int, float))))
    return result


@dataclass(frozen=True)
class Piece:
    """A piece of read text: the structure type that holds it and whether it stands apart."""

    text: str
    tag: str
    block: bool


@dataclass
class Reading:
    """What a screen reader gets from a PDF."""

    pieces: list[Piece]
    read: set[tuple[int, int]]  # (page, MCID) read through the structure tree
    painted: dict[tuple[int, int], str]  # every tagged (page, MCID) and its text
    untagged: list[str]  # text painted neither tagged nor as an artifact, per page
    twice: list[tuple[int, int]]  # MCIDs the tree reaches more than once
    links: list[dict[str, Any]]  # link annotations: page, Contents, Rect, target
    repeated_heads: list[str]  # a table's head read again on the next page, where the table runs on
    items: list[tuple[str, str]]  # each list item's label (Lbl) and body (LBody), as read

    @property
    def text(self) -> str:
        """Return the text as read: block elements apart, inline ones run on."""
        out: list[str] = []
        for piece in self.pieces:
            if piece.block:
                out.append("\n")
            out.append(piece.text)
        return re.sub(r"\n+", "\n", "".join(out)).strip()

    @property
    def words(self) -> list[str]:
        """Return the words of :attr:`text` (runs of letters and digits)."""
        return words(self.text)


def words(text: str) -> list[str]:
    """Split text into words as compared here: runs of letters, digits and apostrophes inside words."""
    return re.findall(r"\w+(?:['\u2019]\w+)*", text)


def read(path: Path) -> Reading:
    """Read a tagged PDF through its structure tree (a PDF not changed since is read once a worker).

    Several tests read the same PDF: each gets its own copy of the one reading.
    """
    info = path.stat()
    return copy.deepcopy(_read(path.resolve(), info.st_mtime_ns, info.st_size))


@functools.lru_cache(maxsize=32)
def _read(path: Path, mtime_ns: int, size: int) -> Reading:
    """Read a PDF through its structure tree; ``mtime_ns`` and ``size`` key the cache, not the reading."""
    reader = PdfReader(path)
    page_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}  # type: ignore[union-attr]
    texts = [page_text(p) for p in reader.pages]
    painted = {(i, m): t for i, pt in enumerate(texts) for m, t in pt.by_mcid.items()}
    pieces: list[Piece] = []
    seen: list[tuple[int, int]] = []
    heads: list[tuple[str, int]] = []  # the text and page of each table head, in order
    repeated: list[str] = []  # table heads read again where a table runs on to another page
    items: list[tuple[str, str]] = []  # (label, body) of each list item

    def visit(node: Any, page: int | None) -> None:
        node = node.get_object()
        if "/Pg" in node:
            page = page_of.get(node.raw_get("/Pg").idnum, page)
        tag = str(node.get("/S", "/"))[1:]
        block = tag in BLOCK
        for key in ("/ActualText", "/Alt"):
            if key in node:
                pieces.append(Piece(str(node[key]), tag, True))
                pieces.append(Piece("", tag, True))
                _mark_read(node, page, seen, page_of)  # their content is replaced, not read
                return
        if tag == "THead":  # WeasyPrint repeats a table's head on each page it runs on to
            start = len(pieces)
            pieces.append(Piece("", tag, True))
            for kid in _kids(node):
                visit_kid(kid, page, tag)
            pieces.append(Piece("", tag, True))
            text = " ".join(words(" ".join(p.text for p in pieces[start:])))
            if text and heads and heads[-1] == (text, (page or 0) - 1):  # the same head, a page on
                repeated.append(text)
                del pieces[start:]
            heads.append((text, page or 0))
            return
        if block:
            pieces.append(Piece("", tag, True))
        parts: dict[str, str] = {}
        for kid in _kids(node):
            start = len(pieces)
            visit_kid(kid, page, tag)
            kind = str(kid.get_object().get("/S", "")) if not isinstance(kid, int) else ""
            parts[kind[1:]] = parts.get(kind[1:], "") + "".join(p.text for p in pieces[start:])
        if tag == "LI":
            items.append((" ".join(parts.get("Lbl", "").split()), " ".join(parts.get("LBody", "").split())))
        if block:
            pieces.append(Piece("", tag, True))

    def visit_kid(kid: Any, page: int | None, tag: str) -> None:
        mcid, kid_page = _mcid(kid, page, page_of)
        if mcid is not None and kid_page is not None:
            seen.append((kid_page, mcid))
            pieces.append(Piece(painted.get((kid_page, mcid), ""), tag, False))
            return
        obj = kid.get_object()
        if isinstance(obj, dict) and obj.get("/Type") == "/StructElem":
            visit(obj, page)

    root = cast(Any, reader.trailer["/Root"])["/StructTreeRoot"]
    for kid in _kids(root):
        visit(kid, None)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for key in seen:
        counts[key] += 1
    return Reading(
        pieces,
        set(seen),
        painted,
        [pt.untagged for pt in texts],
        [k for k, n in counts.items() if n > 1],
        list(_links(reader, page_of)),
        repeated,
        items,
    )


def _kids(node: Any) -> list[Any]:
    kids = node.get_object().get("/K", [])
    return list(kids) if isinstance(kids, list) else [kids]


def _mcid(kid: Any, page: int | None, page_of: dict[int, int]) -> tuple[int | None, int | None]:
    if isinstance(kid, int):
        return kid, page
    obj: Any = kid.get_object()
    if isinstance(obj, dict) and "/MCID" in obj and obj.get("/Type") != "/StructElem":
        if "/Pg" in obj:
            page = page_of.get(cast(Any, obj).raw_get("/Pg").idnum, page)
        return int(obj["/MCID"]), page
    return None, None


def _mark_read(node: Any, page: int | None, seen: list[tuple[int, int]], page_of: dict[int, int]) -> None:
    """Count the MCIDs under an element whose /Alt or /ActualText is read instead (on any page)."""
    if "/Pg" in node:
        page = page_of.get(node.raw_get("/Pg").idnum, page)
    for kid in _kids(node):
        mcid, on = _mcid(kid, page, page_of)
        if mcid is not None:
            if on is not None:
                seen.append((on, mcid))
            continue
        obj = kid.get_object()
        if isinstance(obj, dict) and obj.get("/Type") == "/StructElem":
            _mark_read(obj, page, seen, page_of)


def _links(reader: PdfReader, page_of: dict[int, int]) -> Iterator[dict[str, Any]]:
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            action = a.get("/A", {})
            target = str(a.get("/Dest", "")) or str(action.get("/D", "")) or str(action.get("/URI", ""))
            yield {
                "page": index,
                "contents": str(a.get("/Contents", "")),
                "rect": [float(v) for v in a["/Rect"]],
                "target": target,
            }


def elements(path: Path) -> Iterator[tuple[str, Any, list[str]]]:
    """Yield (structure type, element, ancestor types) for every structure element, in order."""
    reader = PdfReader(path)

    def visit(node: Any, ancestors: list[str]) -> Iterator[tuple[str, Any, list[str]]]:
        obj = node.get_object()
        if not isinstance(obj, dict) or obj.get("/Type") != "/StructElem":
            return
        tag = str(obj.get("/S", "/"))[1:]
        yield tag, obj, ancestors
        for kid in _kids(obj):
            if not isinstance(kid, int):
                yield from visit(kid, [*ancestors, tag])

    root = cast(Any, reader.trailer["/Root"])["/StructTreeRoot"]
    for kid in _kids(root):
        yield from visit(kid, [])


PAGE = "#PAGE"  # a page number the layout writes (contents, back-links): any number matches it
SKIPPED = frozenset({"head", "style", "script", "title"})
HTML_BLOCK = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "div", "section", "header",
        "footer", "nav", "main", "figure", "figcaption", "table", "tr", "th", "td", "caption",
        "ul", "ol", "dl", "br", "aside", "blockquote", "body",
    }
)  # fmt: skip


class _HTMLText(HTMLParser):
    """Collect the words a reader of the HTML meets, with list numbers and page-number places."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.lists: list[list[Any]] = []  # [numbered?, next number] per open list
        self.pages: list[str] = []  # closing tags after which a page number is written

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag in SKIPPED:
            self.skip += 1
        if tag in HTML_BLOCK:
            self.out.append("\n")
        if tag in ("ul", "ol"):
            numbered = tag == "ol"
            in_toc = "toc" in classes or any(lst[2] for lst in self.lists)
            self.lists.append([numbered and not in_toc, int(a.get("start") or 1), in_toc])
        elif tag == "li" and self.lists:
            numbered, number, _ = self.lists[-1]
            numbered = numbered and "point" not in classes  # a point is a grid row: no marker
            if a.get("value"):
                number = int(a["value"] or 0)
            if numbered:
                self.out.append(f" {number} ")
            self.lists[-1][1] = number + 1
        elif tag == "img" and a.get("alt"):
            self.out.append("\n" + (a.get("alt") or "") + "\n")
        if tag == "a" and ("backlink" in classes or (self.lists and self.lists[-1][2])):
            self.pages.append("a")
        elif tag == "a":
            self.pages.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip -= 1
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "a" and self.pages and self.pages.pop():
            self.out.append(f" {PAGE} ")
        if tag in HTML_BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)


# What the web page shows and the print does not: the banner of a draft (styles/draft.css).
SCREEN_ONLY_RE = re.compile(r'<p class="draft-banner"[^>]*>.*?</p>', re.S)


def html_words(html: str) -> list[str]:
    """Return the words a reader of an HTML document meets, in order (:data:`PAGE` for page numbers)."""
    parser = _HTMLText()
    parser.feed(SCREEN_ONLY_RE.sub("", html).replace("\u2060", ""))
    parser.close()
    return [w for w in re.findall(r"#PAGE|\w+(?:['\u2019]\w+)*", "".join(parser.out))]
