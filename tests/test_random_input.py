"""Random input: every valid booklet gives a PDF; every broken one a clear error naming its file.

Valid booklets are generated from the format the README documents (front matter with its
optional keys in every accepted form, chapters, sections, paragraphs, tight, loose and
nested lists, tables, bold, citations, links, placeholders): loading must find no error and
the render must give a PDF; a RenderError is a failure, not an acceptable outcome. Broken
booklets are a valid one with one fault put in: loading must refuse it with problems that
name the file and, where the fault has a line, a line inside the file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booklet.errors import ContentError
from booklet.render.html import render
from booklet.render.pdf import Renderer
from booklet.source.project import load_booklet
from booklet.variants import VARIANTS

from .conftest import FIXTURES

pytestmark = pytest.mark.slow

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=9)
CAPITAL = st.sampled_from(["A", "B", "The", "Your", "Élan", "Café", "We", "It"])
REF_IDS = ["one", "two", "nice-2024"]


@st.composite
def sentence(draw: st.DrawFn, refs: bool = True, links: bool = True) -> str:
    words = draw(st.lists(WORD, min_size=1, max_size=14))
    if draw(st.booleans()):
        i = draw(st.integers(0, len(words) - 1))
        words[i] = f"**{words[i]}**"
    if draw(st.booleans()):
        i = draw(st.integers(0, len(words) - 1))
        words[i] = f"*{words[i]}*"
    text = draw(CAPITAL) + " " + " ".join(words)
    extras = ["", " {publisher.helpline}", " {publisher.website}"]
    if links:  # a heading holds no link (SRC-HEADING-LINK); a placeholder prints as words there
        extras += [
            " [the example page](https://www.example.org/page)",
            " [email us](mailto:help@example.org)",
        ]
    extra = draw(st.sampled_from(extras))
    cite = f" [@{draw(st.sampled_from(REF_IDS))}]" if refs and draw(st.booleans()) else ""
    return text + extra + cite + draw(st.sampled_from([".", "?", "!"]))


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(sentence(), min_size=1, max_size=4)))


@st.composite
def bullet_list(draw: st.DrawFn, depth: int = 0) -> str:
    ordered = draw(st.booleans())
    loose = draw(st.booleans())
    items = []
    for n in range(draw(st.integers(1, 4))):
        marker = f"{n + 1}." if ordered else "-"
        item = "    " * depth + f"{marker} {draw(sentence())}"
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            item += "\n" + draw(bullet_list(depth + 1))
        items.append(item)
    return ("\n\n" if loose and depth == 0 else "\n").join(items)


@st.composite
def table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 6))
    header = "| " + " | ".join(draw(st.lists(WORD, min_size=columns, max_size=columns))) + " |"
    rows = [
        "| "
        + " | ".join(draw(st.lists(st.one_of(WORD, st.just("")), min_size=columns, max_size=columns)))
        + " |"
        for _ in range(draw(st.integers(1, 4)))
    ]
    return "\n".join([header, "|" + "---|" * columns, *rows])


@st.composite
def body(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        parts.append("# " + draw(sentence(refs=False, links=False)).rstrip(".?!"))
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["p", "p", "list", "table", "section", "sub"]))
            if kind == "p":
                parts.append(draw(paragraph()))
            elif kind == "list":
                lead = draw(paragraph())
                glued = draw(st.booleans())  # a list straight after its lead-in is a list too
                parts.append(lead + ("\n" if glued else "\n\n") + draw(bullet_list()))
            elif kind == "table":
                parts.append(draw(table()))
            elif kind == "section":
                parts.append("## " + draw(sentence(refs=False, links=False)).rstrip(".?!"))
            else:
                parts.append("## " + draw(WORD) + "\n\n### " + draw(WORD) + "\n\n" + draw(paragraph()))
    return "\n\n".join(parts) + "\n"


KINDS = ["clinical", "lay", "editorial"]


@st.composite
def front_matter(draw: st.DrawFn) -> dict[str, Any]:
    front: dict[str, Any] = {
        "title": draw(sentence(refs=False)).rstrip(".?!"),
        "code": draw(st.from_regex(r"[A-Z]{2,4}-[0-9]{1,3}", fullmatch=True)),
        "published": "2026-01-01",
        "next_review": "2027-06-01",
        "references": [{"id": i, "text": f"Reference {i}."} for i in REF_IDS],
    }
    optional: dict[str, Any] = {
        "subtitle": draw(sentence(refs=False)),
        "edition": draw(st.one_of(st.integers(1, 30), st.just("2nd edition"))),
        "summary": draw(paragraph()).replace("[@", "[").replace("**", ""),
        "reviews": [
            {"kind": kind, "role": role, "date": "2025-12-01", "outcome": "approved"}
            for kind, role in draw(st.lists(st.tuples(st.sampled_from(KINDS), WORD), max_size=2))
        ],
        "status": draw(st.sampled_from(["draft", "in-review"])),
        "glossary": {
            w: "A plain explanation." for w in draw(st.lists(WORD, min_size=1, max_size=4, unique=True))
        },
        "language": draw(st.sampled_from(["en-GB", "cy", "pl-PL"])),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        front[key] = optional[key]
    return front


def write(tmp_path: Path, front: dict[str, Any], text: str) -> Path:
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "random").mkdir(parents=True)
    shutil.copy(FIXTURES / "publisher.yml", content / "publisher.yml")
    path = content / "random" / "booklet.md"
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + text, encoding="utf-8")
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=front_matter(), text=body())
def test_every_valid_booklet_gives_a_pdf(tmp_path: Path, front: dict[str, Any], text: str) -> None:
    path = write(tmp_path, front, text)
    booklet = load_booklet(path.parent.parent, "random")  # a ContentError fails the test
    for name in ("standard", "large-print"):
        variant = VARIANTS[name]
        pdf = Renderer().pdf(
            render(booklet, variant), booklet.folder, variant.stylesheets, path, variant.size_css
        )
        assert pdf.startswith(b"%PDF")


Fault = Callable[[dict[str, Any], str], tuple[str, str]]
FAULTS: dict[str, Fault] = {
    "yaml": lambda f, b: ("title: [unclosed\n" + yaml.safe_dump(f), b),
    "missing title": lambda f, b: (yaml.safe_dump({k: v for k, v in f.items() if k != "title"}), b),
    "unknown key": lambda f, b: (yaml.safe_dump({**f, "colour": "blue"}), b),
    "bad date": lambda f, b: (yaml.safe_dump({**f, "published": "1 Jan 2026"}), b),
    "bad code": lambda f, b: (yaml.safe_dump({**f, "code": "not a code"}), b),
    "unknown citation": lambda f, b: (yaml.safe_dump(f), b + "\nSee [@nowhere].\n"),
    "raw html": lambda f, b: (yaml.safe_dump(f), b + "\n<b>bold</b> words.\n"),
    "skipped heading": lambda f, b: (yaml.safe_dump(f), b + "\n# A chapter\n\n#### Too deep\n"),
    "missing picture": lambda f, b: (yaml.safe_dump(f), b + "\n![A drawing of a hand](images/none.svg)\n"),
    "bad link": lambda f, b: (yaml.safe_dump(f), b + "\n[the form](javascript:alert(1))\n"),
    "empty body": lambda f, b: (yaml.safe_dump(f), "\n"),
    "footnote": lambda f, b: (yaml.safe_dump(f), b + "\nSee this[^1].\n\n[^1]: A note.\n"),
    "definition list": lambda f, b: (yaml.safe_dump(f), b + "\nStoma\n: An opening.\n"),
    "heading link": lambda f, b: (yaml.safe_dump(f), b + "\n# See [the page](https://www.nhs.uk)\n"),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=front_matter(), text=body(), fault=st.sampled_from(sorted(FAULTS)))
def test_every_broken_booklet_gives_an_error_naming_its_file(
    tmp_path: Path, front: dict[str, Any], text: str, fault: str
) -> None:
    yaml_text, broken_body = FAULTS[fault](front, text)
    path = write(tmp_path, {}, "")
    path.write_text("---\n" + yaml_text + "---\n" + broken_body, encoding="utf-8")
    lines = path.read_text(encoding="utf-8").count("\n") + 1
    with pytest.raises(ContentError) as info:
        load_booklet(path.parent.parent, "random")
    assert info.value.problems
    for problem in info.value.problems:
        assert problem.path == path, problem
        assert problem.message
        assert problem.rule
        assert problem.line is None or 1 <= problem.line <= lines, problem
