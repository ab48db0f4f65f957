"""A WeasyPrint URL fetcher that reads only files under the allowed folders.

Rendering may read the booklet's own folder, ``styles/`` and ``fonts/``; every
other address (other files, ``..`` escapes, symlinks pointing out, ``http(s)``,
large ``data:`` URLs) stops the render with an error naming the reference.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..source.rules import MAX_PICTURE_BYTES

DATA_URL_LIMIT = 64 * 1024
FILE_SIZE_LIMIT = MAX_PICTURE_BYTES  # the loader refuses larger pictures first, with their line


class RefusedFetchError(FatalURLFetchingError):  # type: ignore[misc]
    """WeasyPrint asked for something outside the allowed folders (stops the render)."""


class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
    """Fetch ``file:`` URLs under ``roots`` and small ``data:`` URLs; refuse everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the file or data a URL names, or stop the render if it is not allowed."""
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            if len(url) > DATA_URL_LIMIT:
                raise RefusedFetchError(f"a data: URL of {len(url)} bytes is larger than {DATA_URL_LIMIT}")
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedFetchError(
                f"'{url}' is not a file of the booklet (no network access while rendering)"
            )
        parts = urlsplit(url)
        path = Path(url2pathname(unquote(parts.path)))
        target = path.resolve()
        if not any(target.is_relative_to(root) for root in self.roots):
            raise RefusedFetchError(f"'{path}' is outside the booklet's folder, styles/ and fonts/")
        if not target.is_file():
            raise RefusedFetchError(f"'{path}' does not exist")
        if target.stat().st_size > FILE_SIZE_LIMIT:
            raise RefusedFetchError(f"'{path}' is larger than {FILE_SIZE_LIMIT // 2**20} MB")
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return URLFetcherResponse(target.as_uri(), target.read_bytes(), {"Content-Type": mime})
