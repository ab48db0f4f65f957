"""Run `booklet` in a child process with print files faked, for the tests that kill it (-9) mid-step.

``python -m tests.crashrun ARGS...`` runs ``booklet ARGS...`` with ``print_ready`` replaced
as ``tests.conftest.fake_print_ready`` does (no WeasyPrint); ``$BOOKLET_CRASH_AT`` names the
step (``store.crash_point``) at which the process kills itself with SIGKILL.
``python -m tests.crashrun --checkout DB CONTENT OUT TOKEN`` instead signs in with a
sign-in link token and checks the basket out, as a browser would;
``python -m tests.crashrun --shop ARGS...`` runs ``booklet ARGS...`` (``shop``) whose
"Make print run" runs this module in its child. ``$BOOKLET_TEST_SECONDS_PER_FILE`` makes
each print file take that long.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import fake_print_ready

SLOW_ENV = "BOOKLET_TEST_SECONDS_PER_FILE"  # each faked print file takes this long


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


def slowly(patch: pytest.MonkeyPatch, seconds: float) -> None:
    """Have each faked print file take ``seconds`` (a run long enough to be stopped midway)."""
    import time

    from booklet.press import print_run

    made = print_run.print_ready

    def slow(*args: object, **kwargs: object) -> print_run.PrintFile:
        time.sleep(seconds)
        return made(*args, **kwargs)  # type: ignore[arg-type]

    patch.setattr(print_run, "print_ready", slow)


if __name__ == "__main__":
    with pytest.MonkeyPatch.context() as patch:
        fake_print_ready(patch, notes=2, spreads=False)
        if os.environ.get(SLOW_ENV):
            slowly(patch, float(os.environ[SLOW_ENV]))
        if sys.argv[1] == "--checkout":
            checkout(*sys.argv[2:6])
        elif sys.argv[1] == "--shop":  # `booklet shop ...` whose Make print run runs this module
            from booklet.cli import main
            from booklet.web.shop import jobs

            jobs.COMMAND = (sys.executable, "-m", "tests.crashrun")
            main(sys.argv[2:])
        else:
            from booklet.cli import main

            main(sys.argv[1:])
