"""The variants a booklet is made in: a table of data, read by every later step."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """How one variant is made: its source, page, type sizes, stylesheets and templates."""

    name: str
    label: str  # shown to readers, e.g. on the cover and in the catalogue
    source: str  # which file of the booklet's folder it is made from
    page: str  # CSS page size
    stylesheets: tuple[str, ...]  # in styles/, applied in order
    templates: tuple[str, ...]  # template folders searched before 'base'
    body_pt: float  # body text size
    min_pt: float  # nothing of the text may be smaller than this
    cover_label: str = ""  # a label such as 'Large print' on the cover
    contents_depth: int = 2  # heading levels listed in the contents


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant(
            name="standard",
            label="Standard print (A5)",
            source="booklet.md",
            page="A5",
            stylesheets=("base.css", "standard.css"),
            templates=(),
            body_pt=12,
            min_pt=12,
        ),
    )
}


def get(name: str) -> Variant:
    """Return the variant called ``name`` (the CLI has already checked it exists)."""
    return VARIANTS[name]
