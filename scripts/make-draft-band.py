"""Write the DRAFT bands: styles/draft-band.svg, and each language's draft-band-<tag>.svg and draft-<tag>.css.

A band is an artifact on every page of a draft (styles/draft.css). Drawn as text, it would
be prose that every reader skips (outloud's TAG-002), so its words are shapes; a screen
reader hears "draft" once, in "About this information". The words are each catalogue's
``draft.band`` (booklet/source/messages/<tag>.yml), set in the bold fonts of the language's chain
(booklet/languages.py) and shaped by HarfBuzz (uharfbuzz): Arabic letters join, Bengali and
Gurmukhi vowel signs go where they belong, right-to-left runs are laid out from the right.
A translation's stylesheet draft-<tag>.css puts its band in place of the English one.

Run it again after changing the words or the fonts (uharfbuzz comes with the dev extra):
python scripts/make-draft-band.py
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from booklet.languages import LANGUAGES, LATIN
from booklet.render.html import draft_band, draft_stylesheets
from booklet.source import messages

ROOT = Path(__file__).resolve().parent.parent
FONTS, STYLES = ROOT / "fonts", ROOT / "styles"
YELLOW, BLACK = "#ffd60a", "#000000"  # 17:1
KEY = "draft.band"
NEUTRAL = ("Zs", "Pd", "Po", "Ps", "Pe")  # spaces and punctuation: they keep the font of the run they are in


@dataclass
class Face:
    """One bold font: fontTools for outlines and metrics, HarfBuzz for shaping."""

    family: str
    ttf: TTFont
    hb_font: hb.Font
    scale: float  # font units to the band's units (1000 an em)

    def has(self, char: str) -> bool:
        return ord(char) in self.ttf.getBestCmap()


def bold_faces() -> dict[str, Face]:
    """Return the bold font of each family of fonts/, by family name."""
    faces = {}
    for path in sorted(FONTS.glob("*-Bold.ttf")):
        ttf = TTFont(path)
        family = ttf["name"].getBestFamilyName()
        hb_font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
        faces[family] = Face(family, ttf, hb_font, 1000 / ttf["head"].unitsPerEm)
    return faces


def runs(words: str, chain: list[Face]) -> list[tuple[Face, str]]:
    """Split words into runs of one font each: the first of the chain that has a character.

    A space or a punctuation mark stays in the run it is in when that font has it, so that
    a line of Arabic is not cut into words set apart.
    """
    found: list[tuple[Face, str]] = []
    for char in words:
        face = next((f for f in chain if f.has(char)), None)
        if face is None:
            raise SystemExit(f"{char!r} (U+{ord(char):04X}) of {words!r} is in no font of {chain}")
        if found and unicodedata.category(char) in NEUTRAL and found[-1][0].has(char):
            face = found[-1][0]
        if found and found[-1][0] is face:
            found[-1] = (face, found[-1][1] + char)
        else:
            found.append((face, char))
    return found


def outline(words: str, chain: list[Face], rtl: bool) -> tuple[str, float, float, float]:
    """Return the shaped words' outline as an SVG path (y down from the top), its width, top and bottom."""
    if rtl and any(unicodedata.bidirectional(c) == "L" for c in words):
        raise SystemExit(f"{words!r}: a right-to-left band may not hold left-to-right letters")
    baseline = 1000.0  # y of the baseline (any: the band is cut to the words' own bounds)
    pieces: list[tuple[Face, str]] = runs(words, chain)
    if rtl:
        pieces.reverse()  # right to left: the first run is drawn last, at the right
    pen = SVGPathPen(None, ntos=lambda n: f"{n:.1f}".rstrip("0").rstrip("."))
    bounds = BoundsPen(None)
    x = 0.0
    for face, text in pieces:
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        hb.shape(face.hb_font, buf, {"kern": True, "liga": True})
        order = face.ttf.getGlyphOrder()
        glyphs = face.ttf.getGlyphSet()
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            s = face.scale
            # font units are y up from the baseline; SVG is y down
            transform = (s, 0, 0, -s, x + pos.x_offset * s, baseline - pos.y_offset * s)
            glyph = DecomposingRecordingPen(glyphs)  # composite glyphs (marks on letters) as outlines
            glyphs[order[info.codepoint]].draw(glyph)
            glyph.replay(TransformPen(pen, transform))
            glyph.replay(TransformPen(bounds, transform))
            x += pos.x_advance * s
    # The band's height is the words' own (letters, marks above and below), with a tenth more
    # above and below: each script's words stand as tall in the band, whatever its font's lines.
    assert bounds.bounds is not None
    top, bottom = bounds.bounds[1], bounds.bounds[3]
    margin = (bottom - top) / 10
    top, bottom = top - margin, bottom + margin
    return pen.getCommands(), x, top, bottom


def band(words: str, chain: list[Face], rtl: bool = False) -> str:
    """Return the SVG of a band: yellow, the words in black outlines, centred."""
    path, width, top, bottom = outline(words, chain, rtl)
    fonts = ", ".join(dict.fromkeys(f.family for f, _ in runs(words, chain)))
    box = f"0 {top:.0f} {width:.0f} {bottom - top:.0f}"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%">\n'
        f"  <!-- made by scripts/make-draft-band.py: '{words}' in {fonts} Bold (OFL),\n"
        "       as outlines; the band across the top of every page of a draft (styles/draft.css) -->\n"
        f'  <rect width="100%" height="100%" fill="{YELLOW}"/>\n'
        f'  <svg x="0" y="18%" width="100%" height="64%" viewBox="{box}" '
        'preserveAspectRatio="xMidYMid meet">\n'
        f'    <path fill="{BLACK}" d="{path}"/>\n'
        "  </svg>\n"
        "</svg>\n"
    )


PAGES = ("@page", "@page cover", "@page front", "@page back")  # where draft.css puts the band
BLEED = "url(draft-bleed.svg)"  # draft.css's second background: the band's yellow in the bleed


def stylesheet(tag: str) -> str:
    """Return draft-<tag>.css: the language's band in every place draft.css puts the English one."""
    url = f"url({draft_band(tag)})"
    return (
        f"/* Made by scripts/make-draft-band.py: the DRAFT band of a translation into '{tag}' in its own\n"
        f"   words (booklet/source/messages/{tag}.yml, draft.band), in place of draft.css's. */\n"
        + "".join(f"{page} {{ background-image: {url}, {BLEED}; }}\n" for page in PAGES)
        + f".cover::after {{ background-image: {url}; }}\n"
        + f"@media print {{ .cover::after {{ background-image: {url}; }} }}\n"
    )


def main() -> None:
    faces = bold_faces()
    files = {STYLES / draft_band(""): band(str(messages.load().messages[KEY]), [faces[f] for f in LATIN])}
    for tag, lang in LANGUAGES.items():
        words = str(messages.load(tag).messages[KEY])
        files[STYLES / draft_band(tag)] = band(words, [faces[f] for f in lang.fonts], lang.rtl)
        files[STYLES / draft_stylesheets(tag)[-1]] = stylesheet(tag)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({len(text.encode()):,} bytes)")


if __name__ == "__main__":
    main()
