"""Order confirmations as email files in an outbox folder (no mail server needed).

Each confirmation is one RFC 5322 message, ``OUT/shop-outbox/order-000123.eml``, written
atomically: a mail program (or a cron job with ``sendmail -t``) can send the folder.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from ... import output
from ...press.offer import Offer
from ...variants import VARIANTS
from .store import PlacedOrder


def outbox_file(outbox: Path, order_id: int) -> Path:
    """Return where an order's confirmation is written."""
    return outbox / f"order-{order_id:06d}.eml"


def message(order: PlacedOrder, offer: Offer) -> EmailMessage:
    """Return the confirmation of an order as an email."""
    import datetime

    publisher = offer.publisher
    mail = EmailMessage()
    mail["Subject"] = (
        f"Order {order.id} received: printed booklets from {publisher.short_name or publisher.name}"
    )
    mail["From"] = publisher.email or "orders@localhost"
    mail["To"] = order.email
    placed = datetime.datetime.strptime(order.placed_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    mail["Date"] = format_datetime(placed)
    mail["Message-ID"] = make_msgid(f"order-{order.id}")
    lines = [
        f"- {line.quantity} x {offer.titles.get(line.code, line.code)} ({line.code}), "
        f"{VARIANTS[line.variant].label if line.variant in VARIANTS else line.variant}"
        for line in order.lines
    ]
    hours = f" ({publisher.helpline_hours})" if publisher.helpline_hours else ""
    body = [
        "Thank you. We have received your order for printed booklets.",
        "",
        f"Order number: {order.id}",
        "",
        *lines,
        "",
        "We will send them to:",
        order.delivery_name,
        *order.address.splitlines(),
        "",
        f"Contact: {order.contact}",
        "",
        "You can see your order and its status in the order shop, under Your orders.",
        f"Questions? Call {publisher.helpline}{hours}.",
    ]
    mail.set_content("\n".join(body) + "\n")
    return mail


def confirm(order: PlacedOrder, offer: Offer, outbox: Path) -> Path:
    """Write an order's confirmation into the outbox; return the file."""
    path = outbox_file(outbox, order.id)
    outbox.mkdir(parents=True, exist_ok=True)
    output.write_bytes(path, bytes(message(order, offer)))
    return path
