"""Reading targets for booklet check, from the optional ``checks:`` mapping of publisher.yml.

Until the publisher schema knows the ``checks`` key, the publisher is validated here
without it, so that a content folder may set targets before the build accepts them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import frontmatter, schema
from ..content import PUBLISHER_FILE
from ..errors import ContentError, Problem
from ..model import Publisher
from .base import Targets

KEY = "checks"


def _number(low: float, high: float) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ValueError(f"should be a number from {low:g} to {high:g}")
        return float(value)

    return parse


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"should be a whole number from {low} to {high}")
        return value

    return parse


def _words(value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ValueError("should be a list of words, one per line starting with '- '")
    return frozenset(w.strip().lower() for w in value)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "flesch_min": _number(0, 120),
    "smog_max": _number(1, 30),
    "sentence_words_standard": _whole(5, 100),
    "sentence_words_easy_read": _whole(5, 100),
    "hard_word_zipf": _number(0, 8),
    "medical_words": _words,
    "everyday_words": _words,
}


def load(content_dir: Path) -> tuple[Publisher, Targets]:
    """Load publisher.yml: the publisher (validated as the build does) and the check targets."""
    path = content_dir / PUBLISHER_FILE
    data, node = frontmatter.load(path, frontmatter.read_text(path), 1)
    settings = data.pop(KEY, None) if isinstance(data, dict) else None
    publisher = schema.publisher(path, data, node, 1)
    return publisher, targets(path, settings, node)


def targets(path: Path, settings: Any, node: Any = None) -> Targets:
    """Return the targets a ``checks:`` mapping sets (defaults for what it leaves out)."""
    if settings is None:
        return Targets()
    if not isinstance(settings, dict):
        raise ContentError.one(
            path, "'checks' should be a set of 'key: value' lines", frontmatter.line_of(node, (KEY,), 1)
        )
    values: dict[str, Any] = {}
    problems = []
    for key, value in settings.items():
        line = frontmatter.line_of(node, (KEY, str(key)), 1)
        if value is None and key in PARSERS:
            continue
        if key not in PARSERS:
            problems.append(
                Problem(path, f"unknown key 'checks: {key}'", line, f"use one of: {', '.join(PARSERS)}")
            )
            continue
        try:
            values[key] = PARSERS[key](value)
        except ValueError as exc:
            problems.append(Problem(path, f"'checks: {key}' {exc}", line))
    if problems:
        raise ContentError(problems)
    return dataclasses.replace(Targets(), **values)
