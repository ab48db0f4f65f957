"""The team's desk: cancel an order (and take it back), hold it and let it go, merge two into one.

Each is one conditional UPDATE in one transaction, on orders still waiting (in no print
run): an order a run has taken meanwhile is left alone and the caller is told (False).
A merge joins two waiting orders of one volunteer to one address into one parcel: the
second's copies are added to the first (within the booklet's order limit) and the second
is cancelled, noting which order it went into.
"""

from __future__ import annotations

from collections.abc import Callable

from .db import Database
from .store import now, orders_where

WAITING = "run_id IS NULL AND cancelled_at IS NULL"
TEAM_HOLD = "Held by the information team: it waits for you to let it go"


def cancel(db: Database, order_id: int) -> bool:
    """Cancel a waiting order; return whether it was."""
    with db.transaction() as tx:
        return bool(
            tx.run(
                f"UPDATE orders SET cancelled_at = ? WHERE id = ? AND {WAITING} RETURNING id", now(), order_id
            )
        )


def restore(db: Database, order_id: int) -> bool:
    """Take back the cancelling of an order (not one merged into another); return whether it was."""
    with db.transaction() as tx:
        return bool(
            tx.run(
                "UPDATE orders SET cancelled_at = NULL WHERE id = ? AND cancelled_at IS NOT NULL "
                "AND merged_into IS NULL AND run_id IS NULL RETURNING id",
                order_id,
            )
        )


def hold(db: Database, order_id: int, why: str = TEAM_HOLD) -> bool:
    """Hold a waiting order out of print runs until the team lets it go; return whether it was."""
    with db.transaction() as tx:
        return bool(
            tx.run(
                f"UPDATE orders SET held = ?, held_by = 'team' WHERE id = ? AND {WAITING} RETURNING id",
                why,
                order_id,
            )
        )


def release(db: Database, order_id: int) -> bool:
    """Let a held order go into the next print run; return whether it was held."""
    with db.transaction() as tx:
        return bool(
            tx.run(
                f"UPDATE orders SET held = NULL, held_by = NULL WHERE id = ? AND {WAITING} "
                "AND held IS NOT NULL RETURNING id",
                order_id,
            )
        )


def merge(db: Database, keep: int, other: int, limit_of: Callable[[str], int]) -> str:
    """Merge order ``other`` into ``keep``; return '' when done, else why not (in the team's words)."""
    with db.transaction() as tx:
        both = orders_where(tx, "o.id IN (?, ?) AND o.run_id IS NULL AND o.cancelled_at IS NULL", keep, other)
        found = {o.id: o for o in both}
        if keep == other or len(found) != 2:
            return "Both orders must be waiting for a print run, and not the same order."
        first, second = found[keep], found[other]
        if first.user_id != second.user_id or first.delivery != second.delivery:
            return "Only orders of one volunteer, to one name, address and contact, can be merged."
        copies = {(line.code, line.variant): line.quantity for line in first.lines}
        for line in second.lines:
            total = copies.get((line.code, line.variant), 0) + line.quantity
            if total > limit_of(line.code):
                return (
                    f"Together they ask for {total:,} copies of {line.code}, more than the "
                    f"{limit_of(line.code):,} one order may have."
                )
            tx.run(
                "INSERT INTO order_lines (order_id, code, variant, quantity) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (order_id, code, variant) DO UPDATE "
                "SET quantity = order_lines.quantity + excluded.quantity",
                keep,
                line.code,
                line.variant,
                line.quantity,
            )
        tx.run("UPDATE orders SET cancelled_at = ?, merged_into = ? WHERE id = ?", now(), keep, other)
    return ""
