"""The data booklet works on: frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Publisher:
    """Who publishes every booklet in a content folder (from ``publisher.yml``)."""

    name: str
    helpline: str
    website: str
    address: tuple[str, ...]
    short_name: str = ""
    helpline_hours: str = ""
    email: str = ""
    charity_number: str = ""
    catalogue_url: str = ""  # where the catalogue is published; booklet pages are <url><slug>/


@dataclass(frozen=True)
class Reference:
    """One entry of a booklet's references appendix."""

    id: str
    text: str
    doi: str | None = None
    url: str | None = None

    @property
    def link(self) -> str | None:
        """Return where the reference can be read: its DOI resolver address, else its URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url


@dataclass(frozen=True)
class Metadata:
    """A booklet's front matter, validated."""

    title: str
    code: str
    published: date
    next_review: date
    references: tuple[Reference, ...]
    subtitle: str = ""
    edition: str = ""
    language: str = "en-GB"
    reviewed_by: tuple[str, ...] = ()
    summary: str = ""
    glossary: tuple[tuple[str, str], ...] = ()
    ignore: tuple[tuple[str, str], ...] = ()  # (rule id, reason) silenced for the whole booklet


@dataclass(frozen=True)
class Source:
    """A Markdown source file: its path, front matter and body."""

    path: Path
    body: str
    body_line: int  # line number of the body's first line in the file
    cited: tuple[str, ...] = ()  # reference ids in order of first citation


@dataclass(frozen=True)
class Booklet:
    """Everything needed to render one booklet in any variant."""

    slug: str
    folder: Path
    meta: Metadata
    publisher: Publisher
    source: Source
    easy_read: Source | None = None
    easy_read_title: str = ""
    easy_read_subtitle: str = ""
    easy_read_cover: tuple[str, str] = ("", "")  # (picture, alt text) for the easy-read cover
    images: tuple[Path, ...] = field(default=())
