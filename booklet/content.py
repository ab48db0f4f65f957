"""Find booklets in a content folder and load them into validated model objects."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from . import easyread, frontmatter, markup, schema
from .errors import ContentError, Problem
from .model import Booklet, Metadata, Publisher, Source

BOOKLET_FILE = "booklet.md"
EASY_READ_FILE = "easy-read.md"
PUBLISHER_FILE = "publisher.yml"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def discover(content: Path) -> list[str]:
    """Return the slugs of every booklet folder (one holding booklet.md), sorted."""
    if not content.is_dir():
        raise ContentError.one(
            content, "is not a folder", hint="give --content the folder that holds publisher.yml"
        )
    return sorted(p.parent.name for p in content.glob(f"*/{BOOKLET_FILE}"))


def load_publisher(content: Path) -> Publisher:
    """Load and validate ``publisher.yml``."""
    path = content / PUBLISHER_FILE
    text = frontmatter.read_text(path)
    data, node = frontmatter.load(path, text, 1)
    return schema.publisher(path, data, node, 1)


def _source(path: Path) -> tuple[object, yaml.Node | None, Source]:
    text = frontmatter.read_text(path)
    yaml_text, body, body_line = frontmatter.split(path, text)
    data, node = frontmatter.load(path, yaml_text, 2)
    if not body.strip():
        raise ContentError.one(
            path,
            "has front matter but no text",
            body_line,
            "write the booklet's chapters after the closing '---', starting with '# A chapter'",
        )
    return data, node, Source(path, body, body_line)


def load_booklet(content: Path, slug: str, publisher: Publisher, easy_read: bool = True) -> Booklet:
    """Load one booklet, raising a ContentError that lists every problem in its files.

    ``easy_read=False`` leaves easy-read.md unread (a build of other variants needs nothing from it).
    """
    folder = content / slug
    path = folder / BOOKLET_FILE
    if not SLUG_RE.match(slug):
        raise ContentError.one(
            folder,
            f"folder name '{slug}' is not a booklet slug",
            hint="use lower-case letters, digits and hyphens, e.g. secondary-liver-cancer",
        )
    data, node, source = _source(path)
    meta = schema.booklet_metadata(path, data, node, 2)
    ref_ids = [r.id for r in meta.references]
    problems, cited = markup.scan(path, source.body, source.body_line, ref_ids, markup.image_checker(folder))
    source = dataclasses.replace(source, cited=tuple(cited))
    easy, front, easy_problems = _easy_read(folder, meta, ref_ids) if easy_read else (None, {}, [])
    problems += easy_problems
    if problems:
        raise ContentError(problems)
    images = tuple(sorted(p for p in (folder / "images").glob("*") if p.is_file()))
    return Booklet(
        slug,
        folder,
        meta,
        publisher,
        source,
        easy,
        front.get("title", ""),
        front.get("subtitle", ""),
        _cover(front, easy),
        images,
    )


def _easy_read(
    folder: Path, meta: Metadata, ref_ids: list[str]
) -> tuple[Source | None, dict[str, str], list[Problem]]:
    """Load easy-read.md if the booklet has one: front matter, body checks and the easy-read linter."""
    path = folder / EASY_READ_FILE
    if not path.exists():
        return None, {}, []
    try:
        data, node, easy = _source(path)
        front = dict(schema.easy_read_front(path, data, node, 2))
    except ContentError as exc:
        return None, {}, list(exc.problems)
    checker = markup.image_checker(folder, icons=True)
    problems, cited = markup.scan(path, easy.body, easy.body_line, ref_ids, checker)
    if front["cover_picture"] and (message := checker(front["cover_alt"], front["cover_picture"])):
        problems.append(Problem(path, message, frontmatter.key_line(node, "cover_picture", 2)))
    slips = easyread.lint(
        markup.strip_ignores(easy.body), easy.body_line, [term for term, _ in meta.glossary]
    )
    silenced = {(line, rule) for line, rule, _ in markup.ignores(easy.body, easy.body_line)}
    whole = {rule for rule, _ in meta.ignore}
    slips = [s for s in slips if s.rule not in whole and (s.line, s.rule) not in silenced]
    return dataclasses.replace(easy, cited=tuple(cited)), front, problems + easyread.problems(path, slips)


def _cover(front: dict[str, str], easy: Source | None) -> tuple[str, str]:
    """Return the easy-read cover picture: the one named in front matter, else the body's first."""
    if front.get("cover_picture"):
        return front["cover_picture"], front.get("cover_alt") or front.get("title", "")
    if easy and (match := markup.IMAGE_RE.search(easy.body)):
        return match[2], match[1]
    return "", ""


def check_unique_codes(booklets: Iterable[Booklet]) -> list[Problem]:
    """Return a problem for each order code used by more than one booklet."""
    seen: dict[str, Booklet] = {}
    problems = []
    for b in booklets:
        if b.meta.code in seen:
            problems.append(
                Problem(
                    b.source.path,
                    f"order code '{b.meta.code}' is already used by {seen[b.meta.code].slug}",
                    None,
                    "give every booklet its own code",
                )
            )
        else:
            seen[b.meta.code] = b
    return problems
