"""Load a booklet's files once: front matter, parse trees, and every problem the source rules find.

Loading never raises for a booklet's own problems: they are returned with the booklet, as
data, so that a problem stops only what it breaks. booklet.md's front matter is needed by
every variant; its body by standard and large print; easy-read.md by easy read alone.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import ContentError, Problem
from ..model import Booklet, Metadata, Publisher, Questions, Source, Targets
from ..variants import VARIANTS
from . import easyread, frontmatter, messages, pictograms, rules, schema, tree
from .publisher import unfinished

BOOKLET_FILE = "booklet.md"
EASY_READ_FILE = "easy-read.md"
PUBLISHER_FILE = "publisher.yml"
SOURCES = (BOOKLET_FILE, EASY_READ_FILE)
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EMPTY_BODY = "SRC-EMPTY"
BAD_SLUG = "META-SLUG"


@dataclass(frozen=True)
class Silenced:
    """A problem an ignore comment or the front matter's ``ignore:`` list set aside, and why."""

    problem: Problem
    reason: str


@dataclass(frozen=True)
class Loaded:
    """One booklet folder as loaded: the booklet (None when its front matter is unusable) and its problems."""

    slug: str
    folder: Path
    booklet: Booklet | None
    problems: tuple[Problem, ...] = ()
    silenced: tuple[Silenced, ...] = ()
    sources: tuple[Source, ...] = field(default=(), repr=False)  # every source read, for ignores
    variant_names: tuple[str, ...] = ()  # the variants whose source is in its folder (variants_in)


def variants_in(folder: Path) -> tuple[str, ...]:
    """Return the names of the variants whose source file is in ``folder``: the one place that looks.

    Loading puts the answer on the model (:attr:`Loaded.variant_names`, :attr:`Booklet.variant_names`);
    everything later asks the model.
    """
    return tuple(v.name for v in VARIANTS.values() if (folder / v.source).is_file())


def discover(content: Path) -> list[str]:
    """Return the slugs of every booklet folder (one holding booklet.md), sorted."""
    if not content.is_dir():
        raise ContentError.one(
            content.resolve(),
            "is not a folder",
            fix="run booklet in the folder that holds content/, or give --content the folder that holds "
            "publisher.yml",
        )
    return sorted(p.parent.name for p in content.glob(f"*/{BOOKLET_FILE}"))


def peek_code(content: Path, slug: str) -> str | None:
    """Return the order code booklet.md's front matter gives, without loading the booklet (None: none)."""
    path = content / slug / BOOKLET_FILE
    try:
        data, _ = frontmatter.load(path, frontmatter.split(path, frontmatter.read_text(path, content))[0], 2)
    except ContentError:
        return None
    code = data.get("code") if isinstance(data, dict) else None
    return code.strip() if isinstance(code, str) else None


def load_publisher(content: Path) -> tuple[Publisher, Targets]:
    """Load and validate ``publisher.yml``: the publisher and the targets of booklet check."""
    path = content / PUBLISHER_FILE
    text = frontmatter.read_text(path, content)  # confined, as every source is
    data, node = frontmatter.load(path, text, 1)
    return schema.publisher(path, data, node, 1)


def read_source(path: Path, root: Path) -> tuple[Any, Source]:
    """Read and parse a source once (inside the content folder ``root``): front matter and both trees."""
    text = frontmatter.read_text(path, root)
    yaml_text, body, body_line = frontmatter.split(path, text)
    data, node = frontmatter.load(path, yaml_text, 2)
    source = Source(path, body, body_line, tree.parse(body, body_line), node)
    return data, source


def _unfinished_publisher(content: Path, publisher: Publisher, slug: str) -> list[Problem]:
    """Refuse an approved booklet while a publisher detail it prints is still to be supplied."""
    if not any(unfinished(publisher, None)):
        return []
    path = content / PUBLISHER_FILE
    _, node = frontmatter.load(path, frontmatter.read_text(path, content), 1)
    return [
        rules.UNFINISHED.at(
            slug,
            path,
            line,
            f"the booklet is approved, but '{key}' in publisher.yml is still to be supplied",
            f"write your organisation's {key} in publisher.yml, or set 'status: in-review' until it is",
        )
        for key, line in unfinished(publisher, node)
    ]


def _empty(source: Source, slug: str) -> list[Problem]:
    if source.body.strip():
        return []
    return [
        Problem(
            source.path,
            "has front matter but no text",
            source.body_line,
            "write the chapters after the closing '---', starting with '# A chapter'",
            EMPTY_BODY,
            booklet=slug,
        )
    ]


def load_booklet(
    content: Path, slug: str, publisher: Publisher, targets: Targets | None = None, easy_read: bool = True
) -> Loaded:
    """Load one booklet with every problem in its files.

    ``easy_read=False`` leaves easy-read.md unread (a build of other variants needs nothing from it).
    """
    folder = content / slug
    path = folder / BOOKLET_FILE
    names = variants_in(folder)
    if not SLUG_RE.match(slug):
        bad = Problem(
            folder,
            f"folder name '{slug}' is not a booklet slug",
            fix="use lower-case letters, digits and hyphens, e.g. secondary-liver-cancer",
            rule=BAD_SLUG,
            booklet=slug,
        )
        return Loaded(slug, folder, None, (bad,), variant_names=names)
    problems: list[Problem] = []
    meta: Metadata | None = None
    try:
        data, source = read_source(path, content)
    except ContentError as exc:
        return Loaded(slug, folder, None, _owned(exc.problems, slug), variant_names=names)
    try:
        meta = schema.booklet_metadata(path, data, source.front, 2)
    except ContentError as exc:
        problems += _owned(exc.problems, slug)
    ref_ids = [r.id for r in meta.references] if meta else None
    problems += _empty(source, slug)
    approved = meta is not None and not meta.draft
    supplied = messages.supplied_by(publisher)
    problems += rules.check(
        source.tree, rules.Scope(slug, path, folder, ref_ids, approved=approved, supplied=supplied)
    )
    problems += _unfinished_publisher(content, publisher, slug) if approved else []
    source = dataclasses.replace(source, cited=tuple(rules.cited(source.tree)))
    sources = [source]
    easy: Source | None = None
    front: dict[str, Any] = {}
    if easy_read and os.path.lexists(folder / EASY_READ_FILE):
        glossary = [term for term, _ in meta.glossary] if meta else []
        limit = (targets or Targets()).sentence_words_easy_read
        easy, front, found = _easy_read(folder, slug, ref_ids, glossary, limit, approved, supplied)
        problems += found
        sources += [easy] if easy else []
    kept, silenced = silence(problems, sources, meta.ignore if meta else ())
    if meta is None:
        return Loaded(slug, folder, None, tuple(kept), tuple(silenced), tuple(sources), names)
    booklet = Booklet(
        slug,
        folder,
        meta,
        publisher,
        source,
        easy,
        front.get("title", ""),
        front.get("subtitle", ""),
        cover(front, easy),
        _pictures(folder, sources),
        variant_names=names,
        easy_read_questions=front.get("questions") or Questions(),
    )
    return Loaded(slug, folder, booklet, tuple(kept), tuple(silenced), tuple(sources), names)


def _owned(problems: Iterable[Problem], slug: str) -> tuple[Problem, ...]:
    return tuple(dataclasses.replace(p, booklet=slug) for p in problems)


def _easy_read(
    folder: Path,
    slug: str,
    ref_ids: list[str] | None,
    glossary: list[str],
    max_words: int,
    approved: bool,
    supplied: tuple[str, ...] = (),
) -> tuple[Source | None, dict[str, Any], list[Problem]]:
    """Load easy-read.md: front matter, source rules and the easy-read linter."""
    path = folder / EASY_READ_FILE
    try:
        data, easy = read_source(path, folder.parent)
        front = dict(schema.easy_read_front(path, data, easy.front, 2))
    except ContentError as exc:
        return None, {}, list(_owned(exc.problems, slug))
    problems = _empty(easy, slug)
    scope = rules.Scope(slug, path, folder, ref_ids, icons=True, approved=approved, supplied=supplied)
    problems += rules.check(easy.tree, scope)
    if front["cover_picture"] and (message := rules.picture_problem(front["cover_picture"], folder, True)):
        line = frontmatter.key_line(easy.front, "cover_picture", 2)
        problems.append(
            rules.IMAGE_FILE.at(slug, path, line, message, "use a name that 'booklet icons' lists")
        )
    problems += easyread.lint(easy.tree, path, slug, glossary, max_words)
    return dataclasses.replace(easy, cited=tuple(rules.cited(easy.tree))), front, problems


def silence(
    problems: Iterable[Problem], sources: Iterable[Source], whole: Iterable[tuple[str, str]]
) -> tuple[list[Problem], list[Silenced]]:
    """Set aside the problems an ignore comment (on their line) or ``ignore:`` (whole booklet) silences."""
    by_line = {(s.path, i.line, i.rule): i.reason for s in sources for i in s.tree.ignores}
    by_rule = dict(whole)
    kept: list[Problem] = []
    silenced: list[Silenced] = []
    for problem in problems:
        key = (problem.path, problem.line, problem.rule)
        if key in by_line:
            silenced.append(Silenced(problem, by_line[key]))
        elif problem.rule in by_rule:
            silenced.append(Silenced(problem, by_rule[problem.rule]))
        else:
            kept.append(problem)
    return kept, silenced


def cover(front: dict[str, Any], easy: Source | None) -> tuple[str, str]:
    """Return the easy-read cover picture: the one named in front matter, else the body's first."""
    if front.get("cover_picture"):
        return front["cover_picture"], front.get("cover_alt") or front.get("title", "")
    if easy is not None:
        for _, span in easy.tree.spans():
            if span.kind == "image":
                return span.href, span.text
    return "", ""


def _pictures(folder: Path, sources: Iterable[Source]) -> tuple[Path, ...]:
    """Return the booklet's own pictures its sources use (only those are published beside the HTML)."""
    found = set()
    for source in sources:
        for _, span in source.tree.spans():
            if span.kind != "image" or span.href.startswith(pictograms.SCHEME):
                continue
            if rules.picture_problem(span.href, folder) is None:  # a regular file inside images/
                found.add(folder / PurePosixPath(span.href))
    return tuple(sorted(found))
