"""publisher.yml: who publishes the booklets of a content folder, its check targets and its own words.

Its ``messages:`` give template messages (keys of booklet/source/messages/en.yml) the
publisher's own words, and ``translations: {<lang>: ...}`` its details, edition words and
messages in the languages of its translations; each is checked against en.yml.
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Iterator
from typing import Any

import yaml

from ..model import Message, Messages, OrderLimits, Publisher, PublisherWords, Targets
from . import addresses, messages
from .fields import (
    CODE_RE,
    Field,
    Invalid,
    MultipleInvalid,
    each,
    kind,
    lines,
    number,
    parse_fields,
    text,
    whole,
    word_set,
)
from .frontmatter import key_line

TARGET_FIELDS = (
    Field("flesch_min", number(0, 120), default=Targets.flesch_min),
    Field("smog_max", number(1, 30), default=Targets.smog_max),
    Field("sentence_words_standard", whole(5, 100), default=Targets.sentence_words_standard),
    Field("sentence_words_easy_read", whole(5, 100), default=Targets.sentence_words_easy_read),
    Field("hard_word_zipf", number(0, 8), default=Targets.hard_word_zipf),
    Field("medical_words", word_set, default=frozenset()),
    Field("everyday_words", word_set, default=frozenset()),
)


def checks(value: Any) -> Targets:
    """Parse publisher.yml's ``checks:`` targets (the defaults fill what it leaves out)."""
    out, problems = parse_fields(value, TARGET_FIELDS)
    if problems:
        raise MultipleInvalid(problems)
    return Targets(**out)


MAX_CALIPER_UM = 400  # microns: thicker than any paper a saddle-stitched booklet is made of

MAX_ORDER_LIMIT = 100_000  # the most copies an order row may ever ask for (orders.MAX_QUANTITY)


def order_limits(value: Any) -> OrderLimits:
    """Parse ``order_limits:``: ``default`` and order codes, each the most copies one row may order."""
    if not isinstance(value, dict):
        raise Invalid("should be a set of 'CODE: copies' lines (and 'default: copies')")
    limit = whole(1, MAX_ORDER_LIMIT)
    problems: list[Invalid] = []
    limits: dict[str, int] = {}
    for key, copies in value.items():
        if key != "default" and not (isinstance(key, str) and CODE_RE.match(key)):
            problems.append(Invalid(f"key '{key}' is neither 'default' nor an order code", (str(key),)))
            continue
        try:
            limits[key] = limit(copies)
        except Invalid as exc:
            problems.append(Invalid(f"'{key}' {exc}", (key,)))
    if problems:
        raise MultipleInvalid(problems)
    default = limits.pop("default", OrderLimits.default)
    return OrderLimits(default, tuple(sorted(limits.items())))


def _placeholders(words: str) -> set[str]:
    """Return the ``{names}`` a message fills in (Invalid for a stray brace)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(words) if name is not None}
    except ValueError as exc:
        raise Invalid(f"has a stray brace ({exc}): write {{name}} only where the template fills it") from None


def _message(key: str, value: Any) -> Message:
    """Parse one message as en.yml has it: text with the same placeholders, or a list of lines."""
    want = messages.load(messages.SOURCE).messages[key]
    if isinstance(want, list):
        if not isinstance(value, list):
            raise Invalid(f"should be a list ('- ' lines), as in en.yml, not {kind(value)}", (key,))
        return tuple(each(value, text))
    if not isinstance(value, str):
        raise Invalid(f"should be text, not {kind(value)}", (key,))
    allowed = _placeholders(str(want))
    if extra := _placeholders(value) - allowed:
        fill = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
        names = ", ".join(sorted(extra))
        raise Invalid(f"fills in {names}, which the template does not give (it gives: {fill})", (key,))
    return " ".join(value.split())


def message_table(value: Any) -> Messages:
    """Parse ``messages:``: keys of booklet/source/messages/en.yml, each with the publisher's own words."""
    if not isinstance(value, dict):
        raise Invalid(f"should be 'key: words' lines (keys of en.yml), not {kind(value)}")
    known = messages.load(messages.SOURCE).messages
    out: list[tuple[str, Message]] = []
    problems: list[Invalid] = []
    for key, words in value.items():
        if key not in known:
            near = difflib.get_close_matches(str(key), list(known), n=1)
            also = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(Invalid(f"has no message '{key}'{also}", (str(key),)))
            continue
        try:
            out.append((key, _message(key, words)))
        except MultipleInvalid as exc:
            problems += [Invalid(f"'{key}' {p}", (key, *p.loc)) for p in exc.problems]
        except Invalid as exc:
            problems.append(Invalid(f"'{key}' {exc}", exc.loc or (key,)))
    if problems:
        raise MultipleInvalid(problems)
    return tuple(out)


def edition_words(value: Any) -> str:
    """Parse how a publisher names an edition in a language: words with '{n}', its number."""
    checked = text(value)
    if _placeholders(checked) != {"n"}:
        raise Invalid(f"'{checked}' should hold {{n}} where the edition's number goes: 'Argraffiad {{n}}'")
    return checked


MESSAGES_HINT = (
    "use the keys of booklet/source/messages/en.yml (docs/writing.md, 'The publisher's words'), "
    "each with your own words and the same {placeholders}"
)
WORDS_FIELDS = (
    Field("name", text, default=""),
    Field("short_name", text, default=""),
    Field("helpline_hours", text, default=""),
    Field("address", lines, default=()),
    Field("charity_number", text, default=""),
    Field("edition", edition_words, default=""),
    Field("messages", message_table, default=()),
)


def publisher_translations(value: Any) -> tuple[tuple[str, PublisherWords], ...]:
    """Parse ``translations:``: for each language tag, the publisher's details and messages in it."""
    from ..languages import LANGUAGES

    if not isinstance(value, dict):
        raise Invalid(f"should be a set of '<language tag>:' keys, not {kind(value)}")
    out, problems = [], []
    for tag, words in value.items():
        if tag not in LANGUAGES:
            known = ", ".join(LANGUAGES)
            problems.append(Invalid(f"'{tag}' is not a language booklet can set ({known})", (str(tag),)))
            continue
        values, found = parse_fields(words, WORDS_FIELDS)
        problems += [Invalid(f"'{tag}': {p}", (tag, *p.loc)) for p in found]
        out.append((str(tag), PublisherWords(**values)))
    if problems:
        raise MultipleInvalid(problems)
    return tuple(out)


PUBLISHER_FIELDS = (
    Field("name", text, required=True),
    Field("short_name", text, default=""),
    Field(
        "helpline",
        text,
        required=True,
        hint='write the helpline number in quotes, e.g. helpline: "0808 000 0000"',
    ),
    Field("helpline_hours", text, default=""),
    Field(
        "email",
        addresses.email_address,
        default="",
        hint="write the address people email, e.g. help@example.org",
    ),
    Field("website", addresses.web_address, required=True, hint=addresses.HINT),
    Field(
        "address",
        lines,
        required=True,
        hint="write the address on one line, or list its lines, one per line starting with '- '",
    ),
    Field("charity_number", text, default=""),
    Field(
        "catalogue_url",
        addresses.web_address,
        default="",
        hint="the address where the catalogue (booklet catalogue) is published, e.g. https://www.example.org/booklets/",
    ),
    Field(
        "shop_url",
        addresses.web_address,
        default="",
        hint="the address of the order shop (booklet shop) volunteers order from, e.g. https://shop.example.org/",
    ),
    Field(
        "paper_caliper",
        whole(0, MAX_CALIPER_UM),
        default=0,
        hint="the print paper's thickness in microns (about 100 for 115 g/m2 coated), for creep; 0: none",
    ),
    Field("checks", checks, default=None, hint="targets for booklet check: see docs/checks.md"),
    Field(
        "order_limits",
        order_limits,
        default=OrderLimits(),
        hint="the most copies one order may ask for: 'default: 500' and 'CODE: copies' lines",
    ),
    Field("messages", message_table, default=(), hint=MESSAGES_HINT),
    Field(
        "translations",
        publisher_translations,
        default=(),
        hint="for each language, '<tag>:' with its helpline_hours, edition ('Argraffiad {n}'), "
        "address, charity_number and messages in that language; " + MESSAGES_HINT,
    ),
)


SUPPLY = "To be supplied by the publisher:"  # how a detail booklet new leaves to write starts


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
