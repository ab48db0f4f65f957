"""The translated PDFs and web pages, read as their readers and two PDF/UA validators meet them."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import page
import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # comes with WeasyPrint
from PIL import Image
from pypdf import PdfReader

from booklet.build import build
from booklet.languages import LANGUAGES
from booklet.paths import FONTS
from booklet.source import messages
from booklet.source.project import Project, load_booklet
from booklet.source.translations import svg_words

from . import pdfread, structread
from .conftest import CONTENT, CORPUS
from .test_pdf import outloud
from .test_reader import differences
from .test_review_status import YELLOW
from .tools import needs

pytestmark = pytest.mark.slow
SLUG = "translated"
TAGS = ("ar", "bn", "pa", "pl", "ur", "zh-Hans")
VARIANT_NAMES = ("standard", "large-print")
# Arabic marks (shadda, harakat) that HarfBuzz places with a vertical offset are drawn by
# WeasyPrint as a text run of their own, so extraction finds them apart from their letter.
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


WELSH = "secondary-liver-cancer"  # content/: the first booklet, in Welsh, with its easy read


@pytest.fixture(scope="session")
def translated(built: dict[str, Path]) -> Path:
    """Return OUT of the session's build, which holds the test translations and the Welsh booklet."""
    return built[f"{SLUG}/standard"].parent.parent


def slug_of(tag: str) -> str:
    return WELSH if tag == "cy" else SLUG


def source_of(tag: str, variant: str) -> Path:
    name = "easy-read.md" if variant == "easy-read" else "booklet.md"
    return (CONTENT if tag == "cy" else CORPUS) / slug_of(tag) / "translations" / tag / name


def pdf_of(out: Path, tag: str, variant: str) -> Path:
    return out / slug_of(tag) / tag / f"{slug_of(tag)}-{variant}.pdf"


CASES = [(tag, v) for tag in TAGS for v in VARIANT_NAMES] + [("cy", v) for v in (*VARIANT_NAMES, "easy-read")]


@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_lang_of_the_document_and_of_the_web_page(translated: Path, tag: str, variant: str) -> None:
    pdf = pdf_of(translated, tag, variant)
    assert str(PdfReader(pdf).root_object["/Lang"]) == tag
    html = pdf.with_suffix(".html").read_text()
    rtl = ' dir="rtl"' if LANGUAGES[tag].rtl else ""
    assert f'<html lang="{tag}"{rtl}>' in html


@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_text_is_set_in_the_language_s_fonts_and_never_reaches_notdef(
    translated: Path, tag: str, variant: str
) -> None:
    """Every font in the PDF is one of the language's chain, and every glyph drawn is one the font has."""
    pdf = pdf_of(translated, tag, variant)
    chain = {f.replace(" ", "-") for f in LANGUAGES[tag].fonts}
    used = {re.sub(r"^/[A-Z]{6}\+", "", r.font).removesuffix("-Bold") for r in pdfread.runs(pdf)}
    assert used <= chain, used
    script_font = LANGUAGES[tag].fonts[1] if len(LANGUAGES[tag].fonts) > 2 else ""
    if script_font:
        assert script_font.replace(" ", "-") in used
    notdef = [f for f in outloud(pdf) if f["rule"] == "TXT-005"]
    assert not notdef, notdef


@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_every_character_of_the_translation_is_in_the_fonts_of_fonts(tag: str, variant: str) -> None:
    """Read with fontTools: each character of the source has a glyph in a font of the language's chain."""
    cmaps: dict[str, set[int]] = {}
    for font in FONTS.glob("*.ttf"):
        with TTFont(font, lazy=True) as ttf:
            cmaps.setdefault(ttf["name"].getBestFamilyName(), set()).update(ttf.getBestCmap())
    text = source_of(tag, variant).read_text()
    chain = LANGUAGES[tag].fonts
    missing = {c for c in text if not c.isspace() and not any(ord(c) in cmaps[f] for f in chain)}
    assert not missing


@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_pdf_ua_validator(translated: Path, tag: str, variant: str) -> None:
    result = page.validate_pdf(str(pdf_of(translated, tag, variant)), profile="ua1")
    assert result.is_compliant, sorted({f.rule_id for f in result.failures})


@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_outloud_finds_no_error(translated: Path, tag: str, variant: str) -> None:
    errors = [f for f in outloud(pdf_of(translated, tag, variant)) if f["severity"] == "error"]
    assert not errors, errors


@needs("poppler")
@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_text_comes_out_in_logical_order(translated: Path, tag: str, variant: str) -> None:
    """The translation's headings and list items come out of the PDF as written, in the source's order.

    Read by poppler's pdftotext, which puts right-to-left text in logical order (pypdf does
    not: it leaves a sentence's last full stop first).
    """
    read = pdfread.poppler_text(pdf_of(translated, tag, variant))
    text = " ".join(ARABIC_MARKS.sub("", BIDI_CONTROLS.sub("", read)).split())
    source = source_of(tag, variant).read_text().split("\n---\n", 1)[1]
    source = re.sub(
        r"!\[[^]]*\]\([^)]*\) ?|\*\*|\{publisher\.[a-z_]+\}", "", source
    )  # pictures, bold, placeholders
    lines = [" ".join(ARABIC_MARKS.sub("", m).split()) for m in re.findall(r"^(?:#+|-) (.+)$", source, re.M)]
    position = 0
    for line in lines:
        found = text.find(line, position)
        assert found >= 0, f"{line!r} after position {position}"
        position = found + len(line)


def english_fragments(tag: str, allowed: str) -> set[str]:
    """Return the English template words that must not be in a translation.

    Each catalogue message, split at its placeholders, that the language's catalogue words
    differently, leaving out words the booklet's own data may hold (references kept in
    English, the publisher's details).
    """
    english, own = messages.load(messages.SOURCE), messages.load(tag)
    found: set[str] = set()
    for key, value in english.messages.items():
        values = value if isinstance(value, list) else [value]
        theirs = own.messages[key]
        for text in values:
            for fragment in re.split(r"\{\w+\}", str(text)):
                fragment = " ".join(fragment.split()).strip(" ,.:")
                if len(fragment) > 3 and fragment not in str(theirs) and fragment not in allowed:
                    found.add(fragment)
    return found


@needs("poppler")
@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_no_english_template_words_are_left(translated: Path, tag: str, variant: str) -> None:
    pdf = pdf_of(translated, tag, variant)
    read = pdfread.poppler_text(pdf)
    text = " ".join(BIDI_CONTROLS.sub("", read).split())
    content = CONTENT if tag == "cy" else CORPUS
    booklet = load_booklet(content, slug_of(tag))
    allowed = " ".join(
        [r.text for r in booklet.meta.references] + [str(v) for v in vars(booklet.publisher).values()]
    )
    left = sorted(f for f in english_fragments(tag, allowed) if re.search(rf"\b{re.escape(f)}\b", text))
    assert not left


@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_reader_gets_the_words_written(translated: Path, tag: str, variant: str) -> None:
    """Read through the structure tree (ToUnicode, /ActualText), the words are the web page's, in order.

    In every script: right-to-left lines are drawn in logical order (booklet/render/weasyfix/bidi.py);
    drawn as WeasyPrint drew them, 825 of 893 Arabic words were read letters-reversed.
    """
    pdf = pdf_of(translated, tag, variant)
    written = structread.html_words(pdf.with_suffix(".html").read_text(encoding="utf-8"))
    faults = differences(written, structread.read(pdf).words)
    assert not faults, "\n".join(faults[:20])


@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_english_words_are_tagged_english(translated: Path, tag: str, variant: str) -> None:
    """Each English element of the web page (the references) has /Lang en-GB in the PDF; nothing else has."""
    pdf = pdf_of(translated, tag, variant)
    langs = [e.lang for e in pdfread.walk(pdfread.structure(pdf)) if e.lang is not None]
    english = pdf.with_suffix(".html").read_text(encoding="utf-8").count(' lang="en-GB"')
    assert set(langs) <= {"en-GB"}
    assert len(langs) >= english  # an element split by a page break is two


def test_same_input_gives_same_bytes(translated: Path, tmp_path: Path) -> None:
    """A second build of the test translations writes every PDF and web page byte for byte again."""
    again = build(CORPUS, tmp_path, [SLUG], format_names=["pdf", "html"])
    assert len(again) > 2 * len(TAGS)
    for path in again:
        assert path.read_bytes() == (translated / path.relative_to(tmp_path)).read_bytes(), path


def own_pictures(tag: str, variant: str) -> list[tuple[Path, Path]]:
    """Return (original, translation's own version) of each picture a translated variant shows its own of."""
    project = Project.load(CONTENT if tag == "cy" else CORPUS, [slug_of(tag)])
    booklet = next(t.booklet for t in project.entry(slug_of(tag)).translations if t.lang == tag)
    assert booklet is not None
    source = booklet.easy_read if variant == "easy-read" else booklet.source
    assert source is not None
    shown = {span.href for _, span in source.tree.spans() if span.kind == "image"}
    return [(booklet.folder / src, booklet.picture(src)) for src in booklet.own_pictures if src in shown]


@needs("poppler")
@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_a_translated_picture_shows_its_words_and_none_of_the_original_s(
    translated: Path, tag: str, variant: str
) -> None:
    """Read the PDF's text with poppler: the labels of a translated picture, no label of the English one."""
    read = pdfread.poppler_text(pdf_of(translated, tag, variant))
    text = " ".join(read.split())
    for original, own in own_pictures(tag, variant):
        theirs, ours = svg_words(original), svg_words(own)
        assert theirs
        assert ours
        for words in ours:
            assert re.search(rf"\b{re.escape(words)}\b", text), words
        for words in set(theirs) - set(ours):
            assert not re.search(rf"\b{re.escape(words)}\b", text), words


def test_the_welsh_booklet_has_a_translated_picture() -> None:
    """The test above reads at least one picture: the Welsh standard and large print booklets show one."""
    assert [own.parent.parent.name for _, own in own_pictures("cy", "standard")] == ["cy"]
    assert own_pictures("cy", "large-print")


def band_of(pdf: Path, tmp_path: Path, page: int) -> Image.Image:
    """Return the top 8 mm of a page (the DRAFT band), drawn by poppler at 100 dpi."""
    stem = tmp_path / f"{pdf.parent.name}-{pdf.stem}-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "100", "-f", str(page), "-l", str(page), "-png", str(pdf), str(stem)], check=True
    )
    [png] = tmp_path.glob(f"{stem.name}-*.png")
    with Image.open(png) as image:
        return image.convert("RGB").crop((0, 0, image.width, 31))  # 8 mm at 100 dpi (styles/draft.css)


def pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    data = image.tobytes()
    return list(zip(data[0::3], data[1::3], data[2::3], strict=True))


def dark_columns(image: Image.Image) -> set[int]:
    """Return the columns of a band where its words are drawn (black on yellow)."""
    return {n % image.width for n, px in enumerate(pixels(image)) if sum(px) < 200}


@needs("poppler")
@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_a_translated_draft_has_the_band_of_its_language(
    translated: Path, tag: str, variant: str, tmp_path: Path
) -> None:
    """The band is yellow on the first, second and last pages, its words drawn unlike the English band's."""
    pdf = pdf_of(translated, tag, variant)
    english = translated / slug_of(tag) / pdf.name
    assert load_booklet(CONTENT if tag == "cy" else CORPUS, slug_of(tag)).meta.draft
    for number in (1, 2, len(PdfReader(pdf).pages)):
        ours, theirs = band_of(pdf, tmp_path, number), band_of(english, tmp_path, min(number, 2))
        yellow = [px for px in pixels(ours) if sum(abs(a - b) for a, b in zip(px, YELLOW, strict=True)) < 40]
        assert len(yellow) > 0.6 * ours.width * ours.height, number  # a band, mostly yellow
        assert dark_columns(ours), number  # words on it
        assert dark_columns(ours) != dark_columns(theirs), number  # not the English words


def test_the_welsh_e_book_carries_the_welsh_picture(translated: Path) -> None:
    """The EPUB holds the translation's own version of a picture, the English one the original's."""
    [(original, own)] = own_pictures("cy", "standard")
    for folder, picture in ((translated / WELSH / "cy", own), (translated / WELSH, original)):
        with zipfile.ZipFile(folder / f"{WELSH}-standard.epub") as book:
            assert book.read("EPUB/images/cancer-spread.svg") == picture.read_bytes()


@needs("poppler")
@pytest.mark.parametrize(("tag", "variant"), CASES)
def test_phone_numbers_and_addresses_keep_their_order(translated: Path, tag: str, variant: str) -> None:
    """The helpline and email read as written wherever the page shows them, also right to left.

    In right-to-left text the bidi algorithm reverses the digit groups of "0808 157 0647"
    unless the number is set apart (templates.py, ``ltr``).
    """
    pdf = pdf_of(translated, tag, variant)
    publisher = load_booklet(CONTENT if tag == "cy" else CORPUS, slug_of(tag)).publisher
    read = pdfread.poppler_text(pdf)
    text = BIDI_CONTROLS.sub("", read)
    assert publisher.helpline in text
    assert publisher.email in text
    groups = publisher.helpline.split()
    assert " ".join(reversed(groups)) not in text  # "0647 157 0808"
