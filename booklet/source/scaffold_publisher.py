"""booklet new in a folder with no publisher.yml: a commented one to fill in, which loads at once.

An IT person who installed booklet with pip has no checkout to copy ``content/publisher.yml``
from. ``booklet new`` writes one beside the first booklet: every key of the schema
(:data:`booklet.source.publisher.PUBLISHER_FIELDS`) under a line saying what it is, from
:data:`KEYS` (tests/test_scaffold.py compares the two), written as booklet.md's keys are
(:mod:`booklet.source.scaffold_keys`). The details
that print on every booklet start "To be supplied by the publisher:"
(:data:`booklet.source.publisher.SUPPLY`), so a draft shows at once what is missing, and an
approved booklet cannot be built while one is left (SRC-TO-BE-SUPPLIED, on the key's line
of publisher.yml: :func:`booklet.source.publisher.unfinished`).
"""

from __future__ import annotations

from .publisher import PUBLISHER_FIELDS, SUPPLY
from .scaffold_keys import Key, entry

# Each key of publisher.yml: what it is (one line), its sample value, whether it is commented.
KEYS: dict[str, Key] = {
    "name": Key("Your organisation's name, on every cover and back page.", f'"{SUPPLY} your name"'),
    "short_name": Key(
        "A short form of the name, for running heads (leave out to use the name).", "Your short name", True
    ),
    "helpline": Key("The phone number readers call, on every booklet.", f'"{SUPPLY} your helpline number"'),
    "helpline_hours": Key(
        "When the helpline is open, printed after the number.", f'"{SUPPLY} your opening hours"'
    ),
    "email": Key("The address readers email (leave out for none).", "help@example.org", True),
    "website": Key(
        "Your website, on every back page: replace this address, which is an example.",
        "https://www.example.org",
    ),
    "address": Key("Your postal address, one line under another.", f'\n  - "{SUPPLY} your postal address"'),
    "charity_number": Key("Your registered charity number, if you have one.", '"1234567"', True),
    "catalogue_url": Key(
        "Where the catalogue (booklet catalogue) is published: each back cover's QR code points there.",
        "https://www.example.org/booklets/",
        True,
    ),
    "shop_url": Key(
        "Where volunteers order printed copies (booklet shop), if you run the shop.",
        "https://shop.example.org/",
        True,
    ),
    "paper_caliper": Key(
        "Your print paper's thickness in microns, for the print runs' creep (docs/print.md).", "100", True
    ),
    "checks": Key(
        "Targets for booklet check (docs/checks.md); these are the defaults.",
        "\n  flesch_min: 60\n  sentence_words_standard: 25\n  sentence_words_easy_read: 15",
        True,
    ),
    "order_limits": Key("The most copies one order may ask for.", "\n  default: 500", True),
    "messages": Key(
        "Your words for the templates: cover series, questions (docs/writing.md, 'The publisher's words').",
        "\n  cover.series: Patient information\n  questions.list:\n    - What will happen next?",
        True,
    ),
    "translations": Key(
        "Your details and words in the languages you translate into.",
        "\n  cy:\n    helpline_hours: Dydd Llun i ddydd Gwener, 9am tan 5pm\n    edition: Argraffiad {{n}}",
        True,
    ),
}


def publisher_text() -> str:
    """Return a new publisher.yml: every key explained; the details every booklet prints, to supply."""
    lines = [
        "# The publisher of every booklet in this folder: its name, helpline and address print on",
        "# each of them. Each key is explained on the line above it; a line starting with # is a",
        "# comment. Replace each value that starts 'To be supplied by the publisher:'.",
    ]
    for field in PUBLISHER_FIELDS:
        lines += ["", f"# {KEYS[field.name].explain}", *entry(field.name, KEYS[field.name], {})]
    return "\n".join(lines) + "\n"
