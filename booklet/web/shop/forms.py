"""Check what people type into the shop, with a message for each field (the order file's own rules).

A basket line's quantity and the delivery are checked by the same functions as a row of
an order file (``booklet.press.orders``): the shop cannot accept what ``booklet order`` would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ... import plaintext
from ...press import csvfile, orders
from ...press.offer import Offer
from . import addresses


@dataclass
class Checked:
    """A form's values, cleaned, and a message for each field that is wrong."""

    values: dict[str, str]
    errors: dict[str, str]


def _sentence(message: str) -> str:
    """Return a problem as a sentence for the page: 'The delivery name is empty.'."""
    return message[:1].upper() + message[1:].rstrip(".") + "."


def field_id(code: str, variant: str) -> str:
    """Return the name of a quantity field: 'qty-SLC-01-standard'."""
    return f"qty-{code}-{variant}"


def quantity(value: str, code: str, offer: Offer, already: int = 0) -> tuple[int | None, str]:
    """Check a quantity typed for a booklet (with ``already`` copies in the basket); return it or why not."""
    value = value.strip()
    copies, what, hint = orders.check_quantity(value, code, offer.limits)
    if copies is None:
        return None, f"{_sentence(what)} {_sentence(hint)}"
    limit = offer.limits.of(code)
    if copies + already > limit:
        return None, (
            f"You can order at most {limit:,} copies of {code} at a time; "
            f"{already:,} are already in your basket."
        )
    return copies, ""


def delivery(form: Mapping[str, str]) -> Checked:
    """Check the delivery name, address and contact of an order."""
    values = {  # NFC: one way of writing each letter, as typed on any keyboard
        "delivery_name": plaintext.tidy(" ".join(form.get("delivery_name", "").split())),
        "address": plaintext.tidy(orders.tidy_address(form.get("address", ""))),
        "contact": plaintext.tidy(form.get("contact", "").strip()),
    }
    errors = {
        field: f"{_sentence(what)} {_sentence(hint)}"
        for field, (what, hint) in orders.check_delivery(
            values["delivery_name"], values["address"], values["contact"]
        ).items()
    }
    for field, value in values.items():
        if field not in errors and len(value) > csvfile.MAX_FIELD_CHARS:
            errors[field] = f"Use at most {csvfile.MAX_FIELD_CHARS:,} characters."
        elif field not in errors and plaintext.problem(value):  # bidi controls, zero-width, controls
            errors[field] = plaintext.problem(value)
    return Checked(values, errors)


def email(value: str) -> tuple[str, str]:
    """Return an email address, cleaned, and a message when it is not one (``addresses.check``)."""
    return addresses.check(value)
