"""A publisher's words are its own: publisher.yml's messages, questions and translations."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from booklet.build import build
from booklet.errors import ContentError
from booklet.paths import STYLES
from booklet.render import html as render_html
from booklet.source import messages
from booklet.source.project import Project
from booklet.variants import VARIANTS
from booklet.web.catalogue import write_catalogue

from .conftest import CONTENT, CORPUS, FIXTURES, copy_content

SAMPLE = "sample-booklet"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """Return a copy of the sample content (its publisher.yml sets no words of its own)."""
    return copy_content(tmp_path / "content", FIXTURES, SAMPLE)


def html_of(content: Path, variant: str = "standard", slug: str = SAMPLE, lang: str = "") -> str:
    project = Project.load(content, [slug])
    entry = next(e for e in project.every() if e.slug == slug and e.lang == lang)
    assert entry.booklet is not None, entry.problems
    return render_html.render(entry.booklet, VARIANTS[variant])


def add(content: Path, text: str) -> None:
    with (content / "publisher.yml").open("a", encoding="utf-8") as handle:
        handle.write(text)


def set_front(path: Path, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\n" + lines, 1), encoding="utf-8")


def test_the_package_s_words_are_topic_neutral() -> None:
    for path in sorted(messages.FOLDER.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
        assert data["cover.series"] == "", path
        words = str(data).lower()
        for topic in ("cancer", "canser", "raka", "癌", "السرطان", "کینسر", "ক্যান্সার", "ਕੈਂਸਰ"):
            assert topic not in words, (path, topic)


def test_a_publisher_that_sets_no_series_has_none_on_the_cover(sample: Path) -> None:
    cover = html_of(sample).split('<p class="cover-series">', 1)[1].split("</p>", 1)[0]
    assert cover.strip() == "Lanternfield"


def test_the_example_publisher_keeps_its_words_in_publisher_yml() -> None:
    html = html_of(CONTENT, slug="secondary-liver-cancer")
    assert '<p class="cover-series">Lanternfield · Cancer information</p>' in html
    assert "What type of cancer do I have, and where did it start?" in html
    welsh = html_of(CONTENT, slug="secondary-liver-cancer", lang="cy")
    assert "Gwybodaeth am ganser" in welsh
    assert "A oes treial clinigol a allai fod yn addas i mi?" in welsh


def test_publisher_messages_override_the_package_s(sample: Path) -> None:
    add(sample, 'messages:\n  cover.series: Wound care leaflets\n  about.call: "Ring the ward on"\n')
    html = html_of(sample)
    assert "Lanternfield · Wound care leaflets" in html
    assert "Ring the ward on" in html
    assert "Call our free helpline on" not in html


def test_the_pdf_s_page_and_notes_words_are_the_publisher_s(sample: Path) -> None:
    add(sample, 'messages:\n  page: "Leaflet page {n}"\n  notes.title: \'Your "own" notes\'\n')
    project = Project.load(sample, [SAMPLE])
    booklet = next(e.booklet for e in project.every() if e.slug == SAMPLE)
    assert booklet is not None
    css = messages.words_css(messages.of(booklet.publisher), "large-print")
    assert '@page { @bottom-center { content: "Leaflet page " counter(page) ""; } }' in css
    assert '.notes { string-set: chapter "Your \\"own\\" notes"; }' in css
    for name in ("large-print.css", "easy-read.css", "base.css"):  # no word of their own
        sheet = (STYLES / name).read_text(encoding="utf-8")
        assert not re.search(r'(content|string-set):[^;]*"[A-Za-z]', sheet), name


@pytest.mark.slow
def test_the_pdf_s_link_descriptions_are_the_publisher_s(sample: Path, tmp_path: Path) -> None:
    """What a screen reader hears of a link (its /Contents) is worded by publisher.yml's link.* messages."""
    add(sample, 'messages:\n  link.page: "{text} (leaflet page {n})"\n  link.email: "Write to {address}"\n')
    out = tmp_path / "out"
    build(sample, out, [SAMPLE], variant_names=["standard"], format_names=["pdf"])
    reader = PdfReader(out / SAMPLE / f"{SAMPLE}-standard.pdf")
    said = [
        str(annotation.get_object().get("/Contents", ""))
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]
    inside = [text for text in said if re.fullmatch(r".+ \(leaflet page \d+\)", text)]
    assert len(inside) >= 3, said  # the contents list's entries, at least
    assert not [text for text in said if re.search(r", page \d+$", text)]  # the package's words
    assert [text for text in said if text.startswith("Write to ")]
    assert not [text for text in said if text.startswith("Email ")]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("messages:\n  cover.serie: Leaf\n", "no message 'cover.serie' (did you mean 'cover.series'?)", 2),
        ("messages:\n  questions.list: Ask anything\n", "should be a list", 2),
        ('messages:\n  back.published: "Out {when}"\n', "fills in when, which the template does not give", 2),
        ("messages:\n  about.title: [a, b]\n", "should be text", 2),
        ("translations:\n  xx:\n    helpline_hours: Always\n", "'xx' is not a language booklet can set", 3),
        ("translations:\n  pl:\n    edition: Wydanie\n", "should hold {n}", 3),
        ("translations:\n  pl:\n    messages:\n      nope: x\n", "has no message 'nope'", 4),
        ("translations:\n  pl:\n    colour: red\n", "unknown key 'colour'", 3),
    ],
)
def test_bad_publisher_words_are_refused_with_file_line_and_fix(
    sample: Path, text: str, message: str, line: int
) -> None:
    first = len((sample / "publisher.yml").read_text(encoding="utf-8").splitlines())
    add(sample, text)
    with pytest.raises(ContentError) as caught:
        Project.load(sample)
    (problem,) = caught.value.problems
    assert problem.path == sample / "publisher.yml"
    assert message in problem.message
    assert problem.line == first + line
    assert problem.fix


def test_a_booklet_s_own_questions_replace_the_publisher_s(sample: Path) -> None:
    add(sample, "messages:\n  questions.list:\n    - What type of cancer do I have?\n")
    set_front(sample / SAMPLE / "booklet.md", "questions:\n  - How long will the wound take to heal?\n")
    html = html_of(sample)
    assert "How long will the wound take to heal?" in html
    assert "cancer" not in html.split('id="questions-to-ask"', 1)[1].split("</section>", 1)[0].lower()


def test_questions_false_leaves_the_page_out_everywhere(sample: Path) -> None:
    set_front(sample / SAMPLE / "booklet.md", "questions: false\n")
    html = html_of(sample)
    assert 'id="questions-to-ask"' not in html
    assert "#questions-to-ask" not in html  # neither the contents nor "How to use this booklet" link to it


def test_the_publisher_s_list_when_the_booklet_gives_none(sample: Path) -> None:
    add(sample, "messages:\n  questions.list:\n    - Who looks after my wound at home?\n")
    assert "Who looks after my wound at home?" in html_of(sample)


def test_an_empty_list_keeps_the_page_for_notes_without_suggestions(sample: Path) -> None:
    set_front(sample / SAMPLE / "booklet.md", "questions: []\n")
    page = html_of(sample).split('id="questions-to-ask"', 1)[1].split("</section>", 1)[0]
    assert "<ul>" not in page
    assert 'id="your-questions"' in page


def test_easy_read_questions_come_from_its_front_matter_or_the_publisher(sample: Path) -> None:
    easy = sample / SAMPLE / "easy-read.md"
    original = easy.read_text(encoding="utf-8")
    assert '<ul class="suggested-questions">' not in html_of(sample, "easy-read")  # none by default
    add(sample, "messages:\n  easy.questions_list:\n    - Will it hurt?\n")
    assert "Will it hurt?" in html_of(sample, "easy-read")
    set_front(easy, "questions:\n  - When can I wash?\n")
    html = html_of(sample, "easy-read")
    assert "When can I wash?" in html
    assert "Will it hurt?" not in html
    easy.write_text(original, encoding="utf-8")
    set_front(easy, "questions: false\n")
    assert 'id="questions-to-ask"' not in html_of(sample, "easy-read")


def test_a_translation_prints_the_publisher_s_details_in_its_language(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content", CORPUS, "translated")
    polish = html_of(content, slug="translated", lang="pl")
    assert "od poniedziałku do czwartku, od 10:00 do 16:00" in polish
    assert "Wydanie 1" in polish
    assert "1st edition" not in polish
    assert "Monday to Thursday" not in polish
    # Its own words are not marked as the original's language; the publisher's name still is.
    assert not re.search(r'lang="en-GB"[^>]*>od poniedziałku', polish)
    assert re.search(r'<span lang="en-GB" dir="ltr">Brookmere Health Information', polish)
    arabic = html_of(content, slug="translated", lang="ar")  # the publisher gives no Arabic hours
    assert re.search(r'<span lang="en-GB" dir="ltr">Monday to Thursday, 10am to 4pm</span>', arabic)


def test_a_translation_gives_its_own_questions_or_is_warned(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content", CORPUS, "translated")
    set_front(content / "translated" / "booklet.md", "questions:\n  - How do I clean my teeth?\n")
    project = Project.load(content, ["translated"])
    polish = next(e for e in project.every() if e.lang == "pl")
    assert [(p.rule, p.severity) for p in polish.problems] == [("TRN-QUESTIONS", "warning")]
    set_front(
        content / "translated" / "translations" / "pl" / "booklet.md",
        "questions:\n  - Jak mam myć zęby?\n",
    )
    project = Project.load(content, ["translated"])
    polish = next(e for e in project.every() if e.lang == "pl")
    assert polish.problems == ()
    assert polish.booklet is not None
    html = render_html.render(polish.booklet, VARIANTS["standard"])
    assert "Jak mam myć zęby?" in html
    assert "How do I clean my teeth?" not in html


def test_a_message_worded_in_english_only_is_warned_once_a_language_on_its_line(tmp_path: Path) -> None:
    """The translations would print the package's words for it: TRN-MESSAGES names publisher.yml's line."""
    content = copy_content(tmp_path / "content", CORPUS, "translated")
    shutil.copytree(content / "translated", content / "translated-again")  # told once, not once a booklet
    yml = content / "publisher.yml"
    text = yml.read_text(encoding="utf-8")
    english = "messages:\n  about.call: Ring our nurses on\n  catalogue.home.title: Leaflets\n  cover.series:"
    text = text.replace("messages:\n  cover.series:", english, 1)
    polish = "    messages:\n      about.call: Dzwoń\n      cover.series:"
    text = text.replace("    messages:\n      cover.series:", polish, 1)
    yml.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  about.call: Ring our nurses on") + 1
    project = Project.load(content)
    found = [(e.slug, e.lang, p) for e in project.every() for p in e.problems if p.rule == "TRN-MESSAGES"]
    assert sorted(lang for _, lang, _ in found) == ["ar", "bn", "pa", "ur", "zh-Hans"]  # Polish gives it
    assert {slug for slug, _, _ in found} == {"translated"}
    for _, lang, problem in found:
        assert (problem.path, problem.line, problem.severity) == (yml, line, "warning")
        assert "'about.call' is set under messages: in English only" in problem.message
        assert f"under translations: {lang}: messages:" in problem.fix
    text = text.replace("  about.call: Ring our nurses on\n", "")  # left: in Polish, for English pages
    yml.write_text(text, encoding="utf-8")
    assert not [p for e in Project.load(content).every() for p in e.problems if p.rule == "TRN-MESSAGES"]


def test_questions_false_in_the_original_holds_for_its_translations(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content", CORPUS, "translated")
    set_front(content / "translated" / "booklet.md", "questions: false\n")
    assert 'id="questions-to-ask"' not in html_of(content, slug="translated", lang="bn")


def test_the_catalogue_speaks_the_publisher_s_words_in_each_language(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content", CORPUS, "translated")
    yml = content / "publisher.yml"
    text = yml.read_text(encoding="utf-8")
    english, polish = '  cover.series: "Cancer information"\n', '      cover.series: "Informacje o raku"\n'
    text = text.replace(english, "  catalogue.nav.order: Order leaflets\n", 1)
    text = text.replace(polish, "      catalogue.language.title: Ulotki po polsku\n")
    yml.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    write_catalogue(Project.load(content), out, include_drafts=True)  # the corpus booklet is a draft
    home = (out / "index.html").read_text(encoding="utf-8")
    assert ">Order leaflets</a>" in home
    assert "Order printed copies</a>" not in home
    polish = (out / "languages" / "pl.html").read_text(encoding="utf-8")
    assert "<h1>Ulotki po polsku</h1>" in polish
    assert "(od poniedziałku do czwartku, od 10:00 do 16:00)" in polish  # its hours in Polish
    assert "Monday to Thursday" not in polish
    arabic = (out / "languages" / "ar.html").read_text(encoding="utf-8")  # no Arabic hours: marked English
    assert '<span lang="en-GB" dir="ltr">Monday to Thursday, 10am to 4pm</span>' in arabic


def test_the_catalogue_s_english_sentences_are_the_publisher_s(sample: Path, tmp_path: Path) -> None:
    """A sentence of the home page and one of a booklet's page, set in publisher.yml, are on the site."""
    add(
        sample,
        "messages:\n"
        '  catalogue.home.title: "Leaflets for patients"\n'
        '  catalogue.booklet.need_format: "Want this leaflet as audio? Ring {helpline}."\n',
    )
    out = tmp_path / "out"
    write_catalogue(Project.load(sample), out)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>Leaflets for patients</h1>" in home
    assert "<title>Leaflets for patients \N{EN DASH} " in home
    assert "Patient information booklets" not in home
    page = (out / SAMPLE / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<p>Want this leaflet as audio\? Ring <a href=\"tel:\d+\">[\d ]+</a>\.</p>", page)
    assert "Need this booklet in another format?" not in page


def test_a_publisher_s_own_wording_of_a_part_to_be_supplied_is_spotted(sample: Path) -> None:
    add(sample, 'messages:\n  review.to_be_supplied: "For the ward to complete: "\n')
    path = sample / SAMPLE / "booklet.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("\n# Your skin\n", "\n# Your skin\n\nFor the ward to complete: visiting times.\n", 1)
    )
    line = (
        path.read_text(encoding="utf-8").splitlines().index("For the ward to complete: visiting times.") + 1
    )
    entry = Project.load(sample, [SAMPLE]).entry(SAMPLE)  # approved: the part stops it
    assert [(p.rule, p.line) for p in entry.problems if p.stops] == [("SRC-TO-BE-SUPPLIED", line)]
    path.write_text(path.read_text(encoding="utf-8").replace("status: approved", "status: draft"))
    html = html_of(sample)  # a draft: the part is set as a marked box
    assert '<p class="to-be-supplied">For the ward to complete: visiting times.</p>' in html


def test_a_publisher_s_wording_in_a_translation_s_language_is_spotted(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content", CORPUS, "translated")
    yml = content / "publisher.yml"
    own = '      review.to_be_supplied: "Uzupełnia oddział: "\n'
    yml.write_text(yml.read_text(encoding="utf-8").replace('      cover.series: "Informacje o raku"\n', own))
    path = content / "translated" / "translations" / "pl" / "booklet.md"
    body = "\n\nUzupełnia oddział: godziny odwiedzin.\n"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + body, encoding="utf-8")
    polish = html_of(content, slug="translated", lang="pl")
    assert '<p class="to-be-supplied">Uzupełnia oddział: godziny odwiedzin.</p>' in polish
    assert messages.supplied_by(Project.load(content, ["translated"]).publisher, "pl") == (
        "Uzupełnia oddział:",
    )
