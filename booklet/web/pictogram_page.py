"""booklet icons --html: a web page of the pictograms that match a search, with their pictures."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from ..source.pictograms import SETS, Pictogram

STYLE = """
body { font-family: "Atkinson Hyperlegible", sans-serif; margin: 2rem; color: #1a1a1a; }
ul { list-style: none; padding: 0; display: grid; gap: 1rem;
     grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); }
li { border: 1px solid #767676; border-radius: 0.5rem; padding: 1rem; }
img { width: 6rem; height: 6rem; display: block; margin: 0 auto 0.5rem; }
code { font-size: 1.1rem; font-weight: bold; }
.words, .set { font-size: 0.9rem; }
"""


def page_html(words: Sequence[str], found: Sequence[tuple[str, Pictogram]]) -> str:
    """Return the page: each match's picture, name to write, set and licence, and words."""
    asked = " ".join(words) or "every pictogram"
    items = Markup("").join(
        Markup(
            '<li><img src="{src}" alt="{title}"><code>icon:{name}</code>'
            '<p class="set">{set} ({licence})</p><p class="words">{keywords}</p></li>\n'
        ).format(
            src=icon.path.resolve().as_uri(),
            name=name,
            title=icon.title,
            set=SETS[icon.set].title,
            licence=SETS[icon.set].licence,
            keywords=", ".join(icon.keywords[:10]),
        )
        for name, icon in found
    )
    credits = Markup("").join(
        Markup('<li><a href="{}">{}</a>: {}</li>').format(s.url, s.title, s.licence) for s in SETS.values()
    )
    return str(
        Markup(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>Pictograms: {asked}</title>\n<style>{style}</style>\n</head>\n<body>\n<main>\n"
            "<h1>Pictograms for “{asked}”</h1>\n<p>{count} found. Write one as "
            "<code>![What the picture shows](icon:NAME)</code>.</p>\n<ul>\n{items}</ul>\n"
            '<h2>The sets</h2>\n<ul class="sets">{credits}</ul>\n</main>\n</body>\n</html>\n'
        ).format(asked=asked, style=Markup(STYLE), count=len(found), items=items, credits=credits)
    )
