"""The built PDFs, read as a reader and a validator meet them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any, cast

import page
import pytest
from pypdf import PdfReader

from booklet.model import Publisher
from booklet.source.content import load_publisher
from booklet.variants import VARIANTS, Variant

from . import pdfread
from .conftest import content_of, outputs, page_words, tree_of
from .tools import needs

PAGE_SIZES = {"standard": (419.53, 595.28), "large-print": (595.28, 841.89), "easy-read": (595.28, 841.89)}
pytestmark = pytest.mark.slow


@pytest.fixture(params=outputs())
def pdf(request: pytest.FixtureRequest, built: dict[str, Path]) -> Path:
    return built[request.param]


def html_of(pdf: Path) -> str:
    """Return the HTML a PDF was made from, as readers get its words (no invisible word joiners)."""
    return pdf.with_suffix(".html").read_text().replace("\u2060", "")


def publisher_of(pdf: Path) -> Publisher:
    """Return the publisher of the content folder a built PDF's booklet comes from."""
    return load_publisher(content_of(pdf.parent.name))[0]


def variant_of(pdf: Path) -> Variant:
    return VARIANTS[pdf.stem.removeprefix(pdf.parent.name + "-")]


def test_page_size(pdf: Path) -> None:
    for p in PdfReader(pdf).pages:
        box = p.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == PAGE_SIZES[variant_of(pdf).name]


def test_metadata(pdf: Path) -> None:
    reader = PdfReader(pdf)
    info = reader.metadata
    assert info is not None
    text = html_of(pdf)
    title = re.search(r"<title>(.*?)</title>", text)
    assert title
    assert info.title == title[1]
    assert info.author == publisher_of(pdf).name
    assert info.subject
    assert len(info.subject) > 20
    assert str(info["/CreationDate"]).startswith("D:20")
    root = cast(Any, reader.trailer["/Root"])
    assert root["/Lang"] == "en-GB"
    xmp = root["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfuaid:part(=\"1\"|>1<)", xmp), "PDF/UA-1 identifier"


def test_bookmarks_follow_headings(pdf: Path) -> None:
    outline = pdfread.outline_titles(pdf)
    top = [title for depth, title, _ in outline if depth == 0]
    assert "Contents" in top[1:3]
    html = html_of(pdf)
    back = [title for anchor, title in variant_of(pdf).back_matter if f'id="{anchor}"' in html]
    assert top[-len(back) - 1 :] == [*back, "Contact us"]
    reader = PdfReader(pdf)
    dests = pdfread.named_destinations(reader)
    main = html.split('<main class="chapters">')[1].split("</main>")[0]
    chapters = re.findall(r'<h1 [^>]*\bid="([^"]+)"[^>]*>(.*?)</h1>', main)
    assert chapters, "the body has chapters"
    for anchor, title in chapters:
        assert (0, unescape(title), dests[anchor]) in outline


def contents_entries(pdf: Path) -> list[tuple[str, int]]:
    """Return (title, printed page number) for each line of the contents pages."""
    texts = pdfread.page_texts(pdf)
    # The contents follow on from what is before them: they start at the line "Contents".
    start = next(i for i, t in enumerate(texts) if "Contents" in map(str.strip, t.splitlines()))
    first = [line.strip() for line in texts[start].splitlines()]
    texts[start] = "\n".join(first[first.index("Contents") :])
    entries: list[tuple[str, int]] = []
    pending = ""
    for page_text in texts[start : start + 8]:
        for line in page_text.splitlines():
            if line.strip() in ("Contents", "") or re.fullmatch(r"(Page )?\d+", line.strip()):
                continue
            if m := re.match(r"^(.*?)[ .]*\.\s*(\d+)$", line.strip()):
                entries.append(((pending + " " + m[1]).strip(), int(m[2])))
                pending = ""
            else:
                pending = (pending + " " + line.strip()).strip()
        if any(t == "About this information" for t, _ in entries):
            break
    return entries


def test_contents_page_numbers_match_headings(pdf: Path) -> None:
    reader = PdfReader(pdf)
    dests = pdfread.named_destinations(reader)
    html = html_of(pdf)
    toc = re.findall(r'<li class="toc-\d"><a href="#([^"]+)">(.*?)</a>', html)
    entries = contents_entries(pdf)
    assert len(entries) == len(toc) >= 4
    texts = pdfread.page_texts(pdf)
    for (anchor, title), (printed_title, number) in zip(toc, entries, strict=True):
        assert printed_title == unescape(title)
        assert number == dests[anchor] + 1, title
        assert unescape(title).split()[0] in texts[number - 1]


def test_citations_link_to_references(pdf: Path) -> None:
    reader = PdfReader(pdf)
    dests = pdfread.named_destinations(reader)
    links = pdfread.link_targets(pdf)
    cited = {d for _, d in links if d.startswith("ref-")}
    if 'id="references"' not in html_of(pdf):
        assert not cited, "a variant without a references list cites nothing"
        return
    refs_page = dests["references"]
    root = tree_of(pdf)
    ids = {li.get("id", "") for li in root.iter("li") if li.get("id", "").startswith("ref-")}
    citations = [a.get("href", "") for a in root.iter("a") if a.get("class") == "cite"]
    assert all(href.startswith("#ref-") for href in citations)
    assert cited == {href[1:] for href in citations}  # every citation
    assert cited <= ids
    for ref in ids:  # in the references list: after its heading, before the part after it
        assert refs_page <= dests[ref] <= dests["about-this-information"]
    for _, dest in links:
        assert dest.startswith("URI:") or dest in dests, dest


def test_every_link_goes_somewhere(pdf: Path) -> None:
    dests = pdfread.named_destinations(PdfReader(pdf))
    for _, target in pdfread.link_targets(pdf):
        if target.startswith("URI:"):
            assert re.match(r"URI:(https://|mailto:)\S+$", target), target
        else:
            assert target in dests


def test_font_sizes_and_no_italics(pdf: Path) -> None:
    """The variant's type rules, measured in the PDF: a share at body size, nothing under the minimum."""
    variant = variant_of(pdf)
    runs = pdfread.runs(pdf)
    chars: Counter[str] = Counter()
    for run in runs:
        n = len(run.text.strip())
        chars["all"] += n
        chars["body"] += n if run.size >= variant.body_pt - 0.01 else 0
        assert run.size >= variant.min_pt - 0.01, run
        assert not re.search(r"Italic|Oblique", run.font), run
    assert chars["all"] > 1000
    assert chars["body"] / chars["all"] >= variant.share_pt, chars


def test_page_numbers_in_footer_but_not_on_cover(pdf: Path) -> None:
    before, after = (re.escape(w) for w in page_words(pdf.parent.name))  # "Page 3", "Leaflet page 3"

    def foot(number: int) -> str:
        return rf"^\s*({before})?{number}({after})?\s*$"

    texts = pdfread.page_texts(pdf)
    assert not re.search(foot(1), texts[0], re.M)
    for number, text in enumerate(texts[1:-1], start=2):
        assert re.search(foot(number), text, re.M), f"page {number} shows its number"


def test_text_in_reading_order(pdf: Path) -> None:
    """Headings come out of the PDF in the order of the source."""
    text = " ".join(" ".join(pdfread.page_texts(pdf)).split())
    html = html_of(pdf)
    headings = [
        " ".join(unescape(re.sub(r"<[^>]+>", "", h)).split())
        for h in re.findall(r"<h[123][^>]*>(.*?)</h[123]>", html)
    ]
    position = 0
    for heading in headings:
        found = text.find(heading, position)
        assert found >= 0, f"'{heading}' after position {position}"
        position = found + len(heading)


def test_pdf_ua_validator(pdf: Path) -> None:
    result = page.validate_pdf(str(pdf), profile="ua1")
    assert result.is_compliant, sorted({f.rule_id for f in result.failures})
    assert not result.failures


def outloud(pdf: Path) -> list[dict[str, object]]:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "outloud"), str(pdf), "--json", "-", "--fail-on", "never"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    found: list[dict[str, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "severity" in node and "rule" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(report)
    return found


# Warnings outloud may still give, each explained in the README: TBL-012 ("many cells are
# empty; this may not be a table") for a chart left blank on purpose, for readers to fill in.
EXPLAINED: dict[str, Callable[[str], bool]] = {"TBL-012": lambda html: "<td></td>" in html}


def test_outloud(pdf: Path) -> None:
    findings = outloud(pdf)
    assert not [f for f in findings if f["severity"] == "error"], findings
    html = html_of(pdf)
    warnings = {f["rule"] for f in findings if f["severity"] == "warning"}
    warnings -= {rule for rule, applies in EXPLAINED.items() if applies(html)}
    assert "PAG-001" not in warnings, "running heads and page numbers must be artifacts"
    assert "LNK-004" not in warnings, "link annotations must be printable"
    assert "ORD-001" not in warnings, "list markers must be painted before their text"
    assert not warnings, warnings


@needs("zbar", "poppler")
def test_back_cover_qr_code_opens_the_catalogue_page(pdf: Path, tmp_path: Path) -> None:
    pages = len(PdfReader(pdf).pages)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", str(pages), "-l", str(pages), str(pdf), str(tmp_path / "b")],
        check=True,
    )
    image = next(tmp_path.glob("b*.png"))
    found = subprocess.run(
        ["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True
    ).stdout.split()
    assert found == [f"{publisher_of(pdf).catalogue_url}{pdf.parent.name}/"]


def test_standard_lines_hold_60_to_70_characters(built: dict[str, Path]) -> None:
    """Clear print: 60 to 70 characters a line, measured on the full lines of the chapters."""
    texts = pdfread.page_texts(built["secondary-liver-cancer/standard"])
    lines = [line for text in texts[4:20] for line in text.splitlines() if len(line) > 45]
    full = sorted(len(line) for line in lines)
    median = full[len(full) // 2]
    assert 60 <= median <= 70, median
    assert full[-1] <= 75


def test_link_addresses_are_visible_in_print(built: dict[str, Path]) -> None:
    """A link whose words are not its address shows the address after them."""
    for variant in ("standard", "large-print"):
        text = "".join("".join(pdfread.page_texts(built[f"sample-booklet/{variant}"])).split())
        assert "theexamplewebsite(www.example.org/skin)" in text
