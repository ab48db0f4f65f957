"""The team's "Make print run" (issue 24): a child process, its progress, its state kept.

The run is made by ``booklet order --from-shop`` in a child process (here ``tests.crashrun``:
print files faked, slowed down or killed at a step when asked). The team page and its
JSON status follow it; a child that dies leaves the shop up and its orders waiting; a shop
that stops stops its child, and the page after a restart says what happened.
On SQLite, and on the tests' own PostgreSQL (marked slow).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from booklet.web.shop import jobs, runs, store
from booklet.web.shop.app import Settings, create_app
from booklet.web.shop.db import Database
from tests import shopkit
from tests.crashrun import SLOW_ENV
from tests.shopkit import FIXTURES, Person, sign_in_by_link

pg = shopkit.pg
any_db = shopkit.any_db
ROOT = Path(__file__).parent.parent
CRASHRUN = (sys.executable, "-m", "tests.crashrun")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES, folder)
    return folder


def shop_app(db_url: str, content: Path, out: Path, **env: str) -> Flask:
    """Return a shop whose Make print run runs the faked booklet, with ``env`` added."""
    made = create_app(Settings(db_url, content, out, secure=False))
    made.testing = True
    made.extensions["shop_jobs"] = jobs.Jobs(CRASHRUN, {**os.environ, "PYTHONPATH": str(ROOT), **env})
    return made


def until(check: Callable[[], object], seconds: float = 60) -> object:
    """Return ``check()`` once it is true, asking every 0.1 s for up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not so after {seconds} s")


def status(team: Person) -> dict[str, object]:
    response = team.client.get("/team/runs/job.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    found: dict[str, object] = json.loads(response.data)
    return found


def waiting_orders(db_url: str) -> list[store.PlacedOrder]:
    db = Database(db_url)
    try:
        with db.transaction(write=False) as tx:
            return store.orders_where(tx, "o.run_id IS NULL AND o.cancelled_at IS NULL")
    finally:
        db.close()


def test_the_team_page_follows_the_run_without_a_reload(any_db: str, content: Path, tmp_path: Path) -> None:
    app = shop_app(any_db, content, tmp_path / "out", **{SLOW_ENV: "1.5"})
    team = sign_in_by_link(app, "info@example.org", "team")
    sign_in_by_link(app, "ann@example.org").order()
    team.post("/team/runs/make", {})
    said = until(lambda: (s := status(team))["state"] == "running" and s.get("total") and s)
    assert isinstance(said, dict)
    name = said["name"]
    assert said["text"] == f"Print run {name} is being made: {said['done']} of {said['total']} print files."
    page = team.get("/team/orders")[1]
    # the polite live region the script updates, the script (the shop's own file) and a no-script reload
    live = '<div id="job" class="job" role="status" aria-live="polite" data-poll="/team/runs/job.json">'
    assert live in page
    assert '<script src="/static/team.js" defer></script>' in page
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in page
    # the button stays (never disabled, so keyboards still reach it): a second press is refused
    assert team.post("/team/runs/make", {})[2] == "/team/orders#making"
    assert "A print run is being made already: wait for it to finish." in team.get("/team/orders")[1]
    with team.client.get("/static/team.js") as script:
        assert script.status_code == 200
        assert b'getElementById("job")' in script.data
        assert "script-src 'self'" in script.headers["Content-Security-Policy"]
    assert "Print run" in team.get("/team/orders")[1]
    app.extensions["shop_jobs"].wait(120)
    said = status(team)
    assert said["state"] == "made"
    assert said["text"] == f"Print run {name} is made with 1 order(s)."
    assert said["zip"] == "/team/runs/1/files.zip"
    page = team.get("/team/orders")[1]
    assert "data-poll" not in page
    assert "team.js" not in page
    assert "http-equiv" not in page
    # a volunteer cannot ask
    ann = sign_in_by_link(app, "bo@example.org")
    assert ann.client.get("/team/runs/job.json").status_code == 403


def test_a_child_that_dies_mid_run_leaves_the_shop_up_and_its_orders_waiting(
    any_db: str, content: Path, tmp_path: Path
) -> None:
    # the child kills itself (-9) after its first print file, as the kernel's OOM killer would
    app = shop_app(any_db, content, tmp_path / "out", **{store.CRASH_ENV: "from-shop:file-1"})
    team = sign_in_by_link(app, "info@example.org", "team")
    ann = sign_in_by_link(app, "ann@example.org")
    ann.order()
    team.post("/team/runs/make", {})
    app.extensions["shop_jobs"].wait(120)
    said = status(team)
    assert said["state"] == "failed"
    assert "it was stopped by SIGKILL" in str(said["text"])
    assert "Nothing was lost: its orders wait for the next print run." in str(said["text"])
    page = team.get("/team/orders")[1]
    assert "The print run was not made" in page
    assert "1 order(s) waiting for a print run" in page
    # the dead run is settled at once (not left "being made" until the next run)
    with app.extensions["shop"].db.transaction(write=False) as tx:
        assert runs.listed(tx) == []
    assert [o.status for o in waiting_orders(any_db)] == ["received"]
    assert ann.get("/booklets")[0] == 200  # the shop serves on
    # and the next press makes the run
    app.extensions["shop_jobs"] = jobs.Jobs(CRASHRUN, {**os.environ, "PYTHONPATH": str(ROOT)})
    team.post("/team/runs/make", {})
    app.extensions["shop_jobs"].wait(120)
    assert status(team)["state"] == "made"
    assert waiting_orders(any_db) == []


def test_stopping_the_shop_stops_its_child_and_nothing_is_lost(
    any_db: str, content: Path, tmp_path: Path
) -> None:
    app = shop_app(any_db, content, tmp_path / "out", **{SLOW_ENV: "30"})
    team = sign_in_by_link(app, "info@example.org", "team")
    sign_in_by_link(app, "ann@example.org").order()
    team.post("/team/runs/make", {})
    until(lambda: status(team).get("total"))
    job = jobs.load(app.extensions["shop"].db)
    assert job is not None
    assert job.pid
    started = time.monotonic()
    app.extensions["shop_jobs"].stop()  # what the shop's exit does (atexit)
    assert time.monotonic() - started < jobs.STOP_SECONDS
    with pytest.raises(ProcessLookupError):
        os.kill(job.pid, 0)
    said = status(team)
    assert said["state"] == "stopped"
    assert said["text"] == jobs.STOPPED
    assert [o.status for o in waiting_orders(any_db)] == ["received"]


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_shop_killed_mid_run_kills_its_child_and_says_so_after_a_restart(
    how: signal.Signals, any_db: str, content: Path, tmp_path: Path
) -> None:
    module = ("tests.crashrun", "--shop")
    env = {SLOW_ENV: "30", "PYTHONPATH": str(ROOT)}
    server = shopkit.start_server(any_db, tmp_path / "out", env, module, content)
    try:
        cookie, csrf = shopkit.live_sign_in(server, "info@example.org", "team")
        ann_cookie, ann_csrf = shopkit.live_sign_in(server, "ann@example.org")
        added = {"csrf_token": ann_csrf, "code": "TST-01", "qty-TST-01-standard": "10"}
        assert server.request("POST", "/basket/add", added, ann_cookie)[0] == 303
        page = server.request("GET", "/checkout", cookie=ann_cookie)[2]
        form = {"csrf_token": ann_csrf, "order_key": shopkit.order_key_of(page), **shopkit.DELIVERY}
        assert server.request("POST", "/checkout", form, ann_cookie)[0] == 303
        assert server.request("POST", "/team/runs/make", {"csrf_token": csrf}, cookie)[0] == 303
        until(lambda: json.loads(server.request("GET", "/team/runs/job.json", cookie=cookie)[2]).get("total"))
        job = jobs.load(Database(any_db))
        assert job is not None
        assert job.pid
        server.process.send_signal(how)
        server.process.wait(30)
        until(lambda: not os.path.exists(f"/proc/{job.pid}") or _zombie(job.pid), 15)  # PR_SET_PDEATHSIG
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(30)
    again = shopkit.start_server(any_db, tmp_path / "out", env, module, content)
    try:
        cookie, _ = shopkit.live_sign_in(again, "info@example.org", "team")
        page = again.request("GET", "/team/orders", cookie=cookie)[2]
        assert "The print run was stopped" in page
        assert jobs.STOPPED in page
        assert "1 order(s) waiting for a print run" in page
        until(lambda: [o.status for o in waiting_orders(any_db)] == ["received"], 30)
        db = Database(any_db)
        with db.transaction(write=False) as tx:
            assert runs.listed(tx) == []  # the dead run is settled, not "being made" for ever
        db.close()
    finally:
        again.process.kill()
        again.process.wait(30)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except OSError:
        return True


def test_the_childs_command_line_shows_no_database_password(tmp_path: Path) -> None:
    """Anyone on the computer reads a process's arguments (ps); only its owner its environment."""
    url = "postgresql://shop:s%40cret:pw@db.example.org:5433/orders?sslmode=require"
    assert jobs.out_of_sight(url, {}) == (
        "postgresql://shop@db.example.org:5433/orders?sslmode=require",
        {"PGPASSWORD": "s@cret:pw"},
    )
    bare = "postgresql://shop@db/orders"
    assert jobs.out_of_sight(bare, {"A": "1"}) == (bare, {"A": "1"})
    assert jobs.out_of_sight(str(tmp_path / "s.sqlite3"), {})[0] == str(tmp_path / "s.sqlite3")
    # the child as started: its arguments hold the URL without the password, its environment the password
    waiter = jobs.Jobs((sys.executable, "-c", "import time; time.sleep(30)"), {})
    db = Database(str(tmp_path / "shop.sqlite3"))
    db.migrate()
    job = waiter.start(db, url, tmp_path, tmp_path / "run")
    assert job is not None
    try:
        arguments = Path(f"/proc/{job.pid}/cmdline").read_bytes().split(b"\0")
        assert b"postgresql://shop@db.example.org:5433/orders?sslmode=require" in arguments
        assert not any(b"cret" in a for a in arguments)
        assert b"PGPASSWORD=s@cret:pw" in Path(f"/proc/{job.pid}/environ").read_bytes().split(b"\0")
    finally:
        waiter.stop()
        db.close()
    assert not Path(f"/proc/{job.pid}").exists()  # ended (SIGTERM) and reaped


def test_a_run_finished_after_its_shop_stopped_is_shown_as_made(
    any_db: str, content: Path, tmp_path: Path
) -> None:
    """A child that outlived its shop (no PR_SET_PDEATHSIG) and finished: the next shop says it is made."""
    app = shop_app(any_db, content, tmp_path / "out")
    team = sign_in_by_link(app, "info@example.org", "team")
    sign_in_by_link(app, "ann@example.org").order()
    team.post("/team/runs/make", {})
    app.extensions["shop_jobs"].wait(120)
    db = app.extensions["shop"].db
    job = jobs.load(db)
    assert job is not None
    job.state, job.pid, job.run_id = "running", 2**22 + 1, None  # as a shop killed mid-run left it
    jobs.save(db, job)
    again = shop_app(any_db, content, tmp_path / "out")
    team = sign_in_by_link(again, "info2@example.org", "team")
    said = status(team)
    assert said["state"] == "made"
    assert said["zip"] == "/team/runs/1/files.zip"
