"""The text of a Markdown body as readers see it: chapters, sentences and words, with source lines.

It is read from the source's parse tree as blocks of text (paragraphs, list items, table
cells, headings, captions), with publisher details filled in. Citation markers and
pictures are left out. Blocks are split into sentences; a list item or table cell without
a full stop is one sentence. Each block and sentence has the line where its first words
are written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import Source
from ..source import tree
from ..source.rules import CITATION_RE, PLACEHOLDER_RE

# A word: letters or digits, joined by hyphens or apostrophes ("follow-up", "body's"), or an
# abbreviation written with full stops ("e.g.").
WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:[-'\u2019][^\W_]+)*")
# A sentence ends at . ! or ? followed by a space and a capital, digit or opening quote.
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "etc.", "dr.", "mr.", "mrs.", "ms.", "st.", "vs.", "approx.", "no."}
)


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


def _reader_text(block: tree.Block, values: Mapping[str, str]) -> list[tuple[int, str]]:
    """Return the block's words as readers see them, as (line, text) pieces: citations and pictures out."""
    pieces = []
    for span in block.spans:
        if span.kind in ("text", "code"):
            text = PLACEHOLDER_RE.sub(lambda m: values.get(m[1], m[0]), CITATION_RE.sub("", span.text))
            pieces.append((span.line, text))
        elif span.kind == "break":
            pieces.append((span.line, " "))
    return pieces


def _tidy(text: str) -> str:
    return re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(text.split()))


def chapters(source: Source, values: Mapping[str, str]) -> list[Chapter]:
    """Return the chapters of a body as readers see them, every block and sentence with its line.

    ``values`` fill ``{publisher.x}`` placeholders. Read from the source's parse tree.
    """
    result: list[Chapter] = []
    for block in source.tree.blocks:
        if block.kind in ("code", "html", "rule"):
            continue
        pieces = _reader_text(block, values)
        text = _tidy("".join(t for _, t in pieces))
        if block.kind == "heading" and block.level == 1:
            result.append(Chapter(text, block.line))
            continue
        if not result:
            result.append(Chapter("", block.line))
        kind = "heading" if block.kind in ("heading", "header") else "text"
        if text:
            sentences = _sentences(pieces, block.line) if kind == "text" else ()
            result[-1].blocks.append(Block(kind, text, block.line, sentences))
        for image in block.images:
            if image.title:
                caption = _tidy(image.title)
                result[-1].blocks.append(
                    Block("text", caption, image.line, _sentences([(image.line, caption)], image.line))
                )
    return result


def _sentences(pieces: list[tuple[int, str]], line: int) -> tuple[Sentence, ...]:
    """Split a block into sentences, each with the line where its first word is written."""
    text, starts = "", []
    for number, piece in pieces:
        starts.append((len(text), number))
        text += piece
    out, cursor = [], 0
    for sentence in split_sentences(_tidy(text)):
        first = words(sentence)[0]
        at = text.find(first, cursor)
        where = max((n for pos, n in starts if pos <= at), default=line) if at >= 0 else line
        cursor = at + 1 if at >= 0 else cursor
        out.append(Sentence(sentence, where, tuple(words(sentence))))
    return tuple(out)


def reader_text(sentences: list[Sentence]) -> str:
    """Join sentences into text for a readability formula, each ending with a full stop."""
    return " ".join(s.text if s.text[-1] in ".!?" else s.text + "." for s in sentences)
