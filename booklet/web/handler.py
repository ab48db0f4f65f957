"""The HTTP side of ``booklet serve``: which requests are answered, and with what.

Only what the catalogue publishes is served: the files on its allow-list
(booklet/web/published.py), never a dotfile, the build cache, the lock, print files, print
runs or an order shop's data, and never a folder's listing. A request whose ``Host`` is not
this computer's (``localhost``, ``127.0.0.1``, ``[::1]``) or the name given with ``--host`` is
refused with 403, as the Vite and webpack dev servers do: a web page elsewhere could
otherwise read the preview through a name it points at 127.0.0.1 (DNS rebinding). Anything
else outside the list (``..``, escaped or not, a link pointing out, ``%00``, an escape that is
not UTF-8, a path over 4 kB) is answered 400 or 404.
"""

from __future__ import annotations

import http.server
import mimetypes
import re
import socket
import sys
import urllib.parse
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol, cast

from ..errors import Problem
from ..log import LOGGER
from . import preview as shown
from .published import Published

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # characters no file name of out/ has: NUL, line feed...
MAX_TARGET = 4096  # characters of a request's path and query; a longer one is refused (400)
LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]"})
_HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[^\[\]:/@\s]+)(?::([0-9]{1,5}))?$")
KINDS = {".brf": "application/x-brf", ".pef": "application/x-pef+xml", ".epub": "application/epub+zip"}


class RequestError(Exception):
    """A request for something that is not a published file: answered with its status, never served."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def host_name(host: str) -> str:
    """Return a host as a ``Host`` header names it: lower case, an IPv6 address in brackets."""
    host = host.strip().lower().rstrip(".")
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_hosts(bound: str) -> frozenset[str]:
    """Return the names a request's ``Host`` may give: this computer's, and the one served on."""
    extra = {host_name(bound)} if bound and bound not in ("0.0.0.0", "::") else set()
    return LOOPBACK | extra


def host_allowed(header: str | None, hosts: frozenset[str]) -> bool:
    """Tell whether a request's ``Host`` header names one of ``hosts`` (with any port, or none)."""
    found = _HOST.match(header.strip()) if header else None
    return found is not None and host_name(found[1]) in hosts


def served_path(target: str, root: Path) -> Path:
    """Return the file or folder under ``root`` that a request's target (``/a/b.html?q``) names.

    Raise RequestError with 400 for a target that no browser sends (too long, not starting with
    ``/``, not ASCII, an escape that is not UTF-8, a control character such as ``%00``) and
    404 for one that leads out of ``root`` (``..``, escaped or not, or a link pointing out).
    """
    if len(target) > MAX_TARGET:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"Request path longer than {MAX_TARGET} characters")
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or not path.isascii() or not path.isprintable():
        raise RequestError(HTTPStatus.BAD_REQUEST, "Bad request path")
    try:
        words = urllib.parse.unquote(path, errors="strict").split("/")
    except UnicodeDecodeError:
        raise RequestError(HTTPStatus.BAD_REQUEST, "Request path is not UTF-8") from None
    if any(CONTROL.search(w) for w in words):
        raise RequestError(HTTPStatus.BAD_REQUEST, "Control character in the request path")
    if ".." in words:
        raise RequestError(HTTPStatus.NOT_FOUND, "File not found")
    found = root.joinpath(*(w for w in words if w not in ("", ".")))
    try:
        inside = found.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a name too long, a loop of links
        inside = False
    if not inside:
        raise RequestError(HTTPStatus.NOT_FOUND, "File not found")
    return found


class Preview(Protocol):
    """What the handler asks of the preview (booklet/web/serve.py's Preview)."""

    content_dir: Path
    generation: int

    def problems_for(self, page: str) -> tuple[Problem, ...]:
        """Return the errors that stop a page under out/ (none: serve it)."""

    def pdf_bar(self, page: str) -> bytes:
        """Return the bar a page shows about its PDF."""


class HTTPServer(http.server.ThreadingHTTPServer):
    """The preview's server: what it serves from, the names it answers to, the preview it shows."""

    daemon_threads = True
    preview: Preview
    hosts: frozenset[str]
    published: Published

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        """Log a request that failed in one line (its traceback with --verbose), not on stderr."""
        LOGGER.debug("serve: a request from %s failed", client_address, exc_info=True)
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):  # a browser that went away is no error of ours
            LOGGER.error("serve: a request from %s failed: %r", client_address, error)


class HTTPServer6(HTTPServer):
    """The preview's server on an IPv6 address (``--host ::1``)."""

    address_family = socket.AF_INET6


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves the published files of out/ without caching; pages get the preview's additions."""

    server_version = "booklet-serve"

    def do_GET(self) -> None:
        """Answer a GET: the reload script's question, a page, its problems, or a published file."""
        self._answer(body=True)

    def do_HEAD(self) -> None:
        """Answer a HEAD as a GET, without the body."""
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        server = cast(HTTPServer, self.server)
        if not host_allowed(self.headers.get("Host"), server.hosts):
            self._refuse(HTTPStatus.FORBIDDEN, "Blocked request: this host is not allowed", body)
            return
        if self.path.split("?", 1)[0] == shown.GENERATION_PATH:
            self._send(str(server.preview.generation).encode(), "text/plain; charset=utf-8", body)
            return
        try:
            self._serve(server, body)
        except RequestError as refused:
            self._refuse(refused.status, refused.reason, body)

    def _serve(self, server: HTTPServer, body: bool) -> None:
        root = server.published.out
        asked = self.path.split("?", 1)[0].split("#", 1)[0]
        rel = served_path(self.path, root).relative_to(root).as_posix()
        rel = "" if rel == "." else rel
        names = server.published.names()
        if not rel or asked.endswith("/"):
            rel = f"{rel}/index.html".lstrip("/")
        elif f"{rel}/index.html" in names:  # a folder without its final /
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", asked + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        generation = server.preview.generation  # before the page is read: a rebuild after it reloads it
        problems = server.preview.problems_for(rel) if rel.endswith(".html") else ()
        if problems:
            page = shown.problems_page(rel, problems, server.preview.content_dir, generation)
            self._send(page, "text/html; charset=utf-8", body)
            return
        if rel not in names:
            raise RequestError(HTTPStatus.NOT_FOUND, "File not found")
        try:
            data = (root / rel).read_bytes()
        except OSError:  # removed, or unreadable, since the list was written
            raise RequestError(HTTPStatus.NOT_FOUND, "File not found") from None
        suffix = Path(rel).suffix
        if suffix == ".html":
            data = shown.inject_reload(shown.inject_bar(data, server.preview.pdf_bar(rel)), generation)
        kind = KINDS.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"
        self._send(data, f"{kind}; charset=utf-8" if kind.startswith("text/") else kind, body)

    def _refuse(self, status: HTTPStatus, reason: str, body: bool) -> None:
        data = f"{status.value} {status.phrase}: {reason}\n".encode()
        self._send(data, "text/plain; charset=utf-8", body, status)

    def _send(self, data: bytes, kind: str, body: bool, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def end_headers(self) -> None:
        """Tell the browser never to cache: every request shows the latest build."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Log requests at debug level (shown with --verbose), not on stderr."""
        LOGGER.debug("serve: %s", format % args)
