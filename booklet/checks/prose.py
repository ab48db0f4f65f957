"""The text of a Markdown body as readers see it: chapters, sentences and words, with source lines.

The body is converted with :func:`booklet.markup.to_html`, as the templates show it, and
the HTML is read back as blocks of text (paragraphs, list items, table cells, headings).
Citation markers such as ``[1]`` and pictures are left out. Blocks are split into
sentences; a list item or table cell without a full stop is one sentence. Each block and
sentence is mapped back to the line of the source where its first words are written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .. import markup
from ..model import Source

BLOCK_TAGS = frozenset({"p", "li", "td", "th", "dt", "dd", "figcaption", "blockquote", "pre"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LABEL_TAGS = HEADING_TAGS | {"th"}  # headings and column names: words, but not sentences
# A word: letters or digits, joined by hyphens or apostrophes ("follow-up", "body's"), or an
# abbreviation written with full stops ("e.g.").
WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:[-'\u2019][^\W_]+)*")
# A sentence ends at . ! or ? followed by a space and a capital, digit or opening quote.
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "etc.", "dr.", "mr.", "mrs.", "ms.", "st.", "vs.", "approx.", "no."}
)
# What is left of a citation marker once its numbers are taken out: "[, ]".
CITATION_LEFTOVER_RE = re.compile(r"\s*\[(?:\s*,)*\s*\]")
# What to remove from a source line before looking for a sentence in it.
SOURCE_NOISE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[@[^\]]*\]|\]\([^)]*\)|<!--.*?-->")


@dataclass(frozen=True)
class Sentence:
    """One sentence as readers see it, with the source line where it starts."""

    text: str
    line: int | None
    words: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """A paragraph, list item, table cell or heading, with its sentences."""

    kind: str  # "heading" (a heading or a column name) or "text"
    text: str
    line: int | None
    sentences: tuple[Sentence, ...]


@dataclass
class Chapter:
    """A ``#`` chapter: its title, line and blocks (the text before the first chapter has no title)."""

    title: str
    line: int | None
    blocks: list[Block] = field(default_factory=list)

    @property
    def sentences(self) -> list[Sentence]:
        """Return the sentences of the chapter's text (headings are not sentences)."""
        return [s for b in self.blocks if b.kind == "text" for s in b.sentences]

    @property
    def words(self) -> list[str]:
        """Return every word of the chapter's text, headings left out."""
        return [w for s in self.sentences for w in s.words]


class _Blocks(HTMLParser):
    """Collect (kind, text) for each block of a converted body, skipping citations and pictures."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.kind = "text"
        self.parts: list[str] = []
        self.skip: list[str] = []  # the tags open inside a citation marker, which readers see as [1]

    def flush(self) -> None:
        text = " ".join(CITATION_LEFTOVER_RE.sub("", "".join(self.parts)).split())
        text = re.sub(r"\s+([.,;:!?)])", r"\1", text)
        if text:
            self.blocks.append((self.kind, text))
        self.parts = []
        self.kind = "text"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.skip or (tag == "span" and "citation" in classes) or (tag == "a" and "cite" in classes):
            self.skip.append(tag)
        elif tag in BLOCK_TAGS or tag in LABEL_TAGS or tag in ("br", "ul", "ol", "table", "tr"):
            self.flush()
            self.kind = "heading" if tag in LABEL_TAGS else "text"
            if tag == "h1":
                self.blocks.append(("chapter", ""))

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
        elif tag in BLOCK_TAGS or tag in LABEL_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def words(text: str) -> list[str]:
    """Return the words of a piece of text (citation markers are not in reader text)."""
    return WORD_RE.findall(text)


def split_sentences(text: str) -> list[str]:
    """Split a block of text into sentences (a block with no full stop is one sentence)."""
    pieces: list[str] = []
    start = 0
    for match in SENTENCE_END_RE.finditer(text):
        before = text[start : match.start()].split()
        if before and before[-1].lower() in ABBREVIATIONS:
            continue
        pieces.append(text[start : match.start()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if words(p)]


class LineFinder:
    """Find the source line where a piece of reader text starts, searching forward in order."""

    def __init__(self, source: Source, values: Mapping[str, str]) -> None:
        lines = markup.fill(markup.strip_ignores(source.body), values).split("\n")
        self.first = source.body_line
        cleaned = [SOURCE_NOISE_RE.sub(" ", line) for line in lines]
        self.text = "\n".join(cleaned)
        self.starts = [0]
        for line in cleaned:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.cursor = 0

    def line_at(self, offset: int) -> int:
        """Return the file line holding a character offset of the cleaned body."""
        return bisect.bisect_right(self.starts, offset) - 1 + self.first

    def find(self, text: str) -> int | None:
        """Return the line where ``text`` starts: its first words, after the last text found."""
        found = words(text)
        if not found:
            return None
        for count in (6, 3, 1):
            if count > 1 and len(found) < count:
                continue
            pattern = re.compile(r"[\W_]+".join(re.escape(w) for w in found[:count]))
            match = pattern.search(self.text, self.cursor) or pattern.search(self.text)
            if match:
                self.cursor = match.start() + 1  # what comes next starts after this
                return self.line_at(match.start())
        return None


def chapters(source: Source, numbers: dict[str, int], values: Mapping[str, str]) -> list[Chapter]:
    """Return the chapters of a body as readers see them, every block and sentence with its line.

    ``numbers`` number the citations; ``values`` fill ``{publisher.x}`` placeholders.
    """
    parser = _Blocks()
    parser.feed(markup.to_html(source.body, numbers, values=values).html)
    parser.close()
    parser.flush()
    finder = LineFinder(source, values)
    result: list[Chapter] = []
    new_chapter = False
    for kind, text in parser.blocks:
        if kind == "chapter":
            new_chapter = True
            continue
        line = finder.find(text)
        if new_chapter or not result:
            result.append(Chapter(text if new_chapter else "", line))
            new_chapter = False
        sentences = _sentences(text, line, finder) if kind == "text" else ()
        result[-1].blocks.append(Block(kind, text, line, sentences))
    return result


def _sentences(text: str, line: int | None, finder: LineFinder) -> tuple[Sentence, ...]:
    out = []
    for n, sentence in enumerate(split_sentences(text)):
        where = line if n == 0 else (finder.find(sentence) or line)
        out.append(Sentence(sentence, where, tuple(words(sentence))))
    return tuple(out)


def reader_text(sentences: list[Sentence]) -> str:
    """Join sentences into text for a readability formula, each ending with a full stop."""
    return " ".join(s.text if s.text[-1] in ".!?" else s.text + "." for s in sentences)
