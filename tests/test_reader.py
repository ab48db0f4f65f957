"""What a screen reader gets from each PDF: the tagged text in structure order, word for word.

The PDF is read through its structure tree (tests/structread.py: marked content decoded by
the fonts' ToUnicode maps, /Alt and /ActualText honoured, artifacts left out) and compared
with the words of the HTML it was made from (the Markdown body plus the templates' own
text), so that words joined at a line wrap, leader dots read as text, words missing or read
twice, or internal ids all show as a difference.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from . import structread
from .conftest import outputs

pytestmark = pytest.mark.slow
ID_RE = re.compile(r"^(ref|word|cite|s)-[a-z0-9-]+$|^[a-z0-9]+(-[a-z0-9]+)+$")


@pytest.fixture(params=outputs())
def pdf(request: pytest.FixtureRequest, built: dict[str, Path]) -> Path:
    return built[request.param]


def differences(expected: list[str], actual: list[str]) -> list[str]:
    """Return each place the words read differ from the words written, described."""
    found = []
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        want, got = expected[i1:i2], actual[j1:j2]
        if op == "replace" and all(w == structread.PAGE for w in want) and all(g.isdigit() for g in got):
            if len(want) == len(got):
                continue  # page numbers the layout wrote
        context = " ".join(expected[max(0, i1 - 4) : i1])
        if op == "replace" and "".join(want) == "".join(got) and len(got) < len(want):
            found.append(f"joined: {' '.join(want)!r} read as {' '.join(got)!r} (after {context!r})")
        elif op == "insert":
            found.append(f"extra: {' '.join(got)[:80]!r} (after {context!r})")
        elif op == "delete":
            found.append(f"missing: {' '.join(want)[:80]!r} (after {context!r})")
        else:
            found.append(f"written {' '.join(want)[:80]!r}, read {' '.join(got)[:80]!r} (after {context!r})")
    return found


def html_of(pdf: Path) -> str:
    return pdf.with_suffix(".html").read_text(encoding="utf-8")


def test_reader_gets_the_words_written(pdf: Path) -> None:
    """Every word of the source and templates is read once, in order, and nothing else is."""
    reading = structread.read(pdf)
    faults = differences(structread.html_words(html_of(pdf)), reading.words)
    joined = [f for f in faults if f.startswith("joined")]
    assert not faults, f"{len(faults)} differences ({len(joined)} joined words): " + "\n".join(faults[:40])


def test_every_tagged_text_is_read_once(pdf: Path) -> None:
    """All painted text is either an artifact or reached exactly once through the structure tree."""
    reading = structread.read(pdf)
    unread = {k: t for k, t in reading.painted.items() if k not in reading.read and t.strip()}
    assert not unread, list(unread.items())[:10]
    assert not reading.twice, reading.twice[:10]
    assert not any(u.strip() for u in reading.untagged)


def test_no_leader_dots_are_read(pdf: Path) -> None:
    reading = structread.read(pdf)
    assert ". . ." not in reading.text
    assert not re.search(r"\.{3,}", reading.text.replace(" ", "").replace("\u2026", ""))


def test_no_link_inside_a_link(pdf: Path) -> None:
    nested = [tag for tag, _, ancestors in structread.elements(pdf) if tag == "Link" and "Link" in ancestors]
    assert not nested, f"{len(nested)} Link elements inside another Link"


def test_link_descriptions_are_what_a_person_hears(pdf: Path) -> None:
    """A link's /Contents says where it goes in words: no anchor ids."""
    reading = structread.read(pdf)
    for link in reading.links:
        contents = link["contents"]
        assert contents.strip(), link
        assert not ID_RE.match(contents), link
        if link["target"].startswith("mailto:"):
            assert contents == "Email " + link["target"].removeprefix("mailto:"), link


def test_contents_entries_are_one_link_each(pdf: Path) -> None:
    """Each contents entry is one Link holding its title and page number."""
    links = [
        (obj, ancestors)
        for tag, obj, ancestors in structread.elements(pdf)
        if tag == "Link" and "L" in ancestors and ancestors[:3] == ["Document", "Sect", "L"]
    ]
    # The contents list is the only list directly in a front section that holds links to pages.
    reading = structread.read(pdf)
    contents_links = [link for link in reading.links if re.search(r", page \d+$", link["contents"])]
    assert contents_links, "no contents links found"
    assert len({(link["page"], link["contents"]) for link in contents_links}) == len(contents_links)
    assert links is not None
