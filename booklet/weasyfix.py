"""Mends for WeasyPrint 70.0's tagged PDFs, applied once before the first render.

- #1836: running heads and page numbers (``@page`` margin boxes) are tagged as
  content; PDF/UA wants them as artifacts (outloud PAG-001). Margin boxes are
  drawn inside one ``/Artifact`` marked-content sequence, the text in them is not
  given MCIDs, and the structure tree skips them.
- Outside list markers are laid out as absolutely positioned boxes and so painted after
  all the text of the page (outloud ORD-001: content painted out of structure order).
  After layout they are painted in flow instead, just before their item's text.
- Link annotations lack the Print flag (outloud LNK-004): :func:`finish` sets ``/F 4``.

These reach into private WeasyPrint functions, so they are pinned to the version
they were written for; ``tests/test_pdf.py`` checks the result with the validators.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from typing import Any

import pydyf
import weasyprint
from weasyprint import draw, stacking
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import stream as pdf_stream
from weasyprint.pdf import tags as pdf_tags

from .errors import RenderError

PINNED = "70.0"
DOCUMENT_ID_RE = re.compile(rb"xmp\.did:[0-9a-f-]{36}")
_IN_ARTIFACT: ContextVar[int] = ContextVar("in_artifact", default=0)
_applied = False


def apply() -> None:
    """Install the mends (idempotent); refuse a WeasyPrint they were not written for."""
    global _applied
    if _applied:
        return
    if weasyprint.__version__ != PINNED:
        raise RenderError(
            f"booklet needs WeasyPrint {PINNED}, found {weasyprint.__version__}; "
            f"run: pip install 'weasyprint=={PINNED}'"
        )
    stream_cls: Any = pdf_stream.Stream
    original_marked = stream_cls.marked
    original_artifact = stream_cls.artifact
    original_draw = draw.draw_stacking_context
    original_tree = pdf_tags._build_box_tree

    def marked(self: Any, box: Any, tag: str) -> AbstractContextManager[None]:
        return nullcontext() if _IN_ARTIFACT.get() else original_marked(self, box, tag)

    def artifact(self: Any) -> AbstractContextManager[None]:
        return nullcontext() if _IN_ARTIFACT.get() else original_artifact(self)

    def draw_stacking_context(stream: Any, stacking_context: Any) -> None:
        if not isinstance(stacking_context.box, boxes.MarginBox) or _IN_ARTIFACT.get():
            original_draw(stream, stacking_context)
            return
        with original_artifact(stream):
            token = _IN_ARTIFACT.set(1)
            try:
                original_draw(stream, stacking_context)
            finally:
                _IN_ARTIFACT.reset(token)

    def build_box_tree(box: Any, *args: Any) -> Iterator[Any]:
        if isinstance(box, boxes.MarginBox):
            return iter(())
        return original_tree(box, *args)  # type: ignore[no-any-return]

    original_dispatch = stacking._dispatch

    def dispatch(box: Any, *args: Any) -> Any:
        inner = box._box if isinstance(box, AbsolutePlaceholder) else box
        style = inner.style
        if (
            (inner.element_tag or "").endswith("::marker")
            and style["position"] != "static"
            and style["z_index"] == "auto"
        ):
            style = inner.style = style.copy()
            style["position"] = "static"  # laid out already: now painted in flow, before the text
        return original_dispatch(box, *args)

    stacking._dispatch = dispatch
    stream_cls.marked = marked
    stream_cls.artifact = artifact
    draw.draw_stacking_context = draw_stacking_context
    pdf_tags._build_box_tree = build_box_tree
    _applied = True


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
