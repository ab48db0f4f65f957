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
from html import unescape
from pathlib import Path
from typing import Any, cast

import pytest
from pypdf import PdfReader

from . import pdfread, structread
from .conftest import outputs, tree_of

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
    """All painted text is either an artifact or reached exactly once through the structure tree.

    A table's head, which WeasyPrint paints again on each page a table runs on to, is read
    once too: the table is one Table (booklet/render/weasyfix/tables.py).
    """
    reading = structread.read(pdf)
    assert not reading.repeated_heads
    unread = {k: t for k, t in reading.painted.items() if k not in reading.read and t.strip()}
    assert not unread, list(unread.items())[:10]
    assert not reading.twice, reading.twice[:10]
    assert not any(u.strip() for u in reading.untagged)


def test_a_table_broken_by_a_page_is_one_table(pdf: Path) -> None:
    """As many Table elements as the web page has tables (a stacked table is a list, in both)."""
    tables = [tag for tag, _, _ in structread.elements(pdf) if tag == "Table"]
    assert len(tables) == html_of(pdf).count("<table")


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


def _annotation(link: Any) -> Any:
    for kid in link.get("/K", []):
        annot = kid.get_object() if not isinstance(kid, int) else None
        if isinstance(annot, dict) and annot.get("/Type") == "/OBJR":
            return annot["/Obj"].get_object()
    return {}


def contents_links(pdf: Path) -> list[tuple[str, list[Any]]]:
    """Return (href, Link elements) for each entry of the contents list."""
    html = html_of(pdf)
    nav = html[html.index('<ol class="toc">') : html.index("</nav>")]
    entries = [(h, " ".join(t.split())) for h, t in re.findall(r'<a href="#([^"]+)">([^<]*)</a>', nav)]
    links: dict[tuple[str, str], list[Any]] = {}
    for tag, obj, _ in structread.elements(pdf):
        annotation = _annotation(obj) if tag == "Link" else {}
        said = re.match(r"(.*), page \d+$", str(annotation.get("/Contents", "")))
        kids = [k.get_object() for k in obj.get("/K", []) if not isinstance(k, int)]
        if said and any(k.get("/S") == "/Span" for k in kids):  # its page number, from ::after
            links.setdefault((str(annotation.get("/Dest", "")), said[1]), []).append(obj)
    return [(href, links.get((href, unescape(text).replace("\u2060", "")), [])) for href, text in entries]


def test_contents_entries_are_one_link_each(pdf: Path) -> None:
    """Each contents entry is one Link whose text is the title and page number; leaders are not read."""
    reading = structread.read(pdf)
    entries = contents_links(pdf)
    assert entries
    for href, links in entries:
        assert len(links) == 1, f"{href}: {len(links)} Link elements"
    destinations = pdfread.named_destinations(PdfReader(pdf))  # read once, not once a link
    for link in reading.links:
        if link["target"] in dict(entries):
            number = re.search(r", page (\d+)$", link["contents"])
            assert number, link
            # the page it says is the page the heading is on
            assert int(number[1]) - 1 == destinations[link["target"]], link


def test_citations_are_whole_brackets_and_link_back(pdf: Path) -> None:
    """A citation link holds its brackets; each reference links back to each of its citations."""
    root = tree_of(pdf)
    links = [a for a in root.iter("a") if a.get("class") == "cite"]
    cites = [(a.get("id", ""), a.get("title", ""), "".join(a.itertext())) for a in links]
    assert all(a.get("href", "").startswith("#ref-") and not len(a) for a in links)
    for cite, title, text in cites:
        assert cite.startswith("cite-"), cite
        assert text.startswith("[") or text.endswith("]"), text
        assert re.match(rf"Reference {re.escape(text.strip('[]'))}\b", title), title
    backs = {a.get("href", "")[1:] for a in root.iter("a") if a.get("class") == "backlink"}
    assert backs == {cite for cite, _, _ in cites}
    reading = structread.read(pdf)
    described = {link["target"]: link["contents"] for link in reading.links}
    for cite, _, _ in cites:
        assert described.get(cite, "").startswith("Back to where reference"), cite
        assert re.search(r", page \d+$", described[cite])
    for link in reading.links:
        if link["target"].startswith("ref-"):
            assert link["contents"].startswith("Reference "), link


def test_glossary_terms_are_labels_of_their_explanations(pdf: Path) -> None:
    """A definition list reads as items of a term (Lbl, one word) and its explanation (LBody)."""
    html = html_of(pdf)
    pairs = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.S)
    items = set(structread.read(pdf).items)
    missing = []
    for pair in pairs:
        term, meaning = (" ".join(re.sub("<[^>]+>", "", t).replace("\u2060", "").split()) for t in pair)
        if (term, meaning) not in items:
            missing.append(term)
    # a term parted from its explanation by a page break stands alone: one a list at most
    assert len(missing) <= html.count("</dl>"), missing


def test_table_headers_are_announced(pdf: Path) -> None:
    """Every TH has a /Scope; every /Headers id of a TD resolves through the /IDTree."""
    reader = PdfReader(pdf)
    root = cast(Any, reader.trailer["/Root"])["/StructTreeRoot"]
    names = root.get("/IDTree", {}).get("/Names", []) if "/IDTree" in root else []
    ids = {str(names[i]) for i in range(0, len(names), 2)}
    for tag, obj, _ in structread.elements(pdf):
        attributes = obj.get("/A")
        attributes = attributes.get_object() if attributes is not None else {}
        if tag == "TH":
            assert attributes.get("/Scope") in ("/Column", "/Row"), obj
        elif tag == "TD":
            assert {str(h) for h in attributes.get("/Headers", [])} <= ids
