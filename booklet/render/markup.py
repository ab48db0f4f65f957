"""A body's parse tree -> HTML fragment: citations, figures, callouts, tight lists, list starts.

The body was parsed once, when it was loaded (``booklet/source/tree.py``): every problem was
found then, with its line, by the source rules reading that tree. :func:`to_html` copies the
same tree's elements (``Tree.root``), dresses them and serialises them; it reads no
Markdown and no HTML, and works on text nodes, never on markup.
"""

from __future__ import annotations

import copy
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from markdown.serializers import to_html_string

from ..model import Source
from ..source.elements import append_text
from ..source.messages import Catalogue
from ..source.rules import CITATION_RE, PLACEHOLDER_RE, to_be_supplied

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
    """A converted body: its elements (under a ``<div>``), its headings, and the citation numbers in order."""

    root: ET.Element
    headings: list[Heading] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    citations: dict[str, list[str]] = field(default_factory=dict)  # reference id -> ids of its citations

    @property
    def html(self) -> str:
        """Return the body's elements as an HTML fragment (the document takes the elements themselves)."""
        return "".join(to_html_string(child) for child in self.root)


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


def _citation(
    keys: list[str],
    numbers: Mapping[str, int],
    titles: Mapping[str, str],
    found: dict[str, list[str]],
    words: Catalogue,
) -> list[ET.Element | str]:
    """Return the links of a citation: ``[@a; @b]`` -> ``<a href="#ref-a">[1</a>, <a href="#ref-b">2]</a>``.

    The brackets are part of the links, so that the whole citation can be clicked. Each
    citation has an id (``cite-a-1`` for the first citation of ``a``, in reading order), for
    the references list to link back to, and a title a person would hear ("Reference 1:
    Cervantes A, ...", its first word from the catalogue ``words``). A no-break space, not
    ``white-space: nowrap``, is between them: WeasyPrint 70 breaks lines badly before a
    nowrap box holding a space.
    """
    pieces: list[ET.Element | str] = []
    for i, key in enumerate(keys):
        number = numbers[key]
        ids = found.setdefault(key, [])
        ids.append(f"cite-{key}-{len(ids) + 1}")
        title = words.text("references.citation", number=number) + (
            f": {cut(titles[key])}" if key in titles else ""
        )
        link = ET.Element("a", {"href": f"#ref-{key}", "class": "cite", "id": ids[-1], "title": title})
        link.text = ("[" if i == 0 else "") + str(number) + ("]" if i == len(keys) - 1 else "")
        pieces.append(link)
        if i < len(keys) - 1:
            pieces.append(",\u00a0")
    return pieces


def cut(text: str, limit: int = 90) -> str:
    """Shorten a reference for a link's description: whole words within ``limit``, then an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "\u2026"


@dataclass
class _Structure:
    """Give headings ids, make lists tight, pictures figures and tables accessible."""

    headings: list[Heading]
    stack_tables: int
    points: bool
    running: int
    lang: str = ""  # a translation's language: its words for "To be supplied by"
    supplied: tuple[str, ...] = ()  # the publisher's own words for it (messages.supplied_by)

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
            elif el.tag == "p" and to_be_supplied(el.text or "", self.lang, self.supplied):
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
                parent[i].tail = child.tail
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


def fill(body: str, values: Mapping[str, str]) -> str:
    """Put publisher details into ``{publisher.x}`` placeholders of a text (scan has checked their names)."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m[1], m[0]), body)


Piece = ET.Element | str
WORDS_ONLY = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "code"})


def replace_text(
    root: ET.Element,
    pattern: re.Pattern[str],
    make: Callable[[re.Match[str]], list[Piece]],
    skip: frozenset[str],
) -> None:
    """Replace each match of ``pattern`` in the text nodes of ``root`` by what ``make`` returns.

    Text inside elements named in ``skip`` (code, links) is left as it is. Only text is
    read: the pattern never sees markup.
    """
    inside = {el for tag in skip for top in root.iter(tag) for el in top.iter()}
    for parent in [el for el in root.iter() if el not in inside]:
        slots = [parent.text or "", *(child.tail or "" for child in parent)]
        if not any(pattern.search(text) for text in slots):
            continue
        items: list[Piece] = []
        for n, text in enumerate(slots):
            if n:
                items.append(parent[n - 1])
            last = 0
            for m in pattern.finditer(text):
                items += [text[last : m.start()], *make(m)]
                last = m.end()
            items.append(text[last:])
        for child in list(parent):
            parent.remove(child)
        parent.text = None
        for item in items:
            if isinstance(item, str):
                append_text(parent, item)
            else:
                item.tail = None
                parent.append(item)


def _placeholder(m: re.Match[str], values: Mapping[str, tuple[str, str]]) -> list[Piece]:
    """Return what a ``{publisher.x}`` placeholder prints: its words, or a link (email, website)."""
    words, href = values.get(m[1], (m[0], ""))
    if not href:
        return [words]
    link = ET.Element("a", {"href": href})
    link.text = words
    return [link]


def _list_starts(root: ET.Element) -> None:
    """Keep the number a list starts at (``3.`` ``4.`` ``5.``) in every format.

    ``start`` numbers the list on the web page, in EPUB reading systems and in braille;
    WeasyPrint 70 ignores it (and an item's ``value``), and numbers from the ``list-item``
    counter, which an inline ``counter-reset`` sets (browsers agree with it).
    """
    for ol in root.iter("ol"):
        start = ol.get("start")
        if start is None or start == "1":
            ol.attrib.pop("start", None)
        else:
            ol.set("style", f"counter-reset: list-item {int(start) - 1}")


def _callouts(root: ET.Element, catalogue: Catalogue) -> None:
    """Box each callout (``> [!WARNING]``): an ``<aside role="note">`` with its kind as a heading.

    The heading is a paragraph of class ``callout-title``, not an ``h`` element: a callout
    is no section of the contents list, and its words ("Warning") come from the
    catalogue: the publisher's, over the language's.
    """
    for parent in list(root.iter()):
        for i, quote in enumerate(list(parent)):
            kind = quote.get("data-callout")
            if quote.tag != "blockquote" or not kind:
                continue
            label = catalogue.text(f"callout.{kind}")
            aside = ET.Element("aside", {"class": f"callout callout-{kind}", "role": "note"})
            title = ET.SubElement(aside, "p", {"class": "callout-title"})
            title.text = label
            aside.extend(list(quote))
            aside.tail = quote.tail
            parent[i] = aside


def to_html(
    source: Source,
    numbers: dict[str, int],
    stack_tables: int = 0,
    points: bool = False,
    values: Mapping[str, tuple[str, str]] | None = None,
    running: int = 0,
    titles: Mapping[str, str] | None = None,
    lang: str = "",
    supplied: tuple[str, ...] = (),
    words: Catalogue | None = None,
) -> Body:
    """Convert a scanned body's tree to an HTML fragment, numbering citations by ``numbers``.

    Tables with ``stack_tables`` or more columns become stacked lists (0: never). With
    ``points``, each paragraph or list item that starts with a picture becomes a row:
    the picture, then the words (easy read). ``values`` fill publisher placeholders: each
    detail's words, and where it links ('' for none). A chapter title longer than
    ``running`` characters gets a shortened ``data-running`` for running heads. ``titles``
    (reference id -> its text) describe citation links. A translation's ``lang`` gives its
    words for a part to be supplied (besides the English ones); ``supplied``, the publisher's
    own words for such a part; ``words``, the catalogue callouts take their headings from
    (by default the package's, in ``lang``).
    """
    from ..source import messages

    root = copy.deepcopy(source.tree.root)
    if values:  # in a heading, a link or code a detail is its words: a link there would be one too many
        for el in [el for el in root.iter() if el.tag in WORDS_ONLY]:
            replace_text(el, PLACEHOLDER_RE, lambda m: [values.get(m[1], (m[0], ""))[0]], frozenset())
        replace_text(root, PLACEHOLDER_RE, lambda m: _placeholder(m, values), WORDS_ONLY)
    found: dict[str, list[str]] = {}
    refs = titles or {}
    catalogue = words or messages.load(lang or messages.SOURCE)
    replace_text(
        root,
        CITATION_RE,
        lambda m: _citation([k.strip()[1:] for k in m[1].split(";")], numbers, refs, found, catalogue),
        frozenset({"code", "a"}),
    )
    headings: list[Heading] = []
    _list_starts(root)
    _callouts(root, catalogue)
    _Structure(headings, stack_tables, points, running, lang, supplied).run(root)
    return Body(root, headings, list(numbers), found)
