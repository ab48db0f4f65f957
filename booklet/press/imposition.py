"""Saddle-stitch imposition: page-order maths, and printer's spreads made with pypdf.

A saddle-stitched booklet is printed on sheets folded once and stapled through the fold,
so its page count is a multiple of 4 (each sheet carries four pages: two on each side).
For 8 pages, sheet 1 front is 8|1 and its back 2|7; sheet 2 front 6|3, back 4|5.

A booklet in a right-to-left language (Arabic, Urdu) is bound on the right: it opens
from what an English reader calls its back, so each sheet side is mirrored. For 8
pages, sheet 1 front is 1|8 (the cover left of the spine when the sheet lies open, face
up) and its back 7|2; sheet 2 front 3|6, back 5|4. Folded, page 2 faces page 3 across
the spread with page 2 on the right, as a right-to-left reader turns to it.

How :func:`impose` lays out a press sheet
------------------------------------------
The two pages of a sheet side are placed so that their trim boxes meet at the fold, and
the pair is centred on the smallest press sheet it fits with its bleed and crop marks:
SRA4 (320 x 225 mm) for A5 pages, SRA3 (450 x 320 mm) for A4 pages; a page size that fits
none of them gets a sheet of its own size plus the slug, named by its size in mm. Each
page is clipped to its BleedBox on its three outer sides and at the fold on the fourth,
so its own crop marks are left out and its bleed never runs into the facing page. The
sheet side gets::

    MediaBox  = the press sheet (SRA4, SRA3), or the trim plus an 8 mm slug all round
    TrimBox   = 2 x page trim width by trim height (296 x 210 mm for A5 pages)
    BleedBox  = TrimBox grown by the pages' own bleed (3 mm)

and, in the slug outside the bleed, crop marks at its four corners and fold marks at the
top and bottom of the fold, drawn in the registration colour (prepress.crop_marks).

Creep: folded sheets nest inside each other, so the inner sheets' pages stand out at the
fore-edge by the paper's thickness for each sheet outside them, and lose that much when
trimmed. With a paper caliper, the pages of sheet ``i`` (0 = outermost) are moved towards
the spine by ``i x caliper`` (:func:`creep_mm`); the innermost of 12 sheets on 100 micron
paper by 1.1 mm. The shift must stay within the bleed.

Each page becomes a Form XObject whose /BBox is that clip: its content stream is copied
as it is and its fonts and images are shared, and the sheet side only says where to draw
the two forms. (pypdf's ``merge_transformed_page`` parses and rewrites every content
stream: 25 times slower, about 1 s for 40 pages, for the same picture.)

Imposed sheets are for the printer only: links are dropped and the file carries no tags.
They keep the print file's PDF/X identification, XMP metadata and output intent
(prepress.identify). The output is deterministic: a file /ID made from its content.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
)

from ..errors import RenderError
from . import prepress
from .prepress import MM

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


def saddle_stitch_order(pages: int, right_bound: bool = False) -> list[Sheet]:
    """Return the sheets, outermost first, for a booklet of ``pages`` pages (a multiple of 4).

    ``right_bound``: the booklet is bound on the right (right-to-left languages), so every
    sheet side's pair is mirrored: the page on the left of a left-bound sheet goes right.
    """
    if pages <= 0 or pages % PAGES_PER_SHEET:
        raise ValueError(f"saddle stitching needs a multiple of 4 pages, not {pages}; pad it first")
    sheets = [
        Sheet(front=(pages - 2 * i, 2 * i + 1), back=(2 * i + 2, pages - 2 * i - 1))
        for i in range(pages // PAGES_PER_SHEET)
    ]
    if right_bound:
        return [Sheet(front=sheet.front[::-1], back=sheet.back[::-1]) for sheet in sheets]
    return sheets


@dataclass(frozen=True)
class PressSheet:
    """The paper a sheet side is printed on: its name and size in points (landscape)."""

    name: str
    width: float
    height: float


# Press sheets, smallest first: SRA sizes are A sizes with room for bleed, marks and grip.
PRESS_SHEETS = (PressSheet("SRA4", 320 * MM, 225 * MM), PressSheet("SRA3", 450 * MM, 320 * MM))
MARK_REACH = (prepress.MARK_OFFSET_MM + prepress.MARK_LENGTH_MM) * MM  # from the trim to a mark's end


def press_sheet(page_width: float, page_height: float) -> PressSheet:
    """Return the smallest press sheet two trimmed pages side by side fit on, with their marks.

    A size no SRA sheet takes gets a sheet of its own: trim plus the slug, named in mm.
    """
    trim_width, trim_height = 2 * page_width, page_height
    for sheet in PRESS_SHEETS:
        if trim_width + 2 * MARK_REACH <= sheet.width + _TOLERANCE and (
            trim_height + 2 * MARK_REACH <= sheet.height + _TOLERANCE
        ):
            return sheet
    width, height = trim_width + 2 * prepress.SLUG_MM * MM, trim_height + 2 * prepress.SLUG_MM * MM
    return PressSheet(f"{width / MM:.0f} x {height / MM:.0f} mm", width, height)


def creep_mm(sheets: int, caliper_um: float) -> float:
    """Return how far the innermost sheet's pages move towards the spine, in mm (0: no creep)."""
    return max(0, sheets - 1) * caliper_um / 1000


@dataclass(frozen=True)
class _Layout:
    """Where the pages go on a sheet side, worked out from the first page's boxes."""

    trim: RectangleObject  # the page's trim box (its media box when it has none)
    bleed: RectangleObject  # the page's bleed box: all of a page that reaches the sheet
    sheet: PressSheet

    @property
    def size(self) -> tuple[float, float]:
        """Return the sheet side's width and height (its MediaBox, from 0, 0)."""
        return self.sheet.width, self.sheet.height

    @property
    def sheet_trim(self) -> tuple[float, float, float, float]:
        """Return the sheet's TrimBox: two page trims side by side, centred on the sheet."""
        width, height = 2 * float(self.trim.width), float(self.trim.height)
        left, bottom = (self.sheet.width - width) / 2, (self.sheet.height - height) / 2
        return (left, bottom, left + width, bottom + height)

    @property
    def fold(self) -> float:
        """Return the x position of the fold on the sheet."""
        return self.sheet_trim[0] + float(self.trim.width)

    def origin(self, right: bool, shift: float) -> tuple[float, float]:
        """Return how far to move a page onto its half of the sheet, ``shift`` points towards the fold."""
        left, bottom = self.sheet_trim[:2]
        x = left + (float(self.trim.width) - shift if right else shift)
        return x - float(self.trim.left), bottom - float(self.trim.bottom)

    def clip(self, right: bool, shift: float) -> RectangleObject:
        """Return the part of a page shown on the sheet: its bleed, cut at the fold."""
        bleed, trim = self.bleed, self.trim
        if right:
            return RectangleObject((float(trim.left) + shift, bleed.bottom, bleed.right, bleed.top))
        return RectangleObject((bleed.left, bleed.bottom, float(trim.right) - shift, bleed.top))

    def sheet_bleed(self) -> tuple[float, float, float, float]:
        """Return the sheet's BleedBox: its trim grown by the pages' own bleed on each side."""
        left, bottom, right, top = self.sheet_trim
        return (
            left - float(self.trim.left - self.bleed.left),
            bottom - float(self.trim.bottom - self.bleed.bottom),
            right + float(self.bleed.right - self.trim.right),
            top + float(self.bleed.top - self.trim.top),
        )


def _geometry(page: PageObject) -> tuple[float, ...]:
    """Return what must match between pages: trim size, bleed size, and where the trim sits."""
    trim, bleed = page.trimbox, page.bleedbox
    return tuple(
        float(v)
        for v in (
            trim.width,
            trim.height,
            bleed.width,
            bleed.height,
            trim.left - bleed.left,
            trim.bottom - bleed.bottom,
        )
    )


def _describe(page: PageObject) -> str:
    """Describe a page's size for an error message: '419.53 x 595.28 pt trimmed, 436.54 ...'."""
    trim, bleed = page.trimbox, page.bleedbox
    return (
        f"{float(trim.width):.2f} x {float(trim.height):.2f} pt trimmed, "
        f"{float(bleed.width):.2f} x {float(bleed.height):.2f} pt with bleed, rotated {page.rotation}"
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
    sheet = press_sheet(float(first.trimbox.width), float(first.trimbox.height))
    return _Layout(first.trimbox, first.bleedbox, sheet)


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


def _side(
    writer: PdfWriter,
    layout: _Layout,
    left: PageObject,
    right: PageObject,
    shift: float,
    marks: IndirectObject,
) -> PageObject:
    """Add one sheet side: ``left`` and ``right`` as forms, each clipped to its half, and the marks."""
    side = writer.add_blank_page(*layout.size)
    forms = DictionaryObject()
    drawing = []
    for name, page, is_right in (("/L", left, False), ("/R", right, True)):
        forms[NameObject(name)] = _form(writer, page, layout.clip(is_right, shift))
        dx, dy = layout.origin(is_right, shift)
        drawing.append(f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm {name} Do Q")
    side[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): forms,
            NameObject("/ColorSpace"): DictionaryObject({NameObject(prepress.REGISTRATION): marks}),
        }
    )
    content = ContentStream(None, writer)
    content.set_data(
        "\n".join(drawing).encode() + b"\n" + prepress.crop_marks(layout.sheet_trim, [layout.fold])
    )
    side.replace_contents(content)
    side.trimbox = RectangleObject(layout.sheet_trim)
    side.bleedbox = RectangleObject(layout.sheet_bleed())
    return side


def _registration(writer: PdfWriter) -> IndirectObject:
    """Add the registration colour space (prepress.registration_space) to ``writer``."""
    kind, name, alternate, tint = prepress.registration_space()
    function = DictionaryObject(
        {
            NameObject(key): (
                ArrayObject(FloatObject(v) for v in value) if isinstance(value, list) else NumberObject(value)
            )
            for key, value in tint.items()
        }
    )
    space = ArrayObject((NameObject(kind), NameObject(name), NameObject(alternate), function))
    return writer._add_object(space)


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


def impose(pdf: bytes, caliper_um: float = 0, right_bound: bool = False) -> bytes:
    """Return printer's spreads: two pages side by side on each sheet side, in saddle-stitch order.

    ``pdf`` must have a multiple of 4 pages, all the same size. Sheet sides come in the
    order sheet 1 front, sheet 1 back, sheet 2 front, ...; ``caliper_um`` is the paper's
    thickness in microns, for creep (0: none); ``right_bound`` mirrors each side for a
    booklet bound on the right (a right-to-left language). See the module docstring for the layout.
    """
    reader = _read(pdf)
    layout = _layout(reader)
    sheets = saddle_stitch_order(len(reader.pages), right_bound)
    bleed = min(float(layout.trim.left - layout.bleed.left), float(layout.bleed.right - layout.trim.right))
    if creep_mm(len(sheets), caliper_um) * MM > bleed + _TOLERANCE:
        raise RenderError(
            f"cannot impose: creep of {creep_mm(len(sheets), caliper_um):.2f} mm ({len(sheets)} sheets of "
            f"{caliper_um:g} micron paper) is more than the {bleed / MM:.1f} mm bleed; check --paper-caliper "
            "(paper is about 80 to 150 microns thick)"
        )
    writer = PdfWriter()
    marks = _registration(writer)
    for number, sheet in enumerate(sheets):
        shift = number * caliper_um / 1000 * MM
        for left, right in (sheet.front, sheet.back):
            _side(writer, layout, reader.pages[left - 1], reader.pages[right - 1], shift, marks)
    out = io.BytesIO()
    writer.write(out)
    return prepress.identify(out.getvalue(), pdf)
