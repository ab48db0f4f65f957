"""What the ``booklet shop`` commands do: serve the shop with waitress, add people, back up."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from ...errors import BookletError
from ...log import LOGGER
from . import store
from .app import Settings, create_app
from .db import Database
from .forms import email as check_email

THREADS = 8  # waitress worker threads: requests served at once


def loopback(host: str) -> bool:
    """Return whether ``host`` is this computer only (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, threads: int = THREADS) -> None:
    """Serve the shop with waitress until stopped (Ctrl+C).

    Behind an HTTPS reverse proxy, waitress trusts the proxy's X-Forwarded-* headers
    only from the proxy's own address (loopback), so request.remote_addr is the visitor.
    """
    import waitress

    app = create_app(settings)
    LOGGER.info(
        "The shop is open at http://%s:%d/ (database: %s)", host, port, Database(settings.db_url).where
    )
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=threads,
        trusted_proxy="127.0.0.1",
        trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"},
        clear_untrusted_proxy_headers=True,
        ident="booklet-shop",
    )


def add_user(db_url: str, email: str, role: str, base_url: str) -> str:
    """Add someone to the shop (or give them a new link) and return their sign-in link, valid 24 hours."""
    address, problem = check_email(email)
    if problem:
        raise BookletError(f"{email!r}: {problem}")
    if role not in store.ROLES:
        raise BookletError(f"role {role!r}: use one of {', '.join(store.ROLES)}")
    db = Database(db_url)
    try:
        db.migrate()
        token = store.add_user(db, address, role)
    finally:
        db.close()
    return f"{base_url.rstrip('/')}/welcome/{token}"


def backup(db_url: str, target: Path) -> None:
    """Write a consistent copy of the shop's database to ``target`` while the shop runs."""
    if target.is_dir():
        raise BookletError(f"{target}: is a folder; give the backup a file name")
    db = Database(db_url)
    try:
        db.migrate()
        db.backup(target)
    finally:
        db.close()
    LOGGER.info("Backed up %s to %s", db.where, target)
