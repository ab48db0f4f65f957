"""The shop of the current request (settings, database, offer) and the guards its pages use.

``app.py`` makes the :class:`Shop` once and keeps it in the Flask application; the pages
(``views.py``) read it with :func:`shop` and guard themselves with :func:`signed_in` and
:func:`team_only`. Neither module imports the other's page code: app.py registers the
pages' blueprint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, request, url_for

from ...press.offer import LiveOffer, Offer
from . import data, security
from .db import Database
from .outbox import Sender
from .transport import Transport

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Settings:
    """How one shop runs."""

    db_url: str
    content_dir: Path
    out_dir: Path
    secure: bool = True  # cookies only over HTTPS (Secure, __Host- name) and HSTS
    idle_minutes: int = security.IDLE_MINUTES
    data_dir: Path | None = None  # the private data folder (None: shop-data beside the content)
    smtp_url: str | None = None  # where email leaves; None: written into DATA/outbox
    base_url: str = "http://127.0.0.1:8000"  # the shop's address as people reach it, for emailed links

    @property
    def data(self) -> Path:
        """Return the shop's private data folder (key, messages, the SQLite database)."""
        return data.folder(self.content_dir, self.data_dir)

    @property
    def outbox(self) -> Path:
        """Return the folder messages are written to when no SMTP server is set."""
        return data.outbox(self.data)


@dataclass(frozen=True)
class Shop:
    """What every request reads: the settings, the database and the catalogue on offer (read live)."""

    settings: Settings
    db: Database
    offers: LiveOffer
    transport: Transport
    sender: Sender

    @property
    def offer(self) -> Offer:
        """Return what can be ordered now."""
        return self.offers.current()

    @property
    def mail_delivered(self) -> bool:
        """Tell whether messages really leave (an SMTP server), so a page may say "we have sent"."""
        return self.transport.delivers

    def wake_mail(self) -> None:
        """Have the sender send what was just queued (after the commit that queued it)."""
        self.sender.wake()


def shop() -> Shop:
    """Return the shop of the current request."""
    found: Shop = current_app.extensions["shop"]
    return found


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
