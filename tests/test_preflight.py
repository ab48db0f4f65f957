"""Preflight of print and imposed files, with tools independent of the code that made them.

What a commercial printer's preflight checks, for every print file and imposed file of the
first booklet (content/), its Welsh translation, and the corpus booklet with a photograph
and a table (all-features), all three variants, and of the standard variant of every
translation of tests/corpus/translated (Polish, Arabic, Urdu, Bengali, Punjabi, Chinese):
qpdf finds the file sound; pikepdf finds PDF/X-4
identification, the FOGRA39 output intent with a 4-channel profile, boxes nested
MediaBox > BleedBox > TrimBox, no annotation, no RGB colour or picture; Ghostscript's
``tiffsep`` device separates the inks: body text is on the black plate only, text under
14 pt and thin rules on two plates at most, a draft's band reaches the bleed, and the crop
marks print on every plate (registration colour); the XMP says the file is a master
(``RenditionClass`` default), not a proof. The imposed sheets of a right-to-left
translation, read back half by half with poppler, fold into a booklet bound on the right.
"""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from booklet.press import cmyk, prepress
from booklet.press.print_run import print_booklets
from booklet.source.project import Project

from .conftest import CONTENT, CORPUS
from .tools import needs

BOOKLETS = {"secondary-liver-cancer": CONTENT, "all-features": CORPUS}
VARIANTS = ("standard", "large-print", "easy-read")
KINDS = ("print", "imposed")
TRANSLATED = ("pl", "ar", "ur", "bn", "pa", "zh-Hans")  # tests/corpus/translated, standard variant
RIGHT_TO_LEFT = ("ar", "ur")
FILES = [
    *(f"{slug}/{variant}/{kind}" for slug in BOOKLETS for variant in VARIANTS for kind in KINDS),
    *(f"secondary-liver-cancer/cy/{variant}/{kind}" for variant in VARIANTS for kind in KINDS),
    *(f"translated/{lang}/standard/{kind}" for lang in TRANSLATED for kind in KINDS),
]
MM = 72 / 25.4
DPI = 100
PLATES = ("Cyan", "Magenta", "Yellow", "Black")
CALIPER = 100  # microns: the imposed files are made with creep


@pytest.fixture(scope="module")
def print_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Make the print and imposed files of the two booklets once; map 'slug/variant/kind' -> file."""
    out = tmp_path_factory.mktemp("preflight")
    for slug, folder in BOOKLETS.items():  # the first booklet's Welsh translation with it
        print_booklets(Project.load(folder, [slug]), out, imposed=True, caliper_um=CALIPER)
    print_booklets(
        Project.load(CORPUS, ["translated"], easy_read=False),
        out,
        ["standard"],
        imposed=True,
        caliper_um=CALIPER,
    )
    return {name: file_of(out, name) for name in FILES}


def file_of(out: Path, name: str) -> Path:
    """Return where 'slug/variant/kind' or 'slug/lang/variant/kind' is written (README, Print files)."""
    slug, *lang, variant, kind = name.split("/")
    if lang:
        return out / slug / lang[0] / "print" / f"{slug}-{variant}-{lang[0]}-{kind}.pdf"
    return out / slug / "print" / f"{slug}-{variant}-{kind}.pdf"


# ---- qpdf ----


@pytest.mark.slow  # reads rendered print files
@needs("qpdf")
@pytest.mark.parametrize("name", FILES)
def test_qpdf_finds_the_file_sound(print_files: dict[str, Path], name: str) -> None:
    done = subprocess.run(["qpdf", "--check", str(print_files[name])], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


# ---- pikepdf: identification, intent, boxes, annotations, colours ----


@pytest.mark.slow  # reads rendered print files
@pytest.mark.parametrize("name", FILES)
def test_pdfx4_identification_and_output_intent(print_files: dict[str, Path], name: str) -> None:
    path = print_files[name]
    assert path.read_bytes().startswith(b"%PDF-1.6\n"), "PDF/X-4 is PDF 1.6"
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.6"
        assert pdf.docinfo["/GTS_PDFXVersion"] == "PDF/X-4"
        assert pdf.docinfo["/Trapped"] == pikepdf.Name("/False")
        assert str(pdf.docinfo["/Title"])
        xmp = pdf.Root.Metadata.read_bytes()
        assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        assert b"<pdf:Trapped>False</pdf:Trapped>" in xmp
        assert b"<xmpMM:RenditionClass>default</xmpMM:RenditionClass>" in xmp, "a master, not a proof"
        assert b"proof:pdf" not in xmp
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name("/GTS_PDFX")
        assert intent.OutputConditionIdentifier == "FOGRA39"
        assert intent.RegistryName == "http://www.color.org"
        profile = intent.DestOutputProfile
        assert profile.N == 4
        assert profile.read_bytes()[16:20] == b"CMYK", "the profile's colour space"
        assert profile.read_bytes()[12:16] == b"prtr", "an output (printer) profile"


def rectangle(page: Any, key: str) -> tuple[float, ...]:
    return tuple(float(v) for v in page.obj[key])


@pytest.mark.slow  # reads rendered print files
@pytest.mark.parametrize("name", FILES)
def test_boxes_nest_and_nothing_is_annotated(print_files: dict[str, Path], name: str) -> None:
    with pikepdf.open(print_files[name]) as pdf:
        for page in pdf.pages:
            media, bleed, trim = (rectangle(page, k) for k in ("/MediaBox", "/BleedBox", "/TrimBox"))
            assert bleed == pytest.approx(
                (trim[0] - 3 * MM, trim[1] - 3 * MM, trim[2] + 3 * MM, trim[3] + 3 * MM)
            )
            inside = [bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2], media[3] - bleed[3]]
            assert min(inside) >= 4 * MM, "a slug for the marks outside the bleed, on every side"
            assert "/Annots" not in page.obj
            assert "/CropBox" not in page.obj


RGB_OPERATORS = {"rg", "RG"}


def is_rgb(space: Any) -> bool:
    if isinstance(space, pikepdf.Name):
        return space in (pikepdf.Name.DeviceRGB, pikepdf.Name("/CalRGB"))
    if isinstance(space, pikepdf.Array):
        if space[0] == pikepdf.Name.ICCBased:
            return int(space[1].N) == 3
        return space[0] == pikepdf.Name("/CalRGB") or any(is_rgb(part) for part in list(space)[1:3])
    return False


def drawings(pdf: pikepdf.Pdf) -> Iterator[tuple[Any, Any]]:
    """Yield every content stream with its resources: pages, forms and tiling patterns, nested."""
    seen: set[tuple[int, int]] = set()

    def inside(resources: Any) -> Iterator[tuple[Any, Any]]:
        for kind in ("/XObject", "/Pattern"):
            for obj in (resources.get(kind) or {}).values() if resources is not None else ():
                if obj.objgen in seen or not isinstance(obj, pikepdf.Stream):
                    continue
                seen.add(obj.objgen)
                if obj.get("/Subtype") == pikepdf.Name.Form or obj.get("/PatternType") == 1:
                    yield obj, obj.get("/Resources", resources)
                    yield from inside(obj.get("/Resources"))

    for page in pdf.pages:
        yield page, page.obj.get("/Resources")
        yield from inside(page.obj.get("/Resources"))


def colour_use(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Count colour operators by the space they paint in: 'rgb', 'cmyk', 'registration', 'other'."""
    counts = {"rgb": 0, "cmyk": 0, "registration": 0, "other": 0}
    for owner, resources in drawings(pdf):
        spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
        current = {"cs": "other", "CS": "other"}
        for instruction in pikepdf.parse_content_stream(owner):
            op = str(instruction.operator)
            if op in RGB_OPERATORS:
                counts["rgb"] += 1
            elif op in ("k", "K"):
                counts["cmyk"] += 1
            elif op in ("cs", "CS"):
                name = instruction.operands[0]
                space = name if str(name).startswith("/Device") else spaces.get(name)
                if is_rgb(space):
                    current[op] = "rgb"
                elif space == pikepdf.Name.DeviceCMYK:
                    current[op] = "cmyk"
                elif isinstance(space, pikepdf.Array) and space[1] == pikepdf.Name("/All"):
                    current[op] = "registration"
                else:
                    current[op] = "other"
            elif op in ("sc", "scn", "SC", "SCN"):
                counts[current["cs" if op.islower() else "CS"]] += 1
    return counts


@pytest.mark.slow  # reads rendered print files
@pytest.mark.parametrize("name", FILES)
def test_every_colour_and_picture_is_cmyk(print_files: dict[str, Path], name: str) -> None:
    with pikepdf.open(print_files[name]) as pdf:
        counts = colour_use(pdf)
        assert counts["rgb"] == 0, f"RGB colour operators: {counts}"
        assert counts["cmyk"] > 50
        assert counts["registration"] >= len(pdf.pages), "marks on every page in registration colour"
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
                space = obj.get("/ColorSpace")
                if obj.get("/ImageMask") or obj.objgen in soft_masks(pdf):
                    continue
                assert not is_rgb(space), f"an RGB picture ({obj.get('/Width')} pixels wide)"
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            assert "/ShadingType" not in obj or not is_rgb(obj.get("/ColorSpace")), "an RGB gradient"
            group = obj.get("/Group")
            if group is not None:
                assert not is_rgb(group.get("/CS")), "a transparency group blended in RGB"
                assert group.get("/CS") in (None, pikepdf.Name.DeviceCMYK)


def soft_masks(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """Return the soft masks (alpha channels: one grey channel, not a colour)."""
    return {
        obj.SMask.objgen
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image and "/SMask" in obj
    }


PHOTO = CORPUS / "all-features" / "images" / "walk-in-the-hills.jpg"


def alone(image: pikepdf.Object, folder: Path) -> Path:
    """Write a picture of a PDF alone on a page of its own size (1 pt a pixel)."""
    pdf = pikepdf.new()
    width, height = int(image.Width), int(image.Height)
    pdf.add_blank_page(page_size=(width, height))
    page = pdf.pages[0].obj
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im=pdf.copy_foreign(image)))
    page.Contents = pikepdf.Stream(pdf, f"q {width} 0 0 {height} 0 0 cm /Im Do Q".encode())
    path = folder / "picture.pdf"
    pdf.save(path)
    return path


def bands(image: Image.Image) -> list[tuple[float, ...]]:
    """Return the mean colour of the top fifth (sky) and the bottom fifth (grass) of a picture."""
    from PIL import ImageStat

    rgb = image.convert("RGB")
    top = rgb.crop((0, 0, rgb.width, rgb.height // 5))
    bottom = rgb.crop((0, rgb.height * 4 // 5, rgb.width, rgb.height))
    return [tuple(ImageStat.Stat(part).mean) for part in (top, bottom)]


@pytest.mark.slow  # reads rendered print files
@needs("ghostscript", "poppler")
def test_the_photograph_is_cmyk_and_prints_in_its_own_colours(
    print_files: dict[str, Path], tmp_path: Path
) -> None:
    """The all-features booklet has a JPEG photograph (RGB): the print file carries it in CMYK.

    Ghostscript and poppler render it back close to the original's colours (a CMYK JPEG read
    without its inverting /Decode array would come out as a negative).
    """
    with pikepdf.open(print_files["all-features/standard/print"]) as pdf:
        (photo,) = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream)
            and obj.get("/Subtype") == pikepdf.Name.Image
            and obj.Width == 2000
        ]
        assert photo.ColorSpace == pikepdf.Name.DeviceCMYK
        assert photo.Filter == pikepdf.Name.DCTDecode, "a photograph stays a JPEG"
        path = alone(photo, tmp_path)
    expected = bands(Image.open(PHOTO))
    ghostscript, poppler = tmp_path / "gs.png", tmp_path / "poppler"
    gs = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m", "-r18"]
    subprocess.run([*gs, f"-sOutputFile={ghostscript}", str(path)], check=True)
    subprocess.run(["pdftoppm", "-r", "18", "-png", "-singlefile", str(path), str(poppler)], check=True)
    for tool, png in (("Ghostscript", ghostscript), ("poppler", poppler.with_suffix(".png"))):
        for got, want in zip(bands(Image.open(png)), expected, strict=True):
            assert got == pytest.approx(want, abs=30), f"{tool}: {got} for {want}"


# ---- Ghostscript separations ----


def separations(path: Path, page: int, folder: Path) -> dict[str, Image.Image]:
    """Render one page into its four process plates with Ghostscript (255: no ink, 0: full ink)."""
    subprocess.run(
        [
            "gs",
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=tiffsep",
            f"-r{DPI}",
            f"-dFirstPage={page}",
            f"-dLastPage={page}",
            f"-sOutputFile={folder / 'p.tif'}",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    return {plate: Image.open(folder / f"p({plate}).tif").convert("L") for plate in PLATES}


def inked(plate: Image.Image, box: tuple[float, ...]) -> bool:
    """Tell whether a plate carries ink in a box given in points from the page's top-left corner."""
    left, top, right, bottom = (round(v * DPI / 72) for v in box)
    darkest = plate.crop((left, top, max(right, left + 1), max(bottom, top + 1))).getextrema()[0]
    return isinstance(darkest, int) and darkest < 128  # a one-channel plate: (darkest, lightest)


def words(path: Path, page: int) -> list[tuple[str, tuple[float, ...]]]:
    """Return the words poppler reads on a page and their boxes (points from the top left)."""
    import re

    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(
        r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>', xhtml
    )
    return [(text, tuple(float(v) for v in box)) for *box, text in found]


@pytest.mark.slow  # reads rendered print files
@needs("ghostscript", "poppler")
@pytest.mark.parametrize("name", FILES)
def test_body_text_is_black_ink_alone(print_files: dict[str, Path], name: str, tmp_path: Path) -> None:
    """On a page of body text, most words print on the black plate alone, and none in rich black."""
    path = print_files[name]
    page = 2  # page 2, or the sheet side with pages 2 and n-1 (sheet 1, back)
    plates = separations(path, page, tmp_path)
    found = words(path, page)
    assert len(found) > 20
    black_only = rich = 0
    for _, box in found:
        ink = {plate for plate in PLATES if inked(plates[plate], box)}
        black_only += ink == {"Black"}
        rich += ink == set(PLATES)
    assert rich == 0, "no word in rich black (ink on all four plates)"
    assert black_only >= len(found) / 2, f"only {black_only} of {len(found)} words in black ink alone"


SMALL_PT = 14  # text under this prints in one or two inks
THIN_PT = 2  # a rule thinner than this too
TRACE = 235  # a plate value darker than this carries ink (255: none; 14 % ink is about 219)
SCANNED = [f"{slug}/{variant}/print" for slug in BOOKLETS for variant in ("standard", "large-print")] + [
    "secondary-liver-cancer/cy/easy-read/print",
    "translated/ar/standard/print",
]


def all_separations(path: Path, folder: Path) -> list[dict[str, Image.Image]]:
    """Render every page into its four plates with one Ghostscript run."""
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{DPI}",
         f"-sOutputFile={folder / 'p%03d.tif'}", str(path)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    pages = sorted(folder.glob("p[0-9][0-9][0-9].tif"))
    return [
        {plate: Image.open(folder / f"{page.stem}({plate}).tif").convert("L") for plate in PLATES}
        for page in pages
    ]


def inks(plates: dict[str, Image.Image], box: tuple[float, ...]) -> set[str]:
    """Return the plates carrying any ink in a box (points from the page's top left)."""
    left, top, right, bottom = (round(v * DPI / 72) for v in box)
    found: set[str] = set()
    for name, plate in plates.items():
        darkest = plate.crop((left, top, max(right, left + 1), max(bottom, top + 1))).getextrema()[0]
        if isinstance(darkest, int) and darkest < TRACE:
            found.add(name)
    return found


def _inside(box: tuple[float, ...], by: float) -> tuple[float, ...]:
    x0, y0, x1, y1 = box
    return (x0 + by, y0 + by, x1 - by, y1 - by) if x1 - x0 > 2 * by and y1 - y0 > 2 * by else box


@pytest.mark.slow  # reads rendered print files
@needs("ghostscript")
@pytest.mark.parametrize("name", SCANNED)
def test_small_text_and_thin_rules_print_in_one_or_two_inks(
    print_files: dict[str, Path], name: str, tmp_path: Path
) -> None:
    """On every page, text under 14 pt and rules under 2 pt carry at most two inks (none in three or four).

    The box of each line of small text (PyMuPDF) and of each thin rule inside the trim is
    looked up on Ghostscript's plates; reversed (white) text carries no ink and is left out.
    """
    import pymupdf

    path = print_files[name]
    separated = all_separations(path, tmp_path)
    with pikepdf.open(path) as pdf:  # each trim box in points from the page's top left, as PyMuPDF's
        trims = []
        for sheet in pdf.pages:
            media, trim = rectangle(sheet, "/MediaBox"), rectangle(sheet, "/TrimBox")
            trims.append((trim[0] - media[0], media[3] - trim[3], trim[2] - media[0], media[3] - trim[1]))
    doc: Any = pymupdf.open(path)  # type: ignore[no-untyped-call]
    assert len(doc) == len(separated)
    blurred, small = [], 0
    for number, (page, plates) in enumerate(zip(doc, separated, strict=True), start=1):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if span["size"] >= SMALL_PT or not span["text"].strip() or span["color"] == 0xFFFFFF:
                        continue
                    small += 1
                    used = inks(plates, _inside(span["bbox"], 1))
                    if len(used) > 2:
                        blurred.append((number, span["text"][:30], sorted(used)))
        left, top, right, bottom = trims[number - 1]
        for drawing in page.get_drawings():
            rect = drawing["rect"]
            thin, long = min(rect.width, rect.height), max(rect.width, rect.height)
            inside = left <= rect.x0 and rect.x1 <= right and top <= rect.y0 and rect.y1 <= bottom
            if thin < THIN_PT and long > 5 and inside:
                used = inks(plates, tuple(rect))
                if len(used) > 2:
                    blurred.append((number, f"rule {tuple(round(v) for v in rect)}", sorted(used)))
    assert small > 50 or "standard" not in name  # large print and easy read set nothing under 14 pt
    assert not blurred, blurred[:10]


@pytest.mark.slow  # reads rendered print files
@needs("ghostscript")
@pytest.mark.parametrize("name", [f"translated/{lang}/standard/print" for lang in ("pl", "ar")])
def test_the_draft_band_bleeds(print_files: dict[str, Path], name: str, tmp_path: Path) -> None:
    """A draft's yellow band reaches the bleed box at the top and both sides, cover and inside pages."""
    path = print_files[name]
    with pikepdf.open(path) as pdf:
        page = pdf.pages[1]
        media, bleed, trim = (rectangle(page, k) for k in ("/MediaBox", "/BleedBox", "/TrimBox"))
    top = media[3]
    for number in (1, 2):
        yellow = separations(path, number, tmp_path)["Yellow"]
        bleed_top, trim_top = top - bleed[3], top - trim[3]
        bleed_left, bleed_right = bleed[0] - media[0], bleed[2] - media[0]
        centre = (bleed_left + bleed_right) / 2
        assert inked(yellow, (centre - 20, bleed_top + 1, centre + 20, trim_top - 1)), "above the trim"
        for x in (bleed_left + 1, bleed_right - 4):
            assert inked(yellow, (x, trim_top + 5, x + 3, trim_top + 15)), f"in the side bleed, page {number}"


@pytest.mark.slow  # reads rendered print files
@needs("ghostscript")
@pytest.mark.parametrize("name", FILES)
def test_crop_marks_print_on_every_plate_in_the_slug(
    print_files: dict[str, Path], name: str, tmp_path: Path
) -> None:
    """On a white page (page 2, or the sheet side with it), the marks are in the slug, on every plate.

    The bleed looked at is the bottom-left corner's: a draft's band fills the top of the bleed.
    """
    path = print_files[name]
    with pikepdf.open(path) as pdf:
        page = pdf.pages[1]
        media, bleed, trim = (rectangle(page, k) for k in ("/MediaBox", "/BleedBox", "/TrimBox"))
    plates = separations(path, 2, tmp_path)
    top = media[3]  # boxes below are in points from the page's top left
    trim_left, trim_top = trim[0] - media[0], top - trim[3]
    bleed_left = bleed[0] - media[0]
    mark = (0, trim_top - 1, bleed_left - 1, trim_top + 1)  # along the top trim line, left of the bleed
    trim_bottom, bleed_bottom = top - trim[1], top - bleed[1]
    bleed_corner = (bleed_left + 1, trim_bottom + 1, trim_left - 1, bleed_bottom - 1)
    for plate in PLATES:
        assert inked(plates[plate], mark), f"the top-left crop mark on the {plate} plate"
        assert not inked(plates[plate], bleed_corner), f"no mark in the bleed on the {plate} plate"


# ---- Right-to-left: bound on the right ----


def half_text(path: Path, page: int, half: int | None = None) -> Counter[str]:
    """Return the characters poppler reads on a page, or on its left (0) or right (1) half only.

    Characters, not words: poppler may break a Gurmukhi or Bengali word in two on one file and
    not on the other (ਲੈਣੀ, ਲੈ ਣੀ: a mark placed off its pen position, read without the line's
    /ActualText when a page is cut in half).
    """
    crop: list[str] = []
    if half is not None:
        with pikepdf.open(path) as pdf:
            width = float(pdf.pages[page - 1].mediabox[2])
        crop = ["-x", str(round(half * width / 2)), "-y", "0", "-W", str(round(width / 2)), "-H", "5000"]
    done = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), *crop, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Counter("".join(done.stdout.split()))


def sheet_pages(print_file: Path, imposed: Path) -> list[tuple[int, int]]:
    """Return the (left, right) print-file pages of every imposed sheet side, read back by their words."""
    with pikepdf.open(print_file) as pdf:
        count = len(pdf.pages)
    with pikepdf.open(imposed) as pdf:
        sides = len(pdf.pages)
    pages = [half_text(print_file, n) for n in range(1, count + 1)]
    found = []
    for side in range(1, sides + 1):
        pair = []
        for half in (0, 1):
            text = half_text(imposed, side, half)
            same = [n for n, page in enumerate(pages, start=1) if page == text]
            assert len(same) == 1, f"side {side}, half {half}: matches pages {same}"
            pair.append(same[0])
        found.append((pair[0], pair[1]))
    return found


@pytest.mark.slow  # reads rendered print files
@needs("poppler")
@pytest.mark.parametrize("lang", TRANSLATED)
def test_sheets_fold_into_a_booklet_bound_on_the_side_its_language_reads_from(
    print_files: dict[str, Path], lang: str
) -> None:
    """Read each half of each sheet side back; fold the stack and turn the pages as its reader does.

    Left to right (Polish, Bengali...): the cover right of the spine on the open outer sheet,
    reading goes right of each front, left of each back. Right to left (Arabic, Urdu): mirrored.
    """
    sides = sheet_pages(
        print_files[f"translated/{lang}/standard/print"], print_files[f"translated/{lang}/standard/imposed"]
    )
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]  # (front, back) of each sheet
    rtl = lang in RIGHT_TO_LEFT
    first, second = (0, 1) if rtl else (1, 0)  # which half of a front carries the first half's page
    first_half = [n for front, back in sheets for n in (front[first], back[second])]
    second_half = [n for front, back in reversed(sheets) for n in (back[first], front[second])]
    assert first_half + second_half == list(range(1, 2 * len(sides) + 1))
    assert sides[0] == ((1, 2 * len(sides)) if rtl else (2 * len(sides), 1)), "the cover and the back cover"


# ---- Units of the finishing step ----


def test_black_grey_and_white_become_black_ink_alone() -> None:
    colours = cmyk.Colours()
    assert colours.cmyk([0, 0, 0]) == (0, 0, 0, 1)
    assert colours.cmyk([1, 1, 1]) == (0, 0, 0, 0)
    assert colours.cmyk([0.5, 0.5, 0.5])[:3] == (0, 0, 0)
    assert colours.cmyk([0x1A / 255] * 3) == (0, 0, 0, 1), "the palette's ink is 100 % K in print.css"
    assert colours.cmyk([0x0B / 255, 0x4F / 255, 0x5C / 255]) == (0.88, 0, 0, 0.64), "the brand, in two inks"
    red = colours.cmyk([0.8, 0.1, 0.1])
    assert red[0] < 0.1 < red[1], "other colours through the profile: red is magenta and yellow"


def test_crop_marks_lie_on_the_trim_lines_outside_the_bleed() -> None:
    trim = (0.0, 0.0, 100.0, 200.0)
    left, bottom, right, top = prepress.grown(trim, 3 * MM)
    stream = prepress.crop_marks(trim, folds=[50]).decode()
    assert stream.startswith("q /Reg CS 1 SCN")
    lines = [
        [float(v) for v in line.split()[:5] if v != "m"]
        for line in stream.splitlines()
        if line.endswith(" l S")
    ]
    assert len(lines) == 8 + 2, "two marks at each corner, one at each end of the fold"
    for x0, y0, x1, y1 in lines:
        assert x0 == x1 or y0 == y1
        assert (x0 in (0, 50, 100) and x0 == x1) or (y0 in (0, 200) and y0 == y1), "on a trim or fold line"
        for x, y in ((x0, y0), (x1, y1)):
            assert not (left < x < right and bottom < y < top), "outside the bleed"
        assert min(abs(x0 - x1) + abs(y0 - y1), 99) == pytest.approx(3.5 * MM, abs=0.01)


def picture(pdf: pikepdf.Pdf, data: bytes, width: int, height: int, space: Any) -> pikepdf.Stream:
    """Return an 8-bit image XObject."""
    image = pikepdf.Stream(pdf, data)
    image[pikepdf.Name.Type] = pikepdf.Name.XObject
    image[pikepdf.Name.Subtype] = pikepdf.Name.Image
    image[pikepdf.Name.Width], image[pikepdf.Name.Height] = width, height
    image[pikepdf.Name.BitsPerComponent] = 8
    image[pikepdf.Name.ColorSpace] = space
    return image


def tiny_print_file() -> bytes:
    """Return a one-page PDF as WeasyPrint might write it, with every kind of RGB the finisher meets."""
    from PIL import ImageCms

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 300))
    page = pdf.pages[0].obj
    page.BleedBox = pikepdf.Array([0, 0, 200, 300])
    page.TrimBox = pikepdf.Array([8.5, 8.5, 191.5, 291.5])
    srgb = pikepdf.Stream(pdf, ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    srgb[pikepdf.Name.N] = 3
    indexed = pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, 1, b"\xff\x00\x00\x00\x00\xff"])
    palette = picture(pdf, bytes([0, 1]), 2, 1, indexed)  # red, blue
    photo = picture(pdf, bytes(range(12)), 2, 2, pikepdf.Name.DeviceRGB)
    photo[pikepdf.Name.SMask] = picture(pdf, bytes([255, 128, 0, 255]), 2, 2, pikepdf.Name.DeviceGray)
    jpeg = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(jpeg, "JPEG")
    snapshot = picture(pdf, b"", 8, 8, pikepdf.Name.DeviceRGB)
    snapshot.write(jpeg.getvalue(), filter=pikepdf.Name.DCTDecode)
    fade = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 1, 1], C1=[0, 0, 0], N=1)
    gradient = pikepdf.Dictionary(ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB, Coords=[0, 0, 1, 0])
    gradient.Function = pikepdf.Dictionary(FunctionType=3, Domain=[0, 1], Bounds=[], Encode=[0, 1])
    gradient.Function.Functions = pikepdf.Array([fade])
    page.Resources = pikepdf.Dictionary(
        ColorSpace=pikepdf.Dictionary(CsR=pikepdf.Array([pikepdf.Name.ICCBased, srgb])),
        XObject=pikepdf.Dictionary(Im0=palette, Im1=photo, Im2=snapshot),
        Shading=pikepdf.Dictionary(Sh0=pdf.make_indirect(gradient)),
    )
    page.Group = pikepdf.Dictionary(
        Type=pikepdf.Name.Group, S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB
    )
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link)
    page.Annots = pikepdf.Array([pdf.make_indirect(link)])
    page.Contents = pikepdf.Stream(
        pdf,
        b"0 0 0 rg 10 10 20 20 re f 0.8 0.1 0.1 RG 30 30 m 60 60 l S /CsR cs 0.5 0.5 0.5 scn 40 40 5 5 re f"
        b" q 20 0 0 10 50 50 cm /Im0 Do Q q 20 0 0 20 80 80 cm /Im1 Do Q q 100 0 0 10 0 200 cm /Sh0 sh Q",
    )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_finishing_makes_every_kind_of_rgb_cmyk() -> None:
    with pikepdf.open(io.BytesIO(prepress.finish(tiny_print_file()))) as pdf:
        page = pdf.pages[0]
        instructions = [
            (str(i.operator), [float(v) for v in i.operands if isinstance(v, int | Decimal)])
            for i in pikepdf.parse_content_stream(page)
        ]
        assert ("k", [0, 0, 0, 1]) in instructions, "black is black ink alone"
        grey = next(values for op, values in instructions if op == "scn")
        assert grey == pytest.approx([0, 0, 0, 0.5], abs=0.01), "grey is black ink alone"
        stroke = next(values for op, values in instructions if op == "K")
        assert stroke[0] < 0.1 < stroke[1], "red through the profile: magenta and yellow"
        assert colour_use(pdf)["rgb"] == 0
        images = page.obj.Resources.XObject
        for name in ("/Im0", "/Im1", "/Im2"):
            assert images[name].ColorSpace == pikepdf.Name.DeviceCMYK
        for name in ("/Im0", "/Im1"):  # lossless
            assert len(images[name].read_bytes()) == images[name].Width * images[name].Height * 4
        assert images["/Im2"].Filter == pikepdf.Name.DCTDecode, "a JPEG stays a JPEG"
        assert list(images["/Im2"].Decode) == [1, 0] * 4, "Adobe's inverted CMYK, read the right way round"
        assert images["/Im1"].SMask.ColorSpace == pikepdf.Name.DeviceGray, "the alpha channel stays"
        assert page.obj.Group.CS == pikepdf.Name.DeviceCMYK
        shading = page.obj.Resources.Shading.Sh0
        assert shading.ColorSpace == pikepdf.Name.DeviceCMYK
        assert list(shading.Function.Functions[0].C0) == [0, 0, 0, 0], "a white to black gradient"
        assert list(shading.Function.Functions[0].C1) == [0, 0, 0, 1], "in black ink alone"
        assert "/Annots" not in page.obj
        assert [float(v) for v in page.obj.MediaBox] == pytest.approx(
            [8.5 - 8 * MM, 8.5 - 8 * MM, 191.5 + 8 * MM, 291.5 + 8 * MM]
        )
        assert pdf.docinfo["/GTS_PDFXVersion"] == "PDF/X-4"
        assert pdf.Root.OutputIntents[0].DestOutputProfile.N == 4
