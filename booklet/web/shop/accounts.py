"""Signing in, kept in the database: sign-in links, the failed-sign-in counter, link requests.

- A sign-in link works once, for ``LINK_HOURS``; making a new one deletes every earlier
  link of that person, and using one deletes them all and ends their other sessions.
- The failed-sign-in counter is checked and raised in one write transaction (SQLite's
  write lock; on PostgreSQL an advisory lock), so parallel wrong passwords are counted one
  by one: never more than ``MAX_FAILURES_PER_EMAIL`` are checked in a window.
- "Email me a new sign-in link" is limited per address and per client, and looks the same
  whether or not the address has an account.
"""

from __future__ import annotations

import datetime

from ...model import Publisher
from . import mail, outbox, security
from .db import Database, Tx
from .store import LINK_HOURS, ROLES, User, _token_hash, new_link, now, upsert_user, user_by_email, user_by_id

__all__ = ["LINK_HOURS", "ROLES", "add_user", "attempt", "request_link", "use_link"]

MAX_LINK_REQUESTS_PER_EMAIL = 3  # links sent to one address in LINK_WINDOW
MAX_LINK_REQUESTS_PER_CLIENT = 10  # links asked for by one client in LINK_WINDOW
LINK_WINDOW = datetime.timedelta(hours=1)
_LOCK = 16017  # PostgreSQL advisory lock: one sign-in count at a time (16016 is the migrations')


def _lock(tx: Tx) -> None:
    """Serialise counting on PostgreSQL (SQLite's BEGIN IMMEDIATE already has)."""
    if tx.kind == "postgresql":
        tx.run("SELECT pg_advisory_xact_lock(?)", _LOCK)


def link_url(base_url: str, token: str) -> str:
    """Return the address of a sign-in link."""
    return f"{base_url.rstrip('/')}/welcome/{token}"


def add_user(db: Database, email: str, role: str, base_url: str, publisher: Publisher) -> str:
    """Add someone (or give them a new role), make their sign-in link and queue it by email; return it.

    The person, the link and the email are committed together.
    """
    with db.transaction() as tx:
        known = user_by_email(tx, email)
        user = upsert_user(tx, email, role)
        link = link_url(base_url, new_link(tx, user.id))
        message = mail.sign_in_link(publisher, email, link, LINK_HOURS, new_account=known is None)
        outbox.enqueue(tx, message, "sign-in-link")
    return link


def use_link(tx: Tx, token: str, password_hash: str) -> User | None:
    """Spend a sign-in link and set its owner's password; None when it was used, expired or unknown.

    Every link of that person is deleted, and every session of theirs ends.
    """
    row = tx.one(
        "DELETE FROM sign_in_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? "
        "RETURNING user_id",
        _token_hash(token),
        now(),
    )
    if row is None:
        return None  # unknown, expired, or spent by a request a moment earlier
    tx.run("DELETE FROM sign_in_links WHERE user_id = ?", row[0])
    tx.run(
        "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?",
        password_hash,
        row[0],
    )
    return user_by_id(tx, row[0])


def attempt(db: Database, email: str, client: str) -> bool:
    """Count a sign-in attempt before its password is checked; return False when over the limit.

    The attempt is written as a failure at once (a right password clears it): the check and
    the count are one transaction, so parallel attempts cannot all pass the check.
    """
    since = now(-datetime.timedelta(minutes=security.WINDOW_MINUTES))
    with db.transaction() as tx:
        _lock(tx)
        by_email = tx.one("SELECT COUNT(*) FROM sign_in_failures WHERE email = ? AND at > ?", email, since)
        by_client = tx.one("SELECT COUNT(*) FROM sign_in_failures WHERE client = ? AND at > ?", client, since)
        if (by_email and by_email[0] >= security.MAX_FAILURES_PER_EMAIL) or (
            by_client and by_client[0] >= security.MAX_FAILURES_PER_CLIENT
        ):
            return False
        tx.run("DELETE FROM sign_in_failures WHERE at < ?", now(-datetime.timedelta(days=1)))
        tx.run("INSERT INTO sign_in_failures (email, client, at) VALUES (?, ?, ?)", email, client, now())
    return True


def request_link(db: Database, email: str, client: str, base_url: str, publisher: Publisher) -> bool:
    """Email a new sign-in link to ``email`` if it has an account; False when the client asked too often.

    An address that has had ``MAX_LINK_REQUESTS_PER_EMAIL`` links in the window gets no more
    (nobody can fill someone's mailbox), but the answer is the same as for any address.
    """
    since = now(-LINK_WINDOW)
    with db.transaction() as tx:
        _lock(tx)
        by_client = tx.one("SELECT COUNT(*) FROM link_requests WHERE client = ? AND at > ?", client, since)
        if by_client and by_client[0] >= MAX_LINK_REQUESTS_PER_CLIENT:
            return False
        by_email = tx.one("SELECT COUNT(*) FROM link_requests WHERE email = ? AND at > ?", email, since)
        tx.run("DELETE FROM link_requests WHERE at < ?", now(-datetime.timedelta(days=1)))
        tx.run("INSERT INTO link_requests (email, client, at) VALUES (?, ?, ?)", email, client, now())
        user = user_by_email(tx, email)
        if user is not None and (by_email[0] if by_email else 0) < MAX_LINK_REQUESTS_PER_EMAIL:
            link = link_url(base_url, new_link(tx, user.id))
            message = mail.sign_in_link(publisher, email, link, LINK_HOURS, new_account=False)
            outbox.enqueue(tx, message, "sign-in-link")
    return True
