"""The shop under load, on its real server (waitress, started as `booklet shop --http`).

- 1,000 order posts at once (20 at a time, to 127.0.0.1 only) lose none and double none:
  100 of them repeat an earlier form (a double click), and still give one order each.
- ``kill -9`` of the server while orders are being posted loses no order it acknowledged.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from booklet.web.shop.db import Database
from tests import shopkit
from tests.shopkit import DELIVERY, Server, cookie_of, live_sign_in, start_server

pytestmark = pytest.mark.slow
pg = shopkit.pg  # the fixture: a PostgreSQL server of the tests' own
_PLACED = re.compile(r"/orders/(\d+)\?placed=1")


def with_basket(server: Server, email: str) -> tuple[str, str]:
    """Sign someone in and put 10 copies in their basket; return (Cookie header, CSRF token)."""
    cookie, csrf = live_sign_in(server, email)
    form = {"csrf_token": csrf, "code": "TST-01", "qty-TST-01-standard": "10"}
    status, headers, body = server.request("POST", "/basket/add", form, cookie)
    assert status == 303, body
    return cookie_of(headers) or cookie, csrf


def post_order(server: Server, cookie: str, csrf: str, key: str) -> int:
    """Place an order with its form's key; return the order's number the shop acknowledged."""
    form = {"csrf_token": csrf, "order_key": key, **DELIVERY}
    status, headers, body = server.request("POST", "/checkout", form, cookie)
    assert status == 303, f"{status}: {body[:300]}"
    found = _PLACED.fullmatch(headers["location"])
    assert found, headers["location"]
    return int(found.group(1))


def stored(db_url: str) -> dict[str, tuple[int, int]]:
    """Return every stored order: key -> (number, copies on its lines)."""
    db = Database(db_url)
    try:
        with db.transaction(write=False) as tx:
            if db.kind == "sqlite":
                assert tx.one("PRAGMA integrity_check") == ("ok",)
            rows = tx.run(
                "SELECT o.order_key, o.id, SUM(l.quantity) FROM orders o "
                "LEFT JOIN order_lines l ON l.order_id = o.id GROUP BY o.order_key, o.id"
            )
    finally:
        db.close()
    return {key: (number, copies) for key, number, copies in rows}


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """Start `booklet shop --http` on SQLite, then on PostgreSQL."""
    if request.param == "sqlite":
        url = str(tmp_path / "shop.sqlite3")
    else:
        url = request.getfixturevalue("pg").new_database()
    running = start_server(url, tmp_path / "out")
    yield running
    if running.process.poll() is None:
        running.process.terminate()
        running.process.wait(timeout=30)


def test_1000_concurrent_orders_lose_none_and_double_none(server: Server, tmp_path: Path) -> None:
    people = [with_basket(server, f"volunteer{n}@example.org") for n in range(4)]
    unique = [(people[n % 4], secrets.token_urlsafe(32)) for n in range(900)]
    posts = unique + unique[::9]  # 100 forms sent twice
    assert len(posts) == 1000
    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(lambda p: post_order(server, p[0][0], p[0][1], p[1]), posts))
    by_key: dict[str, set[int]] = {}
    for (_, key), number in zip(posts, numbers, strict=True):
        by_key.setdefault(key, set()).add(number)
    assert all(len(found) == 1 for found in by_key.values()), "a form sent twice gave two orders"
    assert len({n for found in by_key.values() for n in found}) == 900
    orders = stored(server.db_url)
    assert len(orders) == 900
    assert {key: (number, 10) for key, found in by_key.items() for number in found} == orders
    with Database(server.db_url).transaction(write=False) as tx:  # each confirmation queued with its order
        assert tx.one("SELECT COUNT(*) FROM outbox WHERE kind = 'order-confirmation'") == (900,)


def test_kill_9_loses_no_acknowledged_order(server: Server, tmp_path: Path) -> None:
    cookie, csrf = with_basket(server, "ann@example.org")
    acknowledged: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def keep_posting() -> None:
        while not stop.is_set():
            key = secrets.token_urlsafe(32)
            try:
                number = post_order(server, cookie, csrf, key)
            except (OSError, http.client.HTTPException, AssertionError):
                return  # the server is gone (maybe in the middle of an answer: not acknowledged)
            with lock:
                acknowledged[key] = number

    threads = [threading.Thread(target=keep_posting) for _ in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 150 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(server.process.pid, signal.SIGKILL)  # in the middle of posting
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    server.process.wait(timeout=30)
    with lock:
        seen = dict(acknowledged)
    assert len(seen) >= 150
    orders = stored(server.db_url)
    missing = {key for key in seen if key not in orders}
    assert not missing, f"{len(missing)} acknowledged order(s) lost"
    assert all(orders[key] == (number, 10) for key, number in seen.items())
    again = start_server(server.db_url, tmp_path / "out")  # and the shop opens again on that database
    try:
        assert again.request("GET", "/sign-in")[0] == 200
    finally:
        again.process.terminate()
        again.process.wait(timeout=30)
