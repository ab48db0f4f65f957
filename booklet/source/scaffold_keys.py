"""How booklet new writes a YAML key: a line saying what it is, then the key with a sample value.

The booklet's front matter (``scaffold.py``) and a new publisher.yml (``scaffold_publisher.py``)
are both written this way, each from its table of :class:`Key`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    """One key as booklet new writes it: what it is, and a sample value."""

    explain: str  # one line
    sample: str  # YAML after 'key:', formatted with the booklet's title, code and dates
    commented: bool = False  # written as a comment: optional, and not wanted in a first draft
    forms: tuple[tuple[str, str], ...] = ()  # its other values, commented: (what it does, YAML value)


def entry(name: str, key: Key, values: Mapping[str, str]) -> list[str]:
    """Return a key's lines with its sample value (commented when it is), then its other forms, commented."""
    written = f"{name}: {key.sample.format(**values)}".replace(": \n", ":\n")
    lines = [f"# {line}" for line in written.splitlines()] if key.commented else written.splitlines()
    for what, value in key.forms:
        lines += [f"# {what}", f"# {name}: {value}"]
    return lines
