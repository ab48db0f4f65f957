"""What the shop keeps: people, sign-in links, orders and print runs, read and written in transactions.

Every function takes an open transaction (``Tx``) or the ``Database`` and uses bound
parameters only. Times are UTC, written ``YYYY-MM-DDTHH:MM:SSZ`` (they sort as text).

An order's life: ``received`` when placed (from the basket, :mod:`.basket`); ``in print
run`` when :func:`.runs.claim` puts it into a print run (one conditional UPDATE: an order
is claimed by one run only); back to ``received`` if that run could not be made;
``dispatched`` when the team sends its parcel (and back, undone). Beside its status an
order may be held (``held``: why), cancelled or merged into another (:mod:`.desk`).
Orders are read here; print runs are :mod:`.runs`'.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import secrets
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .db import Database, Tx

LINK_HOURS = 24  # a sign-in link works for this long, once
ROLES = ("volunteer", "team")
STATUSES = ("received", "in print run", "dispatched")
CRASH_ENV = "BOOKLET_CRASH_AT"  # names a crash_point, in the tests only


def now(delta: datetime.timedelta = datetime.timedelta()) -> str:
    """Return the time now (plus ``delta``) as stored: '2026-11-30T11:07:01Z'."""
    moment = datetime.datetime.now(datetime.UTC) + delta
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class User:
    """Someone who may sign in to the shop."""

    id: int
    email: str
    role: str
    password_hash: str | None
    session_epoch: int
    delivery_name: str
    address: str
    contact: str


@dataclass(frozen=True)
class Line:
    """One booklet variant of an order, and how many copies."""

    code: str
    variant: str
    quantity: int


@dataclass(frozen=True)
class PlacedOrder:
    """An order as the shop keeps it."""

    id: int
    user_id: int
    email: str
    status: str
    run_id: int | None
    delivery_name: str
    address: str
    contact: str
    placed_at: str
    lines: tuple[Line, ...]
    held: str | None = None  # why it waits (the booklet cannot be printed now, or the team holds it)
    held_by: str | None = None  # 'run' (a print run found it could not be printed) or 'team'
    cancelled_at: str | None = None
    merged_into: int | None = None  # the order this one was merged into (it is cancelled)
    dispatched_at: str | None = None

    @property
    def state(self) -> str:
        """Return the order's state as people read it: 'cancelled', 'held', or its status."""
        if self.cancelled_at:
            return "cancelled"
        if self.held and self.run_id is None:
            return "held"
        return self.status

    @property
    def delivery(self) -> tuple[str, str, str]:
        """Return where it goes: (name, address, contact)."""
        return self.delivery_name, self.address, self.contact


_USER = "SELECT id, email, role, password_hash, session_epoch, delivery_name, address, contact FROM users"


def user_by_id(tx: Tx, user_id: int) -> User | None:
    """Return the user with this id, or None."""
    row = tx.one(_USER + " WHERE id = ?", user_id)
    return User(*row) if row else None


def user_by_email(tx: Tx, email: str) -> User | None:
    """Return the user with this email address (any case), or None."""
    row = tx.one(_USER + " WHERE email = ?", email.strip().lower())
    return User(*row) if row else None


def _token_hash(token: str) -> str:
    """Return how a sign-in link's token is stored: its SHA-256 (a stolen database holds no link)."""
    return hashlib.sha256(token.encode()).hexdigest()


def upsert_user(tx: Tx, email: str, role: str) -> User:
    """Add someone to the shop, or give someone already in it this role; return them."""
    tx.run(
        "INSERT INTO users (email, role, created_at) VALUES (?, ?, ?) "
        "ON CONFLICT (email) DO UPDATE SET role = excluded.role",
        email,
        role,
        now(),
    )
    user = user_by_email(tx, email)
    assert user is not None  # just written
    return user


def new_link(tx: Tx, user_id: int) -> str:
    """Return a new one-time sign-in token for someone, every earlier one of theirs revoked."""
    token = secrets.token_urlsafe(32)
    tx.run("DELETE FROM sign_in_links WHERE user_id = ?", user_id)
    tx.run(
        "INSERT INTO sign_in_links (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
        _token_hash(token),
        user_id,
        now(datetime.timedelta(hours=LINK_HOURS)),
    )
    return token


def add_user(db: Database, email: str, role: str) -> str:
    """Add someone (or keep them, with a new role) and return a one-time sign-in token for 24 hours.

    Without the email ``accounts.add_user`` queues (what ``booklet shop add-user`` does).
    """
    with db.transaction() as tx:
        return new_link(tx, upsert_user(tx, email.strip().lower(), role).id)


def link_user(tx: Tx, token: str) -> User | None:
    """Return whose sign-in link this is, when it is unused and not expired."""
    row = tx.one(
        "SELECT user_id FROM sign_in_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        _token_hash(token),
        now(),
    )
    return user_by_id(tx, row[0]) if row else None


def set_password_hash(tx: Tx, user_id: int, password_hash: str) -> None:
    """Store a new hash of the same password (stronger parameters)."""
    tx.run("UPDATE users SET password_hash = ? WHERE id = ?", password_hash, user_id)


def end_sessions(tx: Tx, user_id: int) -> None:
    """Sign someone out everywhere: every session cookie made before now stops working."""
    tx.run("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?", user_id)


def clear_failures(tx: Tx, email: str) -> None:
    """Forget the failed sign-ins of someone who has just signed in."""
    tx.run("DELETE FROM sign_in_failures WHERE email = ?", email)


def place_order(
    db: Database,
    user_id: int,
    key: str,
    lines: list[Line],
    delivery: tuple[str, str, str],
    then: Callable[[Tx, int], None] | None = None,
) -> tuple[int, bool]:
    """Save an order, empty its basket and keep the delivery for next time, in one transaction.

    Return (its id, whether new). ``key`` is the basket's (:mod:`.basket`): the same
    basket checked out twice (a double click, a retry after an error) is one order, not
    two. ``then(tx, order_id)`` runs in the same transaction after a new order is written
    (its confirmation email is queued there: both are committed, or neither).
    """
    name, address, contact = delivery
    with db.transaction() as tx:
        row = tx.one(
            "INSERT INTO orders (user_id, order_key, status, delivery_name, address, contact, placed_at) "
            "VALUES (?, ?, 'received', ?, ?, ?, ?) ON CONFLICT (order_key) DO NOTHING RETURNING id",
            user_id,
            key,
            name,
            address,
            contact,
            now(),
        )
        if row is None:
            same = tx.one("SELECT id FROM orders WHERE order_key = ? AND user_id = ?", key, user_id)
            if same is None:
                raise ValueError("an order key of another person")
            return same[0], False
        crash_point("checkout:order-inserted")
        for line in lines:
            tx.run(
                "INSERT INTO order_lines (order_id, code, variant, quantity) VALUES (?, ?, ?, ?)",
                row[0],
                line.code,
                line.variant,
                line.quantity,
            )
        tx.run(
            "UPDATE users SET delivery_name = ?, address = ?, contact = ? WHERE id = ?",
            name,
            address,
            contact,
            user_id,
        )
        tx.run("DELETE FROM basket_lines WHERE user_id = ?", user_id)
        tx.run("DELETE FROM baskets WHERE user_id = ?", user_id)
        crash_point("checkout:basket-emptied")
        if then is not None:
            then(tx, row[0])
        crash_point("checkout:before-commit")
    crash_point("checkout:committed")
    return row[0], True


ORDER_COLUMNS = (
    "o.id, o.user_id, u.email, o.status, o.run_id, o.delivery_name, o.address, o.contact, "
    "o.placed_at, o.held, o.held_by, o.cancelled_at, o.merged_into, o.dispatched_at"
)
_ORDER = f"SELECT {ORDER_COLUMNS} FROM orders o JOIN users u ON u.id = o.user_id"


def with_lines(tx: Tx, rows: list[tuple[Any, ...]]) -> list[PlacedOrder]:
    """Return orders (rows of ``ORDER_COLUMNS``) with their lines (read in one query)."""
    if not rows:
        return []
    ids = [row[0] for row in rows]
    lines: dict[object, list[Line]] = {i: [] for i in ids}
    marks = ", ".join("?" for _ in ids)
    for order_id, code, variant, quantity in tx.run(
        # only '?' marks are pasted in: the ids stay bound parameters
        f"SELECT order_id, code, variant, quantity FROM order_lines WHERE order_id IN ({marks}) "
        "ORDER BY order_id, code, variant",
        *ids,
    ):
        lines[order_id].append(Line(code, variant, quantity))
    return [
        PlacedOrder(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            tuple(lines[r[0]]),
            r[9],
            r[10],
            r[11],
            r[12],
            r[13],
        )
        for r in rows
    ]


def orders_where(tx: Tx, condition: str, *params: object) -> list[PlacedOrder]:
    """Return the orders meeting an SQL condition on ``o`` (with bound parameters), oldest first."""
    return with_lines(tx, tx.run(f"{_ORDER} WHERE {condition} ORDER BY o.id", *params))


def order_of(tx: Tx, order_id: int, user_id: int | None) -> PlacedOrder | None:
    """Return one order: of this user only, or anyone's when ``user_id`` is None (the team)."""
    if not 0 < order_id < 2**63:
        return None  # past any id the database keeps
    if user_id is None:
        found = orders_where(tx, "o.id = ?", order_id)
    else:
        found = orders_where(tx, "o.id = ? AND o.user_id = ?", order_id, user_id)
    return found[0] if found else None


def order_by_key(tx: Tx, key: str, user_id: int) -> PlacedOrder | None:
    """Return the order placed with this key (its basket's) by this user, or None."""
    found = orders_where(tx, "o.order_key = ? AND o.user_id = ?", key, user_id)
    return found[0] if found else None


def orders_of(tx: Tx, user_id: int) -> list[PlacedOrder]:
    """Return someone's orders, newest first."""
    return orders_where(tx, "o.user_id = ?", user_id)[::-1]


def waiting(tx: Tx) -> list[PlacedOrder]:
    """Return every order not in a print run and not cancelled (held ones too), oldest first."""
    return orders_where(tx, "o.run_id IS NULL AND o.cancelled_at IS NULL")


def crash_point(name: str) -> None:
    """Stop this process at once (SIGKILL) when $BOOKLET_CRASH_AT names this point.

    The tests kill ``order --from-shop`` and checkout at each of their steps this way and
    check that no order is lost or doubled; unset (always, in use) it does nothing.
    """
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
