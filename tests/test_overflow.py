"""Nothing runs off a page: every page of every PDF, and every web page at 320 px, in every language.

The corpus holds real long addresses (a 170-character NHS address with a query string, in
the translated booklet and so in its six translations; a long DOI in all-features). Each
PDF page is read with PyMuPDF (each glyph's box) against the variant's margins; each web
page is laid out by headless Chromium at 320 CSS pixels (tests/browser/reflow.mjs).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from booklet.render.templates import breakable_url

from . import structread, tools
from .conftest import outputs
from .test_pages import EDGE, lines, margins, open_pdf

pytestmark = pytest.mark.slow
BROWSER = Path(__file__).parent / "browser"
OVERHANG = 0.3  # of the type size: a glyph's box may reach past its advance (Arabic tails)
VARIANTS = ("large-print", "easy-read", "standard")
LONG_ADDRESS = (
    "https://www.nhs.uk/conditions/cancer/side-effects/mouth-problems-during-and-after-cancer-treatment/"
)


def out_folder(built: dict[str, Path]) -> Path:
    """Return the folder every corpus booklet was built into."""
    return next(iter(built.values())).parent.parent


def variant_of(pdf: Path) -> str:
    """Return the variant a PDF is of, from its name ('<slug>-<variant>.pdf')."""
    return next(v for v in VARIANTS if pdf.stem.endswith(v))


def test_every_pdf_page_keeps_its_text_inside_the_margins(built: dict[str, Path]) -> None:
    """Every line of every page (covers too) of every PDF, translations included, is inside the margins."""
    pdfs = sorted(out_folder(built).rglob("*.pdf"))
    assert len(pdfs) >= len(outputs()) + 6 * 2  # the six test translations, in two variants at least
    outside = []
    for pdf in pdfs:
        _, right, _, left = margins(variant_of(pdf))
        for i, page in enumerate(open_pdf(pdf)):
            width = page.rect.width
            for line in lines(page):
                slack = max(EDGE, OVERHANG * line.size)
                if line.x0 < left - slack or line.x1 > width - right + slack:
                    where = f"{pdf.relative_to(out_folder(built))} page {i + 1}"
                    outside.append((where, line.text[:50], round(line.x0, 1), round(line.x1, 1)))
    assert not outside, outside[:10]


@pytest.mark.parametrize("lang", ["", "pl", "ar"])
def test_a_long_address_breaks_after_its_host_and_reads_whole(built: dict[str, Path], lang: str) -> None:
    """The long address breaks at / ? & (never after https:// alone), and is read and copied whole.

    The break opportunities (``<wbr>``, a zero-width space in the PDF) add nothing to the
    text under the structure tree, nor to poppler's copy of the page.
    """
    pdf = out_folder(built) / "translated" / lang / "translated-large-print.pdf"
    copied = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    reading = structread.read(pdf).text
    for text in (copied, reading):
        assert "\u200b" not in text
        assert "\u2060" not in text
    assert LONG_ADDRESS + "?utm_source=patient-information&utm_medium=print" in reading
    if lang == "ar":
        return  # poppler joins the lines of a right-to-left page: the tagged reading above is the test
    starts = [line for line in copied.splitlines() if "https://" in line]
    assert starts
    assert all("https://www.nhs.uk/" in line for line in starts), starts
    for line in copied.splitlines():  # each line of the address ends at a break point, none cut mid-word
        if "utm_" in line or "cancer/" in line:
            assert line.rstrip("\u202c").rstrip()[-1] in "/?&=-.4" or " " in line.strip(), line


def test_an_address_may_break_after_separators_but_not_in_its_scheme_and_host() -> None:
    """The break points: after / . ? & = -, none inside the scheme and host, none between separators."""
    shown = breakable_url("https://www.nhs.uk/a-b/c.d?e=1&f=2")
    assert shown == (
        '<span class="url-start">https://www.nhs.uk/</span><wbr>a-<wbr>b/<wbr>c.<wbr>d?<wbr>e=<wbr>1&amp;<wbr>f=<wbr>2'
    )
    short = breakable_url("www.example.net/leaflets")
    assert short == '<span class="url-start">www.example.net/</span><wbr>leaflets'
    assert breakable_url("www.example.net") == '<span class="url-start">www.example.net</span>'
    assert "<wbr>" not in str(breakable_url("https://doi.org/x/?y"))[-12:-4]  # '/?' is one break point


@tools.needs("chromium", "node", "browser")
def test_web_pages_do_not_scroll_sideways_at_320px(built: dict[str, Path]) -> None:
    """Every variant's web page, in every language, fits 320 CSS pixels (long addresses included)."""
    pages = [p for p in sorted(out_folder(built).rglob("*.html")) if p.stem.endswith(VARIANTS)]
    assert len(pages) >= len(outputs()) + 6
    config = {"chromium": tools.path("chromium"), "pages": [p.as_uri() for p in pages]}
    run = subprocess.run(
        ["node", str(BROWSER / "reflow.mjs")],
        input=json.dumps(config),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    wide = [p for p in json.loads(run.stdout)["pages"] if p["scrollWidth"] > p["width"]]
    assert not wide, wide[:5]
