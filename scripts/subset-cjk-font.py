"""Make fonts/NotoSansCJKsc-{Regular,Bold}.ttf: Noto Sans CJK SC cut down to GB2312's characters.

Noto Sans CJK is 19-20 MB a weight (a collection of five regional fonts); the booklets
need Simplified Chinese only, and GB2312's 7,445 characters (its 6,763 hanzi of both
levels, punctuation, full-width forms) cover everyday written Chinese. Run it again when
a translation needs a character outside GB2312 (booklet check reports it: SRC-GLYPH),
adding the character to EXTRA.

Source: Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk), SIL Open Font Licence 1.1.
Run: .venv/bin/python scripts/subset-cjk-font.py [/path/to/NotoSansCJK-Regular.ttc]
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto")
FONTS = Path(__file__).resolve().parent.parent / "fonts"
SC_INDEX = 2  # the collection's fonts: JP, KR, SC, TC, HK, then the Mono ones
EXTRA = "「」『』〈〉《》【】〔〕…—–·•"  # noqa: RUF001 - beyond GB2312: punctuation translators use


def gb2312() -> set[int]:
    """Return every character GB2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def to_truetype(font: TTFont) -> None:
    """Turn the CID-keyed CFF outlines into TrueType ones (as fontTools' otf2ttf snippet does).

    WeasyPrint 70 embeds a CID-keyed CFF font so that validators find its codes reaching
    .notdef (outloud TXT-005), though viewers show the right characters; with TrueType
    outlines it is embedded as the other fonts are (CIDFontType2), and both validators pass.
    """
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = font["glyf"] = newTable("glyf")
    font["loca"] = newTable("loca")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for key in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs"):
        setattr(maxp, key, 1 if key == "maxZones" else 0)
    maxp.maxStackElements = maxp.maxSizeOfInstructions = maxp.maxComponentElements = 0
    font["post"].formatType = 3.0  # no glyph names: a reader gets the text from ToUnicode
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\000\001\000\000"


def main() -> None:
    """Subset both weights."""
    wanted = gb2312() | set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | {ord(c) for c in EXTRA}
    for weight in ("Regular", "Bold"):
        source = (
            Path(sys.argv[1]).with_name(f"NotoSansCJK-{weight}.ttc")
            if len(sys.argv) > 1
            else (SOURCE / f"NotoSansCJK-{weight}.ttc")
        )
        font = TTCollection(str(source)).fonts[SC_INDEX]
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.hinting = False
        options.desubroutinize = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        to_truetype(font)
        target = FONTS / f"NotoSansCJKsc-{weight}.ttf"
        font.save(str(target))
        print(f"{target.name}: {target.stat().st_size:,} bytes, {len(font.getBestCmap()):,} characters")


if __name__ == "__main__":
    main()
