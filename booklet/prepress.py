"""PDF/X-4 finishing of print files: CMYK only, a slug with registration marks, no links.

WeasyPrint lays the print file out with 3 mm bleed and a CMYK output intent
(``styles/print.css``); :func:`finish` then makes it what a printer's preflight accepts:

- every colour CMYK: colours that content brings in as RGB (figures, pictograms, the QR
  code) are converted here. Greys and black go to black ink alone (``0 0 0 1 k`` for
  black), white to no ink; the palette's colours to their CMYK values in print.css; any
  other colour, every RGB picture and every RGB gradient, through the output profile
  (sRGB to FOGRA39);
- the MediaBox grown past the BleedBox by a slug on every side, the page clipped to its
  bleed, and crop marks drawn in the slug, offset from the trim, in the registration
  colour (``/Separation /All``: they print on every plate);
- no annotations (the links stay in the screen PDFs);
- ``GTS_PDFXVersion`` and ``Trapped`` in the Info dictionary (WeasyPrint writes them in
  the XMP), and the output intent named as the registered condition FOGRA39.

:func:`identify` gives imposed sheets the same identification, metadata and intent.
"""

from __future__ import annotations

import functools
import io
import re
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, Pdf

from .errors import RenderError

STYLES = Path(__file__).resolve().parent.parent / "styles"
PROFILE = STYLES / "colour" / "FOGRA39-booklet.icc"
PDFX_VERSION = "PDF/X-4"
PDF_VERSION = "1.6"  # PDF/X-4 is built on PDF 1.6 (transparency, object streams)
OUTPUT_CONDITION = "FOGRA39"  # the registered characterisation the profile is fitted to
CONDITION_TEXT = "Offset printing, coated paper (ISO 12647-2:2004/Amd 1, FOGRA39)"
REGISTRY = "http://www.color.org"

MM = 72 / 25.4
BLEED_MM = 3.0  # styles/print.css: @page { bleed: 3mm }
MARK_OFFSET_MM = 3.5  # crop marks start this far from the trim: 0.5 mm outside the bleed
MARK_LENGTH_MM = 3.5
SLUG_MM = 8.0  # a page's MediaBox is its TrimBox grown by this on every side
MARK_WIDTH_PT = 0.25
REGISTRATION = "/Reg"  # the colour space name the marks use in a page's resources

Box = tuple[float, float, float, float]  # left, bottom, right, top in points


# ---- Marks ----


def registration_space() -> list[Any]:
    """Return the registration colour: a separation called All, which prints on every plate."""
    tint = {"/FunctionType": 2, "/Domain": [0, 1], "/C0": [0, 0, 0, 0], "/C1": [1, 1, 1, 1], "/N": 1}
    return ["/Separation", "/All", "/DeviceCMYK", tint]


def crop_marks(trim: Box, folds: Sequence[float] = ()) -> bytes:
    """Return a content stream drawing crop marks at the corners of ``trim`` (and fold marks).

    Each mark lies on a trim line, from MARK_OFFSET_MM to MARK_OFFSET_MM + MARK_LENGTH_MM
    outside the trim, so it is clear of the bleed. ``folds`` are x positions of folds,
    marked at the top and bottom edge in the same way. Colour: the registration space
    named :data:`REGISTRATION` in the resources.
    """
    near, far = MARK_OFFSET_MM * MM, (MARK_OFFSET_MM + MARK_LENGTH_MM) * MM
    left, bottom, right, top = trim
    lines = []
    for x, dx in ((left, -1), (right, 1)):
        for y, dy in ((bottom, -1), (top, 1)):
            lines.append((x + dx * near, y, x + dx * far, y))  # the horizontal trim line, outside
            lines.append((x, y + dy * near, x, y + dy * far))  # the vertical one
    for x in folds:
        lines.extend(((x, bottom - near, x, bottom - far), (x, top + near, x, top + far)))
    drawing = [f"q {REGISTRATION} CS 1 SCN {MARK_WIDTH_PT} w 0 J []0 d"]
    drawing += [f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S" for x0, y0, x1, y1 in lines]
    drawing.append("Q")
    return "\n".join(drawing).encode()


def grown(box: Box, by: float) -> Box:
    """Return ``box`` grown by ``by`` points on every side."""
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


# ---- Colours ----


def _palette() -> dict[tuple[int, int, int], tuple[float, ...]]:
    """Return the palette: each base.css colour (RGB) and its print.css CMYK value."""
    pattern = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
    screen = dict(pattern.findall((STYLES / "base.css").read_text(encoding="utf-8")))
    printed = dict(pattern.findall((STYLES / "print.css").read_text(encoding="utf-8")))
    palette = {}
    for name, value in screen.items():
        hexa = re.fullmatch(r"#([0-9a-fA-F]{6})\s*(?:/\*.*)?", value.strip())
        cmyk = re.fullmatch(r"device-cmyk\(([\d. ]+)\)", printed.get(name, "").strip())
        if hexa and cmyk:
            rgb = bytes.fromhex(hexa.group(1))
            palette[(rgb[0], rgb[1], rgb[2])] = tuple(float(v) for v in cmyk.group(1).split())
    return palette


@functools.cache
def _transform() -> Any:
    """Return the sRGB to FOGRA39 transform of Pillow's colour engine (perceptual intent)."""
    from PIL import ImageCms

    srgb = ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(srgb, str(PROFILE), "RGB", "CMYK", ImageCms.Intent.PERCEPTUAL)


class _Colours:
    """Convert RGB colour values to CMYK, remembering each one."""

    def __init__(self) -> None:
        self.palette = _palette()
        self.known: dict[tuple[int, int, int], tuple[float, ...]] = {}

    def cmyk(self, values: Sequence[Any]) -> tuple[float, ...]:
        """Return the CMYK value for an RGB one (each 0 to 1)."""
        rgb = tuple(max(0, min(255, round(float(v) * 255))) for v in values)
        key = (rgb[0], rgb[1], rgb[2])
        if key not in self.known:
            self.known[key] = self._convert(key)
        return self.known[key]

    def _convert(self, rgb: tuple[int, int, int]) -> tuple[float, ...]:
        if rgb in self.palette:
            return self.palette[rgb]
        if rgb[0] == rgb[1] == rgb[2]:  # grey, black or white: black ink alone
            return (0.0, 0.0, 0.0, round(1 - rgb[0] / 255, 4))
        from PIL import Image, ImageCms

        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), _transform())
        assert pixel is not None  # applyTransform returns None only when told to work in place
        return tuple(round(v / 255, 4) for v in cast(tuple[int, ...], pixel.getpixel((0, 0))))


def _is_rgb(space: Any) -> bool:
    """Tell whether a colour space object is RGB: DeviceRGB, CalRGB or an ICC profile of 3."""
    if isinstance(space, Name):
        return space in (Name.DeviceRGB, Name("/CalRGB"))
    if isinstance(space, Array) and len(space) > 0:
        kind = space[0]
        if kind == Name.ICCBased:
            return int(space[1].get("/N", 0)) == 3
        if kind == Name("/CalRGB"):
            return True
    return False


def _rgb_picture(space: Any) -> bool:
    """Tell whether a picture's colour space is RGB, or a palette of RGB colours (Indexed)."""
    if isinstance(space, Array) and len(space) > 1 and space[0] == Name.Indexed:
        return _is_rgb(space[1])
    return _is_rgb(space)


def _space(resources: Any, name: Any) -> Any:
    """Return the colour space a content stream names (a device space, or one in its resources)."""
    if str(name).startswith("/Device") or name == Name.Pattern:
        return name
    spaces = resources.get("/ColorSpace") if resources is not None else None
    return spaces.get(name) if spaces is not None else None


def _numbers(operands: Sequence[Any]) -> list[Any]:
    return [o for o in operands if not isinstance(o, Name)]


def _recolour(stream_owner: Any, resources: Any, colours: _Colours) -> tuple[list[Any], int]:
    """Return a content stream's instructions with every RGB colour made CMYK, and how many."""
    out: list[tuple[Any, Any]] = []
    changed = 0
    rgb_now = {"cs": False, "CS": False}  # is the current fill / stroke colour space RGB?
    for instruction in pikepdf.parse_content_stream(stream_owner):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append((instruction.operands, instruction.operator))
            continue
        operands, operator = list(instruction.operands), instruction.operator
        op = str(operator)
        if op in ("rg", "RG"):
            out.append((colours.cmyk(operands), Operator("k" if op == "rg" else "K")))
            changed += 1
            continue
        if op in ("cs", "CS"):
            rgb_now[op] = _is_rgb(_space(resources, operands[0]))
            if rgb_now[op]:
                out.append(([Name.DeviceCMYK], operator))
                changed += 1
                continue
        if op in ("sc", "scn", "SC", "SCN") and rgb_now["cs" if op.islower() else "CS"]:
            out.append((colours.cmyk(_numbers(operands)), operator))
            changed += 1
            continue
        out.append((operands, operator))
    return out, changed


def _write(stream: Any, data: bytes) -> None:
    """Replace a stream's data with ``data``, Flate-compressed."""
    stream.write(zlib.compress(data, 6), filter=Name.FlateDecode)


def _owners(pdf: Pdf) -> Iterator[tuple[Any, Any]]:
    """Yield every content stream with the resources it draws with: pages, forms, patterns."""
    seen: set[tuple[int, int]] = set()

    def inside(resources: Any) -> Iterator[tuple[Any, Any]]:
        if resources is None:
            return
        for kind in ("/XObject", "/Pattern"):
            for obj in (resources.get(kind) or {}).values():
                if not isinstance(obj, pikepdf.Stream) or obj.objgen in seen:
                    continue
                if obj.get("/Subtype") == Name.Form or obj.get("/PatternType") == 1:
                    seen.add(obj.objgen)
                    own = obj.get("/Resources", resources)
                    yield obj, own
                    yield from inside(own)

    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        yield page, resources
        yield from inside(resources)


JPEG_QUALITY = 90  # a photograph converted to CMYK is stored as a JPEG again, at this quality
ADOBE_DECODE = [1, 0] * 4  # Pillow writes CMYK JPEGs inverted, as Adobe does: /Decode turns them back


def _convert_image(image: Any) -> None:
    """Turn an RGB picture into CMYK through the output profile (its soft mask stays as it is).

    A JPEG stays a JPEG (inverted CMYK, with the /Decode array that Acrobat, Ghostscript
    and poppler read it with); any other picture is stored losslessly (Flate).
    """
    from PIL import ImageCms

    if isinstance(image.get("/Mask"), Array):
        raise RenderError(
            "a picture with a colour-key mask (RGB values) cannot be made CMYK; use a PNG with alpha"
        )
    filters = image.get("/Filter")
    jpeg = filters == Name.DCTDecode or (isinstance(filters, Array) and Name.DCTDecode in list(filters))
    picture = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
    cmyk = ImageCms.applyTransform(picture, _transform())
    assert cmyk is not None  # applyTransform returns None only when told to work in place
    for key in ("/DecodeParms", "/Decode", "/Intent"):
        if key in image:
            del image[key]
    if jpeg:
        data = io.BytesIO()
        cmyk.save(data, "JPEG", quality=JPEG_QUALITY)
        image.write(data.getvalue(), filter=Name.DCTDecode)
        image.Decode = Array(ADOBE_DECODE)
    else:
        _write(image, cmyk.tobytes())
    image.ColorSpace = Name.DeviceCMYK
    image.BitsPerComponent = 8


def _convert_function(function: Any, colours: _Colours) -> None:
    """Make a gradient's colour function give CMYK: exponential (C0 to C1) or stitched ones."""
    kind = int(function.get("/FunctionType", -1))
    if kind == 2:
        for key in ("/C0", "/C1"):
            rgb = function.get(key, Array([0, 0, 0] if key == "/C0" else [1, 1, 1]))
            function[key] = Array(colours.cmyk(list(rgb)))
    elif kind == 3:
        for part in function.Functions:
            _convert_function(part, colours)
    else:
        raise RenderError(f"a gradient with a colour function of type {kind} cannot be made CMYK")


def _convert_shading(shading: Any, colours: _Colours) -> None:
    """Make an RGB gradient (axial or radial shading) CMYK."""
    function = shading.get("/Function")
    if function is None or isinstance(function, Array):
        raise RenderError("a gradient without a single colour function cannot be made CMYK")
    _convert_function(function, colours)
    shading.ColorSpace = Name.DeviceCMYK


def make_cmyk(pdf: Pdf) -> None:
    """Convert every RGB colour and picture of a PDF to CMYK (see the module docstring)."""
    colours = _Colours()
    for owner, resources in list(_owners(pdf)):
        instructions, changed = _recolour(owner, resources, colours)
        if changed:
            if isinstance(owner, pikepdf.Page):
                owner.contents_coalesce()
                owner = owner.obj.Contents
            _write(owner, pikepdf.unparse_content_stream(instructions))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Image:
            if _rgb_picture(obj.get("/ColorSpace")):
                _convert_image(obj)
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        if "/ShadingType" in obj and _is_rgb(obj.get("/ColorSpace")):
            _convert_shading(obj, colours)
        group = obj.get("/Group")
        if group is not None and _is_rgb(group.get("/CS")):
            group.CS = Name.DeviceCMYK


# ---- The page and the file ----


def _box(value: Any) -> Box:
    left, bottom, right, top = (float(v) for v in value)
    return (min(left, right), min(bottom, top), max(left, right), max(bottom, top))


def add_slug(pdf: Pdf, page: pikepdf.Page, colour: Any) -> None:
    """Grow a page's MediaBox into a slug, clip the page to its bleed and draw crop marks there.

    ``colour`` is the registration colour space (:func:`registration`) the marks are drawn in.
    """
    trim = _box(page.obj.get("/TrimBox", page.obj.MediaBox))
    bleed = _box(page.obj.get("/BleedBox", page.obj.MediaBox))
    clip = pikepdf.Stream(pdf, b"")
    left, bottom, right, top = bleed
    _write(clip, f"q {left:.3f} {bottom:.3f} {right - left:.3f} {top - bottom:.3f} re W n\n".encode())
    marks = pikepdf.Stream(pdf, b"")
    _write(marks, b"\nQ\n" + crop_marks(trim))
    page.contents_add(clip, prepend=True)
    page.contents_add(marks, prepend=False)
    resources = page.obj.Resources
    if "/ColorSpace" not in resources:
        resources.ColorSpace = Dictionary()
    resources.ColorSpace[REGISTRATION] = colour
    page.obj.MediaBox = Array(grown(trim, SLUG_MM * MM))
    page.obj.BleedBox = Array(bleed)
    page.obj.TrimBox = Array(trim)
    if "/CropBox" in page.obj:
        del page.obj["/CropBox"]


def registration(pdf: Pdf) -> Any:
    """Return the registration colour space as an object of ``pdf`` (see registration_space)."""
    kind, name, alternate, tint = registration_space()
    return pdf.make_indirect(Array([Name(kind), Name(name), Name(alternate), Dictionary(tint)]))


def _output_intent(pdf: Pdf) -> None:
    """Name the output intent as the registered FOGRA39 condition (adding it when missing)."""
    intents = pdf.Root.get("/OutputIntents")
    if intents is None or len(intents) == 0:
        profile = pikepdf.Stream(pdf, b"")
        _write(profile, PROFILE.read_bytes())
        profile.N = 4
        added = pdf.make_indirect(
            Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX, DestOutputProfile=profile)
        )
        pdf.Root.OutputIntents = Array([added])
        intents = pdf.Root.OutputIntents
    for intent in intents:
        intent.OutputConditionIdentifier = OUTPUT_CONDITION
        intent.OutputCondition = CONDITION_TEXT
        intent.RegistryName = REGISTRY
        intent.Info = "Coated FOGRA39, fitted by ArgyllCMS from FOGRA39L.ti3 (styles/colour/)"


def _identify(pdf: Pdf) -> None:
    """Give the Info dictionary the PDF/X version and trapping state (the XMP has them)."""
    pdf.docinfo[Name("/GTS_PDFXVersion")] = PDFX_VERSION
    pdf.docinfo[Name.Trapped] = Name("/False")
    _output_intent(pdf)


def _save(pdf: Pdf) -> bytes:
    out = io.BytesIO()
    # compress_streams=False: the XMP stays uncompressed as WeasyPrint wrote it (new streams
    # are compressed by _write); the /ID is a hash of the content, so the bytes are reproducible.
    pdf.save(out, force_version=PDF_VERSION, compress_streams=False, deterministic_id=True)
    return out.getvalue()


def _open(data: bytes) -> Pdf:
    try:
        return Pdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        raise RenderError(f"the print file is not a readable PDF ({exc})") from None


def finish(data: bytes) -> bytes:
    """Return a WeasyPrint print file made ready for the printer (see the module docstring)."""
    with _open(data) as pdf:
        make_cmyk(pdf)
        colour = registration(pdf)
        for page in pdf.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            add_slug(pdf, page, colour)
        _identify(pdf)
        return _save(pdf)


def identify(data: bytes, source: bytes) -> bytes:
    """Return imposed sheets with the print file's Info, XMP metadata and output intent."""
    with _open(data) as pdf, _open(source) as original:
        for key, value in original.docinfo.items():
            pdf.docinfo[key] = value
        for key in ("/Metadata", "/OutputIntents", "/Lang"):
            if key in original.Root:
                pdf.Root[key] = pdf.copy_foreign(original.make_indirect(original.Root[key]))
        _identify(pdf)
        return _save(pdf)
