"""The project: publisher, check targets, every booklet and its problems, loaded once.

``build``, ``list``, ``check``, ``print``, ``catalogue``, ``order`` and ``serve`` are each
handed one :class:`Project`; none of them reads the content folder again. A problem
stops only what it breaks: :meth:`Entry.blocked` tells which errors stop one variant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, ContentError, Problem
from ..languages import LANGUAGES
from ..model import Booklet, Publisher, Targets
from ..variants import VARIANTS, Variant
from . import content, translations
from .content import Loaded

DUPLICATE_CODE = "META-CODE-DUPLICATE"
WHOLE_BOOKLET = frozenset({DUPLICATE_CODE, content.BAD_SLUG})  # rules whose errors stop every variant


@dataclass(frozen=True)
class Entry:
    """One booklet folder: the loaded booklet (or None) and every problem found in it."""

    loaded: Loaded
    translations: tuple[Entry, ...] = ()  # one entry per translation (booklet/source/translations.py)

    @property
    def slug(self) -> str:
        """Return the booklet's slug (its folder's name)."""
        return self.loaded.slug

    @property
    def lang(self) -> str:
        """Return the BCP 47 tag of a translation's entry ('' for the original)."""
        return self.loaded.folder.name if self.loaded.folder.parent.name == translations.FOLDER else ""

    @property
    def booklet(self) -> Booklet | None:
        """Return the booklet, or None when its front matter cannot be used."""
        return self.loaded.booklet

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Return every problem of the booklet, errors and warnings, in file and line order."""
        return self.loaded.problems

    def variants(self) -> list[Variant]:
        """Return the variants this booklet has a source for (as loading found them)."""
        return [v for v in VARIANTS.values() if v.name in self.loaded.variant_names]

    def blocked(self, variant: Variant) -> list[Problem]:
        """Return the errors that stop ``variant`` being made (none: it can be made)."""
        errors = [p for p in self.problems if p.stops]
        if self.booklet is None:
            return errors
        return [p for p in errors if p.path.name == variant.source or p.rule in WHOLE_BOOKLET]


@dataclass(frozen=True)
class Project:
    """A content folder, loaded once."""

    content: Path
    publisher: Publisher
    targets: Targets
    entries: tuple[Entry, ...]

    @classmethod
    def load(
        cls, content_dir: Path, slugs: Sequence[str] = (), easy_read: bool = True, empty_ok: bool = False
    ) -> Project:
        """Load publisher.yml and the booklets (all, or those named); raise only for the folder itself.

        Raises ContentError when the folder or publisher.yml is unusable, ConfigError for an
        unknown slug, and ContentError for a folder with no booklet (unless ``empty_ok``).
        """
        known = content.discover(content_dir)
        publisher, targets = content.load_publisher(content_dir)
        if not known and not empty_ok:
            raise ContentError.one(
                content_dir.resolve(),
                "holds no booklet (no <slug>/booklet.md in it)",
                fix="make a folder for each booklet with its booklet.md in it, e.g. "
                f"{content_dir}/my-booklet/booklet.md; docs/writing.md shows its front matter",
            )
        if missing := [s for s in slugs if s not in known]:
            raise ConfigError(
                f"no booklet called {', '.join(missing)} in {content_dir.resolve()}; "
                f"booklets there: {', '.join(known) or 'none'}"
            )
        wanted = list(slugs or known)
        loaded = [content.load_booklet(content_dir, s, publisher, targets, easy_read) for s in wanted]
        others = {content_dir / s: content.peek_code(content_dir, s) for s in known if s not in wanted}
        entries = tuple(
            Entry(e, tuple(Entry(t) for t in translations.load(e, easy_read)))
            for e in _duplicate_codes(loaded, others)
        )
        return cls(content_dir, publisher, targets, _untranslated_messages(content_dir, publisher, entries))

    @classmethod
    def empty(cls, content_dir: Path) -> Project:
        """Return the project with no booklet loaded (every output is current): publisher.yml alone."""
        publisher, targets = content.load_publisher(content_dir)
        return cls(content_dir, publisher, targets, ())

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def every(self) -> Iterator[Entry]:
        """Yield every entry, each original followed by its translations."""
        for entry in self.entries:
            yield entry
            yield from entry.translations

    def only(self, slugs: Iterable[str]) -> Project:
        """Return the project with only the booklets named (each with its translations)."""
        keep = set(slugs)
        return dataclasses.replace(self, entries=tuple(e for e in self.entries if e.slug in keep))

    def entry(self, slug: str) -> Entry:
        """Return the entry of one booklet."""
        return next(e for e in self.entries if e.slug == slug)


def _untranslated_messages(
    content_dir: Path, publisher: Publisher, entries: tuple[Entry, ...]
) -> tuple[Entry, ...]:
    """Warn once for each language translated into of the messages publisher.yml words in English only.

    The warnings (TRN-MESSAGES, on publisher.yml's lines) go to the first translation in
    that language: they are the publisher's, told once, not once a booklet.
    """
    if not publisher.messages:
        return entries
    told: set[str] = set()
    out = []
    for entry in entries:
        kept = []
        for version in entry.translations:
            if version.lang in LANGUAGES and version.lang not in told:
                told.add(version.lang)
                more = translations.untranslated_messages(content_dir, publisher, version.lang, version.slug)
                problems = (*version.loaded.problems, *more)
                version = dataclasses.replace(
                    version, loaded=dataclasses.replace(version.loaded, problems=problems)
                )
            kept.append(version)
        out.append(dataclasses.replace(entry, translations=tuple(kept)))
    return tuple(out)


def _duplicate_codes(loaded: list[Loaded], peeked: dict[Path, str | None]) -> list[Loaded]:
    """Add a problem to every loaded booklet whose order code another booklet uses too, naming the others.

    ``peeked`` gives the codes of the booklets not loaded (read from their front matter alone).
    """
    by_code: dict[str, list[Path]] = {}
    for item in loaded:
        if item.booklet is not None:
            by_code.setdefault(item.booklet.meta.code, []).append(item.folder)
    for folder, code in peeked.items():
        if code:
            by_code.setdefault(code, []).append(folder)
    out = []
    for item in loaded:
        same = by_code.get(item.booklet.meta.code, []) if item.booklet else []
        others = [folder for folder in same if folder != item.folder]
        if others and item.booklet is not None:
            source = item.booklet.source
            problem = Problem(
                source.path,
                f"order code '{item.booklet.meta.code}' is also used by {', '.join(map(str, others))}",
                source.front_line("code"),
                "give every booklet its own code (a copied folder keeps the code of its original)",
                DUPLICATE_CODE,
                booklet=item.slug,
            )
            item = dataclasses.replace(item, problems=(*item.problems, problem))
        out.append(item)
    return out


def load_booklet(content_dir: Path, slug: str) -> Booklet:
    """Load one booklet whole, for a caller that needs every variant: raise ContentError with its errors."""
    entry = Project.load(content_dir, [slug]).entry(slug)
    errors = [p for p in entry.problems if p.stops]
    if entry.booklet is None or errors:
        raise ContentError(errors or entry.problems)
    return entry.booklet
