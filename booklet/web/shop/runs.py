"""Print runs of the shop's orders, as the database keeps them; each order's dispatch.

A run is bound to its folder twice over: the folder is stored as an absolute path (a run
started from another working directory is the same run), and a token made for the run
is written into the folder's ``RUN_ID`` file. After a crash, a run the database calls
``making`` is trusted as made only when its folder holds that token (``settle``):
another run that took the same folder name (``booklet order`` from a CSV file, the same
day) holds none, or another.

Orders are claimed by one conditional UPDATE in the transaction that starts the run
(an order already in a run, cancelled, or held by the team is never taken), so no order
is in two runs; the orders that cannot be printed now are held in that same transaction,
with why.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ... import output
from ...log import LOGGER
from ...press.orders import RUN_CSV
from .db import Database, Tx
from .store import PlacedOrder, crash_point, now, orders_where

RUN_ID = "shop-run.txt"  # the file in a run's folder holding its token


@dataclass(frozen=True)
class Run:
    """A print run of the shop's orders."""

    id: int
    token: str
    folder: str  # absolute
    status: str  # 'making', 'made' or 'dispatched'
    started_at: str
    done: int = 0  # print files made so far
    total: int = 0  # print files to make
    orders: int = 0
    dispatched: int = 0  # of its orders, how many were sent

    @property
    def name(self) -> str:
        """Return the run's name: its folder's ('2026-12-07-2'), as the team sees it on disk."""
        return Path(self.folder).name

    @property
    def percent(self) -> int:
        """Return how far the run has come, 0 to 100."""
        return 100 if self.status != "making" else (100 * self.done // self.total if self.total else 0)


_RUN = (
    "SELECT r.id, r.token, r.folder, r.status, r.started_at, r.done, r.total, COUNT(o.id), "
    "COUNT(o.dispatched_at) FROM runs r LEFT JOIN orders o ON o.run_id = r.id"
)
_GROUP = " GROUP BY r.id, r.token, r.folder, r.status, r.started_at, r.done, r.total"

# an order a run may take: in no run, not cancelled, not held by the team
CLAIMABLE = "o.run_id IS NULL AND o.cancelled_at IS NULL AND (o.held_by IS NULL OR o.held_by = 'run')"


def _runs(tx: Tx, condition: str, *params: object) -> list[Run]:
    rows = tx.run(f"{_RUN} WHERE {condition}{_GROUP} ORDER BY r.id DESC", *params)
    return [Run(row[0], row[1] or "", *row[2:]) for row in rows]


def listed(tx: Tx) -> list[Run]:
    """Return every print run, newest first."""
    return _runs(tx, "1 = 1")


def run_of(tx: Tx, run_id: int) -> Run | None:
    """Return one print run, or None."""
    found = _runs(tx, "r.id = ?", run_id) if 0 < run_id < 2**63 else []
    return found[0] if found else None


def of_folder(tx: Tx, folder: str) -> Run | None:
    """Return the newest print run into ``folder`` (an absolute path), or None."""
    found = _runs(tx, "r.folder = ?", folder)
    return found[0] if found else None


def unfinished(tx: Tx) -> list[Run]:
    """Return the runs begun and never noted as written, oldest first."""
    return _runs(tx, "r.status = 'making'")[::-1]


def claimable(tx: Tx) -> list[PlacedOrder]:
    """Return the orders a print run may take now (those held by a run, to look at again), oldest first."""
    return orders_where(tx, CLAIMABLE)


def claim(
    db: Database, folder: Path, take: Sequence[int], hold: Mapping[int, str]
) -> tuple[Run, list[PlacedOrder]]:
    """Start a print run into ``folder`` with the orders ``take``, holding those of ``hold`` (id: why).

    One transaction: an order meanwhile taken by another run, cancelled or held by the team
    is left out (the UPDATE's condition), and the run's list is what was really claimed.
    """
    token = secrets.token_hex(16)
    started = now()
    with db.transaction() as tx:
        row = tx.one(
            "INSERT INTO runs (folder, token, status, started_at) VALUES (?, ?, 'making', ?) RETURNING id",
            str(folder.absolute()),
            token,
            started,
        )
        assert row is not None
        run_id = row[0]
        for order_id in take:
            tx.run(
                "UPDATE orders SET run_id = ?, status = 'in print run', held = NULL, held_by = NULL "
                f"WHERE id = ? AND {CLAIMABLE.replace('o.', '')}",
                run_id,
                order_id,
            )
        for order_id, why in hold.items():
            tx.run(
                f"UPDATE orders SET held = ?, held_by = 'run' WHERE id = ? AND {CLAIMABLE.replace('o.', '')}",
                why,
                order_id,
            )
        claimed = orders_where(tx, "o.run_id = ?", run_id)
    crash_point("from-shop:claimed")
    return Run(run_id, token, str(folder.absolute()), "making", started, orders=len(claimed)), claimed


def hold_only(db: Database, hold: Mapping[int, str]) -> None:
    """Hold orders a print run cannot take (id: why), when there is nothing to print."""
    with db.transaction() as tx:
        for order_id, why in hold.items():
            tx.run(
                f"UPDATE orders SET held = ?, held_by = 'run' WHERE id = ? AND {CLAIMABLE.replace('o.', '')}",
                why,
                order_id,
            )


def progress(db: Database, run_id: int, done: int, total: int) -> None:
    """Note how many of a run's print files are made."""
    with db.transaction() as tx:
        tx.run("UPDATE runs SET done = ?, total = ? WHERE id = ?", done, total, run_id)


def finish(db: Database, run_id: int) -> None:
    """Note that a run's folder is written."""
    with db.transaction() as tx:
        tx.run("UPDATE runs SET status = 'made', done = total WHERE id = ? AND status = 'making'", run_id)


def release(db: Database, run_id: int) -> None:
    """Undo a run that could not be made: its orders wait again, in one transaction."""
    with db.transaction() as tx:
        tx.run("UPDATE orders SET run_id = NULL, status = 'received' WHERE run_id = ?", run_id)
        tx.run("DELETE FROM runs WHERE id = ? AND status = 'making'", run_id)


def dispatch(
    db: Database, order_id: int, then: Callable[[Tx, PlacedOrder], None] | None = None
) -> PlacedOrder | None:
    """Mark one order of a made run as sent; return it (None when it cannot be: not printed, or sent).

    ``then(tx, order)`` runs in the same transaction (the dispatch notice is queued there:
    both are committed, or neither). The run is dispatched once every order in it is.
    """
    with db.transaction() as tx:
        done = tx.run(
            "UPDATE orders SET status = 'dispatched', dispatched_at = ? "
            "WHERE id = ? AND status = 'in print run' "
            "AND run_id IN (SELECT id FROM runs WHERE status = 'made') RETURNING run_id",
            now(),
            order_id,
        )
        if not done:
            return None
        tx.run(
            "UPDATE runs SET status = 'dispatched' WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM orders WHERE run_id = ? AND status = 'in print run')",
            done[0][0],
            done[0][0],
        )
        sent = orders_where(tx, "o.id = ?", order_id)[0]
        if then is not None:
            then(tx, sent)
    return sent


def undo_dispatch(db: Database, order_id: int) -> bool:
    """Take back an order's dispatch (marked by mistake); return whether it was dispatched."""
    with db.transaction() as tx:
        done = tx.run(
            "UPDATE orders SET status = 'in print run', dispatched_at = NULL "
            "WHERE id = ? AND status = 'dispatched' RETURNING run_id",
            order_id,
        )
        if done:
            tx.run("UPDATE runs SET status = 'made' WHERE id = ? AND status = 'dispatched'", done[0][0])
    return bool(done)


def settle(db: Database) -> None:
    """Settle runs an export left unfinished (its process died while writing the folder).

    A run is made when its folder holds its token and a run.csv; any other is undone and
    its orders wait again. A run still being written by another export (its folder's
    lock is held) is waited for.
    """
    with db.transaction(write=False) as tx:
        left = unfinished(tx)
    for run in left:
        folder = Path(run.folder)
        if folder.parent.is_dir():
            with output.locked(folder.parent):  # re-entrant: an export holds it already
                _settle(db, run, folder)
        else:
            _settle(db, run, folder)


def _settle(db: Database, run: Run, folder: Path) -> None:
    with db.transaction(write=False) as tx:
        now_is = run_of(tx, run.id)
    if now_is is None or now_is.status != "making":
        return  # another export settled it, or finished it, meanwhile
    try:
        token = (folder / RUN_ID).read_text(encoding="utf-8").strip()
    except OSError:
        token = ""
    if run.token and token == run.token and (folder / RUN_CSV).is_file():
        finish(db, run.id)
        LOGGER.info("Print run %s in %s was written before its export stopped: it is made", run.name, folder)
        return
    LOGGER.warning(
        "Print run into %s (run %s) was never finished: its %d order(s) wait for the next print run",
        folder,
        run.id,
        run.orders,
    )
    release(db, run.id)
