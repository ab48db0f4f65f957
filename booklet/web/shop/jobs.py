"""The team page's "Make print run": ``export.from_shop`` (``booklet order --from-shop``) in a thread.

One run at a time per shop. Its progress is the run's row in the database (print files
made, of how many: ``runs.progress``), so the page shows a run started from the command
line the same way; how the job ended (its run, the orders it held, or what stopped it) is
kept here for the page. A shop stopped while a run is being made leaves the run
unfinished in the database: the next run settles it (``export.settle``), losing nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import BookletError
from ...log import LOGGER
from . import store

if TYPE_CHECKING:
    from ...source.project import Project


@dataclass
class Job:
    """A print run being made (or made) by the team page's button."""

    folder: Path
    started: str
    state: str = "running"  # 'running', 'made' or 'failed'
    message: str = ""  # what stopped it, in the words of `booklet order --from-shop`
    run_id: int | None = None
    orders: int = 0
    held: dict[int, str] = field(default_factory=dict)


class Jobs:
    """The shop's print-run job: at most one running."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.last: Job | None = None
        self._thread: threading.Thread | None = None

    def start(self, project: Project, db_url: str, folder: Path) -> Job | None:
        """Start making a print run into ``folder``; return the job, or None when one is running."""
        with self._lock:
            if self.last is not None and self.last.state == "running":
                return None
            job = Job(folder, store.now())
            self.last = job
            # a daemon: a shop stopped mid-run leaves the run to be settled, never a stuck process
            self._thread = threading.Thread(
                target=self._run, args=(job, project, db_url), name="print-run", daemon=True
            )
            self._thread.start()
        return job

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the job to end (the tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    @staticmethod
    def _run(job: Job, project: Project, db_url: str) -> None:
        from . import (
            export,
        )  # the print run's code (WeasyPrint): loaded when a run is made, not with the shop

        try:
            made = export.from_shop(project, db_url, job.folder)
        except BookletError as exc:
            job.message, job.state = str(exc), "failed"
        except Exception as exc:  # a bug: said on the page, and in the log with its traceback
            LOGGER.exception("The print run into %s could not be made", job.folder)
            job.message, job.state = (
                f"The print run could not be made ({type(exc).__name__}: {exc}).",
                "failed",
            )
        else:
            job.run_id, job.orders, job.held = made.run.id, made.orders, made.held
            job.state = "made"
