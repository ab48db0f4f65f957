"""The information team's pages: orders waiting and held; print runs and dispatch; email not sent.

On the pages' blueprint (``views.pages``). Every change is a POST with the CSRF token, and
says what it did with a button to undo it (GOV.UK's notification banner). Dispatching an
order asks first, on a page of its own.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from flask import abort, current_app, jsonify, redirect, request, send_file, session, url_for
from werkzeug.wrappers import Response

from ... import paths
from . import desk, jobs, mail, outbox, runs, store
from .current import shop, team_only
from .db import Tx
from .views import _page, labels, pages


def _jobs() -> jobs.Jobs:
    """Return the shop's print-run job (made on first use)."""
    found: jobs.Jobs = current_app.extensions.setdefault("shop_jobs", jobs.Jobs())
    return found


def job_status() -> dict[str, Any]:
    """Return the last "Make print run" job as the page and its status poll say it."""
    db = shop().db
    job = _jobs().current(db)
    if job is None:
        return {"state": "none", "text": ""}
    said: dict[str, Any] = {"state": job.state, "name": job.name}
    if job.state == "running":
        with db.transaction(write=False) as tx:
            run = runs.of_folder(tx, job.folder)
        done, total = (run.done, run.total) if run is not None and run.status == "making" else (0, 0)
        said.update(done=done, total=total, percent=100 * done // total if total else 0)
        said["text"] = (
            f"Print run {job.name} is being made: {done} of {total} print files."
            if total
            else f"Print run {job.name} is being made: its orders are being gathered."
        )
    elif job.state == "made":
        said["text"] = f"Print run {job.name} is made with {job.orders} order(s)."
        if job.run_id is not None:
            said["zip"] = url_for("pages.run_zip", run_id=job.run_id)
        if job.held:
            said["held"] = f"{job.held} order(s) are held: see Held orders, below, for what each waits for."
    else:
        said["text"] = job.message
    return said


def _notice(text: str, undo: str = "", action: str = "", done: bool = True) -> None:
    """Say on the next team page what was done (or why not), with a button posting ``action`` to ``undo``."""
    session["team_notice"] = {"text": text, "undo": undo, "action": action, "done": done}


def _back(anchor: str = "") -> Response:
    return redirect(url_for("pages.team_orders") + (f"#{anchor}" if anchor else ""), 303)


def mergeable(waiting: list[store.PlacedOrder]) -> dict[int, list[int]]:
    """Return, for each waiting order, the others it can be merged with (same volunteer and delivery)."""
    return {
        o.id: [p.id for p in waiting if p.id != o.id and p.user_id == o.user_id and p.delivery == o.delivery]
        for o in waiting
    }


@pages.get("/team/orders")
@team_only
def team_orders() -> Any:
    job = job_status()  # first: a run a stopped shop left unfinished is settled before the lists are read
    offer = shop().offer  # and the content looked at (a change holds or lets go waiting orders)
    with shop().db.transaction(write=False) as tx:
        waiting = store.waiting(tx)
        made = runs.listed(tx)
        unsent, unsent_total = outbox.given_up(tx)
    held = [o for o in waiting if o.held]
    ready = [o for o in waiting if not o.held]
    return _page(
        "team.html",
        ready=ready,
        held=held,
        merge=mergeable(waiting),
        runs=made,
        unsent=unsent,
        unsent_rest=unsent_total - len(unsent),
        job=job,
        notice=session.pop("team_notice", None),
        titles=offer.titles,
        labels=labels(),
    )


@pages.post("/team/runs/make")
@team_only
def make_run() -> Response:
    """Start making a print run of every order that can be printed, in the background."""
    settings = shop().settings
    folder = paths.print_run_folder(settings.out_dir).absolute()
    if _jobs().start(shop().db, settings.db_url, settings.content_dir, folder) is None:
        _notice("A print run is being made already: wait for it to finish.", done=False)
    return _back("making")


@pages.get("/team/runs/job.json")
@team_only
def job_json() -> Response:
    """Say how the print run being made is going (the team page's script asks every few seconds)."""
    return jsonify(job_status())


@pages.get("/team/runs/<int:run_id>")
@team_only
def run_page(run_id: int) -> Any:
    with shop().db.transaction(write=False) as tx:
        run = runs.run_of(tx, run_id)
        if run is None:
            abort(404)
        placed = store.orders_where(tx, "o.run_id = ?", run_id)
    return _page(
        "run.html",
        run=run,
        orders=placed,
        ready=_trusted(run) is not None,
        notice=session.pop("team_notice", None),
        titles=shop().offer.titles,
        labels=labels(),
    )


def _trusted(run: runs.Run) -> Path | None:
    """Return a run's folder when it is there and holds the run's token (none other is sent)."""
    folder = Path(run.folder)
    try:
        token = (folder / runs.RUN_ID).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return folder if run.token and token == run.token and run.status != "making" else None


@pages.get("/team/runs/<int:run_id>/files.zip")
@team_only
def run_zip(run_id: int) -> Response:
    """Send a run's files (print files, run.csv, summary.txt, orders.csv) as one zip."""
    with shop().db.transaction(write=False) as tx:
        run = runs.run_of(tx, run_id)
    folder = _trusted(run) if run is not None else None
    if run is None or folder is None:
        abort(404)
    packed = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # larger runs go to a file
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
                archive.write(entry.path, f"{run.name}/{entry.name}")
    packed.seek(0)
    return send_file(packed, "application/zip", as_attachment=True, download_name=f"{run.name}.zip")


# ---- One order at a time: cancel, hold, merge, dispatch; each undone ----


def _order_action(order_id: int) -> str:
    return url_for("pages.order_action", order_id=order_id)


def _known(order_id: int) -> int:
    """Return an order id the database can hold; any other is no such order (404), never an error."""
    if not 0 < order_id < 2**63:
        abort(404)
    return order_id


@pages.post("/team/orders/<int:order_id>")
@team_only
def order_action(order_id: int) -> Response:
    """Cancel, restore, hold, release or merge one waiting order (the form's ``action``)."""
    db, action = shop().db, request.form.get("action", "")
    undo = _order_action(_known(order_id))
    if action == "cancel" and desk.cancel(db, order_id):
        _notice(f"Order {order_id} is cancelled.", undo, "restore")
    elif action == "restore" and desk.restore(db, order_id):
        _notice(f"Order {order_id} is waiting for a print run again.")
    elif action == "hold" and desk.hold(db, order_id):
        _notice(f"Order {order_id} is held: it goes into no print run until you let it go.", undo, "release")
    elif action == "release" and desk.release(db, order_id):
        _notice(f"Order {order_id} goes into the next print run.")
    elif action == "merge":
        into = request.form.get("into", "")
        if not into.isascii() or not into.isdigit() or len(into) > 18:
            abort(400)
        why = desk.merge(db, int(into), order_id, shop().offer.limits.of)
        _notice(why or f"Order {order_id} is merged into order {into}: one parcel.", done=not why)
    else:
        _notice(
            f"Order {order_id} was not changed: it is in a print run, or was changed meanwhile.", done=False
        )
    return _back("notice")


def _queue_notice(tx: Tx, sent: store.PlacedOrder) -> None:
    """Queue the volunteer's dispatch notice, in the transaction that marks the order sent."""
    outbox.enqueue(tx, mail.dispatch_notice(sent, shop().offer), "dispatch-notice", sent.id)


@pages.route("/team/orders/<int:order_id>/dispatch", methods=["GET", "POST"])
@team_only
def dispatch(order_id: int) -> Any:
    """Ask, then mark one order's parcel as sent (and tell the volunteer)."""
    with shop().db.transaction(write=False) as tx:
        found = store.order_of(tx, _known(order_id), None)
    if found is None or found.run_id is None:
        abort(404)
    if request.method == "GET":
        return _page("dispatch.html", order=found, titles=shop().offer.titles, labels=labels())
    if request.form.get("action") == "undo":
        if runs.undo_dispatch(shop().db, order_id):
            _notice(f"Order {order_id} is no longer marked as sent.")
    elif runs.dispatch(shop().db, order_id, then=_queue_notice) is not None:
        shop().wake_mail()  # after the commit: the sender sends the notice it queued
        undo = url_for("pages.dispatch", order_id=order_id)
        _notice(f"Order {order_id} is marked as sent.", undo, "undo")
    else:
        _notice(f"Order {order_id} was not changed: it is not printed yet, or was sent already.", done=False)
    return redirect(url_for("pages.run_page", run_id=found.run_id) + "#notice", 303)


# ---- Email the shop gave up on: tried again, or removed ----


def _about(message: outbox.GivenUp) -> str:
    """Return a given-up message in a few words: 'The sign-in link to ann@example.org'."""
    order = f" (order {message.order_id})" if message.order_id is not None else ""
    return f"The {message.what.lower()}{order} to {message.recipient}"


@pages.post("/team/mail/<int:message_id>")
@team_only
def mail_action(message_id: int) -> Response:
    """Try a given-up message again (back in the queue, sent at once) or remove it (the form's ``action``)."""
    db, action = shop().db, request.form.get("action", "")
    if action == "retry" and (again := outbox.try_again(db, _known(message_id))) is not None:
        shop().wake_mail()  # after the commit: the sender tries it now
        _notice(
            f"{_about(again)} is back in the queue and is tried again now. "
            "If it fails again, it comes back to this list."
        )
    elif action == "remove" and (gone := outbox.remove(db, _known(message_id))) is not None:
        _notice(f"{_about(gone)} is removed: it will not be sent.")
    elif action not in ("retry", "remove"):
        abort(400)
    else:
        _notice("That message was not changed: it was tried again or removed meanwhile.", done=False)
    return _back("notice")
