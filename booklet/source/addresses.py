"""Web and email addresses written in front matter and publisher.yml: parsed, and refused when unsafe.

An address is printed as a link in every format (an ``href`` in HTML and EPUB, a link
annotation in the PDF), so one holding a quote, a space, a control character or an
unexpected scheme would break the markup around it (EPUBCheck refuses the book) or open
something a reader did not ask for. Each address is parsed with :mod:`urllib.parse`.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

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
