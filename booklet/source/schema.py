"""Front matter and publisher schemas: validate once, report every problem with its line.

Each schema is a table of fields (name, whether required, a parser, a hint). A
parser turns a YAML value into the model's value or raises ``Invalid`` with a
message; every field is tried, so one run reports every problem in the file.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Problem
from ..model import (
    NEEDED_FOR_APPROVAL,
    OUTCOMES,
    REVIEW_KINDS,
    STATUSES,
    Message,
    Messages,
    Metadata,
    OrderLimits,
    Publisher,
    PublisherWords,
    Questions,
    Reference,
    Review,
    Targets,
    approved_reviews,
)
from . import addresses, frontmatter, messages

LANGUAGE_RE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,23}$")
REF_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Loc = tuple[str | int, ...]
META_FIELD = "META-FIELD"  # the rule of every front matter and publisher.yml problem


class Invalid(Exception):  # noqa: N818 - reads as "raise Invalid(...)" in the parsers
    """A value is wrong; ``loc`` is where inside the value, relative to the field."""

    def __init__(self, message: str, loc: Loc = ()) -> None:
        super().__init__(message)
        self.loc = loc


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    """One key of a schema."""

    name: str
    parse: Parser
    required: bool = False
    default: Any = None
    hint: str = ""


def text(value: Any) -> str:
    """Parse a non-empty piece of text (numbers are refused: quote them)."""
    if not isinstance(value, str):
        raise Invalid(f"should be text, not {_kind(value)}")
    if not value.strip():
        raise Invalid("should not be empty")
    return " ".join(value.split())


def pattern(regex: re.Pattern[str], what: str) -> Parser:
    """Return a parser of text matching ``regex``."""

    def parse(value: Any) -> str:
        checked = text(value)
        if not regex.match(checked):
            raise Invalid(f"'{checked}' is not {what}")
        return checked

    return parse


def iso_date(value: Any) -> date:
    """Parse a date written YYYY-MM-DD that exists in the calendar."""
    if not isinstance(value, str) or not DATE_RE.match(value):
        raise Invalid(f"'{value}' is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid(f"'{value}' is not a real date ({exc})") from None


def lines(value: Any) -> tuple[str, ...]:
    """Parse lines of text: a list, or one line written on its own (an address of one line)."""
    if isinstance(value, str):
        return (text(value),)
    if not isinstance(value, list):
        raise Invalid(f"should be a list ('- ' lines), not {_kind(value)}")
    return tuple(_each(value, text))


def _each(items: list[Any], parse: Parser) -> list[Any]:
    out, problems = [], []
    for i, item in enumerate(items):
        try:
            out.append(parse(item))
        except MultipleInvalid as exc:
            problems += [Invalid(f"item {i + 1}: {p}", (i, *p.loc)) for p in exc.problems]
        except Invalid as exc:
            problems.append(Invalid(f"item {i + 1}: {exc}", (i, *exc.loc)))
    if problems:
        raise MultipleInvalid(problems)
    return out


class MultipleInvalid(Invalid):
    """Several problems inside one value."""

    def __init__(self, problems: list[Invalid]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _kind(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a set of keys",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


def _fields(value: Any, fields: tuple[Field, ...]) -> tuple[dict[str, Any], list[Invalid]]:
    """Parse a mapping against fields; return values and every problem (with locations)."""
    if not isinstance(value, dict):
        return {}, [Invalid(f"should be a set of 'key: value' lines, not {_kind(value)}")]
    known = {f.name: f for f in fields}
    out: dict[str, Any] = {}
    problems: list[Invalid] = []
    for key in value:
        if key not in known:
            problems.append(
                Invalid(f"unknown key '{key}'; the keys allowed are: {', '.join(known)}", (str(key),))
            )
    for f in fields:
        if f.name not in value or value[f.name] is None:
            if f.required:
                problems.append(Invalid(f"required key '{f.name}' is missing", ("?" + f.name,)))
            out[f.name] = f.default
            continue
        try:
            out[f.name] = f.parse(value[f.name])
        except MultipleInvalid as exc:
            problems += [Invalid(f"'{f.name}' {p}", (f.name, *p.loc)) for p in exc.problems]
        except Invalid as exc:
            problems.append(Invalid(f"'{f.name}' {exc}", (f.name, *exc.loc)))
    return out, problems


def _address(value: Any, schemes: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise Invalid(f"should be an address, not {_kind(value)}")
    address = value.strip()
    if problem := addresses.flaw(address, schemes):
        raise Invalid(f"'{address}' {problem}")
    return address


def web_address(value: Any) -> str:
    """Parse a website's address: http or https, nothing a link cannot hold (addresses.flaw)."""
    return _address(value, addresses.WEB)


def link_address(value: Any) -> str:
    """Parse a reference's address: http, https, mailto or tel."""
    return _address(value, addresses.SCHEMES)


def email_address(value: Any) -> str:
    """Parse an email address: a name, '@' and a domain, nothing a link cannot hold."""
    address = _address(f"mailto:{value.strip()}" if isinstance(value, str) else value, ("mailto",))
    name, at, domain = address.removeprefix("mailto:").rpartition("@")
    if not (at and name and "." in domain):
        raise Invalid(f"'{address.removeprefix('mailto:')}' is not an email address (name@example.org)")
    return address.removeprefix("mailto:")


def doi(value: Any) -> str:
    """Parse a DOI (10.1234/abc), refused when its link (https://doi.org/...) could not hold it."""
    checked: str = pattern(DOI_RE, "a DOI (it should look like 10.1234/abc)")(value)
    if problem := addresses.flaw(f"https://doi.org/{checked}", addresses.WEB):
        raise Invalid(f"'{checked}' {problem}")
    return checked


REFERENCE_FIELDS = (
    Field("id", pattern(REF_ID_RE, "a short id (letters, digits, - _ . :)"), required=True),
    Field("text", text, required=True),
    Field("doi", doi),
    Field("url", link_address, hint=addresses.HINT),
)


def reference(value: Any) -> Reference:
    """Parse one reference: ``{id, text, doi?, url?}``."""
    out, problems = _fields(value, REFERENCE_FIELDS)
    if problems:
        raise MultipleInvalid(problems)
    return Reference(**out)


def ordinal(number: int) -> str:
    """Return '1st', '2nd', '3rd', '11th', '22nd'..."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def edition(value: Any) -> str:
    """Parse an edition: text ('2nd edition'), or a number, printed as '3rd edition'."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            raise Invalid(f"should be 1 or more, not {value}")
        return f"{ordinal(value)} edition"
    return text(value)


def references(value: Any) -> tuple[Reference, ...]:
    """Parse the reference list: ids unique."""
    if not isinstance(value, list):
        raise Invalid(f"should be a list of references ('- id: ...' lines), not {_kind(value)}")
    refs: list[Reference] = _each(value, reference)
    seen: set[str] = set()
    for i, ref in enumerate(refs):
        if ref.id in seen:
            raise Invalid(f"id '{ref.id}' is used twice", (i,))
        seen.add(ref.id)
    return tuple(refs)


def glossary(value: Any) -> tuple[tuple[str, str], ...]:
    """Parse the glossary: ``word: plain explanation`` lines, sorted by word."""
    if not isinstance(value, dict):
        raise Invalid(f"should be 'word: explanation' lines, not {_kind(value)}")
    problems = []
    for word, meaning in value.items():
        if not isinstance(word, str) or not isinstance(meaning, str) or not meaning.strip():
            problems.append(Invalid(f"entry '{word}' needs a plain explanation as text", (str(word),)))
    if problems:
        raise MultipleInvalid(problems)
    return tuple(sorted(((w, " ".join(m.split())) for w, m in value.items()), key=lambda kv: kv[0].lower()))


def choice(options: tuple[str, ...]) -> Parser:
    """Return a parser of one of a few words."""

    def parse(value: Any) -> str:
        checked = text(value)
        if checked not in options:
            raise Invalid(f"'{checked}' should be one of: {', '.join(options)}")
        return checked

    return parse


def retired(fix: str) -> Parser:
    """Return a parser that refuses a key the front matter no longer has, saying what replaced it."""

    def parse(value: Any) -> Any:
        raise Invalid(f"is no longer used: {fix}")

    return parse


REVIEW_FIELDS = (
    Field("kind", choice(REVIEW_KINDS), required=True),
    Field("role", text, required=True),
    Field("date", iso_date, required=True),
    Field("outcome", choice(OUTCOMES), required=True),
    Field("name", text, default=""),
    Field("edition", edition, default=""),
)


def review(value: Any) -> Review:
    """Parse one recorded review: ``{kind, role, date, outcome, name?, edition?}``."""
    out, problems = _fields(value, REVIEW_FIELDS)
    if problems:
        raise MultipleInvalid(problems)
    out["day"] = out.pop("date")
    return Review(**out)


def review_list(value: Any) -> tuple[Review, ...]:
    """Parse the list of recorded reviews."""
    if not isinstance(value, list):
        raise Invalid(
            f"should be a list of reviews ('- kind: clinical' with role, date, outcome), not {_kind(value)}"
        )
    return tuple(_each(value, review))


IGNORE_FIELDS = (
    Field("rule", pattern(re.compile(r"^[A-Z0-9-]+$"), "a rule id such as STD-SENTENCE-LONG"), required=True),
    Field("reason", text, required=True),
)


def ignore(value: Any) -> tuple[str, str]:
    """Parse one silenced check: ``{rule, reason}``."""
    out, problems = _fields(value, IGNORE_FIELDS)
    if problems:
        raise MultipleInvalid(problems)
    return (out["rule"], out["reason"])


def ignore_list(value: Any) -> tuple[tuple[str, str], ...]:
    """Parse the list of checks silenced for the whole booklet."""
    if not isinstance(value, list):
        raise Invalid(f"should be a list of '- rule: ID' with 'reason:', not {_kind(value)}")
    return tuple(_each(value, ignore))


def questions(value: Any) -> Questions:
    """Parse ``questions:``: the booklet's own list (one a line), or false to leave the page out."""
    if value is False:
        return Questions(page=False)
    if value is True:
        return Questions()
    if not isinstance(value, list):
        raise Invalid(f"should be a list of questions ('- ' lines) or false, not {_kind(value)}")
    return Questions(tuple(_each(value, text)))


QUESTIONS_HINT = (
    "list the questions to suggest, one a line starting with '- ', or write 'questions: false' "
    "to leave the questions page out; without the key the publisher's list is printed"
)
BOOKLET_FIELDS = (
    Field(
        "title",
        text,
        required=True,
        hint="write the booklet's title, for example: title: Secondary liver cancer",
    ),
    Field("subtitle", text, default=""),
    Field(
        "code",
        pattern(CODE_RE, "an order code (capitals, digits and hyphens)"),
        required=True,
        hint="give the order code in capitals, digits and hyphens, for example: code: SLC-01",
    ),
    Field("edition", edition, default="", hint="write the edition as text ('2nd edition') or a number (2)"),
    Field(
        "language",
        pattern(LANGUAGE_RE, "a BCP 47 language tag"),
        default="en-GB",
        hint="use a BCP 47 language tag, for example: language: en-GB",
    ),
    Field("published", iso_date, required=True, hint="write the date as YYYY-MM-DD, for example: 2026-11-01"),
    Field(
        "next_review",
        iso_date,
        required=True,
        hint="write the date as YYYY-MM-DD, after the published date (at most 3 years after)",
    ),
    Field(
        "status",
        choice(STATUSES),
        default="draft",
        hint="draft while it is written, in-review while reviewers read it, approved once a clinical "
        "and a lay reviewer have approved it (see 'reviews')",
    ),
    Field(
        "reviews",
        review_list,
        default=(),
        hint="record each review as '- kind: clinical' (or lay, editorial) with 'role:', 'date: YYYY-MM-DD' "
        "and 'outcome: approved' (or changes-requested)",
    ),
    Field(
        "reviewed_by",
        retired(
            "record each review under 'reviews:' (kind, role, date, outcome), and set 'status:'. "
            "Only approved reviews are printed"
        ),
        hint="replace 'reviewed_by:' with 'reviews:', e.g. '- kind: clinical', 'role: Oncologist', "
        "'date: 2026-10-01', 'outcome: approved'",
    ),
    Field("summary", text, default="", hint="write one paragraph of plain text"),
    Field(
        "references",
        references,
        default=(),
        hint="list references as '- id: short-id' with 'text:' (and optionally 'doi:' or 'url:')",
    ),
    Field("glossary", glossary, default=(), hint="write each medical word as 'word: a plain explanation'"),
    Field(
        "ignore",
        ignore_list,
        default=(),
        hint="list silenced checks as '- rule: RULE-ID' with 'reason: why it does not apply'",
    ),
    Field("questions", questions, default=Questions(), hint=QUESTIONS_HINT),
)
EASY_READ_FIELDS = (
    Field("title", text, required=True, hint="write the easy-read title, for example: title: Liver cancer"),
    Field("subtitle", text, default=""),
    Field("cover_picture", text, default="", hint="a picture for the cover: icon:name or images/file.svg"),
    Field("cover_alt", text, default="", hint="what the cover picture shows"),
    Field("questions", questions, default=None, hint=QUESTIONS_HINT),
)


def number(low: float, high: float) -> Parser:
    """Return a parser of a number from ``low`` to ``high``."""

    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise Invalid(f"should be a number from {low:g} to {high:g}")
        return float(value)

    return parse


def whole(low: int, high: int) -> Parser:
    """Return a parser of a whole number from ``low`` to ``high``."""

    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"should be a whole number from {low} to {high}")
        return value

    return parse


def word_set(value: Any) -> frozenset[str]:
    """Parse a list of words (lower-cased)."""
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise Invalid("should be a list of words, one per line starting with '- '")
    return frozenset(w.strip().lower() for w in value)


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
    out, problems = _fields(value, TARGET_FIELDS)
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
            raise Invalid(f"should be a list ('- ' lines), as in en.yml, not {_kind(value)}", (key,))
        return tuple(_each(value, text))
    if not isinstance(value, str):
        raise Invalid(f"should be text, not {_kind(value)}", (key,))
    allowed = _placeholders(str(want))
    if extra := _placeholders(value) - allowed:
        fill = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
        names = ", ".join(sorted(extra))
        raise Invalid(f"fills in {names}, which the template does not give (it gives: {fill})", (key,))
    return " ".join(value.split())


def message_table(value: Any) -> Messages:
    """Parse ``messages:``: keys of booklet/source/messages/en.yml, each with the publisher's own words."""
    if not isinstance(value, dict):
        raise Invalid(f"should be 'key: words' lines (keys of en.yml), not {_kind(value)}")
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
        raise Invalid(f"should be a set of '<language tag>:' keys, not {_kind(value)}")
    out, problems = [], []
    for tag, words in value.items():
        if tag not in LANGUAGES:
            known = ", ".join(LANGUAGES)
            problems.append(Invalid(f"'{tag}' is not a language booklet can set ({known})", (str(tag),)))
            continue
        values, found = _fields(words, WORDS_FIELDS)
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
    Field("email", email_address, default="", hint="write the address people email, e.g. help@example.org"),
    Field("website", web_address, required=True, hint=addresses.HINT),
    Field(
        "address",
        lines,
        required=True,
        hint="write the address on one line, or list its lines, one per line starting with '- '",
    ),
    Field("charity_number", text, default=""),
    Field(
        "catalogue_url",
        web_address,
        default="",
        hint="the address where the catalogue (booklet catalogue) is published, e.g. https://www.example.org/booklets/",
    ),
    Field(
        "shop_url",
        web_address,
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


def _check(
    path: Path, data: Any, node: yaml.Node | None, first: int, fields: tuple[Field, ...]
) -> dict[str, Any]:
    """Validate a mapping against fields, raising one ContentError with every problem."""
    values, problems = _fields(data, fields)
    if not problems and fields is BOOKLET_FIELDS:
        problems += _booklet_rules(values)
    if problems:
        raise ContentError([_problem(path, p, node, first, fields) for p in problems])
    return values


def _booklet_rules(values: dict[str, Any]) -> list[Invalid]:
    """Return the problems between keys of a booklet's front matter (dates and approval)."""
    problems = []
    if values["next_review"] <= values["published"]:
        problems.append(Invalid("'next_review' must be after 'published'", ("next_review",)))
    if values["status"] == "approved":
        published: date = values["published"]
        approvals = approved_reviews(values["reviews"], values["edition"])
        missing = [
            kind
            for kind in NEEDED_FOR_APPROVAL
            if not any(r.kind == kind and r.day <= published for r in approvals)
        ]
        if missing:
            problems.append(
                Invalid(
                    f"is 'approved', but there is no approved {' and no approved '.join(missing)} review "
                    f"dated on or before the published date ({published.isoformat()})",
                    ("status",),
                )
            )
    return problems


def _problem(
    path: Path, p: Invalid, node: yaml.Node | None, first: int, fields: tuple[Field, ...]
) -> Problem:
    key = str(p.loc[0]) if p.loc else ""
    hints = {f.name: f.hint for f in fields if f.hint}
    if key == "status" and fields is BOOKLET_FIELDS and "approved" in str(p):
        hints["status"] = (
            "record the reviews under 'reviews:' (an approved clinical and an approved lay review, "
            "dated on or before 'published'), or set 'status: in-review' until they are done"
        )
    if key.startswith("?"):
        return Problem(path, str(p), None, hints.get(key[1:], ""), META_FIELD)
    if key and key not in {f.name for f in fields}:
        return Problem(
            path,
            str(p),
            frontmatter.key_line(node, key, first),
            "remove it or check its spelling; docs/writing.md lists the keys a booklet may have",
            META_FIELD,
        )
    line = frontmatter.line_of(node, p.loc, first) if p.loc else (first if node is None else None)
    return Problem(path, str(p), line, hints.get(key, ""), META_FIELD)


def validate(
    path: Path, data: Any, node: yaml.Node | None, first: int, fields: tuple[Field, ...]
) -> dict[str, Any]:
    """Validate a mapping against a table of fields (another module's), raising one ContentError."""
    return _check(path, data, node, first, fields)


def booklet_metadata(path: Path, data: Any, node: yaml.Node | None, first: int) -> Metadata:
    """Validate the front matter of ``booklet.md``."""
    values = _check(path, data, node, first, BOOKLET_FIELDS)
    del values["reviewed_by"]  # retired: refused when written, so it is never a value
    return Metadata(**values)


def easy_read_front(path: Path, data: Any, node: yaml.Node | None, first: int) -> Mapping[str, Any]:
    """Validate the front matter of ``easy-read.md`` (what differs from ``booklet.md``)."""
    return _check(path, data, node, first, EASY_READ_FIELDS)


def publisher(path: Path, data: Any, node: yaml.Node | None, first: int) -> tuple[Publisher, Targets]:
    """Validate ``publisher.yml``: the publisher, and the targets of booklet check."""
    values = _check(path, data, node, first, PUBLISHER_FIELDS)
    targets = values.pop("checks", None) or Targets()
    return Publisher(**values), targets
