"""The shop under load, on its real server (waitress, started as `booklet shop --http`).

- 1,000 order posts at once (20 clients, to 127.0.0.1 only) lose none and double none:
  each client fills its basket and checks it out again and again, and 100 of the
  checkouts are sent twice at once (a double click), still giving one order each.
- ``kill -9`` of the server while orders are being posted loses no order it acknowledged.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from booklet.web.shop.db import Database
from tests import shopkit
from tests.shopkit import DELIVERY, Server, live_sign_in, start_server

pytestmark = pytest.mark.slow
pg = shopkit.pg  # the fixture: a PostgreSQL server of the tests' own
_PLACED = re.compile(r"/orders/(\d+)\?placed=1")


_KEY = re.compile(r'name="order_key" value="([^"]+)"')


def with_basket(server: Server, cookie: str, csrf: str) -> str:
    """Put 10 copies in someone's basket; return the key its checkout form carries."""
    form = {"csrf_token": csrf, "code": "TST-01", "qty-TST-01-standard": "10"}
    status, _, body = server.request("POST", "/basket/add", form, cookie)
    assert status == 303, body
    status, _, page = server.request("GET", "/checkout", cookie=cookie)
    found = _KEY.search(page)
    assert status == 200, page[:300]
    assert found, page[:300]
    return found.group(1)


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
    people = [live_sign_in(server, f"volunteer{n}@example.org") for n in range(20)]

    def client(person: int) -> list[tuple[str, int]]:
        """One client: 45 baskets checked out, every 9th sent twice at once (a double click)."""
        cookie, csrf = people[person]
        placed = []
        for n in range(45):
            key = with_basket(server, cookie, csrf)
            times = 2 if n % 9 == 0 else 1
            with ThreadPoolExecutor(max_workers=times) as clicks:
                sent = [clicks.submit(post_order, server, cookie, csrf, key) for _ in range(times)]
                numbers = [each.result() for each in sent]
            placed += [(key, number) for number in numbers]
        return placed

    with ThreadPoolExecutor(max_workers=20) as pool:
        posts = [post for each in pool.map(client, range(20)) for post in each]
    assert len(posts) == 1000  # 900 baskets, 100 of them sent twice
    by_key: dict[str, set[int]] = {}
    for key, number in posts:
        by_key.setdefault(key, set()).add(number)
    assert all(len(found) == 1 for found in by_key.values()), "a form sent twice gave two orders"
    assert len({n for found in by_key.values() for n in found}) == 900
    orders = stored(server.db_url)
    assert len(orders) == 900
    assert {key: (number, 10) for key, found in by_key.items() for number in found} == orders
    with Database(server.db_url).transaction(write=False) as tx:  # each confirmation queued with its order
        assert tx.one("SELECT COUNT(*) FROM outbox WHERE kind = 'order-confirmation'") == (900,)


def test_kill_9_loses_no_acknowledged_order(server: Server, tmp_path: Path) -> None:
    people = [live_sign_in(server, f"volunteer{n}@example.org") for n in range(8)]
    acknowledged: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def keep_posting(person: int) -> None:
        cookie, csrf = people[person]
        while not stop.is_set():
            try:
                key = with_basket(server, cookie, csrf)
                number = post_order(server, cookie, csrf, key)
            except (OSError, http.client.HTTPException, AssertionError):
                return  # the server is gone (maybe in the middle of an answer: not acknowledged)
            with lock:
                acknowledged[key] = number

    threads = [threading.Thread(target=keep_posting, args=(n,)) for n in range(8)]
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
