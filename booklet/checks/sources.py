"""Accessibility of the Markdown sources: alt text, heading levels, link text and tables.

These run on every source of a booklet, easy-read.md included. The build refuses some
of them in booklet.md already (a booklet that fails to load is reported as LOAD-ERROR).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from .. import markup
from ..model import Source
from .base import Context, Finding, Rule, source_lines

IMAGE_ALT = Rule("SRC-IMAGE-ALT", "error", "a picture has no alt text, or alt text that says nothing")
HEADING_SKIP = Rule("SRC-HEADING-SKIP", "error", "a heading skips a level")
LINK_TEXT = Rule("SRC-LINK-TEXT", "error", "link text does not say where the link goes")
BARE_URL = Rule("SRC-BARE-URL", "warning", "a web address is written out in the text")
TABLE_HEADER = Rule("SRC-TABLE-HEADER", "error", "a table has no header row, or an empty header cell")
RULES = (IMAGE_ALT, HEADING_SKIP, LINK_TEXT, BARE_URL, TABLE_HEADER)

GENERIC_ALT = re.compile(
    r"^(?:(?:an?|the)\s+)?(?:image|picture|photo|photograph|graphic|img|icon|diagram|figure|illustration|"
    r"drawing|logo|chart)s?\s*\d*[.:]?$",
    re.IGNORECASE,
)
FILE_ALT = re.compile(r"\.(?:svg|png|jpe?g|gif|webp)$", re.IGNORECASE)
LINK_RE = re.compile(r"(?<!!)\[([^\]\n]+)\]\(\s*<?([^)\s>]*)>?[^)]*\)")
VAGUE_LINKS = frozenset(
    "click here|here|click|this|this link|link|more|read more|find out more|more information|more info|"
    "this page|page|website|this website|go|see here|details".split("|")
)
URL_RE = re.compile(r"<?\b(?:https?://|www\.)[^\s<>()]*[^\s<>().,;:!?]")
TABLE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


def check(ctx: Context) -> Iterator[Finding]:
    """Report picture, heading, link and table problems in every source of the booklet."""
    for source, _ in ctx.sources():
        lines = list(source_lines(source))
        for number, line in lines:
            for rule, message in (*_images(line), *_links(line)):
                yield rule.at(ctx.slug, source.path, number, message)
        yield from _headings(ctx, source, lines)
        yield from _tables(ctx, source, lines)


def alt_problem(alt: str, src: str) -> str | None:
    """Return what is wrong with a picture's alt text, or None when it describes something."""
    name = PurePosixPath(src.split(":", 1)[-1]).name
    stem = re.sub(r"[\W_]+", " ", name.rsplit(".", 1)[0]).strip().lower()
    if not alt.strip():
        return f"picture '{src}' has no alt text: describe what it shows, ![A drawing of the liver]({src})"
    if (
        GENERIC_ALT.match(alt.strip())
        or FILE_ALT.search(alt.strip())
        or alt.strip().lower() in (name.lower(), stem)
    ):
        return f"picture '{src}' has alt text '{alt}', which says nothing: describe what the picture shows"
    return None


def _images(line: str) -> Iterator[tuple[Rule, str]]:
    for match in markup.IMAGE_RE.finditer(line):
        if problem := alt_problem(match[1], match[2]):
            yield IMAGE_ALT, problem


def _links(line: str) -> Iterator[tuple[Rule, str]]:
    for match in LINK_RE.finditer(line):
        text = " ".join(re.sub(r"[*_`]", "", match[1]).split())
        if text.lower().strip(".:!") in VAGUE_LINKS:
            yield (
                LINK_TEXT,
                (
                    f"link text '{text}' does not say where the link goes: name the page, "
                    "e.g. [our page about scans](https://...)"
                ),
            )
        elif URL_RE.fullmatch(text):
            yield BARE_URL, f"the link shows its web address '{text}': give it words that name the page"
    rest = markup.IMAGE_RE.sub(" ", LINK_RE.sub(" ", line))
    for match in URL_RE.finditer(rest):
        yield (
            BARE_URL,
            (
                f"web address '{match[0].strip('<')}' is written out in the text, and screen readers "
                "spell it out: "
                "write it as a link with words, e.g. [the NHS website](https://www.nhs.uk)"
            ),
        )


def _headings(ctx: Context, source: Source, lines: list[tuple[int, str]]) -> Iterator[Finding]:
    level = 0
    for number, line in lines:
        if match := markup.HEADING_RE.match(line):
            new = len(match[1])
            if new > level + 1:
                want = "#" * (level + 1)
                yield HEADING_SKIP.at(
                    ctx.slug,
                    source.path,
                    number,
                    f"heading '{match[2]}' skips a level (h{level} to h{new}): write it as "
                    f"'{want} {match[2]}', or add the missing level above it",
                )
            level = new


def _tables(ctx: Context, source: Source, lines: list[tuple[int, str]]) -> Iterator[Finding]:
    """Check each run of lines starting with '|': its second line must be |---|, its header filled."""
    for block in _table_blocks(lines):
        first_line, header = block[0]
        if TABLE_SEPARATOR_RE.match(header) or len(block) < 2 or not TABLE_SEPARATOR_RE.match(block[1][1]):
            yield TABLE_HEADER.at(
                ctx.slug,
                source.path,
                first_line,
                "this table has no header row: start it with a row of column names, then a line "
                "such as |---|---|",
            )
            continue
        cells = [c.strip() for c in header.strip().strip("|").split("|")]
        for n, cell in enumerate(cells, start=1):
            if not re.sub(r"[*_`\s]", "", cell):
                yield TABLE_HEADER.at(
                    ctx.slug,
                    source.path,
                    first_line,
                    f"column {n} of this table has an empty header: name it",
                )


def _table_blocks(lines: list[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    block: list[tuple[int, str]] = []
    for number, line in lines:
        if line.lstrip().startswith("|"):
            block.append((number, line))
            continue
        if block:
            yield block
        block = []
    if block:
        yield block
