"""Run `booklet` in a child process with print files faked, for the tests that kill it (-9) mid-step.

``python -m tests.crashrun ARGS...`` runs ``booklet ARGS...`` with ``print_ready`` replaced
as ``tests.conftest.fake_print_ready`` does (no WeasyPrint); ``$BOOKLET_CRASH_AT`` names the
step (``store.crash_point``) at which the process kills itself with SIGKILL.
``python -m tests.crashrun --checkout DB CONTENT OUT TOKEN`` instead signs in with a
sign-in link token and checks the basket out, as a browser would.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import fake_print_ready


def checkout(db_url: str, content: str, out: str, token: str) -> None:
    """Sign in with ``token`` and check out the basket, the crash point armed only for the checkout."""
    from booklet.web.shop.app import Settings, create_app
    from booklet.web.shop.store import CRASH_ENV
    from tests.shopkit import DELIVERY, PASSWORD, csrf_of, order_key_of

    crash = os.environ.pop(CRASH_ENV, "")
    app = create_app(Settings(db_url, Path(content), Path(out), secure=False))
    client = app.test_client()
    page = client.get(f"/welcome/{token}").get_data(as_text=True)
    client.post(
        f"/welcome/{token}", data={"csrf_token": csrf_of(page), "password": PASSWORD, "again": PASSWORD}
    )
    page = client.get("/checkout").get_data(as_text=True)
    form = {"csrf_token": csrf_of(page), "order_key": order_key_of(page), **DELIVERY}
    os.environ[CRASH_ENV] = crash
    response = client.post("/checkout", data=form)
    sys.stdout.write(f"{response.status_code} {response.headers.get('Location', '')}\n")


if __name__ == "__main__":
    with pytest.MonkeyPatch.context() as patch:
        fake_print_ready(patch, notes=2, spreads=False)
        if sys.argv[1] == "--checkout":
            checkout(*sys.argv[2:6])
        else:
            from booklet.cli import main

            main(sys.argv[1:])
