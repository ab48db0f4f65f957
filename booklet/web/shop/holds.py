"""Orders that cannot be printed now: why (naming the booklet and its status), looked at again live.

One rule (``why_held``) serves ``booklet order --from-shop``, which holds such orders out of
the run it makes, and the shop, which looks at every waiting order again each time the
offer changes (``reexamine``, from :class:`LiveOffer`'s change hook): a booklet taken back
to review holds its orders at once, and one approved again lets them go, without waiting
for the next print run. Orders the team holds by hand are the team's to let go: they are
never touched here.
"""

from __future__ import annotations

from collections.abc import Callable

from ...log import LOGGER
from ...press.offer import Offer
from ...variants import VARIANTS
from .db import Database
from .runs import CLAIMABLE
from .store import PlacedOrder, orders_where

OPEN = CLAIMABLE.replace("o.", "")  # an order a run may take (not held by the team), in an UPDATE


def why_held(order: PlacedOrder, offer: Offer) -> str:
    """Return why an order cannot be printed now and what it waits for, naming the booklet ('': it can)."""
    for line in order.lines:
        if line.variant in offer.codes.get(line.code, ()):
            continue
        if line.code in offer.drafts:
            return (
                f"{line.code} is not approved now (its status is '{offer.drafts[line.code]}'); "
                "the order waits for it to be approved again, then goes into the next print run"
            )
        if line.code in offer.codes:
            label = VARIANTS[line.variant].label if line.variant in VARIANTS else line.variant
            return f"{line.code} can no longer be printed as {label}; cancel the order, or ask the volunteer"
        return (
            f"{line.code} is no longer in the content (removed, or its front matter cannot be read); "
            "cancel the order, or put the booklet back"
        )
    return ""


def reexamine(db: Database, offer: Offer) -> tuple[int, int]:
    """Look at every waiting order against ``offer``: hold those it cannot print, let go the others.

    One transaction; each UPDATE keeps its condition, so an order a run took meanwhile is
    left alone. Return (orders newly held or held for another reason, orders let go).
    """
    held = released = 0
    with db.transaction() as tx:
        for order in orders_where(tx, CLAIMABLE):
            why = why_held(order, offer)
            if why and (order.held != why or order.held_by != "run"):
                held += len(
                    tx.run(
                        f"UPDATE orders SET held = ?, held_by = 'run' WHERE id = ? AND {OPEN} RETURNING id",
                        why,
                        order.id,
                    )
                )
            elif not why and order.held_by == "run":
                released += len(
                    tx.run(
                        "UPDATE orders SET held = NULL, held_by = NULL "
                        f"WHERE id = ? AND held_by = 'run' AND {OPEN} RETURNING id",
                        order.id,
                    )
                )
    if held or released:
        LOGGER.info("The offer changed: %d order(s) held, %d let go", held, released)
    return held, released


def on_offer_change(db: Database) -> Callable[[Offer], None]:
    """Return the hook :class:`LiveOffer` calls with each new offer: the waiting orders looked at again."""

    def changed(offer: Offer) -> None:
        try:
            reexamine(db, offer)
        except Exception:  # the database away: the next change, or the next print run, looks again
            LOGGER.exception("The waiting orders could not be looked at again after the offer changed")

    return changed
