"""The Jinja environment: an explicit template search path (variant folders, then base) and filters."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..errors import RenderError
from ..model import Metadata, Publisher
from .markup import slugify, unique_slugs

TEMPLATE_ROOT = Path(__file__).parent / "templates"
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:)\]]")
URL_START_RE = re.compile(r"(?:[a-z][a-z0-9+.-]*://)?[^/?#]*[/?#]?", re.IGNORECASE)  # scheme and host
URL_BREAK_RE = re.compile(r"(?<=[/.?&=-])(?![/.?&=-]|$)")  # after / . ? & = -, not inside a run of them


def month(value: date) -> str:
    """Format a date as 'November 2026'."""
    return f"{value:%B} {value.year}"


def join_and(items: Iterable[str]) -> str:
    """Join words as 'a, b and c'."""
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def link_urls(text: str) -> Markup:
    """Escape text and turn the web addresses in it into links that show the address."""
    out, last = [], 0
    for m in URL_RE.finditer(text):
        href = m[0] if m[0].startswith("http") else "https://" + m[0]
        out.append(escape(text[last : m.start()]))
        out.append(Markup('<a class="external url" href="{}">{}</a>').format(href, breakable_url(m[0])))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def breakable_url(url: str) -> Markup:
    """Show a web address that may break at a line's end after / . ? & = or -, never in its scheme and host.

    A ``<wbr>`` marks each place (it adds no character to the text a screen reader or a
    copy gets); the scheme and host are one unbreakable span, so a line never ends with
    ``https://`` alone. The stylesheets break a part longer than a line anywhere, as a last
    resort (``overflow-wrap``).
    """
    start = URL_START_RE.match(url)
    head = start[0] if start else ""
    rest = Markup("<wbr>").join(escape(part) for part in URL_BREAK_RE.split(url[len(head) :]))
    if not head:
        return rest
    return Markup('<span class="url-start">{}</span>{}{}').format(head, Markup("<wbr>") if rest else "", rest)


def display_url(url: str) -> str:
    """Show a web address without its scheme: 'www.example.org'."""
    return re.sub(r"^https?://", "", url).rstrip("/")


@jinja2.pass_context
def original(ctx: jinja2.runtime.Context, text: object) -> Markup:
    """Show words a translation keeps in its original's language (the publisher's details).

    In a translation they are a span with the original's ``lang`` (so a screen reader reads
    them as English: ``/Lang`` in the PDF) and ``dir="ltr"`` (so a right-to-left page keeps
    their brackets and commas in place); in the original they are plain text.
    """
    translation = getattr(ctx.get("meta"), "translation", None)
    if translation is None:
        return escape(text)
    return Markup('<span lang="{}" dir="ltr">{}</span>').format(translation.original, text)


@jinja2.pass_context
def detail(ctx: jinja2.runtime.Context, publisher: Publisher, name: str) -> Markup:
    """Show one of the publisher's details: in a translation, its words in that language when it gives them.

    The publisher gives them under ``translations: {<tag>: ...}`` of publisher.yml; a detail it
    does not give is shown as it is, marked as the original's language (:func:`original`).
    An address is shown a line at a time.
    """
    translation = getattr(ctx.get("meta"), "translation", None)
    own = getattr(publisher.words(translation.language), name) if translation else None
    value = own or getattr(publisher, name)
    if isinstance(value, tuple):
        shown = [escape(line) if own else original(ctx, line) for line in value]
        return Markup("<br>").join(shown)
    return escape(value) if own else original(ctx, value)


EDITION_NUMBER_RE = re.compile(r"^\s*(\d+)")


@jinja2.pass_context
def edition(ctx: jinja2.runtime.Context, meta: Metadata) -> Markup:
    """Show a booklet's edition: in a translation, as the publisher names editions in its language.

    ``translations: {cy: {edition: "Argraffiad {n}"}}`` names the edition of a booklet whose
    edition is a number or starts with one ('1st edition'); otherwise the edition is shown
    in the original's words (:func:`original`).
    """
    translation = meta.translation
    number = EDITION_NUMBER_RE.match(meta.edition)
    words = ctx["publisher"].words(translation.language).edition if translation else ""
    if words and number:
        return escape(words.format(n=int(number[1])))
    return original(ctx, meta.edition)


@jinja2.pass_context
def picture_credits(ctx: jinja2.runtime.Context) -> list[str]:
    """Return the credits the pictogram sets used in this booklet ask for (OpenMoji's: CC BY-SA)."""
    from ..source.pictograms import credits

    cover = ctx.get("cover_picture") or ("", "")
    body = ctx.get("body")
    pictures = [img.get("src", "") for img in body.iter("img")] if body is not None else []
    return credits([*pictures, cover[0]])


def pictogram_sets() -> list[object]:
    """Return the pictogram sets, for the catalogue's credits (each with its title, licence and address)."""
    from ..source.pictograms import SETS

    return list(SETS.values())


@jinja2.pass_context
def ltr(ctx: jinja2.runtime.Context, text: object) -> Markup:
    """Show a phone number, address or web address left to right, whatever the page's direction.

    Inside right-to-left text the Unicode bidi algorithm reverses the groups of "0808 157 0647"
    (a space between numbers takes the direction around it): in a translation they are a
    ``dir="ltr"`` span; in the original, plain text.
    """
    if getattr(ctx.get("meta"), "translation", None) is None:
        return escape(text)
    return Markup('<span dir="ltr">{}</span>').format(text)


def zip_ids(pairs: Iterable[tuple[str, str]], prefix: str) -> list[tuple[tuple[str, str], str]]:
    """Pair each (term, meaning) with an id unique in the list: ``prefix`` + the term's slug."""
    items = list(pairs)
    return list(zip(items, unique_slugs((term for term, _ in items), prefix), strict=True))


def search_path(folders: Iterable[str]) -> list[Path]:
    """Return the template folders searched for a variant, most specific first."""
    return [TEMPLATE_ROOT / f for f in folders] + [TEMPLATE_ROOT / "base"]


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Keep compiled templates in the user's cache folder (compiling them costs more than the render)."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "booklet" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return None  # a read-only home: compile templates each time instead
    return jinja2.FileSystemBytecodeCache(str(folder))


@functools.lru_cache(maxsize=16)
def environment(folders: tuple[str, ...]) -> jinja2.Environment:
    """Make the Jinja environment for a variant's template folders."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path(folders)]),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        month=month,
        join_and=join_and,
        link_urls=link_urls,
        slug=slugify,
        zip_ids=zip_ids,
        display_url=display_url,
        breakable_url=breakable_url,
        original=original,
        detail=detail,
        edition=edition,
        ltr=ltr,
    )
    env.globals["picture_credits"] = picture_credits
    env.globals["pictogram_sets"] = pictogram_sets
    return env


def render(folders: tuple[str, ...], name: str, context: dict[str, object]) -> str:
    """Render template ``name`` for a variant, naming the folders searched if it is missing."""
    env = environment(folders)
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        tried = ", ".join(str(p) for p in search_path(folders))
        raise RenderError(f"template '{exc.name}' not found; looked in: {tried}") from None
    except jinja2.TemplateSyntaxError as exc:  # the template's own file and line
        where = Path(exc.filename) if exc.filename else None
        raise RenderError(f"template error in {name}: {exc.message}", where, exc.lineno) from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"template error in {name}: {exc}") from None
