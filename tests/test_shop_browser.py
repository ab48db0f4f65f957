"""The shop in a real browser, then the team's print run from it (issue 16's browser check).

Headless Chromium (Debian's, driven by playwright-core, as tests/test_catalogue.py does): a
volunteer sets a password from their sign-in link, fills a basket, meets a validation
message, orders and sees the confirmation; the team sees an email the shop gave up on and
tries it again; every page passes axe-core at 1280 and 320 pixels, Tab reaches every
control with a visible focus, nothing scrolls sideways. Then
``booklet order --from-shop`` makes a real print run whose run.csv holds that order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from booklet.source.content import load_publisher
from booklet.web.shop import mail, outbox, runs, store
from booklet.web.shop.db import Database
from tests import tools
from tests.shopkit import FIXTURES, PASSWORD, Server, start_server
from tests.test_catalogue import assert_page_passes, in_browser, run_in_browser

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = start_server(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    yield running
    running.process.terminate()
    running.process.wait(timeout=30)


def link(server: Server, email: str, role: str) -> str:
    db = Database(server.db_url)
    try:
        return f"http://127.0.0.1:{server.port}/welcome/{store.add_user(db, email, role)}"
    finally:
        db.close()


def made_run(server: Server, tmp_path: Path) -> None:
    """Put an earlier order of someone else into a made print run (as an export would)."""
    db = Database(server.db_url)
    try:
        store.add_user(db, "bo@example.org", "volunteer")
        with db.transaction(write=False) as tx:
            bo = store.user_by_email(tx, "bo@example.org")
        assert bo is not None
        lines = [store.Line("TST-01", "easy-read", 5)]
        store.place_order(db, bo.id, "k" * 43, lines, ("Dr Shah", "Clinic B\n2 Low Road", "b@example.org"))
        with db.transaction(write=False) as tx:
            ids = [o.id for o in runs.claimable(tx)]
        run, _ = runs.claim(db, tmp_path / "earlier-run", ids, {})
        runs.finish(db, run.id)
    finally:
        db.close()


def given_up_mail(server: Server) -> None:
    """Put a sign-in link the mail server refused into the outbox, given up (the team's page lists it)."""
    db = Database(server.db_url)
    try:
        with db.transaction() as tx:  # queued and given up at once: the shop's sender never sends it
            message = mail.sign_in_link(
                load_publisher(FIXTURES)[0], "gone@example.org", "http://x/y", 24, True
            )
            outbox.enqueue(tx, message, "sign-in-link")
            tx.run(
                "UPDATE outbox SET failed_at = ?, attempts = 1, last_error = ? WHERE recipient = ?",
                store.now(),
                "550 5.1.1 no such mailbox",
                "gone@example.org",
            )
    finally:
        db.close()


@in_browser
def test_a_volunteer_orders_by_keyboard_and_the_team_prints_and_sends_it(
    server: Server, tmp_path: Path
) -> None:
    made_run(server, tmp_path)  # an earlier run, so that the team's page lists one already
    given_up_mail(server)  # and the team's page shows Email not sent
    shots = Path(os.environ.get("BOOKLET_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    config = {
        "chromium": tools.path("chromium"),
        "shots": str(shots),
        "base": f"http://127.0.0.1:{server.port}",
        "volunteer": {"link": link(server, "ann@example.org", "volunteer"), "password": PASSWORD},
        "team": {"link": link(server, "info@example.org", "team"), "password": PASSWORD},
    }
    result = run_in_browser("shop.mjs", config)
    names = [page["name"] for page in result["pages"]]
    assert names == [
        "sign-in", "welcome", "booklets", "added", "basket", "checkout", "checkout-errors",
        "confirmation", "orders", "forbidden", "not-found", "link-used",
        "team", "team-making", "team-made", "run", "dispatch", "sent", "mail-again",
    ]  # fmt: skip
    for page in result["pages"]:
        assert_page_passes(page, f"{page['name']} ({page['url']})", controls=3)
    order = result["order"]
    # after adding, focus is on the banner naming what was added and the basket's count
    assert order["banner"]["focused"] == "added"
    assert "25 copies of Looking after your skin during treatment, Standard print" in order["banner"]["text"]
    assert "3 copies of Looking after your skin during treatment, Large print" in order["banner"]["text"]
    assert "Your basket has 28 copies" in order["banner"]["text"]
    assert "30 \u00d7 Looking after your skin" in order["lines"]  # 25 changed to 30, then "Check out"
    assert order["errorFocus"] == "error-summary"
    assert order["heading"] == "Order received"
    assert order["forbidden"] == "This page is for the information team"
    number = int(order["number"])
    # the team's button made the run, followed in the page's polite live region with no reload
    assert order["making"]["live"] == "polite"
    assert order["making"]["text"].startswith("Print run ")
    assert re.fullmatch(
        r"Print run \S+ is made with 1 order\(s\)\. Download its files \(zip\) ?"
        r"Show the orders and print runs as they are now",
        order["made"]["text"],
    ), order["made"]
    # its files as a zip, and its run.csv holds the order
    assert order["zip"]["status"] == 200
    assert order["zip"]["type"] == "application/zip"
    assert order["zip"]["size"] > 10_000
    (folder,) = [f for f in (server_out(server) / "print-runs").iterdir() if not f.name.startswith(".")]
    rows = (folder / "run.csv").read_text(encoding="utf-8").splitlines()
    who = f"Order {number} (ann@example.org)"
    assert any(r.startswith(f"order,TST-01,large-print,3,{who},Sister Lee,") for r in rows), rows
    assert any(r.startswith(f"order,TST-01,standard,30,{who},Sister Lee,") for r in rows), rows
    assert not any("bo@example.org" in r for r in rows)  # already in the earlier run
    assert (folder / "sample-booklet-standard-print.pdf").stat().st_size > 10_000
    assert order["sent"]["focused"] == "notice"
    assert f"Order {number} is marked as sent." in order["sent"]["text"]
    assert "Sign-in link gone@example.org" in order["unsent"]
    assert "refused this address for good" in order["unsent"]
    assert order["retried"]["focused"] == "notice"
    assert "The sign-in link to gone@example.org is back in the queue" in order["retried"]["text"]
    status, _, page = server.request("GET", f"/orders/{number}")
    assert status == 303  # signed out: to the sign-in page


def server_out(server: Server) -> Path:
    """Return the output folder a test shop writes print runs into (beside its log)."""
    return server.log.parent
