"""The team page's "Make print run": ``booklet order --from-shop`` in a child process.

The run is rendered outside the shop's process (the same command a team member would
type), so a WeasyPrint crash or a memory spike ends the child, never the shop. One run at
a time per shop. How far it is comes from the run's row (``runs.progress``: print files
made, of how many); the job itself (running, made, failed, or stopped with the shop) is
kept in the database's ``settings`` table, so the team page after a restart says what
happened. A child that dies (killed, out of memory) leaves its run unfinished: it is
settled at once (``runs.settle``), as the next export would, losing nothing.

The shop stopping stops the child: on a normal exit (``atexit``) it is asked to stop and
then killed; on Linux a child whose shop died any other way gets SIGTERM from the kernel
(``PR_SET_PDEATHSIG``). The next team page finds the job still "running" with no child
and says the shop stopped while the run was made.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from ...log import LOGGER
from . import runs, store
from .db import Database

COMMAND = (sys.executable, "-m", "booklet")  # how the child runs booklet (the tests fake its print files)
JOB = "print_job"  # the settings row holding the last job, as JSON
STOP_SECONDS = 10.0  # a child asked to stop has this long before it is killed
STOPPED = (
    "The shop stopped while this print run was being made. Nothing was lost: its orders "
    "wait for the next print run."
)


@dataclass
class Job:
    """A print run being made (or made) by the team page's button, as the database keeps it."""

    folder: str  # absolute
    started: str
    state: str = "running"  # 'running', 'made', 'failed' or 'stopped' (the shop stopped meanwhile)
    message: str = ""  # what stopped it, in the words of `booklet order --from-shop`
    run_id: int | None = None
    orders: int = 0
    held: int = 0  # orders held back, each with why (on the team page)
    pid: int = 0  # the child's process id while it runs

    @property
    def name(self) -> str:
        """Return the run's name, its folder's."""
        return Path(self.folder).name


def load(db: Database) -> Job | None:
    """Return the last job, or None when no run was made from the team page."""
    with db.transaction(write=False) as tx:
        row = tx.one("SELECT value FROM settings WHERE name = ?", JOB)
    if row is None:
        return None
    try:
        return Job(**json.loads(row[0]))
    except (TypeError, ValueError):  # written by another version: no job to show
        return None


def save(db: Database, job: Job) -> None:
    """Keep the job in the database."""
    with db.transaction() as tx:
        tx.run("DELETE FROM settings WHERE name = ?", JOB)
        tx.run("INSERT INTO settings (name, value) VALUES (?, ?)", JOB, json.dumps(asdict(job)))


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Have the kernel send the child SIGTERM when the shop's thread that started it ends (Linux)."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Jobs:
    """The shop's print-run job: at most one running, in a child process.

    ``command`` is how ``booklet`` is run (None: ``COMMAND``);
    ``env``, the child's environment (None: the shop's).
    """

    def __init__(self, command: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> None:
        self.command = list(command or COMMAND)
        self.env = dict(env) if env is not None else None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._child: subprocess.Popen[bytes] | None = None
        self._stopping = False
        atexit.register(self.stop)

    def current(self, db: Database) -> Job | None:
        """Return the last job; one left 'running' by a shop that stopped is noted as stopped."""
        job = load(db)
        if job is None or job.state != "running" or self._is_ours(job):
            return job
        if job.pid and _alive(job.pid) and not self._is_ours(job):
            return job  # another shop process's child, still at work
        with self._lock:
            again = load(db)
            if again is None or again.state != "running" or self._is_ours(again):
                return again
            again.state, again.message, again.pid = "stopped", STOPPED, 0
            save(db, again)
        runs.settle(db)  # its run, left unfinished, is made or undone before the page says so
        return again

    def _is_ours(self, job: Job) -> bool:
        child = self._child
        return child is not None and child.pid == job.pid and child.poll() is None

    def start(self, db: Database, db_url: str, content_dir: Path, folder: Path) -> Job | None:
        """Start making a print run into ``folder``; return the job, or None when one is running."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return None
            last = load(db)
            if last is not None and last.state == "running" and last.pid and _alive(last.pid):
                return None
            job = Job(str(folder.absolute()), store.now())
            args = [
                *self.command,
                "order",
                "--from-shop",
                "--db",
                db_url,
                "--out",
                job.folder,
                "--content",
                str(content_dir),
            ]
            errors = tempfile.TemporaryFile()
            self._child = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=self.env,
                preexec_fn=_die_with_parent if _PRCTL is not None else None,
            )
            job.pid = self._child.pid
            save(db, job)
            # a daemon: the shop's exit is not held up by a run (stop() ends the child)
            self._thread = threading.Thread(
                target=self._wait, args=(job, db_url, self._child, errors), name="print-run", daemon=True
            )
            self._thread.start()
        return job

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the job to end (the tests)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def stop(self) -> None:
        """Stop a running child (the shop is stopping): asked first, killed after ``STOP_SECONDS``."""
        child = self._child
        if child is None or child.poll() is not None:
            return
        self._stopping = True
        child.terminate()
        try:
            child.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        self.wait(STOP_SECONDS)

    def _wait(self, job: Job, db_url: str, child: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        """Wait for the child, then note in the database how the job ended (a connection of its own)."""
        with errors:
            code = child.wait()
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace")
        job.pid = 0
        db = Database(db_url)
        try:
            self._ended(job, db, code, said)
        except Exception:  # the database is away: the next page says the shop stopped
            LOGGER.exception("How the print run into %s ended could not be noted", job.folder)
        finally:
            db.close()

    def _ended(self, job: Job, db: Database, code: int, said: str) -> None:
        if code == 0:
            with db.transaction(write=False) as tx:
                made = runs.of_folder(tx, job.folder)
                held = tx.one(f"SELECT COUNT(*) FROM orders o WHERE {runs.CLAIMABLE} AND o.held_by = 'run'")
            job.state = "made"
            if made is not None:
                job.run_id, job.orders = made.id, made.orders
            job.held = held[0] if held else 0
        elif self._stopping:
            job.state, job.message = "stopped", STOPPED
        else:
            job.state, job.message = "failed", _why(code, said)
            if code != 1 or "Error: " not in said:  # not a message of booklet's own: a crash
                LOGGER.error("The print run into %s stopped (exit %d):\n%s", job.folder, code, said.strip())
        if code != 0:
            runs.settle(db)  # a child killed mid-run left its run unfinished: its orders wait again
        save(db, job)


def _why(code: int, said: str) -> str:
    """Return why the child did not make the run, as the team page says it."""
    lines = [line for line in said.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    if code == 1 and errors:
        return errors[-1][len("Error: ") :]
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        cause = f"it was stopped by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")
    else:
        cause = f"it stopped with exit status {code}" + (f": {lines[-1]}" if lines else "")
    return (
        f"The print run could not be made: {cause}. The shop's log has the details. "
        "Nothing was lost: its orders wait for the next print run."
    )
