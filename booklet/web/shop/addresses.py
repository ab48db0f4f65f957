"""Email addresses the shop keeps and writes to, checked with email-validator.

An address is one mailbox: no display name, no second recipient (a comma), no ``<>``, no
control, bidirectional or zero-width character, so a ``To:`` header made from it names one
person. email-validator (the library pydantic and WTForms use) checks the syntax of RFC 5321
and 5322 and the internationalised forms; deliverability (a DNS look-up) is not checked,
as the shop may run without DNS and the team types addresses it knows.
"""

from __future__ import annotations

import re

from ... import plaintext

MAX_EMAIL = 254
_REFUSED = re.compile(r"[,;<>\"()\[\]\\\s]")  # what would make a header hold more than one address


def check(value: str) -> tuple[str, str]:
    """Return an email address, normalised (lower case, NFC), and a message when it is not one."""
    from email_validator import EmailNotValidError, validate_email

    value = plaintext.tidy(value.strip()).lower()
    if not value:
        return value, "Enter your email address."
    if len(value) > MAX_EMAIL or _REFUSED.search(value) or plaintext.problem(value) or value.count("@") != 1:
        return value, "Enter an email address like name@example.org."
    try:
        found = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return value, "Enter an email address like name@example.org."
    return found.normalized.lower(), ""
