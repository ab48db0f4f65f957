"""The shop's pages: sign in, the booklets, the basket, checkout, orders, and the team's page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from ... import languages
from ...log import LOGGER
from ...paths import FONTS, STYLES
from ...variants import VARIANTS
from . import accounts, forms, mail, outbox, security, store
from .current import shop, signed_in, team_only
from .db import Tx

pages = Blueprint("pages", __name__)
STATIC = Path(__file__).parent / "static"
_KEY = re.compile(r"[A-Za-z0-9_-]{43}")  # an order key: security.new_token()


def _page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """Render a page (with no errors unless given) and its status."""
    context.setdefault("errors", {})
    return render_template(template, **context), status


def _safe_next(value: str | None) -> str:
    """Return where to go after signing in: a path of this shop only, never another site.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    '/\t/evil.example' would be '//evil.example': any of those refuses the value.
    """
    if value and re.fullmatch(r"/(?![/\\])[^\s\\\x00-\x1f\x7f]*", value):
        return value
    return url_for("pages.booklets")


# ---- Files the pages use ----


@pages.get("/static/shop.css")
def shop_css() -> Response:
    return send_from_directory(STATIC, "shop.css", max_age=3600)


@pages.get("/static/styles/<name>")
def styles(name: str) -> Response:
    if name not in ("catalogue.css", "cover-shapes.svg"):
        abort(404)
    return send_from_directory(STYLES, name, max_age=3600)


@pages.get("/static/fonts/<name>")
def fonts(name: str) -> Response:
    if not name.endswith(".ttf"):
        abort(404)
    return send_from_directory(FONTS, name, max_age=86400)


# ---- Signing in ----


@pages.get("/")
def home() -> Response:
    return redirect(url_for("pages.booklets" if g.user else "pages.sign_in"), 303)


@pages.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    if request.method == "GET":
        return _page("sign_in.html", email="", next=request.args.get("next", ""))
    email, problem = forms.email(request.form.get("email", ""))
    password = request.form.get("password", "")
    nxt = request.form.get("next", "")
    errors = {"email": problem} if problem else {}
    if not password:
        errors["password"] = "Enter your password."
    if errors:
        return _page("sign_in.html", 400, email=email, next=nxt, errors=errors)
    db = shop().db
    if not accounts.attempt(db, email, request.remote_addr or "unknown"):  # counted before it is checked
        abort(429)
    with db.transaction(write=False) as tx:
        user = store.user_by_email(tx, email)
    ok, rehash = security.check_password(user.password_hash if user else None, password)
    if user is None or not ok:
        errors = {"password": "The email address or the password is wrong. Check them and try again."}
        return _page("sign_in.html", 400, email=email, next=nxt, errors=errors)
    with db.transaction() as tx:
        store.clear_failures(tx, email)
        if rehash:
            store.set_password_hash(tx, user.id, rehash)
    _start_session(user)
    return redirect(_safe_next(nxt), 303)


def _start_session(user: store.User) -> None:
    """Start a new session for someone (a new cookie: nothing from before signing in carries on)."""
    basket = session.get("basket", {})
    session.clear()
    session.permanent = True
    session.update(uid=user.id, epoch=user.session_epoch, since=store.now(), basket=basket)
    session["csrf"] = security.new_token()


@pages.post("/sign-out")
def sign_out() -> Response:
    if g.user is not None:
        with shop().db.transaction() as tx:
            store.end_sessions(tx, g.user.id)
    session.clear()
    return redirect(url_for("pages.sign_in", signed_out=1), 303)


@pages.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str) -> Any:
    db = shop().db
    with db.transaction(write=False) as tx:
        user = store.link_user(tx, token)
    if user is None:
        return _page("link_expired.html", 404)
    if request.method == "GET":
        return _page("welcome.html", email=user.email, token=token)
    password, again = request.form.get("password", ""), request.form.get("again", "")
    errors = security.password_problem(password, again, user.email)
    if errors:
        return _page("welcome.html", 400, email=user.email, token=token, errors=errors)
    with db.transaction() as tx:
        changed = accounts.use_link(tx, token, security.hash_password(password))
    if changed is None:
        return _page("link_expired.html", 404)
    _start_session(changed)
    return redirect(url_for("pages.booklets"), 303)


# ---- Ordering ----


def _catalogue() -> list[dict[str, Any]]:
    """Return the booklets on offer, by title, each with its variants and limit."""
    offer = shop().offer
    items = []
    for code in sorted(offer.codes, key=lambda c: offer.titles[c].casefold()):
        booklet = offer.booklets[code]
        language = languages.get(booklet.lang)  # a translation's subtitle and summary are in its language
        items.append(
            {
                "code": code,
                "lang": language.tag if language else "",
                "dir": language.direction if language else "",
                "title": offer.titles[code],
                "subtitle": booklet.meta.subtitle,
                "summary": booklet.meta.summary,
                "limit": offer.limits.of(code),
                "variants": [
                    {"name": v, "label": VARIANTS[v].label, "field": forms.field_id(code, v)}
                    for v in offer.codes[code]
                ],
            }
        )
    return items


@pages.get("/booklets")
@signed_in
def booklets() -> Any:
    return _page("booklets.html", booklets=_catalogue(), added=request.args.get("added", ""))


@pages.post("/basket/add")
@signed_in
def basket_add() -> Any:
    offer = shop().offer
    code = request.form.get("code", "")
    if code not in offer.codes:
        abort(404)
    basket: dict[str, int] = dict(session.get("basket", {}))
    errors: dict[str, str] = {}
    adding: dict[str, int] = {}
    for variant in offer.codes[code]:
        field = forms.field_id(code, variant)
        value = request.form.get(field, "").strip()
        if not value or value == "0":
            continue
        key = f"{code}|{variant}"
        copies, problem = forms.quantity(value, code, offer, basket.get(key, 0))
        if copies is None:
            errors[field] = problem
        else:
            adding[key] = copies
    if not adding and not errors:
        errors[forms.field_id(code, offer.codes[code][0])] = "Enter how many copies you want."
    if errors:
        values = {k: v for k, v in request.form.items() if k.startswith("qty-")}
        return _page("booklets.html", 400, booklets=_catalogue(), errors=errors, values=values, added="")
    for key, copies in adding.items():
        basket[key] = basket.get(key, 0) + copies
    session["basket"] = basket
    return redirect(url_for("pages.booklets", added=code) + f"#booklet-{code}", 303)


def _basket_lines() -> list[dict[str, Any]]:
    """Return the basket as lines to show, leaving out anything no longer on offer."""
    offer = shop().offer
    lines = []
    for key, copies in sorted(session.get("basket", {}).items()):
        code, _, variant = key.partition("|")
        if code in offer.codes and variant in offer.codes[code]:
            lines.append(
                {
                    "key": key,
                    "code": code,
                    "variant": variant,
                    "title": offer.titles[code],
                    "label": VARIANTS[variant].label,
                    "quantity": copies,
                    "field": forms.field_id(code, variant),
                }
            )
    return lines


@pages.route("/basket", methods=["GET", "POST"])
@signed_in
def basket() -> Any:
    if request.method == "GET":
        return _page("basket.html", lines=_basket_lines())
    offer = shop().offer
    errors: dict[str, str] = {}
    updated: dict[str, int] = {}
    for line in _basket_lines():
        value = request.form.get(line["field"], str(line["quantity"])).strip()
        if request.form.get("remove") == line["key"] or value == "0":
            continue
        copies, problem = forms.quantity(value, line["code"], offer)
        if copies is None:
            errors[line["field"]] = problem
        else:
            updated[line["key"]] = copies
    if errors:
        return _page("basket.html", 400, lines=_basket_lines(), errors=errors, values=request.form)
    session["basket"] = updated
    return redirect(url_for("pages.basket"), 303)


@pages.route("/checkout", methods=["GET", "POST"])
@signed_in
def checkout() -> Any:
    lines = _basket_lines()
    if not lines:
        return redirect(url_for("pages.basket"), 303)
    user = g.user
    if request.method == "GET":
        values = {"delivery_name": user.delivery_name, "address": user.address, "contact": user.contact}
        return _page("checkout.html", lines=lines, values=values, key=security.new_token())
    key = request.form.get("order_key", "")
    if not _KEY.fullmatch(key):
        abort(400)
    checked = forms.delivery(request.form)
    if checked.errors:
        return _page("checkout.html", 400, lines=lines, values=checked.values, errors=checked.errors, key=key)
    wanted = [store.Line(line["code"], line["variant"], line["quantity"]) for line in lines]
    delivery = (checked.values["delivery_name"], checked.values["address"], checked.values["contact"])
    try:
        order_id, new = store.place_order(shop().db, user.id, key, wanted, delivery, then=_confirm)
    except ValueError:
        abort(400)
    if new:
        shop().wake_mail()
    session["basket"] = {}
    return redirect(url_for("pages.order", order_id=order_id, placed=1), 303)


def _confirm(tx: Tx, order_id: int) -> None:
    """Queue an order's confirmation email, in the transaction that saves the order."""
    placed = store.order_of(tx, order_id, None)
    assert placed is not None
    try:
        outbox.enqueue(tx, mail.confirmation(placed, shop().offer), "order-confirmation")
    except ValueError as exc:  # an address kept before addresses were checked: the order still counts
        LOGGER.warning("Order %d has no confirmation email: %s", order_id, exc)


def _notify_dispatched(tx: Tx, dispatched: list[store.PlacedOrder]) -> None:
    """Queue a dispatch notice for each order sent, in the transaction that marks them sent."""
    for placed in dispatched:
        outbox.enqueue(tx, mail.dispatch_notice(placed, shop().offer), "dispatch-notice")


@pages.get("/orders")
@signed_in
def orders() -> Any:
    with shop().db.transaction(write=False) as tx:
        mine = store.orders_of(tx, g.user.id)
    return _page("orders.html", orders=mine, titles=shop().offer.titles)


@pages.get("/orders/<int:order_id>")
@signed_in
def order(order_id: int) -> Any:
    owner = None if g.user.role == "team" else g.user.id
    with shop().db.transaction(write=False) as tx:
        found = store.order_of(tx, order_id, owner)
    if found is None:
        abort(404)  # someone else's order looks the same as no order
    placed = request.args.get("placed") == "1" and found.user_id == g.user.id
    return _page("order.html", order=found, placed=placed, titles=shop().offer.titles, labels=_labels())


def _labels() -> dict[str, str]:
    return {name: v.label for name, v in VARIANTS.items()}


# ---- The information team ----


@pages.get("/team/orders")
@team_only
def team_orders() -> Any:
    with shop().db.transaction(write=False) as tx:
        waiting = store.pending(tx)
        runs = store.runs(tx)
    return _page("team.html", orders=waiting, runs=runs, titles=shop().offer.titles, labels=_labels())


@pages.post("/team/runs/<int:run_id>/dispatched")
@team_only
def dispatched(run_id: int) -> Response:
    if not store.mark_dispatched(shop().db, run_id, then=_notify_dispatched):
        abort(404)
    shop().wake_mail()
    return redirect(url_for("pages.team_orders"), 303)
