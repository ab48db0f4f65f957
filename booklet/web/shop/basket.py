"""The volunteer's basket, kept in the database: it outlives the session, a sign-out and a new sign-in.

A basket has a key, made when its first line goes in and gone when it is checked out
(``store.place_order`` empties it in the order's own transaction). The checkout form
carries the key and the order is saved under it, so one basket is one order however
often the form is sent: a double click, a retry after an error, a second tab.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from .db import Database, Tx
from .store import Line, now

Item = tuple[str, str]  # (order code, variant)


@dataclass(frozen=True)
class Basket:
    """What someone has chosen and not yet ordered."""

    key: str = ""  # '' while the basket is empty
    items: dict[Item, int] = field(default_factory=dict)  # (code, variant) -> copies

    @property
    def count(self) -> int:
        """Return how many copies are in the basket."""
        return sum(self.items.values())

    def lines(self) -> list[Line]:
        """Return the basket as order lines, by code and variant."""
        return [Line(code, variant, copies) for (code, variant), copies in sorted(self.items.items())]


def of(tx: Tx, user_id: int) -> Basket:
    """Return someone's basket (an empty one when they have none)."""
    row = tx.one("SELECT basket_key FROM baskets WHERE user_id = ?", user_id)
    if row is None:
        return Basket()
    items = tx.run("SELECT code, variant, quantity FROM basket_lines WHERE user_id = ?", user_id)
    return Basket(row[0], {(code, variant): copies for code, variant, copies in items})


def count(db: Database, user_id: int) -> int:
    """Return how many copies are in someone's basket."""
    with db.transaction(write=False) as tx:
        row = tx.one("SELECT SUM(quantity) FROM basket_lines WHERE user_id = ?", user_id)
    return int(row[0] or 0) if row else 0


def _start(tx: Tx, user_id: int) -> None:
    """Make someone's basket, with a new key, unless they have one."""
    tx.run(
        "INSERT INTO baskets (user_id, basket_key, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET updated_at = excluded.updated_at",
        user_id,
        secrets.token_urlsafe(32),
        now(),
    )


def add(db: Database, user_id: int, adding: Mapping[Item, int]) -> Basket:
    """Add copies to someone's basket (to those already there); return the basket."""
    with db.transaction(durable=False) as tx:  # a basket lost to a power cut is chosen again
        _start(tx, user_id)
        for (code, variant), copies in adding.items():
            tx.run(
                "INSERT INTO basket_lines (user_id, code, variant, quantity) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id, code, variant) DO UPDATE "
                "SET quantity = basket_lines.quantity + excluded.quantity",
                user_id,
                code,
                variant,
                copies,
            )
        return of(tx, user_id)


def replace(db: Database, user_id: int, items: Mapping[Item, int]) -> Basket:
    """Make someone's basket hold exactly ``items`` (none: it is emptied); return it."""
    with db.transaction(durable=False) as tx:
        tx.run("DELETE FROM basket_lines WHERE user_id = ?", user_id)
        if not items:
            tx.run("DELETE FROM baskets WHERE user_id = ?", user_id)
            return Basket()
        _start(tx, user_id)
        for (code, variant), copies in items.items():
            tx.run(
                "INSERT INTO basket_lines (user_id, code, variant, quantity) VALUES (?, ?, ?, ?)",
                user_id,
                code,
                variant,
                copies,
            )
        return of(tx, user_id)
