"""The catalogue's language pages (languages/<tag>.html), read as their readers meet them.

Each page is wholly in its language: lang and dir on <html>, every word of the frame, the
buttons and the labels from the language's message catalogue; the only English words are
the English titles and the publisher's details, each marked lang="en-GB". In headless
Chromium (tests/browser/axe.mjs), axe-core finds nothing, Tab reaches every link, the page
reflows at 320 px, the script's font loads, and a right-to-left page is laid out from the right.

The site is made from the test translations and the Welsh booklet with stand-in outputs
(blank PDFs, empty web pages and e-books), so every download label shows without rendering.
"""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfWriter

from booklet import languages, paths
from booklet.languages import LANGUAGES
from booklet.render.formats import FORMATS
from booklet.source import messages
from booklet.source.project import Project
from booklet.variants import PAPER, VARIANTS
from booklet.web.catalogue import write_catalogue

from . import tools
from .conftest import CONTENT, CORPUS, copy_content
from .test_catalogue import assert_page_passes, in_browser, run_in_browser

SLUG = "translated"  # the corpus booklet with a test translation in each language but Welsh
WELSH = "secondary-liver-cancer"  # content/: the first booklet, with its Welsh translation
BRAILLE_PAGES = 7  # in each stand-in BRF
TAGS = tuple(LANGUAGES)
PAGES = 3  # pages of each stand-in PDF


def stand_in_outputs(content: Path, out: Path) -> None:
    """Write what a build would leave for each booklet and translation: PDF, web page, e-book."""
    project = Project.load(content)
    for booklet in (b for entry in project.every() if (b := entry.booklet) is not None):
        for variant in VARIANTS.values():
            if not (booklet.source_folder / variant.source).is_file():
                continue
            pdf = paths.variant_file(out, booklet.slug, variant.stem, "pdf", booklet.lang)
            pdf.parent.mkdir(parents=True, exist_ok=True)
            writer = PdfWriter()
            for _ in range(PAGES):
                writer.add_blank_page(*PAPER[variant.page])
            writer.write(pdf)
            for fmt in ("html", "epub"):
                paths.variant_file(out, booklet.slug, variant.stem, fmt, booklet.lang).write_bytes(
                    b"x" * 1500
                )
        if FORMATS["brf"].applies(VARIANTS["standard"], booklet.lang):  # braille, where the build makes it
            brf, pef = paths.braille_files(out, booklet.slug, booklet.lang)
            brf.write_bytes(b"x" * 1000 + b"\f" * BRAILLE_PAGES)
            pef.write_bytes(b"<pef/>")


@pytest.fixture(scope="module")
def language_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the catalogue of the test translations and the Welsh booklet; return its out/ folder."""
    root = tmp_path_factory.mktemp("languages-site")
    content = copy_content(root / "content", CORPUS, SLUG)
    shutil.copytree(CONTENT / WELSH, content / WELSH)
    out = root / "out"
    stand_in_outputs(content, out)
    write_catalogue(Project.load(content, empty_ok=True), out, include_drafts=True)  # the corpus's are drafts
    return out


class Reader(HTMLParser):
    """Read a page's words as a reader meets them, apart by language.

    ``own`` is every word in the page's language: text, <title>, and the words of aria-label,
    alt and the meta description. ``marked`` is each element's text in another language, as
    (lang, text). ``html`` holds <html>'s attributes.
    """

    VOID = frozenset({"meta", "link", "input", "br", "img", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.html: dict[str, str] = {}
        self.own: list[str] = []
        self.marked: list[tuple[str, str]] = []
        self.stack: list[tuple[str, str]] = []  # open elements: (tag, language)

    @property
    def language(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html = found
        lang = found.get("lang", self.language)
        for name in ("aria-label", "alt") + (("content",) if found.get("name") == "description" else ()):
            if name in found:
                self.words(lang, found[name])
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.stack and self.stack[-1][0] in ("script", "style")):
            self.words(self.language, data)

    def words(self, lang: str, text: str) -> None:
        if lang == self.html.get("lang"):
            self.own.append(text)
        else:
            self.marked.append((lang, text))


def read(path: Path) -> Reader:
    reader = Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def english_words() -> set[str]:
    """Return every English message (the catalogue's and the booklets'), split at its placeholders.

    Unlike the PDF test, a message a language left as it is in English counts too: the
    language pages show none of them (words of 3 letters or fewer, PDF or KB, are left out).
    """
    found: set[str] = set()
    for value in messages.load(messages.SOURCE).messages.values():
        for text in value if isinstance(value, list) else [value]:
            for fragment in re.split(r"\{\w+\}", str(text)):
                fragment = " ".join(fragment.split()).strip(" ,.:")
                if len(fragment) > 3:
                    found.add(fragment)
    return found


def english_data(content: Path) -> set[str]:
    """Return what a language page shows in English: the originals' titles, the publisher's details.

    (Its name, hours, address and charity number are words; its helpline, email and short
    name are not in a language.)
    """
    project = Project.load(content)
    who = project.publisher
    found = {who.name, who.helpline_hours, who.charity_number, ", ".join(who.address)} - {""}
    for entry in project:
        if entry.booklet is not None:
            found.add(entry.booklet.meta.title)
    return found


@pytest.mark.parametrize("tag", TAGS)
def test_a_language_page_is_in_its_language_and_direction(language_site: Path, tag: str) -> None:
    lang = LANGUAGES[tag]
    page = read(language_site / paths.language_page(tag))
    assert page.html == {"lang": tag, "dir": lang.direction}
    t = messages.load(tag)
    text = " ".join(" ".join(page.own).split())
    for key in ("catalogue.language.title", "catalogue.skip_link", "catalogue.nav.all", "catalogue.helpline"):
        assert str(t.messages[key]) in text, key
    assert str(t.messages["catalogue.format.large-print"]) in text


@pytest.mark.parametrize("tag", TAGS)
def test_no_english_catalogue_words_are_left_on_a_language_page(language_site: Path, tag: str) -> None:
    """Of every English message (the catalogue's and the booklets'), none is in the page's own words.

    English is allowed only where it is marked lang="en-GB": the original's title and the
    publisher's details, which are not translated. A word the language's own catalogue uses
    as English does is the language's (Welsh writes 'Braille' too).
    """
    page = read(language_site / paths.language_page(tag))
    text = " ".join(" ".join(page.own).split())
    values = messages.load(tag).messages.values()
    ours = " ".join(" ".join(v) if isinstance(v, list) else str(v) for v in values)
    left = sorted(
        f
        for f in english_words()
        if re.search(rf"\b{re.escape(f)}\b", text) and not re.search(rf"\b{re.escape(f)}\b", ours)
    )
    assert not left
    data = english_data(language_site.parent / "content")
    english = [" ".join(words.split()) for lang, words in page.marked if lang == "en-GB"]
    assert set(english) <= data
    assert {"Looking after your mouth", "Secondary liver cancer"} & set(english)  # the original's title
    unmarked = sorted(words for words in data if words in text)
    assert not unmarked, "English titles and publisher details are marked lang='en-GB'"
    others = {lang for lang, _ in page.marked} - {"en-GB"}
    assert others == set(TAGS) - {tag}  # the other languages, each named in itself


def test_download_labels_say_format_pages_and_size_in_the_language(language_site: Path) -> None:
    cy = (language_site / paths.language_page("cy")).read_text(encoding="utf-8")
    assert f"Print safonol (PDF), A5, {PAGES} tudalen, 1 KB" in cy
    assert "Print bras (PDF), A4, " in cy
    assert "Print safonol: e-lyfr (EPUB), 2 KB" in cy
    assert ">Darllen y fersiwn hawdd ei darllen ar-lein<" in cy
    ar = (language_site / paths.language_page("ar")).read_text(encoding="utf-8")
    assert f"طباعة عادية (PDF)، A5، عدد الصفحات: {PAGES}، 1 كيلوبايت" in ar
    assert '<a href="tel:08081570647" dir="ltr">' in ar  # the number's digits in their order
    english = (language_site / SLUG / "index.html").read_text(encoding="utf-8")
    assert f"Standard print PDF, A5, {PAGES} pages, 1 KB" in english  # the English pages stay English
    assert english.startswith('<!DOCTYPE html>\n<html lang="en-GB">')


def script_font(tag: str) -> str:
    """Return the font that sets a language's script on the web: its own, else Atkinson Hyperlegible."""
    fonts = LANGUAGES[tag].fonts
    return fonts[0] if fonts == languages.LATIN else fonts[1]


@pytest.mark.slow
@in_browser
def test_language_pages_pass_axe_keyboard_and_reflow_in_chromium(language_site: Path, tmp_path: Path) -> None:
    """Every language page, and the English page that links to them, at 1280 and 320 px.

    Screenshots go to $BOOKLET_SCREENSHOTS when set (to look at), else to a temporary folder.
    """
    shots = Path(os.environ.get("BOOKLET_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    pages = [
        {
            "url": (language_site / paths.language_page(tag)).as_uri(),
            "shot": f"language-{tag}",
            "font": script_font(tag),  # Atkinson Hyperlegible for Welsh and Polish
        }
        for tag in TAGS
    ]
    pages.append({"url": (language_site / SLUG / "index.html").as_uri(), "shot": "booklet-with-languages"})
    config = {"chromium": tools.path("chromium"), "shots": str(shots), "pages": pages}
    results = run_in_browser("axe.mjs", config)["pages"]
    assert len(results) == len(pages)
    for tag, page in zip((*TAGS, "en-GB"), results, strict=True):
        where = page["url"]
        assert_page_passes(page, where, controls=20)
        assert page["font"], f"{where}: the script's font did not load: {page}"
        rtl = tag in LANGUAGES and LANGUAGES[tag].rtl
        side = "right" if rtl else "left"
        assert page["layout"] == {"direction": "rtl" if rtl else "ltr", "heading": side, "button": side}, (
            where
        )
    assert (shots / "language-ar-1280.png").stat().st_size > 10_000


def test_each_translation_s_braille_is_offered_where_it_was_built(language_site: Path) -> None:
    """A translation's BRF and PEF are offered where a build made them, and only there.

    The booklet's page and a language's page link them (Welsh, Polish, Arabic: liblouis has their
    tables), with the braille pages counted; no other language's page offers braille, and every
    braille file linked is one the catalogue publishes.
    """
    published = set((language_site / ".booklet-published.txt").read_text(encoding="utf-8").split())
    with_braille = {"pl", "ar"}
    booklet_page = (language_site / SLUG / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="([^"]*-braille\.(?:brf|pef))"', booklet_page))
    english = {f"{SLUG}-braille.brf", f"{SLUG}-braille.pef"}  # the original's
    assert linked == english | {
        f"{tag}/{SLUG}-braille.{ext}" for tag in with_braille for ext in ("brf", "pef")
    }
    assert f"Braille (BRF, Polish braille), {BRAILLE_PAGES} braille pages" in booklet_page
    welsh = (language_site / WELSH / "index.html").read_text(encoding="utf-8")
    assert f'href="cy/{WELSH}-braille.brf"' in welsh
    for tag in ("cy", "ar", "bn", "pa", "pl", "ur", "zh-Hans"):
        page = (language_site / paths.language_page(tag)).read_text(encoding="utf-8")
        hrefs = re.findall(r'href="\.\./([^"]*-braille\.(?:brf|pef))"', page)
        if tag in {*with_braille, "cy"}:
            slug = WELSH if tag == "cy" else SLUG
            assert hrefs == [f"{slug}/{tag}/{slug}-braille.brf", f"{slug}/{tag}/{slug}-braille.pef"], tag
            label = messages.load(tag)(
                "catalogue.braille", pages=BRAILLE_PAGES, size=messages.load(tag)("catalogue.kb", n=1)
            )
            assert str(label) in page, tag
            assert set(hrefs) <= published
            assert all((language_site / h).is_file() for h in hrefs)
        else:
            assert hrefs == [], tag
            assert not paths.braille_files(language_site, SLUG, tag)[0].exists()
