"""``booklet order --from-shop``: the shop's orders that can be printed become one print run.

The run is made exactly as ``booklet order ORDERS.csv`` makes one (``print_run.make_run``
on the same ``Order`` rows), and the orders are also written into the run as
``orders.csv``, an order file that ``booklet order`` turns into the same run.csv. The
team page's "Make print run" button runs this same function (:mod:`.jobs`).

1. Runs an earlier export left unfinished are settled (``runs.settle``).
2. Each waiting order is looked at against what can be printed now: an order for a
   booklet no longer approved (or removed) is held, with a message naming the booklet and
   its status, and the others go into the run. One transaction starts the run, claims
   those orders (an order already in a run is never taken again) and holds the others.
3. The run's folder is made (print files, run.csv, summary.txt, orders.csv and
   ``runs.RUN_ID`` with the run's token); it appears whole or not at all.
4. The run is noted as made. If step 3 fails, one transaction puts its orders back.
   If the process dies during step 3, the next export settles the run: it is made only
   when its folder (an absolute path) holds its token; any other run is undone and its
   orders wait again. A folder another run took meanwhile holds no such token.

Exports take the print-runs folder's lock, so two at once run one after the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ... import output
from ...errors import BookletError
from ...log import LOGGER
from ...press import orders
from ...press.offer import available
from ...press.print_run import make_run
from ...source.project import Project
from . import runs, store
from .db import Database
from .holds import why_held

ORDERS_CSV = "orders.csv"  # the run's orders, as an order file
Progress = Callable[[int, int], None]  # (print files made, print files to make)


@dataclass(frozen=True)
class Made:
    """What an export made: the run, its orders and files, and the orders it held back (id: why)."""

    run: runs.Run
    orders: int
    files: list[Path]
    held: dict[int, str]


def ordered_by(order: store.PlacedOrder) -> str:
    """Return who ordered, as the print run and its packing list name them."""
    return f"Order {order.id} ({order.email})"


def as_rows(placed: list[store.PlacedOrder]) -> list[orders.Order]:
    """Return the shop's orders as the rows of an order file."""
    return [
        orders.Order(
            o.id, line.code, line.variant, line.quantity, ordered_by(o), o.delivery_name, o.address, o.contact
        )
        for o in placed
        for line in o.lines
    ]


def from_shop(
    project: Project,
    db_url: str,
    out: Path,
    imposed: bool = True,
    caliper_um: int | None = None,
    on_progress: Progress | None = None,
) -> Made:
    """Turn the shop's orders that can be printed into a print run in ``out``; hold the others.

    ``caliper_um``: paper thickness in microns for creep in the spreads (None: publisher.yml's).
    """
    db = Database(db_url)
    try:
        return _export(db, project, out, imposed, caliper_um, on_progress)
    finally:
        db.close()


def _export(
    db: Database,
    project: Project,
    out: Path,
    imposed: bool,
    caliper_um: int | None,
    on_progress: Progress | None,
) -> Made:
    """Make the run (``from_shop``) with an open database."""
    db.migrate()
    offer = available(project)
    with output.locked(out.parent):
        runs.settle(db)
        with db.transaction(write=False) as tx:
            candidates = runs.claimable(tx)
        held = {o.id: why for o in candidates if (why := why_held(o, offer))}
        for order_id, why in held.items():
            LOGGER.warning("Order %d is held: %s", order_id, why)
        take = [o.id for o in candidates if o.id not in held]
        if not take:
            runs.hold_only(db, held)
            if held:
                raise BookletError(f"{db.where}: every waiting order is held (see above); nothing was made")
            raise BookletError(f"{db.where}: no order is waiting for a print run; nothing was made")
        run, claimed = runs.claim(db, out, take, held)
        if not claimed:  # another export took them between the look and the claim
            runs.release(db, run.id)
            raise BookletError(f"{db.where}: no order is waiting for a print run; nothing was made")
        made = Made(run, len(claimed), [], held)
        try:
            rows = as_rows(claimed)
            extra = {ORDERS_CSV: orders.orders_csv(rows).encode(), runs.RUN_ID: f"{run.token}\n".encode()}

            def step(done: int, total: int) -> None:
                runs.progress(db, run.id, done, total)
                store.crash_point(f"from-shop:file-{done}")
                if on_progress is not None:
                    on_progress(done, total)

            written = make_run(offer, rows, out, imposed, extra, caliper_um, on_file=step)
        except BaseException:
            runs.release(db, run.id)
            raise
        store.crash_point("from-shop:written")
        runs.finish(db, run.id)
        store.crash_point("from-shop:finished")
    LOGGER.info("%d shop order(s) are in print run %s", len(claimed), run.name)
    return Made(run, made.orders, written, held)
