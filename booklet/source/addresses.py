"""Web and email addresses written in front matter and publisher.yml: parsed, and refused when unsafe.

An address is printed as a link in every format (an ``href`` in HTML and EPUB, a link
annotation in the PDF), so one holding a quote, a space, a control character or an
unexpected scheme would break the markup around it (EPUBCheck refuses the book) or open
something a reader did not ask for. Each address is parsed with :mod:`urllib.parse`.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlsplit

from . import fields

SCHEMES = ("http", "https", "mailto", "tel")  # what a reference's address may be
WEB = ("http", "https")  # what a website or the catalogue's address may be
UNSAFE = frozenset("\"'<>`\\{}|^")
HINT = "write the whole address as the browser shows it, starting with https://, e.g. https://www.example.org/page"


def flaw(address: str, schemes: tuple[str, ...] = SCHEMES) -> str:
    """Return what is wrong with an address ('' when it is a usable link of one of ``schemes``)."""
    for char in address:
        if char in UNSAFE:
            return f"holds {char!r}, which an address cannot hold (write it as %{ord(char):02X})"
        if char.isspace():
            return "holds a space (write it as %20, or remove it)"
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            return f"holds the invisible character U+{ord(char):04X}"
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"is not a web address ({exc})"
    if parts.scheme.lower() not in schemes:
        return f"should start with {' or '.join(s + ':' for s in schemes)}, not '{parts.scheme or address}'"
    if parts.scheme.lower() in WEB and not parts.hostname:
        return "names no site after '//'"
    if parts.scheme.lower() in ("mailto", "tel") and not parts.path:
        return f"has nothing after '{parts.scheme}:'"
    return ""


def _address(value: Any, schemes: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise fields.Invalid(f"should be an address, not {fields.kind(value)}")
    address = value.strip()
    if problem := flaw(address, schemes):
        raise fields.Invalid(f"'{address}' {problem}")
    return address


def web_address(value: Any) -> str:
    """Parse a website's address: http or https, nothing a link cannot hold (flaw)."""
    return _address(value, WEB)


def link_address(value: Any) -> str:
    """Parse a reference's address: http, https, mailto or tel."""
    return _address(value, SCHEMES)


def email_address(value: Any) -> str:
    """Parse an email address: a name, '@' and a domain, nothing a link cannot hold."""
    address = _address(f"mailto:{value.strip()}" if isinstance(value, str) else value, ("mailto",))
    name, at, domain = address.removeprefix("mailto:").rpartition("@")
    if not (at and name and "." in domain):
        raise fields.Invalid(
            f"'{address.removeprefix('mailto:')}' is not an email address (name@example.org)"
        )
    return address.removeprefix("mailto:")
