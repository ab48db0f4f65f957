"""Load a booklet's translations once, with the same source rules as the original, and compare them with it.

```
content/<slug>/translations/<lang>/booklet.md     # lang: a tag of booklet/languages.py (cy, ar, zh-Hans...)
content/<slug>/translations/<lang>/easy-read.md   # optional
```

A translation's front matter has its own title, subtitle, summary and glossary, and
``translated_from:`` (the English edition and published date it was made from); code,
dates, references, reviews and publisher come from the English booklet.md. Pictures are
the original's (``images/`` of the booklet's folder), unless the translation has its own
version of one, with its words translated: a file of the same name in its own ``images/``
(``translations/<lang>/images/cancer-spread.svg``). A translation is returned as a
:class:`~booklet.source.content.Loaded` of its own: its problems stop only its own variants.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Problem
from ..languages import LANGUAGES, Language
from ..model import TRANSLATION_KINDS, Booklet, Metadata, Publisher, Questions, Source, Translation
from . import content, fields, frontmatter, messages, pictograms, rules, schema

FOLDER = "translations"
UNKNOWN = rules.Rule("TRN-LANGUAGE", "error", "a translation's folder is not a language booklet knows")
STALE = rules.Rule("TRN-STALE", "warning", "a translation was made from an older English edition")
DRIFT = rules.Rule("TRN-STRUCTURE", "error", "a translation's chapters, citations or pictures differ")
NO_ORIGINAL = rules.Rule("TRN-ORIGINAL", "error", "a translation has no original text of that variant")
PICTURE_WORDS = rules.Rule(
    "TRN-PICTURE-WORDS", "warning", "a translation shows a picture whose words are in the original's language"
)
QUESTIONS = rules.Rule(
    "TRN-QUESTIONS", "warning", "the original suggests its own questions, and the translation does not"
)
MESSAGES = rules.Rule(
    "TRN-MESSAGES",
    "warning",
    "publisher.yml words a message in English, and not in a language translated into",
)
RULES = (UNKNOWN, STALE, DRIFT, NO_ORIGINAL, PICTURE_WORDS, QUESTIONS, MESSAGES)


def translated_from(value: Any) -> tuple[str, date]:
    """Parse ``translated_from:``: the English ``edition`` and ``published`` date translated."""
    table = (
        fields.Field("edition", schema.edition, default=""),
        fields.Field("published", fields.iso_date, required=True),
    )
    values, problems = fields.parse_fields(value, table)
    if problems:
        raise fields.Invalid(str(problems[0]), problems[0].loc)
    return values["edition"], values["published"]


def _yes_no(value: Any) -> bool:
    if not isinstance(value, bool):
        raise fields.Invalid("should be true or false")
    return value


FIELDS = (
    fields.Field("title", fields.text, required=True, hint="write the title in the translation's language"),
    fields.Field("subtitle", fields.text, default=""),
    fields.Field("summary", fields.text, default=""),
    fields.Field(
        "glossary", schema.glossary, default=(), hint="write each word as 'word: a plain explanation'"
    ),
    fields.Field(
        "language",
        fields.text,
        default="",
        hint="leave it out, or write the folder's name: the folder's name is the translation's language",
    ),
    fields.Field(
        "translated_from",
        translated_from,
        required=True,
        hint="write the English edition and date it was made from: 'translated_from: {edition: 1st edition, "
        "published: 2026-11-01}'",
    ),
    fields.Field(
        "translation",
        fields.choice(TRANSLATION_KINDS),
        default="full",
        hint="'full' (the default) follows the original chapter by chapter; 'summary' is a shorter "
        "text of its own, marked as a summary on its cover and in the catalogue",
    ),
    fields.Field("questions", schema.questions, default=None, hint=schema.QUESTIONS_HINT),
    fields.Field(
        "translator_reviewed",
        _yes_no,
        default=False,
        hint="true once a professional translator has reviewed it (until then it says it needs review)",
    ),
)


def discover(folder: Path) -> list[str]:
    """Return the language tags of a booklet's translations (folders holding booklet.md), sorted."""
    return sorted(p.parent.name for p in (folder / FOLDER).glob(f"*/{content.BOOKLET_FILE}"))


def load(english: content.Loaded, easy_read: bool = True) -> tuple[content.Loaded, ...]:
    """Load every translation of a loaded booklet (none when it has no translations folder)."""
    return tuple(_load(english, tag, easy_read) for tag in discover(english.folder))


def _load(english: content.Loaded, tag: str, easy_read: bool) -> content.Loaded:
    slug, folder = english.slug, english.folder / FOLDER / tag
    path = folder / content.BOOKLET_FILE
    names = content.variants_in(folder)  # its own sources: a translation may have no easy read
    language = LANGUAGES.get(tag)
    if language is None:
        message = f"'{tag}' is not a language booklet can set; the languages are: {', '.join(LANGUAGES)}"
        fix = "name the folder by one of those BCP 47 tags, or add the language to booklet/languages.py"
        problem = UNKNOWN.at(slug, folder, None, message, fix)
        return content.Loaded(slug, folder, None, (problem,), variant_names=names)
    try:
        data, source = content.read_source(path, english.folder.parent)
    except ContentError as exc:
        return content.Loaded(slug, folder, None, _owned(exc.problems, slug), variant_names=names)
    problems: list[Problem] = []
    meta: Metadata | None = None
    original = english.booklet
    values: dict[str, Any] = {}
    try:
        values = schema.validate(path, data, source.front, 2, FIELDS)
        meta = _metadata(original.meta, values, language) if original else None
        problems += _language_key(values, tag, path, source, slug)
    except ContentError as exc:
        problems += _owned(exc.problems, slug)
    ref_ids = [r.id for r in original.meta.references] if original else None
    approved = original is not None and not original.meta.draft  # a translation has its original's status
    supplied = messages.supplied_by(original.publisher, tag) if original else ()
    scope = rules.Scope(
        slug,
        path,
        english.folder,
        ref_ids,
        approved=approved,
        fonts=language.fonts,
        lang=tag,
        supplied=supplied,
    )
    problems += rules.check(source.tree, scope)
    source = dataclasses.replace(source, cited=tuple(rules.cited(source.tree)))
    sources, easy, front = [source], None, dict[str, Any]()
    easy_path = folder / content.EASY_READ_FILE
    if easy_read and os.path.lexists(easy_path):
        easy, front, found = _easy_read(
            easy_path, slug, english.folder, ref_ids, language, approved, supplied
        )
        problems += found
        sources += [easy] if easy else []
    if original is not None:
        if not (isinstance(data, dict) and data.get("translation") == "summary"):  # a full translation
            problems += drift(original.source, source, slug)
        problems += _questions(original.meta, values, source, slug) if meta is not None else []
        if easy is not None and original.easy_read is not None:
            problems += drift(original.easy_read, easy, slug)
        elif easy is not None and not os.path.lexists(english.folder / content.EASY_READ_FILE):
            problems.append(
                NO_ORIGINAL.at(
                    slug,
                    easy.path,
                    None,
                    "has no English easy-read.md to follow",
                    "write the English easy read first, or remove this file",
                )
            )
        if meta is not None and meta.translation is not None:
            problems += stale(original.meta, meta.translation, source, slug)
    own, found = pictures(english.folder, folder, sources, slug, language)
    problems += found
    if meta is None or original is None:
        return content.Loaded(slug, folder, None, tuple(problems), (), tuple(sources), names)
    booklet = dataclasses.replace(
        original,
        meta=meta,
        source=source,
        easy_read=easy,
        easy_read_title=front.get("title", ""),
        easy_read_subtitle=front.get("subtitle", ""),
        easy_read_cover=content.cover(front, easy) if easy else original.easy_read_cover,
        easy_read_questions=front.get("questions") or Questions(page=original.easy_read_questions.page),
        lang=tag,
        own_pictures=own,
        variant_names=names,
    )
    return content.Loaded(slug, folder, booklet, tuple(problems), (), tuple(sources), names)


def _metadata(original: Metadata, values: dict[str, Any], language: Language) -> Metadata:
    """Return a translation's metadata: its own words over the original's facts."""
    edition, published = values["translated_from"]
    return dataclasses.replace(
        original,
        title=values["title"],
        subtitle=values["subtitle"],
        summary=values["summary"],
        glossary=values["glossary"],
        language=language.tag,
        translation=Translation(
            language.tag,
            edition,
            published,
            values["translator_reviewed"],
            original.language,
            values["translation"],
        ),
        questions=values["questions"] or Questions(page=original.questions.page),
    )


def _questions(original: Metadata, values: dict[str, Any], source: Source, slug: str) -> list[Problem]:
    """Warn when the original suggests its own questions and the translation gives none in its language."""
    if original.questions.own is None or not original.questions.page or values["questions"] is not None:
        return []
    message = (
        "the original suggests its own questions ('questions:' of its front matter); this translation "
        "prints the publisher's list in its language instead"
    )
    fix = "translate the original's questions under 'questions:' in this file's front matter"
    return [QUESTIONS.at(slug, source.path, source.body_line - 1, message, fix)]


def untranslated_messages(content_dir: Path, publisher: Publisher, tag: str, slug: str) -> list[Problem]:
    """Warn of each message publisher.yml words in English (``messages:``) and not in the language ``tag``.

    A translation prints the package's words for it in its language (messages.of), not the
    publisher's: the warning names the key's line in publisher.yml. A message no translation
    prints (the catalogue's English pages' own) is left out.
    """
    own = publisher.messages_in(tag)
    missing = [
        key for key, _ in publisher.messages if key not in own and messages.printed_in_translations(key)
    ]
    if not missing:
        return []
    path = content_dir / content.PUBLISHER_FILE
    _, node = frontmatter.load(path, frontmatter.read_text(path, content_dir), 1)
    mapping = node.value if isinstance(node, yaml.MappingNode) else []
    words = next((value for key, value in mapping if key.value == "messages"), None)
    name = LANGUAGES[tag].name
    return [
        MESSAGES.at(
            slug,
            path,
            frontmatter.key_line(words, key, 1),
            f"'{key}' is set under messages: in English only: the {name} translations print the "
            "package's words for it, not yours",
            f"add '{key}' in {name} under translations: {tag}: messages: of publisher.yml",
        )
        for key in missing
    ]


def _language_key(values: dict[str, Any], tag: str, path: Path, source: Source, slug: str) -> list[Problem]:
    if not values["language"] or values["language"] == tag:
        return []
    line = frontmatter.key_line(source.front, "language", 2)
    message = f"'language: {values['language']}' differs from the folder's name '{tag}'"
    return [UNKNOWN.at(slug, path, line, message, f"write 'language: {tag}' or leave the key out")]


def _easy_read(
    path: Path,
    slug: str,
    folder: Path,
    ref_ids: list[str] | None,
    language: Language,
    approved: bool,
    supplied: tuple[str, ...] = (),
) -> tuple[Source | None, dict[str, Any], list[Problem]]:
    """Load a translated easy-read.md: front matter and the source rules (pictograms allowed)."""
    try:
        data, easy = content.read_source(path, folder.parent)
        front = dict(schema.easy_read_front(path, data, easy.front, 2))
    except ContentError as exc:
        return None, {}, list(_owned(exc.problems, slug))
    scope = rules.Scope(
        slug,
        path,
        folder,
        ref_ids,
        icons=True,
        approved=approved,
        fonts=language.fonts,
        lang=language.tag,
        supplied=supplied,
    )
    problems = list(rules.check(easy.tree, scope))
    return dataclasses.replace(easy, cited=tuple(rules.cited(easy.tree))), front, problems


def pictures(
    original: Path, folder: Path, sources: Iterable[Source], slug: str, language: Language
) -> tuple[tuple[str, ...], list[Problem]]:
    """Return the pictures a translation has its own version of, and the problems of its pictures.

    An own version is a file of the same name in the translation's ``images/``, and must be a
    usable picture (SRC-IMAGE-FILE). A picture with words (an SVG's ``<text>``) shown as the
    original's, or an own version still with the original's words, is TRN-PICTURE-WORDS.
    """
    own: dict[str, None] = {}
    problems: list[Problem] = []
    for source in sources:
        for line, src in _pictures_of(source):
            if rules.picture_problem(src, original) is not None:
                continue  # SRC-IMAGE-FILE says what is wrong with it
            mine, words = folder / src, svg_words(original / src)
            if not os.path.lexists(mine):
                if words:
                    message = (
                        f"picture '{src}' shows words in the original's language ({', '.join(words)}), "
                        "and the translation has no version of its own"
                    )
                    fix = f"put a copy with the words in {language.name} at {mine} (the same file name)"
                    problems.append(PICTURE_WORDS.at(slug, source.path, line, message, fix))
            elif problem := rules.picture_problem(src, folder):
                fix = f"make {mine} a picture file (SVG, PNG or JPEG), or remove it to show the original's"
                message = f"the translation's own version: {problem}".replace("booklet's", "translation's")
                problems.append(rules.IMAGE_FILE.at(slug, source.path, line, message, fix))
            else:
                own[src] = None
                if words and svg_words(mine) == words:
                    message = f"the translation's own version of '{src}' still has the original's words"
                    fix = f"write the words of {mine} ({', '.join(words)}) in {language.name}"
                    problems.append(PICTURE_WORDS.at(slug, source.path, line, message, fix))
    return tuple(own), problems


def _pictures_of(source: Source) -> Iterator[tuple[int, str]]:
    """Yield the line and address of each of a source's own pictures (not pictograms)."""
    for _, span in source.tree.spans():
        if span.kind == "image" and not span.href.startswith(pictograms.SCHEME):
            yield span.line, span.href


def svg_words(path: Path) -> tuple[str, ...]:
    """Return the words an SVG picture shows: its ``<text>`` elements holding a letter (not numbers alone)."""
    if path.suffix.lower() != ".svg" or not path.is_file():
        return ()
    info = path.stat()
    return _svg_words(path, info.st_size, info.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _svg_words(path: Path, size: int, mtime_ns: int) -> tuple[str, ...]:
    """Read an SVG's words once per version of the file (size and time tell versions apart)."""
    try:
        root = ET.fromstring(path.read_bytes())  # expat: no external entities, no entity bombs
    except (OSError, ET.ParseError):
        return ()  # the renderer refuses a picture it cannot read, naming it
    found = (" ".join("".join(el.itertext()).split()) for el in root.iter() if _local(el.tag) == "text")
    return tuple(dict.fromkeys(words for words in found if any(c.isalpha() for c in words)))


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def shape(source: Source) -> dict[str, list[Any]]:
    """Return what a translation must keep of its original: heading levels, citations, pictures."""
    return {
        "heading levels": [b.level for b in source.tree.headings()],
        "citations": rules.cited(source.tree),
        "pictures": [s.href for _, s in source.tree.spans() if s.kind == "image"],
    }


def drift(original: Source, translated: Source, slug: str) -> list[Problem]:
    """Return an error for each way a translation's structure differs from its original."""
    problems = []
    theirs, ours = shape(original), shape(translated)
    for what, want in theirs.items():
        got = ours[what]
        if got != want:
            message = f"its {what} differ from {original.path.name} of the original: {_differ(want, got)}"
            fix = f"translate {original.path} as it is now: its chapters, sections, citations and pictures"
            problems.append(DRIFT.at(slug, translated.path, translated.body_line, message, fix))
    return problems


def _differ(want: list[Any], got: list[Any]) -> str:
    """Say where two lists first differ, briefly."""
    if len(want) != len(got):
        return f"{len(got)} in the translation, {len(want)} in the original"
    n, (a, b) = next((n, pair) for n, pair in enumerate(zip(want, got, strict=True), 1) if pair[0] != pair[1])
    return f"number {n} is {b!r} in the translation, {a!r} in the original"


def stale(original: Metadata, made: Translation, source: Source, slug: str) -> list[Problem]:
    """Return a warning when a translation was made from an older edition than the original's now."""
    if made.edition == original.edition and made.published >= original.published:
        return []
    line = source.front_line("translated_from")
    message = (
        f"was translated from the {made.edition or 'edition'} of {made.published.isoformat()}; the English "
        f"booklet is now the {original.edition or 'edition'} of {original.published.isoformat()}"
    )
    fix = "have the changes translated, then update 'translated_from:'"
    return [STALE.at(slug, source.path, line, message, fix)]


def _owned(problems: Iterable[Problem], slug: str) -> tuple[Problem, ...]:
    return tuple(dataclasses.replace(p, booklet=slug) for p in problems)


def current(booklet: Booklet) -> bool:
    """Return whether a translation follows the original's current edition."""
    return (
        not stale(booklet.meta, booklet.meta.translation, booklet.source, booklet.slug)
        if (booklet.meta.translation)
        else True
    )
