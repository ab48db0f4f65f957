"""booklet serve: which saves rebuild which booklet, the served pages, and a bounded live run."""

from __future__ import annotations

import logging
import socket
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner

from booklet import serve
from booklet.errors import ConfigError
from booklet.serve import ALL, Server, changed, inject_reload, snapshot
from cli import main

SAMPLE = "sample-booklet"
WAIT = 20.0  # seconds: the most any step of the live test may take


def fetch(url: str) -> str:
    """Return a page served over loopback."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


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
    page = inject_reload(b"<html><body><p>Hi</p></body></html>")
    assert page.startswith(b"<html><body><p>Hi</p><script>")
    assert page.endswith(b"</script>\n</body></html>")
    assert serve.GENERATION_PATH.encode() in page


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
        assert serve.GENERATION_PATH in fetch(server.url + page)  # served with the reload script
        wait_for(pdf.is_file, "the first PDFs")  # they were missing, so they are built in the background
        first_pdf = pdf.stat().st_mtime_ns
        generation = int(fetch(server.url + serve.GENERATION_PATH))

        save(source, source.read_text().replace("This booklet explains", "Saved while serving. It explains"))
        wait_for(lambda: "Saved while serving." in fetch(server.url + page), "the web page to change")
        wait_for(lambda: int(fetch(server.url + serve.GENERATION_PATH)) > generation, "the reload signal")
        fast = (out / page).read_bytes()
        wait_for(lambda: pdf.stat().st_mtime_ns > first_pdf, "the PDF to be rebuilt")
        wait_for(lambda: caplog.text.count("PDFs of sample-booklet rebuilt") >= 2, "the PDF build to end")
        assert (out / page).read_bytes() == fast  # the fast path writes exactly what a build writes

        save(source, source.read_text().replace("code: TST-01", "code: TST-01\ncolour: blue"))
        wait_for(lambda: "booklet.md:5: unknown key 'colour'" in caplog.text, "the error to be logged")
        assert "colour" in caplog.text
        assert "Saved while serving." in fetch(server.url + page)  # the last good page is still served
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and "colour" not in r.getMessage()]


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
    fake.assert_called_once_with(tmp_path, tmp_path, port=0)
    assert runner.invoke(main, ["serve", "--port", "70000"]).exit_code == 2  # Click names the bad option
