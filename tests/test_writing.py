"""docs/writing.md, the writer's guide: every front-matter key, and every rule of booklet check.

The rules section is made from the rule table (booklet.checks.RULES); when a rule is added,
``BOOKLET_WRITE_DOCS=1 pytest tests/test_writing.py`` writes the section again.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from booklet.checks import GENERAL, RULES, evidence, outputs, readability, vocabulary
from booklet.source import easyread, rules, scaffold, schema, translations
from booklet.source.rules import Rule

ROOT = Path(__file__).resolve().parent.parent
WRITING = ROOT / "docs" / "writing.md"
START, END = "<!-- rules: made from booklet.checks.RULES -->\n", "<!-- end of rules -->\n"

# Each family of rules, in the order a writer meets them, and why the rules are there.
FAMILIES: tuple[tuple[str, tuple[Rule, ...], str], ...] = (
    (
        "Reading and building",
        GENERAL,
        "A booklet that cannot be read or made is reported first, with what stops what.",
    ),
    (
        "How the text is written",
        rules.RULES,
        "The text must come out the same in print, on screen, as an e-book and in braille, and "
        "work with a screen reader: headings in order, every picture described, links that say "
        "where they go, no raw HTML.",
    ),
    (
        "Easy read",
        easyread.RULES,
        "Easy read is for readers with a learning disability: one idea a point, each with a "
        "picture, short sentences, hard words in bold and explained.",
    ),
    (
        "Reading ease and sentences",
        readability.RULES,
        "Many readers of health information read best at the level of a 9 to 11-year-old: "
        "short sentences and active verbs are easier to follow.",
    ),
    (
        "Words and glossary",
        vocabulary.RULES,
        "A medical word the reader does not know stops them: each one is explained, or an "
        "everyday word is used instead.",
    ),
    (
        "Evidence and dates",
        evidence.RULES,
        "Readers must be able to trust what they read: each fact has a source, a booklet is "
        "reviewed by a clinician and a lay reader, and again before it is out of date.",
    ),
    (
        "Built outputs",
        outputs.RULES,
        "What is published must work for everyone: a tagged PDF a screen reader can read, type "
        "large enough, no italics, and outputs as new as their sources.",
    ),
    (
        "Translations",
        translations.RULES,
        "A translation must say what the original says, in its own language, and keep up with "
        "the original's editions.",
    ),
)


def rules_section() -> str:
    """Return the rules section of docs/writing.md, made from the rule table."""
    parts = [START]
    for heading, family, why in FAMILIES:
        parts.append(f"\n**{heading}.** {why}\n\n| rule | severity | what it finds |\n|---|---|---|\n")
        parts += [f"| `{r.id}` | {r.severity} | {r.summary.replace('|', '/')} |\n" for r in family]
    parts.append("\n" + END)
    return "".join(parts)


def test_the_rules_section_is_the_rule_table() -> None:
    text = WRITING.read_text(encoding="utf-8")
    made = rules_section()
    if os.environ.get("BOOKLET_WRITE_DOCS") and made not in text:
        start, end = text.index(START), text.index(END) + len(END)
        WRITING.write_text(text[:start] + made + text[end:], encoding="utf-8")
        text = made
    assert made in text, "run BOOKLET_WRITE_DOCS=1 pytest tests/test_writing.py to write it again"


def test_every_rule_is_in_one_family() -> None:
    named = [r.id for _, family, _ in FAMILIES for r in family]
    assert sorted(named) == sorted(RULES)


def _keys_in_table(text: str, heading: str) -> set[str]:
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return {k for row in re.findall(r"^\| (`[^|]+) \|", section, re.M) for k in re.findall(r"`(\w+)`", row)}


def test_every_front_matter_key_is_in_the_guide() -> None:
    text = WRITING.read_text(encoding="utf-8")
    keys = _keys_in_table(text, "## The front matter")
    assert {f.name for f in schema.BOOKLET_FIELDS} - set(scaffold.RETIRED) <= keys
    assert set(scaffold.KEYS) <= keys
    for field in (*schema.EASY_READ_FIELDS, *translations.FIELDS):
        assert f"`{field.name}`" in text, field.name


def test_the_guide_names_the_commands_a_writer_runs() -> None:
    text = WRITING.read_text(encoding="utf-8")
    for command in ("booklet new", "booklet serve", "booklet build", "booklet check", "booklet icons"):
        assert command in text
    assert "booklet catalogue" in text
