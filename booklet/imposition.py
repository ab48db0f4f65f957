"""Saddle-stitch imposition: page-order maths, and printer's spreads made with pypdf.

A saddle-stitched booklet is printed on sheets folded once and stapled through the fold,
so its page count is a multiple of 4 (each sheet carries four pages: two on each side).
For 8 pages, sheet 1 front is 8|1 and its back 2|7; sheet 2 front 6|3, back 4|5.

How :func:`impose` handles bleed and trim
------------------------------------------
Each page is placed by its TrimBox (its MediaBox when it has none), so that the trim
boxes of the two pages on a sheet side meet at the fold. Each page is clipped to its own
half: on the fold side at its trim edge, on the three outer sides at its CropBox (which
is its MediaBox unless set). So bleed and marks survive on the outer edges of the sheet
and never run across the fold into the facing page.

Each page becomes a Form XObject whose /BBox is that clip: its content stream is copied
as it is and its fonts and images are shared, and the sheet side only says where to draw
the two forms. (pypdf's ``merge_transformed_page`` parses and rewrites every content
stream: 25 times slower, about 1 s for 40 pages, for the same picture.)

The sheet side gets::

    TrimBox   = 2 x page trim width by trim height: A4 pages give A3 landscape exactly;
                A5 pages (148 mm wide) give 296 x 210 mm (839.06 x 595.28 pt), printed on
                A4 paper: the pages must meet at the fold, so the sheet is not stretched to A4
    BleedBox  = TrimBox grown on its four outer sides by the pages' own bleed
    MediaBox  = TrimBox grown on its four outer sides by the pages' own outer margin
                (trim to CropBox), so a page without bleed gives a sheet of exactly 2 x page

With WeasyPrint's ``@page { bleed: 3mm; marks: crop cross }`` the crop marks at the
sheet's four corners stay where the sheet is trimmed; the two corner marks that met the
fold are cut at the trim line and so show the fold at the top and bottom edge; the
registration crosses on the fold side are cut away. Creep (inner sheets pushing out at the
fore-edge when folded) is not compensated; a printer adds it if their process needs it.

Imposed sheets are for the printer only: links are dropped and the file carries no tags.
The output is deterministic: no dates, and a file /ID made from a hash of the input.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
)

from .errors import RenderError

PAGES_PER_SHEET = 4  # two on each side of a sheet of paper
_TOLERANCE = 0.01  # points: pages closer than this in size count as the same size


@dataclass(frozen=True)
class Sheet:
    """One sheet of paper: the (left, right) page numbers on its front and on its back."""

    front: tuple[int, int]
    back: tuple[int, int]


def pad_count(pages: int) -> int:
    """Return the page count padded up to a multiple of 4 (at least 4)."""
    if pages < 0:
        raise ValueError(f"a booklet cannot have {pages} pages")
    return max(PAGES_PER_SHEET, -(-pages // PAGES_PER_SHEET) * PAGES_PER_SHEET)


def sheets_per_copy(pages: int) -> int:
    """Return how many sheets of paper one copy of a booklet of ``pages`` pages takes."""
    return pad_count(pages) // PAGES_PER_SHEET


def saddle_stitch_order(pages: int) -> list[Sheet]:
    """Return the sheets, outermost first, for a booklet of ``pages`` pages (a multiple of 4)."""
    if pages <= 0 or pages % PAGES_PER_SHEET:
        raise ValueError(f"saddle stitching needs a multiple of 4 pages, not {pages}; pad it first")
    return [
        Sheet(front=(pages - 2 * i, 2 * i + 1), back=(2 * i + 2, pages - 2 * i - 1))
        for i in range(pages // PAGES_PER_SHEET)
    ]


@dataclass(frozen=True)
class _Layout:
    """Where the pages go on a sheet side, worked out from the first page's boxes."""

    trim: RectangleObject  # the page's trim box (its media box when it has none)
    crop: RectangleObject  # the page's visible area: everything outside the trim is bleed or marks
    bleed: RectangleObject

    @property
    def size(self) -> tuple[float, float]:
        """Return the sheet side's width and height (its MediaBox, from 0, 0)."""
        return (
            float(self.crop.width) + float(self.trim.width),
            float(self.crop.height),
        )

    def origin(self, right: bool) -> tuple[float, float]:
        """Return how far to move a page so it lands on the left or right half of the sheet."""
        x = float(self.trim.left - self.crop.left)  # the left page's outer margin
        if right:
            x += float(self.trim.width)
        return x - float(self.trim.left), float(-self.crop.bottom)

    def clip(self, right: bool) -> RectangleObject:
        """Return the part of a page shown on the sheet: its trim on the fold side, else all."""
        left, bottom, top = self.crop.left, self.crop.bottom, self.crop.top
        if right:
            return RectangleObject((self.trim.left, bottom, self.crop.right, top))
        return RectangleObject((left, bottom, self.trim.right, top))

    def sheet_box(self, box: RectangleObject) -> RectangleObject:
        """Return the sheet's version of a page box: two of them joined at the trim."""
        dx, dy = self.origin(right=False)
        return RectangleObject(
            (
                float(box.left) + dx,
                float(box.bottom) + dy,
                float(box.right) + dx + float(self.trim.width),
                float(box.top) + dy,
            )
        )


def _geometry(page: PageObject) -> tuple[float, ...]:
    """Return what must match between pages: trim size, crop size, and where the trim sits."""
    trim, crop = page.trimbox, page.cropbox
    return tuple(
        float(v)
        for v in (
            trim.width,
            trim.height,
            crop.width,
            crop.height,
            trim.left - crop.left,
            trim.bottom - crop.bottom,
        )
    )


def _describe(page: PageObject) -> str:
    """Describe a page's size for an error message: '419.53 x 595.28 pt trimmed, 436.54 ...'."""
    trim, crop = page.trimbox, page.cropbox
    return (
        f"{float(trim.width):.2f} x {float(trim.height):.2f} pt trimmed, "
        f"{float(crop.width):.2f} x {float(crop.height):.2f} pt in all, rotated {page.rotation}"
    )


def _layout(reader: PdfReader) -> _Layout:
    """Check every page has the same size and boxes; return how they go on a sheet."""
    first = reader.pages[0]
    expected = _geometry(first)
    for number, page in enumerate(reader.pages, start=1):
        geometry = _geometry(page)
        if page.rotation % 360 or any(
            abs(a - b) > _TOLERANCE for a, b in zip(geometry, expected, strict=True)
        ):
            raise RenderError(
                f"cannot impose: page {number} differs from page 1 in size, bleed or rotation "
                f"({_describe(page)} against {_describe(first)}); "
                "every page of a booklet must be the same size"
            )
    return _Layout(first.trimbox, first.cropbox, first.bleedbox)


def _form(writer: PdfWriter, page: PageObject, clip: RectangleObject) -> IndirectObject:
    """Copy a page into ``writer`` as a Form XObject: its content as it is, clipped to ``clip``."""
    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): clip,
            NameObject("/Resources"): page.get("/Resources", DictionaryObject()).clone(writer),
        }
    )
    if "/Group" in page:  # a transparency group blends the same way inside the form
        form[NameObject("/Group")] = page["/Group"].clone(writer)
    # pypdf has no public way to add an object; _add_object is what its own pages use
    # (pyproject.toml caps pypdf at the major versions this was tested with).
    return writer._add_object(form.flate_encode())


def _side(writer: PdfWriter, layout: _Layout, left: PageObject, right: PageObject) -> PageObject:
    """Add one sheet side: ``left`` and ``right`` as forms, each clipped to its half."""
    side = writer.add_blank_page(*layout.size)
    forms = DictionaryObject()
    drawing = []
    for name, page, is_right in (("/L", left, False), ("/R", right, True)):
        forms[NameObject(name)] = _form(writer, page, layout.clip(is_right))
        dx, dy = layout.origin(is_right)
        drawing.append(f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm {name} Do Q")
    side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): forms})
    content = ContentStream(None, writer)
    content.set_data("\n".join(drawing).encode())
    side.replace_contents(content)
    side.trimbox = layout.sheet_box(layout.trim)
    side.bleedbox = layout.sheet_box(layout.bleed)
    return side


def _read(pdf: bytes) -> PdfReader:
    """Open a PDF, turning pypdf's complaints into a RenderError."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        count = len(reader.pages)
    except (PdfReadError, ValueError) as exc:
        raise RenderError(f"cannot impose: the print file is not a readable PDF ({exc})") from None
    if count == 0 or count % PAGES_PER_SHEET:
        raise RenderError(
            f"cannot impose a PDF of {count} pages: saddle stitching needs a multiple of 4; "
            f"pad it to {pad_count(count)} pages (blank or 'Notes' pages at the end) first"
        )
    return reader


def impose(pdf: bytes) -> bytes:
    """Return printer's spreads: two pages side by side on each sheet side, in saddle-stitch order.

    ``pdf`` must have a multiple of 4 pages, all the same size. Sheet sides come in the
    order sheet 1 front, sheet 1 back, sheet 2 front, ...; see the module docstring for
    how bleed, trim and marks are handled.
    """
    reader = _read(pdf)
    layout = _layout(reader)
    writer = PdfWriter()
    for sheet in saddle_stitch_order(len(reader.pages)):
        for left, right in (sheet.front, sheet.back):
            _side(writer, layout, reader.pages[left - 1], reader.pages[right - 1])
    digest = ByteStringObject(hashlib.sha256(pdf).digest()[:16])
    writer._ID = ArrayObject((digest, digest))  # no public setter (hence pypdf<8); keeps output reproducible
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
