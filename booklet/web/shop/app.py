"""The shop's Flask application: configuration, sessions, CSRF, security headers, error pages.

``create_app(Settings(...))`` makes the WSGI application; ``booklet shop`` serves it with
waitress. Pages are in ``views.py``, templates in ``templates/`` (autoescaped), the style in
``static/shop.css`` beside the catalogue's own stylesheet and fonts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from flask import Flask, abort, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ... import paths
from ...press.offer import Offer, available
from ...render import templates
from . import security, store
from .db import Database

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Settings:
    """How one shop runs."""

    db_url: str
    content_dir: Path
    out_dir: Path
    secure: bool = True  # cookies only over HTTPS (Secure, __Host- name) and HSTS
    idle_minutes: int = security.IDLE_MINUTES

    @property
    def outbox(self) -> Path:
        """Return the folder confirmation emails are written to."""
        return paths.shop_outbox(self.out_dir)


def create_app(settings: Settings) -> Flask:
    """Make the shop's WSGI application (the database is brought up to date first)."""
    app = Flask(__name__, static_folder=None)
    db = Database(settings.db_url)
    db.migrate()
    app.config.update(
        SECRET_KEY=store.setting(db, "secret_key", security.new_token()),
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
    app.extensions["shop"] = Shop(settings, db, available(settings.content_dir))
    # the shop's templates, then the frame every web page shares with the catalogue
    app.jinja_loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(Path(__file__).parent / "templates"), jinja2.FileSystemLoader(templates.WEB)]
    )
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(_every_page)
    app.before_request(_load_user)
    app.before_request(_check_csrf)
    app.after_request(_secure_headers)
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _error_page)
    from .views import pages

    app.register_blueprint(pages)
    return app


@dataclass(frozen=True)
class Shop:
    """What every request reads: the settings, the database and the catalogue on offer."""

    settings: Settings
    db: Database
    offer: Offer


def shop() -> Shop:
    """Return the shop of the current request."""
    from flask import current_app

    found: Shop = current_app.extensions["shop"]
    return found


def csrf_token() -> str:
    """Return this session's CSRF token (made on first use), for a form's hidden field."""
    if "csrf" not in session:
        session["csrf"] = security.new_token()
    return str(session["csrf"])


def _every_page() -> dict[str, Any]:
    """Return what every page shows: who is signed in, the basket's size, the publisher."""
    return {
        "user": g.get("user"),
        "basket_count": sum(session.get("basket", {}).values()),
        "publisher": shop().offer.publisher,
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


def signed_in(view: F) -> F:
    """Let only someone signed in see a page; send anyone else to the sign-in page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("pages.sign_in", next=request.path), 303)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def team_only(view: F) -> F:
    """Let only the information team see a page: others get 403, anyone signed out the sign-in page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("pages.sign_in", next=request.path), 303)
        if g.user.role != "team":
            abort(403)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
