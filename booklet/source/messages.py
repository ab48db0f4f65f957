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
# Variants whose stylesheet prints the word "Page" before the page number (large-print.css,
# easy-read.css: '@bottom-center { content: "Page " counter(page) }'): a translation's PDF
# gets the word of its language instead.
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

    def list(self, key: str) -> list[str]:
        """Return a message that is a list of lines (the questions to ask)."""
        items = self.messages.get(key)
        if not isinstance(items, list | tuple):
            raise RenderError(f"{FOLDER / self.tag}.yml has no list '{key}'")
        return [str(item) for item in items]

    def month(self, value: date) -> str:
        """Format a date as its month and year: 'November 2026', 'Tachwedd 2026', '2026年11月'."""
        months = self.list("months")
        return str(self("month", month=months[value.month - 1], year=value.year))

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


def page_css(tag: str, variant: str) -> str:
    """Return CSS that prints a translation's word for "Page" before its page numbers ('' when none)."""
    if not tag or variant not in PAGE_WORD:
        return ""
    pattern = str(load(tag).messages.get("page", "{n}")).replace("\\", "").replace('"', "")
    before, _, after = pattern.partition("{n}")
    return f'@page {{ @bottom-center {{ content: "{before}" counter(page) "{after}"; }} }}\n'


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
