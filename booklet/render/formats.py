"""The formats a variant is written in: a table of data, read by the build and the command line.

A format is one row: its name (``--format NAME``), the file suffixes it writes (named by
:func:`booklet.paths.variant_file`), the variants it is made for, whether it needs the
printed page map, and the function that makes its bytes from a :class:`Made` (one variant
of one booklet, gathered once and shared by every format of that variant).

The PDF is laid out first (it is first in the table) and its page map kept; a format that
needs the page map (an EPUB's page list, braille's print page numbers) reads that one, or,
when the PDF is current and not made again, the map written beside it by the same build
that wrote the PDF.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..errors import RenderError
from ..languages import LANGUAGES
from ..model import Booklet
from ..variants import Variant
from . import document as page
from . import pagemap
from .pdf import Renderer

NEWLINES = ("crlf", "lf")  # BRF line ends (--brf-newline): CR LF, what embossers fed raw expect, or LF

if TYPE_CHECKING:  # the makers import what they use: the build's own process may render nothing
    from . import html as render_html


@dataclass
class Made:
    """One variant of one booklet being made: what every format of it reads, gathered once."""

    booklet: Booklet
    variant: Variant
    out: Path
    renderer: Renderer
    pages: tuple[pagemap.PageStart, ...] | None = None  # set when the PDF is laid out in this run
    _context: render_html.Context | None = field(default=None, repr=False)

    @property
    def context(self) -> render_html.Context:
        """Return the template context of the variant (the body converted once)."""
        if self._context is None:
            from . import html as render_html

            self._context = render_html.context(self.booklet, self.variant)
        return self._context

    def page_map(self) -> tuple[pagemap.PageStart, ...]:
        """Return the printed page map: the one laid out now, else the one beside the current PDF."""
        if self.pages is None:
            path = paths.page_map_file(self.out, self.booklet.slug, self.variant.stem, self.booklet.lang)
            try:
                self.pages = pagemap.loads(path.read_bytes())
            except (OSError, ValueError, TypeError) as exc:
                raise RenderError(
                    f"the page map could not be read ({exc})", path, fix="build again"
                ) from None
        return self.pages


Maker = Callable[[Made], Mapping[str, bytes]]  # suffix -> bytes


@dataclass(frozen=True)
class Format:
    """How one format is made: its files, the variants it is made for, and its maker."""

    name: str
    suffixes: tuple[str, ...]  # files it writes: OUT/<slug>/<slug>-<stem>.<suffix>
    make: Maker
    variants: tuple[str, ...] = ()  # variants it is made for (empty: every variant)
    page_map: bool = False  # needs the printed page map of the same variant's PDF
    stem: str = ""  # the file name's part instead of the variant's ('braille'), when it has its own
    languages: frozenset[str] | None = None  # the translations it is made for (None: every one)
    newline: str = ""  # line ends of a text format written for embossers ('crlf' or 'lf'; braille)

    def applies(self, variant: Variant, lang: str = "") -> bool:
        """Tell whether this format is made for ``variant`` (of a translation into ``lang``)."""
        translated = not lang or self.languages is None or lang in self.languages
        return (not self.variants or variant.name in self.variants) and translated

    def path(self, out: Path, slug: str, variant: Variant, suffix: str, lang: str = "") -> Path:
        """Return the file this format writes with ``suffix`` for one variant of a booklet."""
        return paths.variant_file(out, slug, self.stem or variant.stem, suffix, lang)


def stylesheets(made: Made) -> tuple[str, ...]:
    """Return the stylesheets a variant is set with: its own, its language's, the DRAFT mark's."""
    return made.context["stylesheets"]


def _pdf(made: Made) -> dict[str, bytes]:
    """Lay out the PDF; keep its page map for the formats made after it."""
    from ..source import messages
    from . import html as render_html

    b, v = made.booklet, made.variant
    html = page.serialise(render_html.document(made.context, pictures=render_html.picture_srcs(b)))
    source = b.source_folder / v.source
    words = messages.of(b.publisher, b.lang or messages.SOURCE)  # the page words and the links' (tags.py)
    extra = v.size_css + messages.words_css(words, v.name)
    document = made.renderer.layout(html, b.folder, stylesheets(made), source, extra)
    made.pages = pagemap.page_starts(document)
    return {
        "pdf": made.renderer.write(document, source, words=words),
        paths.PAGE_MAP: pagemap.dumps(made.pages),
    }


def _html(made: Made) -> dict[str, bytes]:
    """Render the web page, linking the shared styles, fonts and pictograms."""
    from . import html as render_html

    lang = made.booklet.lang
    links = [paths.static_link("styles", name, lang) for name in (*stylesheets(made), "screen.css")]
    icons = paths.static_link("pictograms", "", lang)
    pictures = render_html.picture_srcs(made.booklet, web=True)
    web = render_html.document(made.context, css_links=links, icons=icons, pictures=pictures)
    return {"html": page.serialise(web).encode()}


def _epub(made: Made) -> dict[str, bytes]:
    """Make the EPUB 3 e-book, its page list from the printed page map."""
    from . import epub  # deferred: only builds that make EPUBs need it

    return {"epub": epub.make(made.booklet, made.variant, made.context, made.page_map())}


def _brf(made: Made) -> dict[str, bytes]:
    """Transcribe into braille (BRF, and the same pages as PEF), print page numbers from the page map."""
    from . import braille  # deferred: only builds that make braille need liblouis

    done = braille.transcribe(made.booklet, made.page_map(), made.context)
    return {"brf": done.brf(), "pef": done.pef()}


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", ("pdf", paths.PAGE_MAP), _pdf),
        Format("html", ("html",), _html),
        Format("epub", ("epub",), _epub, variants=("standard", "easy-read"), page_map=True),
        Format(
            "brf",
            ("brf", "pef"),
            _brf,
            variants=("standard",),  # braille follows the standard print edition (braille.VARIANT)
            page_map=True,
            stem=paths.BRAILLE,
            languages=frozenset(tag for tag, lang in LANGUAGES.items() if lang.braille),  # with a table
            newline="crlf",
        ),
    )
}


def choose(names: Sequence[str] = (), brf_newline: str = "crlf") -> list[Format]:
    """Return the formats asked for, in table order (none asked: every format), BRF with its line ends."""
    if brf_newline not in NEWLINES:
        raise ValueError(f"BRF line ends are one of {', '.join(NEWLINES)}")
    return [
        dataclasses.replace(f, newline=brf_newline) if f.newline else f
        for f in FORMATS.values()
        if not names or f.name in names
    ]


def finished(path: Path, data: bytes, formats: Sequence[Format]) -> bytes:
    """Return a file's bytes with the line ends its format was asked for (made with CR LF, BRF's own)."""
    for f in formats:
        if f.newline == "lf" and path.suffix == ".brf" and f.stem and f.stem in path.name:
            return data.replace(b"\r\n", b"\n")
    return data


def written_as_asked(fmt: Format, files: Sequence[Path]) -> bool:
    """Tell whether a format's files already have the line ends asked for (True when it has none to check)."""
    if not fmt.newline:
        return True
    for path in files:
        if path.suffix == ".brf":
            try:
                head = path.read_bytes()[:4096]
            except OSError:
                return False
            if (b"\r\n" in head) != (fmt.newline == "crlf"):
                return False
    return True


def files(out: Path, slug: str, variant: Variant, formats: Sequence[Format], lang: str = "") -> list[Path]:
    """Return the files of one variant in ``formats`` (those made for it), of a translation when ``lang``."""
    return [
        f.path(out, slug, variant, suffix, lang)
        for f in formats
        if f.applies(variant, lang)
        for suffix in f.suffixes
    ]
