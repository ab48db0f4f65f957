"""Read built PDFs as a reader meets them: text runs with sizes, pages, links, outline."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
        result[str(name)] = pages[dest.page.idnum] if hasattr(dest.page, "idnum") else int(dest.page)
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
                out.append((depth, str(item.title), reader.get_destination_page_number(item)))

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
