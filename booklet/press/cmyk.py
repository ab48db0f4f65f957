"""CMYK for the printer: every RGB colour, picture and gradient of a PDF converted.

Greys and black go to black ink alone (``0 0 0 1 k`` for black, never a rich black),
white to no ink; the palette's colours (base.css) to their CMYK values in print.css; any
other colour, every RGB picture and every RGB gradient through the output profile
(sRGB to FOGRA39, perceptual, with Pillow's LittleCMS). A JPEG photograph stays a JPEG.
Used by prepress.finish on print files, after WeasyPrint has rendered them.
"""

from __future__ import annotations

import functools
import io
import re
import zlib
from collections.abc import Iterator, Sequence
from typing import Any, cast

import pikepdf
from pikepdf import Array, Name, Operator, Pdf

from ..errors import RenderError
from ..paths import STYLES

PROFILE = STYLES / "colour" / "FOGRA39-booklet.icc"  # the output intent's profile (styles/colour/)


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


class Colours:
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


def _recolour(stream_owner: Any, resources: Any, colours: Colours) -> tuple[list[Any], int]:
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


def write(stream: Any, data: bytes) -> None:
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
        write(image, cmyk.tobytes())
    image.ColorSpace = Name.DeviceCMYK
    image.BitsPerComponent = 8


def _convert_function(function: Any, colours: Colours) -> None:
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


def _convert_shading(shading: Any, colours: Colours) -> None:
    """Make an RGB gradient (axial or radial shading) CMYK."""
    function = shading.get("/Function")
    if function is None or isinstance(function, Array):
        raise RenderError("a gradient without a single colour function cannot be made CMYK")
    _convert_function(function, colours)
    shading.ColorSpace = Name.DeviceCMYK


def make_cmyk(pdf: Pdf) -> None:
    """Convert every RGB colour and picture of a PDF to CMYK (see the module docstring)."""
    colours = Colours()
    for owner, resources in list(_owners(pdf)):
        instructions, changed = _recolour(owner, resources, colours)
        if changed:
            if isinstance(owner, pikepdf.Page):
                owner.contents_coalesce()
                owner = owner.obj.Contents
            write(owner, pikepdf.unparse_content_stream(instructions))
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
