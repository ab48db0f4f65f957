"""The easy-read linter: the rules of easy read that can be checked in the text.

Rules (ids are stable; ``booklet check`` reports them too):

- ER-SENTENCE-LONG: a sentence of more than 15 words (DH and PIF: 15 or fewer) [S15][S16].
- ER-NO-PICTURE: a point (paragraph or list item) that does not start with a picture [S15][S16].
- ER-HARD-WORD-NOT-BOLD: the first use of a hard word (a glossary word) is not in bold [S9].
- ER-HARD-WORD-NOT-EXPLAINED: a bold hard word is not explained in the next sentence [S9].
- ER-HARD-WORD-NOT-LISTED: a bold hard word is missing from the "Hard words" chapter [S9].
- ER-ACRONYM: letters such as "CT" or "GP": easy read uses no acronyms [S9][S17].
- ER-NUMBER-WORD: a number written as a word ("three"): easy read always uses digits [S14].
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem

MAX_WORDS = 15
HARD_WORDS_CHAPTER = "hard words"
PICTURE_RE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*")
ANY_PICTURE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
LIST_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")
WORD_RE = re.compile(r"[A-Za-z0-9\u2019'-]+")
ACRONYM_RE = re.compile(r"\b[A-Z]{2,}s?\b")
NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million"
).split()
NUMBER_RE = re.compile(r"\b(?<!no )(" + "|".join(NUMBER_WORDS) + r")\b", re.I)


@dataclass(frozen=True)
class Slip:
    """One place where an easy-read text breaks a rule."""

    line: int
    rule: str
    message: str
    hint: str


@dataclass(frozen=True)
class _Block:
    line: int
    chapter: str
    text: str  # the Markdown of the paragraph or list item, joined into one line
    heading: bool = False


def _blocks(body: str, first_line: int) -> Iterator[_Block]:
    chapter, start = "", 0
    lines: list[str] = []
    for index, raw in enumerate([*body.split("\n"), ""]):
        line = raw.strip()
        if match := HEADING_RE.match(line):
            if lines:
                yield _Block(start, chapter, " ".join(lines))
                lines = []
            if len(match[1]) == 1:
                chapter = match[2].strip()
            yield _Block(index + first_line, chapter, match[2], heading=True)
        elif not line or LIST_RE.match(raw):
            if lines:
                yield _Block(start, chapter, " ".join(lines))
                lines = []
            if line:
                lines, start = [LIST_RE.sub("", raw).strip()], index + first_line
        else:
            if not lines:
                start = index + first_line
            lines.append(line)


def plain(markdown: str) -> str:
    """Return the words of a Markdown point: no pictures, no bold markers."""
    return ANY_PICTURE_RE.sub("", markdown).replace("**", "").strip()


def sentences(text: str) -> list[str]:
    """Split plain text into sentences."""
    return [s for s in SENTENCE_END_RE.split(text) if s.strip()]


def words(sentence: str) -> list[str]:
    """Return the words of a sentence (digits count as words)."""
    return WORD_RE.findall(sentence)


def _mentions(text: str, term: str) -> bool:
    stem = re.escape(term.lower().rstrip("s"))
    return re.search(rf"\b{stem}", text.lower()) is not None


def lint(body: str, first_line: int, glossary: Iterable[str] = ()) -> list[Slip]:
    """Check an easy-read body; return every slip, in the order of the text."""
    blocks = list(_blocks(body, first_line))
    listed = {
        m.lower()
        for b in blocks
        if b.chapter.lower() == HARD_WORDS_CHAPTER and not b.heading
        for m in BOLD_RE.findall(b.text)[:1]
    }
    hard = {t.lower() for t in glossary} | listed
    slips: list[Slip] = []
    seen: set[str] = set()
    for block in blocks:
        if block.heading:
            continue
        in_list = block.chapter.lower() == HARD_WORDS_CHAPTER
        slips += _point_slips(block)
        if not in_list:
            slips += _hard_word_slips(block, hard, listed, seen)
    return slips


def _point_slips(block: _Block) -> list[Slip]:
    slips = []
    if not PICTURE_RE.match(block.text):
        slips.append(
            Slip(
                block.line,
                "ER-NO-PICTURE",
                "this point has no picture at its start",
                "start it with a picture: ![What it shows](icon:name) and then the words",
            )
        )
    text = plain(block.text)
    for sentence in sentences(text):
        if (n := len(words(sentence))) > MAX_WORDS:
            slips.append(
                Slip(
                    block.line,
                    "ER-SENTENCE-LONG",
                    f"sentence of {n} words (at most {MAX_WORDS}): '{sentence[:60]}'",
                    "split it into shorter sentences, one idea each",
                )
            )
    for match in ACRONYM_RE.finditer(text):
        slips.append(
            Slip(
                block.line,
                "ER-ACRONYM",
                f"'{match[0]}' is an acronym",
                "write the words out, or describe the thing plainly",
            )
        )
    for match in NUMBER_RE.finditer(text):
        slips.append(
            Slip(
                block.line,
                "ER-NUMBER-WORD",
                f"'{match[0]}' is a number written as a word",
                "write numbers as digits: 3, not three",
            )
        )
    return slips


def _hard_word_slips(block: _Block, hard: set[str], listed: set[str], seen: set[str]) -> list[Slip]:
    slips = []
    text = ANY_PICTURE_RE.sub("", block.text)
    bold = [m.lower() for m in BOLD_RE.findall(text)]
    for term in sorted(hard - seen):
        if re.search(rf"\b{re.escape(term)}\b", plain(text).lower()):
            seen.add(term)
            if term not in bold:
                slips.append(
                    Slip(
                        block.line,
                        "ER-HARD-WORD-NOT-BOLD",
                        f"the hard word '{term}' is used here first, but not in bold",
                        f"write **{term}** and explain it in the next sentence",
                    )
                )
    parts = sentences(text)
    for i, sentence in enumerate(parts):
        for term in (m.lower() for m in BOLD_RE.findall(sentence)):
            following = parts[i + 1] if i + 1 < len(parts) else ""
            if not _mentions(following.replace("**", ""), term):
                slips.append(
                    Slip(
                        block.line,
                        "ER-HARD-WORD-NOT-EXPLAINED",
                        f"'{term}' is in bold but the next sentence does not explain it",
                        f"follow it with a sentence such as '{term.capitalize()} is ...'",
                    )
                )
            if term not in listed:
                slips.append(
                    Slip(
                        block.line,
                        "ER-HARD-WORD-NOT-LISTED",
                        f"'{term}' is in bold but not in the Hard words chapter",
                        f"add '![...](icon:name) **{term.capitalize()}**: its meaning' under '# Hard words'",
                    )
                )
    return slips


def problems(path: Path, slips: Iterable[Slip]) -> list[Problem]:
    """Turn slips into problems for a ContentError (the rule id starts the message)."""
    return [Problem(path, f"{s.rule}: {s.message}", s.line, s.hint) for s in slips]
