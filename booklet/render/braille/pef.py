"""PEF, the Portable Embosser Format (DAISY, 2008): the braille pages as Unicode braille in XML.

An embosser or a braille display reads PEF without knowing the BRF character table: each
row is written in Unicode braille patterns (U+2800 to U+283F), one per cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from ...errors import RenderError
from .layout import LINES, WIDTH

# North American ASCII braille: the character of each 6-dot cell, in Unicode braille order
# (dot 1 = bit 0 ... dot 6 = bit 5).
ASCII_BRAILLE = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
TO_UNICODE = {ch: chr(0x2800 + n) for n, ch in enumerate(ASCII_BRAILLE)}


def unicode_braille(line: str) -> str:
    """Return a BRF line as Unicode braille patterns (a character that is not a BRF cell: RenderError)."""
    try:
        return "".join(TO_UNICODE[ch] for ch in line)
    except KeyError as exc:
        raise RenderError(
            f"braille line {line[:40]!r} holds {exc.args[0]!r}, which is not a braille cell",
            fix="leave the character out of the text",
        ) from None


def document(
    volumes: Sequence[Sequence[Sequence[str]]], title: str, language: str, identifier: str, date: str
) -> bytes:
    """Return a PEF document of the volumes, each a list of pages."""
    body = "\n".join(
        f'<volume cols="{WIDTH}" rows="{LINES}" rowgap="0" duplex="false"><section>\n'
        + "\n".join(
            "<page>" + "".join(f"<row>{unicode_braille(line)}</row>" for line in page) + "</page>"
            for page in pages
        )
        + "\n</section></volume>"
        for pages in volumes
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<pef version="2008-1" xmlns="http://www.daisy.org/ns/2008/pef">\n'
        '<head><meta xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:format>application/x-pef+xml</dc:format>"
        f"<dc:identifier>{escape(identifier)}</dc:identifier>"
        f"<dc:title>{escape(title)}</dc:title>"
        f"<dc:language>{escape(language)}</dc:language>"
        f"<dc:date>{escape(date)}</dc:date>"
        "</meta></head>\n"
        f"<body>{body}</body>\n</pef>\n"
    ).encode()
