"""The shop's outgoing email: an outbox table filled inside the transaction that causes each message.

``enqueue(tx, message)`` adds a message in the caller's own transaction: an order and its
confirmation are committed together or not at all, and nothing after the commit can fail
the request. A sender then delivers what is due (``deliver_due``) through a transport
(``transport.py``: an SMTP server, or files in the private data folder) and retries a
message that failed for a passing reason with backoff (1, 2, 4... minutes, at most
``MAX_BACKOFF``), ``MAX_ATTEMPTS`` times; a refusal that will not pass (5xx) ends at once.
The sender is a thread of the shop (:class:`Sender`) and ``booklet shop send-mail`` (cron).

A sent message is deleted after ``KEEP_SENT`` (it holds a name and an address); one given
up stays in the table with its last error (every failure is logged), and the team's page
lists it (``given_up``) to try it again (``try_again``) or delete it (``remove``). Two senders never
send one message at once: each claims its messages for ``LEASE`` with one conditional
UPDATE. A sender killed between sending and noting it sends that message again after the
lease: a message may (rarely) arrive twice, never not at all.
"""

from __future__ import annotations

import datetime
import re
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr

from ...log import LOGGER
from . import addresses
from .db import Database, Tx
from .store import now
from .transport import RefusedError, Transport

MAX_ATTEMPTS = 12  # then the message is given up (about a day and a half of tries)
FIRST_BACKOFF = datetime.timedelta(minutes=1)
MAX_BACKOFF = datetime.timedelta(hours=6)
LEASE = datetime.timedelta(minutes=5)  # a claimed message is another sender's after this
KEEP_SENT = datetime.timedelta(days=30)  # a sent message (it names a person) is deleted after this
BATCH = 50  # messages a sender claims at once
KINDS = ("order-confirmation", "sign-in-link", "dispatch-notice")
KIND_NAMES = dict(zip(KINDS, ("Order confirmation", "Sign-in link", "Dispatch notice"), strict=True))
SHOWN = 100  # given-up messages the team's page lists at most (it counts the rest)


def enqueue(tx: Tx, message: EmailMessage, kind: str, order_id: int | None = None) -> int:
    """Put ``message`` into the outbox within the caller's transaction; return its outbox id.

    The message must have one ``To`` header holding one address (checked with
    email-validator), and a Subject; Date and Message-ID are added when missing.
    ``order_id`` names the order it is about (the team's page shows it if it is given up).
    Raises ValueError for a message that cannot be sent (a bug of the caller, not of
    what someone typed: addresses are checked when they are typed).
    """
    if kind not in KINDS:
        raise ValueError(f"outbox: unknown kind of message {kind!r}")
    recipients = message.get_all("To") or []
    if len(recipients) != 1:
        raise ValueError("outbox: a message has exactly one To header")
    recipient, problem = addresses.check(str(recipients[0]))
    if problem or parseaddr(str(recipients[0]))[1].lower() != recipient:
        raise ValueError(f"outbox: {str(recipients[0])!r} is not one email address")
    if not message["Subject"] or not message["From"]:
        raise ValueError("outbox: a message has a From and a Subject")
    if message["Date"] is None:
        message["Date"] = format_datetime(datetime.datetime.now(datetime.UTC))
    if message["Message-ID"] is None:
        domain = parseaddr(str(message["From"]))[1].rpartition("@")[2] or "localhost"
        message["Message-ID"] = make_msgid(kind, domain=domain)
    raw = message.as_bytes(policy=SMTP).decode("utf-8")  # headers are RFC 2047-encoded ASCII
    row = tx.one(
        "INSERT INTO outbox (kind, recipient, subject, message, created_at, next_try, order_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        kind,
        recipient,
        str(message["Subject"]),
        raw,
        now(),
        now(),
        order_id,
    )
    assert row is not None
    return int(row[0])


@dataclass(frozen=True)
class Queued:
    """A message claimed for sending."""

    id: int
    kind: str
    recipient: str
    sender: str
    raw: bytes
    attempts: int


@dataclass(frozen=True)
class Report:
    """What one round of sending did."""

    sent: int = 0
    retry: int = 0
    failed: int = 0


def backoff(attempts: int) -> datetime.timedelta:
    """Return how long to wait after ``attempts`` failed tries: 1, 2, 4... minutes, at most 6 hours."""
    factor: int = 2 ** max(attempts - 1, 0)
    return min(FIRST_BACKOFF * factor, MAX_BACKOFF)


def _claim(db: Database, limit: int) -> list[Queued]:
    """Claim the messages that are due (one conditional UPDATE: never claimed by two senders)."""
    moment = now()
    # PostgreSQL: a sender passes over rows another is claiming (SQLite has one writer at a time)
    skip = " FOR UPDATE SKIP LOCKED" if db.kind == "postgresql" else ""
    with db.transaction() as tx:
        tx.run("DELETE FROM outbox WHERE sent_at < ?", now(-KEEP_SENT))  # keep no more than needed
        rows = tx.run(
            "UPDATE outbox SET claimed_until = ? WHERE id IN (SELECT id FROM outbox "
            "WHERE sent_at IS NULL AND failed_at IS NULL AND next_try <= ? "
            f"AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?{skip}) "
            "AND (claimed_until IS NULL OR claimed_until < ?) "
            "RETURNING id, kind, recipient, message, attempts",
            now(LEASE),
            moment,
            moment,
            limit,
            moment,
        )
    found = []
    for id_, kind, recipient, raw, attempts in sorted(rows):
        from email import message_from_bytes

        data = raw.encode("utf-8")
        sender = parseaddr(str(message_from_bytes(data)["From"]))[1]
        found.append(Queued(id_, kind, recipient, sender, data, attempts))
    return found


def deliver_due(db: Database, transport: Transport, limit: int = BATCH) -> Report:
    """Send every message that is due through ``transport``; note each one sent, retried or given up."""
    queued = _claim(db, limit)
    if not queued:
        return Report()
    sent = retry = failed = 0
    with ExitStack() as stack:
        try:
            send = stack.enter_context(transport.session())
        except OSError as exc:  # the server cannot be reached: every message is tried again later
            for message in queued:
                give_up = message.attempts + 1 >= MAX_ATTEMPTS
                error = str(exc) or type(exc).__name__
                _note(db, message.id, message.attempts + 1, error=error, give_up=give_up)
                failed, retry = (failed + 1, retry) if give_up else (failed, retry + 1)
            LOGGER.warning(
                "The shop's mail server cannot be reached (%s): %d messages wait", exc, len(queued)
            )
            return Report(sent, retry, failed)
        for message in queued:
            attempts = message.attempts + 1
            try:
                send(message.id, message.kind, message.sender, message.recipient, message.raw)
            except RefusedError as exc:
                _note(db, message.id, attempts, error=str(exc), give_up=True)
                LOGGER.warning("Message %d to %s refused, not sent: %s", message.id, message.recipient, exc)
                failed += 1
                continue
            except OSError as exc:  # smtplib's errors are OSErrors: a server away, a passing refusal
                give_up = attempts >= MAX_ATTEMPTS
                _note(db, message.id, attempts, error=str(exc) or type(exc).__name__, give_up=give_up)
                LOGGER.warning(
                    "Message %d to %s not sent (try %d): %s", message.id, message.recipient, attempts, exc
                )
                failed, retry = (failed + 1, retry) if give_up else (failed, retry + 1)
                continue
            _note(db, message.id, attempts)
            sent += 1
    return Report(sent, retry, failed)


def _note(db: Database, message_id: int, attempts: int, error: str = "", give_up: bool = False) -> None:
    """Note the outcome of one try: sent (no error), to be tried again, or given up."""
    with db.transaction() as tx:
        if not error:
            tx.run(
                "UPDATE outbox SET sent_at = ?, attempts = ?, claimed_until = NULL WHERE id = ?",
                now(),
                attempts,
                message_id,
            )
        elif give_up:
            tx.run(
                "UPDATE outbox SET failed_at = ?, attempts = ?, last_error = ?, claimed_until = NULL "
                "WHERE id = ?",
                now(),
                attempts,
                error[:500],
                message_id,
            )
        else:
            tx.run(
                "UPDATE outbox SET next_try = ?, attempts = ?, last_error = ?, claimed_until = NULL "
                "WHERE id = ?",
                now(backoff(attempts)),
                attempts,
                error[:500],
                message_id,
            )


def waiting(tx: Tx) -> int:
    """Return how many messages are neither sent nor given up."""
    row = tx.one("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class GivenUp:
    """A message the shop stopped trying to send, as the team's page lists it."""

    id: int
    kind: str
    recipient: str
    order_id: int | None
    failed_at: str
    attempts: int
    last_error: str

    @property
    def what(self) -> str:
        """Return what the message is, in words: 'Order confirmation', 'Sign-in link'..."""
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def why(self) -> str:
        """Return why it was not sent, in plain words (the server's own words are ``last_error``)."""
        return plain_error(self.last_error, self.attempts)


_GIVEN_UP = "SELECT id, kind, recipient, order_id, failed_at, attempts, last_error FROM outbox"


def given_up(tx: Tx, limit: int = SHOWN) -> tuple[list[GivenUp], int]:
    """Return the messages given up, newest first (at most ``limit``), and how many there are in all."""
    rows = tx.run(
        f"{_GIVEN_UP} WHERE failed_at IS NOT NULL AND sent_at IS NULL "
        "ORDER BY failed_at DESC, id DESC LIMIT ?",
        limit,
    )
    return [GivenUp(*row) for row in rows], count_given_up(tx)


def count_given_up(tx: Tx) -> int:
    """Return how many messages are given up (neither sent nor to be tried again)."""
    row = tx.one("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL AND sent_at IS NULL")
    return int(row[0]) if row else 0


def try_again(db: Database, message_id: int) -> GivenUp | None:
    """Put a given-up message back in the queue, due now, its tries counted from 0; return what it was.

    None when it is not given up (tried again or removed meanwhile, or no such message).
    """
    with db.transaction() as tx:
        row = tx.one(f"{_GIVEN_UP} WHERE id = ? AND failed_at IS NOT NULL AND sent_at IS NULL", message_id)
        again = tx.run(
            "UPDATE outbox SET failed_at = NULL, attempts = 0, next_try = ?, claimed_until = NULL "
            "WHERE id = ? AND failed_at IS NOT NULL AND sent_at IS NULL RETURNING id",
            now(),
            message_id,
        )
    return GivenUp(*row) if row and again else None


def remove(db: Database, message_id: int) -> GivenUp | None:
    """Delete a given-up message (it holds a person's address); return what it was (None: not given up)."""
    with db.transaction() as tx:
        row = tx.one(
            "DELETE FROM outbox WHERE id = ? AND failed_at IS NOT NULL AND sent_at IS NULL "
            "RETURNING id, kind, recipient, order_id, failed_at, attempts, last_error",
            message_id,
        )
    return GivenUp(*row) if row else None


# What went wrong, in plain words: (words the error holds, lowercase; what to say)
_PLAIN = (
    ("starttls", "The mail server offers no encrypted connection (STARTTLS), so nothing was sent to it."),
    ("user and password", "The mail server refused the shop's user name and password (BOOKLET_SMTP_URL)."),
    ("certificate", "The mail server's certificate could not be checked, so nothing was sent to it."),
    ("outbox", "The message could not be written into the shop's outbox folder (is the disk full?)."),
)
_STATUS = re.compile(r"\b5\.([0-7])\.\d{1,3}\b")
_AWAY = ("refused", "timed out", "unreachable", "name or service", "reset", "errno", "timeout")


def plain_error(error: str, attempts: int) -> str:
    """Return what an outbox error means, in words the information team can act on."""
    low = error.lower()
    code = error[:3] if error[:3].isdigit() else ""
    status = _STATUS.search(error)  # RFC 3463's enhanced status code: 5.1.x the address, 5.2.x the mailbox
    about_address = status.group(1) in "12" if status else code in ("550", "551", "553")
    if code.startswith("5") and about_address:
        return "The mail server refused this address for good: mistyped, or the mailbox closed or full."
    if code.startswith("5"):
        return "The mail server refused this message for good."
    for words, said in _PLAIN:
        if words in low:
            return said
    if any(words in low for words in _AWAY):
        return f"The mail server could not be reached ({attempts} tries)."
    return f"The message could not be sent ({attempts} tries)."


class Sender:
    """A thread of the shop that sends what is due, every ``interval`` seconds or when woken."""

    def __init__(self, db: Database, transport: Transport, interval: float = 10.0) -> None:
        self.db = db
        self.transport = transport
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="booklet-shop-mail", daemon=True)

    def start(self) -> None:
        """Start sending in the background."""
        self._thread.start()

    def wake(self) -> None:
        """Send now rather than at the next interval (after a commit that queued a message)."""
        self._wake.set()

    def stop(self) -> None:
        """Stop after the round in progress."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=60)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                deliver_due(self.db, self.transport)
            except Exception:  # a database away for a moment: try again at the next round
                LOGGER.exception("The shop's mail could not be sent this round")
            self._wake.wait(self.interval)
            self._wake.clear()
