"""Markdown body -> HTML fragment (Python-Markdown), with citations, figures and tight lists.

Every problem of a body is found first, with its line, by the source rules reading its
parse tree (``booklet/source/rules.py``); :func:`to_html` only converts text already known to be good.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from ..model import Source
from ..source.rules import CITATION_RE, PLACEHOLDER_RE, to_be_supplied
from ..source.tree import for_renderer

# Anchors the templates use; a body heading never takes one of them.
RESERVED_IDS = frozenset(
    {
        "top",
        "about-this-booklet",
        "how-to-use-this-booklet",
        "talk-to-us",
        "contents",
        "questions-to-ask",
        "your-questions",
        "medical-words-explained",
        "references",
        "about-this-information",
        "how-we-wrote-it",
        "other-formats",
        "tell-us-what-you-think",
        "contact-us",
    }
)


@dataclass(frozen=True)
class Heading:
    """A heading of the body: its level (1 = chapter), anchor id and text."""

    level: int
    id: str
    text: str


@dataclass
class Body:
    """A converted body: the HTML, its headings, and the citation numbers in order."""

    html: str
    headings: list[Heading] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    citations: dict[str, list[str]] = field(default_factory=dict)  # reference id -> ids of its citations


def slugify(text: str) -> str:
    """Return an anchor id for a heading's text, in any script: 'your-liver', 'الكبد', '肝脏'.

    Letters and digits of every script are kept (NFC, lower case), with the marks that
    belong to them (Bengali vowel signs, Arabic harakat); anything else becomes '-'. The id
    starts with a letter, so it is a valid XML name as well as an HTML id (EPUB content
    documents are XML): one that would not is prefixed 's-', as is one that could be taken
    for the templates' own ids (``ref-``, ``word-``, ``cite-``).
    """
    chars = [c if _id_char(c) else "-" for c in unicodedata.normalize("NFC", text.lower())]
    anchor = re.sub(r"-+", "-", "".join(chars)).strip("-") or "section"
    if anchor.startswith(("ref-", "word-", "s-", "cite-")) or not unicodedata.category(anchor[0]).startswith(
        "L"
    ):
        return f"s-{anchor}"
    return anchor


ID_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Nd"})  # what an id keeps


def _id_char(c: str) -> bool:
    return unicodedata.category(c) in ID_CATEGORIES


def unique_slugs(texts: Iterable[str], prefix: str = "") -> list[str]:
    """Return an id for each text (``prefix`` + :func:`slugify`), made unique by '-2', '-3'... in order."""
    ids: list[str] = []
    for text in texts:
        anchor = base = prefix + slugify(text)
        n = 1
        while anchor in ids:
            n += 1
            anchor = f"{base}-{n}"
        ids.append(anchor)
    return ids


class _Citations(InlineProcessor):
    """``[@a; @b]`` -> ``<a href="#ref-a">[1</a>, <a href="#ref-b">2]</a>`` at full size.

    The brackets are part of the links, so that the whole citation can be clicked. Each
    citation has an id (``cite-a-1`` for the first citation of ``a``), for the references
    list to link back to, and a title a person would hear ("Reference 1: Cervantes A, ...").
    """

    def __init__(
        self, numbers: dict[str, int], titles: Mapping[str, str], found: dict[str, list[str]]
    ) -> None:
        super().__init__(CITATION_RE.pattern)
        self.numbers = numbers
        self.titles = titles
        self.found = found

    def handleMatch(  # type: ignore[override]  # noqa: N802
        self, m: re.Match[str], data: str
    ) -> tuple[ET.Element, int, int]:
        span = ET.Element("span", {"class": "citation"})
        keys = [k.strip()[1:] for k in m[1].split(";")]
        span.text = ""
        for i, key in enumerate(keys):
            number = self.numbers[key]
            ids = self.found.setdefault(key, [])
            ids.append(f"cite-{key}-{len(ids) + 1}")
            title = f"Reference {number}" + (f": {cut(self.titles[key])}" if key in self.titles else "")
            link = ET.SubElement(
                span, "a", {"href": f"#ref-{key}", "class": "cite", "id": ids[-1], "title": title}
            )
            link.text = ("[" if i == 0 else "") + str(number) + ("]" if i == len(keys) - 1 else "")
            # A no-break space, not white-space: nowrap: WeasyPrint 70 breaks lines badly
            # before a nowrap box holding a space ("Your" alone on a line).
            link.tail = ",\u00a0" if i < len(keys) - 1 else ""
        return span, m.start(0), m.end(0)


def cut(text: str, limit: int = 90) -> str:
    """Shorten a reference for a link's description: whole words within ``limit``, then an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "\u2026"


class _Structure(Treeprocessor):
    """Give headings ids, make lists tight, pictures figures and tables accessible."""

    def __init__(
        self,
        md: markdown.Markdown,
        headings: list[Heading],
        stack_tables: int,
        points: bool,
        running: int,
        lang: str = "",
    ) -> None:
        super().__init__(md)
        self.headings = headings
        self.stack_tables = stack_tables
        self.points = points
        self.running = running
        self.lang = lang  # a translation's language: its words for "To be supplied by"

    def run(self, root: ET.Element) -> None:
        used: set[str] = set(RESERVED_IDS)
        for el in root.iter():
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                text = "".join(el.itertext()).strip()
                anchor = base = slugify(text)
                n = 1
                while anchor in used:
                    n += 1
                    anchor = f"{base}-{n}"
                used.add(anchor)
                el.set("id", anchor)
                if (
                    el.tag == "h1"
                    and self.running
                    and (len(text) > self.running or len(text.split()) > RUNNING_WORDS)
                ):
                    el.set("data-running", shorten(text, self.running))
                self.headings.append(Heading(int(el.tag[1]), anchor, text))
            elif el.tag == "li":
                _tighten(el)
            elif el.tag == "th":
                el.set("scope", "col")
            elif el.tag == "p" and to_be_supplied(el.text or "", self.lang):
                el.set("class", "to-be-supplied")  # a part a reviewer must write: set as a marked box
            elif el.tag == "a" and el.get("href", "").startswith(("http:", "https:", "mailto:")):
                el.set("class", "external")
                href = el.get("href", "")
                shown = re.sub(r"^(https?://|mailto:)", "", href).rstrip("/")
                if shown not in "".join(el.itertext()):  # links are visible in print: show the address
                    last = el[-1] if len(el) else None
                    if last is None:
                        el.text = (el.text or "") + f" ({shown})"
                    else:
                        last.tail = (last.tail or "") + f" ({shown})"
        for parent in root.iter():
            for i, child in enumerate(list(parent)):
                if (
                    child.tag == "p"
                    and len(child) == 1
                    and child[0].tag == "img"
                    and not (child.text or "").strip()
                    and not (child[0].tail or "").strip()
                ):
                    parent[i] = _figure(child[0])
                elif child.tag == "table" and self.stack_tables and _columns(child) >= self.stack_tables:
                    parent[i] = _stacked(child)
                elif self.points and child.tag in ("p", "li") and _starts_with_picture(child):
                    parent[i] = _point(child)
        for parent in list(root.iter()):
            for child in [c for c in parent if c.tag == "span" and c.get("class") == "citation"]:
                _unwrap(parent, child)
        _chapters(root)


# A running head is page furniture, not prose: at most 7 words (a line of 8 words or more
# marked as an artifact reads as prose skipped by screen readers: outloud TAG-002).
RUNNING_WORDS = 7


def shorten(text: str, limit: int) -> str:
    """Shorten a chapter title for a running head: whole words, then an ellipsis, within ``limit``."""
    cut = " ".join(text[: limit - 1].rsplit(" ", 1)[0].split()[:RUNNING_WORDS]).rstrip(" ,;:-")
    return cut + "\u2026"


def _tighten(li: ET.Element) -> None:
    """Turn ``<li><p>a</p><p>b</p></li>`` into ``<li>a<br/><br/>b</li>`` (loose lists fail PDF/UA)."""
    children = list(li)
    if not any(c.tag == "p" for c in children):
        return
    for child in children:
        li.remove(child)
    text = li.text or ""
    kept: list[ET.Element] = []

    def add_text(more: str | None) -> None:
        nonlocal text
        if more and more.strip():
            if kept:
                kept[-1].tail = (kept[-1].tail or "") + more
            else:
                text += more

    for child in children:
        if child.tag != "p":
            kept.append(child)
            continue
        if kept or text.strip():
            kept.extend([ET.Element("br"), ET.Element("br")])
        add_text(child.text)
        kept.extend(child)
        add_text(child.tail)
    li.text = text
    li.extend(kept)


def _chapters(root: ET.Element) -> None:
    """Wrap each ``h1`` and what follows it in a ``<section class="chapter">``."""
    children = list(root)
    for child in children:
        root.remove(child)
    section: ET.Element | None = None
    for child in children:
        if child.tag == "h1" or section is None:
            section = ET.SubElement(root, "section", {"class": "chapter"})
            if child.tag == "h1":
                section.set("aria-labelledby", child.get("id", ""))
        section.append(child)


def _starts_with_picture(block: ET.Element) -> bool:
    return len(block) > 0 and block[0].tag == "img" and not (block.text or "").strip()


def _point(block: ET.Element) -> ET.Element:
    """Make an easy-read row: the picture, then the words beside it (a layout, not a table)."""
    img = block[0]
    block.remove(img)
    words = ET.Element("p" if block.tag == "p" else "span", {"class": "point-text"})
    words.text = (img.tail or "").lstrip()
    img.tail = None
    words.extend(block)
    img.set("class", "pictogram")
    row = ET.Element("div" if block.tag == "p" else "li", {"class": "point"})
    row.extend([img, words])
    return row


def _unwrap(parent: ET.Element, child: ET.Element) -> None:
    """Replace ``child`` by its text and children.

    Citations are built in a span, then unwrapped: WeasyPrint 70 breaks lines badly before
    an inline box that holds several links (one word left alone on a line).
    """
    index = list(parent).index(child)
    before = parent[index - 1] if index else None
    text = (child.text or "") if len(child) else (child.text or "") + (child.tail or "")
    if before is None:
        parent.text = (parent.text or "") + text
    else:
        before.tail = (before.tail or "") + text
    kids = list(child)
    if kids:
        kids[-1].tail = (kids[-1].tail or "") + (child.tail or "")
    parent.remove(child)
    for offset, kid in enumerate(kids):
        parent.insert(index + offset, kid)


def _columns(table: ET.Element) -> int:
    return max((len(row) for row in table.iter("tr")), default=0)


def _stacked(table: ET.Element) -> ET.Element:
    """Reflow a wide table as a list: one item per row, each cell after its column's header.

    Large print keeps its type size and reflows instead: a 3-column table at 18pt on A4
    leaves too few characters a line.
    """
    headers = ["".join(th.itertext()).strip() for th in table.iter("th")]
    stacked = ET.Element("ul", {"class": "stacked-table"})
    for row in table.iter("tr"):
        cells = [c for c in row if c.tag == "td"]
        if not cells:
            continue
        item = ET.SubElement(stacked, "li")
        for n, cell in enumerate(cells):
            label = ET.SubElement(item, "strong")
            label.text = f"{headers[n]}: " if n < len(headers) and headers[n] else ""
            label.tail = cell.text
            item.extend(cell)
            if n < len(cells) - 1:
                ET.SubElement(item, "br")
    return stacked


def _figure(img: ET.Element) -> ET.Element:
    figure = ET.Element("figure", {"class": "picture"})
    img.tail = None
    figure.append(img)
    if title := img.attrib.pop("title", ""):
        caption = ET.SubElement(figure, "figcaption")
        caption.text = title
    return figure


class _BookletExtension(Extension):
    def __init__(
        self,
        numbers: dict[str, int],
        headings: list[Heading],
        stack_tables: int,
        points: bool,
        running: int,
        titles: Mapping[str, str],
        found: dict[str, list[str]],
        lang: str = "",
    ) -> None:
        super().__init__()
        self.lang = lang
        self.titles = titles
        self.found = found
        self.numbers = numbers
        self.headings = headings
        self.stack_tables = stack_tables
        self.points = points
        self.running = running

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_Citations(self.numbers, self.titles, self.found), "citation", 175)
        md.treeprocessors.register(
            _Structure(md, self.headings, self.stack_tables, self.points, self.running, self.lang),
            "booklet-structure",
            5,
        )


HYPHEN_IN_WORD_RE = re.compile(r"(?<=\w)-(?=\w)")
TEXT_RE = re.compile(r">([^<]+)<")
WORD_JOINER = "\u2060"


def keep_hyphenated(html: str) -> str:
    """Keep hyphenated words ('trans-arterial') on one line: large print splits no word.

    A word joiner (U+2060) after each hyphen inside a word forbids the line break there
    (Unicode line breaking, UAX #14); it is invisible and leaves the tagged text as it was.
    Only the document's body is changed. (A ``white-space: nowrap`` box round the word,
    used before, made WeasyPrint 70 break lines early and split a link's annotation.)
    """
    head, sep, body = html.partition("<body")
    if not sep:
        head, body = "", html

    def join(m: re.Match[str]) -> str:
        return ">" + HYPHEN_IN_WORD_RE.sub("-" + WORD_JOINER, m[1]) + "<"

    return head + sep + TEXT_RE.sub(join, body)


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# What must never be split across lines: a phone number ("0808 157 0192", "+44 20 7946 0000"),
# a date ("26 April 2023", "April 2023", "Oct 25"), a postcode ("EX1 2AB") and an order code
# ("SLC-01"). A word joiner (U+2060, invisible) follows each space and each hyphen in them:
# no line break there (UAX #14), and the text keeps its ordinary spaces.
UNBROKEN_RE = re.compile(
    r"(?:\+\d{1,3} \d{1,4}|\(?\b0\d{2,4}\)?)(?: \d{3,4}){1,2}(?!\d)"  # phone numbers
    rf"|\b\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?\b|\b(?:{MONTHS}) \d{{4}}\b"  # dates
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"  # postcodes
)
CODE_RE = re.compile(r"\b([A-Z]{2,5})-(?=\d)")


def keep_together(html: str) -> str:
    """Keep phone numbers, dates, postcodes and order codes on one line (the body of ``html``).

    Readers get the same words and spaces: a word joiner is nothing.
    """
    head, sep, body = html.partition("<body")
    if not sep:
        head, body = "", html

    def unbroken(m: re.Match[str]) -> str:
        text = UNBROKEN_RE.sub(lambda n: n[0].replace(" ", " " + WORD_JOINER), m[1])
        return ">" + CODE_RE.sub("\\1-" + WORD_JOINER, text) + "<"

    return head + sep + TEXT_RE.sub(unbroken, body)


def fill(body: str, values: Mapping[str, str]) -> str:
    """Put publisher details into ``{publisher.x}`` placeholders (scan has checked their names)."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m[1], m[0]), body)


def to_html(
    source: Source,
    numbers: dict[str, int],
    stack_tables: int = 0,
    points: bool = False,
    values: Mapping[str, str] | None = None,
    running: int = 0,
    titles: Mapping[str, str] | None = None,
    lang: str = "",
) -> Body:
    """Convert a scanned Markdown body to an HTML fragment, numbering citations by ``numbers``.

    Tables with ``stack_tables`` or more columns become stacked lists (0: never). With
    ``points``, each paragraph or list item that starts with a picture becomes a row:
    the picture, then the words (easy read). ``values`` fill publisher placeholders. A chapter
    title longer than ``running`` characters gets a shortened ``data-running`` for running heads.
    ``titles`` (reference id -> its text) describe citation links. A translation's ``lang``
    gives its words that mark a part to be supplied (besides the English ones).
    """
    headings: list[Heading] = []
    found: dict[str, list[str]] = {}
    md = markdown.Markdown(
        extensions=[
            "tables",
            "sane_lists",
            _BookletExtension(numbers, headings, stack_tables, points, running, titles or {}, found, lang),
        ],
        output_format="html",
    )
    html = md.convert(fill(for_renderer(source.body, source.tree), values or {}))
    html, found = _number_citations(html)
    return Body(html, headings, list(numbers), found)


CITATION_ID_RE = re.compile(r'id="cite-(.+?)-\d+"')


def _number_citations(html: str) -> tuple[str, dict[str, list[str]]]:
    """Renumber each reference's citations in reading order (Python-Markdown converts out of order)."""
    found: dict[str, list[str]] = {}

    def number(m: re.Match[str]) -> str:
        ids = found.setdefault(m[1], [])
        ids.append(f"cite-{m[1]}-{len(ids) + 1}")
        return f'id="{ids[-1]}"'

    return CITATION_ID_RE.sub(number, html), found
