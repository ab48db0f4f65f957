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


def quantity(
    value: str, code: str, offer: Offer, already: int = 0, in_basket: bool = False
) -> tuple[int | None, str]:
    """Check a quantity typed for a booklet (with ``already`` copies in the basket); return it or why not.

    The rules are the order file's (``orders.check_quantity``); the words are the volunteer's:
    what to type, never how the team would change the limits.
    """
    value = value.strip()
    none = "choose Remove" if in_basket else "leave the box empty"
    if not orders.QUANTITY.fullmatch(value):
        return None, "Enter the number of copies as a whole number, for example 25."
    digits = value.lstrip("+-")
    # 5,000 digits are never converted: too many, said below with the booklet's own limit
    copies = int(digits) if len(digits) <= orders.MAX_QUANTITY_DIGITS else orders.MAX_QUANTITY + 1
    if value.startswith("-") or copies < 1:
        return None, f"Enter at least 1 copy, or {none} to order none."
    limit = offer.limits.of(code)
    title = offer.titles.get(code, code)
    if copies + already > limit:
        helpline = offer.publisher.helpline
        more = (
            f" To order more, call {helpline}." if helpline else " To order more, ask the information team."
        )
        if already:
            return None, (
                f"You can order up to {limit:,} copies of {title} in one order, and {already:,} are "
                f"already in your basket, so you can add up to {max(limit - already, 0):,} more.{more}"
            )
        return None, f"You can order up to {limit:,} copies of {title} in one order.{more}"
    return copies, ""


def copies(count: int) -> str:
    """Return a number of copies in words: '1 copy', '1,200 copies'."""
    return f"{count:,} {'copy' if count == 1 else 'copies'}"


def not_offered(code: str, offer: Offer) -> str:
    """Return, in the volunteer's words, why a booklet in their basket can no longer be ordered."""
    title = offer.titles.get(code, code)
    if code in offer.drafts:
        return f"{code} cannot be ordered now: it is being checked again. It is left out of your order."
    if code in offer.codes:
        return f"{title} cannot be ordered in this format any more. It is left out of your order."
    return f"{code} cannot be ordered any more. It is left out of your order."


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
