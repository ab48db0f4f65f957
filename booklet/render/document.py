"""The HTML document of one variant, as one element tree that every format reads.

The templates (``templates/base/booklet.html`` and the parts it includes) are rendered by
Jinja to text and parsed here, once, into an :mod:`xml.etree` tree; the body's elements,
made from the Markdown parse (``markup.to_html``), are put in place of the
``<booklet-body>`` slot without ever being text. What a format changes, it changes on that
tree: line-break hints on text nodes (:func:`keep_words`), picture addresses on ``src``
attributes (:func:`set_sources`). Then the PDF and the web page serialise it
(:func:`serialise`), and the EPUB (``epub_text``) and the braille (``braille/source.py``) walk
it: nothing parses the booklet's HTML again, and no regular expression reads markup.

Why a parser at all: the templates are what a designer edits, as HTML. Only the templates'
own output is parsed (the writer's words in it are escaped by Jinja), with the standard
library's ``html.parser``, strictly: an end tag that closes nothing open, or a slot that is
missing, is a fault of the templates and stops the render.
"""

from __future__ import annotations

import html.parser
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from ..errors import RenderError
from ..source.elements import append_text

SLOT = "booklet-body"  # the templates' placeholder for the body's elements
VOID = frozenset(ET.HTML_EMPTY)  # elements with no end tag: br, img, meta, link, wbr...
RAW = frozenset({"script", "style"})  # their text is not the book's


class _Builder(html.parser.HTMLParser):
    """Build an element tree from the templates' HTML; every element closed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID:
            el.text = ""  # '<x/>' of a non-void element is an empty element

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if len(self.stack) < 2 or self.stack[-1].tag != tag:
            raise RenderError(
                f"the booklet templates close <{tag}> where <{self.stack[-1].tag}> is open "
                f"(line {self.getpos()[0]} of the rendered document): close every element in order"
            )
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        append_text(self.stack[-1], data)


def parse(markup: str) -> ET.Element:
    """Return the ``<html>`` element of the templates' rendered document (doctype and comments left out)."""
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    if len(builder.stack) > 1:
        raise RenderError(f"the booklet templates leave <{builder.stack[-1].tag}> open: close it")
    found = builder.root.find("html")
    if found is None:
        raise RenderError("the booklet templates make no <html> element")
    return found


def graft(root: ET.Element, body: ET.Element) -> None:
    """Put the children of ``body`` (the Markdown body's elements) in place of the ``<booklet-body>`` slot."""
    for parent in root.iter():
        for at, child in enumerate(parent):
            if child.tag != SLOT:
                continue
            parent.remove(child)
            before = parent[at - 1] if at else None
            if before is None:
                parent.text = (parent.text or "") + (body.text or "")
            else:
                before.tail = (before.tail or "") + (body.text or "")
            for n, element in enumerate(body):
                parent.insert(at + n, element)
            last = parent[at + len(body) - 1] if len(body) else before
            if last is None:
                parent.text = (parent.text or "") + (child.tail or "")
            else:
                last.tail = (last.tail or "") + (child.tail or "")
            return
    raise RenderError(f"the booklet templates have no <{SLOT}> for the body: put one in base/booklet.html")


def map_text(root: ET.Element, change: Callable[[str], str]) -> None:
    """Change every text node of ``root``'s ``<body>`` (element text and tails) by ``change``.

    Only text: attributes, tags and the text of scripts and styles are not touched.
    """
    body = root.find("body")
    if body is None:
        return

    def visit(el: ET.Element) -> None:
        if el.tag not in RAW and el.text:
            el.text = change(el.text)
        for child in el:
            visit(child)
            if child.tail:
                child.tail = change(child.tail)

    visit(body)


HYPHEN_IN_WORD_RE = re.compile(r"(?<=\w)-(?=\w)")
WORD_JOINER = "\u2060"
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


def unbroken(text: str) -> str:
    """Keep phone numbers, dates, postcodes and order codes in ``text`` on one line.

    Readers get the same words and spaces: a word joiner is nothing.
    """
    text = UNBROKEN_RE.sub(lambda m: m[0].replace(" ", " " + WORD_JOINER), text)
    return CODE_RE.sub("\\1-" + WORD_JOINER, text)


def unhyphenated(text: str) -> str:
    """Keep hyphenated words ('trans-arterial') in ``text`` on one line: large print splits no word.

    A word joiner (U+2060) after each hyphen inside a word forbids the line break there
    (Unicode line breaking, UAX #14); it is invisible and leaves the tagged text as it was.
    (A ``white-space: nowrap`` box round the word, used before, made WeasyPrint 70 break
    lines early and split a link's annotation.)
    """
    return HYPHEN_IN_WORD_RE.sub("-" + WORD_JOINER, text)


def keep_words(root: ET.Element, hyphenated: bool) -> None:
    """Keep numbers, dates, postcodes and codes (and, with ``hyphenated``, hyphenated words) unbroken."""
    if hyphenated:
        map_text(root, lambda text: unbroken(unhyphenated(text)))
    else:
        map_text(root, unbroken)


def set_sources(root: ET.Element, address: Callable[[str], str]) -> None:
    """Give every picture (``<img src>``) the address ``address`` returns for the one it has."""
    for img in root.iter("img"):
        if src := img.get("src"):
            img.set("src", address(src))


def serialise(root: ET.Element) -> str:
    """Return the document as HTML text: the doctype, then the ``<html>`` element."""
    return "<!DOCTYPE html>\n" + ET.tostring(root, encoding="unicode", method="html") + "\n"
