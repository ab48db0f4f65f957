"""The element tree of a body, built from the same markdown-it tokens the rules read.

A body is parsed once (:func:`booklet.source.tree.parse`); this turns that token stream into
an :mod:`xml.etree` tree of HTML elements, which the renderer (``booklet/render/markup.py``)
copies, dresses (ids, figures, citations, callouts) and serialises. Nothing here reads the
text again: entities are already characters, lists keep their start, reference links are
resolved. Raw HTML (refused by the rules, SRC-RAW-HTML) is kept as the text it is; ignore
comments are left out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

# Block tokens that open an element of the same tag (markdown-it gives it in ``token.tag``).
BLOCKS = frozenset(
    {
        "heading",
        "paragraph",
        "bullet_list",
        "ordered_list",
        "list_item",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "dl",
        "dt",
        "dd",
    }
)
INLINE = {"em": "em", "strong": "strong", "s": "s", "link": "a"}
ATTRIBUTES = ("start", "href", "title", "style")  # the attributes markdown-it sets that a booklet keeps


# GitHub's alert syntax: a quote whose first line is '[!WARNING]' is a callout box.
CALLOUTS = ("note", "tip", "important", "warning", "caution")
CALLOUT_RE = re.compile(r"\[!([A-Za-z]+)\]")


def build(tokens: list[Token], is_ignore: Callable[[str], bool]) -> ET.Element:
    """Return the body's elements under a ``<div>`` root, in text order.

    A quote that starts with a callout marker ('[!WARNING]' alone on its first line) becomes
    ``<blockquote data-callout="warning">`` without the marker; the renderer boxes it.
    """
    root = ET.Element("div")
    stack = [root]
    for token in tokens:
        kind = token.type
        name = kind.removesuffix("_open").removesuffix("_close")
        if token.hidden and name == "paragraph":
            continue  # a tight list's paragraph: its words go straight into the item
        if name in BLOCKS and kind.endswith("_open"):
            el = ET.SubElement(stack[-1], token.tag, _attrs(token))
            stack.append(el)
        elif name in BLOCKS and kind.endswith("_close"):
            stack.pop().tail = "\n"
        elif kind == "inline":
            _inline(stack[-1], token.children or [], is_ignore)
        elif kind == "hr":
            ET.SubElement(stack[-1], "hr").tail = "\n"
        elif kind in ("fence", "code_block"):
            pre = ET.SubElement(stack[-1], "pre")
            ET.SubElement(pre, "code").text = token.content
            pre.tail = "\n"
        elif kind == "html_block" and not is_ignore(token.content):
            paragraph = ET.SubElement(stack[-1], "p")
            paragraph.text, paragraph.tail = token.content.strip(), "\n"
        # footnotes (refused, SRC-FOOTNOTE) have no element
    for quote in root.iter("blockquote"):
        _callout(quote)
    return root


def callout_kind(text: str) -> str | None:
    """Return the kind a callout marker names ('[!WARNING]' -> 'warning'), lower case; None if none."""
    match = CALLOUT_RE.fullmatch(text.strip())
    return match[1].lower() if match else None


def _callout(quote: ET.Element) -> None:
    first = quote[0] if len(quote) else None
    if first is None or first.tag != "p":
        return
    head, newline, rest = (first.text or "").partition("\n")
    kind = callout_kind(head)
    if kind not in CALLOUTS or not (newline or (len(first) == 0 and not rest)):
        return
    quote.set("data-callout", kind)
    first.text = rest
    if not rest.strip() and not len(first):
        quote.remove(first)


def _attrs(token: Token) -> dict[str, str]:
    attrs = {k: str(v) for k, v in token.attrs.items() if k in ATTRIBUTES}
    if "style" in attrs:  # a table column's alignment: 'text-align:right'
        attrs["style"] = attrs["style"].replace(":", ": ") + ";"
    return attrs


def append_text(parent: ET.Element, text: str) -> None:
    """Add text at the end of ``parent`` (its text, or its last child's tail)."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _inline(parent: ET.Element, children: list[Token], is_ignore: Callable[[str], bool]) -> None:
    """Add inline tokens to ``parent``: text, breaks, code, emphasis, links and pictures."""
    stack = [parent]
    for child in children:
        kind = child.type
        name = kind.removesuffix("_open").removesuffix("_close")
        if kind == "text":
            append_text(stack[-1], child.content)
        elif kind == "softbreak":
            append_text(stack[-1], "\n")
        elif kind == "hardbreak":
            ET.SubElement(stack[-1], "br").tail = "\n"
        elif kind == "code_inline":
            ET.SubElement(stack[-1], "code").text = child.content
        elif kind == "html_inline" and not is_ignore(child.content):
            append_text(stack[-1], child.content)
        elif kind == "image":
            alt = "".join(c.content for c in child.children or [])
            attrs = {"src": str(child.attrGet("src") or ""), "alt": alt}
            if title := child.attrGet("title"):
                attrs["title"] = str(title)
            ET.SubElement(stack[-1], "img", attrs)
        elif name in INLINE and kind.endswith("_open"):
            stack.append(ET.SubElement(stack[-1], INLINE[name], _attrs(child)))
        elif name in INLINE and kind.endswith("_close") and len(stack) > 1:
            stack.pop()
        elif kind == "footnote_ref":
            append_text(stack[-1], f"[^{child.meta.get('label', '')}]")
