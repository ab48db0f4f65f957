"""Rendering in a pool of processes: one WeasyPrint import and one Renderer per worker.

Jobs are spread over as many processes as the machine has cores (measured here: 2
processes on 2 cores are about 1.75x faster than one, more are slower). The build starts
the pool (:class:`Pool`) as soon as it knows there is something to render, before it
reads the booklets: each worker imports WeasyPrint and sets up its fonts while this
process loads the content, so that half a second is not spent one after the other. A
build run with one worker (``-j 1``) renders in this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RENDER_FAILED, BookletError, Problem
from ..model import Booklet
from ..variants import Variant
from .pdf import Renderer

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor  # imported when a pool is started

Job = tuple[Booklet, Variant]
# booklet key, variant stem, files made (None: it failed), and the problems that stopped it (as data)
Result = tuple[str, str, dict[Path, bytes] | None, tuple[Problem, ...]]
Render = Callable[[Booklet, Variant, Path, Renderer], dict[Path, bytes]]
Done = Callable[[Result], None]  # called with each result as it arrives

_renderer: Renderer | None = None


def _start_worker() -> None:
    """Give a pool worker its renderer, ready to render, and close it when the worker ends.

    Pool workers end without Python's clean-up, so the renderer's font folder is removed by
    a multiprocessing finalizer.
    """
    global _renderer
    from multiprocessing import util

    from . import html  # noqa: F401  the templates and Markdown, imported while the build reads

    _renderer = Renderer()
    _renderer.warm()
    util.Finalize(None, _renderer.close, exitpriority=10)


def _run(render: Render, booklet: Booklet, variant: Variant, out: Path) -> Result:
    global _renderer
    if _renderer is None:
        _renderer = Renderer()
    try:
        return booklet.key, variant.stem, render(booklet, variant, out, _renderer), ()
    except BookletError as exc:  # its problem records cross the pool as they are (pickled)
        problems = exc.problems_at(booklet.source_folder / variant.source, RENDER_FAILED, booklet.slug)
        return booklet.key, variant.stem, None, problems


class Pool:
    """Render processes, started when a build knows it has work and used when its jobs are ready."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self._executor: ProcessPoolExecutor | None = None

    def start(self, jobs: int) -> None:
        """Start the processes for about ``jobs`` renders now, unless they run here (one worker)."""
        count = min(self.workers, jobs)
        if self._executor is not None or count < 1 or self.workers == 1:
            return
        from concurrent.futures import ProcessPoolExecutor

        self._executor = ProcessPoolExecutor(max_workers=count, initializer=_start_worker)
        self._executor.submit(int)  # a process pool starts its processes with its first task

    def close(self) -> None:
        """Let the processes go, once each has finished starting and removed its font folder.

        A worker is not killed while it starts: WeasyPrint's font folder, made then, would be left
        behind in the temporary folder (a failed build waits for that half second instead).
        """
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def render_all(self, render: Render, jobs: Sequence[Job], out: Path, done: Done) -> None:
        """Render every job, calling ``done`` with each result as it arrives."""
        if not jobs:  # a problem stopped every render
            self.close()
            return
        self.start(len(jobs))
        if self._executor is None:
            _render_here(render, jobs, out, done)
            return
        from concurrent.futures import as_completed

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
