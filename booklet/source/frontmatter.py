"""Split YAML front matter from Markdown and load it strictly, keeping line numbers.

The loader follows YAML 1.2's core schema for scalars: ``no``, ``on`` and ``off``
stay strings, ``0123`` stays the string it was written as (not 83), and dates
stay strings until the schema parses them, so every error can name its line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import LOAD, ContentError, Problem
from . import reading

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where it is built in


class StrictLoader(_Base):  # type: ignore[misc]
    """A safe loader whose implicit types are YAML 1.2 core: no sexagesimals, octals or yes/no."""


StrictLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN\0"),
):
    StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))

FENCE = "---"


def _refuse(path: Path, message: str, line: int | None = None, fix: str = "") -> ContentError:
    """Return the error of a file that cannot be read or parsed (rule LOAD-ERROR)."""
    return ContentError([Problem(path, message, line, fix, LOAD)])


def read_text(path: Path, root: Path | None = None) -> str:
    """Read a source as text through the one bounded reader (booklet/source/reading.py)."""
    return reading.read_text(path, root)


def split(path: Path, text: str) -> tuple[str, str, int]:
    """Return (front matter, body, line where the body starts) of a Markdown source."""
    if not text.strip():
        raise _refuse(path, "is empty", fix="start it with front matter between '---' lines")
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        raise _refuse(
            path,
            "has no front matter",
            1,
            "start the file with a line '---', the YAML keys (title, code, ...), and another '---'",
        )
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() == FENCE:
            return "\n".join(lines[1 : number - 1]), "\n".join(lines[number:]), number + 1
    raise _refuse(path, "front matter is not closed", 1, "end the YAML keys with a line holding only '---'")


MAX_YAML_DEPTH = 20  # front matter is a few levels deep; a deeper one is refused, not recursed into


def _guard(path: Path, yaml_text: str, first_line: int) -> None:
    """Refuse YAML aliases (a 'billion laughs' grows from them) and nesting deeper than MAX_YAML_DEPTH."""
    depth = 0
    for event in yaml.parse(yaml_text, Loader=StrictLoader):
        line = event.start_mark.line + first_line if event.start_mark else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _refuse(
                path,
                "YAML anchors and aliases (&name, *name) are not allowed in front matter",
                line,
                "write each value out in full",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _refuse(
                    path,
                    f"front matter is nested more than {MAX_YAML_DEPTH} levels deep",
                    line,
                    "write the keys docs/writing.md lists, each at most a list of short entries",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load(path: Path, yaml_text: str, first_line: int) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text; return its data and node tree (for line numbers)."""
    try:
        _guard(path, yaml_text, first_line)
        node = yaml.compose(yaml_text, Loader=StrictLoader)
        reading.check_values(path, node, first_line)
        data = yaml.load(yaml_text, Loader=StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise _refuse(
            path,
            f"YAML syntax error: {exc.problem or exc}",
            line,
            "check the indentation and quote values that contain ': ' or start with a symbol",
        ) from None
    except yaml.YAMLError as exc:
        raise _refuse(path, f"YAML error: {exc}") from None
    return data, node


def line_of(node: yaml.Node | None, loc: tuple[str | int, ...], first_line: int) -> int | None:
    """Return the file line of the value at ``loc`` in a composed YAML node tree."""
    best = node
    for key in loc:
        if isinstance(best, yaml.MappingNode):
            nxt = next((v for k, v in best.value if k.value == key), None)
            if nxt is None:
                nxt = next((k for k, _ in best.value if k.value == key), None)
        elif isinstance(best, yaml.SequenceNode) and isinstance(key, int) and key < len(best.value):
            nxt = best.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        best = nxt
    return best.start_mark.line + first_line if best is not None else None


def key_line(node: yaml.Node | None, key: str, first_line: int) -> int | None:
    """Return the line of a top-level key itself (for unknown-key errors)."""
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if k.value == key:
                return int(k.start_mark.line) + first_line
    return None
