"""``booklet order --from-shop``: every pending order of the shop becomes one print run.

The run is made exactly as ``booklet order ORDERS.csv`` makes one (``print_run.make_run``
on the same ``Order`` rows), and the orders are also written into the run as
``orders.csv``, an order file that ``booklet order`` turns into the same run.csv.

1. One transaction starts the run and marks every pending order as in it (a conditional
   UPDATE: an order already in a run is never taken again, so no order is in two runs).
2. The run's folder is made (print files, run.csv, summary.txt, orders.csv); it appears
   whole or not at all.
3. The run is noted as made. If step 2 fails, one transaction puts its orders back as
   pending. If the process dies during step 2, the next export first settles such runs:
   a run whose folder holds run.csv is made, any other is undone (its orders pending again).

Exports take the print-runs folder's lock, so two at once run one after the other.
"""

from __future__ import annotations

from pathlib import Path

from ... import output
from ...errors import BookletError
from ...log import LOGGER
from ...press import orders
from ...press.offer import Offer, available
from ...press.print_run import RUN_CSV, make_run
from ...source.project import Project
from . import store
from .db import Database

ORDERS_CSV = "orders.csv"  # the run's orders, as an order file


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


def _problems(placed: list[store.PlacedOrder], offer: Offer) -> list[str]:
    """Return what stops orders being printed: a booklet or variant no longer on offer."""
    return [
        f"order {o.id}: {line.code} {line.variant} can no longer be printed "
        "(the booklet or this variant was removed or cannot be built)"
        for o in placed
        for line in o.lines
        if line.variant not in offer.codes.get(line.code, ())
    ]


def settle(db: Database) -> None:
    """Settle runs an earlier export left unfinished (its process died while writing the folder)."""
    with db.transaction(write=False) as tx:
        unfinished = store.unfinished_runs(tx)
    for run_id, folder in unfinished:
        if (Path(folder) / RUN_CSV).is_file():
            store.finish_run(db, run_id)
        else:
            LOGGER.warning(
                "Print run %s into %s was never finished: its orders are pending again", run_id, folder
            )
            store.release_run(db, run_id)


def from_shop(
    project: Project, db_url: str, out: Path, imposed: bool = True, caliper_um: int | None = None
) -> tuple[int, list[Path]]:
    """Turn every pending order of the shop into a print run in ``out``; return (orders, files written).

    ``caliper_um``: paper thickness in microns for creep in the spreads (None: publisher.yml's).
    """
    db = Database(db_url)
    try:
        return _export(db, project, out, imposed, caliper_um)
    finally:
        db.close()


def _export(
    db: Database, project: Project, out: Path, imposed: bool, caliper_um: int | None
) -> tuple[int, list[Path]]:
    """Make the run (``from_shop``) with an open database."""
    db.migrate()
    offer = available(project)
    with output.locked(out.parent):
        settle(db)
        with db.transaction(write=False) as tx:
            waiting = store.pending(tx)
        if not waiting:
            raise BookletError(f"{db.where}: no order is waiting for a print run; nothing was made")
        if problems := _problems(waiting, offer):
            raise BookletError("these orders cannot be printed:\n    " + "\n    ".join(problems))
        run_id, claimed = store.claim_pending(db, str(out))
        try:
            rows = as_rows(claimed)
            extra = {ORDERS_CSV: orders.orders_csv(rows).encode()}
            written = make_run(offer, rows, out, imposed, extra, caliper_um)
        except BaseException:
            store.release_run(db, run_id)
            raise
        store.finish_run(db, run_id)
    LOGGER.info("%d shop order(s) are in print run %s", len(claimed), run_id)
    return len(claimed), written
