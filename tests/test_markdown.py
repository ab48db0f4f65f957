"""Every Markdown construct a writer may type, in every format, or refused with its rule and line.

The corpus booklet ``markdown-constructs`` holds each construct that prints; it is built once
for this module (PDF, large print, web page, EPUB, braille) and each construct is looked for
as its reader meets it: the PDF through its structure tree, the EPUB's files, the braille
back-translated by liblouis. The output tests over the whole corpus (PDF/UA, EPUBCheck, Ace,
braille) run on it too. The refused constructs are problems with rule, file, line and fix.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.build import build
from booklet.cli import main
from booklet.model import Source
from booklet.render import markup
from booklet.render.braille import louis
from booklet.render.braille.source import BOX_BOTTOM, BOX_TOP
from booklet.source import rules, tree

from . import structread, tools
from .conftest import CORPUS, GOOD_FRONT
from .test_catalogue import in_browser, run_in_browser

SLUG = "markdown-constructs"
PLACEHOLDER = "wzxhzdk"  # what Python-Markdown left in headings holding an entity


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the corpus booklet once, every variant and format; return its output folder."""
    out = tmp_path_factory.mktemp("markdown")
    build(CORPUS, out, [SLUG], workers=1)
    return out / SLUG


def _html(made: Path, variant: str = "standard") -> str:
    return (made / f"{SLUG}-{variant}.html").read_text(encoding="utf-8")


def _epub(made: Path) -> dict[str, str]:
    with zipfile.ZipFile(made / f"{SLUG}-standard.epub") as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.endswith((".xhtml", ".opf"))}


def _pdf_text(made: Path, variant: str = "standard") -> str:
    return " ".join(structread.read(made / f"{SLUG}-{variant}.pdf").text.split())


PRINT_PAGE_RE = re.compile(r"^-{3,}#[A-J]+(?:-#[A-J]+)?$")  # a print page indicator's line


def _braille_lines(made: Path) -> list[str]:
    """Return the braille's lines of text: no page number lines, no print page indicators."""
    text = (made / f"{SLUG}-braille.brf").read_text(encoding="ascii")
    lines = [line for page in text.split("\f") for line in page.split("\n")[1:]]
    return [line for line in lines if not PRINT_PAGE_RE.match(line)]


def _back(lines: list[str]) -> str:
    return " ".join(louis.back_translate(line.strip()) for line in lines)


def _fragment(body: str, values: dict[str, tuple[str, str]] | None = None) -> str:
    parsed = tree.parse(body, 1)
    return markup.to_html(Source(Path("x.md"), body, 1, parsed), {"a": 1}, values=values).html


# ---- The failures of issue 25, each as it was found --------------------------------------


def test_an_entity_in_a_heading_is_its_character_in_every_format(made: Path) -> None:
    """'Keeping it clean &amp; dry' printed Python-Markdown's placeholder in the contents, nav and ids."""
    for variant in ("standard", "large-print"):
        html = _html(made, variant)
        assert PLACEHOLDER not in html
        assert '<h1 id="keeping-it-clean-dry">Keeping it clean &amp; dry</h1>' in html
        assert "Keeping it clean & dry" in _pdf_text(made, variant)
    epub = _epub(made)
    assert not [name for name, text in epub.items() if PLACEHOLDER in text or PLACEHOLDER in name]
    nav = next(text for name, text in epub.items() if name.endswith("nav.xhtml"))
    assert "Keeping it clean &amp; dry" in nav
    assert "Changing the dressing \u2013 step by step" in nav  # &#8211;
    assert "keeping-it-clean-dry.xhtml" in nav
    back = _back(_braille_lines(made))
    assert PLACEHOLDER not in back
    assert "Keeping it clean & dry" in back


def test_a_list_keeps_its_start_number_in_every_format(made: Path) -> None:
    """A list written 3. 4. 5. printed 1, 2, 3 in the PDF: it changed the steps."""
    reading = structread.read(made / f"{SLUG}-standard.pdf")
    labels = {body.strip(): label.strip() for label, body in reading.items}
    assert labels["Take off the old dressing."] == "1."
    assert labels["Clean round the wound with the wipes you were given."] == "3."
    assert labels["Put on a new dressing."] == "5."
    large = structread.read(made / f"{SLUG}-large-print.pdf")
    assert ("5.", "Put on a new dressing.") in [(a.strip(), b.strip()) for a, b in large.items]
    assert re.search(r'<ol start="3" style="counter-reset: list-item 2">\s*<li>Clean round', _html(made))
    chapter = next(t for n, t in _epub(made).items() if "Clean round" in t)
    assert '<ol start="3"' in chapter
    back = _back(_braille_lines(made))
    assert re.search(r"3\. Cle\w* round", back)
    assert re.search(r"5\. Put on a new", back)


def test_refused_constructs_are_problems_with_rule_line_and_fix(
    runner: CliRunner, write_booklet: Callable[[str, str], Path]
) -> None:
    """Footnotes printed literally and definition lists as 'Term : Definition': now each is refused."""
    body = (
        "# A\n\nSee this[^1].\n\n[^1]: The note.\n\nStoma\n: An opening.\n\n- [ ] Ring the ward\n\n"
        "Some ~~old~~ words.\n\n## More from [the clinic](https://www.nhs.uk)\n\n> [!DANGER]\n> Ring us.\n"
    )
    path = write_booklet("refused", GOOD_FRONT + body)
    first = GOOD_FRONT.count("\n")  # the body's first line is the line after
    result = runner.invoke(main, ["list", "--content", str(path.parent.parent)])
    assert result.exit_code == 1  # a booklet that cannot be made
    expected = {
        "SRC-FOOTNOTE": [3, 5],
        "SRC-DEFINITION-LIST": [7],
        "SRC-TASK-LIST": [10],
        "SRC-STRIKETHROUGH": [12],
        "SRC-HEADING-LINK": [14],
        "SRC-CALLOUT": [16],
    }
    for rule, lines in expected.items():
        for line in lines:
            assert re.search(rf"refused/booklet\.md:{first + line}: .*\[{rule}\]", result.output), rule
    fixes = {rule: fix for rule, _, fix in rules.REFUSED.values()}
    assert all(fix in result.output.replace("\n        ", " ") for fix in fixes.values())
    out = path.parent.parent.parent / "out"
    built = runner.invoke(main, ["build", "refused", "--content", str(path.parent.parent), "--out", str(out)])
    assert built.exit_code == 1
    assert not (out / "refused").exists() or not list((out / "refused").glob("*.pdf"))


# ---- Callout boxes -----------------------------------------------------------------------


def test_callouts_are_boxed_notes_with_a_heading_in_every_format(made: Path) -> None:
    for variant in ("standard", "large-print"):
        html = _html(made, variant)
        assert (
            html.count('<aside class="callout callout-')
            == html.count('role="note"><p class="callout-title">')
            == 5
        )
        assert re.search(
            r'<aside class="callout callout-warning" role="note"><p class="callout-title">Warning</p>\s*'
            r"<p>Call us straight away",
            html,
        )
        text = _pdf_text(made, variant)
        for title, words in (("Warning", "Call us straight away"), ("Note", "Your wound may itch")):
            assert f"{title} {words}" in text
        assert "[!" not in text
    chapter = next(t for n, t in _epub(made).items() if "Call us straight away" in t)
    assert (
        '<aside class="callout callout-warning" role="note"><p class="callout-title">Warning</p>' in chapter
    )
    lines = _braille_lines(made)
    tops = [n for n, line in enumerate(lines) if line == BOX_TOP]
    bottoms = [n for n, line in enumerate(lines) if line == BOX_BOTTOM]
    assert len(tops) == len(bottoms) == 5
    titles = [louis.back_translate(lines[n + 1]) for n in tops]
    assert titles == ["Warning", "Note", "Tip", "Important", "Caution"]
    first = _back(lines[tops[0] + 2 : bottoms[0]])
    assert "Call us straight away" in first


def test_callout_words_come_from_the_language_of_the_booklet() -> None:
    body = "# A\n\n> [!WARNING]\n> Zadzwoń do nas.\n"
    parsed = tree.parse(body, 1)
    html = markup.to_html(Source(Path("x.md"), body, 1, parsed), {}, lang="pl").html
    assert '<p class="callout-title">Ostrzeżenie</p>' in html


# What each printed construct of the corpus booklet says, as its reader meets it in every format.
PRINTED = {
    "smart quotes": "\u201chow long should I keep it covered?\u201d",
    "a picture's title, as its caption": "A clean dressing, sealed on all four sides",
    "a table's cells": "Redness spreading",
    "a table's right-aligned column": "Ring us today",
    "a heading with inline code": "What to look for with fresh eyes",
    "a reference-style link": "wound clinic (www.example.net/wound-clinic)",
    "an autolink": "clinic@example.net",
    "a hard break (backslash)": "The clinic\u2019s address:",
    "a hard break (two spaces)": "12 Sample Road",
    "named and numeric entities": "Prices are in \u00a3 and the clinic is open 9am \u2013 5pm",
    "a nested quote": "Some take longer, and that is all right.",
}


def _words(text: str) -> str:
    """Letters and digits only, lower case: the words, whatever the format did to marks and spaces."""
    return " ".join(re.findall(r"\w+", text.replace("\u2060", "").lower()))


@pytest.mark.parametrize("construct", list(PRINTED))
def test_every_printed_construct_reaches_every_format(made: Path, construct: str) -> None:
    """Each construct's words are in the PDF's tagged text (standard, large print), the EPUB, the braille."""
    words = _words(PRINTED[construct])
    for variant in ("standard", "large-print"):
        assert words in _words(_pdf_text(made, variant)), variant
    xhtml = [ET.fromstring(text.encode()) for name, text in _epub(made).items() if name.endswith(".xhtml")]
    assert words in _words(" ".join(" ".join(root.itertext()) for root in xhtml))
    assert words in _words(_back(_braille_lines(made)))


# ---- Each construct, as HTML (the web page and the EPUB are made from it) -----------------


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("A line  \nbroken.", "<p>A line<br>\nbroken.</p>"),
        ("A line\\\nbroken.", "<p>A line<br>\nbroken.</p>"),
        ("\u201cQuoted\u201d \u2013 it\u2019s \u00a9.", "<p>\u201cQuoted\u201d \u2013 it\u2019s \u00a9.</p>"),
        ("Fish &amp; chips &#8211; &copy; &#x41;.", "<p>Fish &amp; chips \u2013 \u00a9 A.</p>"),
        (
            "Email <help@example.org>.",
            '<a class="external" href="mailto:help@example.org">help@example.org</a>',
        ),
        (
            'See [the guide][g].\n\n[g]: https://www.example.org/guide "The guide"',
            '<a class="external" href="https://www.example.org/guide" title="The guide">the guide'
            " (www.example.org/guide)</a>",
        ),
        ("## Using `fresh eyes`", '<h2 id="using-fresh-eyes">Using <code>fresh eyes</code></h2>'),
        ("> Said.\n>\n> > Said again.", "<blockquote><p>Said.</p>\n<blockquote><p>Said again.</p>"),
        (
            '![A dressing](images/x.svg "A clean dressing")',
            '<figure class="picture"><img alt="A dressing" src="images/x.svg">'
            "<figcaption>A clean dressing</figcaption></figure>",
        ),
        ("7. Seven\n8. Eight", '<ol start="7" style="counter-reset: list-item 6"><li>Seven</li>'),
        ("1. One\n2. Two", "<ol><li>One</li>"),
        ("| A | B |\n|:-|-:|\n| 1 | 2 |", '<th scope="col" style="text-align: left;">A</th>'),
        ("Call {publisher.email}.", '<a class="external" href="mailto:a@b.org">a@b.org</a>'),
        ("## Write to {publisher.email}", '<h2 id="write-to-a-b-org">Write to a@b.org</h2>'),
        ("[Write to {publisher.email}](mailto:x@y.org)", ">Write to a@b.org (x@y.org)</a>"),
        ("Cited [@a].", '<a class="cite" href="#ref-a" id="cite-a-1" title="Reference 1">[1]</a>'),
        ("Words `[@a]` kept.", "<code>[@a]</code>"),
        ("Text\n- a list straight after", "<p>Text</p>\n<ul><li>a list straight after</li>"),
        ("- one\n  - nested 2 spaces in", "<ul><li>one<ul><li>nested 2 spaces in</li>"),
    ],
)
def test_each_construct_is_printed_as_html(markdown: str, html: str) -> None:
    fragment = _fragment(f"# Title\n\n{markdown}\n", {"email": ("a@b.org", "mailto:a@b.org")})
    assert html in fragment


def test_the_renderer_reads_the_tree_not_the_text() -> None:
    """One parse: what the rules read (the tree) is what is printed, whatever the text says."""
    body = "# Title\n\nRead once.\n"
    parsed = tree.parse(body, 1)
    html = markup.to_html(Source(Path("x.md"), "# Something else\n", 1, parsed), {}).html
    assert "Read once." in html
    assert "Something else" not in html


def test_ignore_comments_are_not_printed() -> None:
    ignore = "<!-- booklet: ignore SRC-BARE-URL a reason -->"
    html = _fragment(f"# Title\n\n{ignore}\nSee www.example.org {ignore}.\n")
    assert "booklet:" not in html
    assert "See www.example.org" in html


def test_quotes_and_nesting_in_braille_are_set_in(made: Path) -> None:
    lines = _braille_lines(made)
    back = [louis.back_translate(line.strip()) for line in lines]
    most = next(n for n, line in enumerate(back) if line.startswith("Most wounds"))
    some = next(n for n, line in enumerate(back) if line.startswith("Some take"))
    assert re.match(r" {2}\S", lines[most])  # 3-3
    assert re.match(r" {4}\S", lines[some])  # 5-5: a level further in


@in_browser
def test_the_web_page_of_every_construct_passes_axe(made: Path, tmp_path: Path) -> None:
    """Axe-core (WCAG 2.2 A/AA) finds nothing on the web page: callouts, quotes, tables, lists.

    Reflow at 320 px is not asserted here: the back matter's long addresses (the reference's
    and the catalogue's, template parts) make this page 332 px wide, which is no construct's.
    """
    page = made / f"{SLUG}-standard.html"
    config = {"chromium": tools.path("chromium"), "shots": str(tmp_path), "pages": [{"url": page.as_uri()}]}
    (result,) = run_in_browser("axe.mjs", config, timeout=120)["pages"]
    assert result["violations"] == []
    assert result["errors"] == []


def test_writing_md_lists_every_refusal_in_its_markdown_table() -> None:
    """docs/writing.md, 'Markdown you can use', names the rule of every construct refused."""
    text = (CORPUS.parent.parent / "docs" / "writing.md").read_text(encoding="utf-8")
    section = text.split("## Markdown you can use", 1)[1]
    refused = {rule.id for rule, _, _ in rules.REFUSED.values()} | {rules.CALLOUT.id, rules.CODE_BLOCK.id}
    assert all(f"`{rule}`" in section for rule in refused | {rules.RAW_HTML.id})
