"""Saddle-stitch imposition: page order read back from imposed PDFs, sheet sizes, bleed, trim."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
import weasyprint
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, RectangleObject

from booklet.errors import RenderError
from booklet.press import imposition
from booklet.press.imposition import Sheet

from .tools import needs

A5 = (419.53, 595.28)  # 148 x 210 mm
A4 = (595.28, 841.89)
A3 = (1190.55, 841.89)  # landscape: exactly two A4 pages
A5_SPREAD = (839.06, 595.28)  # two A5 pages: 296 x 210 mm, 1 mm narrower than A4 landscape
MM = 72 / 25.4
SRA4 = (907.09, 637.8)  # 320 x 225 mm: the press sheet of an A5 booklet
SRA3 = (1275.59, 907.09)  # 450 x 320 mm: of an A4 booklet
BLEED = 8.5  # 3 mm in points
LEFT_RGB, RIGHT_RGB = (0, 0, 255), (255, 0, 0)  # even pages blue, odd pages red (to the bleed)
NUMBERED = """<style>
@page { size: %s; margin: 20mm; bleed: %s; marks: %s; background: blue }
@page :right { background: red }
p { font-size: 40pt; margin: 0; break-after: page }
</style>
%s"""


def render(pages: int, size: str = "A5", bleed: str = "0", marks: str = "none") -> bytes:
    """Render a PDF whose page n shows 'p<n>' (page 1 is a right page, so odd pages are red)."""
    body = "".join(f'<p>p{n} <a href="https://example.org/{n}">link</a></p>' for n in range(1, pages + 1))
    return weasyprint.HTML(string=NUMBERED % (size, bleed, marks, body)).write_pdf()  # type: ignore[no-any-return]


def first_pages(pdf: bytes, count: int) -> bytes:
    """Return the first ``count`` pages of a PDF as a new PDF."""
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages[:count]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def print_file() -> bytes:
    """Twenty A5 pages with 3 mm bleed and crop marks, as the print-ready PDF has them."""
    return render(20, bleed="3mm", marks="crop cross")


def read_sides(pdf: bytes, tmp_path: Path) -> list[tuple[int, int]]:
    """Read back (left page, right page) on each sheet side from where poppler finds each 'p<n>'.

    pypdf's text positions cannot be used: it does not carry the position of a Form XObject
    into the text drawn inside it.
    """
    path = tmp_path / "sides.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    folds = [(float(p.trimbox.left) + float(p.trimbox.right)) / 2 for p in PdfReader(path).pages]
    sides = []
    for fold, page in zip(folds, xhtml.split("<page ")[1:], strict=True):
        words = re.findall(r'<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)"[^>]*>p(\d+)</word>', page)
        left = [int(n) for x0, x1, n in words if float(x1) < fold]
        right = [int(n) for x0, x1, n in words if float(x0) > fold]
        assert len(left) == len(right) == 1, words
        sides.append((left[0], right[0]))
    return sides


def size(box: RectangleObject) -> tuple[float, float]:
    return round(float(box.width), 2), round(float(box.height), 2)


# The order itself


@pytest.mark.parametrize(
    ("pages", "sheets"),
    [
        (4, [Sheet((4, 1), (2, 3))]),
        (8, [Sheet((8, 1), (2, 7)), Sheet((6, 3), (4, 5))]),
        (12, [Sheet((12, 1), (2, 11)), Sheet((10, 3), (4, 9)), Sheet((8, 5), (6, 7))]),
    ],
)
def test_order_worked_by_hand(pages: int, sheets: list[Sheet]) -> None:
    assert imposition.saddle_stitch_order(pages) == sheets


@pytest.mark.parametrize("pages", [4, 8, 12, 16, 20, 36, 64])
def test_order_folds_into_a_booklet(pages: int) -> None:
    """Stack the sheets, fold them, and read: right of each front and left of each back, then back out."""
    sheets = imposition.saddle_stitch_order(pages)
    first_half = [n for s in sheets for n in (s.front[1], s.back[0])]
    second_half = [n for s in reversed(sheets) for n in (s.back[1], s.front[0])]
    assert first_half + second_half == list(range(1, pages + 1))


@pytest.mark.parametrize(
    ("pages", "sheets"),
    [
        (4, [Sheet((1, 4), (3, 2))]),
        (8, [Sheet((1, 8), (7, 2)), Sheet((3, 6), (5, 4))]),
        (12, [Sheet((1, 12), (11, 2)), Sheet((3, 10), (9, 4)), Sheet((5, 8), (7, 6))]),
    ],
)
def test_right_bound_order_worked_by_hand(pages: int, sheets: list[Sheet]) -> None:
    """A right-to-left booklet is bound on the right: the cover is left of the spine on the open sheet."""
    assert imposition.saddle_stitch_order(pages, right_bound=True) == sheets


@pytest.mark.parametrize("pages", [4, 8, 12, 16, 20, 36, 64])
def test_right_bound_order_folds_into_a_booklet_read_from_the_right(pages: int) -> None:
    """Fold the stack and read as a right-to-left reader turns: left of each front, right of each back."""
    sheets = imposition.saddle_stitch_order(pages, right_bound=True)
    first_half = [n for s in sheets for n in (s.front[0], s.back[1])]
    second_half = [n for s in reversed(sheets) for n in (s.back[0], s.front[1])]
    assert first_half + second_half == list(range(1, pages + 1))


@pytest.mark.parametrize("pages", [0, 5, 7, 9, 10, -4])
def test_order_needs_a_multiple_of_4(pages: int) -> None:
    with pytest.raises(ValueError, match="multiple of 4"):
        imposition.saddle_stitch_order(pages)


@pytest.mark.parametrize(
    ("pages", "padded", "sheets"),
    [(0, 4, 1), (1, 4, 1), (4, 4, 1), (5, 8, 2), (7, 8, 2), (8, 8, 2), (9, 12, 3), (13, 16, 4), (36, 36, 9)],
)
def test_pad_count_and_sheets(pages: int, padded: int, sheets: int) -> None:
    assert imposition.pad_count(pages) == padded
    assert imposition.sheets_per_copy(pages) == sheets


def test_pad_count_refuses_negative() -> None:
    with pytest.raises(ValueError, match="-1"):
        imposition.pad_count(-1)


# Imposed PDFs, read back


@pytest.mark.slow
@needs("poppler")
@pytest.mark.parametrize("pages", [4, 8, 12, 16, 20])
def test_imposed_pages_read_back_in_order(print_file: bytes, pages: int, tmp_path: Path) -> None:
    sides = read_sides(imposition.impose(first_pages(print_file, pages)), tmp_path)
    expected = [side for s in imposition.saddle_stitch_order(pages) for side in (s.front, s.back)]
    assert sides == expected
    assert len(sides) == pages // 2


@pytest.mark.slow
@needs("poppler")
def test_eight_pages_read_back_as_the_issue_says(print_file: bytes, tmp_path: Path) -> None:
    imposed = imposition.impose(first_pages(print_file, 8))
    assert read_sides(imposed, tmp_path) == [(8, 1), (2, 7), (6, 3), (4, 5)]


@pytest.mark.slow
@needs("poppler")
def test_right_bound_sheets_read_back_mirrored(print_file: bytes, tmp_path: Path) -> None:
    imposed = imposition.impose(first_pages(print_file, 8), right_bound=True)
    assert read_sides(imposed, tmp_path) == [(1, 8), (7, 2), (3, 6), (5, 4)]


@pytest.mark.slow
@pytest.mark.parametrize("pages", [5, 7, 9])
def test_unpadded_count_is_refused(print_file: bytes, pages: int) -> None:
    padded = imposition.pad_count(pages)
    with pytest.raises(RenderError, match=rf"{pages} pages.*multiple of 4.*pad it to {padded} pages"):
        imposition.impose(first_pages(print_file, pages))


def test_not_a_pdf_is_refused() -> None:
    with pytest.raises(RenderError, match="not a readable PDF"):
        imposition.impose(b"not a pdf")


def test_pages_of_different_sizes_are_refused() -> None:
    writer = PdfWriter()
    for width in (*[A5[0]] * 3, A4[0]):
        writer.add_blank_page(width, A5[1])
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(RenderError, match="page 4 differs from page 1"):
        imposition.impose(out.getvalue())


# Sheet sizes, bleed and trim


@pytest.mark.parametrize(
    ("page", "name", "sheet"), [(A5, "SRA4", SRA4), (A4, "SRA3", SRA3), ((105 * MM, 148 * MM), "SRA4", SRA4)]
)
def test_press_sheet_is_the_smallest_sra_size(
    page: tuple[float, float], name: str, sheet: tuple[float, float]
) -> None:
    chosen = imposition.press_sheet(*page)
    assert chosen.name == name
    assert (round(chosen.width, 2), round(chosen.height, 2)) == sheet


def test_a_size_no_sra_sheet_takes_is_named_in_mm() -> None:
    chosen = imposition.press_sheet(250 * MM, 340 * MM)
    assert chosen.name == "516 x 356 mm"  # 2 x 250 by 340 mm trimmed, plus an 8 mm slug all round


@pytest.mark.parametrize(
    ("sheets", "caliper", "creep"), [(12, 100, 1.1), (12, 0, 0), (1, 130, 0), (5, 120, 0.48)]
)
def test_creep_of_the_innermost_sheet(sheets: int, caliper: int, creep: float) -> None:
    assert imposition.creep_mm(sheets, caliper) == pytest.approx(creep)


@pytest.mark.slow
@pytest.mark.parametrize(("page", "sheet", "trim"), [("A5", SRA4, A5_SPREAD), ("A4", SRA3, A3)])
def test_sheet_is_a_press_sheet_with_the_spread_centred(
    page: str, sheet: tuple[float, float], trim: tuple[float, float]
) -> None:
    reader = PdfReader(io.BytesIO(imposition.impose(render(4, page))))
    for side in reader.pages:
        assert size(side.mediabox) == sheet
        assert size(side.trimbox) == trim
        assert float(side.trimbox.left) == pytest.approx((sheet[0] - trim[0]) / 2, abs=0.01)
        assert float(side.trimbox.bottom) == pytest.approx((sheet[1] - trim[1]) / 2, abs=0.01)


@pytest.mark.slow
@pytest.mark.parametrize(("page", "trim"), [("A5", A5_SPREAD), ("A4", A3)])
def test_sheet_keeps_outer_bleed_around_its_trim_and_a_slug_outside(
    page: str, trim: tuple[float, float]
) -> None:
    source = PdfReader(io.BytesIO(render(4, page, "3mm", "crop cross"))).pages[0]
    assert size(source.trimbox) == (A5 if page == "A5" else A4)
    reader = PdfReader(io.BytesIO(imposition.impose(render(4, page, "3mm", "crop cross"))))
    for side in reader.pages:
        trimbox, bleedbox, mediabox = side.trimbox, side.bleedbox, side.mediabox
        assert size(trimbox) == trim
        assert size(bleedbox) == pytest.approx((trim[0] + 2 * BLEED, trim[1] + 2 * BLEED), abs=0.02)
        assert float(trimbox.left) - float(bleedbox.left) == pytest.approx(BLEED, abs=0.01)
        assert float(bleedbox.top) - float(trimbox.top) == pytest.approx(BLEED, abs=0.01)
        slug = (
            float(bleedbox.left) - float(mediabox.left),
            float(bleedbox.bottom) - float(mediabox.bottom),
            float(mediabox.right) - float(bleedbox.right),
            float(mediabox.top) - float(bleedbox.top),
        )
        assert min(slug) >= 4 * MM, "room for the crop marks outside the bleed on every side"


def placements(side: PageObject) -> dict[str, float]:
    """Return where a sheet side draws its left and right page: the x of each form's 'cm'."""
    data = side.get_contents().get_data().decode()  # type: ignore[union-attr]
    return {name: float(x) for x, name in re.findall(r"1 0 0 1 ([-0-9.]+) [-0-9.]+ cm /(L|R) Do", data)}


@pytest.mark.slow
def test_creep_moves_inner_pages_towards_the_spine(print_file: bytes) -> None:
    plain = PdfReader(io.BytesIO(imposition.impose(print_file))).pages
    crept = PdfReader(io.BytesIO(imposition.impose(print_file, caliper_um=150))).pages
    for number, (side, moved) in enumerate(zip(plain, crept, strict=True)):
        shift = number // 2 * 0.150 * MM  # two sides a sheet; 0 on the outermost sheet
        assert placements(moved)["L"] - placements(side)["L"] == pytest.approx(shift, abs=0.01)
        assert placements(side)["R"] - placements(moved)["R"] == pytest.approx(shift, abs=0.01)
        assert size(moved.trimbox) == size(side.trimbox)


@pytest.mark.slow
def test_creep_larger_than_the_bleed_is_refused(print_file: bytes) -> None:
    with pytest.raises(
        RenderError, match=r"creep of 3\.60 mm \(5 sheets of 900 micron paper\).*3\.0 mm bleed"
    ):
        imposition.impose(print_file, caliper_um=900)


@pytest.mark.slow
def test_sheets_carry_marks_in_registration_colour(print_file: bytes) -> None:
    reader = PdfReader(io.BytesIO(imposition.impose(first_pages(print_file, 4))))
    for side in reader.pages:
        space = cast(DictionaryObject, side["/Resources"])["/ColorSpace"]["/Reg"]  # type: ignore[index]
        assert space[0] == "/Separation"
        assert space[1] == "/All"
        assert b"/Reg CS 1 SCN" in side.get_contents().get_data()  # type: ignore[union-attr]


@pytest.mark.slow
def test_links_and_tags_are_left_out(print_file: bytes) -> None:
    assert "/Annots" in PdfReader(io.BytesIO(print_file)).pages[0]
    reader = PdfReader(io.BytesIO(imposition.impose(first_pages(print_file, 4))))
    assert all("/Annots" not in side for side in reader.pages)
    assert "/StructTreeRoot" not in cast(DictionaryObject, reader.trailer["/Root"])


def pixels(pdf: Path, dpi: int) -> tuple[int, int, bytes]:
    """Rasterise the first page with pdftoppm; return width, height and RGB bytes."""
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-singlefile", str(pdf), str(pdf.with_suffix(""))], check=True
    )
    data = pdf.with_suffix(".ppm").read_bytes()
    magic, width, height, _, rgb = data.split(maxsplit=4)
    assert magic == b"P6"
    return int(width), int(height), rgb


@pytest.mark.slow
@needs("poppler")
def test_bleed_does_not_cross_the_fold(print_file: bytes, tmp_path: Path) -> None:
    """Each page's bleed is cut at the fold: 1.5 mm either side of it, each page shows its own colour."""
    path = tmp_path / "imposed.pdf"
    path.write_bytes(imposition.impose(first_pages(print_file, 4)))
    dpi = 72
    width, height, rgb = pixels(path, dpi)
    trim = PdfReader(path).pages[0].trimbox
    fold = float(trim.left) + A5[0]  # points from the sheet's left edge
    left, right = float(trim.left) - BLEED, float(trim.right) + BLEED

    def colour(x_pt: float) -> tuple[int, ...]:
        at = (height // 3 * width + round(x_pt * dpi / 72)) * 3  # a third down: clear of the marks
        return tuple(rgb[at : at + 3])

    assert colour(fold - 4) == LEFT_RGB
    assert colour(fold + 4) == RIGHT_RGB
    assert colour(left + BLEED / 2) == LEFT_RGB  # the outer bleed stays
    assert colour(right - BLEED / 2) == RIGHT_RGB
    assert colour(left - 2) == colour(right + 2) == (255, 255, 255), "nothing of the pages in the slug"


# Reproducible output


@pytest.mark.slow
def test_same_input_gives_same_bytes(print_file: bytes) -> None:
    four = first_pages(print_file, 4)
    imposed = imposition.impose(four)
    assert imposition.impose(four) == imposed
    assert b"/CreationDate" not in imposed
    assert b"/ModDate" not in imposed
    ids = cast(ArrayObject, PdfReader(io.BytesIO(imposed)).trailer["/ID"])
    assert ids[0] == ids[1]
    other = cast(
        ArrayObject, PdfReader(io.BytesIO(imposition.impose(first_pages(print_file, 8)))).trailer["/ID"]
    )
    assert other[0] != ids[0]


@pytest.mark.slow
def test_same_bytes_in_another_process(print_file: bytes, tmp_path: Path) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(first_pages(print_file, 8))
    script = (
        "import sys; from pathlib import Path; from booklet.press.imposition import impose; "
        "sys.stdout.buffer.write(impose(Path(sys.argv[1]).read_bytes()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(source)],
        capture_output=True,
        check=True,
        env={"PYTHONHASHSEED": "7"},
    )
    assert done.stdout == imposition.impose(source.read_bytes())
