"""The shop's messages, as email: order confirmation, sign-in link, dispatch notice.

Each builder returns an ``EmailMessage`` with one recipient; ``outbox.enqueue`` queues it in
the transaction that causes it, and a sender delivers it (``outbox.py``, ``transport.py``).
Bodies are quoted-printable, so a message is plain ASCII whatever its language.
"""

from __future__ import annotations

import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from ...model import Publisher
from ...press.offer import Offer
from ...variants import VARIANTS
from .store import PlacedOrder


def _message(publisher: Publisher, to: str, subject: str, body: list[str]) -> EmailMessage:
    """Return a message from the publisher to one address."""
    mail = EmailMessage()
    mail["Subject"] = subject
    mail["From"] = publisher.email or "orders@localhost"
    mail["To"] = to
    mail.set_content("\n".join(body) + "\n", cte="quoted-printable")
    return mail


def _lines(order: PlacedOrder, offer: Offer) -> list[str]:
    return [
        f"- {line.quantity} x {offer.titles.get(line.code, line.code)} ({line.code}), "
        f"{VARIANTS[line.variant].label if line.variant in VARIANTS else line.variant}"
        for line in order.lines
    ]


def _help(publisher: Publisher) -> str:
    hours = f" ({publisher.helpline_hours})" if publisher.helpline_hours else ""
    return f"Questions? Call {publisher.helpline}{hours}."


def _name(publisher: Publisher) -> str:
    return publisher.short_name or publisher.name


def confirmation(order: PlacedOrder, offer: Offer) -> EmailMessage:
    """Return the confirmation of an order."""
    publisher = offer.publisher
    mail = _message(
        publisher,
        order.email,
        f"Order {order.id} received: printed booklets from {_name(publisher)}",
        [
            "Thank you. We have received your order for printed booklets.",
            "",
            f"Order number: {order.id}",
            "",
            *_lines(order, offer),
            "",
            "We will send them to:",
            order.delivery_name,
            *order.address.splitlines(),
            "",
            f"Contact: {order.contact}",
            "",
            "You can see your order and its status in the order shop, under Your orders.",
            _help(publisher),
        ],
    )
    placed = datetime.datetime.strptime(order.placed_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    mail["Date"] = format_datetime(placed)
    return mail


def dispatch_notice(order: PlacedOrder, offer: Offer) -> EmailMessage:
    """Return the notice that an order's booklets are on their way."""
    publisher = offer.publisher
    return _message(
        publisher,
        order.email,
        f"Order {order.id} is on its way: printed booklets from {_name(publisher)}",
        [
            f"Your order {order.id} has been posted. It should arrive in a few working days.",
            "",
            *_lines(order, offer),
            "",
            "It is addressed to:",
            order.delivery_name,
            *order.address.splitlines(),
            "",
            "If it has not arrived within a week, please tell us.",
            _help(publisher),
        ],
    )


def sign_in_link(publisher: Publisher, email: str, link: str, hours: int, new_account: bool) -> EmailMessage:
    """Return a message with a one-time sign-in link (valid ``hours`` hours)."""
    opening = (
        f"You have been added to the order shop of {_name(publisher)}, where you can order printed booklets."
        if new_account
        else f"Here is a new link to sign in to the order shop of {_name(publisher)}."
    )
    return _message(
        publisher,
        email,
        f"Your sign-in link for the order shop of {_name(publisher)}",
        [
            opening,
            "",
            "Open this link to choose your password and sign in:",
            link,
            "",
            f"The link works once, for {hours} hours. Any earlier link no longer works.",
            (
                "If you do not want an account, you can ignore this email."
                if new_account
                else "If you did not ask for it, ignore this email: nothing changes until the link is used."
            ),
            _help(publisher),
        ],
    )
