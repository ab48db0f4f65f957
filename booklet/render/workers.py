"""Rendering in a pool of processes: one WeasyPrint import and one Renderer per worker.

A single job is rendered in this process (no pool to start); several are spread over
as many processes as the machine has cores (measured here: 2 processes on 2 cores
are about 1.75x faster than one, more are slower).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import RENDER_FAILED, BookletError, Problem
from ..model import Booklet
from ..variants import Variant
from .pdf import Renderer

Job = tuple[Booklet, Variant]
# booklet key, variant stem, files made (None: it failed), and the problems that stopped it (as data)
Result = tuple[str, str, dict[Path, bytes] | None, tuple[Problem, ...]]
Render = Callable[[Booklet, Variant, Path, Renderer], dict[Path, bytes]]

_renderer: Renderer | None = None


def _start_worker() -> None:
    """Give a pool worker its renderer, closed when the worker ends (it exits without clean-up)."""
    global _renderer
    from multiprocessing import util

    _renderer = Renderer()
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


def render_all(
    render: Render, jobs: Sequence[Job], out: Path, done: Callable[[Result], None], workers: int | None = None
) -> None:
    """Render every job, calling ``done`` with each result as it arrives."""
    count = min(workers or os.cpu_count() or 1, len(jobs))
    global _renderer
    if count <= 1:
        try:
            for booklet, variant in jobs:
                done(_run(render, booklet, variant, out))
        finally:
            if _renderer is not None:
                _renderer.close()
                _renderer = None
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed  # only when there is a pool

    with ProcessPoolExecutor(max_workers=count, initializer=_start_worker) as pool:
        futures = [pool.submit(_run, render, booklet, variant, out) for booklet, variant in jobs]
        for future in as_completed(futures):
            done(future.result())
