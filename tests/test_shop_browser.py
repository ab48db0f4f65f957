"""The shop in a real browser, then the team's print run from it (issue 16's browser check).

Headless Chromium (Debian's, driven by playwright-core, as tests/test_catalogue.py does): a
volunteer sets a password from their sign-in link, fills a basket, meets a validation
message, orders and sees the confirmation; every page passes axe-core at 1280 and 320
pixels, Tab reaches every control with a visible focus, nothing scrolls sideways. Then
``booklet order --from-shop`` makes a real print run whose run.csv holds that order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.web.shop import runs, store
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


@in_browser
def test_a_volunteer_orders_and_the_team_prints_it(server: Server, tmp_path: Path) -> None:
    made_run(server, tmp_path)  # so that the team's page shows a run to mark sent
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
        "sign-in", "welcome", "booklets", "basket", "checkout", "checkout-errors",
        "confirmation", "orders", "forbidden", "not-found", "link-used", "team",
    ]  # fmt: skip
    for page in result["pages"]:
        assert_page_passes(page, f"{page['name']} ({page['url']})", controls=3)
    order = result["order"]
    assert order["heading"] == "Order received"
    assert order["forbidden"] == "This page is for the information team"
    number = int(order["number"])
    team = next(page for page in result["pages"] if page["name"] == "team")
    assert team["keyboard"]["targets"] > 8  # the orders, the run and its button
    # the team makes the print run from the shop: its run.csv holds the order
    out = tmp_path / "run"
    args = ["order", "--from-shop", "--db", server.db_url, "--content", str(FIXTURES), "--out", str(out)]
    result_cli = CliRunner().invoke(main, [*args, "--no-imposed"])
    assert result_cli.exit_code == 0, result_cli.output
    rows = (out / "run.csv").read_text(encoding="utf-8").splitlines()
    who = f"Order {number} (ann@example.org)"
    assert any(r.startswith(f"order,TST-01,large-print,3,{who},Sister Lee,") for r in rows), rows
    assert not any("bo@example.org" in r for r in rows)  # already in the earlier run
    assert any(r.startswith(f"order,TST-01,standard,12,{who},Sister Lee,") for r in rows), rows
    assert (out / "sample-booklet-standard-print.pdf").stat().st_size > 10_000
    status, _, page = server.request("GET", f"/orders/{number}")
    assert status == 303  # signed out: to the sign-in page
