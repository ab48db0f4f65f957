"""Plain English by the numbers: reading ease and SMOG grade per chapter, long sentences, passives.

Scores use textstat 0.7.8 (it works offline) on the text as readers see it, with each
sentence ended by a full stop, so that list items count as sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import textstat  # type: ignore[import-untyped]

from . import prose
from .base import EASY_READ, Context, Finding, Rule, SourceText

FLESCH = Rule("TEXT-FLESCH", "warning", "a chapter is harder to read than the Flesch reading ease target")
SMOG = Rule("TEXT-SMOG", "warning", "a chapter's SMOG grade is above the target (when one is set)")
STD_SENTENCE = Rule("STD-SENTENCE-LONG", "warning", "a sentence of booklet.md is too long (25 words)")
PASSIVE = Rule("TEXT-PASSIVE", "advice", "a sentence uses the passive voice")
RULES = (FLESCH, SMOG, STD_SENTENCE, PASSIVE)

# A form of 'to be', maybe an adverb or two, then a past participle: "is called", "are often used".
IRREGULAR = (
    "begun bought brought built caught chosen done drawn driven eaten fed felt found given gone grown "
    "held hidden kept known laid led left lent lost made meant met paid put read run said seen sent set "
    "shown shut sold spent split spread stuck taken taught thought thrown told understood won worn written"
)
PASSIVE_RE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)(?:\s+(?:not|also|then|still|only|now|often|always|never|"
    rf"usually|sometimes|\w+ly))*\s+((?:\w+ed)|(?:{'|'.join(IRREGULAR.split())}))\b",
    re.IGNORECASE,
)
# Words ending -ed that describe a state after 'to be', not an action done to someone; and
# 'called', which names a thing ("this is called a biopsy"), the usual way to bring in a word.
NOT_PASSIVE = frozenset(
    "tired worried scared interested concerned relieved married pleased surprised supposed "
    "advanced limited experienced qualified skilled complicated detailed balanced red bed need "
    "shed hundred used called".split()
)


@dataclass(frozen=True)
class Score:
    """Reading scores of a chapter (or of a whole source file, when ``chapter`` is '')."""

    booklet: str
    path: Path
    line: int | None
    chapter: str
    words: int
    sentences: int
    flesch: float
    smog: float


def _score(
    ctx: Context, text: SourceText, sentences: list[prose.Sentence], chapter: str, line: int | None
) -> Score:
    joined = prose.reader_text(sentences)
    return Score(
        ctx.slug,
        text.source.path,
        line,
        chapter,
        sum(len(s.words) for s in sentences),
        len(sentences),
        round(float(textstat.flesch_reading_ease(joined)), 1),
        round(float(textstat.smog_index(joined)), 1),
    )


def scores(ctx: Context) -> list[Score]:
    """Return the scores of every chapter of every source, then of each source as a whole."""
    out: list[Score] = []
    for text in ctx.texts:
        for chapter in text.chapters:
            if chapter.sentences:
                out.append(_score(ctx, text, chapter.sentences, chapter.title, chapter.line))
        if text.sentences:
            out.append(_score(ctx, text, text.sentences, "", None))
    return out


def check(ctx: Context) -> Iterator[Finding]:
    """Report hard chapters, long sentences and passive sentences."""
    yield from _scores(ctx)
    for text in ctx.texts:
        yield from _sentences(ctx, text)


def _scores(ctx: Context) -> Iterator[Finding]:
    target, smog_max = ctx.targets.flesch_min, ctx.targets.smog_max
    for s in scores(ctx):
        what = f"chapter '{s.chapter}'" if s.chapter else f"{s.path.name} as a whole"
        if s.flesch < target:
            yield FLESCH.at(
                ctx.slug,
                s.path,
                s.line,
                f"{what} has a Flesch reading ease of {s.flesch:g} (target: {target:g} or more; "
                f"SMOG grade {s.smog:g}, {s.words} words): use shorter sentences and shorter, everyday words",
            )
        if smog_max is not None and s.smog > smog_max:
            yield SMOG.at(
                ctx.slug,
                s.path,
                s.line,
                f"{what} has a SMOG grade of {s.smog:g} (target: {smog_max:g} or less): "
                "use fewer words of 3 or more syllables",
            )


def _sentences(ctx: Context, text: SourceText) -> Iterator[Finding]:
    limit = ctx.targets.sentence_words_standard
    for sentence in text.sentences:
        if text.kind != EASY_READ and len(sentence.words) > limit:  # easy read: booklet/source/easyread.py
            yield STD_SENTENCE.at(
                ctx.slug,
                text.source.path,
                sentence.line,
                f"sentence of {len(sentence.words)} words (at most {limit}): '{_start(sentence)}': "
                "split it, or cut words",
            )
        if verb := passive(sentence.text):
            yield PASSIVE.at(
                ctx.slug,
                text.source.path,
                sentence.line,
                f"'{verb}' is passive: '{_start(sentence)}': the active voice "
                "(who does what) is easier to follow, where it reads well",
            )


def passive(sentence: str) -> str | None:
    """Return the first passive verb group of a sentence ('is called'), or None."""
    for match in PASSIVE_RE.finditer(sentence):
        if match[1].lower() not in NOT_PASSIVE:
            return match[0]
    return None


def _start(sentence: prose.Sentence, count: int = 8) -> str:
    words = sentence.text.split()
    return " ".join(words[:count]) + (" ..." if len(words) > count else "")
