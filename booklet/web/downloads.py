"""What the catalogue offers of each booklet: its formats, and each file a build left to download.

A :class:`Download` describes one PDF (with its web page and e-book) from the files in
``out/``: its page count and paper size, read with pypdfium2 (about 35 times faster than
pypdf on the corpus's PDFs: 0.24 s against 8.5 s for 24 of them), and its size; a format's names and
blurbs come from the message catalogue of the page's language (booklet/source/messages/<tag>.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import languages, paths
from ..errors import RenderError
from ..log import LOGGER
from ..model import Booklet
from ..source import messages
from ..source.messages import Catalogue as Words
from ..variants import PAPER, VARIANTS


def english() -> Words:
    """Return the words of the English catalogue pages (booklet/source/messages/en.yml)."""
    return messages.load(messages.SOURCE)


def say(t: Words, key: str, **values: object) -> str:
    """Return a message of a language as plain text (the templates escape it), placeholders filled."""
    text = t.messages.get(key)
    if not isinstance(text, str):
        raise RenderError(f"{messages.FOLDER / t.tag}.yml has no message '{key}'")
    return text.format(**values) if values else text


@dataclass(frozen=True)
class CatalogueVariant:
    """One variant a booklet can come in, as the catalogue shows it (its pages call it a format).

    Its words are the message catalogue's ``catalogue.format.<name>`` (label),
    ``catalogue.blurb.<name>`` and ``catalogue.online.<name>``; a variant the catalogues have
    no words for yet is shown with its own table entry's (English) words.
    """

    name: str  # the variant's name: 'large-print'
    fallback: tuple[str, str] = ("", "")  # label and blurb of a variant no catalogue names

    @property
    def page(self) -> str:
        """Return the file name of this format's page of the catalogue."""
        return paths.format_page(self.name)

    def _word(self, t: Words | None, part: str, fallback: str) -> str:
        t = t or english()
        key = f"catalogue.{part}.{self.name}"
        return say(t, key) if key in t.messages or not fallback else fallback

    def label(self, t: Words | None = None) -> str:
        """Return the format's name, as a heading or a button starts: 'Large print'."""
        return self._word(t, "format", self.fallback[0])

    def blurb(self, t: Words | None = None) -> str:
        """Return who the format is for, as its page says."""
        return self._word(t, "blurb", self.fallback[1])

    def online(self, t: Words | None = None) -> str:
        """Return the words of the link to the format's web version: 'Read the ... version online'."""
        return self._word(t, "online", f"Read the {self.fallback[0].lower()} version online")


# The formats in the order they are shown. A variant added to VARIANTS later is shown too
# (after these), labelled from its own table entry.
KNOWN_FORMATS = (
    CatalogueVariant("standard"),
    CatalogueVariant("large-print"),
    CatalogueVariant("easy-read"),
)


def formats() -> tuple[CatalogueVariant, ...]:
    """Return every format: the known ones, then any other variant of the variants table."""
    known = {f.name for f in KNOWN_FORMATS}
    extra = [
        CatalogueVariant(v.name, (v.label.split(" (")[0], v.label + "."))
        for v in VARIANTS.values()
        if v.name not in known
    ]
    return (*KNOWN_FORMATS, *extra)


def file_size(size: int, t: Words | None = None) -> str:
    """Format a file size as people read it: '640 KB', '1.2 MB' (1 MB is 1,000,000 bytes)."""
    t = t or english()
    if size < 1_000_000:
        return say(t, "catalogue.kb", n=max(1, round(size / 1000)))
    return say(t, "catalogue.mb", n=f"{size / 1_000_000:.1f}".replace(".", say(t, "catalogue.decimal")))


def paper_name(width: float, height: float) -> str:
    """Name a page size in points ('A4'), either way round; '' when it is not an A size."""
    small, large = sorted((round(width), round(height)))
    for name, (w, h) in PAPER.items():
        if abs(small - w) <= 2 and abs(large - h) <= 2:
            return name
    return ""


@dataclass(frozen=True)
class Download:
    """One PDF of a booklet (with its web page and e-book), or a format whose PDF is not built yet."""

    format: CatalogueVariant
    point: str = ""  # '24' for a large-print size made on request ('24 point')
    pdf: str = ""  # file name in the booklet's folder; '' when not built yet
    html: str = ""  # the web version beside it, '' when there is none
    pages: int = 0
    size: int = 0
    paper: str = ""
    epub: str = ""  # the EPUB e-book beside it, '' when there is none
    epub_size: int = 0

    def name(self, t: Words | None = None) -> str:
        """Return what this download is: 'Large print', 'Large print, 24 point'."""
        t = t or english()
        point = say(t, "catalogue.point", pt=self.point) if self.point else ""
        return say(t, "comma").join(p for p in (self.format.label(t), point) if p)

    def label(self, t: Words | None = None) -> str:
        """Return the download button's words: 'Large print PDF, A4, 45 pages, 1.1 MB'."""
        t = t or english()
        pages = say(t, "catalogue.pages_one" if self.pages == 1 else "catalogue.pages_other", n=self.pages)
        point = say(t, "catalogue.point", pt=self.point) if self.point else ""
        pdf = say(t, "catalogue.pdf", format=self.format.label(t))
        parts = (pdf, point, self.paper, pages, file_size(self.size, t))
        return say(t, "comma").join(p for p in parts if p)

    def epub_label(self, t: Words | None = None) -> str:
        """Return the e-book's download words: 'Standard print e-book (EPUB), 75 KB'."""
        t = t or english()
        book = say(t, "catalogue.epub", format=self.format.label(t))
        return say(t, "comma").join((book, file_size(self.epub_size, t)))

    def not_built(self, t: Words | None = None) -> str:
        """Return what the catalogue says of a PDF not built yet: 'Large print PDF: not built yet'."""
        return say(t or english(), "catalogue.not_built", format=self.name(t))


@dataclass(frozen=True)
class BrailleDownload:
    """A booklet's braille: the BRF (and PEF) a build wrote, and its number of braille pages.

    Its files are named relative to the booklet's folder ('cy/<slug>-braille.brf' for a translation's).
    """

    brf: str
    pef: str
    pages: int
    size: int
    lang: str = ""  # a translation's language tag; '' for the original's (Unified English Braille)

    def label(self, t: Words | None = None) -> str:
        """Return the link's words on the English pages: 'Braille (BRF, ...), 36 braille pages, 34 KB'."""
        t = t or english()
        language = languages.get(self.lang) if self.lang else None
        code = say(t, "catalogue.braille_of", language=language.name) if language else ""
        code = code or say(t, "catalogue.braille_ueb")
        return say(t, "catalogue.braille_code", code=code, pages=self.pages, size=file_size(self.size, t))

    def label_in(self, t: Words) -> str:
        """Return the link's words in a language's own words (its catalogue page)."""
        return say(t, "catalogue.braille", pages=self.pages, size=file_size(self.size, t))


def braille(folder: Path, lang: str = "") -> BrailleDownload | None:
    """Describe the braille a build left in a booklet's folder, or a translation's (None: there is none)."""
    brf, pef = paths.braille_files(folder.parent, folder.name, lang)
    if not brf.is_file():
        return None
    data = brf.read_bytes()
    prefix = f"{lang}/" if lang else ""
    pef_name = f"{prefix}{pef.name}" if pef.is_file() else ""
    return BrailleDownload(f"{prefix}{brf.name}", pef_name, data.count(b"\f"), len(data), lang)


def pdf_facts(path: Path) -> tuple[int, str] | None:
    """Return a PDF's page count and paper size, or None (with a warning) if it cannot be read."""
    import pypdfium2 as pdfium  # 90 ms to import: only when a catalogue is written

    try:
        document = pdfium.PdfDocument(path)
        try:
            width, height = document[0].get_size()
            return len(document), paper_name(width, height)
        finally:
            document.close()
    except (OSError, pdfium.PdfiumError, IndexError) as exc:
        LOGGER.warning("%s: cannot be read as a PDF (%s); listed as not built yet", path, exc)
        return None


def download(fmt: CatalogueVariant, folder: Path, stem: str, point: str = "", lang: str = "") -> Download:
    """Describe one PDF of a booklet from the file a build wrote (or its absence).

    A translation's (``lang``) files are named relative to the booklet's folder: 'cy/<file>'.
    """
    pdf = paths.variant_file(folder.parent, folder.name, stem, "pdf", lang)
    html = paths.variant_file(folder.parent, folder.name, stem, "html", lang)
    book = paths.variant_file(folder.parent, folder.name, stem, "epub", lang)
    facts = pdf_facts(pdf) if pdf.is_file() else None
    prefix = f"{lang}/" if lang else ""
    web = prefix + html.name if html.is_file() else ""
    ebook = (prefix + book.name, book.stat().st_size) if book.is_file() else ("", 0)
    if facts is None:
        return Download(fmt, point, html=web, epub=ebook[0], epub_size=ebook[1])
    pages, paper = facts
    return Download(fmt, point, prefix + pdf.name, web, pages, pdf.stat().st_size, paper, *ebook)


def downloads_of(booklet: Booklet, fmt: CatalogueVariant, folder: Path) -> list[Download]:
    """Return a booklet's downloads in one format: the usual size, then other sizes that were built."""
    variant = VARIANTS.get(fmt.name)
    if variant is None or not booklet.has(variant):
        return []
    found = [download(fmt, folder, variant.stem)]
    for pt in variant.sizes:
        sized = variant.with_size(pt)
        if sized.stem != variant.stem and (pdf := download(fmt, folder, sized.stem, f"{pt}")).pdf:
            found.append(pdf)
    return found
