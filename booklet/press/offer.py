"""What can be ordered from a content folder: each order code's variants, title, booklet and limit.

Read by ``booklet order`` (an order file's rows are checked against it), the blank order
form and the order shop (which reads it live: :class:`LiveOffer`). An English booklet is
ordered by its own code (``SLC-01``); each
translation that can be made by the English code and its language tag (``SLC-01-cy``,
:func:`orders.language_code`), with the English code's order limit and review status.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import languages
from ..errors import BookletError
from ..log import LOGGER
from ..model import Booklet, OrderLimits, Publisher
from ..source.project import DUPLICATE_CODE, Entry, Project
from . import orders


@dataclass(frozen=True)
class Offer:
    """What can be ordered from a content folder, and how many copies of each at most.

    A translation is ordered by its own code, the English code and the language tag
    (``SLC-01-cy``, :func:`orders.language_code`); the English codes do not change.
    """

    codes: dict[str, list[str]]  # order code -> the variants that can be made
    titles: dict[str, str]  # order code -> title (a translation's: 'Title - Welsh (Cymraeg)')
    booklets: dict[str, Booklet]  # order code -> booklet (a translation's has its ``lang``)
    limits: OrderLimits
    publisher: Publisher
    drafts: dict[str, str] = field(default_factory=dict)  # code -> status of a booklet not approved


def available(project: Project, allow_drafts: bool = False) -> Offer:
    """Return what can be ordered: each code's variants, title and booklet, and the order limits.

    A booklet with a duplicate code, or unusable front matter, cannot be ordered; nor can a
    booklet that is not approved, unless ``allow_drafts`` (proof copies for its reviewers).
    Each translation that can be made is on offer under its language code, with the
    English code's order limit and review status.
    """
    offer = Offer({}, {}, {}, project.publisher.order_limits, project.publisher)
    originals = [
        (entry, entry.booklet)
        for entry in project
        if entry.booklet is not None and not any(p.rule == DUPLICATE_CODE for p in entry.problems)
    ]
    for entry, english in originals:  # every English code first: a translation never takes one
        _offer(offer, entry, english.meta.code, english.meta.title, allow_drafts)
    taken = {b.meta.code.casefold() for _, b in originals}  # orders match codes whatever their case
    inherited: list[tuple[str, int]] = []
    for entry, english in originals:
        for translation in entry.translations:
            code = orders.language_code(english.meta.code, translation.lang)
            if code.casefold() in taken:
                LOGGER.warning("%s: cannot be ordered as %s: another booklet has that code", entry.slug, code)
                continue
            title = f"{english.meta.title} - {languages.display_name(translation.lang)}"
            if _offer(offer, translation, code, title, allow_drafts):
                inherited.append((code, offer.limits.of(english.meta.code)))
    limits = offer.limits
    return dataclasses.replace(
        offer, limits=dataclasses.replace(limits, per_code=(*limits.per_code, *inherited))
    )


def _offer(offer: Offer, entry: Entry, code: str, title: str, allow_drafts: bool) -> bool:
    """Put one booklet (an original or a translation) on offer under ``code``; return whether it is."""
    b = entry.booklet
    names = [v.name for v in entry.variants() if not entry.blocked(v)]
    if b is None or not names:
        return False
    if b.meta.draft and not allow_drafts:
        offer.drafts[code] = b.meta.status
        return False
    offer.codes[code], offer.titles[code], offer.booklets[code] = names, title, b
    return True


class LiveOffer:
    """What can be ordered now: the content folder read again when its files change.

    The order shop asks for ``current()`` on each request. At most every ``CHECK_SECONDS``
    one request looks at the folder's files (names, sizes, modification times: no file is
    read); when they changed, it reads the content again, while other requests go on with
    the offer they had. So a booklet taken back to in-review stops being offered within
    ``CHECK_SECONDS`` plus the time the content takes to read. Each new offer is handed
    to the ``on_change`` hooks (the shop looks at its waiting orders again: ``holds``).
    """

    CHECK_SECONDS = 20.0

    def __init__(self, content_dir: Path, check_seconds: float | None = None) -> None:
        self.content_dir = content_dir
        self.on_change: list[Callable[[Offer], None]] = []  # called with each new offer, in order
        self.check_seconds = self.CHECK_SECONDS if check_seconds is None else check_seconds
        self._lock = threading.Lock()
        self._stamp = _stamp(content_dir)
        self._project = Project.load(content_dir)
        self._offer = available(self._project)
        self._checked = time.monotonic()

    @property
    def project(self) -> Project:
        """Return the content as last read (a print run is made from it)."""
        self.current()
        return self._project

    def current(self) -> Offer:
        """Return what can be ordered, reading the content again when it changed."""
        if time.monotonic() - self._checked < self.check_seconds or not self._lock.acquire(blocking=False):
            return self._offer
        try:
            self._checked = time.monotonic()
            stamp = _stamp(self.content_dir)
            if stamp != self._stamp:
                try:
                    project = Project.load(self.content_dir)
                    offer = available(project)
                except BookletError as exc:  # a file half saved: keep offering what was there
                    LOGGER.warning("The content cannot be read again, so the offer is unchanged: %s", exc)
                else:
                    self._project, self._offer, self._stamp = project, offer, stamp
                    LOGGER.info("The content changed: %d booklet(s) on offer", len(offer.codes))
                    for hook in self.on_change:  # the shop's waiting orders are looked at again
                        hook(offer)
        finally:
            self._lock.release()
        return self._offer


def _stamp(folder: Path) -> int:
    """Return a number that changes when any file under ``folder`` is added, removed or changed."""
    seen = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            try:
                info = os.stat(os.path.join(root, name))
            except OSError:
                continue
            seen.append((root, name, info.st_size, info.st_mtime_ns))
    return hash(tuple(seen))
