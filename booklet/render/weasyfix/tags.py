"""Mends to the structure tree WeasyPrint 70 writes: what a screen reader meets.

- Margin boxes (running heads) and ``leader()`` dots get no structure element: they are
  painted as artifacts (:mod:`.paint`).
- An ``a::before`` / ``a::after`` pseudo-element becomes a Link inside its Link: it is a Span.
- A link wrapped onto two lines becomes two Link elements: they are made one, holding both
  annotations (on one page).
- A link's ``/Contents`` is its anchor id. It becomes what a person would hear: the link's
  ``aria-label``, ``title`` or text, "Email <address>" for ``mailto:``, and ", page N" added
  for a link inside the document; the words come from the message catalogue of the
  document's language (``link.email``, ``link.call``, ``link.page``), not from code: the
  one the render passes to ``mended(words)`` (the publisher's words over the package's,
  ``messages.of``), else the package's of the document's ``lang``.
- Table header cells have no ``/Scope`` (#2508), and the ``/Headers`` of data cells name ids
  no ``/IDTree`` resolves: TH gets ``/Scope`` from HTML ``scope`` (or its place), and the
  structure tree root an ``/IDTree``.
- A ``dl`` becomes a list of items each holding one ``dt`` or ``dd``: a term and its
  explanation are then unrelated. Each ``dt`` becomes a list item's ``Lbl`` and the ``dd``
  after it that item's ``LBody``.
- A table broken by a page is two Table elements, its repeated head read twice: see
  :mod:`.tables`.
- An element's ``lang`` is not written: only the document has ``/Lang``, so English
  reference titles in a Welsh booklet are read with Welsh rules. An element whose ``lang``
  differs from its parent's gets ``/Lang`` on its structure element (ISO 14289-1 7.2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import pydyf

from ...source import messages
from ...source.messages import Catalogue
from . import tables
from .state import ACTIVE, Replacement

_ANCHOR_PAGES: ContextVar[dict[str, int]] = ContextVar("weasyfix_anchor_pages", default={})  # noqa: B039
_LINKS: ContextVar[dict[tuple[int, int, int], Any]] = ContextVar("weasyfix_links")  # first Link of each link
_LANG: ContextVar[str | None] = ContextVar("weasyfix_lang", default=None)  # language of the box drawn
_TABLES: ContextVar[dict[int, tuple[Any, Any]]] = ContextVar(
    "weasyfix_tables"
)  # element -> (it, first Table)
_STREAMS: ContextVar[list[Any]] = ContextVar("weasyfix_streams")  # each page's content stream
_CELLS: ContextVar[dict[int, str]] = ContextVar("weasyfix_cells")  # a header cell's element -> its text
_WORDS: ContextVar[Catalogue | None] = ContextVar("weasyfix_words", default=None)  # the document's language
GIVEN: ContextVar[Catalogue | None] = ContextVar("weasyfix_given_words", default=None)  # set by mended(words)
_TERM = "WeasyfixTerm"  # marks a dt's list item until pair_terms() has read it


def replacements() -> list[Replacement]:
    """Return the mended structure-tree functions, each with what it replaces."""
    from weasyprint import document, pdf
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags as pdf_tags

    original_tree = pdf_tags._build_box_tree
    original_pdf_tag = pdf_tags._get_pdf_tag
    original_add_tags = pdf.add_tags
    original_gather = document.gather_anchors

    def build_box_tree(box: Any, parent: Any, pdf: Any, *args: Any) -> Any:
        if not ACTIVE.get():
            return original_tree(box, parent, pdf, *args)
        if isinstance(box, boxes.MarginBox) or getattr(box, "is_leader", False):
            return iter(())  # its text is an artifact: no structure element, no MCID
        if box.link_annotation is not None:
            description = link_description(box.element, _ANCHOR_PAGES.get(), _WORDS.get() or catalogue(None))
            box.link_annotation["Contents"] = pydyf.String(description)
        outer = _LANG.get()
        lang = box.style["lang"] if box.element is not None else None
        token = _LANG.set(lang or outer)
        try:
            elements = list(original_tree(box, parent, pdf, *args))
        finally:
            _LANG.reset(token)
        if lang and outer and lang.lower() != outer.lower():
            for element in elements:
                element["Lang"] = pydyf.String(lang)
        tag = box.element_tag if box.element is not None else None
        if tag == "th":
            for element in elements:
                element["A"]["Scope"] = "/" + header_scope(box.element)
                _CELLS.get()[id(element)] = " ".join("".join(box.element.itertext()).split())
        elif tag == "dt":
            for element in elements:
                if element["S"] == "/LI":  # not the LBody WeasyPrint builds inside it
                    element[_TERM] = True
        elif tag == "dl":
            for element in elements:
                pair_terms(element, pdf)
        elif tag == "table" and len(elements) == 1 and elements[0]["S"] == "/Table":
            page_number, nums = args[:2]
            seen = _TABLES.get()
            if id(box.element) in seen:  # the same table, run on to this page
                first, streams = seen[id(box.element)][1], _STREAMS.get()
                tables.join(first, elements[0], pdf, nums, streams[page_number], _CELLS.get())
                return iter(())
            seen[id(box.element)] = (box.element, elements[0])
        elif tag == "a" and len(elements) == 1 and elements[0]["S"] == "/Link":
            page_number, nums, annotations = args[:3]
            key = (id(box.element), id(parent), page_number)
            first = _LINKS.get().setdefault(key, elements[0])
            if first is not elements[0]:  # the same link, wrapped onto another line
                merge_link(elements[0], first, pdf, nums, annotations)
                return iter(())
        return iter(elements)

    def get_pdf_tag(tag: str | None) -> str:
        if ACTIVE.get() and tag and tag.startswith("a::"):
            return "Span"  # a link's ::before or ::after is part of the link, not a link of its own
        return original_pdf_tag(tag)  # type: ignore[no-any-return]

    def gather_anchors(box: Any, anchors: Any, links: list[Any], *args: Any) -> None:
        original_gather(box, anchors, links, *args)
        if ACTIVE.get():
            inner = set(map(id, inner_link_boxes(box, None, boxes)))
            links[:] = [link for link in links if id(link[3]) not in inner]

    def add_tags(pdf: Any, document: Any, *args: Any) -> Any:
        if not ACTIVE.get():
            return original_add_tags(pdf, document, *args)
        pages = {name: number for number, page in enumerate(document.pages, 1) for name in page.anchors}
        token = _ANCHOR_PAGES.set(pages)
        links = _LINKS.set({})
        words = _WORDS.set(GIVEN.get() or catalogue(document.metadata.lang))
        seen, cells = _TABLES.set({}), _CELLS.set({})
        streams = _STREAMS.set(list(args[1]) if len(args) > 1 else [])
        try:
            result = original_add_tags(pdf, document, *args)
        finally:
            _ANCHOR_PAGES.reset(token)
            _LINKS.reset(links)
            _WORDS.reset(words)
            _TABLES.reset(seen)
            _CELLS.reset(cells)
            _STREAMS.reset(streams)
        add_id_tree(pdf)
        return result

    return [
        (pdf_tags, "_build_box_tree", build_box_tree),
        (pdf_tags, "_get_pdf_tag", get_pdf_tag),
        (pdf, "add_tags", add_tags),
        (document, "gather_anchors", gather_anchors),
    ]


def inner_link_boxes(box: Any, link: Any, boxes: Any) -> Iterator[Any]:
    """Yield the boxes inside a link box that go where it goes (its text, ::after, leaders)."""
    own = box.link
    if link is not None and own in (None, link) and not isinstance(box, (boxes.TextBox, boxes.LineBox)):
        yield box
    for child in box.all_children():
        yield from inner_link_boxes(child, own or link, boxes)


def catalogue(lang: str | None) -> Catalogue:
    """Return the message catalogue of a document's language ('cy', 'zh-Hans'; 'en-GB' -> 'en')."""
    tag = lang or messages.SOURCE
    for name in (tag, tag.split("-")[0]):
        if (messages.FOLDER / f"{name}.yml").is_file():
            return messages.load(name)
    return messages.load()


def link_description(element: Any, anchor_pages: dict[str, int], words: Catalogue) -> str:
    """Return what a person hears for a link: its label or text, and the page it goes to (in ``words``)."""
    href = element.get("href", "") if element is not None else ""
    label = (element.get("aria-label") or element.get("title")) if element is not None else None
    text = " ".join("".join(element.itertext()).replace("\u2060", "").split()) if element is not None else ""
    if href.startswith("mailto:"):
        return label or str(words("link.email", address=href.removeprefix("mailto:")).unescape())
    if href.startswith("tel:"):
        return label or str(words("link.call", number=text).unescape())
    said = label or text or href
    if href.startswith("#") and href[1:] in anchor_pages:
        return str(words("link.page", text=said, n=anchor_pages[href[1:]]).unescape())
    return said


def header_scope(th: Any) -> str:
    """Return a header cell's PDF scope from HTML ``scope`` (Column unless it says row)."""
    return "Row" if (th.get("scope") or "").lower() in ("row", "rowgroup") else "Column"


def _obj(pdf: Any, reference: Any) -> Any:
    return pdf.objects[int(bytes(reference).split()[0])]


def merge_link(part: Any, link: Any, pdf: Any, nums: dict[int, Any], annotations: list[Any]) -> None:
    """Move a link's part on another line (its text and annotation) into its first Link element."""
    for kid in part["K"]:
        link["K"].append(kid)
        if isinstance(kid, int):
            nums[kid] = link.reference
        else:
            obj = _obj(pdf, kid)
            if obj.get("Type") == "/StructElem":
                obj["P"] = link.reference
    for i, (owner, annotation) in enumerate(annotations):
        if owner == part.reference:
            annotations[i] = (link.reference, annotation)


def pair_terms(dl: Any, pdf: Any) -> None:
    """Make each dt's list item hold the term as ``Lbl`` and the following dd as ``LBody``."""
    kids: list[Any] = []
    term: Any = None
    for reference in dl["K"]:
        item = _obj(pdf, reference)
        if not isinstance(item, pydyf.Dictionary) or item.get("S") != "/LI":
            kids.append(reference)
            term = None
            continue
        if item.pop(_TERM, False):
            for kid in item["K"]:
                label = _obj(pdf, kid)
                if label.get("S") == "/LBody":
                    label["S"] = "/Lbl"
            term = item
            kids.append(reference)
        elif term is not None and all(_obj(pdf, k).get("S") == "/LBody" for k in item["K"]):
            for kid in item["K"]:
                _obj(pdf, kid)["P"] = term.reference
                term["K"].append(kid)
            item["K"] = pydyf.Array()
            term = None
        else:
            kids.append(reference)
            term = None
    for reference in kids:  # a grid split by a page leaves empty pieces of its items
        item = _obj(pdf, reference)
        if isinstance(item, pydyf.Dictionary) and item.get("S") == "/LI":
            item["K"] = pydyf.Array(k for k in item["K"] if isinstance(k, int) or not _empty(_obj(pdf, k)))
    dl["K"] = pydyf.Array(k for k in kids if isinstance(k, int) or not _empty(_obj(pdf, k)))


def _empty(element: Any) -> bool:
    return isinstance(element, pydyf.Dictionary) and element.get("Type") == "/StructElem" and not element["K"]


def add_id_tree(pdf: Any) -> None:
    """Give the structure tree root an /IDTree resolving every structure element's /ID."""
    ids = sorted(
        (str(obj["ID"].string), obj)
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem" and "ID" in obj
    )
    if not ids:
        return
    root = next(
        obj
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructTreeRoot"
    )
    names = pydyf.Array()
    for _, element in ids:
        names.extend([element["ID"], element.reference])
    root["IDTree"] = pydyf.Dictionary({"Names": names})
