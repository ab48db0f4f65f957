"""``booklet serve``: serve out/ on this computer, rebuilding a booklet whenever its content is saved.

A watcher thread compares the modification times of the content folder's files twice a
second. The standard library is enough: a content folder holds tens of files, so a look
costs well under a millisecond, and polling works the same on every system and on network
drives, where file-system events (the ``watchfiles`` package) can be missed.

When a booklet's files change, its web HTML is rendered at once (tens of milliseconds) and
the catalogue rewritten; its PDFs are then rebuilt by one background thread (WeasyPrint
takes a second or two a variant), and the catalogue again, with the new sizes and page
counts. A change to publisher.yml rebuilds every booklet. A problem in the content is
logged, with its file and line, and the server keeps going. HTML pages are served with a
small script that reloads them after each rebuild, so the page in the browser follows the
text as it is written; the files in out/ are exactly what ``booklet build`` writes.
"""

from __future__ import annotations

import functools
import http.server
import stat
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import ParamSpec, cast

from . import build, catalogue, content, output
from .errors import BookletError, ConfigError
from .log import LOGGER
from .model import Booklet
from .project import Project
from .render_pdf import Renderer
from .variants import Variant

POLL = 0.5  # seconds between looks at the content folder
ALL = "*"  # stands for every booklet, when a shared file such as publisher.yml changes
GENERATION_PATH = "/__booklet__/generation"
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
    """Render one variant's web HTML exactly as a build writes it, without its PDF."""
    files = build.render(booklet, variant, out, _WebOnly())
    return {path: data for path, data in files.items() if path.suffix == ".html"}


class Preview:
    """Keeps out/ in step with the content: web HTML at once, PDFs in the background."""

    def __init__(self, content_dir: Path, out: Path) -> None:
        self.content_dir = content_dir
        self.out = out
        self.generation = 0  # goes up after each write; served pages reload when it changes
        self._publishing = threading.Lock()
        self._queue = threading.Condition()
        self._pending: set[str] = set()

    def refresh(self, wanted: Iterable[str]) -> list[str]:
        """Write the web HTML of the booklets named (ALL: every one); return those rendered."""
        started = time.perf_counter()
        try:
            known = content.discover(self.content_dir)
            names = set(wanted)
            project = Project.load(self.content_dir, [s for s in known if ALL in names or s in names])
        except BookletError as exc:
            LOGGER.error("Nothing rebuilt:\n%s", exc)
            return []
        todo = build.plan(project)
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
        self.publish()
        return sorted(files)

    def publish(self) -> None:
        """Rewrite the catalogue from what is in out/, then tell the served pages to reload."""
        with self._publishing:
            try:
                _retry(catalogue.write_catalogue, self.content_dir, self.out)
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
        started = time.perf_counter()
        slugs = [s for s in slugs if (self.content_dir / s / content.BOOKLET_FILE).is_file()]
        try:
            build.build(self.content_dir, self.out, slugs, workers=1)  # no fork() beside our threads
            LOGGER.info("PDFs of %s rebuilt in %.1f s", ", ".join(slugs), time.perf_counter() - started)
        except BookletError as exc:
            LOGGER.error("PDFs not rebuilt:\n%s", exc)
        except Exception:
            LOGGER.exception("PDFs of %s not rebuilt: unexpected error", ", ".join(slugs))
        self.publish()

    def wake(self) -> None:
        """Wake the background thread (so that it sees it must stop)."""
        with self._queue:
            self._queue.notify_all()


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    preview: Preview


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves out/ without caching; HTML pages get the reload script."""

    def do_GET(self) -> None:
        """Answer the reload script's question, serve HTML with the script, or any other file."""
        preview = cast(_HTTPServer, self.server).preview
        if self.path.split("?")[0] == GENERATION_PATH:
            self._send(str(preview.generation).encode(), "text/plain; charset=utf-8")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._send(inject_reload(path.read_bytes()), "text/html; charset=utf-8")
            return
        super().do_GET()

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
