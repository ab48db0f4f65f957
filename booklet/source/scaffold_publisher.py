"""booklet new in a folder with no publisher.yml: a commented one to fill in, which loads at once.

An IT person who installed booklet with pip has no checkout to copy ``content/publisher.yml``
from. ``booklet new`` writes one beside the first booklet: every key of the schema
(:data:`booklet.source.publisher.PUBLISHER_FIELDS`) with a line saying what it is, from
:data:`KEYS` (tests/test_scaffold.py compares the two). The details that print on every
booklet start "To be supplied by the publisher:", so a draft shows at once what is missing,
and an approved booklet cannot be built while one is left (SRC-TO-BE-SUPPLIED, on the
key's line of publisher.yml: :func:`unfinished`).
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from ..model import Publisher
from .frontmatter import key_line
from .publisher import PUBLISHER_FIELDS

SUPPLY = "To be supplied by the publisher:"  # how a detail still to write starts


def _key(explain: str, sample: str, commented: bool = False) -> tuple[str, str, bool]:
    return explain, sample, commented


# Each key: what it is (one line), its sample value (YAML after 'key:'), written commented.
KEYS: dict[str, tuple[str, str, bool]] = {
    "name": _key("Your organisation's name, on every cover and back page.", f'"{SUPPLY} your name"'),
    "short_name": _key("A short form of the name, for running heads (leave out to use the name).", "", True),
    "helpline": _key("The phone number readers call, on every booklet.", f'"{SUPPLY} your helpline number"'),
    "helpline_hours": _key(
        "When the helpline is open, printed after the number.", f'"{SUPPLY} your opening hours"'
    ),
    "email": _key("The address readers email (leave out for none).", "help@example.org", True),
    "website": _key(
        "Your website, on every back page: replace this address, which is an example.",
        "https://www.example.org",
    ),
    "address": _key("Your postal address, one line under another.", f'\n  - "{SUPPLY} your postal address"'),
    "charity_number": _key("Your registered charity number, if you have one.", '"1234567"', True),
    "catalogue_url": _key(
        "Where the catalogue (booklet catalogue) is published: each back cover's QR code points there.",
        "https://www.example.org/booklets/",
        True,
    ),
    "shop_url": _key("Where volunteers order printed copies (booklet shop), if you run the shop.", "", True),
    "paper_caliper": _key(
        "Your print paper's thickness in microns, for print runs (docs/print.md).", "100", True
    ),
    "checks": _key(
        "Targets for booklet check (docs/checks.md); these are the defaults.",
        "\n  flesch_min: 60\n  sentence_words_standard: 25\n  sentence_words_easy_read: 15",
        True,
    ),
    "order_limits": _key("The most copies one order may ask for.", "\n  default: 500", True),
    "messages": _key(
        "Your words for the templates: cover series, questions (docs/writing.md, 'The publisher's words').",
        "\n  cover.series: Patient information\n  questions.list:\n    - What will happen next?",
        True,
    ),
    "translations": _key(
        "Your details and words in the languages you translate into.",
        "\n  cy:\n    helpline_hours: Dydd Llun i ddydd Gwener, 9am tan 5pm\n    edition: Argraffiad {n}",
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
        explain, sample, commented = KEYS[field.name]
        entry = f"{field.name}: {sample}".rstrip().replace(": \n", ":\n")
        lines += ["", f"# {explain}"]
        lines += [f"# {line}" for line in entry.splitlines()] if commented else entry.splitlines()
    return "\n".join(lines) + "\n"


def unfinished(publisher: Publisher, front: yaml.Node | None) -> Iterator[tuple[str, int | None]]:
    """Yield each detail of ``publisher`` still to be supplied: its key, and its line in publisher.yml."""
    details = {
        "name": publisher.name,
        "short_name": publisher.short_name,
        "helpline": publisher.helpline,
        "helpline_hours": publisher.helpline_hours,
        "charity_number": publisher.charity_number,
        "address": " ".join(publisher.address),
    }
    for key, value in details.items():
        if value.startswith(SUPPLY) or f" {SUPPLY}" in value:
            yield key, key_line(front, key, 1)
