"""Mends to what WeasyPrint 70 paints as content: margin boxes, leaders and list markers.

- #1836: running heads and page numbers (``@page`` margin boxes) are tagged as content;
  PDF/UA wants them as artifacts (outloud PAG-001). Margin boxes are drawn inside one
  ``/Artifact`` marked-content sequence, the text in them is not given MCIDs (and
  :mod:`.tags` leaves them out of the structure tree).
- ``leader()`` dots are tagged as content, each dot its own marked-content item: they are
  painted as artifacts.
- Outside list markers are laid out as absolutely positioned boxes and so painted after all
  the text of the page (outloud ORD-001: content painted out of structure order). After
  layout they are painted in flow instead, just before their item's text.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from .state import ACTIVE, IN_ARTIFACT, Replacement


def replacements() -> list[Replacement]:
    """Return the mended painting functions, each with what it replaces."""
    from weasyprint import draw, stacking
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import stream as pdf_stream

    stream_cls: Any = pdf_stream.Stream
    original_marked = vars(stream_cls)["marked"]
    original_artifact = vars(stream_cls)["artifact"]
    original_draw = draw.draw_stacking_context
    original_inline = draw.draw_inline_level
    original_dispatch = stacking._dispatch

    @contextmanager
    def as_artifact(stream: Any) -> Any:
        with original_artifact(stream):
            token = IN_ARTIFACT.set(True)
            try:
                yield
            finally:
                IN_ARTIFACT.reset(token)

    def marked(self: Any, box: Any, tag: str) -> AbstractContextManager[None]:
        if ACTIVE.get() and IN_ARTIFACT.get():
            return nullcontext()  # inside a margin box's /Artifact: no MCID
        return original_marked(self, box, tag)  # type: ignore[no-any-return]

    def artifact(self: Any) -> AbstractContextManager[None]:
        if ACTIVE.get() and IN_ARTIFACT.get():
            return nullcontext()  # already inside one: artifacts do not nest
        return original_artifact(self)  # type: ignore[no-any-return]

    def draw_stacking_context(stream: Any, stacking_context: Any) -> None:
        if not ACTIVE.get() or IN_ARTIFACT.get() or not isinstance(stacking_context.box, boxes.MarginBox):
            original_draw(stream, stacking_context)
            return
        with as_artifact(stream):
            original_draw(stream, stacking_context)

    def draw_inline_level(stream: Any, page: Any, box: Any, *args: Any, **kw: Any) -> Any:
        if not ACTIVE.get() or IN_ARTIFACT.get() or not getattr(box, "is_leader", False):
            return original_inline(stream, page, box, *args, **kw)
        with as_artifact(stream):
            return original_inline(stream, page, box, *args, **kw)

    def dispatch(box: Any, *args: Any) -> Any:
        inner = box._box if isinstance(box, AbsolutePlaceholder) else box
        style = inner.style
        if (
            ACTIVE.get()
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

    mended: list[tuple[Any, str, Callable[..., Any]]] = [
        (stream_cls, "marked", marked),
        (stream_cls, "artifact", artifact),
        (draw, "draw_stacking_context", draw_stacking_context),
        (draw, "draw_inline_level", draw_inline_level),
        (stacking, "_dispatch", dispatch),
    ]
    return mended
