"""The sign-in pages of the shop's own: "email me a new sign-in link" (on the pages' blueprint).

The link goes to the address only when it has an account, and the page says the same
either way; a client that asks too often is refused (429). The link's address is the
shop's own (``Settings.base_url``), never the request's Host header, which a stranger
could set to their own site. The page says a message was sent only when it really leaves
(an SMTP server is set).
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request

from . import accounts, forms
from .current import shop
from .views import pages

__all__ = ["new_link", "pages"]


@pages.route("/sign-in/new-link", methods=["GET", "POST"])
def new_link() -> Any:
    if request.method == "GET":
        return render_template("new_link.html", email="", errors={}, asked=False)
    email, problem = forms.email(request.form.get("email", ""))
    if problem:
        return render_template("new_link.html", email=email, errors={"email": problem}, asked=False), 400
    current = shop()
    client = request.remote_addr or "unknown"
    if not accounts.request_link(
        current.db, email, client, current.settings.base_url, current.offer.publisher
    ):
        abort(429)
    current.wake_mail()
    return render_template("new_link.html", email=email, errors={}, asked=True)
