"""Orders never lost or doubled (issue 24): kill -9 at each step, one order per basket, held orders.

Print runs bound to their folders, kill -9 at every step of `order --from-shop` and of
checkout, an idempotent checkout, the offer read live, orders held naming booklet and status.

On SQLite, and on the tests' own PostgreSQL (marked slow).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from booklet.cli import main
from booklet.source.project import Project
from booklet.web.shop import basket, export, jobs, runs, store
from booklet.web.shop.app import Settings, create_app
from booklet.web.shop.db import Database
from tests import shopkit
from tests.conftest import fake_print_ready
from tests.shopkit import FIXTURES, Person, sign_in_by_link

pg = shopkit.pg
ann = shopkit.ann
any_db = shopkit.any_db
db_of = shopkit.db_of
ROOT = Path(__file__).parent.parent
CRASHRUN = (sys.executable, "-m", "tests.crashrun")  # booklet, print files faked


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """Return a content folder of two approved booklets: TST-01 and its copy TST-02."""
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES, folder)
    copy = folder / "second-booklet"
    shutil.copytree(folder / "sample-booklet", copy)
    text = (copy / "booklet.md").read_text(encoding="utf-8")
    (copy / "booklet.md").write_text(
        text.replace("code: TST-01", "code: TST-02").replace("title: Looking", "title: Second - looking"),
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def app(any_db: str, content: Path, tmp_path: Path) -> Flask:
    made = create_app(Settings(any_db, content, tmp_path / "out", secure=False))
    made.testing = True
    made.extensions["shop"].offers.check_seconds = 0  # every request looks at the content
    # "Make print run" runs `booklet order --from-shop` in a child, here with print files faked
    made.extensions["shop_jobs"] = jobs.Jobs(CRASHRUN, {**os.environ, "PYTHONPATH": str(ROOT)})
    return made


@pytest.fixture
def fake_print(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_print_ready(monkeypatch, notes=2, spreads=False)


def set_status(content: Path, slug: str, status: str) -> None:
    """Change a booklet's review status in its front matter (as a writer would)."""
    path = content / slug / "booklet.md"
    before = path.stat().st_mtime_ns
    text = re.sub(r"(?m)^status: \S+$", f"status: {status}", path.read_text(encoding="utf-8"), count=1)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000,) * 2)  # a change the next look sees, whatever the clock


def checked_out(person: Person, basket_page: str = "/checkout") -> tuple[int, str]:
    """Check out the basket with the test delivery; return (status, Location)."""
    page = person.get(basket_page)[1]
    status, _, where = person.post("/checkout", {"order_key": shopkit.order_key_of(page), **shopkit.DELIVERY})
    return status, where


def assert_every_order_once(db_url: str, expected: int) -> None:
    """Each order is in exactly one made run, whose folder holds its token and lists the order once."""
    db = Database(db_url)
    try:
        with db.transaction(write=False) as tx:
            orders = store.orders_where(tx, "1 = 1")
            made = {run.id: run for run in runs.listed(tx)}
    finally:
        db.close()
    assert len(orders) == expected
    assert all(run.status == "made" for run in made.values()), made
    listed: dict[int, int] = {}
    for run in made.values():
        folder = Path(run.folder)
        assert folder.is_absolute()
        assert (folder / runs.RUN_ID).read_text(encoding="utf-8").strip() == run.token
        text = (folder / export.ORDERS_CSV).read_text(encoding="utf-8")
        for order in orders:
            listed[order.id] = listed.get(order.id, 0) + text.count(f"Order {order.id} (")
    for order in orders:
        assert order.status == "in print run", order
        assert order.run_id in made, order
        assert listed[order.id] == len(order.lines), (order.id, listed)  # one row per line, in one run


def crashrun(args: list[str], cwd: Path, crash: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``booklet ARGS`` (print files faked) in a child process, killed at ``crash``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), store.CRASH_ENV: crash}
    return subprocess.run(
        [sys.executable, "-m", "tests.crashrun", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


# ---- The scenario: a dead run, a CSV run in its folder, the next --from-shop ----


def test_a_dead_run_whose_folder_a_csv_run_took_is_not_taken_as_made(
    app: Flask, any_db: str, ann: Person, content: Path, tmp_path: Path
) -> None:
    ann.order()
    work = tmp_path / "work"  # `booklet order` run here: its print runs go to work/out/print-runs
    work.mkdir()
    shop = ["order", "--from-shop", "--db", any_db, "--content", str(content), "--no-imposed"]
    died = crashrun(shop, work, "from-shop:claimed")
    assert died.returncode == -signal.SIGKILL, died.stderr
    with db_of(app).transaction(write=False) as tx:
        (dead,) = runs.listed(tx)
    today = datetime.date.today().isoformat()
    assert dead.status == "making"
    assert dead.folder == str(work / "out" / "print-runs" / today)
    # the same day, a CSV order takes the free folder print-runs/<date>
    csv = work / "orders.csv"
    csv.write_text(
        "code,variant,quantity,ordered_by,delivery_name,address,contact\n"
        "TST-01,standard,5,Clinic,Dr Shah,1 Low Road,01234 567890\n",
        encoding="utf-8",
    )
    assert crashrun(["order", str(csv), "--content", str(content), "--no-imposed"], work).returncode == 0
    assert (work / "out" / "print-runs" / today / "run.csv").is_file()
    # the next --from-shop: the dead run's folder holds another run (no token), so it is undone
    again = crashrun(shop, work)
    assert again.returncode == 0, again.stderr
    assert "was never finished" in again.stderr
    with db_of(app).transaction(write=False) as tx:
        (run,) = runs.listed(tx)
        (order,) = store.orders_where(tx, "1 = 1")
    assert run.name == f"{today}-2"
    assert order.run_id == run.id
    assert "Order 1 (ann@example.org)" in (work / "out" / "print-runs" / f"{today}-2" / "run.csv").read_text(
        encoding="utf-8"
    )
    assert "Order 1" not in (work / "out" / "print-runs" / today / "run.csv").read_text(encoding="utf-8")
    assert_every_order_once(any_db, 1)


# ---- kill -9 at each step of --from-shop ----

FROM_SHOP_STEPS = [
    "from-shop:claimed",
    "from-shop:file-0",
    "from-shop:file-1",
    "from-shop:file-2",
    "from-shop:written",
    "from-shop:finished",
]


@pytest.mark.parametrize("step", FROM_SHOP_STEPS)
def test_kill_9_at_each_step_of_from_shop_loses_and_doubles_nothing(
    app: Flask, any_db: str, ann: Person, content: Path, tmp_path: Path, step: str
) -> None:
    bo = sign_in_by_link(app, "bo@example.org")
    ann.order()
    ann.add("TST-02", "large-print", 4)
    checked_out(ann)
    bo.order(copies=7)
    work = tmp_path / "work"
    work.mkdir()
    shop = ["order", "--from-shop", "--db", any_db, "--content", str(content), "--no-imposed"]
    died = crashrun(shop, work, step)
    assert died.returncode == -signal.SIGKILL, died.stdout + died.stderr
    with db_of(app).transaction(write=False) as tx:
        assert [r.status for r in runs.listed(tx)] == ["made" if step == "from-shop:finished" else "making"]
    again = crashrun(shop, work)  # the next export settles the dead run, then prints what waits
    if step in ("from-shop:written", "from-shop:finished"):  # the dead run was whole: it is made
        assert again.returncode == 1, again.stderr
        assert "no order is waiting" in again.stderr
    else:
        assert again.returncode == 0, again.stderr
    assert not list((work / "out" / "print-runs").glob(".*.unfinished"))  # no half run is left to see
    assert_every_order_once(any_db, 3)


# ---- kill -9 at each step of checkout ----

CHECKOUT_STEPS = [
    "checkout:order-inserted",
    "checkout:basket-emptied",
    "checkout:before-commit",
    "checkout:committed",
]


@pytest.mark.parametrize("step", CHECKOUT_STEPS)
def test_kill_9_at_each_step_of_checkout_loses_and_doubles_nothing(
    app: Flask, any_db: str, content: Path, tmp_path: Path, step: str
) -> None:
    db = db_of(app)
    token = store.add_user(db, "cy@example.org", "volunteer")
    with db.transaction(write=False) as tx:
        user = store.user_by_email(tx, "cy@example.org")
    assert user is not None
    basket.add(db, user.id, {("TST-01", "standard"): 25})
    args = ["--checkout", any_db, str(content), str(tmp_path / "out"), token]
    died = crashrun(args, ROOT, step)
    assert died.returncode == -signal.SIGKILL, died.stdout + died.stderr
    with db.transaction(write=False) as tx:
        placed = store.orders_where(tx, "1 = 1")
        left = basket.of(tx, user.id)
    if step == "checkout:committed":  # it was saved whole: the order, and the basket emptied
        assert [o.lines for o in placed] == [(store.Line("TST-01", "standard", 25),)]
        assert left.count == 0
    else:  # nothing was saved: the basket is as it was, to check out again
        assert placed == []
        assert left.items == {("TST-01", "standard"): 25}
    # the volunteer signs in again and checks out what the basket holds: one order in all
    client = app.test_client()
    csrf = shopkit.csrf_of(client.get("/sign-in").get_data(as_text=True))
    client.post(
        "/sign-in", data={"csrf_token": csrf, "email": "cy@example.org", "password": shopkit.PASSWORD}
    )
    cy = Person("cy@example.org", client, shopkit.csrf_of(client.get("/booklets").get_data(as_text=True)))
    if left.count:
        assert checked_out(cy)[0] == 303
    with db.transaction(write=False) as tx:
        placed = store.orders_where(tx, "1 = 1")
    assert [(o.user_id, o.lines) for o in placed] == [(user.id, (store.Line("TST-01", "standard", 25),))]
    with db.transaction(write=False) as tx:  # and one confirmation, queued with it
        assert tx.one("SELECT COUNT(*) FROM outbox WHERE kind = 'order-confirmation'") == (1,)


# ---- Checkout: one basket, one order; nothing after the commit fails the request ----


def test_an_outbox_that_cannot_be_written_neither_fails_nor_doubles_the_order(
    app: Flask, ann: Person, tmp_path: Path
) -> None:
    outbox = app.extensions["shop"].settings.outbox
    outbox.parent.mkdir(parents=True, exist_ok=True)
    outbox.write_text("a file where the outbox folder should be")  # the confirmation cannot be written
    ann.add(copies=12)
    page = ann.get("/checkout")[1]
    form = {"order_key": shopkit.order_key_of(page), **shopkit.DELIVERY}
    status, _, where = ann.post("/checkout", form)
    assert (status, where) == (303, "/orders/1?placed=1")
    assert "Order received" in ann.get(where)[1]
    assert ann.post("/checkout", form)[2] == "/orders/1?placed=1"  # sent again: the same order
    with db_of(app).transaction(write=False) as tx:
        assert tx.one("SELECT COUNT(*) FROM orders") == (1,)
        # the confirmation was queued with the order, and waits there to be written or sent
        assert tx.run("SELECT recipient, sent_at FROM outbox WHERE kind = 'order-confirmation'") == [
            ("ann@example.org", None)
        ]
    assert "Your basket is empty" in ann.get("/basket")[1]


def test_a_second_tab_checking_out_the_same_basket_makes_one_order(app: Flask, ann: Person) -> None:
    ann.add(copies=12)
    first, second = ann.get("/checkout")[1], ann.get("/checkout")[1]
    assert shopkit.order_key_of(first) == shopkit.order_key_of(second)  # the basket's key
    for page in (first, second):
        ann.post("/checkout", {"order_key": shopkit.order_key_of(page), **shopkit.DELIVERY})
    with db_of(app).transaction(write=False) as tx:
        assert tx.one("SELECT COUNT(*) FROM orders") == (1,)
    ann.add(copies=3)  # a new basket has a new key: a new order
    assert shopkit.order_key_of(ann.get("/checkout")[1]) != shopkit.order_key_of(first)


# ---- The offer read live; orders that cannot be printed are held, naming booklet and status ----


@pytest.mark.usefixtures("fake_print")
def test_a_booklet_taken_back_to_review_is_no_longer_offered_and_its_orders_are_held(
    app: Flask, any_db: str, ann: Person, content: Path, tmp_path: Path
) -> None:
    team = sign_in_by_link(app, "info@example.org", "team")
    assert 'id="booklet-TST-02"' in ann.get("/booklets")[1]
    ann.add("TST-02", "standard", 6)
    checked_out(ann)  # order 1: TST-02
    ann.order(copies=9)  # order 2: TST-01
    ann.add("TST-02", "standard", 2)  # in the basket when it goes back to review
    set_status(content, "second-booklet", "in-review")
    page = ann.get("/booklets")[1]
    assert 'id="booklet-TST-02"' not in page  # the shop reads the content again at once
    assert 'id="booklet-TST-01"' in page
    page = ann.get("/basket")[1]
    assert "TST-02 cannot be ordered now: it is being checked again" in page
    args = ["order", "--from-shop", "--db", any_db, "--content", str(content), "--no-imposed"]
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert "Order 1 is held: TST-02 is not approved now (its status is 'in-review')" in result.output
    rows = (tmp_path / "run" / "run.csv").read_text(encoding="utf-8")
    assert "Order 2 (ann@example.org)" in rows
    assert "Order 1 " not in rows
    page = team.get("/team/orders")[1]
    assert "Held orders" in page
    assert "its status is &#39;in-review&#39;" in page
    assert "waiting: a booklet in it cannot be printed just now" in ann.get("/orders")[1]
    # approved again: the held order goes into the next run
    set_status(content, "second-booklet", "approved")
    made = export.from_shop(Project.load(content), any_db, tmp_path / "run2", imposed=False)
    assert made.orders == 1
    assert not made.held
    assert_every_order_once(any_db, 2)


def test_held_orders_are_looked_at_again_when_the_offer_changes_not_at_the_next_run(
    app: Flask, any_db: str, ann: Person, content: Path
) -> None:
    team = sign_in_by_link(app, "info@example.org", "team")
    ann.add("TST-02", "standard", 6)
    checked_out(ann)  # order 1: TST-02
    ann.order(copies=9)  # order 2: TST-01
    team.post("/team/orders/2", {"action": "hold"})  # the team's own hold is the team's to let go
    set_status(content, "second-booklet", "in-review")
    page = team.get("/team/orders")[1]  # no print run made: the shop holds order 1 as the offer changes
    held = page[page.index("<h2>Held orders</h2>") :]
    assert "Order 1</a>" in held
    assert (
        "TST-02 is not approved now (its status is &#39;in-review&#39;); the order waits for it to be "
        "approved again, then goes into the next print run"
    ) in held
    assert "Held by the information team: it waits for you to let it go" in held
    assert '<th scope="col">Why held: what it waits for</th>' in held
    with db_of(app).transaction(write=False) as tx:
        assert [(o.id, o.held_by) for o in store.waiting(tx)] == [(1, "run"), (2, "team")]
    set_status(content, "second-booklet", "approved")
    page = team.get("/team/orders")[1]  # approved again: order 1 waits for the next run, unheld
    held = page[page.index("<h2>Held orders</h2>") :]
    assert "Order 1</a>" not in held
    assert "Order 1</a>" in page[: page.index("<h2>Held orders</h2>")]
    assert "Order 2</a>" in held  # the team's hold stays
    assert "1 order(s) waiting for a print run, 1 held." in page
    with db_of(app).transaction(write=False) as tx:
        assert [(o.id, o.held, o.held_by) for o in store.waiting(tx)][:1] == [(1, None, None)]


def test_a_shop_started_after_the_content_changed_looks_at_its_orders_again(
    app: Flask, any_db: str, ann: Person, content: Path, tmp_path: Path
) -> None:
    ann.add("TST-02", "standard", 6)
    checked_out(ann)
    set_status(content, "second-booklet", "in-review")  # while the shop is stopped
    create_app(Settings(any_db, content, tmp_path / "out", secure=False))
    with db_of(app).transaction(write=False) as tx:
        assert [o.held_by for o in store.waiting(tx)] == ["run"]


def test_only_drafts_the_shop_says_why_and_who_to_ask(any_db: str, content: Path, tmp_path: Path) -> None:
    for slug in ("sample-booklet", "second-booklet"):
        set_status(content, slug, "in-review")
    app = create_app(Settings(any_db, content, tmp_path / "out", secure=False))
    page = sign_in_by_link(app, "ann@example.org").get("/booklets")[1]
    assert "No booklets can be ordered at the moment." in page
    assert "2 booklets are still being written or checked" in page
    assert "0808 157 0192" in page
    assert "information@example.org" in page


# ---- Volunteers: nothing typed is dropped, every button saves, the basket outlives the session ----


def basket_items(app: Flask, email: str) -> dict[tuple[str, str], int]:
    with db_of(app).transaction(write=False) as tx:
        user = store.user_by_email(tx, email)
        assert user is not None
        return basket.of(tx, user.id).items


def test_every_box_typed_on_the_page_is_added_and_the_banner_says_what_and_how_many(
    app: Flask, ann: Person
) -> None:
    form = {
        "code": "TST-02",
        "qty-TST-01-standard": "25",
        "qty-TST-02-large-print": "4",
        "qty-TST-02-easy-read": "",
    }
    status, _, where = ann.post("/basket/add", form)  # TST-02's button, with TST-01's box typed too
    assert (status, where) == (303, "/booklets#added")
    assert basket_items(app, ann.email) == {("TST-01", "standard"): 25, ("TST-02", "large-print"): 4}
    page = ann.get("/booklets")[1]
    assert 'id="added" role="alert"' in page
    assert 'tabindex="-1" autofocus' in page
    assert "25 copies of Looking after your skin during treatment, Standard print (A5)" in page
    assert "4 copies of Second - looking after your skin during treatment, Large print (A4)" in page
    assert "Your basket has 29 copies." in page
    assert 'id="added"' not in ann.get("/booklets")[1]  # said once


def test_a_mistake_in_one_box_keeps_every_number_typed(ann: Person) -> None:
    form = {"code": "TST-01", "qty-TST-01-standard": "25", "qty-TST-02-standard": "lots"}
    status, page, _ = ann.post("/basket/add", form)
    assert status == 400
    assert 'value="25"' in page
    assert 'value="lots"' in page
    assert "Enter the number of copies as a whole number, for example 25." in page


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("0", "Enter at least 1 copy, or leave the box empty to order none."),
        ("-3", "Enter at least 1 copy, or leave the box empty to order none."),
        ("501", "You can order up to 500 copies of Looking after your skin during treatment in one order."),
        ("9" * 5000, "You can order up to 500 copies of"),
    ],
)
def test_quantity_messages_are_in_the_volunteers_words(ann: Person, value: str, words: str) -> None:
    status, page, _ = ann.post("/basket/add", {"code": "TST-01", "qty-TST-01-standard": value})
    assert status == 400
    assert words in page
    assert "publisher.yml" not in page
    assert "delete the row" not in page


def test_check_out_saves_the_numbers_changed_in_the_basket(app: Flask, ann: Person) -> None:
    ann.add(copies=25)
    status, _, where = ann.post("/basket", {"qty-TST-01-standard": "30", "action": "checkout"})
    assert (status, where) == (303, "/checkout")
    assert basket_items(app, ann.email) == {("TST-01", "standard"): 30}
    assert checked_out(ann)[0] == 303
    with db_of(app).transaction(write=False) as tx:
        (order,) = store.orders_where(tx, "1 = 1")
    assert order.lines == (store.Line("TST-01", "standard", 30),)
    # Remove saves the other numbers too
    ann.add(copies=5)
    ann.add("TST-02", "standard", 6)
    form = {"qty-TST-01-standard": "7", "qty-TST-02-standard": "6", "remove": "TST-02|standard"}
    ann.post("/basket", form)
    assert basket_items(app, ann.email) == {("TST-01", "standard"): 7}


def test_the_basket_is_kept_across_sign_ins(app: Flask, ann: Person) -> None:
    ann.add(copies=12)
    ann.post("/sign-out", {})
    client = app.test_client()
    csrf = shopkit.csrf_of(client.get("/sign-in").get_data(as_text=True))
    form = {"csrf_token": csrf, "email": ann.email, "password": shopkit.PASSWORD}
    assert client.post("/sign-in", data=form).status_code == 303
    page = client.get("/basket").get_data(as_text=True)
    assert 'value="12"' in page
    assert 'Basket <span class="count">(12 copies)' in page


# ---- The team: make the run with the button, download it, cancel, hold, merge ----


@pytest.mark.usefixtures("fake_print")
def test_make_print_run_button_runs_from_shop_and_offers_the_zip(
    app: Flask, any_db: str, ann: Person, tmp_path: Path
) -> None:
    import io
    import zipfile

    team = sign_in_by_link(app, "info@example.org", "team")
    ann.order()
    assert team.post("/team/runs/make", {})[2] == "/team/orders#making"
    app.extensions["shop_jobs"].wait(60)
    page = team.get("/team/orders")[1]
    today = datetime.date.today().isoformat()
    assert f"Print run {today} is made with 1 order(s)." in page
    assert 'href="/team/runs/1/files.zip"' in page
    with team.client.get("/team/runs/1/files.zip") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f"attachment; filename={today}.zip"
        names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert f"{today}/run.csv" in names
    assert f"{today}/summary.txt" in names
    assert f"{today}/orders.csv" in names
    assert f"{today}/{runs.RUN_ID}" in names
    assert ann.client.get("/team/runs/1/files.zip").status_code == 403
    assert_every_order_once(any_db, 1)
    # a second press with nothing waiting says why, in the same words as the command
    team.post("/team/runs/make", {})
    app.extensions["shop_jobs"].wait(60)
    assert "no order is waiting for a print run; nothing was made" in team.get("/team/orders")[1]


def test_a_run_whose_folder_was_replaced_is_not_downloaded(
    app: Flask, any_db: str, ann: Person, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_print_ready(monkeypatch, notes=2, spreads=False)
    team = sign_in_by_link(app, "info@example.org", "team")
    ann.order()
    made = export.from_shop(Project.load(FIXTURES), any_db, tmp_path / "run", imposed=False)
    (tmp_path / "run" / runs.RUN_ID).write_text("another run's token\n")
    assert team.client.get(f"/team/runs/{made.run.id}/files.zip").status_code == 404


def test_the_team_cancels_holds_and_merges_waiting_orders(app: Flask, ann: Person) -> None:
    team = sign_in_by_link(app, "info@example.org", "team")
    ann.order(copies=10)  # 1
    ann.order(copies=20)  # 2: same volunteer and delivery as 1
    other = {**shopkit.DELIVERY, "address": "Clinic B\n2 Low Road"}
    ann.order(other, copies=5)  # 3: another address
    page = team.get("/team/orders")[1]
    assert 'id="into-2"' in page  # 2 can be merged (into 1)
    assert 'id="into-3"' not in page  # 3 goes elsewhere: nothing to merge with
    assert team.post("/team/orders/2", {"action": "merge", "into": "3"})[0] == 303
    assert "Only orders of one volunteer, to one name, address and contact" in team.get("/team/orders")[1]
    team.post("/team/orders/2", {"action": "merge", "into": "1"})
    with db_of(app).transaction(write=False) as tx:
        one, two, _ = store.orders_where(tx, "1 = 1")
    assert one.lines == (store.Line("TST-01", "standard", 30),)
    assert two.state == "cancelled"
    assert two.merged_into == 1
    assert 'merged into <a href="/orders/1">order 1</a>' in ann.get("/orders/2")[1]
    # hold, and let go
    team.post("/team/orders/3", {"action": "hold"})
    page = team.get("/team/orders")[1]
    assert "Order 3 is held" in page
    assert 'value="release">Undo' in page
    with db_of(app).transaction(write=False) as tx:
        assert [o.id for o in runs.claimable(tx)] == [1]  # held by the team: no run takes it
    team.post("/team/orders/3", {"action": "release"})
    # cancel, and undo
    team.post("/team/orders/3", {"action": "cancel"})
    assert 'value="restore">Undo' in team.get("/team/orders")[1]
    with db_of(app).transaction(write=False) as tx:
        assert [o.id for o in runs.claimable(tx)] == [1]
    team.post("/team/orders/3", {"action": "restore"})
    with db_of(app).transaction(write=False) as tx:
        assert [o.id for o in runs.claimable(tx)] == [1, 3]
    assert ann.post("/team/orders/3", {"action": "cancel"})[0] == 403


def test_merging_past_the_order_limit_is_refused(app: Flask, ann: Person) -> None:
    team = sign_in_by_link(app, "info@example.org", "team")
    ann.order(copies=300)
    ann.order(copies=300)
    team.post("/team/orders/2", {"action": "merge", "into": "1"})
    assert (
        "Together they ask for 600 copies of TST-01, more than the 500 one order may have."
        in team.get("/team/orders")[1]
    )
    with db_of(app).transaction(write=False) as tx:
        assert len(runs.claimable(tx)) == 2


def test_a_basket_is_written_without_an_fsync_and_orders_with_one(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "shop.sqlite3"))
    db.migrate()
    store.add_user(db, "ann@example.org", "volunteer")
    seen: list[int] = []
    with db.transaction(durable=False) as tx:
        seen += [row[0] for row in tx.run("PRAGMA synchronous")]
    with db.transaction() as tx:
        seen += [row[0] for row in tx.run("PRAGMA synchronous")]
    assert seen == [1, 2]  # NORMAL for the basket's commit, FULL again after it
    basket.add(db, 1, {("TST-01", "standard"): 3})
    with db.transaction(write=False) as tx:
        assert tx.run("PRAGMA synchronous") == [(2,)]
        assert basket.of(tx, 1).count == 3
    db.close()


def test_order_and_run_ids_past_64_bits_are_not_found(app: Flask, ann: Person) -> None:
    team = sign_in_by_link(app, "info@example.org", "team")
    ann.order()
    huge = str(2**64)
    assert team.post(f"/team/orders/{huge}", {"action": "cancel"})[0] == 404
    assert team.get(f"/team/orders/{huge}/dispatch")[0] == 404
    assert team.get(f"/team/runs/{huge}")[0] == 404
    assert team.get(f"/team/runs/{huge}/files.zip")[0] == 404
    assert ann.get(f"/orders/{huge}")[0] == 404
    assert team.post("/team/orders/1", {"action": "merge", "into": huge * 3})[0] == 400


def test_the_offer_is_looked_at_again_after_its_interval(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from booklet.press import offer as offer_module

    clock = [1000.0]
    monkeypatch.setattr("booklet.press.offer.time.monotonic", lambda: clock[0])
    live = offer_module.LiveOffer(content)
    assert "TST-02" in live.current().codes
    set_status(content, "second-booklet", "in-review")
    clock[0] += live.CHECK_SECONDS - 1
    assert "TST-02" in live.current().codes  # not looked at yet
    clock[0] += 2
    assert "TST-02" not in live.current().codes  # within a minute of the change
    assert live.current().drafts == {"TST-02": "in-review"}
    assert live.CHECK_SECONDS <= 30
