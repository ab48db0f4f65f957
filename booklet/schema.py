"""Front matter and publisher schemas: validate once, report every problem with its line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import frontmatter
from .errors import ContentError, Problem
from .model import Metadata, Publisher, Reference

LANGUAGE_RE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,23}$")
REF_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")

M = TypeVar("M", bound=BaseModel)

HINTS = {
    "title": "write the booklet's title, for example: title: Secondary liver cancer",
    "code": "give the order code in capitals, digits and hyphens, for example: code: SLC-01",
    "language": "use a BCP 47 language tag, for example: language: en-GB",
    "published": "write the date as YYYY-MM-DD, for example: published: 2026-11-01",
    "next_review": "write the date as YYYY-MM-DD, after the published date (at most 3 years after)",
    "references": "list references as '- id: short-id' with 'text:' (and optionally 'doi:' or 'url:')",
    "reviewed_by": "list reviewers, one per line starting with '- '",
    "glossary": "write each medical word as 'word: a plain explanation'",
    "summary": "write one paragraph of plain text",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ReferenceIn(_Strict):
    """One reference: a short id, the full text, and an optional DOI or URL."""

    id: str = Field(pattern=REF_ID_RE.pattern)
    text: str = Field(min_length=1)
    doi: str | None = None
    url: str | None = None

    @field_validator("doi")
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        if value is not None and not DOI_RE.match(value):
            raise ValueError(f"'{value}' is not a DOI (it should look like 10.1234/abc)")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError(f"'{value}' is not a web address starting with https://")
        return value


class FrontMatter(_Strict):
    """The front matter of ``booklet.md``."""

    title: str = Field(min_length=1)
    subtitle: str = ""
    code: str = Field(pattern=CODE_RE.pattern)
    edition: str = ""
    language: str = Field(default="en-GB", pattern=LANGUAGE_RE.pattern)
    published: date
    next_review: date
    reviewed_by: list[str] = []
    summary: str = ""
    references: list[ReferenceIn] = Field(min_length=1)
    glossary: dict[str, str] = {}

    @field_validator("published", "next_review", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            raise ValueError(f"'{value}' is not a date written YYYY-MM-DD")
        return value

    @field_validator("references")
    @classmethod
    def _unique_ids(cls, value: list[ReferenceIn]) -> list[ReferenceIn]:
        seen: set[str] = set()
        for ref in value:
            if ref.id in seen:
                raise ValueError(f"reference id '{ref.id}' is used twice")
            seen.add(ref.id)
        return value

    @model_validator(mode="after")
    def _review_after_published(self) -> FrontMatter:
        if self.next_review <= self.published:
            raise ValueError("next_review must be after published")
        return self

    def to_metadata(self) -> Metadata:
        """Return the validated front matter as the frozen model."""
        return Metadata(
            title=self.title,
            subtitle=self.subtitle,
            code=self.code,
            edition=self.edition,
            language=self.language,
            published=self.published,
            next_review=self.next_review,
            reviewed_by=tuple(self.reviewed_by),
            summary=" ".join(self.summary.split()),
            references=tuple(Reference(r.id, r.text, r.doi, r.url) for r in self.references),
            glossary=tuple(sorted(self.glossary.items(), key=lambda kv: kv[0].lower())),
        )


class EasyReadFrontMatter(_Strict):
    """The front matter of ``easy-read.md``: what differs from ``booklet.md``."""

    title: str = Field(min_length=1)
    subtitle: str = ""


class PublisherIn(_Strict):
    """The publisher's details, shown on every booklet's cover, 'About' page and back cover."""

    name: str = Field(min_length=1)
    short_name: str = ""
    helpline: str = Field(min_length=1)
    helpline_hours: str = ""
    email: str = ""
    website: str = Field(pattern=r"^https?://\S+$")
    address: list[str] = Field(min_length=1)
    charity_number: str = ""

    def to_publisher(self) -> Publisher:
        """Return the frozen model."""
        data = self.model_dump()
        data["address"] = tuple(self.address)
        return Publisher(**data)


def _problems(path: Path, exc: ValidationError, node: yaml.Node | None, first: int) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        key = str(loc[0]) if loc else ""
        where = ".".join(str(p) for p in loc) or "front matter"
        if err["type"] == "extra_forbidden":
            problems.append(
                Problem(
                    path,
                    f"unknown front matter key '{where}'",
                    frontmatter.key_line(node, key, first)
                    if len(loc) == 1
                    else frontmatter.line_of(node, loc, first),
                    "remove it or check its spelling; see the README for the keys a booklet may have",
                )
            )
            continue
        if err["type"] == "missing":
            problems.append(Problem(path, f"required key '{where}' is missing", None, HINTS.get(key, "")))
            continue
        message = str(err["msg"]).removeprefix("Value error, ")
        if (
            err["type"] not in ("value_error",)
            and "input" in err
            and not isinstance(err["input"], dict | list)
        ):
            message += f" (got {err['input']!r})"
        problems.append(
            Problem(
                path,
                f"'{where}': {message}" if loc else message,
                frontmatter.line_of(node, loc, first)
                if loc
                else frontmatter.key_line(node, "next_review", first),
                HINTS.get(key, ""),
            )
        )
    return problems


def validate(model: type[M], path: Path, data: Any, node: yaml.Node | None, first: int) -> M:
    """Validate loaded YAML against a schema, raising one ContentError listing every problem."""
    if not isinstance(data, dict):
        raise ContentError.one(
            path,
            "front matter is not a set of 'key: value' lines",
            first,
            "write one 'key: value' per line between the '---' lines",
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(_problems(path, exc, node, first)) from None
