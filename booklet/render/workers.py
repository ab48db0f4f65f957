"""Rendering in a pool of processes: one WeasyPrint import and one Renderer per worker.

Jobs are spread over as many processes as the machine has cores (measured here: 2
processes on 2 cores are about 1.75x faster than one, more are slower). The pool
(:class:`Pool`) is started before the booklets are read: each worker imports WeasyPrint
(most of a second) while the build reads them, instead of one after the other. When there
is no cache to consult (``--no-cache``, a new output folder), ``booklet build`` starts it
before it even imports the build; otherwise the build starts it once the cache has said
what is out of date. Until a worker is given a job it has only imported modules, so it can
be stopped at once. A build run with one worker (``-j 1``) renders in this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from ..errors import RENDER_FAILED, BookletError, Problem
from .pdf import Renderer

if TYPE_CHECKING:  # imported when used: the command line imports this module first, and light
    from concurrent.futures import ProcessPoolExecutor

    from ..model import Booklet
    from ..variants import Variant

Job: TypeAlias = "tuple[Booklet, Variant]"
# booklet key, variant stem, files made (None: it failed), and the problems that stopped it (as data)
Result: TypeAlias = tuple[str, str, dict[Path, bytes] | None, tuple[Problem, ...]]
Render: TypeAlias = "Callable[[Booklet, Variant, Path, Renderer], dict[Path, bytes]]"
Done: TypeAlias = Callable[[Result], None]  # called with each result as it arrives

_renderer: Renderer | None = None


def _start_worker() -> None:
    """Import what rendering needs, before there is a job (nothing is written: it may be stopped)."""
    import weasyprint  # noqa: F401

    from . import html, weasyfix  # noqa: F401  the templates, Markdown, and the mends


def _ready() -> Renderer:
    """Return this process's renderer; a pool worker's is closed when the worker ends.

    Pool workers end without Python's clean-up, so a multiprocessing finalizer removes the
    renderer's font folder.
    """
    global _renderer
    if _renderer is None:
        import multiprocessing
        from multiprocessing import util

        _renderer = Renderer()
        if multiprocessing.parent_process() is not None:
            util.Finalize(None, _renderer.close, exitpriority=10)
    return _renderer


def _run(render: Render, booklet: Booklet, variant: Variant, out: Path) -> Result:
    try:
        return booklet.key, variant.stem, render(booklet, variant, out, _ready()), ()
    except BookletError as exc:  # its problem records cross the pool as they are (pickled)
        problems = exc.problems_at(booklet.source_folder / variant.source, RENDER_FAILED, booklet.slug)
        return booklet.key, variant.stem, None, problems


class Pool:
    """Render processes, started ahead of the work they will be given, and used when its jobs are ready."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._executor: ProcessPoolExecutor | None = None
        self._given = False  # whether a job was sent: until then the workers hold nothing to clean up

    def start(self, jobs: int) -> None:
        """Start processes for about ``jobs`` renders now, unless they run here (one worker)."""
        count = min(self.workers, jobs)
        if self._executor is not None or count < 1 or self.workers == 1:
            return
        from concurrent.futures import ProcessPoolExecutor

        self._executor = ProcessPoolExecutor(max_workers=count, initializer=_start_worker)
        self._executor.submit(int)  # a process pool starts its processes with its first task

    def close(self) -> None:
        """Let the processes go: workers that rendered end cleanly, those never given a job are stopped."""
        if self._executor is None:
            return
        if self._given:
            self._executor.shutdown(wait=True, cancel_futures=True)
        else:  # they only imported modules: nothing to clean up, nothing to wait for
            processes = list((getattr(self._executor, "_processes", None) or {}).values())
            self._executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join()
        self._executor = None
        self._given = False

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def render_all(self, render: Render, jobs: Sequence[Job], out: Path, done: Done) -> None:
        """Render every job, calling ``done`` with each result as it arrives."""
        self.start(len(jobs))
        if self._executor is None:
            _render_here(render, jobs, out, done)
            return
        from concurrent.futures import as_completed

        self._given = True
        futures = [self._executor.submit(_run, render, booklet, variant, out) for booklet, variant in jobs]
        for future in as_completed(futures):
            done(future.result())
        self.close()


def _render_here(render: Render, jobs: Sequence[Job], out: Path, done: Done) -> None:
    """Render every job in this process, one after another."""
    global _renderer
    try:
        for booklet, variant in jobs:
            done(_run(render, booklet, variant, out))
    finally:
        if _renderer is not None:
            _renderer.close()
            _renderer = None
