"""The order shop in a test client: sign-in, ordering, the team, and every safety rule of issue 16.

Tests that touch the database run twice: on SQLite, and on a real PostgreSQL that the test
set-up starts in a temporary folder (Debian's ``postgresql``; skipped, saying so, only when
its programs are not installed).
"""

from __future__ import annotations

import datetime
import re
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from booklet.cli import main
from booklet.errors import BookletError
from booklet.source.project import Project
from booklet.web.shop import export, outbox, runs, store
from booklet.web.shop.db import Database
from tests import shopkit
from tests.conftest import fake_print_ready
from tests.shopkit import (
    DELIVERY,
    FIXTURES,
    PASSWORD,
    Person,
    Postgres,
    csrf_of,
    make_app,
    order_key_of,
    shop_folders,
    sign_in_by_link,
)

pg = shopkit.pg  # the fixture: a PostgreSQL server of the tests' own
ann = shopkit.ann
team = shopkit.team
db_of = shopkit.db_of
any_db = shopkit.any_db  # an empty shop database: a SQLite file, then a PostgreSQL database


@pytest.fixture
def app(any_db: str, tmp_path: Path) -> Flask:
    return make_app(any_db, tmp_path / "out")


def count_orders(app: Flask) -> int:
    with db_of(app).transaction(write=False) as tx:
        row = tx.one("SELECT COUNT(*) FROM orders")
    assert row is not None
    return int(row[0])


# ---- The database ----


def test_migrations_run_once_and_the_schema_is_the_same_on_both(app: Flask) -> None:
    from booklet.web.shop.db import MIGRATIONS

    db = db_of(app)
    assert db.migrate() == len(MIGRATIONS)
    assert db.migrate() == len(MIGRATIONS)  # again: nothing to do
    with db.transaction(write=False) as tx:
        assert tx.one("SELECT version FROM schema_version") == (len(MIGRATIONS),)
        assert tx.one("SELECT COUNT(*) FROM users") == (0,)


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "shop.sqlite3"))
    db.migrate()
    with db.transaction(write=False) as tx:
        assert tx.one("PRAGMA journal_mode") == ("wal",)
        assert tx.one("PRAGMA synchronous") == (2,)  # FULL
        assert tx.one("PRAGMA foreign_keys") == (1,)


def test_a_transaction_that_fails_leaves_nothing(app: Flask) -> None:
    db = db_of(app)

    def half_written() -> None:
        with db.transaction() as tx:
            tx.run("INSERT INTO settings (name, value) VALUES (?, ?)", "half", "written")
            raise RuntimeError("in the middle")

    with pytest.raises(RuntimeError):
        half_written()
    with db.transaction(write=False) as tx:
        assert tx.one("SELECT value FROM settings WHERE name = ?", "half") is None


# ---- People: links, passwords, sessions ----


def test_add_user_prints_a_one_time_link_valid_24_hours(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.sqlite3")
    result = CliRunner().invoke(
        main,
        [
            "shop",
            *shop_folders(tmp_path),
            "add-user",
            "Ann@Example.org",
            "--role",
            "volunteer",
            "--db",
            db,
            "--url",
            "https://shop.example.org/",
        ],
    )
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert re.fullmatch(r"https://shop\.example\.org/welcome/[A-Za-z0-9_-]{43}", link)
    with Database(db).transaction(write=False) as tx:
        user = store.user_by_email(tx, "ann@example.org")
        assert user is not None
        assert (user.role, user.password_hash) == ("volunteer", None)
        expires = tx.one("SELECT expires_at FROM sign_in_links WHERE user_id = ?", user.id)
        stored = tx.one("SELECT token_hash FROM sign_in_links")
    assert expires is not None
    left = datetime.datetime.strptime(expires[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    hours = (left - datetime.datetime.now(datetime.UTC)).total_seconds() / 3600
    assert 23.9 < hours <= 24
    assert stored is not None
    assert link.rsplit("/", 1)[1] not in stored[0]


def test_add_user_refuses_a_bad_address_and_role(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.sqlite3")
    folders = shop_folders(tmp_path)
    result = CliRunner().invoke(
        main, ["shop", *folders, "add-user", "not-an-address", "--role", "team", "--db", db]
    )
    assert result.exit_code == 1
    assert "Enter an email address like name@example.org" in result.output
    result = CliRunner().invoke(
        main, ["shop", *folders, "add-user", "a@example.org", "--role", "admin", "--db", db]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_link_works_once(app: Flask) -> None:
    token = store.add_user(db_of(app), "bo@example.org", "volunteer")
    client = app.test_client()
    page = client.get(f"/welcome/{token}").get_data(as_text=True)
    form = {"csrf_token": csrf_of(page), "password": PASSWORD, "again": PASSWORD}
    assert client.post(f"/welcome/{token}", data=form).status_code == 303
    assert client.get(f"/welcome/{token}").status_code == 404
    assert "works once" in client.get(f"/welcome/{token}").get_data(as_text=True)


def test_an_expired_link_does_not_work(app: Flask) -> None:
    token = store.add_user(db_of(app), "bo@example.org", "volunteer")
    with db_of(app).transaction() as tx:
        tx.run("UPDATE sign_in_links SET expires_at = ?", store.now(-datetime.timedelta(seconds=1)))
    assert app.test_client().get(f"/welcome/{token}").status_code == 404


def test_the_password_is_hashed_with_argon2id(app: Flask, ann: Person) -> None:
    with db_of(app).transaction(write=False) as tx:
        user = store.user_by_email(tx, ann.email)
    assert user is not None
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("password", "again", "field", "words"),
    [
        ("short", "short", "password", "at least 10 characters"),
        ("bo@example.org", "bo@example.org", "password", "email address"),
        ("a long enough one", "another long one", "again", "not the same"),
    ],
)
def test_a_weak_password_is_refused_beside_its_field(
    app: Flask, password: str, again: str, field: str, words: str
) -> None:
    token = store.add_user(db_of(app), "bo@example.org", "volunteer")
    client = app.test_client()
    csrf = csrf_of(client.get(f"/welcome/{token}").get_data(as_text=True))
    response = client.post(
        f"/welcome/{token}", data={"csrf_token": csrf, "password": password, "again": again}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'<p class="error-message" id="{field}-error">.*{words}', page)
    assert f'id="{field}"' in page
    assert 'aria-invalid="true"' in page
    assert app.test_client().get(f"/welcome/{token}").status_code == 200  # the link still works


def sign_in(app: Flask, email: str, password: str) -> tuple[int, str]:
    client = app.test_client()
    csrf = csrf_of(client.get("/sign-in").get_data(as_text=True))
    response = client.post("/sign-in", data={"csrf_token": csrf, "email": email, "password": password})
    return response.status_code, response.get_data(as_text=True)


def test_sign_in_with_the_password(app: Flask, ann: Person) -> None:
    assert sign_in(app, "ANN@example.org", PASSWORD)[0] == 303
    status, page = sign_in(app, "ann@example.org", "wrong password")
    assert status == 400
    assert "The email address or the password is wrong" in page
    assert (
        sign_in(app, "nobody@example.org", PASSWORD)[0] == 400
    )  # the same answer: nobody is told who exists


def test_sign_in_attempts_are_limited(app: Flask, ann: Person) -> None:
    for _ in range(5):
        assert sign_in(app, ann.email, "wrong password")[0] == 400
    status, page = sign_in(app, ann.email, PASSWORD)  # even the right password, for a while
    assert status == 429
    assert "Too many attempts" in page
    with db_of(app).transaction() as tx:  # 15 minutes later
        tx.run("UPDATE sign_in_failures SET at = ?", store.now(-datetime.timedelta(minutes=16)))
    assert sign_in(app, ann.email, PASSWORD)[0] == 303


def test_a_session_times_out(app: Flask, ann: Person) -> None:
    assert app.permanent_session_lifetime == datetime.timedelta(minutes=30)
    cookie = ann.client.get("/booklets").headers["Set-Cookie"]
    expires = re.search(r"Expires=([^;]+)", cookie)
    assert expires is not None  # a 30-minute cookie, renewed by each request
    with ann.client.session_transaction() as session:  # signed in 13 hours ago
        session["since"] = store.now(-datetime.timedelta(hours=13))
    response = ann.client.get("/orders")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/sign-in")


def test_a_session_idle_for_30_minutes_is_over(
    app: Flask, ann: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server checks the cookie's signed time itself: a kept cookie is refused too."""
    from itsdangerous import TimestampSigner

    assert ann.client.get("/orders").status_code == 200
    later = int(time.time()) + 31 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = ann.client.get("/orders")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/sign-in")


def test_signing_out_ends_the_session_everywhere(app: Flask, ann: Person) -> None:
    other = app.test_client()
    assert (
        other.post(
            "/sign-in",
            data={
                "csrf_token": csrf_of(other.get("/sign-in").get_data(as_text=True)),
                "email": ann.email,
                "password": PASSWORD,
            },
        ).status_code
        == 303
    )
    assert ann.post("/sign-out", {})[0] == 303
    assert ann.client.get("/orders").status_code == 303
    assert other.get("/orders").status_code == 303  # a copied cookie stops working too


def test_after_sign_in_only_a_local_page_is_opened(app: Flask, ann: Person) -> None:
    client = app.test_client()
    csrf = csrf_of(client.get("/sign-in").get_data(as_text=True))
    for target, expected in (
        ("/orders", "/orders"),
        ("//evil.example/x", "/booklets"),
        ("https://evil.example", "/booklets"),
        ("/\t/evil.example", "/booklets"),
        ("/\\evil.example", "/booklets"),
        ("/orders\n", "/booklets"),
    ):
        form = {"csrf_token": csrf, "email": ann.email, "password": PASSWORD, "next": target}
        response = client.post("/sign-in", data=form)
        assert response.headers["Location"] == expected
        csrf = csrf_of(client.get("/sign-in").get_data(as_text=True))


# ---- Ordering ----


def test_order_confirmation_history_and_outbox(app: Flask, ann: Person, tmp_path: Path) -> None:
    status, _, location = ann.order()
    assert status == 303
    order_id = int(re.fullmatch(r"/orders/(\d+)\?placed=1", location).group(1))  # type: ignore[union-attr]
    status, page = ann.get(location)
    assert status == 200
    assert "Order received" in page
    assert f"Your order number is <strong>{order_id}</strong>" in page
    assert "10 \u00d7 Looking after your skin during treatment (TST-01), Standard print (A5)" in page
    assert ann.get("/basket")[1].count("Your basket is empty") == 1
    history = ann.get("/orders")[1]
    assert f"Order {order_id}</a>" in history
    assert "Received" in history
    shop = app.extensions["shop"]
    assert outbox.deliver_due(shop.db, shop.transport).sent == 2  # the sign-in link, the confirmation
    (written,) = (tmp_path / "shop-data" / "outbox").glob("*-order-confirmation.eml")
    assert written.stat().st_mode & 0o777 == 0o600
    mail = message_from_bytes(written.read_bytes())
    assert mail["To"] == ann.email
    assert f"Order {order_id} received" in mail["Subject"]
    body = mail.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert b"10 x Looking after your skin during treatment (TST-01)" in body
    assert b"Royal Example Hospital" in body


def test_the_delivery_is_saved_for_next_time(ann: Person) -> None:
    ann.order()
    ann.add()
    page = ann.get("/checkout")[1]
    assert 'value="Sister Lee"' in page
    assert "Ward 7\nRoyal Example Hospital\nEX1 1AA</textarea>" in page
    assert 'value="01234 567890"' in page


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("address", "", "The delivery address is empty."),
        ("delivery_name", "  ", "The delivery name is empty."),
        ("contact", "ring the ward", "is neither an email address nor a phone number"),
        ("address", "A" * 1001, "at most 1,000 characters"),
    ],
)
def test_a_bad_delivery_is_refused_beside_its_field(
    app: Flask, ann: Person, field: str, value: str, words: str
) -> None:
    ann.add()
    key = order_key_of(ann.get("/checkout")[1])
    status, page, _ = ann.post("/checkout", {"order_key": key, **{**DELIVERY, field: value}})
    assert status == 400
    assert re.search(
        rf'<p class="error-message" id="{field}-error"><span class="visually-hidden">Error:</span> '
        rf"[^<]*{re.escape(words)}",
        page,
    )
    assert f'<a href="#{field}">' in page  # and in the summary on top, linked to the field
    assert "<title>Error: " in page
    assert count_orders(app) == 0


def test_per_code_limit_is_refused_beside_the_field(app: Flask, ann: Person) -> None:
    status, page, _ = ann.add(copies=501)
    assert status == 400
    assert re.search(r'id="qty-TST-01-standard-error">.*You can order up to 500 copies of ', page)
    assert "publisher.yml" not in page  # the volunteer's words, not the team's
    assert ann.add(copies=400)[0] == 303
    status, page, _ = ann.add(copies=200)  # 600 in the basket would be over
    assert status == 400
    assert "400 are already in your basket, so you can add up to 100 more" in page


@pytest.mark.parametrize("value", ["lots", "-3", "2.5", "1e3", "9" * 50])
def test_a_quantity_that_is_not_a_number_of_copies_is_refused(ann: Person, value: str) -> None:
    status, page, _ = ann.post("/basket/add", {"code": "TST-01", "qty-TST-01-standard": value})
    assert status == 400
    assert 'id="qty-TST-01-standard-error"' in page
    assert ann.get("/basket")[1].count("Your basket is empty") == 1


def test_the_same_form_sent_twice_is_one_order(app: Flask, ann: Person) -> None:
    ann.add()
    key = order_key_of(ann.get("/checkout")[1])
    first = ann.post("/checkout", {"order_key": key, **DELIVERY})
    ann.add()  # the basket is full again, as a second tab would have it
    second = ann.post("/checkout", {"order_key": key, **DELIVERY})
    assert first[2] == second[2]
    assert count_orders(app) == 1


# ---- Safety ----


@pytest.mark.parametrize("csrf", ["", "not-the-token"])
def test_a_form_without_the_right_csrf_token_is_refused(app: Flask, ann: Person, csrf: str) -> None:
    ann.add()
    key = order_key_of(ann.get("/checkout")[1])
    status, page, _ = ann.post("/checkout", {"order_key": key, **DELIVERY}, csrf=csrf)
    assert status == 400
    assert "security code" in page
    assert count_orders(app) == 0
    status, _, _ = ann.post("/basket/add", {"code": "TST-01", "qty-TST-01-standard": "5"}, csrf=csrf)
    assert status == 400
    client = app.test_client()  # a sign-in posted from another site: no token at all
    assert client.post("/sign-in", data={"email": ann.email, "password": PASSWORD}).status_code == 400


def test_a_volunteer_never_sees_another_volunteers_order(app: Flask, ann: Person) -> None:
    bo = sign_in_by_link(app, "bo@example.org")
    order_id = int(bo.order()[2].split("/")[2].split("?")[0])
    assert bo.get(f"/orders/{order_id}")[0] == 200
    status, page = ann.get(f"/orders/{order_id}")
    assert status == 404
    assert (status, page) == ann.get("/orders/999999")  # the same as an order that does not exist
    assert "bo@example.org" not in ann.get("/orders")[1]


def test_the_team_page_is_for_the_team(app: Flask, ann: Person, team: Person) -> None:
    assert ann.get("/team/orders")[0] == 403
    assert ann.post("/team/orders/1/dispatch", {"action": "dispatch"})[0] == 403
    assert ann.post("/team/runs/make", {})[0] == 403
    response = app.test_client().get("/team/orders")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in?next=/team/orders"
    ann.order()
    status, page = team.get("/team/orders")
    assert status == 200
    assert "1 order(s) waiting" in page
    assert "ann@example.org" in page


def test_script_in_a_name_or_address_is_shown_as_text(app: Flask, ann: Person, team: Person) -> None:
    script = '<script>alert("x")</script>'
    delivery = {
        "delivery_name": script,
        "address": f"1 High St\n{script}\n<img src=x onerror=alert(1)>",
        "contact": "01234 567890",
    }
    location = ann.order(delivery)[2]
    for page in (ann.get(location)[1], team.get("/team/orders")[1]):
        assert "<script>" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_security_headers_and_cookie_flags(any_db: str, tmp_path: Path) -> None:
    app = make_app(any_db, tmp_path / "out", secure=True)
    response = app.test_client().get("/sign-in", base_url="https://shop.example.org")
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'none'; script-src 'self'; connect-src 'self';")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert headers["Cache-Control"] == "no-store"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("__Host-shop=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "<script" not in response.get_data(as_text=True)  # no script at all: the CSP forbids it


def test_sql_in_a_form_is_only_text(app: Flask, ann: Person) -> None:
    assert sign_in(app, "' OR '1'='1' --@example.org", "' OR '1'='1")[0] == 400
    ann.order({**DELIVERY, "delivery_name": "Robert'); DROP TABLE orders;--"})
    assert count_orders(app) == 1


# ---- The team's print run ----


@pytest.fixture
def fake_print(monkeypatch: pytest.MonkeyPatch) -> None:
    """Print runs without rendering: each print file is 8 pages, 2 of them Notes."""
    fake_print_ready(monkeypatch, notes=2, spreads=False)


def statuses(app: Flask) -> list[tuple[int, str, int | None]]:
    with db_of(app).transaction(write=False) as tx:
        return [(r[0], r[1], r[2]) for r in tx.run("SELECT id, status, run_id FROM orders ORDER BY id")]


@pytest.mark.usefixtures("fake_print")
def test_from_shop_makes_the_run_the_csv_path_makes(
    app: Flask, any_db: str, ann: Person, tmp_path: Path
) -> None:
    bo = sign_in_by_link(app, "bo@example.org")
    ann.order(copies=30)
    bo.order(
        {"delivery_name": "Dr Shah", "address": "Clinic B, 2 Low Road", "contact": "b@example.org"}, copies=20
    )
    run = tmp_path / "run"
    args = [
        "order",
        "--from-shop",
        "--db",
        any_db,
        "--content",
        str(FIXTURES),
        "--out",
        str(run),
        "--no-imposed",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = (run / "run.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1] == 'order,TST-01,standard,30,Order 1 (ann@example.org),Sister Lee,"Ward 7'
    assert (
        'order,TST-01,standard,20,Order 2 (bo@example.org),Dr Shah,"Clinic B, 2 Low Road",b@example.org,'
        "8,2,40,A4" in rows
    )
    assert "booklet total,TST-01,standard,50,,,,,8,2,100,A4" in rows
    summary = (run / "summary.txt").read_text(encoding="utf-8")
    assert "Packing list: 2 parcel(s)" in summary
    assert "1. Order 1 (ann@example.org)" in summary
    assert statuses(app) == [(1, "in print run", 1), (2, "in print run", 1)]
    assert "In print run" in ann.get("/orders")[1]
    # the CSV path, from the run's own orders.csv, makes the same run.csv
    again = tmp_path / "again"
    result = CliRunner().invoke(
        main,
        ["order", str(run / "orders.csv"), "--content", str(FIXTURES), "--out", str(again), "--no-imposed"],
    )
    assert result.exit_code == 0, result.output
    assert (again / "run.csv").read_bytes() == (run / "run.csv").read_bytes()
    # nothing is waiting now: a second export makes nothing
    result = CliRunner().invoke(main, [*args[:-3], "--out", str(tmp_path / "run2"), "--no-imposed"])
    assert result.exit_code == 1
    assert "no order is waiting for a print run" in result.output
    assert not (tmp_path / "run2").exists()


@pytest.mark.usefixtures("fake_print")
def test_a_run_that_cannot_be_made_leaves_its_orders_waiting(
    app: Flask, any_db: str, ann: Person, tmp_path: Path
) -> None:
    ann.order()
    taken = tmp_path / "run"
    taken.mkdir()
    (taken / "run.csv").write_text("an earlier run")  # refused once the orders are claimed
    with pytest.raises(BookletError, match="already holds a print run"):
        export.from_shop(Project.load(FIXTURES), any_db, taken, imposed=False)
    assert statuses(app) == [(1, "received", None)]
    with db_of(app).transaction(write=False) as tx:
        assert tx.one("SELECT COUNT(*) FROM runs") == (0,)


@pytest.mark.usefixtures("fake_print")
def test_a_run_whose_process_died_is_settled_by_the_next_export(
    app: Flask, any_db: str, ann: Person, tmp_path: Path
) -> None:
    ann.order()
    runs.claim(db_of(app), tmp_path / "never-written", [1], {})  # ... then kill -9
    assert statuses(app) == [(1, "in print run", 1)]
    export.from_shop(Project.load(FIXTURES), any_db, tmp_path / "run", imposed=False)
    assert statuses(app) == [(1, "in print run", 2)]  # in the new run, once
    assert "Order 1 (ann@example.org)" in (tmp_path / "run" / "run.csv").read_text(encoding="utf-8")


@pytest.mark.usefixtures("fake_print")
def test_the_team_marks_each_order_sent_after_asking_and_can_undo_it(
    app: Flask, any_db: str, ann: Person, team: Person, tmp_path: Path
) -> None:
    ann.order()
    ann.order(copies=5)
    export.from_shop(Project.load(FIXTURES), any_db, tmp_path / "run", imposed=False)
    page = team.get("/team/orders")[1]
    assert "0 order(s) waiting" in page
    assert ">run</a>" in page  # the run is named as its folder is
    page = team.get("/team/runs/1")[1]
    assert page.count("Mark sent") == 2  # one button per order
    status, page = team.get("/team/orders/1/dispatch")  # a page that asks first
    assert status == 200
    assert "Mark order 1 as sent?" in page
    assert statuses(app) == [(1, "in print run", 1), (2, "in print run", 1)]  # asking changed nothing
    status, _, where = team.post("/team/orders/1/dispatch", {"action": "dispatch"})
    assert status == 303
    assert where == "/team/runs/1#notice"
    assert statuses(app) == [(1, "dispatched", 1), (2, "in print run", 1)]
    page = team.get("/team/runs/1")[1]
    assert "Order 1 is marked as sent." in page
    assert 'value="undo"' in page
    assert "Dispatched" in ann.get("/orders")[1]
    with db_of(app).transaction(write=False) as tx:
        assert tx.one("SELECT status FROM runs") == ("made",)  # order 2 is not sent yet
    assert team.post("/team/orders/1/dispatch", {"action": "undo"})[0] == 303
    assert statuses(app) == [(1, "in print run", 1), (2, "in print run", 1)]
    for order_id in (1, 2):
        team.post(f"/team/orders/{order_id}/dispatch", {"action": "dispatch"})
    with db_of(app).transaction(write=False) as tx:
        assert tx.one("SELECT status FROM runs") == ("dispatched",)
    team.post("/team/orders/1/dispatch", {"action": "dispatch"})  # once only
    assert "was not changed" in team.get("/team/runs/1")[1]
    with db_of(app).transaction(write=False) as tx:  # a notice per order sent, queued with the change
        assert tx.run("SELECT recipient, subject FROM outbox WHERE kind = 'dispatch-notice' ORDER BY id") == [
            ("ann@example.org", "Order 1 is on its way: printed booklets from Lanternfield"),
            ("ann@example.org", "Order 1 is on its way: printed booklets from Lanternfield"),
            ("ann@example.org", "Order 2 is on its way: printed booklets from Lanternfield"),
        ]  # order 1 twice: sent, undone, sent again


def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    db_url = str(tmp_path / "shop.sqlite3")
    app = make_app(db_url, tmp_path / "out")
    sign_in_by_link(app, "ann@example.org").order()
    target = tmp_path / "backups" / "shop-1.sqlite3"
    result = CliRunner().invoke(
        main, ["shop", *shop_folders(tmp_path), "backup", str(target), "--db", db_url]
    )
    assert result.exit_code == 0, result.output
    copy = Database(str(target))
    with copy.transaction(write=False) as tx:
        assert tx.one("PRAGMA integrity_check") == ("ok",)
        assert tx.one("SELECT COUNT(*) FROM orders") == (1,)
        assert tx.one("SELECT quantity FROM order_lines") == (10,)


def test_backup_to_dash_writes_the_copy_to_standard_output(tmp_path: Path) -> None:
    """`booklet shop backup -` writes the database to standard output, not to a file named "-"."""
    db_url = str(tmp_path / "shop.sqlite3")
    app = make_app(db_url, tmp_path / "out")
    sign_in_by_link(app, "ann@example.org").order()
    result = CliRunner().invoke(main, ["shop", *shop_folders(tmp_path), "backup", "-", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert not (Path.cwd() / "-").exists()
    assert result.stdout_bytes.startswith(b"SQLite format 3\x00")
    copy = tmp_path / "from-stdout.sqlite3"
    copy.write_bytes(result.stdout_bytes)
    with Database(str(copy)).transaction(write=False) as tx:
        assert tx.one("PRAGMA integrity_check") == ("ok",)
        assert tx.one("SELECT COUNT(*) FROM orders") == (1,)


@pytest.mark.slow
def test_backup_of_postgresql_uses_pg_dump(
    pg: Postgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg.new_database()
    sign_in_by_link(make_app(url, tmp_path / "out"), "ann@example.org").order()
    monkeypatch.setenv("PATH", f"{pg.bin}:{__import__('os').environ['PATH']}")
    target = tmp_path / "shop.dump"
    result = CliRunner().invoke(main, ["shop", *shop_folders(tmp_path), "backup", str(target), "--db", url])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"PGDMP")


# ---- The command line ----


def test_plain_http_only_on_this_computer(tmp_path: Path) -> None:
    args = ["shop", "--host", "0.0.0.0", "--db", str(tmp_path / "shop.sqlite3"), *shop_folders(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "without HTTPS" in result.output
    assert "--behind-proxy" in result.output
    assert "Traceback" not in result.output


def test_order_takes_a_file_or_the_shop_not_both(tmp_path: Path) -> None:
    orders_csv = tmp_path / "orders.csv"
    orders_csv.write_text("code\n", encoding="utf-8")
    for args in (["order"], ["order", str(orders_csv), "--from-shop"]):
        result = CliRunner().invoke(main, [*args, "--content", str(FIXTURES)])
        assert result.exit_code == 2
        assert "give the order file, or --from-shop" in result.output


def test_shop_database_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "elsewhere.sqlite3"
    monkeypatch.setenv("BOOKLET_SHOP_DB", str(db))
    args = ["shop", *shop_folders(tmp_path), "add-user", "ann@example.org", "--role", "volunteer"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    with Database(str(db)).transaction(write=False) as tx:
        assert store.user_by_email(tx, "ann@example.org") is not None


def test_a_new_migration_is_applied_once(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from booklet.web.shop import db as db_module

    db = db_of(app)
    later = ("ALTER TABLE orders ADD COLUMN note TEXT NOT NULL DEFAULT ''",)
    count = len(db_module.MIGRATIONS) + 1
    monkeypatch.setattr(db_module, "MIGRATIONS", (*db_module.MIGRATIONS, later))
    assert db.migrate() == count
    assert db.migrate() == count  # not again: the column would already be there
    with db.transaction(write=False) as tx:
        assert tx.one("SELECT version FROM schema_version") == (count,)
        assert tx.run("SELECT note FROM orders") == []


def test_a_translation_is_on_offer_under_its_own_code_with_its_language_marked(tmp_path: Path) -> None:
    """Issue 18: each translation is ordered by its code and tag; its own words carry their lang and dir."""
    from booklet.web.shop.app import Settings, create_app

    from .conftest import translated_content

    app = create_app(Settings(str(tmp_path / "shop.sqlite3"), translated_content(tmp_path), tmp_path / "out"))
    app.testing = True
    ann = sign_in_by_link(app, "ann@example.org")
    status, page = ann.get("/booklets")
    assert status == 200
    for tag in ("ar", "bn", "pa", "pl", "ur", "zh-Hans"):
        assert f'id="booklet-CORP-TRANS-{tag}"' in page
    assert 'id="booklet-CORP-TRANS"' in page, "the English booklet keeps its code"
    assert '<h2 class="card-title">Looking after your mouth - Arabic (العربية)</h2>' in page
    assert '<p class="subtitle" lang="ar" dir="rtl">العناية بالفم أثناء علاج السرطان</p>' in page
    assert '<p class="subtitle">Care for your mouth during cancer treatment</p>' in page
    status, _, where = ann.add("CORP-TRANS-ur", "large-print", 3)
    assert status == 303, where
    status, basket = ann.get("/basket")
    assert "Looking after your mouth - Urdu (اردو)" in basket
