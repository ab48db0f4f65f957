"""The shop's data and sign-in: a private data folder, one-time links, an atomic limit, a careful server."""

from __future__ import annotations

import concurrent.futures
import http.client
import logging
import socket
import stat
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from booklet.cli import main
from booklet.errors import BookletError
from booklet.press import print_run
from booklet.source.content import load_publisher
from booklet.web.shop import accounts, data, security, server, store
from booklet.web.shop.db import Database
from tests import shopkit
from tests.shopkit import DELIVERY, FIXTURES, PASSWORD, csrf_of, free_port, make_app, sign_in_by_link

pg = shopkit.pg
any_db = shopkit.any_db
ROOT = Path(__file__).parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- The data folder ----


def test_the_data_folder_and_its_files_are_private(tmp_path: Path) -> None:
    make_app(str(tmp_path / "shop-data" / "shop.sqlite3"), tmp_path / "out")
    folder = tmp_path / "shop-data"
    assert mode(folder) == 0o700
    for path in folder.iterdir():  # made wider by hand, or by an older shop: narrowed at start
        path.chmod(0o644)
    folder.chmod(0o755)
    make_app(str(tmp_path / "shop-data" / "shop.sqlite3"), tmp_path / "out")
    assert mode(folder) == 0o700
    names = sorted(path.name for path in folder.iterdir())
    assert names == ["session.key", "shop.sqlite3", "shop.sqlite3-shm", "shop.sqlite3-wal"]
    assert {name: mode(folder / name) for name in names} == dict.fromkeys(names, 0o600)
    assert not (tmp_path / "out").exists()  # nothing of the shop's in the published folder


def test_the_session_key_is_a_file_not_in_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    key = (tmp_path / "shop-data" / "session.key").read_text().strip()
    assert app.config["SECRET_KEY"] == key
    assert len(key) == 64
    with app.extensions["shop"].db.transaction(write=False) as tx:
        assert tx.run("SELECT name FROM settings") == []
    assert make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out").config["SECRET_KEY"] == key  # kept
    monkeypatch.setenv(data.ENV_SECRET, "k" * 40)
    assert make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out").config["SECRET_KEY"] == "k" * 40
    monkeypatch.setenv(data.ENV_SECRET, "short")
    with pytest.raises(BookletError, match="at least 32"):
        make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")


def test_the_default_data_folder_is_beside_the_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(data.ENV_DATA, raising=False)
    assert data.folder(tmp_path / "content") == (tmp_path / "shop-data").resolve()
    monkeypatch.setenv(data.ENV_DATA, str(tmp_path / "elsewhere"))
    assert data.folder(tmp_path / "content") == tmp_path / "elsewhere"
    assert data.folder(tmp_path / "content", tmp_path / "given") == tmp_path / "given"


def test_a_data_folder_inside_the_output_is_refused(tmp_path: Path) -> None:
    args = [
        "shop",
        "--content",
        str(FIXTURES),
        "--out",
        str(tmp_path / "out"),
        "--data",
        str(tmp_path / "out" / "d"),
    ]
    result = CliRunner().invoke(main, [*args, "send-mail"])
    assert result.exit_code == 1
    assert "inside the output folder" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "d").exists()


def test_an_old_layout_is_moved_and_loses_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = Database(str(out / "shop.sqlite3"))
    old.migrate()
    publisher = load_publisher(FIXTURES)[0]
    accounts.add_user(old, "ann@example.org", "volunteer", "http://localhost", publisher)
    with old.transaction() as tx:
        user = store.user_by_email(tx, "ann@example.org")
        assert user is not None
    store.place_order(
        old,
        user.id,
        "k" * 43,
        [store.Line("TST-01", "standard", 5)],
        ("Ann", "1 Road\nEX1 1AA", "ann@example.org"),
    )
    (out / "shop-outbox").mkdir()
    (out / "shop-outbox" / "order-000001.eml").write_bytes(b"To: ann@example.org\n\nHello\n")
    (out / "shop.sqlite3").chmod(0o644)
    # the old shop's process is killed: its last commits are still in the WAL, not the database file
    for suffix in ("", "-wal", "-shm"):
        copy = tmp_path / f"copy{suffix}"
        copy.write_bytes(Path(f"{out / 'shop.sqlite3'}{suffix}").read_bytes())
    old.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out / 'shop.sqlite3'}{suffix}").write_bytes((tmp_path / f"copy{suffix}").read_bytes())
    assert (out / "shop.sqlite3-wal").stat().st_size > 0
    caplog.set_level(logging.WARNING, "booklet")
    folder, url = data.database_url(FIXTURES, out, tmp_path / "shop-data", None)
    moved = [r.getMessage() for r in caplog.records if "Moved" in r.getMessage()]
    assert len(moved) == 1
    assert "shop.sqlite3 and shop-outbox/ (1 messages)" in moved[0]
    assert sorted(path.name for path in out.iterdir()) == []  # nothing left to publish
    assert mode(folder / "shop.sqlite3") == 0o600
    assert (folder / "outbox" / "order-000001.eml").read_bytes().endswith(b"Hello\n")
    new = Database(url)
    new.migrate()
    with new.transaction(write=False) as tx:
        assert store.user_by_email(tx, "ann@example.org") is not None
        assert len(store.orders_of(tx, user.id)) == 1
        assert tx.one("SELECT COUNT(*) FROM outbox") == (1,)
    new.close()
    caplog.clear()
    data.database_url(FIXTURES, out, tmp_path / "shop-data", None)  # once only
    assert not [r for r in caplog.records if "Moved" in r.getMessage()]


def test_a_shop_command_moves_an_old_layout_and_says_so_once(tmp_path: Path) -> None:
    old = Database(str(tmp_path / "out" / "shop.sqlite3"))
    old.migrate()
    accounts.add_user(old, "ann@example.org", "team", "http://localhost", load_publisher(FIXTURES)[0])
    old.close()
    args = ["shop", "--content", str(FIXTURES), "--out", str(tmp_path / "out"), "--data", str(tmp_path / "d")]
    first = CliRunner().invoke(main, [*args, "send-mail"])
    assert first.exit_code == 0, first.output
    moved = [line for line in first.output.splitlines() if line.startswith("Moved")]
    assert moved == [
        f"Moved the shop's shop.sqlite3 from {tmp_path / 'out'} (which is published) "
        f"into its private data folder {tmp_path / 'd'}"
    ]
    assert "Sent 1" in first.output  # add-user's link, queued in the old database, sent from the new
    assert list((tmp_path / "out").iterdir()) == []
    again = CliRunner().invoke(main, [*args, "send-mail"])
    assert "Moved" not in again.output


def test_print_run_files_that_name_people_are_private(tmp_path: Path) -> None:
    files = {
        "orders.csv": b"a",
        "summary.txt": b"b",
        "run.csv": b"c",
        "packing-list.txt": b"d",
        "x.pdf": b"%PDF",
    }
    print_run._write_run(tmp_path / "run", files)
    modes = {path.name: mode(path) for path in (tmp_path / "run").iterdir()}
    assert modes == {
        "orders.csv": 0o600,
        "summary.txt": 0o600,
        "run.csv": 0o600,
        "packing-list.txt": 0o600,
        "x.pdf": 0o644,
    }


def test_a_backup_is_private(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.sqlite3")
    server.backup(db, tmp_path / "backup.sqlite3")
    assert mode(tmp_path / "backup.sqlite3") == 0o600


# ---- Sign-in links ----


def _link(app: Flask, email: str) -> str:
    db: Database = app.extensions["shop"].db
    return accounts.add_user(
        db, email, "volunteer", "http://localhost", app.extensions["shop"].offer.publisher
    )


def test_a_new_link_revokes_every_earlier_one(any_db: str, tmp_path: Path) -> None:
    app = make_app(any_db, tmp_path / "out")
    first, second = _link(app, "ann@example.org"), _link(app, "ann@example.org")
    client = app.test_client()
    assert client.get(first.removeprefix("http://localhost")).status_code == 404
    assert client.get(second.removeprefix("http://localhost")).status_code == 200


def test_setting_a_password_ends_every_other_session(any_db: str, tmp_path: Path) -> None:
    app = make_app(any_db, tmp_path / "out")
    ann = sign_in_by_link(app, "ann@example.org")
    assert ann.get("/booklets")[0] == 200
    again = sign_in_by_link(app, "ann@example.org")  # a new link, a new password, elsewhere
    assert again.get("/booklets")[0] == 200
    assert ann.client.get("/booklets").status_code == 303  # the other session has ended
    with app.extensions["shop"].db.transaction(write=False) as tx:
        assert tx.one("SELECT COUNT(*) FROM sign_in_links") == (0,)  # every link spent


def _try(app: Flask, email: str, password: str) -> int:
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    form = {"csrf_token": csrf_of(page), "email": email, "password": password}
    return client.post("/sign-in", data=form).status_code


def test_parallel_wrong_passwords_are_counted_one_by_one(any_db: str, tmp_path: Path) -> None:
    app = make_app(any_db, tmp_path / "out")
    sign_in_by_link(app, "ann@example.org")
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda _: _try(app, "ann@example.org", "wrong password!"), range(16)))
    assert statuses.count(400) == security.MAX_FAILURES_PER_EMAIL  # checked: exactly the limit
    assert statuses.count(429) == 16 - security.MAX_FAILURES_PER_EMAIL
    assert _try(app, "ann@example.org", PASSWORD) == 429  # and the right one waits too


def test_a_right_password_clears_the_count(tmp_path: Path) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    sign_in_by_link(app, "ann@example.org")
    for _ in range(security.MAX_FAILURES_PER_EMAIL - 1):
        assert _try(app, "ann@example.org", "wrong password!") == 400
    assert _try(app, "ann@example.org", PASSWORD) == 303
    assert _try(app, "ann@example.org", "wrong password!") == 400


@pytest.mark.parametrize("number", [2**63, 2**64, 10**30])
def test_an_id_beyond_64_bits_is_not_found(tmp_path: Path, number: int) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    ann = sign_in_by_link(app, "ann@example.org")
    team = sign_in_by_link(app, "info@example.org", "team")
    assert ann.get(f"/orders/{number}")[0] == 404
    assert team.post(f"/team/runs/{number}/dispatched", {})[0] == 404
    assert ann.get(f"/orders/{2**63 - 1}")[0] == 404  # the largest id: no such order


# ---- What people type ----


@pytest.mark.parametrize(
    "email",
    [
        "ann@example.org\x00",
        "ann@example.org,bob@example.org",
        "Ann <ann@example.org>",
        "ann\u202e@example.org",
        "ann\u200b@example.org",
    ],
)
def test_add_user_refuses_an_address_that_is_not_one_mailbox(tmp_path: Path, email: str) -> None:
    with pytest.raises(BookletError, match="email address like"):
        server.add_user(
            str(tmp_path / "s.sqlite3"), email, "volunteer", "http://x", FIXTURES, tmp_path / "d", None
        )


@pytest.mark.parametrize("character", ["\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\x00"])
def test_a_delivery_with_an_invisible_character_is_refused(tmp_path: Path, character: str) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    ann = sign_in_by_link(app, "ann@example.org")
    for name in ("delivery_name", "address"):
        status, page, _ = ann.order({**DELIVERY, name: f"Ward 7 {character}AA1 1XE"})
        assert status == 400
        assert "holds an invisible or control character" in page


def test_an_order_file_with_an_invisible_character_is_refused_with_its_line(tmp_path: Path) -> None:
    from booklet.press import orders

    problems = orders.check_delivery("Sister Lee\u202e", "Ward 7\nEX1 1AA", "01234 567890")
    assert list(problems) == ["delivery_name"]
    assert "invisible or control character" in problems["delivery_name"][0]


def test_an_order_file_is_read_in_nfc(tmp_path: Path) -> None:
    from booklet.press import orders

    path = tmp_path / "orders.csv"
    row = 'TST-01,standard,5,ann,Zoe\u0301 Bren\u0303a,"Cafe\u0301 Lane, EX1 1AA",01234 567890'
    path.write_text(",".join(orders.COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    (order,) = orders.read_orders(path, {"TST-01": ["standard"]})
    assert order.delivery_name == "Zo\u00e9 Bre\u00f1a"
    assert order.address == "Caf\u00e9 Lane, EX1 1AA"


def test_names_and_addresses_are_kept_in_nfc(tmp_path: Path) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    ann = sign_in_by_link(app, "ann@example.org")
    ann.order({**DELIVERY, "delivery_name": "Zoe\u0301 Bren\u0303a", "address": "Cafe\u0301 Lane\nEX1 1AA"})
    with app.extensions["shop"].db.transaction(write=False) as tx:
        (order,) = store.orders_of(tx, 1)
    assert order.delivery_name == "Zo\u00e9 Bre\u00f1a"
    assert order.address == "Caf\u00e9 Lane\nEX1 1AA"


# ---- The server ----


def _shop_command(tmp_path: Path, *args: str) -> list[str]:
    folders = ["--content", str(FIXTURES), "--out", str(tmp_path / "out"), "--data", str(tmp_path / "d")]
    return [sys.executable, "-m", "booklet", "shop", *folders, *args]


def test_a_port_in_use_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            _shop_command(tmp_path, "--http", "--port", str(port)),
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error")]
    assert errors == [
        f"Error: port {port} on 127.0.0.1 is in use (another shop, or another program): "
        + ("stop it, or use --port")
    ]
    assert "is open" not in done.stderr


def test_plain_http_beyond_this_computer_is_warned_about(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        _shop_command(tmp_path, "--http", "--host", "0.0.0.0", "--port", str(port)),
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        assert first.startswith("Warning: Serving plain HTTP on 0.0.0.0")
        assert "--behind-proxy" in first
    finally:
        process.terminate()
        process.communicate(timeout=30)


@pytest.mark.parametrize("behind_proxy", [True, False])
def test_behind_a_proxy_the_visitor_is_the_forwarded_address(tmp_path: Path, behind_proxy: bool) -> None:
    """--behind-proxy: ProxyFix takes the client from X-Forwarded-For, so limits count each visitor.

    Without it, X-Forwarded-For is not believed: a stranger cannot pass the limit by setting it.
    """
    port = free_port()
    how = ["--behind-proxy", "--host", "0.0.0.0"] if behind_proxy else ["--http"]
    process = subprocess.Popen(
        _shop_command(tmp_path, *how, "--port", str(port)),
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        running = shopkit.Server(process, port, "", tmp_path / "unused.log")  # type: ignore[arg-type]
        for _ in range(600):
            try:
                running.request("GET", "/sign-in")
                break
            except OSError:
                time.sleep(0.1)

        def ask(visitor: str) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            forwarded = {"X-Forwarded-For": visitor, "X-Forwarded-Proto": "https"}
            try:
                conn.request("GET", "/sign-in/new-link", headers=forwarded)
                response = conn.getresponse()
                cookie = shopkit.cookie_of({k.lower(): v for k, v in response.getheaders()})
                token = csrf_of(response.read().decode())
                body = urllib.parse.urlencode({"csrf_token": token, "email": "ann@example.org"})
                headers = {**forwarded, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
                conn.request("POST", "/sign-in/new-link", body=body, headers=headers)
                return conn.getresponse().status
            finally:
                conn.close()

        assert [ask("203.0.113.9") for _ in range(accounts.MAX_LINK_REQUESTS_PER_CLIENT)] == [200] * 10
        assert ask("203.0.113.9") == 429
        assert ask("198.51.100.7") == (200 if behind_proxy else 429)  # another visitor behind the proxy
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert "The shop is open" in errors
    assert f"messages are written to {tmp_path / 'd' / 'outbox'}" in errors  # said at start: no SMTP


def test_the_shop_says_where_mail_goes_at_start(tmp_path: Path) -> None:
    app = make_app(str(tmp_path / "shop.sqlite3"), tmp_path / "out")
    described = app.extensions["shop"].transport.describe()
    where = tmp_path / "shop-data" / "outbox"
    assert described == f"Email is not sent (no BOOKLET_SMTP_URL): messages are written to {where}"
    assert not app.extensions["shop"].mail_delivered


def test_loopback_addresses() -> None:
    assert all(server.loopback(host) for host in ("127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"))
    assert not any(server.loopback(host) for host in ("0.0.0.0", "192.168.1.4", "::", "shop.example.org"))
    assert server.check_host("0.0.0.0", behind_proxy=True, plain_http=False) == ""
    with pytest.raises(BookletError, match="--behind-proxy"):
        server.check_host("192.168.1.4", behind_proxy=False, plain_http=False)
