"""Mends for WeasyPrint 70.0's tagged PDFs, in force only inside ``with mended():``.

- #1836: running heads and page numbers (``@page`` margin boxes) are tagged as
  content; PDF/UA wants them as artifacts (outloud PAG-001). Margin boxes are
  drawn inside one ``/Artifact`` marked-content sequence, the text in them is not
  given MCIDs, and the structure tree skips them.
- Outside list markers are laid out as absolutely positioned boxes and so painted after
  all the text of the page (outloud ORD-001: content painted out of structure order).
  After layout they are painted in flow instead, just before their item's text.
- A line whose words fit but whose trailing space does not is taken as a line that
  cannot be split, and only its first word is kept (a word alone on a line, followed by
  the rest: "ideas that / may / help. It is not..." when a bold word follows). Found by
  the corpus in large print. ``split_first_line`` now measures such a line without its
  trailing space, as the caller already does when it checks for overflow.
- Link annotations lack the Print flag (outloud LNK-004): :func:`finish`, passed to
  ``write_pdf`` as its ``finisher``, sets ``/F 4``.

The first three reach into private WeasyPrint functions. :func:`mended` puts its versions
in place when the first render enters it and puts WeasyPrint's own back when the last one
leaves; while they are in place they act only for code running inside ``mended()`` (a
context variable says so), so another thread rendering with WeasyPrint at the same time
gets WeasyPrint's own behaviour. They are pinned to the version they were written for:
any other version is refused with :class:`UnsupportedWeasyPrintError`. ``tests/test_weasyfix.py``
checks each mend on a tiny document; ``tests/test_pdf.py`` checks the result with the
validators.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any

import pydyf

from .errors import RenderError

PINNED = "70.0"
DOCUMENT_ID_RE = re.compile(rb"xmp\.did:[0-9a-f-]{36}")

_ACTIVE: ContextVar[bool] = ContextVar("weasyfix_active", default=False)  # inside mended()
_IN_ARTIFACT: ContextVar[bool] = ContextVar("weasyfix_in_artifact", default=False)  # in a margin box
_lock = threading.Lock()
_users = 0  # renders inside mended(), in every thread
_saved: list[tuple[Any, str, Any]] = []  # (owner, attribute, WeasyPrint's own value) while installed


class UnsupportedWeasyPrintError(RenderError):
    """The installed WeasyPrint is not the version the mends were written for."""


def check_version() -> None:
    """Refuse any WeasyPrint but the one the mends were written for, saying how to install it."""
    import weasyprint  # deferred: importing WeasyPrint takes about half a second

    installed = getattr(weasyprint, "__version__", "unknown")
    if installed != PINNED:
        raise UnsupportedWeasyPrintError(
            f"WeasyPrint {installed} is installed, but booklet needs WeasyPrint {PINNED}: "
            f"its tagged-PDF mends (booklet/weasyfix.py) were written for {PINNED} only. "
            f"Install it with: pip install weasyprint=={PINNED}"
        )


@contextmanager
def mended() -> Iterator[None]:
    """Render with the mends in force; outside this block WeasyPrint behaves as its own."""
    global _users
    check_version()
    with _lock:
        if _users == 0:
            try:
                _install()
            except BaseException:
                _restore()
                raise
        _users += 1
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
        with _lock:
            _users -= 1
            if _users == 0:
                _restore()


def _install() -> None:
    """Put the mended functions in place of WeasyPrint's (called under ``_lock``)."""
    from weasyprint import draw, stacking
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import stream as pdf_stream
    from weasyprint.pdf import tags as pdf_tags

    stream_cls: Any = pdf_stream.Stream
    original_marked = vars(stream_cls)["marked"]
    original_artifact = vars(stream_cls)["artifact"]
    original_draw = draw.draw_stacking_context
    original_tree = pdf_tags._build_box_tree
    original_dispatch = stacking._dispatch
    original_split = inline.split_first_line

    def marked(self: Any, box: Any, tag: str) -> AbstractContextManager[None]:
        if _ACTIVE.get() and _IN_ARTIFACT.get():
            return nullcontext()  # inside a margin box's /Artifact: no MCID
        return original_marked(self, box, tag)  # type: ignore[no-any-return]

    def artifact(self: Any) -> AbstractContextManager[None]:
        if _ACTIVE.get() and _IN_ARTIFACT.get():
            return nullcontext()  # already inside one: artifacts do not nest
        return original_artifact(self)  # type: ignore[no-any-return]

    def draw_stacking_context(stream: Any, stacking_context: Any) -> None:
        if not _ACTIVE.get() or _IN_ARTIFACT.get() or not isinstance(stacking_context.box, boxes.MarginBox):
            original_draw(stream, stacking_context)
            return
        with original_artifact(stream):
            token = _IN_ARTIFACT.set(True)
            try:
                original_draw(stream, stacking_context)
            finally:
                _IN_ARTIFACT.reset(token)

    def build_box_tree(box: Any, *args: Any) -> Any:
        if _ACTIVE.get() and isinstance(box, boxes.MarginBox):
            return iter(())  # its text is an artifact: no structure element, no MCID
        return original_tree(box, *args)

    def dispatch(box: Any, *args: Any) -> Any:
        inner = box._box if isinstance(box, AbsolutePlaceholder) else box
        style = inner.style
        if (
            _ACTIVE.get()
            and (inner.element_tag or "").endswith("::marker")
            and style["position"] != "static"
            and style["z_index"] == "auto"
        ):
            # Laid out already: paint a copy in flow, before the item's text. The laid-out
            # box itself is left as it is, so the document paints as before outside mended().
            inner = inner.copy()
            inner.style = style.copy()
            inner.style["position"] = "static"
            box = inner
        return original_dispatch(box, *args)

    def split_first_line(
        text: str, style: Any, context: Any, max_width: float | None, spacing: float, *args: Any, **kw: Any
    ) -> Any:
        result = original_split(text, style, context, max_width, spacing, *args, **kw)
        if (
            not _ACTIVE.get()
            or result[2] is None  # no break: the whole text fits
            or max_width is None
            or not text.endswith(" ")
            or style["white_space"] not in ("normal", "pre-line")
        ):
            return result
        words = original_split(text.rstrip(" "), style, context, max_width, spacing, *args, **kw)
        if words[2] is not None:
            return result  # the words themselves do not fit: WeasyPrint's break stands
        # The words fit; only the trailing space did not. Lay the text out whole: the caller
        # leaves the trailing space out when it checks for overflow.
        return original_split(text, style, context, float("inf"), spacing, *args, **kw)

    replacements: list[tuple[Any, str, Callable[..., Any]]] = [
        (stream_cls, "marked", marked),
        (stream_cls, "artifact", artifact),
        (draw, "draw_stacking_context", draw_stacking_context),
        (pdf_tags, "_build_box_tree", build_box_tree),
        (stacking, "_dispatch", dispatch),
        (inline, "split_first_line", split_first_line),
    ]
    for owner, name, replacement in replacements:
        _saved.append((owner, name, vars(owner)[name]))
        setattr(owner, name, replacement)


def _restore() -> None:
    """Put WeasyPrint's own functions back (called under ``_lock``)."""
    while _saved:
        owner, name, original = _saved.pop()
        setattr(owner, name, original)


def finish(document: Any, pdf: pydyf.PDF) -> None:
    """Finish a PDF before it is written: make every link annotation printable.

    Also replace the random XMP DocumentID that PDF/X variants write with one derived
    from the metadata itself, so that the same input gives the same bytes.
    """
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Subtype") == "/Link":
            obj["F"] = 4
        elif isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
            obj.stream = [_stable_document_id(part) for part in obj.stream]


def _stable_document_id(part: Any) -> Any:
    if not isinstance(part, bytes) or b"xmp.did:" not in part:
        return part
    digest = hashlib.sha256(DOCUMENT_ID_RE.sub(b"", part)).hexdigest()
    stable = f"xmp.did:{uuid.UUID(digest[:32])}".encode()
    return DOCUMENT_ID_RE.sub(stable, part)
