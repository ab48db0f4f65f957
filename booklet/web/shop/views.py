"""The shop's pages: sign in, the booklets, the basket, checkout and orders.

The team's pages are in :mod:`.team`, on the same blueprint (app.py imports it).
"""

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
from . import basket as baskets
from .current import shop, signed_in
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


@pages.get("/static/team.js")
def team_js() -> Response:
    """Send the team page's progress script (the page works without it)."""
    return send_from_directory(STATIC, "team.js", max_age=3600)


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
    session.clear()  # the basket is kept in the database: it waits for its owner
    session.permanent = True
    session.update(uid=user.id, epoch=user.session_epoch, since=store.now())
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


def _booklets_page(status: int = 200, **context: Any) -> tuple[str, int]:
    """Render the booklets page, saying why when nothing can be ordered."""
    offer = shop().offer
    return _page("booklets.html", status, booklets=_catalogue(), drafts=len(offer.drafts), **context)


@pages.get("/booklets")
@signed_in
def booklets() -> Any:
    return _booklets_page(added=session.pop("added", None))


@pages.post("/basket/add")
@signed_in
def basket_add() -> Any:
    """Add every box typed in on the page (whichever booklet's button was pressed)."""
    offer = shop().offer
    with shop().db.transaction(write=False) as tx:
        have = baskets.of(tx, g.user.id)
    errors: dict[str, str] = {}
    adding: dict[baskets.Item, int] = {}
    for code in sorted(offer.codes):
        for variant in offer.codes[code]:
            field = forms.field_id(code, variant)
            value = request.form.get(field, "").strip()
            if not value:
                continue
            copies, problem = forms.quantity(value, code, offer, have.items.get((code, variant), 0))
            if problem:
                errors[field] = problem
            elif copies:
                adding[(code, variant)] = copies
    pressed = request.form.get("code", "")
    if not adding and not errors and pressed in offer.codes:
        errors[forms.field_id(pressed, offer.codes[pressed][0])] = (
            "Enter how many copies you want, for example 25."
        )
    if errors or not adding:
        values = {k: v for k, v in request.form.items() if k.startswith("qty-")}
        return _booklets_page(400 if errors else 200, errors=errors, values=values, added=None)
    now = baskets.add(shop().db, g.user.id, adding)
    session["added"] = {
        "lines": [
            f"{forms.copies(copies)} of {offer.titles[code]}, {VARIANTS[variant].label}"
            for (code, variant), copies in sorted(adding.items())
        ],
        "count": now.count,
    }
    return redirect(url_for("pages.booklets") + "#added", 303)


def _basket_lines(have: baskets.Basket) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the basket as lines to show, and what in it can no longer be ordered (and why)."""
    offer = shop().offer
    lines, gone = [], []
    for (code, variant), copies in sorted(have.items.items()):
        if code in offer.codes and variant in offer.codes[code]:
            lines.append(
                {
                    "key": f"{code}|{variant}",
                    "code": code,
                    "variant": variant,
                    "title": offer.titles[code],
                    "label": VARIANTS[variant].label,
                    "quantity": copies,
                    "field": forms.field_id(code, variant),
                }
            )
        else:
            gone.append(forms.not_offered(code, offer))
    return lines, gone


def _my_basket() -> baskets.Basket:
    with shop().db.transaction(write=False) as tx:
        return baskets.of(tx, g.user.id)


@pages.route("/basket", methods=["GET", "POST"])
@signed_in
def basket() -> Any:
    """Show the basket; any of its buttons saves every quantity typed, then removes or checks out."""
    have = _my_basket()
    lines, gone = _basket_lines(have)
    if request.method == "GET":
        return _page("basket.html", lines=lines, gone=gone, saved=request.args.get("saved") == "1")
    offer = shop().offer
    errors: dict[str, str] = {}
    updated: dict[baskets.Item, int] = {}
    for line in lines:
        value = request.form.get(line["field"], str(line["quantity"])).strip()
        if request.form.get("remove") == line["key"] or value == "0":
            continue
        copies, problem = forms.quantity(value, line["code"], offer, in_basket=True)
        if copies is None:
            errors[line["field"]] = problem
        else:
            updated[(line["code"], line["variant"])] = copies
    if errors:
        return _page("basket.html", 400, lines=lines, gone=gone, errors=errors, values=request.form)
    if updated != {(line["code"], line["variant"]): line["quantity"] for line in lines}:
        baskets.replace(shop().db, g.user.id, updated)
    if request.form.get("action") == "checkout" and updated:
        return redirect(url_for("pages.checkout"), 303)
    return redirect(url_for("pages.basket", saved=1), 303)


@pages.route("/checkout", methods=["GET", "POST"])
@signed_in
def checkout() -> Any:
    user = g.user
    have = _my_basket()
    lines, gone = _basket_lines(have)
    if request.method == "GET":
        if not lines:
            return redirect(url_for("pages.basket"), 303)
        values = {"delivery_name": user.delivery_name, "address": user.address, "contact": user.contact}
        return _page("checkout.html", lines=lines, gone=gone, values=values, key=have.key)
    key = request.form.get("order_key", "")
    if not _KEY.fullmatch(key):
        abort(400)
    if key != have.key or not lines:
        with shop().db.transaction(write=False) as tx:
            done = store.order_by_key(tx, key, user.id)
        if done is not None:  # sent again after it was placed: the same order
            return redirect(url_for("pages.order", order_id=done.id, placed=1), 303)
        return redirect(url_for("pages.basket"), 303)  # the basket changed meanwhile: look again
    checked = forms.delivery(request.form)
    if checked.errors:
        return _page(
            "checkout.html",
            400,
            lines=lines,
            gone=gone,
            values=checked.values,
            errors=checked.errors,
            key=key,
        )
    wanted = [store.Line(line["code"], line["variant"], line["quantity"]) for line in lines]
    delivery = (checked.values["delivery_name"], checked.values["address"], checked.values["contact"])
    try:
        order_id, new = store.place_order(shop().db, user.id, key, wanted, delivery, then=_confirm)
    except ValueError:
        abort(400)
    if new:
        shop().wake_mail()  # after the commit: the sender sends what it queued
    return redirect(url_for("pages.order", order_id=order_id, placed=1), 303)


def _confirm(tx: Tx, order_id: int) -> None:
    """Queue an order's confirmation email, in the transaction that saves the order."""
    placed = store.order_of(tx, order_id, None)
    assert placed is not None
    try:
        outbox.enqueue(tx, mail.confirmation(placed, shop().offer), "order-confirmation", order_id)
    except ValueError as exc:  # an address kept before addresses were checked: the order still counts
        LOGGER.warning("Order %d has no confirmation email: %s", order_id, exc)


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
    return _page("order.html", order=found, placed=placed, titles=shop().offer.titles, labels=labels())


def labels() -> dict[str, str]:
    """Return each variant's label, by name."""
    return {name: v.label for name, v in VARIANTS.items()}
