"""The parse tree of a Markdown body: blocks and inline spans, each with its line in the file.

A body is parsed once, with markdown-it-py (CommonMark, pipe tables, and the footnotes,
definition lists and strikethrough it recognises only to refuse them), whose tokens carry
source lines. From that one token stream come both views of the tree: the blocks and spans
with their lines that every rule, the easy-read linter and the reading checks read, and the
element tree (:mod:`booklet.source.elements`) that the renderer turns into HTML
(``markup.to_html``). What the rules check is what is printed.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from . import elements

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SpanKind = Literal["text", "image", "code", "html", "break"]
BlockKind = Literal["heading", "paragraph", "cell", "header", "code", "html", "rule"]
# A check may be silenced on one line: <!-- booklet: ignore RULE-ID the reason -->
# (alone on its line, it applies to the next line). Comments are found with str.find and
# only their inside is matched, so a long line or an unclosed comment costs linear time.
MAX_NESTING = 8  # lists or quotes inside each other; deeper is refused (markdown-it drops what is deeper)
TASK_RE = re.compile(r"\[[ xX]\]\s")  # a task list item: '- [ ] ring the ward'
LIST_MARKER_RE = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
IGNORE_INSIDE_RE = re.compile(r"\s*booklet:\s*ignore\s+([A-Z0-9-]{1,80})(?:\s+(.*?))?\s*", re.DOTALL)


@dataclass(frozen=True)
class Span:
    """A run of inline content: text, a picture, code, raw HTML or a line break."""

    kind: SpanKind
    text: str  # the words; a picture's alt text; the HTML itself
    line: int
    bold: str = ""  # the whole bold phrase this text is part of ('' when not bold)
    href: str = ""  # the link this text is the words of; a picture's address
    title: str = ""  # a picture's title (its caption)


@dataclass(frozen=True)
class Link:
    """A link: its words, where it goes, and its line."""

    text: str
    href: str
    line: int


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, table cell, code block, raw HTML block or rule, in text order."""

    kind: BlockKind
    line: int
    spans: tuple[Span, ...] = ()
    level: int = 0  # a heading's level; how deep in lists a paragraph is (0: not in a list)
    chapter: str = ""  # the text of the chapter (``#`` heading) it is in
    item_start: bool = False  # the first paragraph of a list item
    links: tuple[Link, ...] = ()

    @property
    def text(self) -> str:
        """Return the block's words as written, pictures left out, line breaks as spaces."""
        return "".join(s.text if s.kind in ("text", "code") else " " for s in self.spans if s.kind != "image")

    @property
    def images(self) -> list[Span]:
        """Return the pictures of the block."""
        return [s for s in self.spans if s.kind == "image"]

    def starts_with_picture(self) -> bool:
        """Tell whether the block's first content is a picture (an easy-read point)."""
        first = next((s for s in self.spans if s.kind != "text" or s.text.strip()), None)
        return first is not None and first.kind == "image"


@dataclass(frozen=True)
class Table:
    """A pipe table: its line, its column names and its number of rows."""

    line: int
    header: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class Item:
    """A list item: its line, how deep it is (0: top level) and how far its marker is indented."""

    line: int
    depth: int
    indent: int


@dataclass(frozen=True)
class Ignore:
    """A silenced check: the line it applies to, the rule and the reason."""

    line: int
    rule: str
    reason: str


ConstructKind = Literal[
    "footnote", "definition list", "task list", "strikethrough", "callout", "callout marker", "heading link"
]


@dataclass(frozen=True)
class Construct:
    """A Markdown construct a rule may refuse, where it is written: a footnote, a callout..."""

    kind: ConstructKind
    line: int
    name: str = ""  # a callout's kind as written ('WARNING'); a footnote's label


@dataclass(frozen=True)
class Tree:
    """A parsed body: its blocks, tables, list items, ignore comments and element tree."""

    blocks: tuple[Block, ...] = ()
    tables: tuple[Table, ...] = ()
    items: tuple[Item, ...] = ()
    ignores: tuple[Ignore, ...] = ()
    constructs: tuple[Construct, ...] = ()
    too_deep: int | None = None  # the first line nested deeper than MAX_NESTING (lists or quotes)
    # The same parse as HTML elements, for the renderer (which copies it before changing it).
    root: ET.Element = field(default_factory=lambda: ET.Element("div"), compare=False, repr=False)

    def headings(self) -> list[Block]:
        """Return the headings, in order."""
        return [b for b in self.blocks if b.kind == "heading"]

    def spans(self) -> Iterator[tuple[Block, Span]]:
        """Yield every span with its block."""
        for block in self.blocks:
            for span in block.spans:
                yield block, span


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported when a body is first parsed (about 40 ms)
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    parser = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin, inline=False)
        .use(deflist_plugin)
    )
    # markdown-it drops javascript:, data: and other links silently. Keep every link in the
    # tree so that the rules see and refuse them (SRC-LINK-TARGET), rather than print words.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


@dataclass
class _Walk:
    """The state of one walk through the token stream."""

    first_line: int
    lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    constructs: list[Construct] = field(default_factory=list)
    chapter: str = ""
    depth: int = 0
    item_open: bool = False
    quote_open: bool = False  # the next block is the first of a quote (which may be a callout)
    deepest: int | None = None  # the first line of a list nested deeper than MAX_NESTING, by the tokens
    cell: BlockKind = "cell"
    header: list[str] = field(default_factory=list)
    rows: int = 0
    table_line: int = 0


def parse(body: str, first_line: int) -> Tree:
    """Parse a Markdown body whose first line is line ``first_line`` of its file."""
    tokens = _parser().parse(body)
    walk = _Walk(first_line, body.split("\n"))
    for index, token in enumerate(tokens):
        _token(walk, tokens, index, token)
    found = [n for n in (_too_deep(walk.lines), walk.deepest) if n is not None]
    deep = min(found) if found else None
    return Tree(
        tuple(walk.blocks),
        tuple(walk.tables),
        tuple(walk.items),
        tuple(_ignores(walk.lines, first_line)),
        tuple(sorted(walk.constructs, key=lambda c: c.line)),
        None if deep is None else deep + first_line,
        elements.build(tokens, is_ignore),
    )


def _too_deep(lines: list[str]) -> int | None:
    """Return the index of the first line nested deeper than MAX_NESTING, read from the text itself.

    markdown-it stops nesting at its own limit (and drops what is deeper), so depth is
    counted in the lines too: quote markers, and list items indented 4 spaces a level (lists
    nested 2 spaces a level are counted from the tokens, well within markdown-it's limit).
    """
    for index, line in enumerate(lines):
        rest = line.lstrip(" ")
        quotes = 0
        while rest.startswith(">") and quotes <= MAX_NESTING:
            quotes += 1
            rest = rest[1:].lstrip(" ")
        indent = len(line) - len(line.lstrip(" "))
        listed = indent // 4 + 1 if LIST_MARKER_RE.match(line.lstrip(" ")) else 0
        if quotes > MAX_NESTING or listed > MAX_NESTING:
            return index
    return None


def _token(walk: _Walk, tokens: list[Token], index: int, token: Token) -> None:
    line = walk.first_line + (token.map[0] if token.map else 0)
    kind = token.type
    if kind != "inline" and not kind.startswith("paragraph"):
        walk.quote_open = kind == "blockquote_open"
    if kind in ("bullet_list_open", "ordered_list_open"):
        walk.depth += 1
        if walk.depth > MAX_NESTING and walk.deepest is None and token.map:
            walk.deepest = token.map[0]  # nested 2 spaces a level: the text's count misses it
    elif kind in ("bullet_list_close", "ordered_list_close"):
        walk.depth -= 1
    elif kind == "list_item_open":
        walk.item_open = True
        raw = walk.lines[token.map[0]] if token.map else ""
        walk.items.append(Item(line, walk.depth - 1, len(raw) - len(raw.lstrip(" "))))
    elif kind == "table_open":
        walk.header, walk.rows, walk.table_line = [], 0, line
    elif kind == "table_close":
        walk.tables.append(Table(walk.table_line, tuple(walk.header), walk.rows))
    elif kind in ("th_open", "td_open"):
        walk.cell = "header" if kind == "th_open" else "cell"
    elif kind == "tr_open" and tokens[index - 1].type != "thead_open":
        walk.rows += 1
    elif kind == "inline":
        _inline(walk, tokens, index, token, line)
    elif kind in ("fence", "code_block"):
        walk.blocks.append(Block("code", line, (Span("code", token.content, line),), chapter=walk.chapter))
    elif kind == "html_block":
        walk.blocks.append(Block("html", line, (Span("html", token.content, line),), chapter=walk.chapter))
    elif kind == "hr":
        walk.blocks.append(Block("rule", line, chapter=walk.chapter))
    elif kind == "dl_open":
        walk.constructs.append(Construct("definition list", line))
    elif kind == "footnote_open":  # a footnote's text has no line of its own: its first paragraph's
        mapped = next((t.map for t in tokens[index:] if t.map), None)
        label = str(token.meta.get("label", ""))
        walk.constructs.append(Construct("footnote", walk.first_line + (mapped[0] if mapped else 0), label))


def _inline(walk: _Walk, tokens: list[Token], index: int, token: Token, line: int) -> None:
    parent = tokens[index - 1]
    children = token.children or []
    if walk.quote_open and _is_callout(children):
        walk.constructs.append(Construct("callout", line, children[0].content.strip()[2:-1]))
        children, line = children[2:], line + 1
    elif walk.quote_open and children and (marker := elements.CALLOUT_RE.match(children[0].content)):
        walk.constructs.append(Construct("callout marker", line, marker[1]))
    walk.quote_open = False
    if walk.item_open and children and children[0].type == "text" and TASK_RE.match(children[0].content):
        walk.constructs.append(Construct("task list", line))
    spans, links = _spans(children, line, walk.constructs)
    if parent.type == "heading_open":
        if links:
            walk.constructs.append(Construct("heading link", links[0].line))
        level = int(parent.tag[1])
        text = "".join(s.text for s in spans if s.kind == "text").strip()
        if level == 1:
            walk.chapter = text
        walk.blocks.append(Block("heading", line, spans, level, walk.chapter, links=links))
    elif parent.type in ("th_open", "td_open"):
        if walk.cell == "header":
            walk.header.append("".join(s.text for s in spans if s.kind in ("text", "code")).strip())
        walk.blocks.append(Block(walk.cell, line, spans, chapter=walk.chapter, links=links))
    else:
        start = walk.item_open
        walk.item_open = False
        walk.blocks.append(Block("paragraph", line, spans, walk.depth, walk.chapter, start, links))
    if parent.type == "paragraph_open":
        walk.item_open = False


def _is_callout(children: list[Token]) -> bool:
    """Tell whether a quote's first line is a callout marker alone: '> [!WARNING]'."""
    first = children[0] if children else None
    return (
        first is not None
        and first.type == "text"
        and elements.callout_kind(first.content) is not None
        and (len(children) == 1 or children[1].type == "softbreak")
    )


def _spans(
    children: list[Token], line: int, constructs: list[Construct]
) -> tuple[tuple[Span, ...], tuple[Link, ...]]:
    """Flatten inline tokens into spans, each with its line; collect the links."""
    spans: list[Span] = []
    links: list[Link] = []
    bold = 0
    bold_start = 0
    href = ""
    link_start = 0
    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            spans.append(Span("text" if kind == "softbreak" else "break", " ", line, "", href))
            line += 1
        elif kind == "text":
            spans.append(Span("text", child.content, line, "", href))
        elif kind == "code_inline":
            spans.append(Span("code", child.content, line, "", href))
        elif kind == "html_inline":
            spans.append(Span("html", child.content, line))
            line += child.content.count("\n")
        elif kind == "image":
            alt = "".join(c.content for c in child.children or [])
            src = str(child.attrGet("src") or "")
            spans.append(Span("image", alt, line, "", src, str(child.attrGet("title") or "")))
        elif kind == "strong_open":
            bold += 1
            bold_start = len(spans)
        elif kind == "strong_close":
            bold -= 1
            if not bold:
                _mark_bold(spans, bold_start)
        elif kind == "s_open":
            constructs.append(Construct("strikethrough", line))
        elif kind == "footnote_ref":
            constructs.append(Construct("footnote", line, str(child.meta.get("label", ""))))
            spans.append(Span("text", f"[^{child.meta.get('label', '')}]", line, "", href))
        elif kind == "link_open":
            href, link_start = str(child.attrGet("href") or ""), len(spans)
        elif kind == "link_close":
            words = "".join(s.text for s in spans[link_start:] if s.kind in ("text", "code"))
            links.append(
                Link(" ".join(words.split()), href, spans[link_start].line if spans[link_start:] else line)
            )
            href = ""
    return tuple(spans), tuple(links)


def _mark_bold(spans: list[Span], start: int) -> None:
    """Mark the spans from ``start`` as one bold phrase."""
    phrase = " ".join("".join(s.text for s in spans[start:] if s.kind in ("text", "code")).split())
    for i in range(start, len(spans)):
        s = spans[i]
        spans[i] = Span(s.kind, s.text, s.line, phrase, s.href, s.title)


def ignore_comments(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Yield (start, end, rule, reason) for each ignore comment in a text."""
    at = text.find("<!--")
    while at >= 0:
        end = text.find("-->", at + 4)
        if end < 0:
            return
        if match := IGNORE_INSIDE_RE.fullmatch(text, at + 4, end):
            yield at, end + 3, match[1], match[2] or ""
        at = text.find("<!--", end + 3)


def is_ignore(text: str) -> bool:
    """Tell whether a piece of raw HTML is exactly one ignore comment."""
    text = text.strip()
    return any(start == 0 and end == len(text) for start, end, _, _ in ignore_comments(text))


def _ignores(lines: list[str], first_line: int) -> Iterator[Ignore]:
    """Find the ignore comments: on a line of text they apply to it; alone, to the next line."""
    for index, line in enumerate(lines):
        found = list(ignore_comments(line))
        alone = bool(found) and not _without(line, found).strip()
        for _, _, rule, reason in found:
            yield Ignore(index + first_line + (1 if alone else 0), rule, reason)


def _without(text: str, found: list[tuple[int, int, str, str]]) -> str:
    """Return the text without the comments found; their line breaks stay, so lines keep their numbers."""
    kept, last = [], 0
    for start, end, _, _ in found:
        kept.append(text[last:start] + "\n" * text.count("\n", start, end))
        last = end
    return "".join(kept) + text[last:]
