"""Front matter and publisher schemas: validate once, report every problem with its line.

Each schema is a table of fields (name, whether required, a parser, a hint: the parsers are
in booklet/source/fields.py, publisher.yml's table in booklet/source/publisher.py). A
parser turns a YAML value into the model's value or raises ``Invalid`` with a message;
every field is tried, so one run reports every problem in the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
    Metadata,
    Publisher,
    Questions,
    Reference,
    Review,
    Targets,
    approved_reviews,
    doi_link,
)
from . import addresses, frontmatter
from .fields import (
    CODE_RE,
    Field,
    MultipleInvalid,
    choice,
    each,
    kind,
    parse_fields,
    pattern,
    retired,
    text,
)
from .fields import Invalid as Invalid  # the parsers' error and dates, as other modules knew them here
from .fields import iso_date as iso_date
from .publisher import PUBLISHER_FIELDS

LANGUAGE_RE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
REF_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
META_FIELD = "META-FIELD"  # the rule of every front matter and publisher.yml problem


def doi(value: Any) -> str:
    """Parse a DOI (10.1234/abc), refused when its link (doi_link: https://doi.org/...) could not hold it."""
    checked: str = pattern(DOI_RE, "a DOI (it should look like 10.1234/abc)")(value)
    if problem := addresses.flaw(doi_link(checked), addresses.WEB):
        raise Invalid(f"'{checked}' {problem}")
    return checked


REFERENCE_FIELDS = (
    Field("id", pattern(REF_ID_RE, "a short id (letters, digits, - _ . :)"), required=True),
    Field("text", text, required=True),
    Field("doi", doi),
    Field("url", addresses.link_address, hint=addresses.HINT),
)


def reference(value: Any) -> Reference:
    """Parse one reference: ``{id, text, doi?, url?}``."""
    out, problems = parse_fields(value, REFERENCE_FIELDS)
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
        raise Invalid(f"should be a list of references ('- id: ...' lines), not {kind(value)}")
    refs: list[Reference] = each(value, reference)
    seen: set[str] = set()
    for i, ref in enumerate(refs):
        if ref.id in seen:
            raise Invalid(f"id '{ref.id}' is used twice", (i,))
        seen.add(ref.id)
    return tuple(refs)


def glossary(value: Any) -> tuple[tuple[str, str], ...]:
    """Parse the glossary: ``word: plain explanation`` lines, sorted by word."""
    if not isinstance(value, dict):
        raise Invalid(f"should be 'word: explanation' lines, not {kind(value)}")
    problems = []
    for word, meaning in value.items():
        if not isinstance(word, str) or not isinstance(meaning, str) or not meaning.strip():
            problems.append(Invalid(f"entry '{word}' needs a plain explanation as text", (str(word),)))
    if problems:
        raise MultipleInvalid(problems)
    return tuple(sorted(((w, " ".join(m.split())) for w, m in value.items()), key=lambda kv: kv[0].lower()))


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
    out, problems = parse_fields(value, REVIEW_FIELDS)
    if problems:
        raise MultipleInvalid(problems)
    out["day"] = out.pop("date")
    return Review(**out)


def review_list(value: Any) -> tuple[Review, ...]:
    """Parse the list of recorded reviews."""
    if not isinstance(value, list):
        raise Invalid(
            f"should be a list of reviews ('- kind: clinical' with role, date, outcome), not {kind(value)}"
        )
    return tuple(each(value, review))


IGNORE_FIELDS = (
    Field("rule", pattern(re.compile(r"^[A-Z0-9-]+$"), "a rule id such as STD-SENTENCE-LONG"), required=True),
    Field("reason", text, required=True),
)


def ignore(value: Any) -> tuple[str, str]:
    """Parse one silenced check: ``{rule, reason}``."""
    out, problems = parse_fields(value, IGNORE_FIELDS)
    if problems:
        raise MultipleInvalid(problems)
    return (out["rule"], out["reason"])


def ignore_list(value: Any) -> tuple[tuple[str, str], ...]:
    """Parse the list of checks silenced for the whole booklet."""
    if not isinstance(value, list):
        raise Invalid(f"should be a list of '- rule: ID' with 'reason:', not {kind(value)}")
    return tuple(each(value, ignore))


def questions(value: Any) -> Questions:
    """Parse ``questions:``: the booklet's own list (one a line), or false to leave the page out."""
    if value is False:
        return Questions(page=False)
    if value is True:
        return Questions()
    if not isinstance(value, list):
        raise Invalid(f"should be a list of questions ('- ' lines) or false, not {kind(value)}")
    return Questions(tuple(each(value, text)))


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


def _check(
    path: Path, data: Any, node: yaml.Node | None, first: int, fields: tuple[Field, ...]
) -> dict[str, Any]:
    """Validate a mapping against fields, raising one ContentError with every problem."""
    values, problems = parse_fields(data, fields)
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
