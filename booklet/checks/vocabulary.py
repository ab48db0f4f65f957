"""Words readers may not know: hard and medical words the glossary does not explain, and more.

A word is hard when it is rarer in everyday English than the target (wordfreq's Zipf
frequency: 3 is once per million words), or is on the medical word list. Its frequency
is the highest of its simple forms and American spellings, since wordfreq's English
is mostly American ("tumours" counts as "tumor"). A word is explained when a glossary
entry names it or uses it in its explanation; in easy read, also when it is in bold
(easy read explains a bold word in the next sentence). An abbreviation is explained by
the glossary or by brackets where it is used: "multidisciplinary team (MDT)".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import textstat  # type: ignore[import-untyped]
from wordfreq import zipf_frequency

from . import prose
from .base import EASY_READ, Context, Finding, Rule, SourceText

DATA = Path(__file__).parent
ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]+$")
DEFINED_RE = re.compile(r"\(([A-Z][A-Z0-9]+)s?\)|\b([A-Z][A-Z0-9]+)s? \(")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
LONG_SYLLABLES = 4  # a long word has at least this many syllables ...
EVERYDAY_ZIPF = 4.0  # ... and is rarer than everyday words (once per 100,000 words)

HARD_WORD = Rule("TEXT-HARD-WORD", "warning", "a hard or medical word has no glossary entry")
GLOSSARY_UNUSED = Rule("TEXT-GLOSSARY-UNUSED", "warning", "a glossary entry is never used in the text")
LONG_WORD = Rule("TEXT-LONG-WORD", "advice", "a long, uncommon word the glossary does not explain")
PLAIN_WORD = Rule("TEXT-PLAIN-WORD", "advice", "a formal word that has a plainer alternative")
RULES = (HARD_WORD, GLOSSARY_UNUSED, LONG_WORD, PLAIN_WORD)


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


MEDICAL = frozenset(w.lower() for w in _lines("medical-words.txt"))
EVERYDAY = frozenset(w.lower() for w in _lines("everyday-words.txt"))
PLAINER = {
    word.strip().lower(): plainer.strip()
    for word, plainer in (line.split(":", 1) for line in _lines("plain-words.txt"))
}


@functools.cache
def forms(word: str) -> frozenset[str]:
    """Return a word in lower case with its simple stems: 'tumours' -> {'tumours', 'tumour'}."""
    w = word.lower().replace("\u2019", "'").removesuffix("'s")
    out = {w}
    if w.endswith("ies") and len(w) > 4:
        out.add(w[:-3] + "y")
    if w.endswith("ses"):
        out.add(w[:-2] + "is")  # metastases -> metastasis
    if w.endswith("es"):
        out.add(w[:-2])
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        out.add(w[:-1])
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            out |= {stem, stem + "e"}
            if stem[-1] == stem[-2]:
                out.add(stem[:-1])  # clotting -> clot
    return frozenset(x for x in out if len(x) >= 2)


def _american(word: str) -> set[str]:
    """Return American spellings to look a British word up by: tumour -> tumor, anaemia -> anemia."""
    out = {re.sub(r"is(e|ed|es|ing|ation|ations)$", r"iz\1", word), re.sub(r"our(s)?$", r"or\1", word)}
    out |= {word.replace("oe", "e").replace("ae", "e"), re.sub(r"tre(s)?$", r"ter\1", word)}
    return out - {word}


@functools.cache
def zipf(word: str, language: str = "en") -> float:
    """Return how common a word is (Zipf scale): the highest of its forms and spellings."""
    found = forms(word)
    variants = set(found).union(*(_american(f) for f in found))
    return max(zipf_frequency(v, language) for v in variants)


class Glossary:
    """A booklet's glossary: which words it explains, and the words of each entry."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self.terms: list[tuple[str, tuple[str, ...]]] = []
        self.known: set[str] = set()
        for term, meaning in entries:
            self.terms.append((term, tuple(prose.words(term))))
            for word in prose.words(f"{term} {meaning}"):
                for part in word.split("-"):
                    self.known |= forms(part)

    def explains(self, word: str) -> bool:
        """Return whether an entry names the word or uses it in its explanation."""
        return bool(forms(word) & self.known)


def _occurrences(text: SourceText) -> Iterator[tuple[str, int | None, bool]]:
    """Yield (word part, line, starts a sentence) for every word readers see, headings too."""
    for chapter in text.chapters:
        for block in chapter.blocks:
            pieces = [(block.text, block.line)] if block.kind == "heading" else []
            pieces += [(s.text, s.line) for s in block.sentences]
            for piece, line in pieces:
                for n, word in enumerate(prose.words(piece)):
                    for m, part in enumerate(word.split("-")):
                        yield part.replace("\u2019", "'").removesuffix("'s"), line, n == 0 and m == 0


def _key(word: str) -> str:
    return min(forms(word), key=lambda f: (len(f), f))


class _Vocabulary:
    """The words of one source, sorted into hard, long and formal, each with its lines."""

    def __init__(self, ctx: Context, text: SourceText, glossary: Glossary) -> None:
        self.ctx, self.text, self.glossary = ctx, text, glossary
        self.language = ctx.booklet.meta.language.split("-")[0].lower()
        body = text.source.body
        self.defined = {a for m in DEFINED_RE.finditer(body) for a in m.groups() if a}
        self.bold: set[str] = set()
        if text.kind == EASY_READ:
            for match in BOLD_RE.finditer(body):
                for word in prose.words(match[1] or match[2]):
                    self.bold |= forms(word)
        self.medical = MEDICAL | ctx.targets.medical_words
        self.everyday = EVERYDAY | ctx.targets.everyday_words
        self.seen: dict[tuple[str, str], tuple[str, list[int | None]]] = {}

    def explained(self, word: str) -> bool:
        return self.glossary.explains(word) or bool(forms(word) & self.bold)

    def kind(self, word: str, starts: bool) -> str | None:
        """Return why a word needs explaining ('abbreviation', 'medical', 'rare', 'long', 'formal')."""
        if len(word) < 2 or any(c.isdigit() for c in word):
            return None
        if ACRONYM_RE.match(base := word.removesuffix("s")):
            return None if base in self.defined or self.explained(base) else "abbreviation"
        if (word[0].isupper() and not starts) or len(word) < 3 or forms(word) & self.everyday:
            return None  # a name, a short word, or an everyday word
        if forms(word) & self.medical and not self.explained(word):
            return "medical"
        if zipf(word, self.language) < self.ctx.targets.hard_word_zipf and not self.explained(word):
            return "rare"
        if set(forms(word)) & set(PLAINER):
            return "formal"
        if textstat.syllable_count(word) >= LONG_SYLLABLES and not self.explained(word):
            return "long" if zipf(word, self.language) < EVERYDAY_ZIPF else None
        return None

    def collect(self) -> None:
        for word, line, starts in _occurrences(self.text):
            why = self.kind(word, starts)
            if why:
                entry = self.seen.setdefault((why, _key(word)), (word, []))
                entry[1].append(line)


def _message(why: str, word: str, count: int, easy: bool) -> str:
    times = f" (used {count} times; this is the first)" if count > 1 else ""
    fix = "add it to the glossary" + (", or make it bold and explain it in the next sentence" if easy else "")
    plainer = next((PLAINER[f] for f in forms(word) if f in PLAINER), "")
    return {
        "abbreviation": f"'{word}' is an abbreviation that neither the glossary nor brackets explain{times}: "
        f"{fix}, or write it out in full with the abbreviation in brackets",
        "medical": f"'{word}' is a medical word with no glossary entry{times}: {fix}",
        "rare": f"'{word}' is a hard word (rare in everyday English) with no glossary entry{times}: "
        f"{fix}, or use a plainer word",
        "long": f"'{word}' is a long word that is not in everyday use{times}: a shorter word may do",
        "formal": f"'{word}' has a plainer alternative{times}: '{plainer}'",
    }[why]


RULE_OF = {"abbreviation": HARD_WORD, "medical": HARD_WORD, "rare": HARD_WORD, "long": LONG_WORD}


def check(ctx: Context) -> Iterator[Finding]:
    """Report hard words without a glossary entry, unused glossary entries, long and formal words."""
    glossary = Glossary(ctx.booklet.meta.glossary)
    for text in ctx.texts:
        vocabulary = _Vocabulary(ctx, text, glossary)
        vocabulary.collect()
        for (why, _), (word, lines) in vocabulary.seen.items():
            rule = RULE_OF.get(why, PLAIN_WORD)
            message = _message(why, word, len(lines), text.kind == EASY_READ)
            yield rule.at(ctx.slug, text.source.path, lines[0], message)
    yield from _unused(ctx, glossary)


def _unused(ctx: Context, glossary: Glossary) -> Iterator[Finding]:
    stream = [forms(word) for text in ctx.texts for word, _, _ in _occurrences(text)]
    for term, words in glossary.terms:
        wanted = [forms(part) for word in words for part in word.split("-")]
        if wanted and not _contains(stream, wanted):
            yield GLOSSARY_UNUSED.at(
                ctx.slug,
                ctx.path,
                ctx.meta_line("glossary", term),
                f"the glossary explains '{term}', but the text never uses it: remove the entry, "
                "or use the word where it helps",
            )


def _contains(stream: list[frozenset[str]], wanted: list[frozenset[str]]) -> bool:
    """Return whether the words ``wanted`` appear in a row in ``stream`` (any of their forms)."""
    size = len(wanted)
    return any(
        all(stream[i + j] & wanted[j] for j in range(size))
        for i in range(len(stream) - size + 1)
        if stream[i] & wanted[0]
    )
