"""The shop's email: an outbox filled with what causes it, delivered to a real SMTP server (aiosmtpd).

The server runs in the test on a loopback port; each test reads the messages it received.
TLS with a throwaway certificate authority (trustme): STARTTLS with a login, and smtps.
"""

from __future__ import annotations

import datetime
import re
import sqlite3
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from flask import Flask

from booklet.cli import main
from booklet.source.content import load_publisher
from booklet.web.shop import accounts, mail, outbox, store, transport
from booklet.web.shop.db import Database
from tests import shopkit
from tests.shopkit import (
    FIXTURES,
    Person,
    cookie_of,
    free_port,
    live_sign_in,
    make_app,
    shop_folders,
    sign_in_by_link,
    start_server,
)

pg = shopkit.pg
any_db = shopkit.any_db
USER, PASSWORD = "shop", "p@ss word"  # URL-encoded in the URL: shop:p%40ss%20word


@dataclass
class Inbox:
    """What the SMTP server received: each message, its envelope, and whether it came over TLS."""

    received: list[tuple[list[str], Message, bool, str]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients refused for good (550)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        login = session.auth_data.decode() if session.authenticated and session.auth_data else ""
        tls = server.transport.get_extra_info("sslcontext") is not None  # STARTTLS or smtps
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content), tls, login))
        return "250 OK"

    def messages(self) -> list[Message]:
        return [found[1] for found in self.received]


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, auth_data=USER.encode() if ok else None)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    """Make a throwaway certificate authority, and its certificate as a file (for SSL_CERT_FILE)."""
    ca = trustme.CA()
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return ca, pem


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def starttls(
    authority: tuple[trustme.CA, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Inbox, int]]:
    """Start an SMTP server that requires STARTTLS and a login; the shop trusts its authority."""
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=_server_context(authority[0]),
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=_authenticator,
    )
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(authority[1]))
    yield inbox, port
    controller.stop()


@pytest.fixture
def smtps(authority: tuple[trustme.CA, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Inbox, int]]:
    """Start an SMTP server speaking TLS from the first byte (smtps, port 465's way)."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=_server_context(authority[0]))
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(authority[1]))
    yield inbox, port
    controller.stop()


def starttls_url(port: int) -> str:
    return f"smtp://shop:p%40ss%20word@127.0.0.1:{port}"


def deliver(app: Flask) -> outbox.Report:
    shop = app.extensions["shop"]
    return outbox.deliver_due(shop.db, shop.transport)


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


# ---- SMTP ----


def test_smtp_urls() -> None:
    found = transport.smtp(starttls_url(2525))
    assert (found.scheme, found.host, found.port, found.user, found.password) == (
        "smtp",
        "127.0.0.1",
        2525,
        USER,
        PASSWORD,
    )
    assert transport.smtp("smtps://mail.example.org").port == 465
    assert transport.smtp("smtp://mail.example.org").port == 587
    assert PASSWORD not in found.describe()
    with pytest.raises(Exception, match="smtp://user:password@host:587"):
        transport.smtp("http://mail.example.org")


def test_an_order_confirmation_arrives_over_starttls(
    any_db: str, tmp_path: Path, starttls: tuple[Inbox, int]
) -> None:
    inbox, port = starttls
    app = make_app(any_db, tmp_path / "out", smtp_url=starttls_url(port))
    ann = sign_in_by_link(app, "ann@example.org")
    assert deliver(app).sent == 1  # the sign-in link of add-user
    status, _, location = ann.order()
    assert status == 303
    page = ann.get(location)[1]
    assert "A confirmation is on its way to ann@example.org" in page  # true: an SMTP server is set
    assert deliver(app) == outbox.Report(sent=1)
    (link_to, link, tls, login), (to, confirmation, tls2, login2) = inbox.received
    assert to == link_to == ["ann@example.org"]
    assert tls  # STARTTLS before anything else
    assert tls2
    assert login == login2 == USER
    assert confirmation["To"] == "ann@example.org"
    assert "Order 1 received" in confirmation["Subject"]
    assert "Royal Example Hospital" in body(confirmation)
    assert "sign-in link" in link["Subject"]
    assert deliver(app) == outbox.Report()  # nothing is sent twice


def test_add_user_emails_the_link_it_prints_over_smtps(tmp_path: Path, smtps: tuple[Inbox, int]) -> None:
    inbox, port = smtps
    args = [*shop_folders(tmp_path), "--smtp", f"smtps://127.0.0.1:{port}", "add-user", "ann@example.org"]
    result = CliRunner().invoke(
        main, ["shop", *args, "--role", "volunteer", "--url", "https://shop.example.org"]
    )
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert re.fullmatch(r"https://shop\.example\.org/welcome/[A-Za-z0-9_-]{43}", link)
    ((to, message, tls, _),) = inbox.received
    assert to == ["ann@example.org"]
    assert tls
    assert link in body(message)
    assert "works once, for 24 hours" in body(message)


def test_a_server_that_is_away_is_tried_again_later(
    any_db: str, tmp_path: Path, starttls: tuple[Inbox, int]
) -> None:
    inbox, port = starttls
    away = make_app(any_db, tmp_path / "out", smtp_url=f"smtp://127.0.0.1:{free_port()}")  # nothing listens
    sign_in_by_link(away, "ann@example.org")
    assert deliver(away) == outbox.Report(retry=1)
    db: Database = away.extensions["shop"].db
    with db.transaction(write=False) as tx:
        attempts, next_try, error = tx.one("SELECT attempts, next_try, last_error FROM outbox") or ()
    assert attempts == 1
    assert next_try > store.now(datetime.timedelta(seconds=50))  # a minute later
    assert error
    assert deliver(away) == outbox.Report()  # not due yet
    with db.transaction() as tx:  # a minute passes
        tx.run("UPDATE outbox SET next_try = ?", store.now())
    back = outbox.deliver_due(db, transport.smtp(starttls_url(port)))
    assert back == outbox.Report(sent=1)
    assert [found[0] for found in inbox.received] == [["ann@example.org"]]


def test_sent_messages_are_deleted_after_30_days(tmp_path: Path) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    sign_in_by_link(app, "ann@example.org")
    sign_in_by_link(app, "bo@example.org")
    assert deliver(app).sent == 2
    db: Database = app.extensions["shop"].db
    with db.transaction() as tx:
        tx.run(
            "UPDATE outbox SET sent_at = ? WHERE recipient = ?",
            store.now(-datetime.timedelta(days=31)),
            "ann@example.org",
        )
    deliver(app)
    with db.transaction(write=False) as tx:
        assert tx.run("SELECT recipient FROM outbox") == [("bo@example.org",)]


def test_no_starttls_no_mail(tmp_path: Path) -> None:
    """A server that does not offer STARTTLS gets nothing in clear (no downgrade); nor a wrong password."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)  # no TLS at all
    controller.start()
    try:
        app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out", smtp_url=f"smtp://127.0.0.1:{port}")
        sign_in_by_link(app, "ann@example.org")
        assert deliver(app) == outbox.Report(retry=1)
    finally:
        controller.stop()
    assert inbox.received == []
    with app.extensions["shop"].db.transaction(write=False) as tx:
        assert "STARTTLS" in tx.one("SELECT last_error FROM outbox")[0]


def test_an_order_from_an_address_kept_before_checks_is_still_taken(tmp_path: Path) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    ann = sign_in_by_link(app, "ann@example.org")
    with app.extensions["shop"].db.transaction() as tx:  # as add-user let it in before
        tx.run(
            "UPDATE users SET email = ? WHERE email = ?", "ann@example.org,eve@example.org", "ann@example.org"
        )
    assert ann.order()[0] == 303
    with app.extensions["shop"].db.transaction(write=False) as tx:
        assert tx.one("SELECT COUNT(*) FROM orders") == (1,)
        assert tx.one("SELECT COUNT(*) FROM outbox WHERE kind = 'order-confirmation'") == (0,)


def test_backoff_doubles_up_to_six_hours() -> None:
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.backoff(30) == datetime.timedelta(hours=6)


def test_a_refused_recipient_is_given_up_at_once(tmp_path: Path, starttls: tuple[Inbox, int]) -> None:
    inbox, port = starttls
    inbox.refuse.add("gone@example.org")
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out", smtp_url=starttls_url(port))
    sign_in_by_link(app, "gone@example.org")
    sign_in_by_link(app, "ann@example.org")
    assert deliver(app) == outbox.Report(sent=1, failed=1)
    with app.extensions["shop"].db.transaction(write=False) as tx:
        assert tx.one(
            "SELECT failed_at IS NOT NULL, last_error FROM outbox WHERE recipient = ?", "gone@example.org"
        )[1].startswith("550")


def test_two_senders_never_send_one_message_twice(
    any_db: str, tmp_path: Path, starttls: tuple[Inbox, int]
) -> None:
    inbox, port = starttls
    db = Database(any_db)
    db.migrate()
    publisher = load_publisher(FIXTURES)[0]
    for n in range(20):
        accounts.add_user(db, f"person{n}@example.org", "volunteer", "http://localhost", publisher)
    way = transport.smtp(starttls_url(port))
    reports: list[outbox.Report] = []

    def send_until_done() -> None:
        while (report := outbox.deliver_due(db, way, 3)) != outbox.Report():
            reports.append(report)

    senders = [threading.Thread(target=send_until_done) for _ in range(8)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    assert sum(report.sent for report in reports) == 20
    got = sorted(found[0][0] for found in inbox.received)
    assert got == sorted({f"person{n}@example.org" for n in range(20)})  # each once
    db.close()


# ---- Without SMTP ----


def test_without_smtp_messages_are_private_files_and_no_page_says_sent(tmp_path: Path) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    ann = sign_in_by_link(app, "ann@example.org")
    location = ann.order()[2]
    page = ann.get(location)[1]
    assert "sent" not in page.lower().replace("present", "")
    assert "on its way" not in page
    assert "Your order is saved." in page
    result = CliRunner().invoke(
        main, ["shop", *shop_folders(tmp_path), "send-mail", "--db", str(tmp_path / "shop.sqlite3")]
    )
    assert result.exit_code == 0, result.output
    assert "messages are written to" in result.output
    box = tmp_path / "shop-data" / "outbox"
    assert box.stat().st_mode & 0o777 == 0o700
    names = sorted(path.name for path in box.iterdir())
    assert names == ["000001-sign-in-link.eml", "000002-order-confirmation.eml"]
    assert all((box / name).stat().st_mode & 0o777 == 0o600 for name in names)


def test_an_outbox_that_cannot_be_written_fails_no_order(tmp_path: Path) -> None:
    """The issue's doubled order: the email failing after the commit gave a 500 and a second order."""
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    (tmp_path / "shop-data" / "outbox").write_text("a file where the folder should be")
    ann = sign_in_by_link(app, "ann@example.org")
    status, _, location = ann.order()
    assert status == 303
    assert ann.get(location)[0] == 200
    assert deliver(app) == outbox.Report(retry=2)  # the link and the confirmation wait
    with app.extensions["shop"].db.transaction(write=False) as tx:
        assert tx.one("SELECT COUNT(*) FROM orders") == (1,)
    (tmp_path / "shop-data" / "outbox").unlink()
    with app.extensions["shop"].db.transaction() as tx:
        tx.run("UPDATE outbox SET next_try = ?", store.now())
    assert deliver(app) == outbox.Report(sent=2)


# ---- What the outbox takes ----


@pytest.mark.parametrize("to", ["a@example.org, b@example.org", "Ann <a@example.org>", "a@example.org\x00"])
def test_the_outbox_takes_one_plain_address(tmp_path: Path, to: str) -> None:
    db = Database(str(tmp_path / "shop.sqlite3"))
    db.migrate()
    message = EmailMessage()
    message["From"], message["Subject"] = "orders@example.org", "Hello"
    try:
        message["To"] = to
    except ValueError:
        return  # the email package refuses it already
    with pytest.raises(ValueError, match="outbox"), db.transaction() as tx:
        outbox.enqueue(tx, message, "sign-in-link")
    with db.transaction(write=False) as tx:
        assert outbox.waiting(tx) == 0  # and the transaction it was in is undone
    db.close()


def test_the_dispatch_notice(tmp_path: Path) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    ann = sign_in_by_link(app, "ann@example.org")
    ann.order()
    shop = app.extensions["shop"]
    with shop.db.transaction() as tx:
        placed = store.order_of(tx, 1, None)
        assert placed is not None
        outbox.enqueue(tx, mail.dispatch_notice(placed, shop.offer), "dispatch-notice")
    deliver(app)
    (notice,) = (tmp_path / "shop-data" / "outbox").glob("*-dispatch-notice.eml")
    message = message_from_bytes(notice.read_bytes())
    assert message["To"] == "ann@example.org"
    assert "Order 1 is on its way" in message["Subject"]
    assert "Sister Lee" in body(message)


# ---- Email me a new sign-in link ----


def _ask(person: Person, email: str) -> tuple[int, str]:
    page = person.client.get("/sign-in/new-link").get_data(as_text=True)
    response = person.client.post(
        "/sign-in/new-link", data={"csrf_token": shopkit.csrf_of(page), "email": email}
    )
    return response.status_code, response.get_data(as_text=True)


def test_a_new_link_by_email_answers_the_same_for_anyone(
    any_db: str, tmp_path: Path, starttls: tuple[Inbox, int]
) -> None:
    inbox, port = starttls
    app = make_app(any_db, tmp_path / "out", smtp_url=starttls_url(port))
    ann = sign_in_by_link(app, "ann@example.org")
    deliver(app)
    stranger = Person("", app.test_client())
    status, known = _ask(stranger, "ann@example.org")
    status2, unknown = _ask(stranger, "nobody@example.org")
    assert status == status2 == 200
    assert known.replace("ann@example.org", "X") == unknown.replace("nobody@example.org", "X")
    assert "is on its way" in known
    deliver(app)
    assert [found[0] for found in inbox.received] == [["ann@example.org"], ["ann@example.org"]]
    link = re.search(r"http://127\.0\.0\.1:8000/welcome/\S+", body(inbox.received[-1][1]))
    assert link is not None  # the shop's own address, never the request's Host
    # the new link is the only one: the sign-in session of before still works, the first link not
    assert ann.get("/booklets")[0] == 200


def test_new_links_are_limited(tmp_path: Path) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    sign_in_by_link(app, "ann@example.org")
    stranger = Person("", app.test_client())
    for _ in range(accounts.MAX_LINK_REQUESTS_PER_CLIENT):
        assert _ask(stranger, "ann@example.org")[0] == 200
    assert _ask(stranger, "ann@example.org")[0] == 429
    with app.extensions["shop"].db.transaction(write=False) as tx:
        links = tx.one("SELECT COUNT(*) FROM outbox WHERE kind = 'sign-in-link'")
    assert links == (1 + accounts.MAX_LINK_REQUESTS_PER_EMAIL,)  # add-user's, then 3: no mailbox filled


# ---- The running shop ----


@pytest.mark.slow
def test_the_running_shop_sends_its_mail_by_itself(tmp_path: Path, starttls: tuple[Inbox, int]) -> None:
    """`booklet shop` with BOOKLET_SMTP_URL: its own thread sends, nobody calls send-mail."""
    inbox, port = starttls
    running = start_server(
        str(tmp_path / "shop.sqlite3"), tmp_path / "out", {"BOOKLET_SMTP_URL": starttls_url(port)}
    )
    try:
        cookie, csrf = live_sign_in(running, "ann@example.org")
        form = {"csrf_token": csrf, "code": "TST-01", "qty-TST-01-standard": "10"}
        status, headers, _ = running.request("POST", "/basket/add", form, cookie)
        cookie = cookie_of(headers) or cookie
        status, _, page = running.request("GET", "/checkout", cookie=cookie)
        form = {"csrf_token": csrf, "order_key": shopkit.order_key_of(page), **shopkit.DELIVERY}
        status, headers, _ = running.request("POST", "/checkout", form, cookie)
        assert status == 303
        deadline = time.monotonic() + 30
        while len(inbox.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        running.process.terminate()
        running.process.wait(timeout=30)
    subjects = sorted(str(found[1]["Subject"]) for found in inbox.received)
    assert [s.split(":")[0] for s in subjects] == [
        "Order 1 received",
        "Your sign-in link for the order shop of Lanternfield",
    ]
    log = running.log.read_text()
    assert f"Email is sent through smtp://shop@127.0.0.1:{port}" in log
    assert "p@ss" not in log  # the password is never shown


# ---- Email not sent: the team sees what the shop gave up on ----


def _given_up(app: Flask) -> list[tuple[Any, ...]]:
    """Return (id, kind, recipient, order id, tries) of each message given up, oldest first."""
    db: Database = app.extensions["shop"].db
    with db.transaction(write=False) as tx:
        return tx.run(
            "SELECT id, kind, recipient, order_id, attempts FROM outbox "
            "WHERE failed_at IS NOT NULL ORDER BY id"
        )


def _section(page: str) -> str:
    """Return the team page's "Email not sent" section (up to the next heading), or ''."""
    start = page.find('<h2 id="email-not-sent">')
    return page[start : page.find("<h2", start + 1)] if start >= 0 else ""


def test_a_refused_message_shows_to_the_team_and_is_sent_when_tried_again(
    any_db: str, tmp_path: Path, starttls: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = starttls
    inbox.refuse.add("gone@example.org")
    app = make_app(any_db, tmp_path / "out", smtp_url=starttls_url(port))
    team = sign_in_by_link(app, "info@example.org", "team")
    gone = sign_in_by_link(app, "gone@example.org")
    assert team.get("/team/orders")[1].count("Email not sent") == 0  # nothing given up: no section
    assert gone.order()[0] == 303
    assert deliver(app) == outbox.Report(sent=1, failed=2)  # the team's link; gone's link and confirmation
    (link_id, *link), (order_id, *confirmation) = _given_up(app)
    assert link == ["sign-in-link", "gone@example.org", None, 1]
    assert confirmation == ["order-confirmation", "gone@example.org", 1, 1]

    section = _section(team.get("/team/orders")[1])
    assert "Email not sent" in section
    assert "The shop gave up sending 2 message(s)" in section
    assert section.count("gone@example.org</td>") == 2
    assert "550 5.1.1 no such mailbox" in section  # the server's words
    assert "refused this address for good" in section  # and what they mean
    # newest first: the confirmation was given up after the link (the same second: the later one)
    assert section.index('Order confirmation, <a href="/orders/1">order 1</a>') < section.index(
        "Sign-in link"
    )

    woken: list[bool] = []
    monkeypatch.setattr(app.extensions["shop"].sender, "wake", lambda: woken.append(True))
    inbox.refuse.clear()  # the mailbox is open again
    status, _, location = team.post(f"/team/mail/{order_id}", {"action": "retry"})
    assert (status, location) == (303, "/team/orders#notice")
    assert woken == [True]
    page = team.get("/team/orders")[1]
    assert "The order confirmation (order 1) to gone@example.org is back in the queue" in page
    with app.extensions["shop"].db.transaction(write=False) as tx:
        row = tx.one("SELECT failed_at, attempts, next_try FROM outbox WHERE id = ?", order_id)
    assert row is not None
    assert row[:2] == (None, 0)
    assert row[2] <= store.now()  # due now
    assert 'Order confirmation, <a href="/orders/1">' not in _section(page)
    assert deliver(app) == outbox.Report(sent=1)
    to, message, _, _ = inbox.received[-1]
    assert to == ["gone@example.org"]
    assert str(message["Subject"]).startswith("Order 1 received")
    assert "Royal Example Hospital" in body(message)

    assert team.post(f"/team/mail/{link_id}", {"action": "remove"})[0] == 303
    page = team.get("/team/orders")[1]
    assert "The sign-in link to gone@example.org is removed" in page
    assert _section(page) == ""  # none left: no section
    with app.extensions["shop"].db.transaction(write=False) as tx:
        assert tx.one("SELECT COUNT(*) FROM outbox WHERE id = ?", link_id) == (0,)
    assert team.post(f"/team/mail/{link_id}", {"action": "retry"})[0] == 303  # gone meanwhile
    assert "That message was not changed" in team.get("/team/orders")[1]
    assert deliver(app) == outbox.Report()  # the removed link is never sent


def test_only_the_team_sees_and_changes_email_not_sent(
    any_db: str, tmp_path: Path, starttls: tuple[Inbox, int]
) -> None:
    inbox, port = starttls
    inbox.refuse.add("gone@example.org")
    app = make_app(any_db, tmp_path / "out", smtp_url=starttls_url(port))
    team = sign_in_by_link(app, "info@example.org", "team")
    ann = sign_in_by_link(app, "ann@example.org")
    sign_in_by_link(app, "gone@example.org")
    assert deliver(app) == outbox.Report(sent=2, failed=1)
    ((message_id, *given_up),) = _given_up(app)
    status, page = ann.get("/team/orders")
    assert status == 403
    assert "gone@example.org" not in page
    for action in ("retry", "remove"):
        assert ann.post(f"/team/mail/{message_id}", {"action": action})[0] == 403
        assert team.post(f"/team/mail/{message_id}", {"action": action}, csrf="")[0] == 400  # no CSRF token
        assert team.post(f"/team/mail/{message_id}", {"action": action}, csrf="x" * 43)[0] == 400
        signed_out = Person("", app.test_client())
        assert (
            signed_out.post(f"/team/mail/{message_id}", {"action": action})[0] == 400
        )  # no session: no token
    assert team.post(f"/team/mail/{message_id}", {"action": "send-to-everyone"})[0] == 400
    assert team.post("/team/mail/99999999999999999999", {"action": "remove"})[0] == 404
    assert _given_up(app) == [(message_id, *given_up)]  # unchanged by all of that
    assert "gone@example.org</td>" in _section(team.get("/team/orders")[1])


def test_the_team_page_lists_100_messages_given_up_and_counts_the_rest(tmp_path: Path) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    team = sign_in_by_link(app, "info@example.org", "team")
    publisher = app.extensions["shop"].offer.publisher
    with app.extensions["shop"].db.transaction() as tx:
        for n in range(outbox.SHOWN + 3):
            message = mail.sign_in_link(publisher, f"p{n}@example.org", "http://localhost/x", 24, True)
            outbox.enqueue(tx, message, "sign-in-link")
        tx.run(
            "UPDATE outbox SET failed_at = created_at, attempts = 12, last_error = ? WHERE id > 1",
            "timed out",
        )
    section = _section(team.get("/team/orders")[1])
    assert section.count('value="retry"') == outbox.SHOWN
    assert "The shop gave up sending 103 message(s)" in section
    assert "3 older message(s) are not shown here" in section
    assert "p102@example.org" in section  # newest first
    assert "p0@example.org" not in section
    assert "could not be reached (12 tries)" in section


@pytest.mark.parametrize(
    ("error", "said"),
    [
        ("550 5.1.1 no such mailbox", "refused this address for good"),
        ("554 5.7.1 message rejected as spam", "refused this message for good"),
        ("[Errno 111] Connection refused", "could not be reached (12 tries)"),
        ("127.0.0.1 does not offer STARTTLS", "no encrypted connection (STARTTLS)"),
        ("the SMTP server refused the user and password (535)", "user name and password"),
        ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", "certificate could not be checked"),
        ("/srv/shop-data/outbox: No space left on device", "outbox folder"),
        ("(451, b'4.3.0 try later')", "could not be sent (12 tries)"),
    ],
)
def test_what_went_wrong_in_plain_words(error: str, said: str) -> None:
    assert said in outbox.plain_error(error, 12)


def test_send_mail_says_how_many_are_given_up_and_where_the_team_sees_them(
    tmp_path: Path, starttls: tuple[Inbox, int]
) -> None:
    inbox, port = starttls
    inbox.refuse.add("gone@example.org")
    db = Database(str(tmp_path / "shop.sqlite3"))
    db.migrate()
    accounts.add_user(db, "gone@example.org", "volunteer", "http://localhost", load_publisher(FIXTURES)[0])
    db.close()
    args = ["shop", *shop_folders(tmp_path), "--smtp", starttls_url(port), "send-mail"]
    args += ["--db", str(tmp_path / "shop.sqlite3")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "given up 1." in result.output
    assert "1 message(s) could not be sent and are given up" in result.output
    assert "/team/orders, under Email not sent" in result.output
    again = CliRunner().invoke(main, args)  # still given up: said again at each run
    assert "1 message(s) could not be sent and are given up" in again.output
    with sqlite3.connect(tmp_path / "shop.sqlite3") as conn:
        conn.execute("DELETE FROM outbox")
    quiet = CliRunner().invoke(main, args)
    assert quiet.exit_code == 0, quiet.output
    assert "given up" not in quiet.output.replace("given up 0.", "")
