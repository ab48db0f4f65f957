"""Helpers of the shop's tests: a signed-in test client, a live server, a real PostgreSQL."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from booklet.source.content import load_publisher
from booklet.web.shop import accounts
from booklet.web.shop.app import Settings, create_app
from booklet.web.shop.db import Database

from . import tools

FIXTURES = Path(__file__).parent / "fixtures" / "content"
PASSWORD = "correct horse battery staple"
DELIVERY = {
    "delivery_name": "Sister Lee",
    "address": "Ward 7\nRoyal Example Hospital\nEX1 1AA",
    "contact": "01234 567890",
}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_KEY = re.compile(r'name="order_key" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """Return the CSRF token of the first form of a page."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def order_key_of(html: str) -> str:
    """Return the order key of the checkout form."""
    found = _KEY.search(html)
    assert found, "the page has no order key"
    return found.group(1)


def make_app(db_url: str, out: Path, secure: bool = False, smtp_url: str | None = None) -> Flask:
    """Return a shop on the test content, its data folder beside OUT (shop-data)."""
    settings = Settings(db_url, FIXTURES, out, secure=secure, data_dir=data_of(out), smtp_url=smtp_url)
    app = create_app(settings)
    app.testing = True
    return app


def data_of(out: Path) -> Path:
    """Return the data folder the tests give a shop whose output folder is OUT."""
    return out.parent / "shop-data"


def shop_folders(tmp_path: Path) -> list[str]:
    """Return the options that keep a `booklet shop` command of a test in its own folders."""
    return ["--content", str(FIXTURES), "--out", str(tmp_path / "out"), "--data", str(tmp_path / "shop-data")]


@dataclass
class Person:
    """Someone signed in to a test client."""

    email: str
    client: FlaskClient
    csrf: str = ""

    def get(self, path: str) -> tuple[int, str]:
        """Return (status, body) of a page."""
        response = self.client.get(path)
        return response.status_code, response.get_data(as_text=True)

    def post(self, path: str, data: dict[str, str], csrf: str | None = None) -> tuple[int, str, str]:
        """Post a form with this session's CSRF token; return (status, body, Location)."""
        form = {"csrf_token": self.csrf if csrf is None else csrf, **data}
        response = self.client.post(path, data=form)
        return response.status_code, response.get_data(as_text=True), response.headers.get("Location", "")

    def add(self, code: str = "TST-01", variant: str = "standard", copies: int = 10) -> tuple[int, str, str]:
        """Put copies of a booklet into the basket."""
        return self.post("/basket/add", {"code": code, f"qty-{code}-{variant}": str(copies)})

    def order(self, delivery: dict[str, str] | None = None, **basket: int) -> tuple[int, str, str]:
        """Fill the basket (TST-01 standard by default) and place the order."""
        self.add(copies=basket.get("copies", 10))
        status, page = self.get("/checkout")
        assert status == 200, page
        return self.post("/checkout", {"order_key": order_key_of(page), **(delivery or DELIVERY)})


def sign_in_by_link(app: Flask, email: str, role: str = "volunteer") -> Person:
    """Add someone with add-user's link, let them choose a password, and return them signed in."""
    link = accounts.add_user(
        db_of(app), email, role, "http://localhost", app.extensions["shop"].offer.publisher
    )
    token = link.rsplit("/", 1)[1]
    client = app.test_client()
    page = client.get(f"/welcome/{token}").get_data(as_text=True)
    form = {"csrf_token": csrf_of(page), "password": PASSWORD, "again": PASSWORD}
    response = client.post(f"/welcome/{token}", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    person = Person(email, client)
    person.csrf = csrf_of(client.get("/booklets").get_data(as_text=True))
    return person


# ---- A live server (waitress, as `booklet shop` runs it) ----


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """`booklet shop --http` running in its own process."""

    process: subprocess.Popen[bytes]
    port: int
    db_url: str
    log: Path

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, cookie: str = ""
    ) -> tuple[int, dict[str, str], str]:
        """Send one request; return (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
        finally:
            conn.close()


def start_server(
    db_url: str,
    out: Path,
    threads_env: dict[str, str] | None = None,
    module: tuple[str, ...] = ("booklet",),
    content: Path = FIXTURES,
) -> Server:
    """Start `booklet shop --http` on a free port and wait until it answers.

    ``module``: the module run as booklet (``tests.crashrun --shop``: print files faked).
    """
    port = free_port()
    log = out / f"shop-{port}.log"
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", *module, "shop", "--http", "--port", str(port)]
    command += ["--db", db_url, "--content", str(content), "--out", str(out), "--data", str(data_of(out))]
    with log.open("wb") as handle:
        process = subprocess.Popen(
            command,
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).parent.parent,
            env={**os.environ, **(threads_env or {})},
        )
    server = Server(process, port, db_url, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the shop did not start: {log.read_text()}")
        with contextlib.suppress(OSError):
            if server.request("GET", "/sign-in")[0] == 200:
                return server
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the shop did not answer in 60 s: {log.read_text()}")


def cookie_of(headers: dict[str, str]) -> str:
    """Return the session cookie a response sets, as a Cookie header."""
    value = headers.get("set-cookie", "")
    return value.split(";", 1)[0]


def live_sign_in(server: Server, email: str, role: str = "volunteer") -> tuple[str, str]:
    """Sign someone in on a live server through their link; return (Cookie header, CSRF token)."""
    link = accounts.add_user(
        Database(server.db_url), email, role, "http://localhost", load_publisher(FIXTURES)[0]
    )
    token = link.rsplit("/", 1)[1]
    status, headers, page = server.request("GET", f"/welcome/{token}")
    assert status == 200, page
    cookie = cookie_of(headers)
    form = {"csrf_token": csrf_of(page), "password": PASSWORD, "again": PASSWORD}
    status, headers, page = server.request("POST", f"/welcome/{token}", form, cookie)
    assert status == 303, page
    cookie = cookie_of(headers)
    status, headers, page = server.request("GET", "/booklets", cookie=cookie)
    return cookie_of(headers) or cookie, csrf_of(page)


# ---- A real PostgreSQL in a temporary folder ----


@dataclass
class Postgres:
    """A PostgreSQL server of the tests' own."""

    port: int
    folder: Path
    bin: Path
    created: list[str] = field(default_factory=list)

    def url(self, database: str = "postgres") -> str:
        """Return the URL of one of its databases."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def empty_database(self) -> str:
        """Return the URL of the tests' shop database, its tables emptied (numbering from 1 again)."""
        import psycopg

        url = self.url("shop")
        if "shop" not in self.created:
            with psycopg.connect(self.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE shop")
            self.created.append("shop")
            db = Database(url)
            db.migrate()
            db.close()
        tables = ", ".join(tables_of(url))
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")  # the shop's own tables
        return url

    def new_database(self) -> str:
        """Make an empty database and return its URL."""
        import psycopg

        name = f"shop_{len(self.created) + 1}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")  # a name made here, not input
        self.created.append(name)
        return self.url(name)


def tables_of(url: str) -> list[str]:
    """Return the shop's tables in a PostgreSQL database (every migration's, whoever added them)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'"
        ).fetchall()
    return sorted(str(row[0]) for row in rows)


def _as_postgres(command: list[str]) -> list[str]:
    """Run a command as the postgres user when root (initdb and postgres refuse to run as root)."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture
def ann(app: Flask) -> Person:
    """Return a volunteer signed in by the link emailed to her (on the module's ``app``)."""
    return sign_in_by_link(app, "ann@example.org")


@pytest.fixture
def team(app: Flask) -> Person:
    """Return a member of the information team signed in by link (on the module's ``app``)."""
    return sign_in_by_link(app, "info@example.org", "team")


def db_of(app: Flask) -> Database:
    """Return the shop's database of an app."""
    found: Database = app.extensions["shop"].db
    return found


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return an empty shop database: a SQLite file, then a database of the tests' PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "shop.sqlite3")
    server: Postgres = request.getfixturevalue("pg")
    return server.empty_database()


@pytest.fixture(scope="session")
def pg() -> Iterator[Postgres]:
    """Start a PostgreSQL server for the test session (a missing PostgreSQL: tests/tools.py)."""
    tools.require("postgresql")
    with postgres() as server:
        yield server


@contextlib.contextmanager
def postgres() -> Iterator[Postgres]:
    """Start PostgreSQL in a temporary folder on a free port; stop it and remove the folder after."""
    bindir = tools.postgres_bin()
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="booklet-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"]),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
    subprocess.run(
        _as_postgres(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield Postgres(port, folder, bindir)
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
