"""Read built PDFs as a reader meets them: text runs with sizes, pages, links, outline."""

from __future__ import annotations

import math
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pypdf import PdfReader


@dataclass(frozen=True)
class Run:
    """A run of text on a page: its page index (0-based), text, size in points and font name."""

    page: int
    text: str
    size: float
    font: str


def _mul(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def runs(path: Path) -> list[Run]:
    """Return every non-blank text run of a PDF with its effective size in points."""
    out: list[Run] = []
    for index, page in enumerate(PdfReader(path).pages):

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float, index: int = index) -> None:
            if text.strip():
                m = _mul(list(tm), list(cm))
                scale = math.hypot(m[2], m[3])
                name = str(font.get("/BaseFont", "")) if font else ""
                out.append(Run(index, text, round(size * scale, 2), name))

        page.extract_text(visitor_text=visit)
    return out


def page_texts(path: Path) -> list[str]:
    """Return the extracted text of each page."""
    return [p.extract_text() or "" for p in PdfReader(path).pages]


def named_destinations(reader: PdfReader) -> dict[str, int]:
    """Map each named destination to its 0-based page index."""
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}  # type: ignore[union-attr]
    result = {}
    for name, dest in reader.named_destinations.items():
        page: Any = dest.page
        result[str(name)] = pages[page.idnum] if hasattr(page, "idnum") else int(page)
    return result


def link_targets(path: Path) -> list[tuple[int, str]]:
    """Return (page index, destination) for every internal link annotation."""
    reader = PdfReader(path)
    found = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            if a.get("/Subtype") != "/Link":
                continue
            if "/Dest" in a:
                dest = a["/Dest"]
                found.append((index, str(dest)))
            elif "/A" in a and a["/A"].get("/S") == "/GoTo":
                found.append((index, str(a["/A"]["/D"])))
            elif "/A" in a and a["/A"].get("/S") == "/URI":
                found.append((index, "URI:" + str(a["/A"]["/URI"])))
    return found


def outline_titles(path: Path) -> list[tuple[int, str, int]]:
    """Return (depth, title, page index) for every bookmark, in order."""
    reader = PdfReader(path)
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, str(item.title), reader.get_destination_page_number(item) or 0))

    walk(reader.outline, 0)
    return out


@dataclass(frozen=True)
class Painted:
    """A run of text with how it is painted: size, font, fill colour, and whether it is an artifact."""

    page: int
    text: str
    size: float
    font: str
    colour: tuple[float, ...]
    artifact: bool


def _painted_page(index: int, page: Any) -> list[Painted]:
    out: list[Painted] = []
    marks: list[bool] = []
    colours: list[tuple[float, ...]] = [(0.0, 0.0, 0.0)]

    def before(op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op in (b"BMC", b"BDC"):
            marks.append(str(args[0]) == "/Artifact")
        elif op == b"EMC" and marks:
            marks.pop()
        elif op == b"q":
            colours.append(colours[-1])
        elif op == b"Q" and len(colours) > 1:
            colours.pop()
        elif op == b"rg":
            colours[-1] = tuple(round(float(a), 3) for a in args)
        elif op == b"g":
            colours[-1] = (round(float(args[0]), 3),) * 3

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            m = _mul(list(tm), list(cm))
            name = str(font.get("/BaseFont", "")) if font else ""
            scaled = round(size * math.hypot(m[2], m[3]), 2)
            out.append(Painted(index, text, scaled, name, colours[-1], any(marks)))

    page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return out


def painted(path: Path) -> list[Painted]:
    """Return every non-blank text run with its fill colour and artifact status, in content order."""
    return [run for i, page in enumerate(PdfReader(path).pages) for run in _painted_page(i, page)]


def content_text(path: Path) -> str:
    """Return the text a reader hears: tagged text only (no running heads or page numbers)."""
    return " ".join(run.text for run in painted(path) if not run.artifact)


def content_words(path: Path) -> list[str]:
    """Return the words of :func:`content_text`, split at anything that is not a letter or digit."""
    return re.findall(r"\w+", content_text(path))


@dataclass(frozen=True)
class Element:
    """A structure element: its tag, page index, attributes, kids and MCIDs."""

    tag: str
    page: int | None
    alt: str | None
    bbox: tuple[float, ...] | None
    kids: tuple[Element, ...]
    mcids: tuple[int, ...]
    lang: str | None = None  # its own /Lang, where it has one


def poppler_text(path: Path, page: int | None = None) -> str:
    """Return a PDF's text (one page's, 1-based) as poppler's pdftotext reads it.

    Poppler puts right-to-left text in logical order and reads /ActualText (pypdf does neither).
    """
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    done = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def structure(path: Path) -> Element:
    """Return the document's structure tree (what assistive technology reads)."""
    reader = PdfReader(path)
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}  # type: ignore[union-attr]

    def build(node: Any, page: int | None) -> Element:
        node = node.get_object()
        if "/Pg" in node:
            page = pages.get(node.raw_get("/Pg").idnum, page)
        kids_raw = node.get("/K", [])
        kids_raw = kids_raw if isinstance(kids_raw, list) else [kids_raw]
        kids, mcids = [], []
        for kid in kids_raw:
            if isinstance(kid, int):
                mcids.append(kid)
                continue
            obj = kid.get_object()
            if isinstance(obj, dict) and obj.get("/Type") == "/StructElem":
                kids.append(build(kid, page))
            elif isinstance(obj, dict) and "/MCID" in obj:
                mcids.append(int(obj["/MCID"]))
        attrs = node.get("/A")
        attrs = attrs.get_object() if attrs is not None else {}
        bbox = (
            tuple(float(v) for v in attrs["/BBox"]) if isinstance(attrs, dict) and "/BBox" in attrs else None
        )
        alt = str(node["/Alt"]) if "/Alt" in node else None
        lang = str(node["/Lang"]) if "/Lang" in node else None
        return Element(str(node.get("/S", "")), page, alt, bbox, tuple(kids), tuple(mcids), lang)

    root = cast(Any, reader.trailer["/Root"])["/StructTreeRoot"]
    return build(root, None)


def walk(element: Element) -> Iterator[Element]:
    """Yield an element and all its descendants, in reading order."""
    yield element
    for kid in element.kids:
        yield from walk(kid)


def mcid_text_positions(path: Path) -> dict[tuple[int, int], tuple[float, float, float]]:
    """Map (page, MCID) to the first text painted in it: x, baseline y (CSS px, top-down) and size."""
    found: dict[tuple[int, int], tuple[float, float, float]] = {}
    for index, page in enumerate(PdfReader(path).pages):
        stack: list[int | None] = []

        def before(op: bytes, args: Any, cm: Any, tm: Any, stack: list[int | None] = stack) -> None:
            if op == b"BDC":
                props = args[1] if len(args) > 1 else {}
                stack.append(int(props["/MCID"]) if isinstance(props, dict) and "/MCID" in props else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        def visit(
            text: str,
            cm: Any,
            tm: Any,
            font: Any,
            size: float,
            index: int = index,
            stack: list[int | None] = stack,
        ) -> None:
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if text.strip() and mcid is not None and (index, mcid) not in found:
                found[(index, mcid)] = (float(tm[4]), float(tm[5]), float(size))

        page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return found
