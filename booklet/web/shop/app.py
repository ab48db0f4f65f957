"""The shop's Flask application: configuration, sessions, CSRF, security headers, error pages.

``create_app(Settings(...))`` makes the WSGI application; ``booklet shop`` serves it with
waitress. Pages are in ``views.py``, on a blueprint this module registers; what they share
with it (the shop of the request, the sign-in guards) is in ``current.py``. Templates are in
``templates/`` (autoescaped), the style in ``static/shop.css`` beside the catalogue's own
stylesheet and fonts.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import jinja2
from flask import Flask, abort, g, render_template, request, session
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from ... import paths
from ...press.offer import LiveOffer
from . import (
    basket,
    data,
    holds,
    security,
    store,
    team,  # noqa: F401  the team's pages, on the same blueprint
    transport,
)
from .current import Settings, Shop, shop
from .db import Database
from .outbox import Sender
from .signin import pages  # the pages' blueprint, with the sign-in pages of signin.py on it

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings) -> Flask:
    """Make the shop's WSGI application (the database is brought up to date first)."""
    app = Flask(__name__, static_folder=None)
    folder = data.prepare(settings.data, settings.out_dir)
    db = Database(settings.db_url)
    db.migrate()
    app.config.update(
        SECRET_KEY=data.secret_key(folder),
        SESSION_COOKIE_NAME="__Host-shop" if settings.secure else "shop",
        SESSION_COOKIE_SECURE=settings.secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=datetime.timedelta(minutes=settings.idle_minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
        MAX_CONTENT_LENGTH=256 * 1024,
        MAX_FORM_PARTS=200,
        TEMPLATES_AUTO_RELOAD=False,
    )
    way_out = transport.choose(settings.smtp_url, data.outbox(folder))
    offers = LiveOffer(settings.content_dir)  # what the shop offers, read again when the content changes
    offers.on_change.append(holds.on_offer_change(db))  # waiting orders held or let go at once
    holds.reexamine(db, offers.current())  # the content may have changed while the shop was stopped
    app.extensions["shop"] = Shop(settings, db, offers, way_out, Sender(db, way_out))
    app.url_map.converters["int"] = Id  # before the pages' rules are made
    # the shop's templates, then the frame every web page shares with the catalogue
    app.jinja_loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
            jinja2.FileSystemLoader(paths.WEB_TEMPLATES),
        ]
    )
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(_every_page)
    app.before_request(_load_user)
    app.before_request(_check_csrf)
    app.after_request(_secure_headers)
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _error_page)
    app.register_blueprint(pages)
    return app


class Id(IntegerConverter):
    """A number in a page's address that fits the database's ids (64 bits): any other is no page (404)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def csrf_token() -> str:
    """Return this session's CSRF token (made on first use), for a form's hidden field."""
    if "csrf" not in session:
        session["csrf"] = security.new_token()
    return str(session["csrf"])


def _every_page() -> dict[str, Any]:
    """Return what every page shows: who is signed in, the basket's size, the publisher."""
    return {
        "user": g.get("user"),
        "basket_count": basket.count(shop().db, g.user.id) if g.get("user") else 0,
        "publisher": shop().offer.publisher,
        "mail_delivered": shop().mail_delivered,
    }


def _load_user() -> None:
    """Find who is signed in: a session of the right age, for someone whose sessions were not ended."""
    g.user = None
    uid, epoch, since = session.get("uid"), session.get("epoch"), session.get("since")
    if uid is None:
        return
    limit = datetime.timedelta(hours=security.MAX_SESSION_HOURS)
    too_old = since is None or store.now(-limit) > str(since)
    with shop().db.transaction(write=False) as tx:
        user = store.user_by_id(tx, int(uid))
    if too_old or user is None or user.session_epoch != epoch:
        session.clear()
        return
    g.user = user


def _check_csrf() -> None:
    """Refuse a form sent without this session's CSRF token (HTTP 400)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not security.same(request.form.get("csrf_token"), session.get("csrf")):
        abort(400, "csrf")


def _secure_headers(response: Response) -> Response:
    """Add the security headers; pages about people are never cached."""
    response.headers.update(security.headers(shop().settings.secure))
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


ERRORS = {
    400: (
        "The form could not be used",
        "The page was open too long, or the form did not come from this shop.",
    ),
    403: ("This page is for the information team", "Your account cannot open it."),
    404: ("Page not found", "There is no such page, or it is not yours to see."),
    405: ("Page not found", "There is no such page."),
    413: ("Too much was sent", "The form was larger than the shop accepts."),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
}


def _error_page(error: Any) -> tuple[str, int]:
    """Show an error as a page of the shop, with its status."""
    code = getattr(error, "code", 500) or 500
    title, text = ERRORS.get(code, ("Something went wrong", "Try again in a moment."))
    if code == 400 and getattr(error, "description", "") == "csrf":
        text = (
            "The form was sent without its security code, or the page was open too long. "
            "Go back, reload the page, and send it again."
        )
    return render_template("error.html", title=title, text=text, code=code), code
