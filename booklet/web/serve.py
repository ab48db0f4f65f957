"""``booklet serve``: serve out/ on this computer, rebuilding a booklet whenever its content is saved.

A watcher thread compares the modification times of the content folder's files twice a
second. The standard library is enough: a content folder holds tens of files, so a look
costs well under a millisecond, and polling works the same on every system and on network
drives, where file-system events (the ``watchfiles`` package) can be missed.

When a booklet's files change, the content folder is loaded once; from that one load its
web HTML is rendered at once (tens of milliseconds) and the catalogue rewritten; its PDFs are
then rebuilt by one background thread (WeasyPrint takes a second or two a variant), and the
catalogue again, with the new sizes and page counts. A change to publisher.yml rebuilds
every booklet. A problem in the content is logged, with its file and line, and the server
keeps going. HTML pages are served with a small script that reloads them after each
rebuild, so the page in the browser follows the text as it is written; the files in out/
are exactly what ``booklet build`` writes. Nothing outside out/ is served: a request for
anything else (``..``, escaped or not, a link pointing out, ``%00``, an escape that is not
UTF-8, a path over 4 kB) is answered 400 or 404.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import socket
import stat
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, ParamSpec, cast

from .. import build, output
from ..errors import BookletError, ConfigError
from ..log import LOGGER
from ..model import Booklet
from ..render.pdf import Renderer
from ..source.project import Project
from ..variants import Variant
from . import catalogue

POLL = 0.5  # seconds between looks at the content folder
ALL = "*"  # stands for every booklet, when a shared file such as publisher.yml changes
GENERATION_PATH = "/__booklet__/generation"
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # characters no file name of out/ has: NUL, line feed...
MAX_TARGET = 4096  # characters of a request's path and query; a longer one is refused (400)
RELOAD_SCRIPT = f"""<script>/* booklet serve: reload this page after each rebuild */
(function () {{
  var seen = null;
  setInterval(function () {{
    fetch("{GENERATION_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (g) {{
        if (seen === null) {{ seen = g; }} else if (g !== seen) {{ location.reload(); }}
      }})
      .catch(function () {{}});
  }}, 1000);
}}());
</script>
""".encode()

P = ParamSpec("P")
Snapshot = dict[Path, tuple[int, int]]  # file -> (modification time in ns, size)


def snapshot(content_dir: Path) -> Snapshot:
    """Return the modification time and size of every file of the content folder.

    Hidden files and editors' backups (``.booklet.md.swp``, ``booklet.md~``) are left out.
    """
    found: Snapshot = {}
    for path in content_dir.rglob("*"):
        if path.name.startswith(".") or path.name.endswith("~"):
            continue
        try:
            info = path.stat()
        except OSError:
            continue  # removed while we looked
        if stat.S_ISREG(info.st_mode):
            found[path] = (info.st_mtime_ns, info.st_size)
    return found


def changed(before: Snapshot, after: Snapshot, content_dir: Path) -> set[str]:
    """Return the slugs whose files were added, changed or removed (ALL for a shared file)."""
    slugs = set()
    for path in before.keys() | after.keys():
        if before.get(path) != after.get(path):
            parts = path.relative_to(content_dir).parts
            slugs.add(parts[0] if len(parts) > 1 else ALL)
    return slugs


def _retry(write: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> None:
    """Write again once if a build starting in the other thread removed our temporary file.

    A build first removes temporary files left by a killed build (``output.clean_temporary``),
    which can catch one being written here at that moment.
    """
    try:
        write(*args, **kwargs)
    except FileNotFoundError:
        write(*args, **kwargs)


def inject_reload(html: bytes) -> bytes:
    """Add the reload script to an HTML page, before its closing body tag."""
    at = html.rfind(b"</body>")
    return html + RELOAD_SCRIPT if at < 0 else html[:at] + RELOAD_SCRIPT + html[at:]


class _WebOnly(Renderer):
    """A renderer that makes no PDF: the fast path needs only the web HTML."""

    def pdf(
        self, html: str, folder: Path, stylesheets: tuple[str, ...], source: Path, extra_css: str = ""
    ) -> bytes:
        return b""


def web_files(booklet: Booklet, variant: Variant, out: Path) -> dict[Path, bytes]:
    """Render one variant's web HTML exactly as a build writes it, without its PDF (with its pictograms)."""
    files = build.render(booklet, variant, out, _WebOnly(), ("html",))
    html = {path: data for path, data in files.items() if path.suffix == ".html"}
    return {**html, **build.pictograms_used(out, html.items())}  # a pictogram just added shows at once


class Preview:
    """Keeps out/ in step with the content: web HTML at once, PDFs in the background."""

    def __init__(self, content_dir: Path, out: Path) -> None:
        self.content_dir = content_dir
        self.out = out
        self.generation = 0  # goes up after each write; served pages reload when it changes
        self._publishing = threading.Lock()
        self._queue = threading.Condition()
        self._pending: set[str] = set()
        self._project: Project | None = None  # the content as last loaded (one load per save)
        self._uncached: set[str] = set()  # booklets saved again while their PDFs were being built

    def refresh(self, wanted: Iterable[str]) -> list[str]:
        """Load the content, then write the web HTML of the booklets named (ALL: every one); return those."""
        started = time.perf_counter()
        try:
            project = Project.load(self.content_dir)
        except BookletError as exc:
            LOGGER.error("Nothing rebuilt:\n%s", exc)
            return []
        with self._queue:
            self._project = project  # the PDF builds and the catalogue read this load
        names = set(wanted)
        todo = build.plan(project.only(e.slug for e in project if ALL in names or e.slug in names))
        files: dict[str, dict[Path, bytes]] = {}
        for booklet, variant in todo.jobs:
            try:
                done = files.setdefault(booklet.slug, build.assets(booklet, self.out))
                done.update(web_files(booklet, variant, self.out))
            except BookletError as exc:
                LOGGER.error("%s (%s) not rebuilt: %s", booklet.slug, variant.stem, exc)
        for problem in todo.problems:
            log = LOGGER.error if problem.stops else LOGGER.warning
            log("%s", problem)
        _retry(output.write_all, {path: data for done in files.values() for path, data in done.items()})
        if files:
            LOGGER.info("Web pages of %s rebuilt in %.2f s", ", ".join(files), time.perf_counter() - started)
        self.publish(project)
        return sorted(files)

    def publish(self, project: Project) -> None:
        """Rewrite the catalogue from what is in out/, then tell the served pages to reload."""
        with self._publishing:
            try:
                _retry(catalogue.write_catalogue, project, self.out, report=False)
            except catalogue.LeftOutError as exc:  # written; refresh() logged the problems as they loaded
                LOGGER.debug("%s", exc)
            except BookletError as exc:
                LOGGER.error("The catalogue was not rewritten:\n%s", exc)
            self.generation += 1

    def queue(self, slugs: Iterable[str]) -> None:
        """Ask the background thread to rebuild these booklets' PDFs."""
        with self._queue:
            self._pending.update(slugs)
            self._queue.notify_all()

    def build_pdfs(self, stop: threading.Event) -> None:
        """Build queued booklets, one build at a time, until ``stop`` is set (a thread's loop)."""
        while not stop.is_set():
            with self._queue:
                if not self._pending:
                    self._queue.wait(POLL)
                    continue
                slugs, self._pending = sorted(self._pending), set()
            self._build(slugs)

    def _build(self, slugs: list[str]) -> None:
        """Build the PDFs of these booklets from the last load of the content (not loading it again).

        The build records each output under the key of the files as they are when it starts;
        a booklet saved again after that load is built once more without the cache, so that
        an output made from the older load is never taken for current.
        """
        started = time.perf_counter()
        with self._queue:
            project = self._project
            uncached, self._uncached = self._uncached & set(slugs), self._uncached - set(slugs)
        if project is None:
            return
        mine = project.only(slugs)
        slugs = [e.slug for e in mine]
        try:
            if slugs:  # workers=1: no fork() beside our threads
                build.build(
                    self.content_dir, self.out, slugs, workers=1, project=mine, use_cache=not uncached
                )
            LOGGER.info("PDFs of %s rebuilt in %.1f s", ", ".join(slugs), time.perf_counter() - started)
        except BookletError as exc:
            LOGGER.error("PDFs not rebuilt:\n%s", exc)
        except Exception:
            LOGGER.exception("PDFs of %s not rebuilt: unexpected error", ", ".join(slugs))
        with self._queue:
            if self._project is not project:  # saved meanwhile: the queued build must not trust the cache
                self._uncached.update(slugs)
        self.publish(project)

    def wake(self) -> None:
        """Wake the background thread (so that it sees it must stop)."""
        with self._queue:
            self._queue.notify_all()


class RequestError(Exception):
    """A request for something that is not a file of out/: answered with its status, never served."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


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


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    preview: Preview

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        """Log a request that failed in one line (its traceback with --verbose), not on stderr."""
        LOGGER.debug(
            "serve: a request from %s failed",
            client_address,
            exc_info=True,
        )
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):  # a browser that went away is no error of ours
            LOGGER.error("serve: a request from %s failed: %r", client_address, error)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves out/ without caching; HTML pages get the reload script; nothing outside out/."""

    def do_GET(self) -> None:
        """Answer the reload script's question, serve HTML with the script, or any other file."""
        preview = cast(_HTTPServer, self.server).preview
        if self.path.split("?")[0] == GENERATION_PATH:
            self._send(str(preview.generation).encode(), "text/plain; charset=utf-8")
            return
        try:
            path = served_path(self.path, Path(self.directory))
            if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
                path = path / "index.html"
            page = path.read_bytes() if path.suffix == ".html" and os.path.isfile(path) else None
        except RequestError as refused:
            self.send_error(refused.status, refused.reason)
            return
        except OSError:  # removed, or unreadable, since we looked
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return
        if page is None:
            super().do_GET()
        else:
            self._send(inject_reload(page), "text/html; charset=utf-8")

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        """Send the headers of a file of out/ (for GET and HEAD), or answer 400 or 404."""
        try:
            return super().send_head()
        except RequestError as refused:
            self.send_error(refused.status, refused.reason)
            return None

    def translate_path(self, path: str) -> str:
        """Return the file of out/ a request names (raise RequestError for any other), keeping a final /."""
        found = str(served_path(path, Path(self.directory)))
        return found + "/" if path.split("?", 1)[0].split("#", 1)[0].endswith("/") else found

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        """Tell the browser never to cache: every request shows the latest build."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Log requests at debug level (shown with --verbose), not on stderr."""
        LOGGER.debug("serve: %s", format % args)


class Server:
    """The preview: HTTP on a loopback port, a content watcher, and a PDF builder thread."""

    def __init__(self, content_dir: Path, out: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
        if not content_dir.is_dir():
            raise ConfigError(f"{content_dir} is not a folder; give --content the folder with publisher.yml")
        out.mkdir(parents=True, exist_ok=True)
        self.preview = Preview(content_dir, out)
        try:
            self._httpd = _HTTPServer((host, port), functools.partial(_Handler, directory=str(out)))
        except OSError as exc:
            raise ConfigError(
                f"cannot serve on {host}:{port} ({exc.strerror}); give --port another number, "
                "or 0 for any free port"
            ) from None
        self._httpd.preview = self.preview
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """Return the address of the served catalogue."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> Server:
        """Write the web pages, then start serving, watching and building PDFs in threads."""
        before = snapshot(self.preview.content_dir)
        self.preview.queue(self.preview.refresh([ALL]))  # the build skips PDFs that are up to date
        for name, target in (
            ("http", self._httpd.serve_forever),
            ("watch", lambda: self._watch(before)),
            ("pdfs", lambda: self.preview.build_pdfs(self._stop)),
        ):
            thread = threading.Thread(target=target, name=f"booklet-serve-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        LOGGER.info("Serving %s at %s (press Ctrl+C to stop)", self.preview.out, self.url)
        return self

    def _watch(self, before: Snapshot) -> None:
        """Look at the content folder every POLL seconds; rebuild what changed."""
        while not self._stop.wait(POLL):
            try:
                after = snapshot(self.preview.content_dir)
                if after != before:
                    slugs = changed(before, after, self.preview.content_dir)
                    before = after
                    self.preview.queue(self.preview.refresh(slugs))
            except Exception:
                LOGGER.exception("Could not rebuild after a change")

    def wait(self) -> None:
        """Wait until stopped (by Ctrl+C in the caller)."""
        while not self._stop.wait(1.0):
            pass

    def stop(self, timeout: float = 60) -> None:
        """Stop serving and watching, waiting up to ``timeout`` s for a PDF build in progress."""
        self._stop.set()
        self.preview.wake()
        if self._threads:
            self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve(content_dir: Path, out: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``out`` on ``host:port``, keeping it in step with ``content_dir``, until Ctrl+C."""
    server = Server(content_dir, out, host, port).start()
    try:
        server.wait()
    except KeyboardInterrupt:
        LOGGER.info("Stopping (waiting for a PDF build in progress to finish)")
    finally:
        server.stop()
