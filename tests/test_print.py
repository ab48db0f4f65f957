"""Print-ready files and print runs: bleed, crop marks, padding, spreads and orders."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from booklet.print_run import print_booklets
from cli import main

from . import pdfread
from .conftest import FIXTURES

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print")
    print_booklets(FIXTURES, out, ["sample-booklet"], imposed=True)
    return out / "sample-booklet" / "print"


def test_files_are_where_the_printer_expects(printed: Path) -> None:
    names = sorted(p.name for p in printed.iterdir())
    assert names == [
        f"sample-booklet-{v}-{kind}.pdf"
        for v in ("easy-read", "large-print", "standard")
        for kind in ("imposed", "print")
    ]


def test_trim_and_bleed_boxes(printed: Path) -> None:
    for page in PdfReader(printed / "sample-booklet-standard-print.pdf").pages:
        trim, bleed = page.trimbox, page.bleedbox
        assert (float(trim.width), float(trim.height)) == pytest.approx(A5, abs=0.05)
        assert float(bleed.width) == pytest.approx(float(trim.width) + 6 * MM, abs=0.05)
        assert float(bleed.left) == pytest.approx(float(trim.left) - 3 * MM, abs=0.05)


def test_crop_marks_are_drawn_in_the_bleed(printed: Path, tmp_path: Path) -> None:
    pdf = printed / "sample-booklet-standard-print.pdf"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "p")], check=True
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    lowest = cast(Callable[[Any], tuple[int, int]], lambda im: im.getextrema())
    bleed = round(3 * 150 / 25.4)  # pixels of bleed at 150 dpi
    corner = image.crop((0, 0, bleed, bleed))
    middle = image.crop((image.width // 2 - 5, 0, image.width // 2 + 5, bleed // 2))
    assert lowest(corner)[0] < 128, "a crop mark in the top-left bleed"
    assert lowest(middle)[0] > 200, "nothing else in the bleed of a white page"


@pytest.mark.parametrize("variant", ["standard", "large-print", "easy-read"])
def test_padded_to_a_multiple_of_4_with_notes_before_the_back_cover(printed: Path, variant: str) -> None:
    pdf = printed / f"sample-booklet-{variant}-print.pdf"
    texts = pdfread.page_texts(pdf)
    screen = (
        len(pdfread.page_texts(pdf.parent.parent / f"sample-booklet-{variant}.pdf"))
        if (pdf.parent.parent / f"sample-booklet-{variant}.pdf").exists()
        else None
    )
    assert len(texts) % 4 == 0
    assert "Contact us" in texts[-1]
    notes = [i for i, t in enumerate(texts) if t.strip().startswith("Notes") or "\nNotes\n" in f"\n{t}\n"]
    assert all(i == len(texts) - 1 - k for k, i in enumerate(reversed(notes), start=1))
    if screen is not None:
        assert len(texts) - len(notes) == screen


def test_fonts_are_embedded_and_pdfx_is_declared(printed: Path) -> None:
    reader = PdfReader(printed / "sample-booklet-standard-print.pdf")
    for page in reader.pages:
        for font in cast(Any, page["/Resources"])["/Font"].values():
            descriptor = (
                font.get_object()["/FontDescriptor"]
                if "/FontDescriptor" in font.get_object()
                else (font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"])
            )
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    xmp = cast(Any, reader.trailer["/Root"])["/Metadata"].get_object().get_data()
    assert b"PDF/X-4" in xmp


def test_imposed_spreads(printed: Path) -> None:
    print_pdf = PdfReader(printed / "sample-booklet-standard-print.pdf")
    imposed = PdfReader(printed / "sample-booklet-standard-imposed.pdf")
    assert len(imposed.pages) == len(print_pdf.pages) // 2
    trim = imposed.pages[0].trimbox
    assert float(trim.width) == pytest.approx(2 * A5[0], abs=0.05)


def test_print_files_are_reproducible(tmp_path: Path, printed: Path) -> None:
    print_booklets(FIXTURES, tmp_path, ["sample-booklet"], ["standard"])
    again = tmp_path / "sample-booklet" / "print" / "sample-booklet-standard-print.pdf"
    assert again.read_bytes() == (printed / "sample-booklet-standard-print.pdf").read_bytes()


@pytest.mark.slow
def test_order_run_and_its_summary(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("code,variant,quantity,ordered_by\nTST-01,standard,10,Ward 4\nTST-01,standard,5,Ann\n")
    result = CliRunner().invoke(
        main, ["order", str(orders), "--content", str(FIXTURES), "--out", str(tmp_path / "run")]
    )
    assert result.exit_code == 0, result.output
    run = (tmp_path / "run" / "run.csv").read_text().splitlines()
    pages = len(PdfReader(tmp_path / "run" / "sample-booklet-standard-print.pdf").pages)
    assert run[1] == f"TST-01,standard,15,{pages},{pages // 4},{15 * pages // 4},Ann; Ward 4"
    assert (tmp_path / "run" / "sample-booklet-standard-imposed.pdf").is_file()


def test_bad_order_file_makes_nothing(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "code,variant,quantity,ordered_by\nTST-01,standard,lots,Ward 4\nXXX-99,standard,1,Ann\n"
    )
    result = CliRunner().invoke(
        main, ["order", str(orders), "--content", str(FIXTURES), "--out", str(tmp_path / "run")]
    )
    assert result.exit_code == 1
    assert f"{orders}:2:" in result.output
    assert f"{orders}:3:" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "run").exists()


def test_blank_order_form() -> None:
    result = CliRunner().invoke(main, ["order", "--template", "--content", str(FIXTURES)])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("code,variant,quantity,ordered_by")
    assert "TST-01,large-print,," in result.output


def test_low_resolution_pictures_are_reported(sample_content: Path, caplog: pytest.LogCaptureFixture) -> None:
    from PIL import Image as PILImage

    from booklet.print_run import low_resolution
    from booklet.variants import VARIANTS

    PILImage.new("RGB", (400, 200), "white").save(sample_content / "sample-booklet" / "images" / "photo.png")
    PILImage.new("RGB", (2000, 900), "white").save(sample_content / "sample-booklet" / "images" / "sharp.png")
    source = sample_content / "sample-booklet" / "booklet.md"
    pictures = "\n\n![A photo of a ward](images/photo.png)\n\n![A sharp photo of a ward](images/sharp.png)\n"
    source.write_text(source.read_text(encoding="utf-8") + pictures, encoding="utf-8")
    from booklet.project import load_booklet

    booklet = load_booklet(sample_content, "sample-booklet")
    warnings = low_resolution(booklet, VARIANTS["standard"])
    assert len(warnings) == 1
    assert "photo.png: 400 pixels wide, 85 dpi" in warnings[0]
    assert "1417 pixels" in warnings[0]


def test_print_colours_are_cmyk(printed: Path) -> None:
    """The palette is defined once (base.css) and given to the printer in CMYK (print.css)."""
    page = PdfReader(printed / "sample-booklet-standard-print.pdf").pages[1]
    ops: list[tuple[bytes, list[float]]] = []
    page.extract_text(
        visitor_operand_before=lambda op, args, cm, tm: ops.append(
            (op, [float(a) for a in args if isinstance(a, int | float)])
        )
    )
    cmyk = [args for op, args in ops if op in (b"scn", b"k") and len(args) == 4]
    assert len(cmyk) >= 5, "text and rules are painted in CMYK"
    rgb = [args for op, args in ops if op in (b"rg", b"RG")]
    assert all(args == [0, 0, 0] for args in rgb), "RGB only for the crop marks (registration black)"
