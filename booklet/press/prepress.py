"""PDF/X-4 finishing of print files: CMYK only, a slug with registration marks, no links.

WeasyPrint lays the print file out with 3 mm bleed and a CMYK output intent
(``styles/print.css``); :func:`finish` then makes it what a printer's preflight accepts:

- every colour CMYK: colours, pictures and gradients that content brings in as RGB
  (figures, photographs, pictograms, the QR code) are converted (``cmyk.py``);
- the MediaBox grown past the BleedBox by a slug on every side, the page clipped to its
  bleed, and crop marks drawn in the slug, offset from the trim, in the registration
  colour (``/Separation /All``: they print on every plate);
- no annotations (the links stay in the screen PDFs);
- ``GTS_PDFXVersion`` and ``Trapped`` in the Info dictionary (WeasyPrint writes them in
  the XMP), and the output intent named as the registered condition FOGRA39;
- the XMP ``RenditionClass`` ``default`` (the master to print from), not WeasyPrint's
  ``proof:pdf``, which says the file is a proof.

:func:`identify` gives imposed sheets the same identification, metadata and intent.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from ..errors import RenderError
from . import cmyk

PDFX_VERSION = "PDF/X-4"
PDF_VERSION = "1.6"  # PDF/X-4 is built on PDF 1.6 (transparency, object streams)
OUTPUT_CONDITION = "FOGRA39"  # the registered characterisation the profile is fitted to
CONDITION_TEXT = "Offset printing, coated paper (ISO 12647-2:2004/Amd 1, FOGRA39)"
REGISTRY = "http://www.color.org"
RENDITION_RE = re.compile(rb"(<xmpMM:RenditionClass>)[^<]*(</xmpMM:RenditionClass>)")
RENDITION = b"default"  # XMP Media Management: the master, not a proof (WeasyPrint writes proof:pdf)

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
    cmyk.write(clip, f"q {left:.3f} {bottom:.3f} {right - left:.3f} {top - bottom:.3f} re W n\n".encode())
    marks = pikepdf.Stream(pdf, b"")
    cmyk.write(marks, b"\nQ\n" + crop_marks(trim))
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
        cmyk.write(profile, cmyk.PROFILE.read_bytes())
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
    _rendition(pdf)


def _rendition(pdf: Pdf) -> None:
    """Mark the XMP metadata's rendition as the master to print from."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return
    xmp = metadata.read_bytes()
    master = RENDITION_RE.sub(rb"\g<1>" + RENDITION + rb"\g<2>", xmp)
    if master != xmp:
        metadata.write(master)


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
        cmyk.make_cmyk(pdf)
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
