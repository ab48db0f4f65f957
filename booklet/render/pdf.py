"""HTML + styles/ + fonts/ -> tagged PDF/UA-1 bytes, rendered with WeasyPrint."""

from __future__ import annotations

import io
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..paths import FONTS, PICTOGRAMS, STYLES
from ..source.messages import Catalogue

# WeasyPrint 70 lays a <wbr> out as a box of its own (holding U+200B), and a line broken with
# overflow-wrap (the last resort for a long address) is split inside the text box it reached
# before an earlier <wbr> is tried: "...conditions/c" / "ancer/...". The same break
# opportunity as a character inside the text lets Pango take the last one that fits. Pango
# draws it as no glyph, so neither the tagged text nor a copy holds it (tests/test_pages.py).
WBR, ZERO_WIDTH_SPACE = "<wbr>", "\u200b"


class _Capture(logging.Handler):
    """Collect WeasyPrint's errors (a missing alt text, an unreadable image) during a render."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Renderer:
    """Renders many documents in one process, sharing fonts and the image cache."""

    styles: Path = STYLES
    fonts: Path = FONTS
    _font_config: object = None
    _css: dict[tuple[str, str | None], object] = field(default_factory=dict)
    _cache: dict[str, object] = field(default_factory=dict)
    _cache_folder: Path | None = None

    def close(self) -> None:
        """Let go of fonts and caches, and remove the folder WeasyPrint keeps fonts in.

        WeasyPrint removes that folder when its font configuration is garbage-collected,
        which never happens in a process that ends with os._exit (pool workers do).
        """
        if self._font_config is not None:
            shutil.rmtree(getattr(self._font_config, "_folder", None) or "", ignore_errors=True)
        self._font_config = None
        self._css.clear()
        self._cache.clear()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _stylesheet(self, name: str, text: str | None) -> object:
        """Parse a stylesheet of styles/ (or CSS text) once per process; they read only styles/ and fonts/."""
        import weasyprint

        from .fetcher import ConfinedFetcher

        key = (name, text)
        if key not in self._css:
            fetcher = ConfinedFetcher([self.styles, self.fonts])
            if text is None:
                self._css[key] = weasyprint.CSS(
                    filename=str(self.styles / name), url_fetcher=fetcher, font_config=self._font_config
                )
            else:
                self._css[key] = weasyprint.CSS(
                    string=text,
                    base_url=str(self.styles) + "/",
                    url_fetcher=fetcher,
                    font_config=self._font_config,
                )
        return self._css[key]

    def pdf(
        self, html: str, folder: Path, stylesheets: tuple[str, ...], source: Path, extra_css: str = ""
    ) -> bytes:
        """Render an HTML document whose relative URLs resolve in ``folder``; return PDF/UA-1 bytes.

        ``stylesheets`` are files in styles/; ``extra_css`` is applied after them.
        """
        return self.write(self.layout(html, folder, stylesheets, source, extra_css), source)

    def layout(
        self,
        html: str,
        folder: Path,
        stylesheets: tuple[str, ...],
        source: Path,
        extra_css: str = "",
        pdf_variant: str = "pdf/ua-1",
    ) -> Any:
        """Lay out an HTML document into pages (a WeasyPrint Document) without writing it."""
        import weasyprint  # deferred: importing WeasyPrint takes about half a second
        from weasyprint.text.fonts import FontConfiguration

        from . import weasyfix
        from .fetcher import ConfinedFetcher

        if folder != self._cache_folder:  # WeasyPrint's image cache grows ~7 MB a booklet: keep one booklet's
            self._cache.clear()
            self._cache_folder = folder
        fetcher = ConfinedFetcher([folder, self.styles, self.fonts, PICTOGRAMS])
        if self._font_config is None:
            self._font_config = FontConfiguration()
        with weasyfix.mended(), self._guard(source):  # mended() first: its refusal is not re-wrapped
            css = [self._stylesheet(name, None) for name in stylesheets]
            if extra_css:
                css.append(self._stylesheet("extra", extra_css))
            html = html.replace(WBR, ZERO_WIDTH_SPACE)
            document = weasyprint.HTML(string=html, base_url=str(folder) + "/", url_fetcher=fetcher)
            return document.render(
                stylesheets=css,
                font_config=self._font_config,
                cache=self._cache,
                **self._options(pdf_variant),
            )

    def write(
        self,
        document: Any,
        source: Path,
        pdf_variant: str = "pdf/ua-1",
        identifier: bytes = b"",
        words: Catalogue | None = None,
    ) -> bytes:
        """Write a laid-out document as PDF bytes (``identifier``: a fixed PDF /ID, for print files).

        ``words``: the document's language's words with the publisher's over them
        (``messages.of``), for what a screen reader hears of a link ("Contents, page 3");
        None: the package's words of the document's language.
        """
        from . import weasyfix

        out = io.BytesIO()
        options = self._options(pdf_variant)
        if identifier:
            options["pdf_identifier"] = identifier
        with weasyfix.mended(words), self._guard(source):
            document.write_pdf(out, finisher=weasyfix.finish, **options)
        return out.getvalue()

    @staticmethod
    def _options(pdf_variant: str) -> dict[str, Any]:
        return {"pdf_variant": pdf_variant, "uncompressed_pdf": False}

    @contextmanager
    def _guard(self, source: Path) -> Iterator[None]:
        """Turn WeasyPrint's failures, refused fetches and logged errors into a RenderError."""
        from .fetcher import RefusedFetchError

        capture = _Capture()
        wlog = logging.getLogger("weasyprint")
        wlog.addHandler(capture)
        try:
            yield
        except RefusedFetchError as exc:
            raise RenderError(f"rendering refused to read {exc}", source) from None
        except Exception as exc:  # WeasyPrint's own failures: report them, with the file
            raise RenderError(f"WeasyPrint could not render it ({exc!r})", source) from exc
        finally:
            wlog.removeHandler(capture)
        if capture.messages:
            raise RenderError("WeasyPrint reported: " + "; ".join(capture.messages), source)
