"""``booklet serve``: serve the catalogue on this computer, rebuilding a booklet when its content is saved.

A watcher thread compares the modification times of the content folder's files twice a
second. The standard library is enough: a content folder holds tens of files, so a look
costs well under a millisecond, and polling works the same on every system and on network
drives, where file-system events (the ``watchfiles`` package) can be missed.

When a booklet's files change, the content folder is loaded once; from that one load its
web HTML is rendered at once (tens of milliseconds) and the catalogue rewritten (drafts
included, labelled); its PDFs are then rebuilt by one background thread (WeasyPrint takes a
second or two a variant), and the catalogue again, with the new sizes and page counts. A
change to publisher.yml rebuilds every booklet. A problem in the content is logged, with its
file and line, and shown in the browser in place of each page it stops (booklet/web/preview.py);
the server keeps going, and the page comes back by itself once the problem is fixed. Pages
are served with a small script that reloads them after each rebuild, so the page in the
browser follows the text as it is written; the files in out/ are exactly what ``booklet
build`` writes. Only the files the catalogue publishes are served, and only to requests for
this computer (booklet/web/handler.py).
"""

from __future__ import annotations

import stat
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import ParamSpec

from .. import build, output, paths
from ..errors import LOAD, RENDER_FAILED, BookletError, ConfigError, ContentError, Problem
from ..log import LOGGER
from ..model import Booklet
from ..render.pdf import Renderer
from ..source.project import Project
from ..variants import Variant
from . import catalogue, preview
from .handler import Handler, HTTPServer, HTTPServer6, allowed_hosts, host_name
from .published import Published

POLL = 0.5  # seconds between looks at the content folder
ALL = "*"  # stands for every booklet, when a shared file such as publisher.yml changes
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
    """Keeps out/ in step with the content: web HTML at once, PDFs in the background.

    It remembers what the served pages must show: the problems that stop each page (a path
    under out/ -> its problems; every page while the content folder itself cannot be loaded),
    the booklets whose PDFs are being made, and the problems of the last PDF build of each.
    """

    def __init__(self, content_dir: Path, out: Path) -> None:
        self.content_dir = content_dir
        self.out = out
        self.generation = 0  # goes up after each write; served pages reload when it changes
        self._publishing = threading.Lock()
        self._queue = threading.Condition()
        self._pending: set[str] = set()
        self._making: set[str] = set()  # the booklets whose PDFs the background thread is building
        self._project: Project | None = None  # the content as last loaded (one load per save)
        self._uncached: set[str] = set()  # booklets saved again while their PDFs were being built
        self._stopped: dict[str, tuple[Problem, ...]] = {}  # page under out/ -> the errors that stop it
        self._unloaded: tuple[Problem, ...] = ()  # why the content folder could not be loaded at all
        self._pdf_failed: dict[str, tuple[Problem, ...]] = {}  # slug -> why its last PDF build failed

    def problems_for(self, page: str) -> tuple[Problem, ...]:
        """Return the errors that stop a page under out/ ('slug/slug-standard.html'); none: serve it."""
        with self._queue:
            return self._unloaded or self._stopped.get(page, ())

    def pdf_bar(self, page: str) -> bytes:
        """Return the bar a booklet's web page shows about its PDF: being made, ready, or not made."""
        parts = page.split("/")
        if len(parts) < 2 or not page.endswith(".html") or parts[-1] == "index.html":
            return b""
        slug, pdf = parts[0], (self.out / page).with_suffix(".pdf")
        with self._queue:
            building = slug in self._pending or slug in self._making
            failed = self._pdf_failed.get(slug, ())
        if failed and not building:
            return preview.failed_bar(pdf.name, failed, self.content_dir)
        return preview.pdf_bar(pdf.name, building, pdf.is_file())

    def refresh(self, wanted: Iterable[str]) -> list[str]:
        """Load the content, then write the web HTML of the booklets named (ALL: every one); return those."""
        started = time.perf_counter()
        try:
            project = Project.load(self.content_dir)
        except BookletError as exc:
            self._cannot_load(exc)
            return []
        with self._queue:
            self._project = project  # the PDF builds and the catalogue read this load
            self._unloaded = ()
        names = set(wanted)
        mine = project.only(e.slug for e in project if ALL in names or e.slug in names)
        todo = build.plan(mine)
        stopped = stopped_pages(mine)
        files: dict[str, dict[Path, bytes]] = {}
        for booklet, variant in todo.jobs:
            try:
                done = files.setdefault(booklet.slug, build.assets(booklet, self.out))
                done.update(web_files(booklet, variant, self.out))
            except BookletError as exc:
                page = paths.variant_file(Path(), booklet.slug, variant.stem, "html", booklet.lang).as_posix()
                stopped[page] = exc.problems_at(booklet.folder / variant.source, RENDER_FAILED, booklet.slug)
        for problem in todo.problems:
            log = LOGGER.error if problem.stops else LOGGER.warning
            log("%s", problem)
        _retry(output.write_all, {path: data for done in files.values() for path, data in done.items()})
        with self._queue:
            slugs = {e.slug for e in mine}
            kept = () if ALL in names else self._stopped.items()  # ALL: forget booklets since removed
            self._stopped = {k: v for k, v in kept if k.split("/")[0] not in slugs}
            self._stopped.update(stopped)
        self._log_pages(sorted(files), stopped, time.perf_counter() - started)
        self.publish(project)
        return sorted(files)

    def _cannot_load(self, exc: BookletError) -> None:
        """Log why the content folder cannot be loaded, and show it in place of every page."""
        problems = exc.problems_at(self.content_dir / "publisher.yml", LOAD)
        for problem in problems:
            LOGGER.error("%s", problem)
        LOGGER.error("Nothing rebuilt: the content folder cannot be loaded (the browser shows why)")
        with self._queue:
            self._unloaded = problems
            self.generation += 1

    def _log_pages(self, slugs: list[str], stopped: dict[str, tuple[Problem, ...]], took: float) -> None:
        """Say which booklets' web pages were rebuilt, and which pages the problems logged above stop."""
        whole = [s for s in slugs if not any(page.startswith(f"{s}/") for page in stopped)]
        if whole:
            LOGGER.info("Web pages of %s rebuilt in %.2f s", ", ".join(whole), took)
        if stopped:  # a summary of the errors logged above: not an error of its own
            LOGGER.warning(
                "Not rebuilt, because of the problems above (shown in the browser in place of the page): %s",
                ", ".join(sorted(stopped)),
            )

    def publish(self, project: Project) -> None:
        """Rewrite the catalogue from what is in out/, then tell the served pages to reload."""
        with self._publishing:
            try:
                _retry(catalogue.write_catalogue, project, self.out, report=False, include_drafts=True)
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
            self._making = set(slugs)
        if project is None:
            return
        mine = project.only(slugs)
        slugs = [e.slug for e in mine]
        failed: dict[str, tuple[Problem, ...]] = {}
        try:
            if slugs:  # workers=1: no fork() beside our threads
                build.build(
                    self.content_dir, self.out, slugs, workers=1, project=mine, use_cache=not uncached
                )
            LOGGER.info("PDFs of %s rebuilt in %.1f s", ", ".join(slugs), time.perf_counter() - started)
        except ContentError as exc:
            LOGGER.error("PDFs not rebuilt:\n%s", exc)
            for problem in exc.problems:
                failed.setdefault(problem.booklet, ())
                failed[problem.booklet] += (problem,)
        except BookletError as exc:
            LOGGER.error("PDFs not rebuilt:\n%s", exc)
            failed = {slug: exc.problems_at(self.content_dir / slug) for slug in slugs}
        except Exception:
            LOGGER.exception("PDFs of %s not rebuilt: unexpected error", ", ".join(slugs))
        with self._queue:
            if self._project is not project:  # saved meanwhile: the queued build must not trust the cache
                self._uncached.update(slugs)
            self._making = set()
            for slug in slugs:
                self._pdf_failed[slug] = tuple(p for p in failed.get(slug, ()) if p.stops)
        self.publish(project)

    def wake(self) -> None:
        """Wake the background thread (so that it sees it must stop)."""
        with self._queue:
            self._queue.notify_all()


def stopped_pages(project: Project) -> dict[str, tuple[Problem, ...]]:
    """Return each web page (a path under out/) that errors stop, with those errors.

    A booklet whose front matter cannot be used stops its catalogue page too.
    """
    found: dict[str, tuple[Problem, ...]] = {}
    for entry in project.every():
        for variant in entry.variants():
            if errors := entry.blocked(variant):
                page = paths.variant_file(Path(), entry.slug, variant.stem, "html", entry.lang)
                found[page.as_posix()] = tuple(errors)
        if entry.booklet is None and not entry.lang:
            errors = [p for p in entry.problems if p.stops]
            found[paths.booklet_page(Path(), entry.slug).as_posix()] = tuple(errors)
    return found


class Server:
    """The preview: HTTP on a loopback port, a content watcher, and a PDF builder thread."""

    def __init__(self, content_dir: Path, out: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
        if not content_dir.is_dir():
            raise ConfigError(f"{content_dir} is not a folder; give --content the folder with publisher.yml")
        out.mkdir(parents=True, exist_ok=True)
        self.preview = Preview(content_dir, out)
        kind = HTTPServer6 if ":" in host else HTTPServer
        try:
            self._httpd = kind((host.strip("[]"), port), Handler)
        except OSError as exc:
            raise ConfigError(
                f"cannot serve on {host}:{port} ({exc.strerror}); give --port another number, "
                "or 0 for any free port"
            ) from None
        self._httpd.preview = self.preview
        self._httpd.hosts = allowed_hosts(host)
        self._httpd.published = Published(out)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """Return the address of the served catalogue."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host_name(str(host))}:{port}/"

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
