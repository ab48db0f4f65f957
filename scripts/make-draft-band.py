"""Write styles/draft-band.svg: the DRAFT band, its words drawn as outlines of Atkinson Hyperlegible Bold.

The band is an artifact on every page of a draft (styles/draft.css). Drawn as text, it
would be prose that every reader skips (outloud's TAG-002), so its words are shapes; a
screen reader hears "draft" once, in "About this information". Run it again after changing
the words or the font: python scripts/make-draft-band.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
WORDS = "DRAFT \u2013 not for use with patients"
FONT = ROOT / "fonts" / "AtkinsonHyperlegible-Bold.ttf"
OUT = ROOT / "styles" / "draft-band.svg"
YELLOW, BLACK = "#ffd60a", "#000000"  # 17:1


def outline(words: str, font: TTFont) -> tuple[str, int, int, int]:
    """Return the words' outline as an SVG path (y down), its advance width, ascender and descender."""
    cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
    hmtx = font["hmtx"]
    ascender, descender = font["hhea"].ascent, font["hhea"].descent
    pen = SVGPathPen(glyphs)
    x = 0
    for ch in words:
        name = cmap[ord(ch)]
        # font units are y up from the baseline; SVG is y down from the top of the ascender
        glyphs[name].draw(TransformPen(pen, (1, 0, 0, -1, x, ascender)))
        x += hmtx[name][0]
    return pen.getCommands(), x, ascender, descender


def main() -> None:
    path, width, ascender, descender = outline(WORDS, TTFont(FONT))
    height = ascender - descender
    OUT.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%">\n'
        f"  <!-- made by scripts/make-draft-band.py: '{WORDS}' in Atkinson Hyperlegible Bold (OFL),\n"
        "       as outlines; the band across the top of every page of a draft (styles/draft.css) -->\n"
        f'  <rect width="100%" height="100%" fill="{YELLOW}"/>\n'
        f'  <svg x="0" y="18%" width="100%" height="64%" viewBox="0 0 {width} {height}" '
        'preserveAspectRatio="xMidYMid meet">\n'
        f'    <path fill="{BLACK}" d="{path}"/>\n'
        "  </svg>\n"
        "</svg>\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
