"""Only text comes in: refused characters in every kind of source, a bounded reader, sources confined.

Each refused character is tried in each kind of source file (front matter and body of
booklet.md, easy-read.md and a translation's, and publisher.yml): loading names the file,
the line and the fix, and ``list`` and ``check`` report it and exit 1 rather than call the
booklet buildable.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from booklet import cache
from booklet.cli import main
from booklet.errors import LOAD, ContentError, Problem
from booklet.source import reading
from booklet.source.project import Project
from booklet.variants import VARIANTS

from .conftest import CONTENT, copy_content

SLUG = "secondary-liver-cancer"
WELSH = Path(SLUG) / "translations" / "cy"

# (name, character): each is refused wherever it is written
CHARACTERS = [
    ("NUL", "\x00"),
    ("ESC", "\x1b"),
    ("BEL", "\x07"),
    ("DELETE", "\x7f"),
    ("C1 next line", "\x85"),
    ("C1 CSI", "\x9b"),
    ("U+FFFE", "\ufffe"),
    ("U+FFFF", "\uffff"),
    ("U+1FFFF", "\U0001ffff"),
    ("U+FDD0", "\ufdd0"),
    ("right-to-left override", "\u202e"),
    ("left-to-right embedding", "\u202a"),
    ("pop directional formatting", "\u202c"),
]

# (name, file in the content folder, the text replaced, where the character goes): front matter and body
PLACES = [
    (
        "booklet.md front matter",
        f"{SLUG}/booklet.md",
        "title: Secondary liver cancer",
        "title: Secondary{} liver",
    ),
    ("booklet.md body", f"{SLUG}/booklet.md", "\n# ", "\n# A{}b\n\n# "),
    ("easy-read.md front matter", f"{SLUG}/easy-read.md", "title: Secondary liver cancer", "title: Liver{}"),
    ("easy-read.md body", f"{SLUG}/easy-read.md", "\n# ", "\n# A{}b\n\n# "),
    ("translation front matter", f"{WELSH}/booklet.md", "title: Canser eilaidd yr iau", "title: Canser{}"),
    ("translation body", f"{WELSH}/booklet.md", "\n# ", "\n# A{}b\n\n# "),
    ("translated easy read", f"{WELSH}/easy-read.md", "\n# ", "\n# A{}b\n\n# "),
    ("publisher.yml", "publisher.yml", "short_name: Lanternfield", "short_name: Lantern{}field"),
]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return copy_content(tmp_path / "content", CONTENT, SLUG)


def plant(content: Path, file: str, old: str, new: str, char: str) -> tuple[Path, int]:
    """Write ``char`` into a source; return the file and the line it is on."""
    path = content / file
    text = path.read_text(encoding="utf-8")
    assert old in text, (file, old)
    at = text.index(old)
    text = text[:at] + new.format(char) + text[at + len(old) :]
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(char)].count("\n") + 1


def problems_of(content: Path) -> list[Problem]:
    """Return every problem loading finds (publisher.yml's stop the whole load)."""
    try:
        project = Project.load(content)
    except ContentError as exc:
        return list(exc.problems)
    return [p for entry in project.every() for p in entry.problems]


@pytest.mark.parametrize(("name", "char"), CHARACTERS, ids=[c[0] for c in CHARACTERS])
@pytest.mark.parametrize("place", PLACES, ids=[p[0] for p in PLACES])
def test_each_refused_character_in_each_kind_of_source_is_named_with_line_and_fix(
    content: Path, place: tuple[str, str, str, str], name: str, char: str
) -> None:
    path, line = plant(content, *place[1:], char)
    found = [p for p in problems_of(content) if p.path == path and p.rule == LOAD]
    assert found, problems_of(content)
    assert found[0].line == line
    assert f"U+{ord(char):04X}" in found[0].message
    assert "not text" in found[0].message
    assert "delete it" in found[0].fix


@pytest.mark.parametrize("place", PLACES[::2], ids=[p[0] for p in PLACES[::2]])
def test_list_and_check_report_it_and_exit_1(content: Path, place: tuple[str, str, str, str]) -> None:
    path, line = plant(content, *place[1:], "\x00")
    runner = CliRunner()
    for args in (["list", "--content", str(content)], ["check", "--content", str(content), "--out", "out"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        lines = [row for row in result.output.splitlines() if f"{path}:{line}:" in row]
        assert lines, result.output
        assert "holds U+0000 (NUL), which is not text" in lines[0]
        assert "Traceback" not in result.output


ESCAPES = [
    ("YAML escape of NUL", '"A\\0b"', "U+0000 (NUL), which is not text (written as a YAML escape)"),
    ("YAML escape of ESC", '"A\\eb"', "U+001B (ESC), which is not text (written as a YAML escape)"),
    ("YAML escape of a lone surrogate", '"A\\uD800b"', "invalid Unicode character escape"),  # libyaml's
    ("YAML escape of U+FFFF", '"A\\uFFFFb"', "U+FFFF (a noncharacter), which is not text"),
    ("YAML escape of an override", '"A\\u202Eb"', "U+202E (RIGHT-TO-LEFT OVERRIDE), which is not text"),
]


@pytest.mark.parametrize(("name", "value", "code"), ESCAPES, ids=[e[0] for e in ESCAPES])
def test_characters_written_as_yaml_escapes_are_refused(
    content: Path, name: str, value: str, code: str
) -> None:
    for file in (f"{SLUG}/booklet.md", "publisher.yml"):
        shutil.rmtree(content)
        copy_content(content, CONTENT, SLUG)
        key = "short_name" if file == "publisher.yml" else "subtitle"
        path = content / file
        old = re.search(rf"^{key}: .*$", path.read_text(encoding="utf-8"), flags=re.M)
        assert old is not None
        text = path.read_text(encoding="utf-8").replace(old[0], f"{key}: {value}", 1)
        path.write_text(text, encoding="utf-8")
        found = [p for p in problems_of(content) if p.path == path and code in p.message]
        assert found, (file, problems_of(content))
        assert found[0].line is not None
        assert found[0].rule == LOAD


REFERENCES = [("&#0;", "U+0000"), ("&#x1B;", "U+001B"), ("&#xD800;", "U+D800"), ("&#65535;", "U+FFFF")]


@pytest.mark.parametrize(("reference", "code"), REFERENCES, ids=[r[0] for r in REFERENCES])
def test_numeric_references_to_refused_characters_are_refused(
    content: Path, reference: str, code: str
) -> None:
    path, _ = plant(content, f"{SLUG}/booklet.md", "\n# ", "\n# A{}b\n\n# ", reference)
    found = [p for p in problems_of(content) if p.path == path and code in p.message]
    assert found
    assert "character reference" in found[0].message


def test_a_lone_surrogate_in_the_file_is_not_utf_8(content: Path) -> None:
    path = content / SLUG / "booklet.md"
    path.write_bytes(path.read_bytes().replace(b"\n# ", b"\n# A\xed\xa0\x80b\n\n# ", 1))
    found = [p for p in problems_of(content) if p.path == path]
    assert found
    assert "not valid UTF-8" in found[0].message


def test_tabs_newlines_and_other_scripts_are_text() -> None:
    for char in "\t\n\u200f\u200e\u2060\u00a0é漢\u0627\U0001f600\ufeff":
        assert not reading.refused(char), repr(char)


def test_easy_read_linked_to_dev_zero_is_refused_at_once(content: Path) -> None:
    easy = content / SLUG / "easy-read.md"
    easy.unlink()
    easy.symlink_to("/dev/zero")
    found = [p for p in problems_of(content) if p.path == easy]
    assert [p.rule for p in found] == [LOAD]
    assert "leads to /dev/zero, outside the content folder" in found[0].message
    with pytest.raises(ContentError, match="is a device, not a file"):  # read from anywhere, still refused
        reading.read_bytes(Path("/dev/zero"))


def test_a_fifo_does_not_hang_loading(content: Path) -> None:
    easy = content / SLUG / "easy-read.md"
    easy.unlink()
    os.mkfifo(easy)
    done: list[list[Problem]] = []
    worker = threading.Thread(target=lambda: done.append(problems_of(content)), daemon=True)
    worker.start()
    worker.join(30)
    assert done, "loading waited on the FIFO"
    found = [p for p in done[0] if p.path == easy]
    assert [p.message for p in found] == ["is a pipe (FIFO), not a file"]


def test_a_folder_where_a_source_should_be_is_refused(content: Path) -> None:
    easy = content / SLUG / "easy-read.md"
    easy.unlink()
    easy.mkdir()
    found = [p for p in problems_of(content) if p.path == easy]
    assert [p.message for p in found] == ["is a folder, not a file"]


def test_the_reader_never_reads_more_than_the_limit_and_a_byte(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"a" * 101)
    assert reading.read_bytes(big, limit=101) == b"a" * 101
    with pytest.raises(ContentError, match="larger than"):
        reading.read_bytes(big, limit=100)


def test_a_booklet_folder_linked_from_outside_is_refused(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "linked"
    shutil.copytree(CONTENT / SLUG, outside)
    (outside / "translations").rename(tmp_path / "elsewhere" / "no-translations")
    text = (outside / "booklet.md").read_text(encoding="utf-8")
    (outside / "booklet.md").write_text(text.replace("code: SLC-01", "code: SLC-02"), encoding="utf-8")
    (content / "linked").symlink_to(outside)
    project = Project.load(content)
    linked = project.entry("linked")
    assert linked.booklet is None
    (problem,) = linked.problems
    assert problem.path == content / "linked" / "booklet.md"
    assert "outside the content folder" in problem.message
    assert "move or copy" in problem.fix
    assert project.entry(SLUG).booklet is not None  # the booklet beside it still loads
    result = CliRunner().invoke(main, ["list", "--content", str(content)])
    assert result.exit_code == 1
    assert "outside the content folder" in result.output


def test_a_translation_folder_or_file_linked_from_outside_is_refused(content: Path, tmp_path: Path) -> None:
    welsh = content / WELSH
    shutil.move(welsh, tmp_path / "cy")
    welsh.symlink_to(tmp_path / "cy")
    cy = next(e for e in Project.load(content).every() if e.lang == "cy")
    assert cy.booklet is None
    assert any("outside the content folder" in p.message for p in cy.problems)
    welsh.unlink()
    welsh.mkdir()
    (welsh / "booklet.md").symlink_to(tmp_path / "cy" / "booklet.md")  # the file alone
    cy = next(e for e in Project.load(content).every() if e.lang == "cy")
    assert cy.booklet is None
    assert [p.path for p in cy.problems if "outside the content folder" in p.message] == [
        welsh / "booklet.md"
    ]


def test_a_publisher_yml_linked_from_outside_is_refused(content: Path, tmp_path: Path) -> None:
    shutil.move(content / "publisher.yml", tmp_path / "publisher.yml")
    (content / "publisher.yml").symlink_to(tmp_path / "publisher.yml")
    (problem,) = problems_of(content)
    assert problem.path == content / "publisher.yml"
    assert "outside the content folder" in problem.message


def test_a_link_inside_the_content_folder_is_read(content: Path) -> None:
    shared = content / "shared-easy-read.md"
    shutil.move(content / SLUG / "easy-read.md", shared)
    (content / SLUG / "easy-read.md").symlink_to(shared)
    entry = Project.load(content).entry(SLUG)
    assert entry.booklet is not None
    assert entry.booklet.easy_read is not None


def opened_while(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> set[Path]:
    """Return every file (resolved) opened while ``action`` runs, by Python's open or os.open."""
    seen: set[Path] = set()
    real_open, real_os_open = io.open, os.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | Path):
            seen.add(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        seen.add(Path(path).resolve())
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    try:
        action()
    finally:
        monkeypatch.undo()
    return seen


@pytest.mark.parametrize("where", ["easy-read.md", "images/linked.png", "translations/cy/easy-read.md"])
def test_the_cache_reads_no_linked_file_outside_and_no_device(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    folder = content / SLUG
    big = tmp_path / "elsewhere" / "big.md"
    big.parent.mkdir()
    big.write_bytes(b"a" * (3 * 2**20))  # 3 MB, outside the content folder
    source = folder / where
    source.unlink(missing_ok=True)
    source.symlink_to(big)
    variant = VARIANTS["easy-read"]

    def keys() -> tuple[str, str]:
        return cache.folder_key(content, folder), cache.key(content, folder, variant, "cy")

    opened = opened_while(monkeypatch, keys)
    before = keys()
    assert big not in opened
    assert (folder / "booklet.md").resolve() in opened  # the others are still read
    source.unlink()
    source.symlink_to("/dev/zero")
    opened = opened_while(monkeypatch, keys)
    assert Path("/dev/zero") not in opened
    assert keys()[0] != before[0]  # where the link leads still counts: the booklet is made again


def test_the_cache_does_not_walk_a_booklet_folder_linked_from_outside(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "elsewhere" / "linked"
    shutil.copytree(CONTENT / SLUG, outside)
    (content / "linked").symlink_to(outside)
    opened = opened_while(monkeypatch, lambda: cache.folder_key(content, content / "linked"))
    assert not [p for p in opened if p.is_relative_to(outside)]
    for name in ("translations", "images"):  # nor a folder inside one that is linked from outside
        shutil.move(content / SLUG / name, tmp_path / name)
        (content / SLUG / name).symlink_to(tmp_path / name)
    opened = opened_while(monkeypatch, lambda: cache.folder_key(content, content / SLUG))
    assert not [p for p in opened if p.is_relative_to(tmp_path / "translations")]
    assert not [p for p in opened if p.is_relative_to(tmp_path / "images")]
    assert (content / SLUG / "booklet.md").resolve() in opened


BAD_ADDRESSES = [
    ('"https://example.org/a\\"onmouseover=x"', "holds '\"'"),
    ("https://example.org/a b", "holds a space"),
    ('"https://example.org/\\x07"', "U+0007"),
    ("javascript:alert(1)", "should start with"),
    ("ftp://example.org/x", "should start with"),
    ("https://", "names no site"),
    ("https://example.org:port/", "not a web address"),
]


@pytest.mark.parametrize(("address", "message"), BAD_ADDRESSES, ids=[a[0] for a in BAD_ADDRESSES])
def test_web_addresses_are_parsed_and_unsafe_ones_refused(content: Path, address: str, message: str) -> None:
    path = content / SLUG / "booklet.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("url: https://www.nice.org.uk/guidance/cg104", f"url: {address}"), "utf-8")
    found = [p for p in problems_of(content) if p.path == path]
    assert found, address
    assert message in found[0].message
    assert found[0].line is not None
    publisher = content / "publisher.yml"
    good = publisher.read_text(encoding="utf-8")
    publisher.write_text(good.replace("website: https://www.example.org", f"website: {address}"), "utf-8")
    assert any(p.path == publisher and message in p.message for p in problems_of(content))


def test_reference_addresses_may_be_mail_or_phone_links(content: Path) -> None:
    path = content / SLUG / "booklet.md"
    text = path.read_text(encoding="utf-8")
    for address in ("mailto:team@example.org", "tel:+441234567890", "http://example.org/a?b=c#d"):
        path.write_text(
            text.replace("url: https://www.nice.org.uk/guidance/cg104", f"url: {address}"), "utf-8"
        )
        assert problems_of(content) == [], address


def test_an_email_address_with_a_quote_is_refused(content: Path) -> None:
    publisher = content / "publisher.yml"
    good = publisher.read_text(encoding="utf-8")
    publisher.write_text(good.replace("email: information@example.org", 'email: a"b@example.org'), "utf-8")
    (problem,) = problems_of(content)
    assert problem.path == publisher
    assert "holds '\"'" in problem.message


def test_a_doi_is_linked_percent_encoded_and_one_with_control_characters_refused(content: Path) -> None:
    path = content / SLUG / "booklet.md"
    text = path.read_text(encoding="utf-8")
    sici = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"  # a real DOI's form
    path.write_text(text.replace("doi: 10.1016/j.annonc.2022.10.003", f'doi: "{sici}"'), "utf-8")
    project = Project.load(content)
    booklet = project.entry(SLUG).booklet
    assert booklet is not None
    links = [r.link for r in booklet.meta.references if r.doi == sici]
    assert links == ["https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-0"]
    path.write_text(text.replace("doi: 10.1016/j.annonc.2022.10.003", 'doi: "10.1016/a\\x07b"'), "utf-8")
    (problem,) = problems_of(content)
    assert problem.path == path
    assert "U+0007" in problem.message
