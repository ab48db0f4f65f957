"""The shop's safety: password hashes, CSRF tokens, sign-in limits, session rules and HTTP headers.

Passwords are hashed with Argon2id (argon2-cffi), OWASP's first choice for password
storage, at OWASP's minimum parameters (19 MiB of memory, 2 passes, 1 lane: about 48 ms
here); a hash made with weaker parameters is replaced at the next sign-in.

Sign-in is limited: after ``MAX_FAILURES_PER_EMAIL`` wrong passwords for one address, or
``MAX_FAILURES_PER_CLIENT`` from one client, within ``WINDOW_MINUTES``, every attempt is
refused (HTTP 429) until the window has passed. A sign-in for an unknown address costs
the same hash as a real one, so timing does not tell who has an account.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_CLIENT = 30
WINDOW_MINUTES = 15
IDLE_MINUTES = 30  # a session ends after this long without a request
MAX_SESSION_HOURS = 12  # and this long after signing in, whatever happens
MIN_PASSWORD = 10  # characters; no other rule (NIST SP 800-63B)
MAX_PASSWORD = 200

HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)  # OWASP's Argon2id minimum
_DUMMY = HASHER.hash("not anyone's password")  # checked for unknown addresses: the same time


def hash_password(password: str) -> str:
    """Return the Argon2id hash of a password (with its own random salt)."""
    return HASHER.hash(password)


def check_password(stored: str | None, password: str) -> tuple[bool, str | None]:
    """Return (whether the password matches, a new hash to store when the old one is weaker)."""
    try:
        HASHER.verify(stored or _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored is None:
        return False, None
    return True, hash_password(password) if HASHER.check_needs_rehash(stored) else None


def password_problem(password: str, again: str, email: str) -> dict[str, str]:
    """Return field -> message for a new password that cannot be used; empty when it can."""
    if len(password) < MIN_PASSWORD:
        return {
            "password": f"Use at least {MIN_PASSWORD} characters. A few words together are easy to remember."
        }
    if len(password) > MAX_PASSWORD:
        return {"password": f"Use at most {MAX_PASSWORD} characters."}
    if password.strip().lower() == email.lower():
        return {"password": "Do not use your email address as your password."}
    if password != again:
        return {"again": "The two passwords are not the same. Type the same password twice."}
    return {}


def new_token() -> str:
    """Return a random token for a form or a session (256 bits)."""
    return secrets.token_urlsafe(32)


def same(given: str | None, expected: str | None) -> bool:
    """Compare two tokens in constant time; a missing one never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


# Scripts only the shop's own files, never inline (one: the team page's progress, asking the shop
# how far a print run is). Styles and pictures from the shop only. No framing, no plugins,
# forms post only to the shop, and no <base> can redirect links.
CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def headers(secure: bool) -> dict[str, Any]:
    """Return the security headers every response carries."""
    found = {
        "Content-Security-Policy": CSP,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",  # a sign-in link's token never leaves in a Referer
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if secure:
        found["Strict-Transport-Security"] = "max-age=31536000"
    return found
