"""The parsers front matter and publisher.yml are checked with: fields, text, dates, choices, numbers.

Each schema (booklet/source/schema.py, booklet/source/publisher.py) is a table of
:class:`Field`; a parser turns a YAML value into the model's value or raises
:class:`Invalid` with a message and where inside the value it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,23}$")  # an order code
Loc = tuple[str | int, ...]


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
        raise Invalid(f"should be text, not {kind(value)}")
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
        raise Invalid(f"should be a list ('- ' lines), not {kind(value)}")
    return tuple(each(value, text))


def each(items: list[Any], parse: Parser) -> list[Any]:
    """Parse every item of a list, gathering every item's problems (with the item's number)."""
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


def kind(value: Any) -> str:
    """Name the kind of a YAML value as a writer knows it: 'a list', 'a number'."""
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a set of keys",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


def parse_fields(value: Any, fields: tuple[Field, ...]) -> tuple[dict[str, Any], list[Invalid]]:
    """Parse a mapping against fields; return values and every problem (with locations)."""
    if not isinstance(value, dict):
        return {}, [Invalid(f"should be a set of 'key: value' lines, not {kind(value)}")]
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
