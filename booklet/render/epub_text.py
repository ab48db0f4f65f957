"""The text of an e-book: the booklet's document, with print page markers, split into XHTML documents.

The e-book is made from the very document tree the PDF is laid out from (the same
templates, the same body's elements, :mod:`booklet.render.document`), copied, not parsed,
so its text is the text the page map counted (:mod:`booklet.render.pagemap`): a page marker
is put where, counting letters and digits from the page's anchor heading, the count of the
map is reached. Markers are placed first, on the whole document; the document is then
split into one XHTML file per part (cover, front matter, each chapter, each part of the
back matter), and links are pointed at the file that holds their target.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ..errors import RenderError
from .document import VOID  # elements with no content: written <br/>
from .pagemap import PageStart

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
H = f"{{{XHTML}}}"
EPUB_TYPE = f"{{{OPS}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

HEADINGS = frozenset(H + f"h{n}" for n in range(1, 7))
# Elements whose name is their text (a heading, a link) or inline words: a marker at their
# very start goes before them, so that "12" does not become part of a heading's or link's name.
HOIST_OUT = HEADINGS | frozenset(
    H + t for t in ("a", "strong", "b", "em", "i", "span", "small", "abbr", "code")
)
# Elements whose children may not be a <span>: a marker is never hoisted into them.
NO_PHRASING = frozenset(
    H + t for t in ("ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "html", "head")
)
DATA_URI_RE = re.compile(r"^data:image/(svg\+xml|png|jpeg);base64,(.+)$", re.DOTALL)
DATA_SUFFIX = {"svg+xml": "svg", "png": "png", "jpeg": "jpg"}


@dataclass
class Part:
    """One XHTML document of the e-book: its file name, title, role in the book and content."""

    name: str
    title: str
    kind: str  # 'cover', 'front', 'chapter' or 'back' (the landmarks and spine read it)
    element: ET.Element


@dataclass
class Text:
    """The e-book's text: its parts in reading order, page markers, pictures and generated files."""

    parts: list[Part] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)  # element id -> file name
    pages: list[tuple[int, str]] = field(default_factory=list)  # (page number, 'file#id')
    pictures: list[str] = field(default_factory=list)  # picture paths the text uses, in order
    generated: dict[str, bytes] = field(default_factory=dict)  # files made here (the QR code)

    def href(self, ident: str) -> str:
        """Return the link to an element of the text: 'chapter.xhtml#id'."""
        try:
            return f"{self.where[ident]}#{ident}"
        except KeyError:
            raise RenderError(f"the e-book has no element with id '{ident}'") from None


def body_of(document: ET.Element) -> ET.Element:
    """Return the ``<body>`` of a document tree (:mod:`booklet.render.document`) in the XHTML namespace.

    The tree is copied, not parsed: the e-book has the elements, attributes and text of the
    PDF's document, each element named in the XHTML namespace.
    """
    body = document.find("body")
    if body is None:
        raise RenderError("the booklet's document has no body")

    def copy(el: ET.Element) -> ET.Element:
        made = ET.Element(H + str(el.tag), dict(el.attrib))
        made.text, made.tail = el.text, el.tail
        made.extend(copy(child) for child in el)
        return made

    return copy(body)


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Remove ``child``, keeping the text that follows it."""
    at = list(parent).index(child)
    if at:
        parent[at - 1].tail = (parent[at - 1].tail or "") + (child.tail or "")
    else:
        parent.text = (parent.text or "") + (child.tail or "")
    parent.remove(child)


# ---- page markers ----


def _slots(el: ET.Element) -> Iterator[tuple[ET.Element, str]]:
    """Yield the text slots of ``el`` in reading order: (element, 'text') and (child, 'tail').

    The text of an element the print does not show (``NOT_PRINTED``) is left out: the page
    map never counted it.
    """
    yield el, "text"
    for child in el:
        if not _classes(child) & NOT_PRINTED:
            yield from _slots(child)
        yield child, "tail"


NOT_PRINTED = frozenset({"draft-banner"})  # shown on screens only (styles/draft.css)


def _get(slot: tuple[ET.Element, str]) -> str:
    return (slot[0].text if slot[1] == "text" else slot[0].tail) or ""


def _find(slots: list[tuple[ET.Element, str]], start: int, offset: int) -> tuple[int, int]:
    """Return (slot, index) where the letter or digit after the first ``offset`` ones from ``start`` is.

    The index is moved back over punctuation that opens the word ('(' or a quote). Past the
    end of the text, the end is returned.
    """
    count = 0
    for n in range(start, len(slots)):
        text = _get(slots[n])
        for i, ch in enumerate(text):
            if ch.isalnum():
                if count == offset:
                    while i > 0 and not text[i - 1].isalnum() and not text[i - 1].isspace():
                        i -= 1
                    return n, i
                count += 1
    return len(slots) - 1, len(_get(slots[-1]))


def _marker(number: int) -> ET.Element:
    """Return a page-break marker: ``<span epub:type="pagebreak" role="doc-pagebreak" .../>``."""
    return ET.Element(
        H + "span",
        {
            EPUB_TYPE: "pagebreak",
            "role": "doc-pagebreak",
            "id": f"page-{number}",
            "aria-label": str(number),
        },
    )


def _insert(
    slot: tuple[ET.Element, str],
    index: int,
    marker: ET.Element,
    parents: dict[ET.Element, ET.Element],
    roots: set[ET.Element],
) -> None:
    """Put ``marker`` at ``index`` of a text slot; at the very start of a heading or link, before it.

    A marker is hoisted out of the headings, links and inline words it would start, so that
    it does not become part of their names, up to the block that holds them (a paragraph, a
    list item, a part of the book); never into an element that may not hold a span (a list).
    """
    el, where = slot
    text = _get(slot)
    if where == "tail":
        parent = parents[el]
        el.tail = text[:index]
        marker.tail = text[index:] or None
        parent.insert(list(parent).index(el) + 1, marker)
        return
    target: ET.Element | None = None
    if not text[:index].strip():
        current = el
        while current.tag in HOIST_OUT and current not in roots and parents[current].tag not in NO_PHRASING:
            target = current
            parent = parents[current]
            if list(parent).index(current) != 0 or (parent.text or "").strip():
                break
            current = parent
    if target is not None:
        parent = parents[target]
        at = list(parent).index(target)
        while at and parent[at - 1].get(EPUB_TYPE) == "pagebreak" and not (parent[at - 1].tail or "").strip():
            at -= 1  # a later page that begins at the same place (put in first) stays after this one
        parent.insert(at, marker)
        return
    el.text = text[:index]
    marker.tail = text[index:] or None
    el.insert(0, marker)


def mark_pages(body: ET.Element, starts: Sequence[PageStart], roots: set[ET.Element]) -> None:
    """Put a page-break marker where each printed page begins, counting as the page map does.

    Every place is found first, on the text as it is; the markers are then put in from the
    last place to the first, so that the places not yet used do not move.
    """
    slots = list(_slots(body))
    parents = {child: parent for parent in body.iter() for child in parent}
    anchors: dict[str, int] = {}
    for n, (el, where) in enumerate(slots):
        if where == "text" and (ident := el.get("id")):
            anchors.setdefault(ident, n)
    places = []
    for start in starts:
        first = anchors.get(start.anchor) if start.anchor else 0
        if first is None:
            raise RenderError(
                f"page {start.number}: the page map's heading '{start.anchor}' is not in the text"
            )
        places.append((*_find(slots, first, start.offset), start.number))
    for n, index, number in sorted(places, reverse=True):
        _insert(slots[n], index, _marker(number), parents, roots)


# ---- parts ----


def _classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").split())


def _roots(body: ET.Element) -> list[tuple[ET.Element, str]]:
    """Return the parts of the document in reading order, each with its kind."""
    roots: list[tuple[ET.Element, str]] = []
    for child in body:
        if child.tag == H + "main":
            roots += [(section, "chapter") for section in child]
        elif child.tag == H + "header":
            roots.append((child, "cover"))
        elif "notes" not in _classes(child):  # pages to write notes on are for paper only
            roots.append((child, "front" if "front" in _classes(child) else "back"))
    return roots


def _title(el: ET.Element, default: str) -> str:
    heading = next((h for h in el.iter() if h.tag in HEADINGS), None)
    words = " ".join("".join(heading.itertext()).split()) if heading is not None else ""
    return words or default


def _name(el: ET.Element, kind: str, number: int, taken: set[str]) -> str:
    """Return a part's file name: 'cover.xhtml', or its heading's id: 'your-skin.xhtml'."""
    ident = "cover" if kind == "cover" else el.get("aria-labelledby") or f"part-{number}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident) or ident in taken:
        ident = f"part-{number}"
    taken.add(ident)
    return f"{ident}.xhtml"


def _drop_empty(root: ET.Element) -> None:
    """Remove the spaces left to write in (paper only): empty ``div.writing-space`` elements."""
    for parent in list(root.iter()):
        for child in [c for c in parent if "writing-space" in _classes(c) and not len(c)]:
            _remove(parent, child)


def _data_pictures(root: ET.Element, text: Text) -> None:
    """Turn pictures given as data: URIs (the QR code) into files of the e-book."""
    for img in root.iter(H + "img"):
        m = DATA_URI_RE.match(img.get("src", ""))
        if m:
            name = f"picture-{len(text.generated) + 1}.{DATA_SUFFIX[m[1]]}"
            text.generated[name] = base64.b64decode(m[2])
            img.set("src", name)


def _link_citations(text: Text, title: str) -> None:
    """Give each citation an id, and each reference links back to where it is cited."""
    cited: dict[str, list[tuple[str, str]]] = {}  # reference id -> (citation id, part title)
    for part in text.parts:
        for a in part.element.iter(H + "a"):
            if "cite" in _classes(a) and a.get("href", "").startswith("#ref-"):
                ref = a.get("href", "")[1:]
                ident = f"cite-{ref.removeprefix('ref-')}-{len(cited.get(ref, [])) + 1}"
                a.set("id", ident)
                a.set("role", "doc-biblioref")
                cited.setdefault(ref, []).append((ident, part.title))
                text.where[ident] = part.name
    for part in text.parts:
        for li in part.element.iter(H + "li"):
            places = cited.get(li.get("id") or "")
            if not places:
                continue
            last = li[-1] if len(li) else None
            lead = " Cited in: "
            if last is None:
                li.text = (li.text or "").rstrip() + lead
            else:
                last.tail = (last.tail or "").rstrip() + lead
            for n, (ident, where) in enumerate(places):
                same = sum(1 for _, w in places[:n] if w == where)
                back = ET.SubElement(li, H + "a", {"href": f"#{ident}", "role": "doc-backlink"})
                back.text = where if not same else f"{where} ({same + 1})"
                back.tail = ", " if n < len(places) - 1 else "."


def split(body: ET.Element, starts: Sequence[PageStart], title: str) -> Text:
    """Mark the printed pages, then split the document into parts and link them together."""
    roots = _roots(body)
    mark_pages(body, starts, {root for root, _ in roots})
    text = Text()
    taken: set[str] = set()
    for number, (root, kind) in enumerate(roots, start=1):
        part = Part(_name(root, kind, number, taken), _title(root, title), kind, root)
        _drop_empty(root)
        _data_pictures(root, text)
        text.parts.append(part)
        for el in root.iter():
            if ident := el.get("id"):
                text.where[ident] = part.name
    _link_citations(text, title)
    for part in text.parts:
        for a in part.element.iter(H + "a"):
            href = a.get("href", "")
            if href.startswith("#"):
                target = text.where.get(href[1:])
                if target is None:
                    raise RenderError(f"a link of the e-book points at '{href}', which is not in it")
                a.set("href", href if target == part.name else f"{target}{href}")
        text.pictures += [img.get("src", "") for img in part.element.iter(H + "img")]
    text.pages = [
        (int(m.get("aria-label", "0")), text.href(m.get("id", "")))
        for part in text.parts
        for m in part.element.iter(H + "span")
        if m.get(EPUB_TYPE) == "pagebreak"
    ]
    return text


def xhtml(
    element: ET.Element, title: str, language: str, stylesheet: str, body_class: str, direction: str = "ltr"
) -> bytes:
    """Return one XHTML content document holding ``element``, in ``language`` and its ``direction``."""
    html = ET.Element(H + "html", {"lang": language, XML_LANG: language, "dir": direction})
    head = ET.SubElement(html, H + "head")
    ET.SubElement(head, H + "meta", {"charset": "utf-8"})
    ET.SubElement(head, H + "title").text = title
    ET.SubElement(head, H + "link", {"rel": "stylesheet", "type": "text/css", "href": stylesheet})
    body = ET.SubElement(html, H + "body", {"class": body_class})
    body.append(element)
    element.tail = "\n"
    return serialise(html)


def _plain(el: ET.Element) -> None:
    """Write namespaces as prefixes: ``{XHTML}p`` -> ``p``, ``{OPS}type`` -> ``epub:type``."""
    for node in el.iter():
        node.tag = str(node.tag).removeprefix(H)
        for key in [k for k in node.attrib if k.startswith("{")]:
            value = node.attrib.pop(key)
            node.set(
                key.replace(f"{{{OPS}}}", "epub:").replace("{http://www.w3.org/XML/1998/namespace}", "xml:"),
                value,
            )


def serialise(html: ET.Element) -> bytes:
    """Serialise an XHTML tree as a document: XML declaration, doctype, void elements closed."""
    _plain(html)
    html.attrib = {"xmlns": XHTML, "xmlns:epub": OPS, **html.attrib}
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n']
    _write(html, out)
    out.append("\n")
    return "".join(out).encode()


ATTRIBUTE_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"}


def _write(el: ET.Element, out: list[str]) -> None:
    """Write an element as XML: ``<br/>`` for a void element, ``<p></p>`` for any other empty one."""
    tag = str(el.tag)
    attributes = "".join(f' {k}="{escape(v, ATTRIBUTE_ENTITIES)}"' for k, v in el.attrib.items())
    if tag in VOID:
        out.append(f"<{tag}{attributes}/>")
    else:
        out.append(f"<{tag}{attributes}>{escape(el.text or '')}")
        for child in el:
            _write(child, out)
        out.append(f"</{tag}>")
    out.append(escape(el.tail or ""))
