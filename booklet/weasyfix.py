"""Mends for WeasyPrint 70.0's tagged PDFs, in force only inside ``with mended():``.

- #1836: running heads and page numbers (``@page`` margin boxes) are tagged as
  content; PDF/UA wants them as artifacts (outloud PAG-001). Margin boxes are
  drawn inside one ``/Artifact`` marked-content sequence, the text in them is not
  given MCIDs, and the structure tree skips them.
- Outside list markers are laid out as absolutely positioned boxes and so painted after
  all the text of the page (outloud ORD-001: content painted out of structure order).
  After layout they are painted in flow instead, just before their item's text.
- A line whose words fit but whose trailing space does not is taken as a line that
  cannot be split, and only its first word is kept (a word alone on a line, followed by
  the rest: "ideas that / may / help. It is not..." when a bold word follows). Found by
  the corpus in large print. ``split_first_line`` now measures such a line without its
  trailing space, as the caller already does when it checks for overflow.
- A line wrapped at a space loses the space: the last word of a line and the first of the
  next are read run together ("livercancer") by anything that reads the tagged text rather
  than guessing from positions. The space WeasyPrint strips from the end of a line (or the
  forced break of a ``<br>``) is kept as a real, invisible space glyph painted after the
  line's last word, inside its marked content.
- A space that is a text box of its own, between two inline elements, is not painted at all
  (WeasyPrint skips blank text boxes), so "<a>x</a> <span>y</span>" is read "xy". It is
  painted after the word before it, as for a line wrap.
- ``leader()`` dots are tagged as content, each dot its own marked-content item, and an
  ``a::before`` / ``a::after`` pseudo-element becomes a Link inside its Link. Leaders are
  painted as artifacts and left out of the structure tree; a link's pseudo-elements are Spans.
- A link wrapped onto two lines becomes two Link elements: they are made one, holding both
  annotations (on one page).
- A link's ``/Contents`` is its anchor id. It becomes what a person would hear: the link's
  ``aria-label``, ``title`` or text, "Email <address>" for ``mailto:``, and ", page N" added for a link
  inside the document.
- Table header cells have no ``/Scope`` (#2508), and the ``/Headers`` of data cells name ids
  no ``/IDTree`` resolves: TH gets ``/Scope`` from HTML ``scope`` (or its place), and the
  structure tree root an ``/IDTree``.
- A ``dl`` becomes a list of items each holding one ``dt`` or ``dd``: a term and its
  explanation are then unrelated. Each ``dt`` becomes a list item's ``Lbl`` and the ``dd``
  after it that item's ``LBody``.
- Link annotations lack the Print flag (outloud LNK-004): :func:`finish`, passed to
  ``write_pdf`` as its ``finisher``, sets ``/F 4``.

All but the last reach into private WeasyPrint functions. :func:`mended` puts its versions
in place when the first render enters it and puts WeasyPrint's own back when the last one
leaves; while they are in place they act only for code running inside ``mended()`` (a
context variable says so), so another thread rendering with WeasyPrint at the same time
gets WeasyPrint's own behaviour. They are pinned to the version they were written for:
any other version is refused with :class:`UnsupportedWeasyPrintError`. ``tests/test_weasyfix.py``
checks each mend on a tiny document; ``tests/test_pdf.py`` checks the result with the
validators.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any

import pydyf

from .errors import RenderError

PINNED = "70.0"
DOCUMENT_ID_RE = re.compile(rb"xmp\.did:[0-9a-f-]{36}")

_ACTIVE: ContextVar[bool] = ContextVar("weasyfix_active", default=False)  # inside mended()
_IN_ARTIFACT: ContextVar[bool] = ContextVar("weasyfix_in_artifact", default=False)  # in a margin box
_lock = threading.Lock()
_users = 0  # renders inside mended(), in every thread
_saved: list[tuple[Any, str, Any]] = []  # (owner, attribute, WeasyPrint's own value) while installed
_ANCHOR_PAGES: ContextVar[dict[str, int]] = ContextVar("weasyfix_anchor_pages", default={})  # noqa: B039
_LINKS: ContextVar[dict[tuple[int, int, int], Any]] = ContextVar("weasyfix_links")  # first Link of each link
_wrapped: weakref.WeakSet[Any] = weakref.WeakSet()  # text boxes ending a line wrapped at a space
_last_line: weakref.WeakKeyDictionary[Any, Any] = (
    weakref.WeakKeyDictionary()
)  # block's line box -> last line laid out
_flat: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()  # line box -> its text


class UnsupportedWeasyPrintError(RenderError):
    """The installed WeasyPrint is not the version the mends were written for."""


def check_version() -> None:
    """Refuse any WeasyPrint but the one the mends were written for, saying how to install it."""
    import weasyprint  # deferred: importing WeasyPrint takes about half a second

    installed = getattr(weasyprint, "__version__", "unknown")
    if installed != PINNED:
        raise UnsupportedWeasyPrintError(
            f"WeasyPrint {installed} is installed, but booklet needs WeasyPrint {PINNED}: "
            f"its tagged-PDF mends (booklet/weasyfix.py) were written for {PINNED} only. "
            f"Install it with: pip install weasyprint=={PINNED}"
        )


@contextmanager
def mended() -> Iterator[None]:
    """Render with the mends in force; outside this block WeasyPrint behaves as its own."""
    global _users
    check_version()
    with _lock:
        if _users == 0:
            try:
                _install()
            except BaseException:
                _restore()
                raise
        _users += 1
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
        with _lock:
            _users -= 1
            if _users == 0:
                _restore()


def _install() -> None:
    """Put the mended functions in place of WeasyPrint's (called under ``_lock``)."""
    from weasyprint import document, draw, pdf, stacking
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import stream as pdf_stream
    from weasyprint.pdf import tags as pdf_tags

    stream_cls: Any = pdf_stream.Stream
    original_marked = vars(stream_cls)["marked"]
    original_artifact = vars(stream_cls)["artifact"]
    original_draw = draw.draw_stacking_context
    original_tree = pdf_tags._build_box_tree
    original_dispatch = stacking._dispatch
    original_split = inline.split_first_line
    original_next_line = inline.get_next_linebox
    original_first_line = draw_text.draw_first_line
    original_inline = draw.draw_inline_level
    original_pdf_tag = pdf_tags._get_pdf_tag
    original_add_tags = pdf.add_tags
    original_gather = document.gather_anchors

    def marked(self: Any, box: Any, tag: str) -> AbstractContextManager[None]:
        if _ACTIVE.get() and _IN_ARTIFACT.get():
            return nullcontext()  # inside a margin box's /Artifact: no MCID
        return original_marked(self, box, tag)  # type: ignore[no-any-return]

    def artifact(self: Any) -> AbstractContextManager[None]:
        if _ACTIVE.get() and _IN_ARTIFACT.get():
            return nullcontext()  # already inside one: artifacts do not nest
        return original_artifact(self)  # type: ignore[no-any-return]

    def draw_stacking_context(stream: Any, stacking_context: Any) -> None:
        if not _ACTIVE.get() or _IN_ARTIFACT.get() or not isinstance(stacking_context.box, boxes.MarginBox):
            original_draw(stream, stacking_context)
            return
        with original_artifact(stream):
            token = _IN_ARTIFACT.set(True)
            try:
                original_draw(stream, stacking_context)
            finally:
                _IN_ARTIFACT.reset(token)

    def build_box_tree(box: Any, parent: Any, pdf: Any, *args: Any) -> Any:
        if not _ACTIVE.get():
            return original_tree(box, parent, pdf, *args)
        if isinstance(box, boxes.MarginBox) or getattr(box, "is_leader", False):
            return iter(())  # its text is an artifact: no structure element, no MCID
        if box.link_annotation is not None:
            box.link_annotation["Contents"] = pydyf.String(link_description(box.element, _ANCHOR_PAGES.get()))
        elements = list(original_tree(box, parent, pdf, *args))
        tag = box.element_tag if box.element is not None else None
        if tag == "th":
            for element in elements:
                element["A"]["Scope"] = "/" + header_scope(box.element)
        elif tag == "dt":
            for element in elements:
                if element["S"] == "/LI":  # not the LBody WeasyPrint builds inside it
                    element[_TERM] = True
        elif tag == "dl":
            for element in elements:
                pair_terms(element, pdf)
        elif tag == "a" and len(elements) == 1 and elements[0]["S"] == "/Link":
            page_number, nums, annotations = args[:3]
            key = (id(box.element), id(parent), page_number)
            first = _LINKS.get().setdefault(key, elements[0])
            if first is not elements[0]:  # the same link, wrapped onto another line
                merge_link(elements[0], first, pdf, nums, annotations)
                return iter(())
        return iter(elements)

    def get_next_linebox(
        context: Any, linebox: Any, position_y: Any, bottom_space: Any, skip_stack: Any, *args: Any
    ) -> Any:
        result = original_next_line(context, linebox, position_y, bottom_space, skip_stack, *args)
        if _ACTIVE.get() and skip_stack is not None and (previous := _last_line.get(linebox)) is not None:
            text, at = line_text(linebox, boxes), skip_offset(linebox, skip_stack, boxes)
            if text[at - 1 : at] in (" ", "\n") or text[at : at + 1] == " ":  # wrapped at a space or <br>
                words = [b for b in previous.descendants() if isinstance(b, boxes.TextBox) and b.text.strip()]
                if words and not words[-1].text.endswith(" "):
                    _wrapped.add(words[-1])
        if _ACTIVE.get() and result[0] is not None:
            _last_line[linebox] = result[0]
            keep_lone_spaces(result[0], boxes)
        return result

    def draw_first_line(stream: Any, textbox: Any, *args: Any) -> Any:
        layout = textbox.pango_layout
        text = layout.text
        if not _ACTIVE.get() or textbox not in _wrapped or text.endswith(" "):
            return original_first_line(stream, textbox, *args)
        layout.set_text(text + " ")  # painted after the last glyph: invisible, but read
        try:
            return original_first_line(stream, textbox, *args)
        finally:
            layout.set_text(text)

    def draw_inline_level(stream: Any, page: Any, box: Any, *args: Any, **kw: Any) -> Any:
        if not _ACTIVE.get() or _IN_ARTIFACT.get() or not getattr(box, "is_leader", False):
            return original_inline(stream, page, box, *args, **kw)
        with original_artifact(stream):
            token = _IN_ARTIFACT.set(True)
            try:
                return original_inline(stream, page, box, *args, **kw)
            finally:
                _IN_ARTIFACT.reset(token)

    def get_pdf_tag(tag: str | None) -> str:
        if _ACTIVE.get() and tag and tag.startswith("a::"):
            return "Span"  # a link's ::before or ::after is part of the link, not a link of its own
        return original_pdf_tag(tag)  # type: ignore[no-any-return]

    def gather_anchors(box: Any, anchors: Any, links: list[Any], *args: Any) -> None:
        original_gather(box, anchors, links, *args)
        if _ACTIVE.get():
            inner = set(map(id, inner_link_boxes(box, None, boxes)))
            links[:] = [link for link in links if id(link[3]) not in inner]

    def add_tags(pdf: Any, document: Any, *args: Any) -> Any:
        if not _ACTIVE.get():
            return original_add_tags(pdf, document, *args)
        pages = {name: number for number, page in enumerate(document.pages, 1) for name in page.anchors}
        token = _ANCHOR_PAGES.set(pages)
        links = _LINKS.set({})
        try:
            result = original_add_tags(pdf, document, *args)
        finally:
            _ANCHOR_PAGES.reset(token)
            _LINKS.reset(links)
        add_id_tree(pdf)
        return result

    def dispatch(box: Any, *args: Any) -> Any:
        inner = box._box if isinstance(box, AbsolutePlaceholder) else box
        style = inner.style
        if (
            _ACTIVE.get()
            and (inner.element_tag or "").endswith("::marker")
            and style["position"] != "static"
            and style["z_index"] == "auto"
        ):
            # Laid out already: paint a copy in flow, before the item's text. The laid-out
            # box itself is left as it is, so the document paints as before outside mended().
            inner = inner.copy()
            inner.style = style.copy()
            inner.style["position"] = "static"
            box = inner
        return original_dispatch(box, *args)

    def split_first_line(
        text: str, style: Any, context: Any, max_width: float | None, spacing: float, *args: Any, **kw: Any
    ) -> Any:
        result = original_split(text, style, context, max_width, spacing, *args, **kw)
        if (
            not _ACTIVE.get()
            or result[2] is None  # no break: the whole text fits
            or max_width is None
            or not text.endswith(" ")
            or style["white_space"] not in ("normal", "pre-line")
        ):
            return result
        words = original_split(text.rstrip(" "), style, context, max_width, spacing, *args, **kw)
        if words[2] is not None:
            return result  # the words themselves do not fit: WeasyPrint's break stands
        # The words fit; only the trailing space did not. Lay the text out whole: the caller
        # leaves the trailing space out when it checks for overflow.
        return original_split(text, style, context, float("inf"), spacing, *args, **kw)

    replacements: list[tuple[Any, str, Callable[..., Any]]] = [
        (stream_cls, "marked", marked),
        (stream_cls, "artifact", artifact),
        (draw, "draw_stacking_context", draw_stacking_context),
        (pdf_tags, "_build_box_tree", build_box_tree),
        (stacking, "_dispatch", dispatch),
        (inline, "split_first_line", split_first_line),
        (inline, "get_next_linebox", get_next_linebox),
        (draw_text, "draw_first_line", draw_first_line),
        (draw, "draw_inline_level", draw_inline_level),
        (pdf_tags, "_get_pdf_tag", get_pdf_tag),
        (pdf, "add_tags", add_tags),
        (document, "gather_anchors", gather_anchors),
    ]
    for owner, name, replacement in replacements:
        _saved.append((owner, name, vars(owner)[name]))
        setattr(owner, name, replacement)


def keep_lone_spaces(line: Any, boxes: Any) -> None:
    """Keep a space that is a text box of its own (``</a> <span>``): WeasyPrint paints none.

    The word before it is painted with the space after it instead.
    """
    previous = None
    for box in line.descendants():
        if not isinstance(box, boxes.TextBox) or not box.text:
            continue
        if box.text.strip():
            previous = box
        elif previous is not None and not previous.text.endswith(" "):
            _wrapped.add(previous)


def line_text(box: Any, boxes: Any) -> str:
    """Return the text of an inline box (a line box before it is split), one character per atom."""
    if box not in _flat:
        if isinstance(box, boxes.TextBox):
            _flat[box] = box.text
        elif type(box) in (boxes.LineBox, boxes.InlineBox):
            _flat[box] = "".join(line_text(child, boxes) for child in box.children)
        else:
            _flat[box] = "\ufffc"  # an image, an inline block: no text of its own here
    return _flat[box]


def skip_offset(box: Any, skip_stack: Any, boxes: Any) -> int:
    """Return where a line resumes (a WeasyPrint skip stack) as an offset in :func:`line_text`."""
    if not skip_stack:
        return 0
    ((index, rest),) = skip_stack.items()
    if isinstance(box, boxes.TextBox):
        return len(box.text.encode()[:index].decode(errors="ignore"))
    before = sum(len(line_text(child, boxes)) for child in box.children[:index])
    if rest is None or index >= len(box.children):
        return before
    return before + skip_offset(box.children[index], rest, boxes)


def inner_link_boxes(box: Any, link: Any, boxes: Any) -> Iterator[Any]:
    """Yield the boxes inside a link box that go where it goes (its text, ::after, leaders)."""
    own = box.link
    if link is not None and own in (None, link) and not isinstance(box, (boxes.TextBox, boxes.LineBox)):
        yield box
    for child in box.all_children():
        yield from inner_link_boxes(child, own or link, boxes)


_TERM = "WeasyfixTerm"  # marks a dt's list item until pair_terms() has read it


def link_description(element: Any, anchor_pages: dict[str, int]) -> str:
    """Return what a person hears for a link: its label or text, and the page it goes to."""
    href = element.get("href", "") if element is not None else ""
    label = (element.get("aria-label") or element.get("title")) if element is not None else None
    text = " ".join("".join(element.itertext()).replace("\u2060", "").split()) if element is not None else ""
    if href.startswith("mailto:"):
        return label or "Email " + href.removeprefix("mailto:")
    if href.startswith("tel:"):
        return label or "Call " + text
    said = label or text or href
    if href.startswith("#") and href[1:] in anchor_pages:
        return f"{said}, page {anchor_pages[href[1:]]}"
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


def _restore() -> None:
    """Put WeasyPrint's own functions back (called under ``_lock``)."""
    while _saved:
        owner, name, original = _saved.pop()
        setattr(owner, name, original)


def finish(document: Any, pdf: pydyf.PDF) -> None:
    """Finish a PDF before it is written: make every link annotation printable.

    Also replace the random XMP DocumentID that PDF/X variants write with one derived
    from the metadata itself, so that the same input gives the same bytes.
    """
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Link":
            obj["F"] = 4
        elif isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
            obj.stream = [_stable_document_id(part) for part in obj.stream]


def _stable_document_id(part: Any) -> Any:
    if not isinstance(part, bytes) or b"xmp.did:" not in part:
        return part
    digest = hashlib.sha256(DOCUMENT_ID_RE.sub(b"", part)).hexdigest()
    stable = f"xmp.did:{uuid.UUID(digest[:32])}".encode()
    return DOCUMENT_ID_RE.sub(stable, part)
