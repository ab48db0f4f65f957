"""WeasyPrint 70.0 mends: each one read back from a tiny PDF, and in force only inside mended()."""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
import weasyprint
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from weasyprint import document, draw, stacking
from weasyprint import pdf as weasy_pdf
from weasyprint.draw import text as draw_text
from weasyprint.layout import inline
from weasyprint.pdf import stream as pdf_stream
from weasyprint.pdf import tags as pdf_tags
from weasyprint.text.fonts import FontConfiguration

from booklet.errors import RenderError
from booklet.render import weasyfix
from booklet.render.pdf import Renderer

from . import pdfread, structread
from .tools import needs

HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Mends</title><style>
@page { size: A6; margin: 20mm 15mm;
        @top-center { content: "Running head" } @bottom-center { content: "Page " counter(page) } }
body { font-size: 10pt }
ul, ol { list-style-position: outside }
</style></head><body>
<h1>Heading</h1>
<ul><li>Apples</li><li>Pears</li></ul>
<ol><li>Wash</li><li>Dry</li></ol>
<p>See <a href="https://example.org/">the example</a>.</p>
</body></html>"""
MARGIN_TEXT = ("Running head", "Page 1")
ITEMS = (("•", "Apples"), ("•", "Pears"), ("1.", "Wash"), ("2.", "Dry"))


def _patched() -> list[object]:
    """Return what the mends replace while they are in force, as it is now."""
    stream_cls = vars(pdf_stream.Stream)
    return [
        stream_cls["marked"],
        stream_cls["artifact"],
        draw.draw_stacking_context,
        pdf_tags._build_box_tree,
        stacking._dispatch,
        inline.split_first_line,
        inline.get_next_linebox,
        draw_text.draw_first_line,
        draw.draw_inline_level,
        pdf_tags._get_pdf_tag,
        weasy_pdf.add_tags,
        document.gather_anchors,
    ]


WEASYPRINT_OWN = _patched()  # taken at import, before any test enters mended()


@dataclass(frozen=True)
class Shown:
    """A piece of text painted on the page, and the marked-content sequences it is painted in."""

    text: str
    marks: tuple[tuple[str, int | None], ...]  # (tag, MCID), outermost first

    @property
    def mcid(self) -> int | None:
        """Return the MCID of the innermost sequence, if it has one."""
        return self.marks[-1][1] if self.marks else None


def shown(reader: PdfReader) -> list[Shown]:
    """Return the text of page 1 in content-stream (painting) order, with its marked content."""
    stack: list[tuple[str, int | None]] = []
    at_show: tuple[tuple[str, int | None], ...] = ()
    out: list[Shown] = []

    def before(operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        nonlocal at_show
        if operator == b"BMC":
            stack.append((str(operands[0]), None))
        elif operator == b"BDC":
            properties = operands[1]
            mcid = properties.get("/MCID") if isinstance(properties, DictionaryObject) else None
            stack.append((str(operands[0]), None if mcid is None else int(mcid)))
        elif operator == b"EMC":
            stack.pop()
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            at_show = tuple(stack)

    def text(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():  # pypdf hands text over at ET at the latest: still inside its sequence
            out.append(Shown(text.strip(), at_show))

    reader.pages[0].extract_text(visitor_operand_before=before, visitor_text=text)
    return out


def structure(reader: PdfReader) -> tuple[set[int], list[IndirectObject]]:
    """Return the structure elements reachable from /StructTreeRoot, and page 1's ParentTree array.

    The ParentTree array maps each MCID of the page to the structure element that owns it.
    """
    root = cast(DictionaryObject, cast(DictionaryObject, reader.trailer["/Root"])["/StructTreeRoot"])
    reachable: set[int] = set()

    def walk(node: Any) -> None:
        kids = node.get_object().get("/K") if isinstance(node.get_object(), DictionaryObject) else None
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, IndirectObject) and kid.idnum not in reachable:
                reachable.add(kid.idnum)
                walk(kid)

    walk(root)
    nums = cast(ArrayObject, cast(DictionaryObject, root["/ParentTree"])["/Nums"])
    key = reader.pages[0]["/StructParents"]
    owners = next(nums[i + 1] for i in range(0, len(nums), 2) if nums[i] == key)
    return reachable, list(cast(ArrayObject, owners.get_object()))


def links(reader: PdfReader) -> list[DictionaryObject]:
    """Return page 1's link annotations."""
    annotations = cast(ArrayObject, reader.pages[0].get("/Annots", ArrayObject()))
    found = [cast(DictionaryObject, a.get_object()) for a in annotations]
    return [a for a in found if a.get("/Subtype") == "/Link"]


@pytest.fixture(scope="module")
def mended(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    """Render the tiny document as booklet does: through Renderer, which puts the mends in force."""
    folder = tmp_path_factory.mktemp("mended")
    with Renderer() as renderer:
        pdf = renderer.pdf(HTML, folder, (), folder / "tiny.md")
    return PdfReader(io.BytesIO(pdf))


@pytest.fixture(scope="module")
def plain(mended: PdfReader) -> PdfReader:
    """Render the same document with WeasyPrint alone, after the renderer has used the mends."""
    pdf = weasyprint.HTML(string=HTML).write_pdf(pdf_variant="pdf/ua-1")
    return PdfReader(io.BytesIO(pdf))


# (a) Margin boxes: artifacts, outside the structure tree


@pytest.mark.slow
def test_margin_boxes_are_artifacts(mended: PdfReader) -> None:
    texts = shown(mended)
    margin = [s for s in texts if s.text in MARGIN_TEXT]
    assert [s.text for s in margin] == list(MARGIN_TEXT)
    for piece in margin:
        assert piece.marks == (("/Artifact", None),), piece  # one /Artifact sequence, no MCID inside
    assert all(s.mcid is not None for s in texts if s not in margin), "the body text stays tagged"


@pytest.mark.slow
def test_margin_boxes_are_outside_the_structure_tree(mended: PdfReader) -> None:
    reachable, owners = structure(mended)
    mcids = sorted(s.mcid for s in shown(mended) if s.mcid is not None)
    assert mcids == list(range(len(owners))), "the ParentTree has an owner for each MCID, and no more"
    assert all(owner.idnum in reachable for owner in owners), "no structure element outside the tree"


# (b) Outside list markers: painted just before their item's text


@pytest.mark.slow
def test_list_markers_are_painted_before_their_items(mended: PdfReader) -> None:
    texts = [s.text for s in shown(mended)]
    for marker, item in ITEMS:
        at = texts.index(item)
        assert texts[at - 1] == marker, texts


# (c) Link annotations: printable


@pytest.mark.slow
def test_links_are_printable(mended: PdfReader) -> None:
    found = links(mended)
    assert found
    assert all(link.get("/F") == 4 for link in found)


# (d) Scoped: outside mended() WeasyPrint is its own


def test_weasyprint_is_its_own_before_and_after() -> None:
    with weasyfix.mended():
        assert _patched() != WEASYPRINT_OWN
        with weasyfix.mended():  # nested: still in force after the inner block
            pass
        assert _patched() != WEASYPRINT_OWN
    assert _patched() == WEASYPRINT_OWN
    with pytest.raises(ValueError, match="inside"), weasyfix.mended():
        raise ValueError("inside")
    assert _patched() == WEASYPRINT_OWN


@pytest.mark.slow
def test_without_the_mends_weasyprint_tags_margin_boxes(mended: PdfReader, plain: PdfReader) -> None:
    """WeasyPrint's own: margin text tagged with MCIDs whose owners hang outside the tree."""
    texts = shown(plain)
    margin = [s for s in texts if s.text in MARGIN_TEXT]
    assert [s.text for s in margin] == list(MARGIN_TEXT)
    assert all(s.mcid is not None and "/Artifact" not in dict(s.marks) for s in margin)
    reachable, owners = structure(plain)
    assert all(owners[cast(int, s.mcid)].idnum not in reachable for s in margin)


@pytest.mark.slow
def test_without_the_mends_markers_come_last_and_links_unprintable(plain: PdfReader) -> None:
    texts = [s.text for s in shown(plain)]
    last_body_text = max(texts.index(item) for _, item in ITEMS)
    assert all(texts.index(marker) > last_body_text for marker, _ in ITEMS)
    assert links(plain)
    assert all("/F" not in link for link in links(plain))


@pytest.mark.slow
def test_mends_are_not_in_force_for_another_thread(plain: PdfReader) -> None:
    """While one thread renders inside mended(), a render in another thread gets WeasyPrint's own."""
    rendered: list[bytes] = []
    with weasyfix.mended():
        thread = threading.Thread(
            target=lambda: rendered.append(weasyprint.HTML(string=HTML).write_pdf(pdf_variant="pdf/ua-1"))
        )
        thread.start()
        thread.join()
    other = PdfReader(io.BytesIO(rendered[0]))
    tagged = [(s.text, s.marks[-1][0], s.mcid is None) for s in shown(other)]
    assert tagged == [(s.text, s.marks[-1][0], s.mcid is None) for s in shown(plain)]


# (e) Another WeasyPrint version is refused


def test_other_weasyprint_version_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    expected = (
        r"WeasyPrint 71\.0 is installed, but booklet needs WeasyPrint 70\.0.*pip install weasyprint==70\.0$"
    )
    with pytest.raises(weasyfix.UnsupportedWeasyPrintError, match=expected), weasyfix.mended():
        pytest.fail("the mends must not be entered")
    assert _patched() == WEASYPRINT_OWN
    with Renderer() as renderer, pytest.raises(RenderError, match=expected) as caught:
        renderer.pdf(HTML, tmp_path, (), tmp_path / "tiny.md")
    assert isinstance(caught.value, weasyfix.UnsupportedWeasyPrintError)  # not re-wrapped as a render failure


def line_texts(html: str, mend: bool) -> list[str]:
    """Lay out a document (with or without the mends) and return the text of each line."""

    def layout() -> Any:
        return weasyprint.HTML(string=html).render()

    if mend:
        with weasyfix.mended():
            document = layout()
    else:
        document = layout()
    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if type(box).__name__ == "LineBox":
                found.append("".join(getattr(b, "text", "") for b in box.descendants()).strip())
    return found


@pytest.mark.slow
def test_a_line_whose_trailing_space_overflows_keeps_its_words() -> None:
    """Words that fit, with only their trailing space over the edge, stay on the line.

    WeasyPrint 70 kept only the first word ("may" alone on a line) when a bold word
    followed; the corpus found it in large print.
    """
    words = "may help. It is not a full list. Always tell your team about any"
    width = cast(Any, weasyprint.HTML(string=f"<span>{words}</span>").render().pages[0])._page_box
    span = next(b for b in width.descendants() if type(b).__name__ == "LineBox")
    html = (
        f'<p style="width: {span.width + 1}px; margin: 0">{words} <strong>symptom</strong> '
        "that worries you.</p>"
    )
    assert line_texts(html, mend=False)[0] == "may"  # WeasyPrint's own behaviour
    assert line_texts(html, mend=True)[:2] == [words, "symptom that worries you."]


# (f) What a screen reader gets: spaces at line wraps, contents, link descriptions, tables, dl

READER_HTML = """<!DOCTYPE html>
<html lang="en"><head><title>Reader</title><style>
@page { size: A6; margin: 10mm }
body { font-size: 9pt }
p.narrow { width: 30mm }
.toc a::after { content: leader(". ") " " target-counter(attr(href), page) }
.toc { list-style: none; padding: 0 }
</style></head><body>
<h1 id="top">Reader</h1>
<p class="narrow">Secondary liver cancer is cancer that has spread to the liver.</p>
<p>Call our helpline<br>0808 157 0192 or <a href="#far">the far part</a> <span>read on</span>.</p>
<nav><ol class="toc"><li><a href="#far">Far part</a></li></ol></nav>
<p>Email <a href="mailto:info@example.org">info@example.org</a>.</p>
<table><thead><tr><th scope="col">Day</th><th scope="col">Dose</th></tr></thead>
<tbody><tr><th scope="row">Monday</th><td>2 tablets</td></tr></tbody></table>
<dl><dt>Ablation</dt><dd>A treatment that destroys a tumour.</dd>
<dt>Biopsy</dt><dd>Taking a small piece.</dd></dl>
<p class="narrow">See <a href="#far">the far part of this little document</a> now.</p>
<h2 id="far" style="break-before: page">Far part</h2>
</body></html>"""


@pytest.fixture(scope="module")
def reader_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Render the reader document with the mends (as booklet does) and with WeasyPrint alone."""
    folder = tmp_path_factory.mktemp("reader")
    mended_pdf, plain_pdf = folder / "mended.pdf", folder / "plain.pdf"
    with Renderer() as renderer:
        mended_pdf.write_bytes(renderer.pdf(READER_HTML, folder, (), folder / "reader.md"))
    plain_pdf.write_bytes(cast(bytes, weasyprint.HTML(string=READER_HTML).write_pdf(pdf_variant="pdf/ua-1")))
    return mended_pdf, plain_pdf


WRAPPED = "Secondary liver cancer is cancer that has spread to the liver"


@pytest.mark.slow
def test_a_line_wrap_is_read_as_a_space(reader_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = reader_pdfs
    assert WRAPPED in structread.read(mended_pdf).text.replace("\n", " ")
    joined = structread.read(plain_pdf).text
    assert WRAPPED not in joined.replace("\n", " ")  # WeasyPrint's own: "livercancer", "hasspread"...


@pytest.mark.slow
def test_a_lone_space_and_a_break_are_read(reader_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = reader_pdfs
    text = structread.read(mended_pdf).text
    assert "Call our helpline 0808 157 0192 or the far part read on." in text
    plain = structread.read(plain_pdf).text
    assert "helpline0808" in plain
    assert "partread" in plain


@pytest.mark.slow
def test_a_contents_entry_is_one_link_without_leaders(reader_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = reader_pdfs
    reading = structread.read(mended_pdf)
    assert "Far part 2" in reading.text
    assert ". ." not in reading.text
    assert not [t for t, _, up in structread.elements(mended_pdf) if t == "Link" and "Link" in up]
    entry = [link for link in reading.links if link["contents"] == "Far part, page 2"]
    assert len(entry) == 1
    assert ". ." in structread.read(plain_pdf).text
    assert [t for t, _, up in structread.elements(plain_pdf) if t == "Link" and "Link" in up]


@pytest.mark.slow
def test_link_descriptions_are_words(reader_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = reader_pdfs
    said = sorted({link["contents"] for link in structread.read(mended_pdf).links})
    assert said == [
        "Email info@example.org",
        "Far part, page 2",
        "the far part of this little document, page 2",
        "the far part, page 2",
    ]
    assert {link["contents"] for link in structread.read(plain_pdf).links} == {
        "far",
        "mailto:info@example.org",
    }


@pytest.mark.slow
def test_a_wrapped_link_is_one_link_element(reader_pdfs: tuple[Path, Path]) -> None:
    mended_pdf = reader_pdfs[0]
    wrapped = "the far part of this little document, page 2"
    annotations = [link for link in structread.read(mended_pdf).links if link["contents"] == wrapped]
    assert len(annotations) >= 2  # on two lines: an annotation for each
    parents = [obj for t, obj, _ in structread.elements(mended_pdf) if t == "Link"]
    owners = [link for link in parents if len([k for k in link["/K"] if not isinstance(k, int)]) >= 2]
    assert owners, "both annotations belong to one Link element"


@pytest.mark.slow
def test_table_headers_have_scope_and_resolvable_ids(reader_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = reader_pdfs
    scopes = [
        str(obj["/A"].get_object().get("/Scope"))
        for t, obj, _ in structread.elements(mended_pdf)
        if t == "TH"
    ]
    assert scopes == ["/Column", "/Column", "/Row"]
    root = cast(Any, PdfReader(mended_pdf).trailer["/Root"])["/StructTreeRoot"]
    names = root["/IDTree"]["/Names"]
    ids = {str(names[i]) for i in range(0, len(names), 2)}
    headers = [
        {str(h) for h in obj["/A"].get_object()["/Headers"]}
        for t, obj, _ in structread.elements(mended_pdf)
        if t == "TD"
    ]
    assert headers
    assert all(h and h <= ids for h in headers)
    plain_root = cast(Any, PdfReader(plain_pdf).trailer["/Root"])["/StructTreeRoot"]
    assert "/IDTree" not in plain_root
    assert all("/Scope" not in obj["/A"] for t, obj, _ in structread.elements(plain_pdf) if t == "TH")


@pytest.mark.slow
def test_a_term_labels_its_explanation(reader_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = reader_pdfs
    items = structread.read(mended_pdf).items
    assert ("Ablation", "A treatment that destroys a tumour.") in items
    assert ("Biopsy", "Taking a small piece.") in items
    assert ("", "Ablation") in structread.read(plain_pdf).items  # WeasyPrint's own: term and meaning apart


# (g) Scripts drawn with several glyphs a cluster, and elements in another language

SCRIPTS_HTML = """<!DOCTYPE html>
<html lang="bn"><head><title>Scripts</title><style>
@page { size: A6; margin: 10mm }
body { font-family: "Atkinson Hyperlegible", "Noto Sans Bengali", "Noto Sans Gurmukhi"; font-size: 10pt }
</style></head><body>
<p>কি কিছু কথা নরম টুথব্রাশ</p>
<p lang="pa">ਕਿਹੜੀ ਦਵਾਈ ਕਰੋ</p>
<p>দেখুন <span lang="en-GB">Mouth care guide</span>.</p>
</body></html>"""
SCRIPTS_WORDS = ("কি কিছু কথা নরম টুথব্রাশ", "ਕਿਹੜੀ ਦਵਾਈ ਕਰੋ")


@pytest.fixture(scope="module")
def scripts_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Render the Bengali and Gurmukhi document with the mends and with WeasyPrint alone."""
    folder = tmp_path_factory.mktemp("scripts")
    mended_pdf, plain_pdf = folder / "mended.pdf", folder / "plain.pdf"
    with Renderer() as renderer:
        mended_pdf.write_bytes(renderer.pdf(SCRIPTS_HTML, folder, ("languages.css",), folder / "scripts.md"))
    styles = Path(__file__).resolve().parent.parent / "styles"
    fonts = FontConfiguration()
    css = weasyprint.CSS(filename=str(styles / "languages.css"), font_config=fonts)
    plain = weasyprint.HTML(string=SCRIPTS_HTML).write_pdf(
        pdf_variant="pdf/ua-1", stylesheets=[css], font_config=fonts
    )
    plain_pdf.write_bytes(cast(bytes, plain))
    return mended_pdf, plain_pdf


def unmapped(pdf: Path) -> list[str]:
    """Return the ToUnicode entries of page 1's fonts that map a glyph to no text (``<0037> <>``)."""
    fonts = cast(DictionaryObject, cast(DictionaryObject, PdfReader(pdf).pages[0]["/Resources"])["/Font"])
    cmaps = [
        font.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1") for font in fonts.values()
    ]
    return [entry for cmap in cmaps for entry in re.findall(r"<[0-9a-fA-F]+>\s*<>", cmap)]


@pytest.mark.slow
def test_every_glyph_of_a_cluster_maps_to_text(scripts_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = scripts_pdfs
    assert unmapped(plain_pdf)  # WeasyPrint's own: the vowel sign drawn before its consonant maps to nothing
    assert not unmapped(mended_pdf)


@pytest.mark.slow
@needs("poppler")
def test_a_reordered_syllable_is_read_as_written(scripts_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = scripts_pdfs
    read = structread.read(mended_pdf).text
    assert all(words in read for words in SCRIPTS_WORDS), read
    # WeasyPrint's own: ক keeps the syllable কি it was first drawn in ("কিথা" for কথা)
    plain = structread.read(plain_pdf).text.replace("\ufffd", "")
    assert not any(words in plain for words in SCRIPTS_WORDS), plain
    extracted = pdfread.poppler_text(mended_pdf)
    assert all(words in extracted for words in SCRIPTS_WORDS), extracted


@pytest.mark.slow
def test_an_element_in_another_language_has_its_lang(scripts_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = scripts_pdfs

    def langs(pdf: Path) -> list[str]:
        return [f"{e.tag} {e.lang}" for e in pdfread.walk(pdfread.structure(pdf)) if e.lang is not None]

    assert langs(mended_pdf) == ["/P pa", "/Span en-GB"]
    assert langs(plain_pdf) == []


# (h) Right-to-left lines drawn in logical order, and mended words in the document's language

RTL_HTML = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><title>RTL</title><style>
@page { size: A6; margin: 10mm }
body { font-size: 10pt }
.toc a::after { content: leader(". ") " " target-counter(attr(href), page) }
.toc { list-style: none; padding: 0 }
</style></head><body>
<p>العناية بفمك أثناء علاج السرطان [1].</p>
<p lang="ur">علاج کے دوران آپ کا منہ، ہر روز 2 بار</p>
<nav><ol class="toc"><li><a href="#far">فمك أثناء العلاج</a></li></ol></nav>
<p>راسلنا <a href="mailto:info@example.org">info@example.org</a>.</p>
<h2 id="far" style="break-before: page">الكبد</h2>
</body></html>"""
RTL_WORDS = (
    "العناية بفمك أثناء علاج السرطان [1].",
    "علاج کے دوران آپ کا منہ، ہر روز 2 بار",
    "فمك أثناء العلاج 2",
)
RTL_STYLES = ("languages.css", "rtl.css")


@pytest.fixture(scope="module")
def rtl_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Render the Arabic and Urdu document with the mends and with WeasyPrint alone."""
    folder = tmp_path_factory.mktemp("rtl")
    mended_pdf, plain_pdf = folder / "mended.pdf", folder / "plain.pdf"
    with Renderer() as renderer:
        mended_pdf.write_bytes(renderer.pdf(RTL_HTML, folder, RTL_STYLES, folder / "rtl.md"))
    styles = Path(__file__).resolve().parent.parent / "styles"
    fonts = FontConfiguration()
    css = [weasyprint.CSS(filename=str(styles / name), font_config=fonts) for name in RTL_STYLES]
    plain = weasyprint.HTML(string=RTL_HTML).write_pdf(
        pdf_variant="pdf/ua-1", stylesheets=css, font_config=fonts
    )
    plain_pdf.write_bytes(cast(bytes, plain))
    return mended_pdf, plain_pdf


@pytest.mark.slow
def test_right_to_left_text_is_read_through_the_tags_as_written(rtl_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = rtl_pdfs
    read = structread.read(mended_pdf).text
    assert all(words in read for words in RTL_WORDS), read
    plain = structread.read(plain_pdf).text
    assert not any(words in plain for words in RTL_WORDS), plain  # WeasyPrint's own: letters reversed
    assert "بفمك" not in plain
    assert "كمفب" in plain


@pytest.mark.slow
def test_right_to_left_pages_look_as_weasyprint_drew_them(rtl_pdfs: tuple[Path, Path]) -> None:
    """Each glyph is drawn where WeasyPrint put it: the pages are the same picture."""
    import pymupdf

    opened = [pymupdf.open(pdf) for pdf in rtl_pdfs]  # type: ignore[no-untyped-call]
    with opened[0] as mended, opened[1] as plain:
        assert len(mended) == len(plain)
        for a, b in zip(mended, plain, strict=True):
            one, two = a.get_pixmap(dpi=150).samples, b.get_pixmap(dpi=150).samples
            assert len(one) == len(two)
            assert sum(abs(x - y) > 8 for x, y in zip(one, two, strict=True)) < len(one) // 2000


@pytest.mark.slow
def test_mended_words_are_in_the_document_s_language(rtl_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, _ = rtl_pdfs
    said = sorted({link["contents"] for link in structread.read(mended_pdf).links})
    assert said == ["البريد الإلكتروني info@example.org", "فمك أثناء العلاج، صفحة 2"]


# (i) A table broken by a page

TABLE_HTML = (
    """<!DOCTYPE html>
<html lang="en"><head><title>Table</title>
<style>@page { size: A6; margin: 10mm } body { font-size: 9pt }</style></head><body>
<table><thead><tr><th scope="col">Date and time of the visit</th>
<th scope="col">Who I am seeing and where</th></tr></thead><tbody>"""
    + "".join(f"<tr><td>Day {n}</td><td>Nurse {n}</td></tr>" for n in range(1, 41))
    + "</tbody></table></body></html>"
)


@pytest.fixture(scope="module")
def table_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Render a table of 40 rows on A6 pages with the mends and with WeasyPrint alone."""
    folder = tmp_path_factory.mktemp("table")
    mended_pdf, plain_pdf = folder / "mended.pdf", folder / "plain.pdf"
    with Renderer() as renderer:
        mended_pdf.write_bytes(renderer.pdf(TABLE_HTML, folder, (), folder / "table.md"))
    plain_pdf.write_bytes(cast(bytes, weasyprint.HTML(string=TABLE_HTML).write_pdf(pdf_variant="pdf/ua-1")))
    return mended_pdf, plain_pdf


@pytest.mark.slow
def test_a_table_broken_by_a_page_is_one_table_read_once(table_pdfs: tuple[Path, Path]) -> None:
    mended_pdf, plain_pdf = table_pdfs
    assert len(PdfReader(mended_pdf).pages) >= 2
    tags = [tag for tag, _, _ in structread.elements(plain_pdf)]
    assert tags.count("Table") >= 2  # WeasyPrint's own: a Table a page, the head read again
    assert structread.read(plain_pdf).repeated_heads
    tags = [tag for tag, _, _ in structread.elements(mended_pdf)]
    assert (tags.count("Table"), tags.count("THead"), tags.count("TBody"), tags.count("TR")) == (1, 1, 1, 41)
    reading = structread.read(mended_pdf)
    assert not reading.repeated_heads
    assert not reading.twice
    assert not {k for k, t in reading.painted.items() if k not in reading.read and t.strip()}
    assert reading.text.count("Who I am seeing and where") == 1
    assert [f"Day {n}" in reading.text for n in (1, 40)] == [True, True]
    cells = [e for tag, e, _ in structread.elements(mended_pdf) if tag == "TH"]
    assert [str(e["/ActualText"]) for e in cells] == [
        "Date and time of the visit",
        "Who I am seeing and where",
    ]
    ids = {str(e["/ID"]) for e in cells}
    headers = [
        str(h) for tag, e, _ in structread.elements(mended_pdf) if tag == "TD" for h in e["/A"]["/Headers"]
    ]
    assert set(headers) == ids  # every cell, on every page, names the one head's cells


@pytest.mark.slow
def test_a_table_broken_by_a_page_passes_both_validators(table_pdfs: tuple[Path, Path]) -> None:
    import page as page_validation

    from .test_pdf import outloud

    mended_pdf, _ = table_pdfs
    result = page_validation.validate_pdf(str(mended_pdf), profile="ua1")
    assert result.is_compliant, sorted({f.rule_id for f in result.failures})
    assert not [f for f in outloud(mended_pdf) if f["severity"] == "error"]
