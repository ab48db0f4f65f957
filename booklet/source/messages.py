"""The templates' own words in each language: one YAML catalogue per language, ``messages/<tag>.yml``.

``en.yml`` is the source; every other catalogue has exactly its keys (tests/test_languages.py
checks it) and says in ``status:`` whether its words are ``machine-made`` (a professional
translator must review them) or ``reviewed``. Values are plain text, escaped when shown;
``{name}`` placeholders are filled with (escaped) values by the templates.

Why YAML and not gettext: the project's content is already YAML and Markdown read by
PyYAML, a translator edits one file per language with no compile step (.po -> .mo) and no
new dependency, and a test can compare catalogues key by key. The templates have no
plurals, which is what gettext would add.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from markupsafe import Markup, escape

from ..errors import RenderError
from ..variants import Variant

if TYPE_CHECKING:
    from ..model import Publisher

FOLDER = Path(__file__).resolve().parent / "messages"
SOURCE = "en"
STATUSES = ("source", "machine-made", "reviewed")
# Variants whose PDFs print a word with each page number ("Page 3": large print, easy read):
# the stylesheets print the number only (large-print.css, easy-read.css); the words come
# from the catalogue, the publisher's own over the package's (``words_css``).
PAGE_WORD = ("large-print", "easy-read")


@dataclass(frozen=True)
class Catalogue:
    """The words of one language, called from templates: ``t("about.title")``."""

    tag: str
    messages: Mapping[str, str | list[str] | tuple[str, ...]]
    status: str = "source"

    def __call__(self, key: str, **values: object) -> Markup:
        """Return a message, escaped, its ``{placeholders}`` filled with escaped values."""
        text = self.messages.get(key)
        if not isinstance(text, str):
            raise RenderError(f"{FOLDER / self.tag}.yml has no message '{key}'")
        return escape(text).format(**values) if values else escape(text)

    def text(self, key: str, **values: object) -> str:
        """Return a message as plain text, for an element's text node (not a template): nothing escaped."""
        text = self.messages.get(key)
        if not isinstance(text, str):
            raise RenderError(f"{FOLDER / self.tag}.yml has no message '{key}'")
        return text.format(**values) if values else text

    def list(self, key: str) -> list[str]:
        """Return a message that is a list of lines (the questions to ask)."""
        items = self.messages.get(key)
        if not isinstance(items, list | tuple):
            raise RenderError(f"{FOLDER / self.tag}.yml has no list '{key}'")
        return [str(item) for item in items]

    def month(self, value: date) -> str:
        """Format a date as its month and year: 'November 2026', 'Tachwedd 2026', '2026年11月'."""
        months = self.list("months")
        return self.text("month", month=months[value.month - 1], year=value.year)

    def join(self, items: Iterable[str]) -> str:
        """Join words as 'a, b and c' in the language."""
        words = list(items)
        if len(words) < 2:
            return "".join(words)
        return str(self.messages["comma"]).join(words[:-1]) + f" {self.messages['and']} " + words[-1]

    def localise(self, variant: Variant) -> Variant:
        """Return the variant with its reader-facing words (cover label, back-matter titles) translated."""
        prefix = "easy_back_matter" if variant.points else "back_matter"
        label = str(self(f"cover_label.{variant.name}")) if variant.cover_label else ""
        if label and variant.sizes and variant.body_pt != variant.default_pt:
            label = str(self("cover_label.size", label=label, pt=f"{variant.body_pt:g}"))
        back = tuple((anchor, str(self(f"{prefix}.{anchor}"))) for anchor, _ in variant.back_matter)
        return dataclasses.replace(variant, cover_label=label, back_matter=back)

    def format_name(self, variant: Variant) -> str:
        """Return how a variant is named in a sentence: 'large print'."""
        return str(self(f"format.{variant.name}"))


def css_string(text: str) -> str:
    """Return text as a quoted CSS string (its backslashes, quotes and line ends escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def words_css(words: Catalogue, variant: str) -> str:
    """Return the CSS that prints the catalogue's words the stylesheets leave out of a PDF.

    The words are the publisher's and the language's (``of``): "Page {n}" at the foot of the
    pages of a variant that names them (``PAGE_WORD``), and the running head of a print
    file's Notes pages (``notes.title``; base.css names none).
    """
    notes = css_string(str(words.messages.get("notes.title", "")))
    css = f".notes {{ string-set: chapter {notes}; }}\n"
    if variant in PAGE_WORD:
        before, _, after = str(words.messages.get("page", "{n}")).partition("{n}")
        content = f"{css_string(before)} counter(page) {css_string(after)}"
        css += f"@page {{ @bottom-center {{ content: {content}; }} }}\n"
    return css


TO_BE_SUPPLIED = "review.to_be_supplied"  # how a paragraph a reviewer must write starts (SRC-TO-BE-SUPPLIED)
# The messages no translation prints: the catalogue's English pages' own (a language's page
# shows none of them) and the opening of a part to be supplied (read, in every language,
# as the publisher words it in English too: supplied_by). Every other message a publisher
# sets in English wants its words in each language translated into (TRN-MESSAGES).
ENGLISH_PAGES = (  # the prefixes of the English pages' keys
    "catalogue.home.",
    "catalogue.filter.",
    "catalogue.format_page.",
    "catalogue.booklet.",
    "catalogue.card.",
    "catalogue.order.",
    "catalogue.column.",
    "catalogue.example.",
)
ENGLISH_ONLY = frozenset(
    {
        TO_BE_SUPPLIED,
        "catalogue.printed",
        "catalogue.shop_link",
        "catalogue.how_link",
        "catalogue.need_format",
        "catalogue.need_format_email",
        "catalogue.also_in",
        "catalogue.cover_alt",
        "catalogue.credits",
        "catalogue.braille_code",
        "catalogue.braille_ueb",
        "catalogue.braille_of",
    }
)


def printed_in_translations(key: str) -> bool:
    """Tell whether a translation (its booklets, its catalogue page) prints a message."""
    return key not in ENGLISH_ONLY and not key.startswith(ENGLISH_PAGES)


def supplied_by(publisher: Publisher, tag: str = "") -> tuple[str, ...]:
    """Return the publisher's own openings of a part to be supplied: in the original's language and ``tag``'s.

    publisher.yml may word it its own way (``messages: {review.to_be_supplied: ...}``); the
    package's words (rules.to_be_supplied) still count besides them.
    """
    tags = ("", tag) if tag and tag != SOURCE else ("",)
    return tuple(dict.fromkeys(str(w) for t in tags if (w := publisher.messages_in(t).get(TO_BE_SUPPLIED))))


@functools.lru_cache(maxsize=64)
def of(publisher: Publisher, tag: str = SOURCE) -> Catalogue:
    """Return a language's catalogue with the publisher's own words over the package's.

    The publisher's ``messages:`` are in the original's language (``SOURCE``); its words in
    another language are under ``translations: {<tag>: {messages: ...}}`` of publisher.yml.
    """
    catalogue = load(tag)
    own = publisher.messages_in("" if tag == SOURCE else tag)
    if not own:
        return catalogue
    return dataclasses.replace(catalogue, messages={**catalogue.messages, **own})


@functools.cache
def load(tag: str = SOURCE) -> Catalogue:
    """Return the catalogue of a language (read once); RenderError when it is missing or malformed."""
    path = FOLDER / f"{tag}.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RenderError(f"the template's words could not be read ({exc})", path) from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), dict):
        raise RenderError("should have 'status:' and 'messages:'", path)
    if data.get("status") not in STATUSES:
        raise RenderError(f"'status:' should be one of {', '.join(STATUSES)}", path)
    return Catalogue(tag, data["messages"], data["status"])
