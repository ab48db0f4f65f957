"""What the shop keeps: people, sign-in links, orders and print runs, read and written in transactions.

Every function takes an open transaction (``Tx``) or the ``Database`` and uses bound
parameters only. Times are UTC, written ``YYYY-MM-DDTHH:MM:SSZ`` (they sort as text).

An order's life: ``received`` when placed; ``in print run`` when ``claim_pending`` puts it
into a print run (one conditional UPDATE: an order is claimed by one run only); back to
``received`` if that run could not be made (``release_run``); ``dispatched`` when the team
marks the run sent.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .db import Database, Tx

LINK_HOURS = 24  # a sign-in link works for this long, once
ROLES = ("volunteer", "team")
STATUSES = ("received", "in print run", "dispatched")


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


def add_user(db: Database, email: str, role: str) -> str:
    """Add someone (or keep them, with a new role) and return a one-time sign-in token for 24 hours.

    Without the email ``accounts.add_user`` queues (what ``booklet shop add-user`` does).
    """
    email = email.strip().lower()
    token = secrets.token_urlsafe(32)
    with db.transaction() as tx:
        tx.run(
            "INSERT INTO users (email, role, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (email) DO UPDATE SET role = excluded.role",
            email,
            role,
            now(),
        )
        user = user_by_email(tx, email)
        assert user is not None  # just written
        tx.run("DELETE FROM sign_in_links WHERE user_id = ?", user.id)  # a new link revokes the others
        tx.run(
            "INSERT INTO sign_in_links (token_hash, user_id, expires_at) VALUES (?, ?, ?)",
            _token_hash(token),
            user.id,
            now(datetime.timedelta(hours=LINK_HOURS)),
        )
    return token


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
    """Save an order and the delivery for next time, in one transaction; return (its id, whether new).

    ``key`` comes from the form the order was placed with: the same form sent twice (a
    double click, a retry after a lost connection) saves one order, not two. ``then(tx,
    order_id)`` runs in the same transaction after a new order is written (its
    confirmation email is queued there: both are committed, or neither).
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
        if then is not None:
            then(tx, row[0])
    return row[0], True


_ORDER = (
    "SELECT o.id, o.user_id, u.email, o.status, o.run_id, o.delivery_name, o.address, o.contact, "
    "o.placed_at FROM orders o JOIN users u ON u.id = o.user_id"
)


def _with_lines(tx: Tx, rows: list[tuple[Any, ...]]) -> list[PlacedOrder]:
    """Return orders with their lines (read in one query)."""
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
        PlacedOrder(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], tuple(lines[r[0]])) for r in rows
    ]


def order_of(tx: Tx, order_id: int, user_id: int | None) -> PlacedOrder | None:
    """Return one order: of this user only, or anyone's when ``user_id`` is None (the team)."""
    if user_id is None:
        rows = tx.run(_ORDER + " WHERE o.id = ?", order_id)
    else:
        rows = tx.run(_ORDER + " WHERE o.id = ? AND o.user_id = ?", order_id, user_id)
    found = _with_lines(tx, rows)
    return found[0] if found else None


def orders_of(tx: Tx, user_id: int) -> list[PlacedOrder]:
    """Return someone's orders, newest first."""
    return _with_lines(tx, tx.run(_ORDER + " WHERE o.user_id = ? ORDER BY o.id DESC", user_id))


def pending(tx: Tx) -> list[PlacedOrder]:
    """Return every order not yet in a print run, oldest first."""
    return _with_lines(tx, tx.run(_ORDER + " WHERE o.run_id IS NULL ORDER BY o.id"))


def runs(tx: Tx) -> list[tuple[int, str, str, str, int]]:
    """Return the print runs, newest first: (id, folder, status, started, number of orders)."""
    return tx.run(
        "SELECT r.id, r.folder, r.status, r.started_at, COUNT(o.id) FROM runs r "
        "LEFT JOIN orders o ON o.run_id = r.id GROUP BY r.id, r.folder, r.status, r.started_at "
        "ORDER BY r.id DESC"
    )


def claim_pending(db: Database, folder: str) -> tuple[int, list[PlacedOrder]]:
    """Start a print run and put every pending order in it, in one transaction; return both.

    The UPDATE only takes orders that are in no run, so two exports at once can never
    put one order into two runs.
    """
    with db.transaction() as tx:
        row = tx.one(
            "INSERT INTO runs (folder, status, started_at) VALUES (?, 'making', ?) RETURNING id",
            folder,
            now(),
        )
        assert row is not None
        run_id = row[0]
        tx.run(
            "UPDATE orders SET run_id = ?, status = 'in print run' "
            "WHERE run_id IS NULL AND status = 'received'",
            run_id,
        )
        claimed = _with_lines(tx, tx.run(_ORDER + " WHERE o.run_id = ? ORDER BY o.id", run_id))
    return run_id, claimed


def finish_run(db: Database, run_id: int) -> None:
    """Note that a run's folder is written."""
    with db.transaction() as tx:
        tx.run("UPDATE runs SET status = 'made' WHERE id = ?", run_id)


def release_run(db: Database, run_id: int) -> None:
    """Undo a run that could not be made: its orders are pending again, in one transaction."""
    with db.transaction() as tx:
        tx.run("UPDATE orders SET run_id = NULL, status = 'received' WHERE run_id = ?", run_id)
        tx.run("DELETE FROM runs WHERE id = ?", run_id)


def unfinished_runs(tx: Tx) -> list[tuple[int, str]]:
    """Return runs begun but never noted as written: (id, folder)."""
    return tx.run("SELECT id, folder FROM runs WHERE status = 'making' ORDER BY id")


def mark_dispatched(
    db: Database, run_id: int, then: Callable[[Tx, list[PlacedOrder]], None] | None = None
) -> bool:
    """Mark a made run, and its orders, as dispatched; return whether there was such a run.

    ``then(tx, orders)`` runs in the same transaction with the orders dispatched (their
    dispatch notices are queued there).
    """
    with db.transaction() as tx:
        done = tx.run(
            "UPDATE runs SET status = 'dispatched' WHERE id = ? AND status = 'made' RETURNING id", run_id
        )
        if done:
            tx.run("UPDATE orders SET status = 'dispatched' WHERE run_id = ?", run_id)
            if then is not None:
                then(tx, _with_lines(tx, tx.run(_ORDER + " WHERE o.run_id = ? ORDER BY o.id", run_id)))
    return bool(done)
