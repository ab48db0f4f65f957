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
from .markup import slugify

TEMPLATE_ROOT = Path(__file__).parent / "templates"
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:)\]]")


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
        out.append(Markup('<a class="external url" href="{}">{}</a>').format(href, m[0]))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


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
def picture_credits(ctx: jinja2.runtime.Context) -> list[str]:
    """Return the credits the pictogram sets used in this booklet ask for (OpenMoji's: CC BY-SA)."""
    from ..source.pictograms import credits

    cover = ctx.get("cover_picture") or ("", "")
    return credits([str(ctx.get("body_html", "")), cover[0]])


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
        display_url=display_url,
        original=original,
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
