"""The catalogue for clinics and volunteers (issue 28): ordering, search, translations and covers.

- the ordering page explains every column of the order form, in its order, and a form filled
  in with the page's own examples is accepted by ``booklet order``; it points to the order
  shop when publisher.yml names one;
- the home page's search looks in titles, subtitles, summaries and glossary terms (a real
  browser: typing "bowel" finds the booklet whose summary says bowel), axe-core clean at 1280
  and 320 px;
- translations are listed on each booklet's page (with their downloads) and on the home
  page by language;
- each booklet has a cover thumbnail, its first page, rendered once and kept until its PDF
  changes, with alt text.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pymupdf
import pytest
from PIL import Image

from booklet.build import build
from booklet.press import orders
from booklet.source import messages
from booklet.source.project import Project
from booklet.web import catalogue, covers, published
from booklet.web.catalogue import ORDER_EXAMPLES, order_columns, write_catalogue

from . import tools
from .conftest import CONTENT, copy_content
from .test_catalogue import in_browser, run_in_browser

SAMPLE = "sample-booklet"
BOWEL = "having-a-colonoscopy"


def add_colonoscopy(content: Path) -> None:
    """Add a second booklet, whose summary (not its title) says bowel, with a glossary of its own."""
    shutil.copytree(content / SAMPLE, content / BOWEL)
    (content / BOWEL / "easy-read.md").unlink()
    text = (content / BOWEL / "booklet.md").read_text(encoding="utf-8")
    text = text.replace("title: Looking after your skin during treatment", "title: Having a colonoscopy")
    text = text.replace("subtitle: A short test booklet with", "subtitle: What happens, with")
    text = text.replace(
        "A short booklet used by the tests. It has every Markdown feature a booklet",
        "A camera on a thin tube lets the doctor look inside the bowel. It has every feature a booklet",
    )
    text = text.replace(
        "dermatologist: A doctor who treats skin problems.", "endoscopist: A doctor who looks inside."
    )
    (content / BOWEL / "booklet.md").write_text(text.replace("TST-01", "TST-03"), encoding="utf-8")


def test_the_ordering_page_explains_every_column_of_the_order_form(
    sample_content: Path, tmp_path: Path
) -> None:
    """Its columns are the form's, in order; the form filled in with its examples is a good order."""
    columns = order_columns(messages.load())
    assert tuple(columns) == orders.TEMPLATE_COLUMNS
    assert set(ORDER_EXAMPLES) < set(columns)
    out = tmp_path / "out"
    write_catalogue(Project.load(sample_content), out)
    page = (out / "order.html").read_text(encoding="utf-8")
    shown = [name for name in columns if f"<dt><code>{name}</code></dt>" in page]
    assert shown == list(columns)
    for name in orders.DELIVERY:  # the columns the old page left out, and booklet order refused
        assert f"<strong>{name}</strong>" in page
    assert "order shop" not in page  # publisher.yml names no shop

    example = {name: ex for name, (_, ex) in columns.items()}
    example.update(code="TST-01", variant="standard")
    form = io.StringIO()
    writer = csv.DictWriter(form, fieldnames=orders.TEMPLATE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(example)
    (tmp_path / "orders.csv").write_text(form.getvalue(), encoding="utf-8")
    [order] = orders.read_orders(tmp_path / "orders.csv", {"TST-01": ["standard"]})
    assert (order.code, order.quantity) == ("TST-01", int(columns["quantity"][1]))


def test_the_ordering_page_points_to_the_shop_when_there_is_one(sample_content: Path, tmp_path: Path) -> None:
    with (sample_content / "publisher.yml").open("a", encoding="utf-8") as handle:
        handle.write("shop_url: https://shop.example.org/\n")
    out = tmp_path / "out"
    write_catalogue(Project.load(sample_content), out)
    for page in ("order.html", "index.html", f"{SAMPLE}/index.html"):
        assert '<a href="https://shop.example.org/">our order shop</a>' in (out / page).read_text(
            encoding="utf-8"
        )


def test_search_looks_in_titles_subtitles_summaries_and_glossary_terms(
    sample_content: Path, tmp_path: Path
) -> None:
    add_colonoscopy(sample_content)
    cat = catalogue.gather(Project.load(sample_content), tmp_path / "out")
    words = {e.slug: e.search_words for e in cat.entries}
    assert "look inside the bowel" in words[BOWEL]  # the summary
    assert "endoscopist" in words[BOWEL]  # a glossary term
    assert "dermatologist" in words[SAMPLE]
    assert "dermatologist" not in words[BOWEL]
    assert "what happens, with" in words[BOWEL]  # the subtitle
    assert "having a colonoscopy" in words[BOWEL]


@pytest.fixture
def site_url(sample_content: Path, tmp_path: Path) -> Iterator[str]:
    """Write the catalogue of the sample and the colonoscopy booklet, served over loopback HTTP."""
    add_colonoscopy(sample_content)
    out = tmp_path / "out"
    write_catalogue(Project.load(sample_content), out)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@in_browser
def test_the_search_box_finds_a_booklet_by_its_summary_and_glossary_in_chromium(site_url: str) -> None:
    queries = [
        "bowel",
        "dermatologist",
        "ENDOSCOPIST",
        "colonoscopy",
        "what happens",
        "skin",
        "nothing-like-it",
        "",
    ]
    config = {"chromium": tools.path("chromium"), "url": site_url + "index.html", "queries": queries}
    result = run_in_browser("search.mjs", config, timeout=120)
    found = {r["query"]: (r["status"], r["titles"]) for r in result["results"]}
    colonoscopy, skin = "Having a colonoscopy", "Looking after your skin during treatment"
    assert found["bowel"] == ("Booklets that match: 1 of 2", [colonoscopy])  # its summary says bowel
    assert found["dermatologist"] == ("Booklets that match: 1 of 2", [skin])  # a glossary term
    assert found["ENDOSCOPIST"] == ("Booklets that match: 1 of 2", [colonoscopy])  # whatever the case
    assert found["colonoscopy"] == ("Booklets that match: 1 of 2", [colonoscopy])
    assert found["what happens"] == ("Booklets that match: 1 of 2", [colonoscopy])  # the subtitle
    assert found["skin"][1] == [skin]
    assert found["nothing-like-it"] == ("Booklets that match: 0 of 2", [])
    assert found[""] == ("", [colonoscopy, skin])
    assert result["focusedBox"], "the search box is not reached by Tab"
    assert result["violations"] == []
    assert result["reflow"]["scrollWidth"] <= result["reflow"]["width"]
    assert result["errors"] == []


def test_translations_are_listed_on_the_booklet_page_and_by_language_on_the_home_page(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content", CONTENT, "secondary-liver-cancer")
    out = tmp_path / "out"
    build(content, out, format_names=["html"])  # the web pages only: fast, and enough to list
    write_catalogue(Project.load(content), out, include_drafts=True)
    page = (out / "secondary-liver-cancer" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="languages">Other languages</h2>' in page
    assert '<a href="../languages/cy.html" lang="cy" dir="ltr" hreflang="cy">Cymraeg</a> (Welsh)' in page
    assert (
        'href="cy/secondary-liver-cancer-standard.html"' in page
    )  # its web version, from the booklet's page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="languages-title">Booklets in other languages</h2>' in index
    assert '<h3 id="language-cy"><span lang="cy" dir="ltr">Cymraeg</span> (Welsh)</h3>' in index
    assert 'href="languages/cy.html#title-secondary-liver-cancer-cy"' in index
    assert "Also in:" in index


def test_each_booklet_has_a_cover_thumbnail_rendered_once(sample_content: Path, tmp_path: Path) -> None:
    """Its first page, with alt text; made again only when the PDF changes; on the published list."""
    out = tmp_path / "out"
    build(sample_content, out, [SAMPLE], variant_names=["standard"], format_names=["pdf"])
    write_catalogue(Project.load(sample_content), out)
    thumbnail = out / SAMPLE / covers.name(SAMPLE)
    pdf = out / SAMPLE / f"{SAMPLE}-standard.pdf"
    with Image.open(thumbnail) as image:
        assert image.width == covers.WIDTH
        ours = image.convert("RGB").resize((24, 34))
    page = pymupdf.open(pdf)[0]  # type: ignore[no-untyped-call]
    scale = pymupdf.Matrix(24 / page.rect.width, 34 / page.rect.height)  # type: ignore[no-untyped-call]
    theirs = Image.frombytes("RGB", (24, 34), page.get_pixmap(matrix=scale).samples)
    difference = sum(abs(a - b) for a, b in zip(ours.tobytes(), theirs.tobytes(), strict=True))
    assert difference / (24 * 34 * 3) < 12, "the thumbnail does not look like the first page"
    for name in ("index.html", f"{SAMPLE}/index.html", "standard.html"):
        html = (out / name).read_text(encoding="utf-8")
        assert 'alt="The cover of the booklet: Looking after your skin during treatment"' in html
        assert covers.name(SAMPLE) in html
    assert f"{SAMPLE}/{covers.name(SAMPLE)}" in published.read(out)

    made = thumbnail.stat().st_mtime_ns
    with mock.patch.object(covers, "render", wraps=covers.render) as rendered:
        write_catalogue(Project.load(sample_content), out)  # nothing changed: nothing rendered
        assert rendered.call_count == 0
        assert thumbnail.stat().st_mtime_ns == made
        pdf.touch()  # a new build of the PDF: the thumbnail is made again
        write_catalogue(Project.load(sample_content), out)
        assert rendered.call_count == 1
    assert thumbnail.stat().st_mtime_ns > made


def test_a_booklet_not_built_has_no_cover_and_an_unreadable_pdf_none_either(
    sample_content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    write_catalogue(Project.load(sample_content), out)
    assert "cover-thumbnail" not in (out / "index.html").read_text(encoding="utf-8")
    (out / SAMPLE / f"{SAMPLE}-standard.pdf").write_bytes(b"%PDF-1.7 not really")
    write_catalogue(Project.load(sample_content), out)
    assert "cover-thumbnail" not in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / SAMPLE / covers.name(SAMPLE)).exists()
