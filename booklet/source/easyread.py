"""The easy-read linter: the rules of easy read that can be checked in the text, read from its tree.

It follows how easy read is written: each point (a paragraph or list item) starts with a
picture; a hard word is in bold at its first use, where a bold phrase counts for every
word in it ("a test called a **liver biopsy**" marks "biopsy"); its explanation is the
next sentence, which may start the next point; and a word explained in the "Hard words"
chapter counts as listed. Matters of judgement are warnings, which never stop the build;
errors stop the easy-read variant only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from .rules import Rule
from .tree import Block, Tree

MAX_WORDS = 15  # DH and PIF: 15 words or fewer [S15][S16]
HARD_LIMIT = 20  # past this a sentence is not easy read at all
HARD_WORDS_CHAPTER = "hard words"

NO_PICTURE = Rule("ER-NO-PICTURE", "error", "an easy-read point does not start with a picture")
SENTENCE_LONG = Rule("ER-SENTENCE-LONG", "warning", "a sentence of easy read has 16 to 20 words")
SENTENCE_TOO_LONG = Rule("ER-SENTENCE-TOO-LONG", "error", "a sentence of easy read has more than 20 words")
NOT_BOLD = Rule(
    "ER-HARD-WORD-NOT-BOLD", "warning", "the first use of a hard word in easy read is not in bold"
)
NOT_EXPLAINED = Rule(
    "ER-HARD-WORD-NOT-EXPLAINED", "warning", "a bold hard word is not explained in the next sentence"
)
NOT_LISTED = Rule(
    "ER-HARD-WORD-NOT-LISTED", "error", "a bold hard word is missing from the 'Hard words' chapter"
)
ACRONYM = Rule("ER-ACRONYM", "warning", "easy read uses an acronym such as 'CT'")
NUMBER_WORD = Rule("ER-NUMBER-WORD", "warning", "easy read writes a number as a word ('three')")
PICTURE_REUSED = Rule(
    "ER-PICTURE-REUSED", "warning", "one picture stands for points whose words share nothing"
)
PICTURE_ALARMING = Rule("ER-PICTURE-ALARMING", "warning", "a pictogram that alarms or misleads readers")
RULES = (
    NO_PICTURE,
    SENTENCE_LONG,
    SENTENCE_TOO_LONG,
    NOT_BOLD,
    NOT_EXPLAINED,
    NOT_LISTED,
    ACRONYM,
    NUMBER_WORD,
    PICTURE_REUSED,
    PICTURE_ALARMING,
)

SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")
WORD_RE = re.compile(r"[A-Za-z0-9\u2019'-]+")
ACRONYM_RE = re.compile(r"\b[A-Z]{2,}s?\b")
NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million"
).split()
# Words that say nothing of a point's meaning: two points sharing only these share nothing.
FUNCTION_WORDS = frozenset(
    """a about after all also an and any are as at be because been before being but by can could
    do does doing for from get gets had has have he her here him his how i if in into is it its
    just lot lots may me might more most much must my no not of on one only or other our out over
    own same she should so some such than that the their them then there these they this those
    through to too until up us very was we were what when where which while who why will with
    would you your yours""".split()
)
NUMBER_RE = re.compile(r"\b(?<!no )(" + "|".join(NUMBER_WORDS) + r")\b", re.I)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a point, the bold phrases in it, and the point it is in."""

    text: str
    bold: tuple[str, ...]
    block: Block


def sentences(text: str) -> list[str]:
    """Split plain text into sentences."""
    return [s.strip() for s in SENTENCE_END_RE.split(text) if s.strip()]


def words(sentence: str) -> list[str]:
    """Return the words of a sentence (digits count as words)."""
    return WORD_RE.findall(sentence)


def _stem(word: str) -> str:
    return word.lower().rstrip("s")


def _mentions(text: str, phrase: str) -> bool:
    """Tell whether ``text`` uses the phrase, or its last word (its head: 'biopsy' of 'liver biopsy')."""
    lowered = text.lower()
    head = phrase.split()[-1] if phrase.split() else phrase
    return any(re.search(rf"\b{re.escape(_stem(p))}", lowered) for p in {phrase, head} if p.strip())


def _split(block: Block) -> list[Sentence]:
    """Split a point into sentences, keeping the bold phrases each holds."""
    text, marks = "", []
    for span in block.spans:
        if span.kind == "image":
            text += " "
            continue
        start = len(text)
        text += span.text
        if span.bold:
            marks.append((start, span.bold.lower()))
    out, cursor = [], 0
    for piece in sentences(text):
        at = text.find(piece, cursor)
        end = at + len(piece)
        bold = tuple(dict.fromkeys(phrase for pos, phrase in marks if at <= pos < end))
        out.append(Sentence(" ".join(piece.split()), bold, block))
        cursor = end
    return out


def _hard_words(blocks: list[Block]) -> set[str]:
    """Return the words the Hard words chapter lists: the first bold phrase of each of its points."""
    listed = set()
    for block in blocks:
        if block.chapter.lower() == HARD_WORDS_CHAPTER and block.kind == "paragraph":
            bold = next((s.bold for s in block.spans if s.bold), "")
            if bold:
                listed.add(bold.lower().rstrip(":").strip())
    return listed


def _listed(phrase: str, listed: set[str]) -> bool:
    head = phrase.split()[-1] if phrase.split() else phrase
    stems = {_stem(w) for w in listed}
    return _stem(phrase) in stems or _stem(head) in stems


def lint(
    tree: Tree, path: Path, booklet: str = "", glossary: Iterable[str] = (), max_words: int = MAX_WORDS
) -> list[Problem]:
    """Check an easy-read body; return every problem, in the order of the text.

    A sentence over ``max_words`` (publisher.yml's ``sentence_words_easy_read``) is a
    warning; over ``max(max_words, 20)``, an error.
    """
    points = [b for b in tree.blocks if b.kind in ("paragraph", "cell")]
    listed = _hard_words(points)
    hard = {t.lower() for t in glossary} | listed
    found: list[Problem] = []
    body = [b for b in points if b.chapter.lower() != HARD_WORDS_CHAPTER]
    for block in points:
        found += _point(block, path, booklet, max_words)
    said = [s for b in body for s in _split(b)]
    found += _bold_first(said, hard, path, booklet)
    found += _explained(said, listed, path, booklet)
    found += _pictures(points, path, booklet)
    return sorted(found, key=lambda p: p.line or 0)


def _meaning(block: Block) -> set[str]:
    """Return the words that carry a point's meaning (stemmed; function words left out)."""
    return {_stem(w) for w in words(block.text) if w.lower() not in FUNCTION_WORDS and not w.isdigit()}


def _pictures(points: list[Block], path: Path, booklet: str) -> Iterator[Problem]:
    """Report alarming pictograms, and a picture used again for a point sharing no word with its others."""
    from .pictograms import ALARMING, SCHEME

    seen: dict[str, list[Block]] = {}
    for block in points:
        src = next((s.href for s in block.spans if s.kind == "image"), "")
        if not src or not block.starts_with_picture():
            continue
        name = src.removeprefix(SCHEME) if src.startswith(SCHEME) else ""
        if name in ALARMING:
            yield PICTURE_ALARMING.at(
                booklet,
                path,
                block.line,
                f"the pictogram '{name}' is used here: {ALARMING[name]}",
                "choose a picture of what the point is about ('booklet icons WORD' searches the set)",
            )
        earlier = seen.setdefault(src, [])
        if earlier and not any(_meaning(block) & _meaning(b) for b in earlier):
            yield PICTURE_REUSED.at(
                booklet,
                path,
                block.line,
                f"the picture '{src}' also stands for line {earlier[0].line} "
                f"('{earlier[0].text.strip()[:40]}'), and the 2 points share no word",
                "give each meaning its own picture, so the picture helps readers find the point",
            )
        earlier.append(block)


def _point(block: Block, path: Path, booklet: str, max_words: int) -> Iterator[Problem]:
    if block.kind == "paragraph" and not block.starts_with_picture():
        yield NO_PICTURE.at(
            booklet,
            path,
            block.line,
            "this point has no picture at its start",
            "start it with a picture: ![What it shows](icon:name) and then the words",
        )
    for sentence in sentences(" ".join(block.text.split())):
        n = len(words(sentence))
        rule = (
            SENTENCE_TOO_LONG if n > max(HARD_LIMIT, max_words) else SENTENCE_LONG if n > max_words else None
        )
        if rule:
            yield rule.at(
                booklet,
                path,
                block.line,
                f"sentence of {n} words (at most {max_words}): '{sentence[:60]}'",
                "split it into shorter sentences, one idea each",
            )
    for match in ACRONYM_RE.finditer(block.text):
        yield ACRONYM.at(
            booklet,
            path,
            block.line,
            f"'{match[0]}' is an acronym",
            "write the words out, or describe the thing plainly",
        )
    for match in NUMBER_RE.finditer(block.text):
        yield NUMBER_WORD.at(
            booklet,
            path,
            block.line,
            f"'{match[0]}' is a number written as a word",
            "write numbers as digits: 3, not three",
        )


def _bold_first(said: list[Sentence], hard: set[str], path: Path, booklet: str) -> Iterator[Problem]:
    """Report each hard word whose first use is not inside a bold phrase."""
    seen: set[str] = set()
    for sentence in said:
        lowered = sentence.text.lower()
        for term in sorted(hard - seen):
            if re.search(rf"\b{re.escape(term)}\b", lowered):
                seen.add(term)
                if not any(re.search(rf"\b{re.escape(term)}\b", b) for b in sentence.bold):
                    yield NOT_BOLD.at(
                        booklet,
                        path,
                        sentence.block.line,
                        f"the hard word '{term}' is used here first, but not in bold",
                        f"write **{term}** and explain it in the next sentence",
                    )


def _explained(said: list[Sentence], listed: set[str], path: Path, booklet: str) -> Iterator[Problem]:
    """Report bold phrases not explained next (the next sentence may start the next point) or not listed."""
    for i, sentence in enumerate(said):
        following = said[i + 1] if i + 1 < len(said) else None
        for phrase in sentence.bold:
            rest = sentence.text.lower().split(phrase, 1)[-1]
            explained = (
                following is not None
                and following.block.chapter == sentence.block.chapter
                and _mentions(following.text, phrase)
            ) or _says_what(rest)
            if not explained:
                yield NOT_EXPLAINED.at(
                    booklet,
                    path,
                    sentence.block.line,
                    f"'{phrase}' is in bold but the next sentence does not explain it",
                    f"follow it with a sentence such as '{phrase.capitalize()} is ...'",
                )
            if not _listed(phrase, listed):
                yield NOT_LISTED.at(
                    booklet,
                    path,
                    sentence.block.line,
                    f"'{phrase}' is in bold but not in the Hard words chapter",
                    f"add '![...](icon:name) **{phrase.capitalize()}**: its meaning' under '# Hard words'",
                )


def _says_what(rest: str) -> bool:
    """Tell whether the words after a bold phrase explain it in the same sentence ('**X** means ...')."""
    return re.match(r"^\W*(?:is|are|means|mean|is when|is a|is the)\b", rest.strip()) is not None
