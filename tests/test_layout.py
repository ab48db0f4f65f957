"""Line breaking as laid out by WeasyPrint: no word is left alone on a line it did not need."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from booklet.render import html as render_html
from booklet.render import weasyfix
from booklet.render.pdf import Renderer
from booklet.source.project import load_booklet
from booklet.variants import VARIANTS

from .conftest import booklets

CASES = [
    (folder, slug, variant)
    for folder, slug in booklets()
    for variant, v in VARIANTS.items()
    if (folder / slug / v.source).is_file()
]
pytestmark = pytest.mark.slow


def lines_of(box: Any) -> list[Any]:
    found = []
    for child in getattr(box, "children", []):
        if type(child).__name__ == "LineBox":
            found.append(child)
    return found


def text_of(box: object) -> str:
    return "".join(getattr(b, "text", "") for b in box.descendants())  # type: ignore[attr-defined]


@pytest.mark.parametrize(("folder", "slug", "variant"), CASES, ids=[f"{c[1]}/{c[2]}" for c in CASES])
def test_no_line_is_broken_early(folder: Path, slug: str, variant: str) -> None:
    """A line that stops with room for the next line's first word left is a line-breaking fault."""
    import weasyprint

    booklet = load_booklet(folder, slug)
    v = VARIANTS[variant]
    renderer = Renderer()
    html = render_html.render(booklet, v)
    renderer.pdf(html, booklet.folder, v.stylesheets, booklet.folder / v.source, v.size_css)
    css = [renderer._stylesheet(n, None) for n in v.stylesheets] + [renderer._stylesheet("extra", v.size_css)]
    with weasyfix.mended():  # laid out as the renderer lays it out
        document = weasyprint.HTML(string=html, base_url=f"{booklet.folder}/").render(
            stylesheets=css, font_config=renderer._font_config
        )
    faults = []
    for page in document.pages:
        for block in page._page_box.descendants():
            lines = lines_of(block)
            for line, following in itertools.pairwise(lines):
                text, after = text_of(line).rstrip(), text_of(following).strip()
                forced = any(getattr(b, "element_tag", None) == "br" for b in line.descendants())
                if forced or not text or not after or text.endswith(("-", "/")):
                    continue
                word = after.split()[0]
                first_word_width = following.width * len(word) / max(len(after), 1)
                if line.width + 2 * first_word_width < 0.8 * block.width:
                    faults.append(f"{text!r} / {after[:40]!r}")
    assert not faults, faults


def test_keep_together_joins_numbers_dates_and_codes() -> None:
    """Phone numbers, dates, postcodes and order codes get a word joiner after each space and hyphen."""
    from booklet.render import document

    def kept(html: str) -> str:
        root = document.parse(html)
        document.keep_words(root, hyphenated=False)
        return document.serialise(root)

    html = "<html><head><title>0808 1</title></head><body><p>Call 0808 157 0192 by 26 April 2023"
    html += ' (SLC-01, EX1 2AB).</p><p title="0808 157 0192">Now</p></body></html>'
    joined = kept(html)
    assert "0808 \u2060157 \u20600192" in joined
    assert "26 \u2060April \u20602023" in joined
    assert "SLC-\u206001" in joined
    assert "EX1 \u20602AB" in joined
    assert "<title>0808 1</title>" in joined  # the head is left as it is
    assert 'title="0808 157 0192"' in joined  # and attributes: only text nodes change
    assert "\u2060" not in kept("<html><body><p>In 2023 1234 people came.</p></body></html>")


def test_a_phone_number_is_never_split_across_lines() -> None:
    """Laid out in a narrow column, a phone number moves whole to the next line."""
    import weasyprint

    from booklet.render import document

    html = (
        '<html><body><p style="width: 42mm; font-size: 12pt">If you need to, call us on 0808 157 0192 '
        "any day.</p></body></html>"
    )

    def lines(html: str) -> list[str]:
        with weasyfix.mended():
            document = weasyprint.HTML(string=html).render()
        boxes = document.pages[0]._page_box.descendants()
        return [text_of(b).strip().replace("\u2060", "") for b in boxes if type(b).__name__ == "LineBox"]

    assert lines(html)[1:] == ["us on 0808 157", "0192 any day."]  # split, as it was
    root = document.parse(html)
    document.keep_words(root, hyphenated=False)
    assert lines(document.serialise(root))[1:3] == ["us on", "0808 157 0192 any"]
