"""booklet serve: which saves rebuild which booklet, the served pages, and a bounded live run."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.errors import ConfigError, Problem
from booklet.source.project import Project
from booklet.web import catalogue, handler, published, serve
from booklet.web.preview import GENERATION_PATH, inject_reload
from booklet.web.serve import ALL, Preview, Server, changed, snapshot

from . import tools
from .test_catalogue import in_browser, run_in_browser

SAMPLE = "sample-booklet"
WAIT = 20.0  # seconds: the most any step of the live test may take


def fetch(url: str) -> str:
    """Return a page served over loopback."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def fetch_now(url: str) -> str:
    """Return a page, or '' while it is missing (404 between a save and the catalogue's rewrite)."""
    try:
        return fetch(url)
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            raise
        return ""


def raw_request(
    url: str, target: str, method: str = "GET", host: str | None = "localhost"
) -> tuple[int, bytes]:
    """Send ``target`` exactly as given (no client checks or quoting); return the status and body.

    ``host`` is the Host header sent (None: none). The status is 0 when the server closed the
    connection without an answer.
    """
    parts = urllib.parse.urlsplit(url)
    header = f"Host: {host}\r\n" if host is not None else ""
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(f"{method} {target} HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1] if head.startswith(b"HTTP/") else b"0"
    return int(status), body


def wait_for(check: Callable[[], bool], what: str) -> None:
    """Wait until ``check()`` is true, for WAIT seconds at most."""
    deadline = time.monotonic() + WAIT
    while not check():
        assert time.monotonic() < deadline, f"gave up after {WAIT:g} s waiting for {what}"
        time.sleep(0.1)


def save(path: Path, text: str) -> None:
    """Save a file as most editors do: write a new file, then rename it over the old one."""
    new = path.with_name(f".{path.name}.new")
    new.write_text(text, encoding="utf-8")
    new.replace(path)


def test_changes_map_to_the_booklets_they_belong_to(sample_content: Path) -> None:
    before = snapshot(sample_content)
    assert sample_content / SAMPLE / "booklet.md" in before
    (sample_content / SAMPLE / ".booklet.md.swp").write_text("editor's own file")
    (sample_content / SAMPLE / "booklet.md~").write_text("editor's backup")
    assert changed(before, snapshot(sample_content), sample_content) == set()
    (sample_content / SAMPLE / "images" / "new.svg").write_text("<svg/>")
    (sample_content / "other").mkdir()
    (sample_content / "other" / "booklet.md").write_text("---\n---\n")
    assert changed(before, snapshot(sample_content), sample_content) == {SAMPLE, "other"}
    (sample_content / "publisher.yml").unlink()
    assert ALL in changed(before, snapshot(sample_content), sample_content)


def test_reload_script_goes_before_the_end_of_the_body() -> None:
    page = inject_reload(b"<html><body><p>Hi</p></body></html>", 7)
    assert page.startswith(b"<html><body><p>Hi</p><script>")
    assert page.endswith(b"</script>\n</body></html>")
    assert GENERATION_PATH.encode() in page
    assert b'var seen = "7";' in page  # the generation it was served in


@pytest.mark.slow
def test_serve_rebuilds_a_booklet_when_it_is_saved(
    sample_content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Start on a free port, change the text, see the served HTML change, then its PDF; survive an error."""
    caplog.set_level(logging.INFO, logger="booklet")
    out = tmp_path / "out"
    source = sample_content / SAMPLE / "booklet.md"
    page = f"{SAMPLE}/{SAMPLE}-standard.html"
    pdf = out / SAMPLE / f"{SAMPLE}-standard.pdf"
    with Server(sample_content, out, port=0) as server:
        assert "Looking after your skin during treatment" in fetch(server.url)  # the catalogue
        assert GENERATION_PATH in fetch(server.url + page)  # served with the reload script
        wait_for(pdf.is_file, "the first PDFs")  # they were missing, so they are built in the background
        first_pdf = pdf.stat().st_mtime_ns
        generation = int(fetch(server.url + GENERATION_PATH))

        save(source, source.read_text().replace("This booklet explains", "Saved while serving. It explains"))
        wait_for(lambda: "Saved while serving." in fetch(server.url + page), "the web page to change")
        wait_for(lambda: int(fetch(server.url + GENERATION_PATH)) > generation, "the reload signal")
        fast = (out / page).read_bytes()
        wait_for(lambda: pdf.stat().st_mtime_ns > first_pdf, "the PDF to be rebuilt")
        wait_for(lambda: caplog.text.count("PDFs of sample-booklet rebuilt") >= 2, "the PDF build to end")
        assert (out / page).read_bytes() == fast  # the fast path writes exactly what a build writes

        good = source.read_text()
        rebuilt = caplog.text.count("Web pages of sample-booklet rebuilt")
        save(source, good.replace("code: TST-01", "code: TST-01\ncolour: blue"))
        wait_for(lambda: "booklet.md:5: unknown key 'colour'" in caplog.text, "the error to be logged")
        wait_for(lambda: "This page cannot be made yet" in fetch_now(server.url + page), "the problems page")
        shown = fetch(server.url + page)  # in place of the page: file, line, message, fix, reload script
        assert '<span class="problem-file">sample-booklet/booklet.md</span>' in shown
        assert "line 5" in shown
        assert "unknown key &#39;colour&#39;" in shown
        assert "How to fix it:" in shown
        assert GENERATION_PATH in shown
        assert (out / page).read_bytes() == fast  # out/ keeps the last good page
        assert caplog.text.count("Web pages of sample-booklet rebuilt") == rebuilt  # the log does not say so
        [summary] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Not rebuilt")]
        assert summary.startswith("Not rebuilt, because of the problems above (shown in the browser")
        assert page in summary

        save(source, good)  # fixed: the page comes back
        wait_for(lambda: "Saved while serving." in fetch_now(server.url + page), "the page to come back")
    stopped = ("colour", "Not rebuilt")
    assert not [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR and not any(w in r.getMessage() for w in stopped)
    ]


def test_hostile_requests_get_a_clean_400_or_404_and_nothing_outside_out(
    sample_content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """NUL, bad UTF-8, too long, traversal (escaped or not, through a link): 400 or 404, no traceback."""
    caplog.set_level(logging.DEBUG, logger="booklet")
    monkeypatch.setattr(serve.Preview, "queue", lambda self, slugs: None)  # no PDFs: not needed here
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "secret.txt").write_text("SECRET outside out/")
    (out / "link.txt").symlink_to(tmp_path / "secret.txt")
    (out / "outside").symlink_to(tmp_path, target_is_directory=True)
    hostile = [
        "/%00",
        "/%00/",
        "/a%00.html",
        "/index.html%00.txt",
        "/%0d%0aSet-Cookie:%20x=1",
        "/%ff",
        "/%ff.html",
        "/%c0%ae%c0%ae/secret.txt",  # '..' in overlong UTF-8
        "/" + "a" * 5000,
        "/" + "a/" * 2100,
        "/" + "b" * 300 + ".html",  # under 4 kB, but a name too long for the file system
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "//etc/passwd",
        "/sample-booklet/../../secret.txt",
        "/link.txt",
        "/outside/secret.txt",
        "/outside/",
        "secret.txt",
    ]
    with Server(sample_content, out, port=0) as server:
        for target in hostile:
            for method in ("GET", "HEAD"):
                status, body = raw_request(server.url, target, method)
                assert status in (400, 404), f"{method} {target[:60]}: {status}"
                assert b"SECRET" not in body, target[:60]
                assert b"root:" not in body, target[:60]
        assert raw_request(server.url, "/")[0] == 200  # the server still serves out/
        status, page = raw_request(server.url, f"/{SAMPLE}/")
        assert status == 200
        assert GENERATION_PATH.encode() in page
        assert raw_request(server.url, "/_static/styles/catalogue.css", "HEAD")[0] == 200
        assert raw_request(server.url, f"/{SAMPLE}")[0] == 301  # a folder without its final /
    assert "Traceback" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


PRIVATE = {  # what a build, print runs and an order shop leave in out/: never served
    ".booklet-cache.json": "SECRET cache",
    ".booklet.lock": "SECRET lock",
    ".booklet-published.txt": None,  # written by the catalogue itself
    "shop.sqlite3": "SECRET database",
    "shop-outbox/0001-order.eml": "SECRET To: ann@example.org",
    "print-runs/2026-12-07/orders.csv": "SECRET 1 High St",
    "print-runs/2026-12-07/summary.txt": "SECRET summary",
    f"{SAMPLE}/{SAMPLE}-standard.pages.json": "SECRET page map",
    f"{SAMPLE}/print/{SAMPLE}-standard-print.pdf": "SECRET print file",
    f"{SAMPLE}/.hidden.html": "SECRET dotfile",
    "notes.html": "SECRET a file the catalogue did not write",
}


def test_only_what_the_catalogue_publishes_is_served_and_only_to_this_computer(
    sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Private files of out/ are 404 however they are asked for; a foreign Host is refused (DNS rebinding)."""
    monkeypatch.setattr(serve.Preview, "queue", lambda self, slugs: None)  # no PDFs: not needed here
    out = tmp_path / "out"
    for name, text in PRIVATE.items():
        if text is not None:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_text(text)
    with Server(sample_content, out, port=0) as server:
        listed = published.read(out)
        assert "index.html" in listed
        assert f"{SAMPLE}/{SAMPLE}-standard.html" in listed
        assert not [name for name in PRIVATE if name in listed]
        for name in PRIVATE:
            escaped = "/".join(urllib.parse.quote(part, safe="") for part in name.split("/"))
            dotted = "%2e" + escaped[1:] if escaped.startswith(".") else escaped
            for target in (f"/{name}", f"/{dotted}", f"/./{name}", f"/{SAMPLE}/../{name}", f"//{name}"):
                for method in ("GET", "HEAD"):
                    status, body = raw_request(server.url, target, method)
                    assert status in (400, 404), f"{method} {target}: {status}"
                    assert b"SECRET" not in body, target
        for folder in ("/shop-outbox/", "/print-runs/", "/print-runs/2026-12-07/", f"/{SAMPLE}/print/"):
            assert raw_request(server.url, folder)[0] == 404  # no listing of a folder
        assert b"SECRET" not in raw_request(server.url, "/")[1]

        port = urllib.parse.urlsplit(server.url).port
        for host in (
            "localhost",
            f"localhost:{port}",
            "127.0.0.1",
            f"127.0.0.1:{port}",
            "[::1]",
            f"[::1]:{port}",
        ):
            assert raw_request(server.url, "/", host=host)[0] == 200, host
        foreign: tuple[str | None, ...] = (
            "evil.example",
            f"evil.example:{port}",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "[::2]",
            "127.0.0.2",
            "",
            "localhost:x",
            "a b",
            "localhost@evil.example",
            None,
        )
        for other in foreign:
            for target in ("/", f"/{SAMPLE}/{SAMPLE}-standard.html", GENERATION_PATH):
                status, body = raw_request(server.url, target, host=other)
                assert status == 403, f"Host {other!r} {target}: {status}"
                assert b"Looking after" not in body
    assert not [r for r in caplog.records if r.exc_info]


def test_a_host_given_with_host_is_answered(
    sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve.Preview, "queue", lambda self, slugs: None)
    with Server(sample_content, tmp_path / "out", host="localhost", port=0) as server:
        assert raw_request(server.url, "/", host="localhost")[0] == 200
        assert raw_request(server.url, "/", host="other.example")[0] == 403
    assert handler.allowed_hosts("preview.example.org") >= {"preview.example.org", "localhost", "[::1]"}
    assert handler.allowed_hosts("::1") == handler.LOOPBACK
    assert handler.host_allowed("Preview.Example.org.:8000", handler.allowed_hosts("preview.example.org"))
    assert not handler.host_allowed("0.0.0.0", handler.allowed_hosts("0.0.0.0"))


def test_a_booklet_left_out_of_the_catalogue_is_reported_once(
    sample_content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Its problem is logged as the content is loaded; the catalogue is rewritten without it."""
    shutil.copytree(sample_content / SAMPLE, sample_content / "broken")
    broken = sample_content / "broken" / "booklet.md"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("TST-01", "TST-09").replace("2026-01-15", "2026-01-32"), encoding="utf-8")
    preview = Preview(sample_content, tmp_path / "out")
    assert preview.refresh([ALL]) == [SAMPLE]
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    assert "broken/booklet.md:7: 'published'" in errors[0]
    assert preview.generation == 1
    assert "Looking after your skin" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    with pytest.raises(catalogue.LeftOutError):  # serve asks for no report, and is told all the same
        catalogue.write_catalogue(Project.load(sample_content), tmp_path / "out", report=False)
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1


def test_a_port_in_use_is_a_clear_error(sample_content: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"cannot serve on 127.0.0.1:{port}.*give --port another"):
            Server(sample_content, tmp_path / "out", port=port)


def test_cli_serve(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = mock.create_autospec(serve.serve, return_value=None)
    monkeypatch.setattr(serve, "serve", fake)
    result = runner.invoke(main, ["serve", "--port", "0", "--content", str(tmp_path), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fake.assert_called_once_with(tmp_path, tmp_path, host="127.0.0.1", port=0)
    assert runner.invoke(main, ["serve", "--port", "70000"]).exit_code == 2  # Click names the bad option


def test_a_save_loads_the_content_once_for_pages_catalogue_and_pdfs(
    sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web pages, both catalogue rewrites and the PDF build all read the one load of the save."""
    real_load = Project.load.__func__  # type: ignore[attr-defined]
    loads: list[Project] = []

    def counted(cls: type[Project], /, *args: object, **kwargs: object) -> Project:
        loads.append(real_load(cls, *args, **kwargs))
        return loads[-1]

    monkeypatch.setattr(Project, "load", classmethod(counted))
    built = mock.Mock(return_value=[])
    monkeypatch.setattr("booklet.build.build", built)  # its PDFs are not the point here
    preview = Preview(sample_content, tmp_path / "out")
    assert preview.refresh([SAMPLE]) == [SAMPLE]
    preview._build([SAMPLE])
    assert len(loads) == 1
    assert preview.generation == 2  # the catalogue, rewritten after the pages and after the PDFs
    given = built.call_args.kwargs["project"]
    assert [e.slug for e in given] == [SAMPLE]
    assert given.entry(SAMPLE) is loads[0].entry(SAMPLE)
    assert built.call_args.kwargs["use_cache"] is True
    # saved again while its PDFs were being built: the next build does not trust the cache's keys
    built.side_effect = lambda *args, **kwargs: preview.refresh([SAMPLE]) and []
    preview._build([SAMPLE])
    assert len(loads) == 2
    built.side_effect = None
    preview._build([SAMPLE])
    assert built.call_args.kwargs["use_cache"] is False
    assert built.call_args.kwargs["project"].entry(SAMPLE) is loads[1].entry(SAMPLE)
    preview._build([SAMPLE])
    assert built.call_args.kwargs["use_cache"] is True


def test_a_page_says_when_its_pdf_is_being_made_and_offers_it_when_ready(
    sample_content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    preview = Preview(sample_content, out)
    page = f"{SAMPLE}/{SAMPLE}-standard.html"
    assert preview.pdf_bar(page) == b""  # no PDF, none being made
    assert preview.pdf_bar(f"{SAMPLE}/index.html") == b""  # the catalogue's pages have no bar
    preview.queue([SAMPLE])
    assert b"is being made; this page offers it when it is ready" in preview.pdf_bar(page)
    preview._pending.clear()
    (out / SAMPLE).mkdir(parents=True)
    (out / SAMPLE / f"{SAMPLE}-standard.pdf").write_bytes(b"%PDF-1.7")
    bar = preview.pdf_bar(page)
    assert f'ready: <a href="{SAMPLE}-standard.pdf"'.encode() in bar
    assert b'role="status"' in bar
    preview._pdf_failed[SAMPLE] = (
        Problem(
            sample_content / SAMPLE / "booklet.md", "cannot be laid out", 3, "shorten it", "RENDER-FAILED"
        ),
    )
    bar = preview.pdf_bar(page)
    assert b"could not be made" in bar
    assert (
        b"sample-booklet/booklet.md, line 3: cannot be laid out (RENDER-FAILED). How to fix it: shorten it"
        in bar
    )


@in_browser
def test_the_browser_shows_problems_in_place_of_the_page_and_the_page_again_once_fixed(
    sample_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page reloads by itself into its problems (file, line, rule, fix), then back; axe-core clean."""
    monkeypatch.setattr(serve.Preview, "queue", lambda self, slugs: None)  # PDFs are not the point here
    source = sample_content / SAMPLE / "booklet.md"
    fixed = source.read_text(encoding="utf-8")
    broken = fixed.replace("published: 2026-01-15", "published: 2026-01-32")
    assert broken != fixed
    shots = Path(os.environ.get("BOOKLET_SCREENSHOTS") or tmp_path)
    with Server(sample_content, tmp_path / "out", host="localhost", port=0) as server:
        config = {
            "chromium": tools.path("chromium"),
            "url": server.url + f"{SAMPLE}/{SAMPLE}-standard.html",
            "source": str(source),
            "broken": broken,
            "fixed": fixed,
            "heading": "Looking after your skin during treatment",
            "shots": str(shots),
        }
        result = run_in_browser("serve.mjs", config, timeout=180)
    assert result["before"] is True
    [problem] = result["problems"]["problems"]
    assert problem["file"] == f"{SAMPLE}/booklet.md"
    assert problem["line"] == "line 7"
    assert "'published' '2026-01-32' is not a real date" in problem["message"]
    assert problem["rule"] == "META-FIELD"
    assert problem["fix"].startswith("How to fix it: write the date as YYYY-MM-DD")
    assert result["problems"]["violations"] == []
    assert result["problems"]["reflow"]["scrollWidth"] <= result["problems"]["reflow"]["width"]
    assert result["after"]["gone"] is True
    assert result["after"]["violations"] == []
    assert result["errors"] == []


def test_a_problem_stops_only_the_pages_it_breaks_and_a_broken_publisher_every_page(
    sample_content: Path, tmp_path: Path
) -> None:
    """An error in easy-read.md replaces the easy-read page only; one in publisher.yml, every page."""
    preview = Preview(sample_content, tmp_path / "out")
    easy = sample_content / SAMPLE / "easy-read.md"
    good = easy.read_text(encoding="utf-8")
    easy.write_text(good.replace("title:", "colour: blue\ntitle:", 1), encoding="utf-8")
    preview.refresh([ALL])
    [problem] = preview.problems_for(f"{SAMPLE}/{SAMPLE}-easy-read.html")
    assert (problem.path.name, problem.rule) == ("easy-read.md", "META-FIELD")
    assert preview.problems_for(f"{SAMPLE}/{SAMPLE}-standard.html") == ()
    assert preview.problems_for(f"{SAMPLE}/index.html") == ()
    assert preview.problems_for("index.html") == ()
    easy.write_text(good, encoding="utf-8")
    preview.refresh([SAMPLE])
    assert preview.problems_for(f"{SAMPLE}/{SAMPLE}-easy-read.html") == ()

    publisher = sample_content / "publisher.yml"
    text = publisher.read_text(encoding="utf-8")
    publisher.write_text("name: [unclosed\n", encoding="utf-8")
    generation = preview.generation
    assert preview.refresh([ALL]) == []
    assert preview.generation > generation  # open pages reload, to show the problem
    for page in ("index.html", f"{SAMPLE}/{SAMPLE}-standard.html"):
        [problem] = preview.problems_for(page)
        assert problem.path.name == "publisher.yml"
        assert problem.line
    publisher.write_text(text, encoding="utf-8")
    preview.refresh([ALL])
    assert preview.problems_for("index.html") == ()
