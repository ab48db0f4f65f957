"""A second publisher on another topic: its leaflet prints its own words, none of the first publisher's.

tests/corpus/second-publisher/ is a content folder of its own (an example hospital trust's
wound-care leaflet, with its publisher.yml). Its outputs, read as their readers get them (the
PDFs' text, the print files', the web pages, the e-books' text and its catalogue's pages),
hold no word of the first publisher's publisher.yml (content/publisher.yml: its name,
details, series and questions) and no "cancer"; the words its publisher.yml sets (the page
word, the notes pages' title, the catalogue's) are printed.
"""

from __future__ import annotations

import re
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml

from booklet.build import build
from booklet.press.print_run import print_booklets
from booklet.source.project import Project
from booklet.web.catalogue import write_catalogue

from . import pdfread
from .conftest import CONTENT, SECOND_PUBLISHER, made_once
from .tools import needs

pytestmark = pytest.mark.slow
SLUG = "caring-for-your-wound"


def strings(value: Any) -> list[str]:
    """Return every piece of text in a YAML value (nested lists and mappings too)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    return []


def first_publisher_words() -> list[str]:
    """Return the first publisher's own words: every text of content/publisher.yml, and its site as shown."""
    data = yaml.safe_load((CONTENT / "publisher.yml").read_text(encoding="utf-8"))
    found = strings({k: v for k, v in data.items() if k != "checks"})
    found += [re.sub(r"^https?://", "", s).rstrip("/") for s in found if s.startswith("http")]
    return sorted(set(found))


def outputs(out: Path) -> dict[str, str]:
    """Return the text of each output of the leaflet and of its catalogue, as readers get them."""
    folder = out / SLUG
    found: dict[str, str] = {}
    for pdf in sorted((*folder.glob("*.pdf"), *folder.glob("print/*-print.pdf"))):
        found[pdf.name] = pdfread.poppler_text(pdf)
    for page in sorted((*out.glob("*.html"), *folder.glob("*.html"))):
        found[str(page.relative_to(out))] = unescape(page.read_text(encoding="utf-8"))
    for book in sorted(folder.glob("*.epub")):
        with zipfile.ZipFile(book) as z:
            parts = [n for n in z.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))]
            found[book.name] = unescape("\n".join(z.read(n).decode("utf-8") for n in parts))
    return found


def _make(out: Path) -> None:
    """Build the leaflet, its print files and its catalogue (only this content folder)."""
    build(SECOND_PUBLISHER, out)
    print_booklets(Project.load(SECOND_PUBLISHER), out, ["standard", "large-print"])
    write_catalogue(Project.load(SECOND_PUBLISHER), out)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    found = outputs(made_once(tmp_path_factory, "second-publisher", _make))
    outputs_of_leaflet = sorted(
        f"{SLUG}-{v}.{ext}"
        for ext, variants in (
            ("epub", ("easy-read", "standard")),
            ("html", ("easy-read", "large-print", "standard")),
            ("pdf", ("easy-read", "large-print", "standard")),
        )
        for v in variants
    )
    catalogue = ["easy-read.html", "index.html", "large-print.html", "order.html", "standard.html"]
    prints = [f"{SLUG}-{v}-print.pdf" for v in ("large-print", "standard")]
    assert sorted(found) == sorted(
        [
            *(n if n.endswith((".pdf", ".epub")) else f"{SLUG}/{n}" for n in outputs_of_leaflet),
            *catalogue,
            *prints,
            f"{SLUG}/index.html",
        ]
    )
    return found


@needs("poppler")
def test_no_word_of_the_first_publisher_and_no_cancer(made: dict[str, str]) -> None:
    words = first_publisher_words()
    assert "Lanternfield" in words
    assert "Cancer information" in words
    assert "What type of cancer do I have, and where did it start?" in words
    for name, text in made.items():
        flat = " ".join(text.split())
        assert "cancer" not in flat.lower(), name
        leaked = [w for w in words if " ".join(w.split()) in flat]
        assert not leaked, (name, leaked)


@needs("poppler")
def test_its_own_words_are_printed(made: dict[str, str]) -> None:
    for name, text in made.items():
        flat = " ".join(text.split())
        assert "Ashgrove Hospitals" in flat, name
        if name.endswith(".pdf"):  # web pages keep the number's groups together with no-break spaces
            assert "0113 496 0735" in flat, name
    standard = " ".join(made[f"{SLUG}-standard.pdf"].split())
    assert "Ashgrove Hospitals · Surgery and recovery" in standard  # its series on the cover
    assert "When will my stitches or clips come out, and who will take them out?" in standard
    assert "Call the surgical ward" in standard
    easy = " ".join(made[f"{SLUG}-easy-read.pdf"].split())
    assert "Who do I call if my wound hurts?" in easy  # its easy-read questions


@needs("poppler")
def test_its_page_and_notes_words_are_printed(made: dict[str, str]) -> None:
    for variant in ("large-print", "easy-read"):
        pages = made[f"{SLUG}-{variant}.pdf"].split("\f")
        assert "Leaflet page 3" in pages[2], variant
        assert not any(re.search(r"(?m)^\s*Page \d+\s*$", page) for page in pages), variant
    pages = [" ".join(p.split()) for p in made[f"{SLUG}-large-print-print.pdf"].split("\f") if p.strip()]
    notes = [p for p in pages if p.startswith("Notes for your nurse")]  # the running head
    assert len(notes) == 3  # 13 pages made 16: its 3 notes pages, each with its title and running head
    assert all(p.count("Notes for your nurse") == 2 for p in notes)
    for variant in ("standard", "large-print"):
        printed = made[f"{SLUG}-{variant}-print.pdf"].replace("Notes for your nurse", "")
        assert not re.search(r"\bNotes\b", printed), variant


def test_its_catalogue_speaks_its_words(made: dict[str, str]) -> None:
    home = made["index.html"]
    assert "\N{EN DASH} Ashgrove Hospitals patient leaflets</title>" in home
    assert ">All leaflets</a>" in home
    page = made[f"{SLUG}/index.html"]
    assert "Ashgrove Hospitals patient leaflets" in page
    assert "Caring for your wound after surgery" in page


def test_the_second_publisher_s_folder_is_its_own() -> None:
    data = yaml.safe_load((SECOND_PUBLISHER / "publisher.yml").read_text(encoding="utf-8"))
    assert data["name"] != yaml.safe_load((CONTENT / "publisher.yml").read_text(encoding="utf-8"))["name"]
