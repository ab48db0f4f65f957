"""booklet new: a commented booklet to start from, which builds at once as a draft.

Every front-matter key of the schema (:data:`booklet.source.schema.BOOKLET_FIELDS`) is
written with a one-line explanation from :data:`KEYS`, so the list cannot drift from what
the loader accepts (tests/test_scaffold.py compares them). The body shows a sample of each
construct a writer may use: chapters and sections, a table, a box, a citation, a glossary
word, a picture and the publisher's details. Its instructions are paragraphs starting
"To be supplied by the writer:", boxed in every draft and an error in an approved booklet
(SRC-TO-BE-SUPPLIED), so none can be published by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from .. import output
from ..errors import ConfigError
from ..languages import LANGUAGES
from . import content, frontmatter, scaffold_publisher, schema, translations
from .scaffold_keys import Key, entry

RETIRED = ("reviewed_by",)  # keys the schema still reads only to say how to move on from them
OPTIONAL_ONLY = ("questions",)  # shown commented out, whether or not this version reads them yet


KEYS: dict[str, Key] = {
    "title": Key("The booklet's title: on the cover, in the contents and in the catalogue.", "{title}"),
    "subtitle": Key(
        "One line under the title on the cover (delete this line for none).",
        "Information for patients and their families",
    ),
    "code": Key("The order code: capitals, digits and hyphens, different for every booklet.", "{code}"),
    "edition": Key(
        "The edition: a number (2 prints '2nd edition', and a translation says it in its language).", "1"
    ),
    "language": Key("The language the booklet is written in (a BCP 47 tag).", "en-GB"),
    "published": Key("The date this edition is published, YYYY-MM-DD.", "{published}"),
    "next_review": Key(
        "When it must be reviewed again: after 'published', at most 3 years on.", "{next_review}"
    ),
    "status": Key(
        "draft while you write, in-review while reviewers read it, approved once a clinical "
        "and a lay reviewer approved it.",
        "draft",
    ),
    "reviews": Key(
        "Each review that happened: kind (clinical, lay or editorial), role, date, outcome.",
        "\n  - kind: clinical\n    role: Consultant gastroenterologist\n    date: {published}\n"
        "    outcome: approved",
        commented=True,
    ),
    "summary": Key(
        "One paragraph on 'About this booklet' and in the catalogue.",
        ">-\n  This booklet is for people who are going to have this test. It says what happens,\n"
        "  how to get ready and who to ask for help.",
    ),
    "references": Key(
        "The sources the text cites as [@id]: the reference exactly as printed, and a doi or url.",
        '\n  - id: nhs-example\n    text: "NHS. Health A to Z [accessed {month}]."\n    url: https://www.nhs.uk/',
    ),
    "glossary": Key(
        "Medical words and a plain explanation, printed as 'Medical words explained'.",
        "\n  biopsy: Taking a small piece of tissue from the body so it can be looked at under a microscope.",
    ),
    "ignore": Key(
        "Checks silenced for the whole booklet, each with the reason (docs/checks.md).",
        "\n  - rule: VOC-LONG-WORD\n    reason: the long words are the names of the tests",
        commented=True,
    ),
    "questions": Key(
        "Your own questions for 'Questions to ask your doctor' (left out: the publisher's list).",
        "\n  - How long will the test take?\n  - When will I get the results?",
        commented=True,
        forms=(
            ("Or the page with room for notes and no suggested questions:", "[]"),
            ("Or no such page at all:", "false"),
        ),
    ),
}

BODY = """\
# What this booklet is about

To be supplied by the writer: say in 2 or 3 short sentences who this booklet is for and what it
covers.

This is a sample booklet. Each part shows one thing you can write. Change the words, and delete
what you do not need. A link names the page it goes to: read more on the [website of the
National Health Service (NHS)](https://www.nhs.uk/).

## A section

A line that starts with one # is a chapter. A line that starts with ## is a section of a
chapter, and ### is a part of a section. Do not skip a level.

Write short sentences and everyday words. A medical word, such as a **biopsy**, is explained in
the glossary at the top. The list of medical words is printed at the end of the booklet.

# How to get ready

To be supplied by the writer: what the reader does before the test, in the order they do it.

A table needs a header row:

| When | What to do |
|---|---|
| 1 week before | Stop taking iron tablets. |
| The day before | Eat only plain white food. |

> [!IMPORTANT]
> Call us straight away if you feel very unwell. A box like this one is for a warning or for
> help the reader needs now (docs/writing.md, The body, lists its kinds).

Say where each fact comes from. A citation names a reference from the top of this file, and the
booklet lists the references at the end [@nhs-example].

A picture needs alt text that says what it shows; a title in quotes is printed as its caption.

![A calendar with one day marked](images/example.svg "Your test day")

You can call us on {publisher.helpline} ({publisher.helpline_hours}).
"""

# The sample picture: drawn for this scaffold (a calendar with one day ringed), no words in it.
PICTURE = """\
<svg xmlns="http://www.w3.org/2000/svg" width="180" height="150" viewBox="0 0 120 100">
  <rect x="10" y="14" width="100" height="80" rx="6" fill="#ffffff" stroke="#1a1a1a"
stroke-width="4"/>
  <rect x="10" y="14" width="100" height="18" rx="6" fill="#1a1a1a"/>
  <path d="M32 6v16M88 6v16" stroke="#1a1a1a" stroke-width="6" stroke-linecap="round"/>
  <g fill="#1a1a1a">
    <rect x="22" y="42" width="12" height="10"/><rect x="42" y="42" width="12" height="10"/>
    <rect x="62" y="42" width="12" height="10"/><rect x="82" y="42" width="12" height="10"/>
    <rect x="22" y="62" width="12" height="10"/><rect x="42" y="62" width="12" height="10"/>
    <rect x="82" y="62" width="12" height="10"/>
  </g>
  <circle cx="68" cy="67" r="12" fill="none" stroke="#c0392b" stroke-width="4"/>
</svg>
"""

EASY_READ = """\
---
# The easy read: the same booklet in short sentences, each point with a picture.
# Its code, dates and publisher come from booklet.md.
title: {title}
# One line under the title on the cover (delete it for none).
subtitle: Easy read information
# A picture for the cover: icon:NAME (booklet icons WORD finds one) or images/file.svg.
cover_picture: icon:health_literacy
# What the cover picture shows.
cover_alt: An open booklet
{questions}---

# About this booklet

![An open booklet](icon:health_literacy) This booklet tells you what will happen. Each point
starts with a picture.

![2 people talking together](icon:group_discussion_meeting) You can read this booklet with a
person you trust.

# What happens

![A doctor](icon:doctor) A doctor will look inside your body. This is called a **test**.

![A letter in an envelope](icon:envelope) We will send you a letter with the day of your test.

# Hard words

![A closed book](icon:book) **Test**: a way for a doctor to find out about your body.
"""


def write(
    content_dir: Path, slug: str, easy_read: bool, languages: tuple[str, ...], today: date
) -> list[Path]:
    """Write a new booklet (or, for one that exists, its easy read or translations); return the files.

    Refuses, with a ConfigError that says what to do, a slug that is not one, a booklet that
    exists when nothing is added to it, a file that exists, and a language not in the table.
    """
    if not content.SLUG_RE.match(slug):
        raise ConfigError(
            f"'{slug}' is not a booklet slug: use lower-case letters, digits and hyphens, "
            "for example: booklet new having-a-colonoscopy"
        )
    for lang in languages:
        if lang not in LANGUAGES:
            raise ConfigError(
                f"--translation {lang}: not a language booklet can print; use one of {', '.join(LANGUAGES)}"
            )
    folder = content_dir / slug
    files: dict[Path, bytes] = {}
    if not (content_dir / content.PUBLISHER_FILE).exists():  # a new folder: its publisher, to fill in
        files[content_dir / content.PUBLISHER_FILE] = scaffold_publisher.publisher_text().encode()
    if (folder / content.BOOKLET_FILE).exists():
        if not easy_read and not languages:
            raise ConfigError(
                f"{folder} already exists: choose another slug, or add to it with --easy-read or "
                "--translation LANG"
            )
        english = (folder / content.BOOKLET_FILE).read_text(encoding="utf-8")
    elif folder.exists():
        raise ConfigError(f"{folder} already exists and is not a booklet: choose another slug")
    else:
        code = _unused_code(content_dir, slug) if content_dir.is_dir() else _initials(slug) + "-01"
        english = booklet_text(slug, code, today)
        files[folder / content.BOOKLET_FILE] = english.encode()
        files[folder / "images" / "example.svg"] = PICTURE.encode()
    if easy_read:
        files[folder / content.EASY_READ_FILE] = easy_read_text(_title(english)).encode()
    for lang in languages:
        files |= translation_files(folder, english, lang, files.get(folder / content.EASY_READ_FILE))
    for path in files:
        if path.exists():
            raise ConfigError(f"{path} already exists: nothing was written")
    return output.write_all(files)


def booklet_text(slug: str, code: str, today: date) -> str:
    """Return a new booklet.md: every key explained, then a body with a sample of each construct."""
    values = {
        "title": slug.replace("-", " ").capitalize(),
        "code": code,
        "published": today.isoformat(),
        "next_review": _years_on(today, 3).isoformat(),
        "month": today.strftime("%B %Y"),
    }
    lines = [
        "---",
        "# The front matter: what the booklet is. Each key is explained on the line above it;",
        "# a line starting with # is a comment. docs/writing.md says more about each.",
    ]
    for name in front_keys():
        key = KEYS[name]
        lines += ["", f"# {key.explain}"]
        lines += entry(name, key, values)
    return "\n".join([*lines, "---", "", BODY])


def front_keys() -> list[str]:
    """Return the keys written: the schema's, in order, then the optional ones it does not read yet."""
    names = [f.name for f in schema.BOOKLET_FIELDS if f.name not in RETIRED]
    return names + [n for n in OPTIONAL_ONLY if n not in names]


def easy_read_text(title: str) -> str:
    """Return a new easy-read.md whose points each start with a picture, ending with its hard words."""
    key = KEYS["questions"]
    questions = "".join(f"{line}\n" for line in [f"# {key.explain}", *entry("questions", key, {})])
    return EASY_READ.format(title=title, questions=questions)


def translation_files(
    folder: Path, english: str, lang: str, easy_read: bytes | None = None
) -> dict[Path, bytes]:
    """Return a translation's sources: the English text to translate, under front matter of its own.

    The body is the English one, so the structure matches (TRN-STRUCTURE) and it builds at
    once; the translator replaces the words. A translated easy read is made when the English
    booklet has one.
    """
    where = folder / translations.FOLDER / lang
    edition, published = _edition(folder / content.BOOKLET_FILE, english)
    files = {where / content.BOOKLET_FILE: _translated(english, lang, edition, published).encode()}
    source = easy_read.decode() if easy_read is not None else None
    if source is None and (folder / content.EASY_READ_FILE).is_file():
        source = (folder / content.EASY_READ_FILE).read_text(encoding="utf-8")
    if source is not None:
        _, body, _ = frontmatter.split(folder / content.EASY_READ_FILE, source)
        files[where / content.EASY_READ_FILE] = (
            f"---\n# The easy read in {LANGUAGES[lang].name}: translate the title and every point.\n"
            f"title: {_title(source)}\n---\n{body}"
        ).encode()
    return files


def _translated(english: str, lang: str, edition: str, published: date) -> str:
    """Return a translation's booklet.md made from the English one."""
    _, body, _ = frontmatter.split(Path(content.BOOKLET_FILE), english)
    name = LANGUAGES[lang].name
    return (
        "---\n"
        f"# The {name} translation. Translate the title, the text below and the glossary; code,\n"
        "# dates, references and reviews come from the English booklet.md.\n"
        f"title: {_title(english)}\n"
        "# The English edition and date this translation was made from (a newer English edition\n"
        "# makes booklet check say the translation is out of date).\n"
        f"translated_from:\n  edition: {edition or '1st edition'}\n  published: {published.isoformat()}\n"
        "# Set to true once a professional translator has reviewed it.\n"
        "translator_reviewed: false\n"
        "# full (the default) follows the English chapter by chapter; summary is a shorter text of\n"
        "# its own, with its own chapters (what it cites and shows must be the original's).\n"
        "# translation: summary\n"
        f"---\n{body}"
    )


def _edition(path: Path, text: str) -> tuple[str, date]:
    """Return the English booklet's edition and published date, read from its front matter."""
    front, _, first = frontmatter.split(path, text)
    data, _ = frontmatter.load(path, front, first)
    values: Mapping[str, object] = data if isinstance(data, dict) else {}
    try:
        return schema.edition(values.get("edition") or ""), schema.iso_date(values.get("published"))
    except schema.Invalid as exc:
        raise ConfigError(f"{path}: 'published' {exc}; fix it before adding a translation") from None


def _title(text: str) -> str:
    """Return the title line's value of a source's front matter, quoted for YAML."""
    for line in text.splitlines():
        if line.startswith("title:"):
            return line.removeprefix("title:").strip()
    return "Title"


def _unused_code(content_dir: Path, slug: str) -> str:
    """Return an order code made of the slug's initials that no booklet of the folder has yet."""
    initials = _initials(slug)
    taken = {content.peek_code(content_dir, s) for s in content.discover(content_dir)}
    number = 1
    while f"{initials}-{number:02}" in taken:
        number += 1
    return f"{initials}-{number:02}"


def _initials(slug: str) -> str:
    """Return an order code's letters made from a slug: 'having-a-colonoscopy' -> 'HAC'."""
    initials = "".join(word[0] for word in slug.split("-") if word).upper()[:6]
    return initials if len(initials) > 1 else slug[:3].upper()


def _years_on(day: date, years: int) -> date:
    """Return the same day ``years`` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
