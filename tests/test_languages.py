"""Translations: the languages table, loading through the one Project, drift, staleness, fonts and names."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # comes with WeasyPrint

from booklet import build, languages, paths
from booklet.errors import Problem
from booklet.languages import LANGUAGES
from booklet.model import Booklet, Source
from booklet.paths import FONTS, STYLES
from booklet.render import document, epub, markup
from booklet.render import html as render_html
from booklet.source import messages, rules, translations, tree
from booklet.source.project import Project, load_booklet
from booklet.variants import VARIANTS

from .conftest import CONTENT, CORPUS, ROOT, copy_content

SLUG = "translated"  # the corpus booklet with a short test translation in each language but Welsh
TEST_LANGUAGES = ("ar", "bn", "pa", "pl", "ur", "zh-Hans")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """Return a writable copy of the corpus booklet with translations, and publisher.yml."""
    return copy_content(tmp_path / "content", CORPUS, SLUG)


def translation(content: Path, tag: str) -> Path:
    return content / SLUG / "translations" / tag / "booklet.md"


def entries(content: Path) -> dict[str, list[str]]:
    """Return the rules of every problem, by language ('' for the original)."""
    project = Project.load(content, [SLUG])
    return {e.lang: [p.rule for p in e.problems] for e in project.every()}


def test_every_test_translation_loads_clean_through_the_project() -> None:
    project = Project.load(CORPUS, [SLUG])
    entry = project.entry(SLUG)
    assert [t.lang for t in entry.translations] == sorted(TEST_LANGUAGES)
    english = entry.booklet
    assert english is not None
    for t in entry.translations:
        assert t.problems == (), t.problems
        b = t.booklet
        assert b is not None
        assert b.lang == t.lang
        assert b.meta.language == t.lang
        assert b.meta.code == english.meta.code
        assert b.meta.references == english.meta.references
        assert b.meta.title != english.meta.title
        assert b.meta.translation is not None
        assert not b.meta.translation.reviewed
        assert b.source.path == translation(CORPUS, t.lang)
        assert b.folder == english.folder  # pictures are the original's


def test_languages_named_in_themselves() -> None:
    natives = {tag: lang.native for tag, lang in LANGUAGES.items()}
    assert natives == {
        "cy": "Cymraeg",
        "pl": "Polski",
        "ar": "العربية",
        "ur": "اردو",
        "bn": "বাংলা",
        "pa": "ਪੰਜਾਬੀ",
        "zh-Hans": "中文",
    }
    assert {tag for tag, lang in LANGUAGES.items() if lang.rtl} == {"ar", "ur"}


def test_every_font_family_of_the_table_is_a_committed_font_with_its_licence() -> None:
    families: dict[str, list[Path]] = {}
    for font in sorted(FONTS.glob("*.ttf")):
        with TTFont(font, lazy=True) as ttf:
            families.setdefault(ttf["name"].getBestFamilyName(), []).append(font)
    licences = {p.name.split("-")[0]: p.read_text() for p in FONTS.glob("*.txt")}
    for lang in LANGUAGES.values():
        for family in lang.fonts:
            assert len(families.get(family, [])) == 2, f"{family}: a regular and a bold font in fonts/"
            licence = next(text for name, text in licences.items() if name.startswith(family.split()[0]))
            assert family in licence or family.startswith(("Atkinson", "DejaVu"))


def test_languages_css_gives_each_language_the_table_s_font_chain() -> None:
    css = (STYLES / languages.STYLESHEET).read_text()
    chains = {
        tag: value.strip()
        for tags, value in re.findall(r"((?:html:lang\([^)]+\),?\s*)+)\{\s*--font:([^;]+);", css)
        for tag in re.findall(r"lang\(([^)]+)\)", tags)
    }
    for tag, lang in LANGUAGES.items():
        if lang.fonts != languages.LATIN:
            assert chains[tag] == languages.font_stack(lang), tag
    for family in {f for lang in LANGUAGES.values() for f in lang.fonts}:
        assert f'"{family}"' in css.split("@page {")[1], f"{family} is in the running heads' chain"


@pytest.mark.parametrize("tag", TEST_LANGUAGES)
def test_glyph_rule_reads_the_language_s_own_fonts(tag: str) -> None:
    """Every character of each test translation has a glyph in the fonts of its language's chain."""
    lang = LANGUAGES[tag]
    text = translation(CORPUS, tag).read_text()
    missing = {c for c in text if not c.isspace() and ord(c) not in rules.covered(lang.fonts)}
    assert not missing
    if lang.fonts != languages.LATIN:  # and the Latin chain alone would not do
        assert {c for c in text if ord(c) not in rules.covered()}


def test_a_character_outside_the_language_s_fonts_is_an_error_of_that_translation_only(content: Path) -> None:
    path = translation(content, "pl")
    path.write_text(path.read_text().replace("Pij dużo wody.", "Pij dużo wody 口."))
    found = entries(content)
    assert found["pl"] == ["SRC-GLYPH"]
    assert all(not rules_ for lang, rules_ in found.items() if lang != "pl")
    problem = next(p for e in Project.load(content, [SLUG]).every() for p in e.problems)
    assert "'口'" in problem.message
    assert "Atkinson Hyperlegible" in problem.message


def test_a_translation_that_drops_a_chapter_is_an_error_naming_what_differs(content: Path) -> None:
    path = translation(content, "ar")
    text = path.read_text()
    path.write_text(text[: text.index("# العناية بفمك")])
    project = Project.load(content, [SLUG])
    ar = next(e for e in project.every() if e.lang == "ar")
    drift = [p for p in ar.problems if p.rule == "TRN-STRUCTURE"]
    assert drift
    assert drift[0].severity == "error"
    assert drift[0].path == path
    assert "heading levels" in drift[0].message
    assert "2 in the translation, 5 in the original" in drift[0].message
    todo = build.plan(project)
    made = {(b.key, v.name) for b, v in todo.jobs}
    assert ("translated/ar", "standard") not in made
    assert ("translated", "standard") in made
    assert ("translated/pl", "standard") in made
    assert todo.stopped == {"translated/ar": ["standard", "large-print"]}


def test_a_dropped_citation_is_an_error(content: Path) -> None:
    path = translation(content, "zh-Hans")
    path.write_text(path.read_text().replace(" [@mouthcare]", ""))
    assert entries(content)["zh-Hans"] == ["TRN-STRUCTURE"]


def test_a_translation_of_an_older_edition_is_a_warning(content: Path) -> None:
    english = content / SLUG / "booklet.md"
    english.write_text(english.read_text().replace("edition: 1st edition", "edition: 2nd edition"))
    project = Project.load(content, [SLUG])
    for entry in project.entry(SLUG).translations:
        assert [(p.rule, p.severity) for p in entry.problems] == [("TRN-STALE", "warning")]
        assert "1st edition" in entry.problems[0].message
        assert "2nd edition" in entry.problems[0].message
        assert not entry.blocked(VARIANTS["standard"])


def test_an_unknown_language_folder_is_an_error(content: Path) -> None:
    folder = content / SLUG / "translations" / "xx"
    folder.mkdir()
    shutil.copy(translation(content, "pl"), folder / "booklet.md")
    found = entries(content)
    assert found["xx"] == ["TRN-LANGUAGE"]
    assert found[""] == []
    assert found["pl"] == []


def test_translation_front_matter_is_validated_with_lines(content: Path) -> None:
    path = translation(content, "bn")
    path.write_text(
        path.read_text().replace("translated_from:\n  edition: 1st edition\n  published: 2026-10-01\n", "")
    )
    project = Project.load(content, [SLUG])
    bn = next(e for e in project.every() if e.lang == "bn")
    assert bn.booklet is None
    assert [p.rule for p in bn.problems] == ["META-FIELD"]
    assert "translated_from" in bn.problems[0].message


def test_outputs_of_a_translation_go_to_their_language_s_folder() -> None:
    out = Path("/out")
    assert paths.variant_file(out, "slc", "standard", "pdf") == out / "slc" / "slc-standard.pdf"
    assert paths.variant_file(out, "slc", "standard", "pdf", "cy") == out / "slc" / "cy" / "slc-standard.pdf"
    assert (
        paths.page_map_file(out, "slc", "easy-read", "ar") == out / "slc" / "ar" / "slc-easy-read.pages.json"
    )


def test_braille_is_made_for_the_original_and_the_languages_liblouis_has_a_table_for() -> None:
    from booklet.render.formats import FORMATS

    standard = VARIANTS["standard"]
    assert FORMATS["brf"].applies(standard)
    assert [tag for tag in LANGUAGES if FORMATS["brf"].applies(standard, tag)] == ["cy", "pl", "ar"]
    assert not FORMATS["brf"].applies(VARIANTS["large-print"], "cy")
    assert all(FORMATS[name].applies(standard, "cy") for name in ("pdf", "html", "epub"))


def test_stylesheets_of_a_translation() -> None:
    assert languages.stylesheets("", "standard") == ()
    assert languages.stylesheets("pl", "standard") == ("languages.css",)
    assert languages.stylesheets("ar", "large-print") == ("languages.css", "rtl.css", "rtl-large-print.css")
    for tag in LANGUAGES:
        for variant in VARIANTS:
            assert all((STYLES / name).is_file() for name in languages.stylesheets(tag, variant))


def test_every_catalogue_has_the_source_s_keys_and_says_whether_it_is_reviewed() -> None:
    source = messages.load(messages.SOURCE)
    for tag in LANGUAGES:
        catalogue = messages.load(tag)
        assert set(catalogue.messages) == set(source.messages), tag
        assert catalogue.status in ("machine-made", "reviewed")
        text = (messages.FOLDER / f"{tag}.yml").read_text()
        if catalogue.status == "machine-made":
            assert "needs review by a professional translator" in text
        for key, value in source.messages.items():
            if isinstance(value, str):
                wanted = set(re.findall(r"\{(\w+)\}", value))
                assert set(re.findall(r"\{(\w+)\}", str(catalogue.messages[key]))) == wanted, (tag, key)
            else:
                assert len(catalogue.list(key)) == len(value), (tag, key)


def test_a_translation_s_variant_words_and_dates_are_its_language_s() -> None:
    cy = messages.load("cy")
    large = cy.localise(VARIANTS["large-print"].with_size(24))
    assert large.cover_label == "Print bras, 24 pwynt"
    assert dict(large.back_matter)["references"] == "Cyfeiriadau"
    assert cy.month(date(2026, 11, 1)) == "Tachwedd 2026"
    assert messages.load("zh-Hans").month(date(2026, 11, 1)) == "2026年11月"
    assert cy.join(["print bras", "fersiwn hawdd ei darllen", "print safonol"]) == (
        "print bras, fersiwn hawdd ei darllen a print safonol"
    )
    chinese = messages.words_css(messages.load("zh-Hans"), "easy-read")
    assert '@page { @bottom-center { content: "第 " counter(page) " 页"; } }' in chinese
    assert '.notes { string-set: chapter "笔记"; }' in chinese
    assert "@page" not in messages.words_css(messages.load("zh-Hans"), "standard")
    assert '"Page " counter(page) ""' in messages.words_css(messages.load(), "large-print")


def test_list_shows_each_language_and_whether_it_is_current(content: Path) -> None:
    english = content / SLUG / "booklet.md"
    english.write_text(english.read_text().replace("published: 2026-10-01", "published: 2026-10-02"))
    path = translation(content, "ar")
    path.write_text(path.read_text().replace(" [@mouthcare]", ""))
    row = next(r for r in build.listing(Project.load(content, empty_ok=True)) if r.slug == SLUG)
    states = dict(row.languages)
    assert states["ar"] == "cannot be built"
    assert states["pl"] == "out of date"
    assert {p.rule for p in row.problems} == {"TRN-STALE", "TRN-STRUCTURE"}


def test_catalogue_lists_languages_named_in_themselves_with_lang_and_dir(tmp_path: Path) -> None:
    from booklet.web import catalogue

    cat = catalogue.gather(Project.load(CORPUS, [SLUG]), tmp_path, include_drafts=True)
    site = catalogue.render(cat, tmp_path)
    page = site[tmp_path / SLUG / "index.html"].decode()
    for tag in TEST_LANGUAGES:
        lang = LANGUAGES[tag]
        attributes = f'lang="{tag}" dir="{lang.direction}" hreflang="{tag}"'
        link = f'<a href="../languages/{tag}.html" {attributes}>{lang.native}</a>'
        assert link in page
        own = site[tmp_path / "languages" / f"{tag}.html"].decode()
        title = Project.load(CORPUS, [SLUG]).entry(SLUG).translations[TEST_LANGUAGES.index(tag)].booklet
        assert title is not None
        assert f'<html lang="{tag}" dir="{lang.direction}">' in own  # the page is in the language
        assert f'class="card-title">{title.meta.title}</h2>' in own
        words = messages.load(tag).messages["catalogue.not_built"]
        assert str(words).split("{format}")[1] in own  # nothing was built in tmp_path, said in the language


WELSH = "secondary-liver-cancer"  # content/: the first booklet, with its Welsh translation
PICTURE = "images/cancer-spread.svg"  # its picture with words (Bowel, Blood vessel, Liver)


@pytest.fixture
def welsh_content(tmp_path: Path) -> Path:
    """Return a writable copy of the first booklet, with its Welsh translation, and publisher.yml."""
    return copy_content(tmp_path / "content", CONTENT, WELSH)


def welsh(content: Path = CONTENT) -> tuple[Booklet, list[Problem]]:
    """Return the Welsh translation of the first booklet and its problems."""
    entry = Project.load(content, [WELSH]).entry(WELSH)
    found = next(t for t in entry.translations if t.lang == "cy")
    assert found.booklet is not None, found.problems
    return found.booklet, list(found.problems)


def test_svg_words_are_its_text_with_letters_not_numbers_or_descriptions() -> None:
    assert translations.svg_words(CONTENT / WELSH / PICTURE) == ("Bowel", "Blood vessel", "Liver")
    own = CONTENT / WELSH / "translations" / "cy" / PICTURE
    assert translations.svg_words(own) == ("Coluddyn", "Pibell waed", "Iau")


def test_the_welsh_booklet_shows_its_own_picture_with_welsh_words() -> None:
    """The Welsh picture is the English drawing with Welsh labels, and every output reads it."""
    booklet, problems = welsh()
    assert booklet.own_pictures == (PICTURE,)
    assert not [p for p in problems if p.rule in ("TRN-PICTURE-WORDS", "SRC-IMAGE-FILE")]
    own = CONTENT / WELSH / "translations" / "cy" / PICTURE
    assert booklet.picture(PICTURE) == own
    words = re.compile(
        r'<(?:title|desc|text)\b[^>]*>.*?</(?:title|desc|text)>|<!--.*?-->| xml:lang="cy" lang="cy"', re.S
    )
    # the same drawing: only its words (labels, title, description), their language and a comment differ
    drawing = ["".join(words.sub("", path.read_text()).split()) for path in (CONTENT / WELSH / PICTURE, own)]
    assert drawing[0] == drawing[1]
    ctx = render_html.context(booklet, VARIANTS["standard"])
    pdf_html = document.serialise(render_html.document(ctx, pictures=render_html.picture_srcs(booklet)))
    assert f'src="translations/cy/{PICTURE}"' in pdf_html
    assert f'src="{PICTURE}"' not in pdf_html
    web = render_html.picture_srcs(booklet, web=True)
    web_html = document.serialise(render_html.document(ctx, pictures=web))
    assert f'src="{PICTURE}"' in web_html  # published beside the Welsh page
    assert epub._picture_source(booklet, PICTURE) == own
    english_booklet = load_booklet(CONTENT, WELSH)
    assert render_html.picture_srcs(english_booklet) is None
    assert epub._picture_source(english_booklet, PICTURE) == CONTENT / WELSH / PICTURE


def test_a_translated_web_page_finds_its_pictures_and_styles(tmp_path: Path) -> None:
    """Every relative address of a translation's web pages names a file that was written."""
    out = tmp_path / "out"
    build.build(CONTENT, out, [WELSH], format_names=["html"])
    own = out / WELSH / "cy" / PICTURE
    assert own.read_bytes() == (CONTENT / WELSH / "translations" / "cy" / PICTURE).read_bytes()
    pages = sorted((out / WELSH / "cy").glob("*.html"))
    assert len(pages) == 3
    for page in pages:
        html = page.read_text()
        addresses = re.findall(r'(?:src|href)="([^"#:]+)"', html)
        assert any(a.endswith(".css") for a in addresses)
        assert any(a.endswith(".svg") for a in addresses)
        for address in addresses:
            assert (page.parent / address).resolve().is_file(), (page.name, address)


def test_a_picture_with_words_and_no_translated_version_is_a_warning(welsh_content: Path) -> None:
    own = welsh_content / WELSH / "translations" / "cy" / PICTURE
    own.unlink()
    booklet, problems = welsh(welsh_content)
    assert booklet.own_pictures == ()
    [warning] = [p for p in problems if p.rule == "TRN-PICTURE-WORDS"]
    assert warning.severity == "warning"
    assert warning.path == welsh_content / WELSH / "translations" / "cy" / "booklet.md"
    assert warning.line is not None
    assert PICTURE in warning.path.read_text().splitlines()[warning.line - 1]
    assert "Bowel, Blood vessel, Liver" in warning.message
    assert str(own) in warning.fix
    assert "Welsh" in warning.fix
    shutil.copy(welsh_content / WELSH / PICTURE, own)  # a copy whose words are still English
    booklet, problems = welsh(welsh_content)
    assert booklet.own_pictures == (PICTURE,)
    [warning] = [p for p in problems if p.rule == "TRN-PICTURE-WORDS"]
    assert "still has the original's words" in warning.message


def test_a_translated_picture_must_stay_in_its_folder(welsh_content: Path, tmp_path: Path) -> None:
    own = welsh_content / WELSH / "translations" / "cy" / PICTURE
    outside = tmp_path / "outside.svg"
    shutil.copy(own, outside)
    own.unlink()
    own.symlink_to(outside)
    booklet, problems = welsh(welsh_content)
    assert booklet.own_pictures == ()  # not read: the original's picture is shown
    [error] = [p for p in problems if p.rule == "SRC-IMAGE-FILE"]
    assert "not in the translation's images/ folder" in error.message
    assert error.severity == "error"


def test_a_translated_easy_read_has_its_own_cover_picture_and_words() -> None:
    booklet, _ = welsh()
    assert booklet.easy_read_cover == ("icon:liver", "Llun o iau")
    assert load_booklet(CONTENT, WELSH).easy_read_cover != booklet.easy_read_cover


APPROVED = """status: approved
reviews:
  - kind: clinical
    role: Consultant in oral medicine
    date: 2026-09-12
    outcome: approved
  - kind: lay
    role: Person living with cancer
    date: 2026-09-12
    outcome: approved
"""


@pytest.mark.parametrize("tag", sorted(LANGUAGES))
def test_a_part_to_be_supplied_is_known_in_each_language(tag: str) -> None:
    """The catalogue's opening marks the paragraph, as the English one does in every language."""
    opening = str(messages.load(tag).messages[rules.TO_BE_SUPPLIED])
    own = f"{opening}X: Y."
    english = "To be supplied by the clinical reviewer: Y."
    assert rules.to_be_supplied(own, tag)
    assert rules.to_be_supplied(english, tag)  # left untranslated: still a part to write
    assert not rules.to_be_supplied(own)  # not a phrase of English booklets
    assert not rules.to_be_supplied("Y. " + own, tag)  # only at the start of a paragraph
    text = f"{own}\n\nDone.\n"
    body = markup.to_html(Source(Path("x.md"), text, 1, tree.parse(text, 1)), {}, lang=tag)
    assert body.html.count('<p class="to-be-supplied">') == 1


def test_the_welsh_part_to_be_supplied_is_boxed() -> None:
    booklet, _ = welsh()
    html = render_html.render(booklet, VARIANTS["standard"])
    assert html.count('<p class="to-be-supplied">I\'w ddarparu gan yr adolygydd clinigol: ') == 1


def test_a_translation_of_an_approved_booklet_may_leave_nothing_to_supply(content: Path) -> None:
    """An approved booklet's translation with a part to be supplied, in its words or English, is an error."""
    english = content / SLUG / "booklet.md"
    english.write_text(english.read_text().replace("status: draft\n", APPROVED))
    assert entries(content) == {tag: [] for tag in ("", *TEST_LANGUAGES)}
    for tag in ("ar", "zh-Hans"):
        path = translation(content, tag)
        opening = str(messages.load(tag).messages[rules.TO_BE_SUPPLIED])
        path.write_text(path.read_text() + f"\n{opening}X: Y.\n")
    path = translation(content, "pl")
    path.write_text(path.read_text() + "\nTo be supplied by the clinical reviewer: Y.\n")
    found = entries(content)
    assert found[""] == []
    for tag in TEST_LANGUAGES:
        assert found[tag] == (["SRC-TO-BE-SUPPLIED"] if tag in ("ar", "zh-Hans", "pl") else []), tag


@pytest.mark.parametrize("tag", ["", *sorted(LANGUAGES)])
def test_each_language_has_a_draft_band_in_its_own_words_drawn_as_outlines(tag: str) -> None:
    band = STYLES / render_html.draft_band(tag)
    svg = band.read_text()
    words = str(messages.load(tag or messages.SOURCE).messages["draft.band"])
    assert f"'{words}'" in svg  # made from the catalogue's words as they are (scripts/make-draft-band.py)
    assert translations.svg_words(band) == ()  # outlines: no text for readers to skip on every page
    assert svg.count("<path ") == 1
    if tag:
        css = (STYLES / render_html.draft_stylesheets(tag)[-1]).read_text()
        english = (STYLES / render_html.DRAFT_CSS).read_text()
        # every place draft.css draws the English band draws the language's instead
        assert css.count(f"url({band.name})") == english.count("url(draft-band.svg)") == 6
        # with the band's yellow under it in the four @page rules, reaching into a print file's bleed
        assert css.count("url(draft-bleed.svg)") == english.count("url(draft-bleed.svg)") == 4
        assert css.count("url(") == 6 + 4


def test_a_translated_draft_adds_its_band_after_draft_css() -> None:
    booklet, _ = welsh()
    assert booklet.meta.draft
    stylesheets = render_html.context(booklet, VARIANTS["easy-read"])["stylesheets"]
    assert stylesheets[-2:] == ("draft.css", "draft-cy.css")
    english = render_html.context(load_booklet(CONTENT, WELSH), VARIANTS["easy-read"])["stylesheets"]
    assert english[-1] == "draft.css"
    html = render_html.render(booklet, VARIANTS["easy-read"])
    banner = messages.load("cy").messages["cover.draft_banner"]
    assert isinstance(banner, str)
    assert banner in html  # the web page's banner, in Welsh


def test_the_draft_bands_are_what_the_script_makes_of_the_catalogues(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shape the words again (HarfBuzz): the committed bands are current, byte for byte."""
    spec = importlib.util.spec_from_file_location("make_draft_band", ROOT / "scripts" / "make-draft-band.py")
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, script)  # its dataclass looks itself up there
    spec.loader.exec_module(script)
    faces = script.bold_faces()
    english = str(messages.load().messages["draft.band"])
    made = script.band(english, [faces[f] for f in languages.LATIN])
    assert made == (STYLES / render_html.draft_band()).read_text()
    for tag, lang in LANGUAGES.items():
        words = str(messages.load(tag).messages["draft.band"])
        made = script.band(words, [faces[f] for f in lang.fonts], lang.rtl)
        assert made == (STYLES / render_html.draft_band(tag)).read_text(), tag
        assert script.stylesheet(tag) == (STYLES / f"draft-{tag}.css").read_text(), tag


@pytest.mark.slow  # renders
def test_a_build_with_nothing_changed_reads_no_translation_and_an_edit_remakes_only_its_own(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Translations are weighed by the cache before anything is read, as English booklets are."""
    from .conftest import rendered

    out = tmp_path / "out"
    seen = rendered(monkeypatch)
    build.build(content, out, [SLUG], ["standard"], format_names=["pdf"], workers=1)
    assert len(seen) == 1 + len(TEST_LANGUAGES)
    loads: list[object] = []
    real_load = Project.load

    def load(*args: Any, **kw: Any) -> Project:
        loads.append(args)
        return real_load(*args, **kw)

    monkeypatch.setattr(Project, "load", load)
    seen.clear()
    build.build(content, out, [SLUG], ["standard"], format_names=["pdf"], workers=1)
    assert seen == []
    assert loads == []  # nothing was read: every output, English and translated, is current
    source = translation(content, "bn")
    source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build.build(content, out, [SLUG], ["standard"], format_names=["pdf"], workers=1)
    assert seen == [f"{SLUG}/standard"]  # the Bengali one only
    assert (out / SLUG / "bn" / f"{SLUG}-standard.pdf").stat().st_mtime > (
        out / SLUG / "pl" / f"{SLUG}-standard.pdf"
    ).stat().st_mtime


def test_a_translation_without_an_easy_read_does_not_offer_one(welsh_content: Path) -> None:
    """Its variants are those of its own folder: no "also available in ... easy read" on its pages."""
    (welsh_content / WELSH / "translations" / "cy" / "easy-read.md").unlink()
    entry = Project.load(welsh_content, [WELSH]).entry(WELSH)
    english = entry.booklet
    cy = next(t for t in entry.translations if t.lang == "cy")
    assert english is not None
    assert cy.booklet is not None
    easy = VARIANTS["easy-read"]
    assert easy in english.variants()
    assert [v.name for v in cy.booklet.variants()] == ["standard", "large-print"]
    assert [v.name for v in cy.variants()] == ["standard", "large-print"]
    words = messages.load("cy").format_name(easy)
    ctx = render_html.context(cy.booklet, VARIANTS["standard"])
    assert words not in ctx["other_formats"]
    assert ctx["other_formats"] == [messages.load("cy").format_name(VARIANTS["large-print"])]
    assert words not in render_html.render(cy.booklet, VARIANTS["standard"])


@pytest.mark.slow  # builds the web pages and the catalogue
def test_built_web_pages_of_a_translation_offer_only_its_own_formats(
    welsh_content: Path, tmp_path: Path
) -> None:
    """Built and catalogued, a Welsh translation without an easy read links no easy-read file anywhere.

    Every link of every web page (the booklet's own pages and the catalogue) that leads into
    the translation's folder leads to a file the build wrote, and the translation's page names
    no easy read among its other formats.
    """
    from booklet.web.catalogue import write_catalogue

    from .test_catalogue_languages import stand_in_outputs

    (welsh_content / WELSH / "translations" / "cy" / "easy-read.md").unlink()
    out = tmp_path / "out"
    stand_in_outputs(welsh_content, out)  # PDFs and e-books, as a build leaves them
    build.build(welsh_content, out, [WELSH], format_names=["html"])  # the real web pages
    write_catalogue(Project.load(welsh_content), out, include_drafts=True)  # the first booklet is a draft
    cy = (out / WELSH / "cy").resolve()
    assert sorted(p.name for p in cy.glob("*.html")) == [
        f"{WELSH}-large-print.html",
        f"{WELSH}-standard.html",
    ]
    pages = sorted(out.rglob("*.html"))
    reached = set()
    for page in pages:
        for href in re.findall(r'(?:href|src)="(?![a-z]+:)([^"#?]+)', page.read_text(encoding="utf-8")):
            target = (page.parent / href).resolve()
            if target.is_relative_to(cy):
                assert "easy-read" not in target.name, f"{page.relative_to(out)} links {href}"
                assert target.exists(), f"{page.relative_to(out)} links {href}, which was not built"
                reached.add(target.name)
    assert f"{WELSH}-standard.pdf" in reached  # the catalogue does offer the translation's own files
    easy = messages.load("cy").format_name(VARIANTS["easy-read"])
    for page in cy.glob("*.html"):
        assert easy not in page.read_text(encoding="utf-8"), page.name


@pytest.mark.parametrize("tag", ["", "ar", "bn", "pa", "pl", "ur", "zh-Hans"])
def test_ids_are_unique_names_in_every_script(tag: str) -> None:
    """Every id of a translation's web page is unique and a valid XML name; terms keep their letters."""
    entry = Project.load(CORPUS, ["translated"]).entry("translated")
    booklet = entry.booklet if not tag else next(t.booklet for t in entry.translations if t.lang == tag)
    assert booklet is not None
    page = render_html.render(booklet, VARIANTS["standard"])
    ids = re.findall(r'\sid="([^"]*)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for ident in ids:
        assert ident[0].isalpha() or ident[0] == "_", ident
        assert all(c.isalnum() or c in "-_." or unicodedata.category(c) in ("Mn", "Mc") for c in ident), ident
    terms = [i for i in ids if i.startswith("word-")]
    assert len(terms) == len(booklet.meta.glossary) == 2
    assert terms == [f"word-{markup.slugify(term)}" for term, _ in booklet.meta.glossary]
    assert "word-section" not in terms


def test_slugs_keep_every_script_and_are_made_unique() -> None:
    assert markup.slugify("Your liver") == "your-liver"
    assert markup.slugify("غسول الفم") == "غسول-الفم"
    assert markup.slugify("漱口水") == "漱口水"
    assert markup.slugify("টুথব্রাশ") == "টুথব্রাশ"  # vowel signs stay with their letters
    assert markup.slugify("2 tablets") == "s-2-tablets"  # an XML name starts with a letter
    assert markup.slugify("Word- list") == "s-word-list"  # never taken for a glossary id
    assert markup.slugify("?!") == "section"
    assert markup.unique_slugs(["漱口水", "漱口水", "Mouth wash"], "word-") == [
        "word-漱口水",
        "word-漱口水-2",
        "word-mouth-wash",
    ]


def test_a_translation_names_its_citations_and_pictures_in_its_own_language() -> None:
    """A Welsh citation link is described as 'Cyfeirnod 1: ...', and braille's picture notes say 'Llun:'."""
    from booklet.render.braille import source as braille_source

    booklet, _ = welsh()
    ctx = render_html.context(booklet, VARIANTS["standard"])
    root = render_html.document(ctx)
    titles = [a.get("title", "") for a in root.iter("a") if a.get("class") == "cite"]
    assert titles
    assert all(title.startswith("Cyfeirnod ") for title in titles), titles[:3]
    welsh_words = messages.of(booklet.publisher, "cy")
    notes = [b.text for b in braille_source.read(root, welsh_words) if b.style == "note"]
    assert notes
    assert all(note.startswith("Llun: ") for note in notes), notes[:3]
    assert not any("Picture" in note or "Reference" in note for note in notes)
