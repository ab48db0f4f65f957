"""Rules of a Markdown source, read from its parse tree: each rule is defined here once.

The build and ``booklet check`` report exactly the same problems for them; an error stops
the variants made from that source, a warning does not. Each :class:`Rule` has a stable id
(docs/checks.md describes every one).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Problem, Severity
from ..languages import LATIN
from . import messages, pictograms
from .elements import CALLOUTS
from .tree import MAX_NESTING, Block, ConstructKind, Tree, is_ignore


@dataclass(frozen=True)
class Rule:
    """A rule: its stable id, its severity and a one-line summary (docs/checks.md says more)."""

    id: str
    severity: Severity
    summary: str

    def at(self, booklet: str, path: Path, line: int | None, message: str, fix: str = "") -> Problem:
        """Return a problem of this rule."""
        return Problem(path, message, line, fix, self.id, self.severity, booklet)


HEADING_SKIP = Rule("SRC-HEADING-SKIP", "error", "a heading skips a level")
CITATION = Rule("REF-CITATION-UNRESOLVED", "error", "a citation is not written right or names no reference")
IMAGE_ALT = Rule("SRC-IMAGE-ALT", "error", "a picture has no alt text, or alt text that says nothing")
IMAGE_FILE = Rule("SRC-IMAGE-FILE", "error", "a picture is not a file of the booklet's images/ folder")
PLACEHOLDER = Rule("SRC-PLACEHOLDER", "error", "a {publisher.x} placeholder names no publisher detail")
RAW_HTML = Rule("SRC-RAW-HTML", "error", "raw HTML is written in the Markdown")
TABLE_HEADER = Rule("SRC-TABLE-HEADER", "error", "a table has no header row, or an empty header cell")
LINK_TEXT = Rule("SRC-LINK-TEXT", "error", "link text does not say where the link goes")
LINK_TARGET = Rule("SRC-LINK-TARGET", "error", "a link goes somewhere a booklet may not link to")
BARE_URL = Rule("SRC-BARE-URL", "warning", "a web address is written out in the text")
CODE_BLOCK = Rule("SRC-CODE-BLOCK", "error", "text is set as a code block (indented 4 spaces, or fenced)")
NESTING = Rule("SRC-NESTING", "error", "lists or quotes are nested more than 8 deep")
UNFINISHED = Rule(
    "SRC-TO-BE-SUPPLIED", "error", "an approved booklet still has a part marked 'To be supplied by ...'"
)
GLYPH = Rule("SRC-GLYPH", "error", "a character has no glyph in the fonts of fonts/")
BLOCK_LONG = Rule(
    "SRC-BLOCK-LONG", "error", "a paragraph, list item, table cell or heading is over 2,000 characters"
)
FOOTNOTE = Rule("SRC-FOOTNOTE", "error", "a footnote ([^1]) is written")
DEFINITION_LIST = Rule("SRC-DEFINITION-LIST", "error", "a definition list (a line starting ': ') is written")
TASK_LIST = Rule("SRC-TASK-LIST", "error", "a task list item ('- [ ]') is written")
STRIKETHROUGH = Rule("SRC-STRIKETHROUGH", "error", "words are struck through (~~like this~~)")
HEADING_LINK = Rule("SRC-HEADING-LINK", "error", "a heading holds a link")
CALLOUT = Rule("SRC-CALLOUT", "error", "a callout box ('> [!WARNING]') is not written right")
RULES = (
    HEADING_SKIP,
    CITATION,
    IMAGE_ALT,
    IMAGE_FILE,
    PLACEHOLDER,
    RAW_HTML,
    TABLE_HEADER,
    LINK_TEXT,
    LINK_TARGET,
    BARE_URL,
    CODE_BLOCK,
    NESTING,
    BLOCK_LONG,
    GLYPH,
    UNFINISHED,
    FOOTNOTE,
    DEFINITION_LIST,
    TASK_LIST,
    STRIKETHROUGH,
    HEADING_LINK,
    CALLOUT,
)
# Markdown a booklet refuses, each with its rule, what is said and how to fix it
# (docs/writing.md, "Markdown you can use", says why each is refused).
REFUSED: dict[ConstructKind, tuple[Rule, str, str]] = {
    "footnote": (
        FOOTNOTE,
        "footnotes are not printed: a reader would have to leave the sentence to find the note",
        "say it in the sentence, or in brackets after it; cite a source with [@id]",
    ),
    "definition list": (
        DEFINITION_LIST,
        "definition lists are not printed: 'Term' then ': meaning' reads as one run-on line",
        "put the word in the front matter's glossary: (printed in 'Medical words explained'), "
        "or write '**Term**: what it means.' as a paragraph",
    ),
    "task list": (
        TASK_LIST,
        "tick boxes are not printed: they cannot be ticked in a PDF, an e-book or braille",
        "write a plain list item: '- Ring the ward'",
    ),
    "heading link": (
        HEADING_LINK,
        "a heading is a name, not a link: the contents list, bookmarks and running heads would "
        "show the words alone, and print could not show where it goes",
        "write the heading as words, and put the link in the text under it",
    ),
    "strikethrough": (
        STRIKETHROUGH,
        "struck-through words are not printed: screen readers and braille read them as if they still held",
        "delete the words (the old edition keeps them)",
    ),
}
CALLOUT_FIX = "start the quote with a line holding only one of " + ", ".join(
    f"[!{kind.upper()}]" for kind in CALLOUTS
)

# Bounded (a citation is a few ids), so that '[@' repeated costs linear time, not quadratic.
CITATION_RE = re.compile(r"\[(@[^\]\n]{0,300}+)\]")
CITE_KEY_RE = re.compile(r"^@([A-Za-z0-9][A-Za-z0-9_.:-]*)$")
# Publisher details may be written into the text: "Call us on {publisher.helpline}."
PLACEHOLDER_RE = re.compile(r"\{publisher\.([a-z_]+)\}")
PLACEHOLDERS = ("name", "short_name", "helpline", "helpline_hours", "email", "website")
MAX_PICTURE_BYTES = 20 * 1024 * 1024  # also the renderer's fetcher limit (fetcher.py)
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
GENERIC_ALT = re.compile(
    r"^(?:(?:an?|the)\s+)?(?:image|picture|photo|photograph|graphic|img|icon|diagram|figure|illustration|"
    r"drawing|logo|chart)s?\s*\d*[.:]?$",
    re.IGNORECASE,
)
FILE_ALT = re.compile(r"\.(?:svg|png|jpe?g|gif|webp)$", re.IGNORECASE)
VAGUE_LINKS = frozenset(
    "click here|here|click|this|this link|link|more|read more|find out more|more information|more info|"
    "this page|page|website|this website|go|see here|details".split("|")
)
URL_RE = re.compile(r"<?\b(?:https?://|www\.)[^\s<>()]*[^\s<>().,;:!?]")
LINK_SCHEMES = ("https:", "http:", "mailto:", "tel:")
# The longest paragraph, list item, table cell or heading (the corpus's longest is 381):
# markdown-it's inline parser takes time that grows faster than a block's length on some text
# ('[' repeated 4,000 times: about 0.25 s), and the rules read a block's text with patterns.
MAX_BLOCK_CHARS = 2000
# A paragraph starting "To be supplied by " (in a translation, its language's words too: the
# message catalogues' 'review.to_be_supplied') is a part a reviewer must write (set as a marked
# box); it stops approval.
TO_BE_SUPPLIED = "review.to_be_supplied"


@functools.cache
def _openings(lang: str) -> tuple[str, ...]:
    """Return the openings of a part to be supplied: English, and a translation's own words."""
    tags = dict.fromkeys((messages.SOURCE, lang) if lang else (messages.SOURCE,))
    return tuple(dict.fromkeys(_plain(str(messages.load(tag).messages[TO_BE_SUPPLIED])) for tag in tags))


def _plain(text: str) -> str:
    """Return text as compared: NFKC (full-width colon, Arabic forms), one apostrophe."""
    return unicodedata.normalize("NFKC", text).replace("\u2019", "'")


def to_be_supplied(text: str, lang: str = "", own: Sequence[str] = ()) -> bool:
    """Tell whether a paragraph is a part a reviewer must write ('To be supplied by ...', or in ``lang``).

    ``own``: the publisher's own openings (publisher.yml's, messages.supplied_by), besides.
    """
    return _plain(text).startswith(_openings(lang) + tuple(_plain(words) for words in own))


@dataclass(frozen=True)
class Scope:
    """What a source's rules need to know beyond its tree."""

    booklet: str  # slug
    path: Path  # the source file
    folder: Path  # the booklet's folder
    ref_ids: Sequence[str] | None  # the references citations may name (None: unknown, not checked)
    icons: bool = False  # icon:name pictograms allowed (easy read)
    approved: bool = False  # the booklet's status is 'approved': nothing may be left to supply
    fonts: tuple[str, ...] = LATIN  # the font families that set the text (a translation's language's)
    lang: str = ""  # a translation's language ('' for the original): its words mark parts to be supplied
    supplied: tuple[str, ...] = ()  # the publisher's own words marking them (messages.supplied_by)


def check(tree: Tree, scope: Scope) -> Iterator[Problem]:
    """Yield every problem of a source's body, in the order of the text."""
    if tree.too_deep is not None:
        yield NESTING.at(
            scope.booklet,
            scope.path,
            tree.too_deep,
            f"this is nested more than {MAX_NESTING} levels deep",
            "keep lists and quotes to a few levels: readers lose their way deeper than that",
        )
    yield from _headings(tree, scope)
    yield from _glyphs(tree, scope)
    yield from _constructs(tree, scope)
    for block in tree.blocks:
        yield from _block(block, scope)
    for table in tree.tables:
        for n, name in enumerate(table.header, start=1):
            if not name.strip("*_` "):
                yield TABLE_HEADER.at(
                    scope.booklet,
                    scope.path,
                    table.line,
                    f"column {n} of this table has an empty header",
                    "give every column a name in the table's first row",
                )


LATIN_END = 0x250  # below this, every character is in Atkinson Hyperlegible or DejaVu Sans


@functools.cache
def _cmaps() -> dict[str, frozenset[int]]:
    """Return the characters each font family of fonts/ has a glyph for (read once, when first needed)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # comes with WeasyPrint

    from ..paths import FONTS

    found: dict[str, set[int]] = {}
    for font in sorted([*FONTS.glob("*.ttf"), *FONTS.glob("*.otf")]):
        with TTFont(font, lazy=True) as ttf:
            found.setdefault(ttf["name"].getBestFamilyName(), set()).update(ttf.getBestCmap())
    return {family: frozenset(chars) for family, chars in found.items()}


@functools.cache
def covered(families: tuple[str, ...] = LATIN) -> frozenset[int]:
    """Return every character the chain of font families that sets a text has a glyph for."""
    cmaps = _cmaps()
    return frozenset().union(*(cmaps.get(family, frozenset()) for family in families))


def _glyphs(tree: Tree, scope: Scope) -> Iterator[Problem]:
    """Report characters no font of fonts/ has: WeasyPrint would take them from the system's fonts."""
    seen: set[str] = set()
    for _, span in tree.spans():
        if span.kind not in ("text", "image") or max(map(ord, span.text), default=0) < LATIN_END:
            continue
        for char in span.text:
            if (
                ord(char) >= LATIN_END
                and char not in seen
                and not char.isspace()
                and ord(char) not in covered(scope.fonts)
            ):
                seen.add(char)
                yield GLYPH.at(
                    scope.booklet,
                    scope.path,
                    span.line,
                    f"'{char}' (U+{ord(char):04X}) has no glyph in the fonts that set this text "
                    f"({', '.join(scope.fonts)}), so the PDF would take one from this computer's fonts",
                    "write the text without it, or add a font that has it to fonts/ and styles/base.css",
                )


def cited(tree: Tree) -> list[str]:
    """Return the ids cited in a tree, in order of first citation (well-formed ones only)."""
    found: list[str] = []
    for _, span in tree.spans():
        if span.kind == "text":
            for match in CITATION_RE.finditer(span.text):
                for key in match[1].split(";"):
                    if (good := CITE_KEY_RE.match(key.strip())) and good[1] not in found:
                        found.append(good[1])
    return found


def _constructs(tree: Tree, scope: Scope) -> Iterator[Problem]:
    """Refuse the Markdown no format prints right, and callouts not written right."""
    for construct in tree.constructs:
        if construct.kind in REFUSED:
            rule, message, fix = REFUSED[construct.kind]
            yield rule.at(scope.booklet, scope.path, construct.line, message, fix)
        elif construct.kind == "callout" and construct.name.lower() not in CALLOUTS:
            yield CALLOUT.at(
                scope.booklet,
                scope.path,
                construct.line,
                f"'[!{construct.name}]' is not a kind of callout box",
                CALLOUT_FIX,
            )
        elif construct.kind == "callout marker":
            yield CALLOUT.at(
                scope.booklet,
                scope.path,
                construct.line,
                f"'[!{construct.name}]' is not alone on the quote's first line, so it would print as it is",
                CALLOUT_FIX + ", and the words on the next line",
            )


def _headings(tree: Tree, scope: Scope) -> Iterator[Problem]:
    level = 0
    for heading in tree.headings():
        if heading.level > level + 1:
            want = "#" * (level + 1)
            text = heading.text.strip()
            yield HEADING_SKIP.at(
                scope.booklet,
                scope.path,
                heading.line,
                f"heading '{text}' skips a level (h{level} to h{heading.level})",
                f"write it as '{want} {text}', or add the missing level above it",
            )
        level = heading.level


def _block(block: Block, scope: Scope) -> Iterator[Problem]:
    if (size := sum(len(s.text) for s in block.spans)) > MAX_BLOCK_CHARS:
        yield BLOCK_LONG.at(
            scope.booklet,
            scope.path,
            block.line,
            f"this {block.kind} has {size:,} characters; the most one may have is {MAX_BLOCK_CHARS:,}",
            "split it into shorter paragraphs (a blank line between them)",
        )
        return  # the other rules read its text with patterns: not on text this long
    if block.kind == "code":
        yield CODE_BLOCK.at(
            scope.booklet,
            scope.path,
            block.line,
            "this text is set as a code block",
            "start the line at the left margin (4 spaces in makes code), and write no ``` fences",
        )
    for span in block.spans:
        if span.kind == "html" and not is_ignore(span.text):
            comment = span.text.lstrip().startswith("<!--")
            yield RAW_HTML.at(
                scope.booklet,
                scope.path,
                span.line,
                f"raw HTML '{span.text.strip()[:40]}' is not allowed",
                "delete the comment: the only comment a booklet takes silences a check, "
                "<!-- booklet: ignore RULE-ID the reason -->"
                if comment
                else "write it in Markdown: booklets accept no HTML",
            )
        elif span.kind == "image":
            yield from _image(span.text, span.href, span.line, scope)
        elif span.kind == "text":
            yield from _text(span.text, span.line, scope, in_link=bool(span.href))
    if (
        scope.approved
        and block.kind == "paragraph"
        and to_be_supplied(block.text, scope.lang, scope.supplied)
    ):
        yield UNFINISHED.at(
            scope.booklet,
            scope.path,
            block.line,
            f"the booklet is approved, but this part is still '{block.text[:60]}...'",
            "have the reviewer write this part, or set 'status: in-review' until they have",
        )
    if block.kind == "paragraph" and block.text.lstrip().startswith("|") and block.text.count("|") > 1:
        yield TABLE_HEADER.at(
            scope.booklet,
            scope.path,
            block.line,
            "this looks like a table without a header row",
            "start it with a row of column names, then a line such as |---|---|",
        )
    for link in block.links:
        yield from _link(link.text, link.href, link.line, scope)


def _text(text: str, line: int, scope: Scope, in_link: bool) -> Iterator[Problem]:
    for match in CITATION_RE.finditer(text):
        for key in (k.strip() for k in match[1].split(";")):
            good = CITE_KEY_RE.match(key)
            if not good:
                yield CITATION.at(
                    scope.booklet,
                    scope.path,
                    line,
                    f"citation '[{match[1]}]' is not written right",
                    "write citations as [@id] or [@id1; @id2]",
                )
            elif scope.ref_ids is not None and good[1] not in scope.ref_ids:
                known = ", ".join(scope.ref_ids)
                yield CITATION.at(
                    scope.booklet,
                    scope.path,
                    line,
                    f"citation '@{good[1]}' has no reference with that id",
                    f"add it under 'references:' in the front matter, or use one of: {known}"
                    if known
                    else "add a 'references:' list to booklet.md's front matter",
                )
    for match in PLACEHOLDER_RE.finditer(text):
        if match[1] not in PLACEHOLDERS:
            yield PLACEHOLDER.at(
                scope.booklet,
                scope.path,
                line,
                f"'{match[0]}' is not a publisher detail",
                "use one of: " + ", ".join(f"{{publisher.{p}}}" for p in PLACEHOLDERS),
            )
    if not in_link:
        for match in URL_RE.finditer(text):
            yield BARE_URL.at(
                scope.booklet,
                scope.path,
                line,
                f"web address '{match[0].strip('<')}' is written out, and screen readers spell it out",
                "write it as a link with words, e.g. [the NHS website](https://www.nhs.uk)",
            )


def _link(text: str, href: str, line: int, scope: Scope) -> Iterator[Problem]:
    words = " ".join(text.split())
    if words.lower().strip(".:!") in VAGUE_LINKS:
        yield LINK_TEXT.at(
            scope.booklet,
            scope.path,
            line,
            f"link text '{words}' does not say where the link goes",
            "name the page, e.g. [our page about scans](https://...)",
        )
    elif URL_RE.fullmatch(words):
        yield BARE_URL.at(
            scope.booklet,
            scope.path,
            line,
            f"the link shows its web address '{words}'",
            "give it words that name the page",
        )
    if not (href.startswith("#") or href.lower().startswith(LINK_SCHEMES)):
        yield LINK_TARGET.at(
            scope.booklet,
            scope.path,
            line,
            f"link '{words}' goes to '{href[:60]}'",
            "link only to web pages (https://), email (mailto:), phone numbers (tel:) or a heading (#id)",
        )


def alt_problem(alt: str, src: str) -> str | None:
    """Return what is wrong with a picture's alt text, or None when it describes something."""
    name = PurePosixPath(src.split(":", 1)[-1]).name
    stem = re.sub(r"[\W_]+", " ", name.rsplit(".", 1)[0]).strip().lower()
    alt = alt.strip()
    if not alt:
        return f"picture '{src}' has no alt text"
    if GENERIC_ALT.match(alt) or FILE_ALT.search(alt) or alt.lower() in (name.lower(), stem):
        return f"picture '{src}' has alt text '{alt}', which says nothing"
    return None


def _image(alt: str, src: str, line: int, scope: Scope) -> Iterator[Problem]:
    if problem := alt_problem(alt, src):
        yield IMAGE_ALT.at(
            scope.booklet,
            scope.path,
            line,
            problem,
            f"describe what the picture shows: ![{pictograms.example_alt(src)}]({src})",
        )
    if message := picture_problem(src, scope.folder, scope.icons):
        fix = (
            "use a name that 'booklet icons' lists"
            if src.startswith(pictograms.SCHEME)
            else "put pictures in the booklet's images/ folder and write images/<file>"
        )
        yield IMAGE_FILE.at(scope.booklet, scope.path, line, message, fix)


def picture_problem(src: str, folder: Path, icons: bool = False) -> str | None:
    """Return what is wrong with a picture's address, or None when it is a usable picture.

    A picture is a file of the booklet's own ``images/`` folder; with ``icons``,
    ``icon:name`` pictures from the pictogram set are allowed too.
    """
    if icons and src.startswith(pictograms.SCHEME):
        return pictograms.check(src)
    pure = PurePosixPath(src)
    if not src:
        return "picture has no address"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src) or src.startswith("/") or ".." in pure.parts:
        return f"picture '{src}' is outside the booklet's folder"
    if pure.suffix.lower() not in IMAGE_SUFFIXES:
        return f"picture '{src}' is not an SVG, PNG or JPEG file"
    root = (folder / "images").resolve()
    target = (folder / pure).resolve()
    if not target.is_relative_to(root):
        return f"picture '{src}' is not in the booklet's images/ folder"
    if not target.is_file():
        return f"picture '{src}' does not exist"
    if (size := target.stat().st_size) > MAX_PICTURE_BYTES:
        limit = MAX_PICTURE_BYTES // 2**20
        return f"picture '{src}' is {size / 2**20:.0f} MB; pictures may be {limit} MB at most"
    if pure.suffix.lower() != ".svg":
        return _damaged(src, target)
    return None


def _damaged(src: str, target: Path) -> str | None:
    """Return a problem for a PNG or JPEG that is cut short or not what its name says, else None."""
    info = target.stat()
    if why := _verify(target, info.st_size, info.st_mtime_ns):
        return f"picture '{src}' is damaged or not a PNG or JPEG ({why})"
    return None


@functools.lru_cache(maxsize=256)
def _verify(target: Path, size: int, mtime_ns: int) -> str | None:
    """Return why a raster file fails Pillow's check, or None (once per version of the file)."""
    from PIL import Image, UnidentifiedImageError  # Pillow comes with WeasyPrint; only for raster pictures

    try:
        with Image.open(target) as image:
            image.verify()  # the file's structure and checksums, without decoding every pixel
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        return str(exc)
    return None
