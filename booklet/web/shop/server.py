"""What the ``booklet shop`` commands do: serve the shop with waitress, add people, send mail, back up."""

from __future__ import annotations

import errno
import ipaddress
import shutil
import sys
import tempfile
from pathlib import Path

from ...errors import BookletError
from ...log import LOGGER
from ...source.content import load_publisher
from . import accounts, addresses, data, outbox, transport
from .app import Settings, create_app
from .db import Database

THREADS = 8  # waitress worker threads: requests served at once


def loopback(host: str) -> bool:
    """Return whether ``host`` is this computer only (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, behind_proxy: bool, plain_http: bool) -> str:
    """Refuse to serve beyond this computer without HTTPS; return a warning to print ('' for none).

    On loopback the shop is reached through a reverse proxy on the same machine, or tried
    out with --http. On any other address it needs --behind-proxy (an HTTPS proxy in front)
    or an explicit --http, which is warned about: passwords would cross the network in clear.
    """
    if loopback(host) or behind_proxy:
        return ""
    if plain_http:
        return (
            f"Serving plain HTTP on {host}: passwords and addresses cross the network unencrypted. "
            "For real use, put an HTTPS reverse proxy in front and use --behind-proxy (see docs/shop.md)."
        )
    raise BookletError(
        f"--host {host}: the shop would be reached over the network without HTTPS; put an HTTPS "
        "reverse proxy in front and add --behind-proxy (see docs/shop.md), or add --http to accept plain HTTP"
    )


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    threads: int = THREADS,
    behind_proxy: bool = False,
) -> None:
    """Serve the shop with waitress until stopped (Ctrl+C), sending its mail in a thread.

    With ``behind_proxy``, werkzeug's ProxyFix takes the visitor's address, the scheme and
    the host from the proxy's X-Forwarded-For/-Proto/-Host (one proxy); without it no
    forwarded header is trusted.
    """
    import waitress.server

    app = create_app(settings)
    if behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    try:
        server = waitress.server.create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            ident="booklet-shop",
            # waitress drops X-Forwarded-* itself; behind the proxy, ProxyFix reads them instead
            clear_untrusted_proxy_headers=not behind_proxy,
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BookletError(
                f"port {port} on {host} is in use (another shop, or another program): stop it, or use --port"
            ) from None
        raise BookletError(f"{host}:{port}: the shop cannot listen there ({exc.strerror or exc})") from None
    shop = app.extensions["shop"]
    LOGGER.info("The shop's data is in %s (database: %s)", settings.data, shop.db.where)
    LOGGER.info("%s", shop.transport.describe())
    shop.sender.start()
    shown = f"[{host}]" if ":" in host else host
    LOGGER.info("The shop is open at http://%s:%d/", shown, port)
    try:
        server.run()
    finally:
        shop.sender.stop()


def add_user(
    db_url: str, email: str, role: str, base_url: str, content_dir: Path, data_dir: Path, smtp_url: str | None
) -> tuple[str, str]:
    """Add someone (or give them a new link, every earlier one revoked), queue the link by email, send it.

    Returns (the link, valid 24 hours, once; where the email went).
    """
    address, problem = addresses.check(email)
    if problem:
        raise BookletError(f"{email!r}: {problem} (one address, without a name, commas or <>)")
    if role not in accounts.ROLES:
        raise BookletError(f"role {role!r}: use one of {', '.join(accounts.ROLES)}")
    publisher, _ = load_publisher(content_dir)
    way_out = transport.choose(smtp_url, data.outbox(data_dir))
    db = Database(db_url)
    try:
        db.migrate()
        link = accounts.add_user(db, address, role, base_url, publisher)
        outbox.deliver_due(db, way_out)
    finally:
        db.close()
    return link, way_out.describe()


def send_mail(db_url: str, data_dir: Path, smtp_url: str | None) -> outbox.Report:
    """Send every message that is due (for cron); return what was done."""
    way_out = transport.choose(smtp_url, data.outbox(data_dir))
    db = Database(db_url)
    try:
        db.migrate()
        sent = retry = failed = 0
        while True:
            report = outbox.deliver_due(db, way_out)
            sent, retry, failed = sent + report.sent, retry + report.retry, failed + report.failed
            if report == outbox.Report():
                break
        with db.transaction(write=False) as tx:
            given_up = outbox.count_given_up(tx)
    finally:
        db.close()
    LOGGER.info("%s. Sent %d, to try again later %d, given up %d.", way_out.describe(), sent, retry, failed)
    if given_up:
        LOGGER.warning(
            "%d message(s) could not be sent and are given up: the team sees them on its page, "
            "/team/orders, under Email not sent, to try each again or remove it.",
            given_up,
        )
    return outbox.Report(sent, retry, failed)


def backup(db_url: str, target: Path) -> None:
    """Write a consistent copy of the shop's database to ``target`` while the shop runs.

    ``-`` writes it to standard output (for a pipe to ``gzip``, ``ssh`` or ``age``): the copy
    is made in a private temporary folder first, so a reader never gets a half-made one.
    """
    if str(target) == "-":
        with tempfile.TemporaryDirectory(prefix="booklet-backup-") as folder:  # 0700
            made = Path(folder) / "shop-backup"
            backup(db_url, made)
            with made.open("rb") as copy:
                shutil.copyfileobj(copy, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return
    if target.is_dir():
        raise BookletError(f"{target}: is a folder; give the backup a file name")
    db = Database(db_url)
    try:
        db.migrate()
        db.backup(target)
    finally:
        db.close()
    LOGGER.info("Backed up %s to %s", db.where, target)
