"""The pictogram set: a picture for every common easy-read word, kept as SVG with its licence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import page
import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.paths import PICTOGRAMS
from booklet.source import pictograms
from booklet.source.rules import IMAGE_ALT

from . import pdfread
from .conftest import copy_content

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"

# The words easy read needs most, and the picture a search for each must find first.
FIRST = {
    "toilet": "toilet",
    "water": "drinking_water",
    "drink": "hot_drink",
    "cup": "cup_with_straw",
    "bread": "bread",
    "plate": "meal",
    "bath": "bath",
    "shower": "shower",
    "wash hands": "wash_hands",
    "bed": "bed",
    "car": "car",
    "bus": "bus",
    "clock": "clock",
    "calendar": "calendar",
    "home": "home",
    "family": "family",
    "wheelchair": "wheelchair",
    "stairs": "stairs",
    "tummy": "stomach",  # the words of a colonoscopy leaflet's easy read (tests/corpus/colonoscopy)
    "results": "lab_search",
}
ALSO = ("food", "walk", "money", "loo", "tea")  # found, with the word in the name or keywords


@pytest.mark.parametrize(("word", "first"), FIRST.items())
def test_a_picture_for_every_common_easy_read_word(word: str, first: str) -> None:
    found = pictograms.search(word.split())
    assert found[0][0] == first


@pytest.mark.parametrize("word", ALSO)
def test_other_words_find_pictures_by_their_keywords(word: str) -> None:
    name, icon = pictograms.search([word])[0]
    assert word in name or any(word in k for k in icon.keywords)


def test_each_set_has_its_licence_and_index_and_every_file_is_in_one() -> None:
    indexes = {}
    for key, pset in pictograms.SETS.items():
        folder = PICTOGRAMS / pset.folder
        assert (folder / "LICENSE").is_file()
        assert (folder / "README.md").is_file()
        indexes[key] = set(json.loads((folder / "index.json").read_text(encoding="utf-8"))["icons"])
    assert not indexes["healthicons"] & indexes["openmoji"]
    files = {p.stem for p in PICTOGRAMS.glob("*.svg")}
    assert files == indexes["healthicons"] | indexes["openmoji"]
    assert len(indexes["healthicons"]) >= 600
    assert len(indexes["openmoji"]) >= 40
    assert "Attribution-ShareAlike 4.0" in (PICTOGRAMS / "openmoji" / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(pictograms.catalogue()))
def test_every_picture_is_a_plain_dark_svg(name: str) -> None:
    icon = pictograms.catalogue()[name]
    assert re.fullmatch(r"[a-z][a-z0-9_]*", name)
    svg = icon.path.read_text(encoding="utf-8")
    assert "<svg" in svg
    assert "viewBox=" in svg
    for refused in ("<script", "<text", "href=", "<image", "currentColor"):
        assert refused not in svg, refused
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]+)"', svg))
    assert colours <= {"#1a1a1a", "#fff", "#ffffff", "#FFFFFF"}, colours
    if icon.set == "openmoji":  # its source, author and licence, and what was changed
        assert re.match(r'<!-- OpenMoji 17\.0\.0: [0-9A-F-]+ ".+" by .+\. License: CC BY-SA 4\.0 ', svg)
        assert "Changed for booklet" in svg


def test_credits_only_for_a_set_that_asks_and_only_where_used() -> None:
    openmoji = pictograms.SETS["openmoji"].credit
    assert pictograms.credits(['<img src="icon:toilet" alt="A toilet">']) == [openmoji]
    assert pictograms.credits(['<img src="icon:liver" alt="A liver">', "icon:toilet", "icon:bus"]) == [
        openmoji
    ]
    assert pictograms.credits(['<img src="icon:liver" alt="A liver">']) == []


@pytest.mark.parametrize(
    ("src", "example"),
    [
        ("icon:medicines", "![A drawing of the medicines](icon:medicines)"),
        ("icon:toilet", "![A drawing of the toilet](icon:toilet)"),
        ("icon:wash_hands", "![A drawing: wash hands](icon:wash_hands)"),
        ("images/liver.svg", "![What the picture shows, in a few words](images/liver.svg)"),
    ],
)
def test_the_alt_text_fix_fits_the_picture_at_hand(src: str, example: str, sample_content: Path) -> None:
    from booklet.source.project import Project

    name = src.split(":")[-1].split("/")[-1].removesuffix(".svg")
    folder = sample_content / "sample-booklet"
    (folder / "easy-read.md").write_text(
        f"---\ntitle: T\n---\n\n# A\n\n![{name.capitalize()}]({src}) You see it.\n", encoding="utf-8"
    )
    entry = Project.load(sample_content, ["sample-booklet"], easy_read=True).entry("sample-booklet")
    found = [p for p in entry.problems if p.rule == IMAGE_ALT.id and p.path.name == "easy-read.md"]
    assert [p.fix for p in found] == [f"describe what the picture shows: {example}"]


def test_icons_shows_name_set_and_the_file_to_open(runner: CliRunner) -> None:
    result = runner.invoke(main, ["icons", "toilet"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0].split()
    assert first == ["toilet", "OpenMoji", str(PICTOGRAMS / "toilet.svg")]
    assert "letrina" in result.output  # Health Icons' latrine, found by its keyword 'toilet'


def test_icons_html_writes_a_page_of_the_matches_and_opens_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def launch(url: str, **options: object) -> int:
        opened.append(url)
        return 0

    monkeypatch.setattr(click, "launch", launch)
    target = tmp_path / "icons.html"
    result = runner.invoke(main, ["icons", "cup", "--html", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert opened == [target.resolve().as_uri()]
    html = target.read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    for name in ("cup_with_straw", "hot_drink"):
        assert f'<img src="{(PICTOGRAMS / name).with_suffix(".svg").as_uri()}" alt="' in html
        assert f"<code>icon:{name}</code>" in html
    assert "OpenMoji (CC BY-SA 4.0)" in html
    result = runner.invoke(main, ["icons", "cup", "--html", "--out", "-"])
    assert result.output.startswith("<!DOCTYPE html>")


EASY_READ = """---
title: Getting ready for a test
---

# Getting ready

![A toilet](icon:toilet) You will go to the toilet a lot.

![A cup of tea](icon:hot_drink) Drink lots of clear drinks, like weak tea.

![A loaf of bread](icon:bread) Eat plain white food, like white bread.

![A bus](icon:bus) You can come by bus.

![A person in a wheelchair](icon:person_in_wheelchair) You can use a wheelchair.

![A liver](icon:liver) The doctor looks at your **liver**. It is a part of your body.

# Hard words

![A closed book](icon:book) **Liver**: a part of your body.
"""


@pytest.mark.slow
def test_openmoji_pictures_render_tagged_and_credited(runner: CliRunner, tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content", CORPUS, "translated")
    (content / "translated" / "easy-read.md").write_text(EASY_READ, encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", "translated", "--variant", "easy-read", "--language", "en", "-j", "1"]
    result = runner.invoke(main, [*args, "--content", str(content), "--out", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out / "translated" / "translated-easy-read.pdf"
    checked = page.validate_pdf(str(pdf), profile="ua1")
    assert checked.is_compliant, sorted({f.rule_id for f in checked.failures})
    figures = [e for e in pdfread.walk(pdfread.structure(pdf)) if e.tag == "/Figure"]
    alts = {e.alt for e in figures}
    assert {"A toilet", "A cup of tea", "A loaf of bread", "A bus", "A person in a wheelchair"} <= alts
    text = " ".join(pdfread.poppler_text(pdf).split())
    assert "Some pictures are by OpenMoji, the open-source emoji and icon project (openmoji.org)" in text
    html = (out / "translated" / "translated-easy-read.html").read_text(encoding="utf-8")
    assert 'src="../_static/pictograms/toilet.svg"' in html
    assert (out / "_static" / "pictograms" / "toilet.svg").is_file()


def test_the_web_pages_bring_the_pictograms_they_link_to(tmp_path: Path) -> None:
    """serve writes a web page with its pictograms at once; a build copies those, not all 700."""
    from booklet.build import pictograms_used
    from booklet.source.project import Project
    from booklet.variants import VARIANTS
    from booklet.web.serve import web_files

    content = ROOT / "content"
    booklet = Project.load(content, ["secondary-liver-cancer"]).entry("secondary-liver-cancer").booklet
    assert booklet is not None
    files = web_files(booklet, VARIANTS["easy-read"], tmp_path)
    shared = {p.name for p in files if p.parent == tmp_path / "_static" / "pictograms"}
    html = next(d for p, d in files.items() if p.suffix == ".html").decode()
    linked = set(re.findall(r'src="\.\./_static/pictograms/([a-z0-9_]+\.svg)"', html))
    assert shared == linked
    assert {"liver.svg", "doctor.svg"} <= shared
    assert files[tmp_path / "_static" / "pictograms" / "liver.svg"] == (PICTOGRAMS / "liver.svg").read_bytes()
    assert pictograms_used(tmp_path, [(tmp_path / "x.pdf", b'src="../_static/pictograms/liver.svg"')]) == {}
