"""Where every output goes: the one module that knows output folders and file names.

```
OUT/
  .booklet-cache.json               what each output was made from
  _static/{styles,fonts,pictograms}/  shared files the web pages link to
  index.html, <format>.html, order.html, order-form.csv   the catalogue
  <slug>/index.html                 a booklet's catalogue page
  languages/<lang>.html             the catalogue page of one language: what is available in it
  <slug>/<slug>-<stem>.pdf|.html|.epub   a variant ('standard', 'large-print-24pt', ...) in each
                                    format (booklet/render/formats.py; EPUB: standard and easy read)
  <slug>/<slug>-<stem>.pages.json   where each of its printed pages begins (booklet/render/pagemap.py)
  <slug>/<slug>-braille.brf|.pef    braille, from the standard variant (booklet/render/braille/)
  <slug>/<lang>/<slug>-<stem>.pdf|.html|.epub   a translation's variants (lang: BCP 47, cy, ar, zh-Hans...;
                                    the English files keep their names; braille: each language
                                    liblouis has a table for, booklet/languages.py)
  <slug>/images/<file>              the booklet's pictures its web pages use
  <slug>/<lang>/images/<file>       a translation's own versions of pictures (their words translated)
  <slug>/print/<slug>-<stem>-print.pdf|-imposed.pdf   print files
  <slug>/<lang>/print/<slug>-<stem>-<lang>-print.pdf|-imposed.pdf   a translation's print files (the
                                    tag in the name too: a print run puts every language in one folder)
  print-runs/<date>/                a print run (the day's next ones: <date>-2/, <date>-3/, ...)
```
"""

from __future__ import annotations

import datetime
import os
from importlib.resources import files
from pathlib import Path


def _resource(name: str) -> Path:
    """Return one of booklet's own folders of resources, as installed inside the package.

    In a checkout, ``booklet/resources/<name>`` links to the top-level folder you edit
    (``styles/``, ``fonts/``, ``pictograms/``); a wheel holds a copy of it.
    """
    return Path(str(files("booklet") / "resources" / name)).resolve()


STYLES = _resource("styles")  # the stylesheets (base.css, print.css, ...) and the colour profile
FONTS = _resource("fonts")  # the fonts every output embeds, with their licences
PICTOGRAMS = _resource("pictograms")  # easy read's pictures, one flat folder (source/pictograms.py)
# the frame of every web page, the catalogue's and the order shop's (a folder of templates)
WEB_TEMPLATES = Path(__file__).parent / "render" / "templates" / "web"

CACHE_FILE = ".booklet-cache.json"
STATIC = "_static"
PRINT = "print"
PRINT_RUNS = "print-runs"
IMAGES = "images"
FORMATS = ("pdf", "html", "epub", "brf")  # the formats a variant is written in (booklet/render/formats.py)
PAGE_MAP = "pages.json"  # written beside each variant's PDF
BRAILLE = "braille"  # the braille files' name part, beside the variants'


def folder(out: Path, slug: str, lang: str = "") -> Path:
    """Return a booklet's output folder: OUT/<slug>, a translation's OUT/<slug>/<lang>."""
    return out / slug / lang if lang else out / slug


def variant_file(out: Path, slug: str, stem: str, fmt: str, lang: str = "") -> Path:
    """Return the file of one variant in one format: OUT/<slug>/<slug>-<stem>.<fmt>.

    A translation's (``lang``, a BCP 47 tag) is OUT/<slug>/<lang>/<slug>-<stem>.<fmt>.
    """
    return out / slug / lang / f"{slug}-{stem}.{fmt}" if lang else out / slug / f"{slug}-{stem}.{fmt}"


def page_map_file(out: Path, slug: str, stem: str, lang: str = "") -> Path:
    """Return where a variant's page map is written: OUT/<slug>/<slug>-<stem>.pages.json."""
    return variant_file(out, slug, stem, PAGE_MAP, lang)


def braille_files(out: Path, slug: str, lang: str = "") -> tuple[Path, Path]:
    """Return where a booklet's braille is written: OUT/<slug>/<slug>-braille.brf and .pef.

    A translation's (``lang``) is in OUT/<slug>/<lang>/.
    """
    return variant_file(out, slug, BRAILLE, "brf", lang), variant_file(out, slug, BRAILLE, "pef", lang)


def stem_of(path: Path, slug: str) -> str:
    """Return the variant stem of a variant file's name ('' when it is not one of the booklet's)."""
    name = path.name
    if not name.startswith(f"{slug}-") or path.suffix.lstrip(".") not in FORMATS:
        return ""
    return path.stem.removeprefix(f"{slug}-")


def image_file(out: Path, slug: str, name: str, lang: str = "") -> Path:
    """Return where a booklet's picture is published beside its web pages (a translation's own: ``lang``)."""
    return out / slug / lang / IMAGES / name if lang else out / slug / IMAGES / name


def print_file(out_folder: Path, slug: str, stem: str, imposed: bool = False, lang: str = "") -> Path:
    """Return a print file's path in ``out_folder`` (a booklet's print folder or a print run's folder).

    A translation's name carries its tag (``<slug>-<stem>-<lang>-print.pdf``): a print run holds
    every language's files side by side, and a printer must never take one for another.
    """
    language = f"-{lang}" if lang else ""
    return out_folder / f"{slug}-{stem}{language}-{'imposed' if imposed else 'print'}.pdf"


def print_folder(out: Path, slug: str, lang: str = "") -> Path:
    """Return a booklet's folder of print files: OUT/<slug>/print, a translation's OUT/<slug>/<lang>/print."""
    return out / slug / lang / PRINT if lang else out / slug / PRINT


def print_run_folder(out: Path, day: datetime.date | None = None) -> Path:
    """Return a new folder for a print run made on ``day`` (today by default).

    The day's first run goes to OUT/print-runs/<date>, the next to <date>-2, then <date>-3...:
    a name already taken, by a folder or anything else, is never given again.
    """
    first = out / PRINT_RUNS / (day or datetime.date.today()).isoformat()
    folder, number = first, 1
    while os.path.lexists(folder):
        number += 1
        folder = first.with_name(f"{first.name}-{number}")
    return folder


def static(out: Path, kind: str, name: str) -> Path:
    """Return a shared file of the web pages: kind is 'styles', 'fonts' or 'pictograms'."""
    return out / STATIC / kind / name


def static_link(kind: str, name: str = "", lang: str = "") -> str:
    """Return the link from a booklet's web page to a shared file (or folder, when ``name`` is '').

    A translation's web page (``lang``) is one folder further down: OUT/<slug>/<lang>/.
    """
    return f"{'../' if lang else ''}../{STATIC}/{kind}/{name}"


def booklet_page(out: Path, slug: str) -> Path:
    """Return a booklet's page of the catalogue."""
    return out / slug / "index.html"


def language_page(tag: str) -> str:
    """Return the catalogue page of one language, relative to OUT: 'languages/cy.html'."""
    return f"languages/{tag}.html"


def format_page(name: str) -> str:
    """Return the catalogue page of one format, relative to OUT: 'large-print.html'."""
    return f"{name}.html"


def shop_database(out: Path) -> Path:
    """Return the order shop's SQLite database: OUT/shop.sqlite3."""
    return out / "shop.sqlite3"


def shop_outbox(out: Path) -> Path:
    """Return the folder the order shop writes confirmation emails into: OUT/shop-outbox."""
    return out / "shop-outbox"
