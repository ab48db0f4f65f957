"""The catalogue's cover thumbnails: each booklet's first page, rendered once from its PDF and kept.

A booklet's thumbnail is the first page of its standard PDF (else of the first format built),
``OUT/<slug>/<slug>-cover.png``, 240 pixels wide (sharp at 120 CSS pixels on a screen of
twice the density). It is rendered with pypdfium2 (PDFium, the PDF engine of Chromium) only
when there is none yet or the PDF is newer than it; otherwise the one in out/ is kept, so
writing the catalogue again renders nothing. Its alt text names the booklet (the message
catalogue's ``catalogue.cover_alt``, in the page's words).
"""

from __future__ import annotations

import io
from pathlib import Path

from ..log import LOGGER

WIDTH = 240  # pixels
SUFFIX = "cover.png"


def name(slug: str) -> str:
    """Return the file name of a booklet's thumbnail in its folder: '<slug>-cover.png'."""
    return f"{slug}-{SUFFIX}"


def current(pdf: Path, thumbnail: Path) -> bool:
    """Tell whether ``thumbnail`` was made from ``pdf`` as it is now (it is at least as new)."""
    try:
        return thumbnail.stat().st_mtime_ns >= pdf.stat().st_mtime_ns
    except OSError:
        return False


def render(pdf: Path, width: int = WIDTH) -> bytes | None:
    """Return a PDF's first page as a PNG ``width`` pixels wide (None, with a warning: unreadable)."""
    import pypdfium2 as pdfium  # only when a thumbnail is made

    try:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[0]
            image = page.render(scale=width / page.get_width()).to_pil()
        finally:
            document.close()
    except (pdfium.PdfiumError, OSError, IndexError) as exc:
        LOGGER.warning("%s: cannot be read to make its cover thumbnail (%s)", pdf, exc)
        return None
    data = io.BytesIO()
    image.convert("RGB").save(data, "PNG", optimize=True)
    return data.getvalue()


def thumbnails(wanted: dict[Path, Path]) -> dict[Path, bytes]:
    """Return the thumbnails to write, of thumbnail -> its PDF: those missing or older than their PDF."""
    made = {}
    for thumbnail, pdf in wanted.items():
        if not current(pdf, thumbnail) and (data := render(pdf)) is not None:
            made[thumbnail] = data
    return made
