"""The team's pages tried as an attacker and as bad luck would (issue 24's first list).

Forged and stale CSRF tokens on every team action, a volunteer on the team's addresses,
another volunteer's order, two team members sending one order (or merging two orders into
each other) at the same moment, orders for different addresses merged, huge quantities,
and ids past 64 bits. Each checks the page's answer and what the database then holds.
On SQLite, and on the tests' own PostgreSQL (marked slow).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from booklet.source.project import Project
from booklet.web.shop import export, store
from booklet.web.shop.app import Settings, create_app
from tests import shopkit
from tests.conftest import fake_print_ready
from tests.shopkit import FIXTURES, Person, sign_in_by_link

pg = shopkit.pg
ann = shopkit.ann
team = shopkit.team
any_db = shopkit.any_db
db_of = shopkit.db_of
OTHER_ADDRESS = {**shopkit.DELIVERY, "address": "2 Other Street\nLeeds\nLS1 1AA"}


@pytest.fixture
def app(any_db: str, tmp_path: Path) -> Flask:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    made = create_app(Settings(any_db, content, tmp_path / "out", secure=False))
    made.testing = True
    return made


def orders_now(app: Flask) -> list[tuple[int, str, str | None, str | None, int | None]]:
    """Return each order's (id, status, cancelled, held, merged into)."""
    with db_of(app).transaction(write=False) as tx:
        return [
            (o.id, o.status, o.cancelled_at and "cancelled", o.held, o.merged_into)
            for o in store.orders_where(tx, "1 = 1")
        ]


def made_run(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_print_ready(monkeypatch, notes=2, spreads=False)
    settings = app.extensions["shop"].settings
    export.from_shop(Project.load(settings.content_dir), settings.db_url, tmp_path / "r", imposed=False)


ACTIONS = [
    ("/team/orders/1", {"action": "cancel"}),
    ("/team/orders/1", {"action": "hold"}),
    ("/team/orders/2", {"action": "merge", "into": "1"}),
    ("/team/runs/make", {}),
]


@pytest.mark.parametrize(("path", "form"), ACTIONS)
@pytest.mark.parametrize("token", ["forged", "stale", "none"])
def test_every_team_action_refuses_a_forged_or_stale_csrf_token(
    app: Flask, ann: Person, team: Person, path: str, form: dict[str, str], token: str
) -> None:
    ann.order()
    ann.order(copies=5)
    before = orders_now(app)
    stale = team.csrf
    if token == "stale":  # the token of a session signed out since: a new sign-in has another
        team.post("/sign-out", {})
        team = sign_in_by_link(app, "info@example.org", "team")
    csrf = {"forged": "A" * 43, "stale": stale, "none": ""}[token]
    status, page, _ = team.post(path, form, csrf=csrf)
    assert status == 400
    assert "security code" in page
    assert orders_now(app) == before
    with db_of(app).transaction(write=False) as tx:
        assert tx.one("SELECT COUNT(*) FROM settings WHERE name = 'print_job'") == (0,)


@pytest.mark.parametrize("token", ["forged", "stale"])
def test_dispatch_and_its_undo_refuse_a_forged_or_stale_csrf_token(
    app: Flask, ann: Person, team: Person, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    ann.order()
    made_run(app, tmp_path, monkeypatch)
    stale = team.csrf
    team.post("/team/orders/1/dispatch", {"action": "dispatch"})  # marked sent with the right token
    if token == "stale":
        team.post("/sign-out", {})
        team = sign_in_by_link(app, "info@example.org", "team")
    csrf = "A" * 43 if token == "forged" else stale
    assert team.post("/team/orders/1/dispatch", {"action": "undo"}, csrf=csrf)[0] == 400
    assert orders_now(app)[0][1] == "dispatched"


def test_a_volunteer_can_use_no_team_action_nor_see_another_volunteers_order(
    app: Flask, ann: Person, team: Person, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bo = sign_in_by_link(app, "bo@example.org")
    bo.order()  # order 1, Bo's
    ann.order()  # order 2, Ann's
    for path, form in [*ACTIONS, ("/team/orders/1/dispatch", {"action": "dispatch"})]:
        assert ann.post(path, form)[0] == 403, path
    for path in ("/team/orders", "/team/runs/job.json", "/team/orders/1/dispatch", "/team/runs/1"):
        assert ann.get(path)[0] == 403, path
    assert ann.get("/orders/1")[0] == 404  # Bo's order: no such page for Ann
    assert "bo@example.org" not in ann.get("/orders")[1]
    made_run(app, tmp_path, monkeypatch)
    assert ann.client.get("/team/runs/1/files.zip").status_code == 403
    assert [o[1] for o in orders_now(app)] == ["in print run", "in print run"]


def test_two_team_members_marking_one_order_sent_at_once_send_one_notice(
    app: Flask, ann: Person, team: Person, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann.order()
    made_run(app, tmp_path, monkeypatch)
    members = [team] + [sign_in_by_link(app, f"info{n}@example.org", "team") for n in range(2, 9)]
    answers = at_once([lambda member=member: member.post(*DISPATCH) for member in members])  # type: ignore[misc]
    assert [a[0] for a in answers] == [303] * 8
    pages = [member.get("/team/runs/1")[1] for member in members]
    assert sum("Order 1 is marked as sent." in p for p in pages) == 1
    refused = "Order 1 was not changed: it is not printed yet, or was sent already."
    assert sum(refused in p for p in pages) == 7
    with db_of(app).transaction(write=False) as tx:
        assert tx.one("SELECT COUNT(*) FROM outbox WHERE kind = 'dispatch-notice'") == (1,)
        assert tx.one("SELECT status FROM runs") == ("dispatched",)
    assert orders_now(app)[0][1] == "dispatched"


DISPATCH = ("/team/orders/1/dispatch", {"action": "dispatch"})


def at_once(calls: list[Callable[[], tuple[int, str, str]]]) -> list[tuple[int, str, str]]:
    """Run the calls in threads released together; return their answers in order."""
    start = threading.Barrier(len(calls))
    answers: list[tuple[int, str, str] | None] = [None] * len(calls)

    def run(index: int) -> None:
        start.wait()
        answers[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(answer is not None for answer in answers)
    return [a for a in answers if a is not None]


def test_two_orders_merged_into_each_other_at_once_lose_no_copy(
    app: Flask, ann: Person, team: Person
) -> None:
    ann.order(copies=10)  # 1
    ann.order(copies=20)  # 2
    other = sign_in_by_link(app, "info2@example.org", "team")
    at_once(
        [
            lambda: team.post("/team/orders/2", {"action": "merge", "into": "1"}),
            lambda: other.post("/team/orders/1", {"action": "merge", "into": "2"}),
        ]
    )
    with db_of(app).transaction(write=False) as tx:
        waiting = store.waiting(tx)
    assert len(waiting) == 1  # one parcel, not none
    assert [line.quantity for line in waiting[0].lines] == [30]


def test_orders_for_different_addresses_or_volunteers_are_not_merged(
    app: Flask, ann: Person, team: Person
) -> None:
    ann.order()  # 1
    ann.order(delivery=OTHER_ADDRESS)  # 2: Ann, another address
    sign_in_by_link(app, "bo@example.org").order()  # 3: Bo, Ann's address
    page = team.get("/team/orders")[1]
    assert 'id="into-1"' not in page  # the page offers no such merge
    for into, other in [("1", 2), ("1", 3), ("2", 3), ("1", 1)]:
        team.post(f"/team/orders/{other}", {"action": "merge", "into": into})  # posted by hand
        page = team.get("/team/orders")[1]
        assert "Not changed" in page
        assert (
            "Only orders of one volunteer, to one name, address and contact, can be merged." in page
            or "not the same order" in page
        )
    assert [o[2] for o in orders_now(app)] == [None, None, None]


@pytest.mark.parametrize(
    "copies",  # over the limit, past 64 bits, 5,000 digits, exponent, negative, Arabic and full-width digits
    ["100001", "99999999999999999999999", "1" + "0" * 5000, "1e9", "-5", "0", "\u0663", "\uff11\uff10"],
)
def test_huge_or_strange_quantities_are_refused_in_the_volunteers_words(
    app: Flask, ann: Person, copies: str
) -> None:
    status, page, _ = ann.post("/basket/add", {"code": "TST-01", "qty-TST-01-standard": copies})
    assert status == 400  # the page again, the message beside the box
    assert 'class="error-message" id="qty-TST-01-standard-error"' in page
    assert "order_limits" not in page
    assert "publisher.yml" not in page
    assert 'Basket <span class="count">(0 copies)' in page


def test_a_merge_past_the_limit_or_into_a_huge_id_changes_nothing(
    app: Flask, ann: Person, team: Person
) -> None:
    limit = app.extensions["shop"].offer.limits.of("TST-01")
    ann.order(copies=limit)
    ann.order(copies=limit)
    team.post("/team/orders/2", {"action": "merge", "into": "1"})
    assert "more than the" in team.get("/team/orders")[1]
    for into in ["99999999999999999999", str(2**63), "-1", "1 OR 1=1", "\u0661", ""]:
        status = team.post("/team/orders/2", {"action": "merge", "into": into})[0]
        assert status in (303, 400), into
    assert [o[2] for o in orders_now(app)] == [None, None]


@pytest.mark.parametrize("number", [2**63, 2**64, 10**30, 0])
def test_team_ids_past_64_bits_are_not_found(app: Flask, ann: Person, team: Person, number: int) -> None:
    ann.order()
    for path in (f"/team/orders/{number}/dispatch", f"/team/runs/{number}", f"/team/runs/{number}/files.zip"):
        assert team.get(path)[0] == 404, path
    for path, form in (
        (f"/team/orders/{number}", {"action": "cancel"}),
        (f"/team/orders/{number}/dispatch", {"action": "dispatch"}),
    ):
        assert team.post(path, form)[0] == 404, path
    assert orders_now(app)[0][2] is None


def test_an_order_already_printed_cannot_be_cancelled_held_or_merged(
    app: Flask, ann: Person, team: Person, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann.order()
    made_run(app, tmp_path, monkeypatch)
    ann.order()  # 2, waiting
    for form in ({"action": "cancel"}, {"action": "hold"}, {"action": "release"}):
        team.post("/team/orders/1", form)
        assert "Order 1 was not changed" in team.get("/team/orders")[1]
    team.post("/team/orders/2", {"action": "merge", "into": "1"})
    assert "Both orders must be waiting" in team.get("/team/orders")[1]
    assert orders_now(app) == [(1, "in print run", None, None, None), (2, "received", None, None, None)]
