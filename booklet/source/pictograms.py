"""The pictogram set for easy read (Health Icons, MIT): names, files and close matches."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..paths import PICTOGRAMS

SCHEME = "icon:"


# Pictograms that alarm or mislead readers of easy read, whatever the point: why, for the warning.
ALARMING = {
    "hazardous": "a radiation hazard sign reads as danger and frightens; it is not a picture of treatment",
    "alert": "a warning sign reads as danger; keep it for a real warning",
    "alert_circle": "a warning sign reads as danger; keep it for a real warning",
    "skeleton": "a skeleton reads as death",
    "chills_fever": "it reads as fever or illness",
    "thermometer": "a thermometer reads as fever or illness, not as a treatment that uses heat",
    "thermometer_digital": "a thermometer reads as fever or illness, not as a treatment that uses heat",
    "traumatism": "it shows an injury",
}


@dataclass(frozen=True)
class Pictogram:
    """One pictogram: its name, category and the words it can stand for."""

    name: str
    category: str
    keywords: tuple[str, ...]

    @property
    def path(self) -> Path:
        """Return the SVG file."""
        return PICTOGRAMS / f"{self.name}.svg"


@functools.cache
def catalogue() -> dict[str, Pictogram]:
    """Return every pictogram of the set by name (read once from its index.json)."""
    index = json.loads((PICTOGRAMS / "index.json").read_text(encoding="utf-8"))
    return {
        name: Pictogram(name, entry.get("category", ""), tuple(entry.get("keywords", ())))
        for name, entry in sorted(index["icons"].items())
    }


def search(words: Sequence[str]) -> list[tuple[str, Pictogram]]:
    """Return the pictograms whose name or keywords contain every word; ConfigError when none do."""
    found = [
        (name, icon)
        for name, icon in catalogue().items()
        if all(w.lower() in " ".join((name, *icon.keywords)) for w in words)
    ]
    if not found:
        near = closest("_".join(w.lower() for w in words))
        hint = f"; the closest names are: {', '.join(near)}" if near else ""
        raise ConfigError(
            f"no pictogram matches '{' '.join(words)}'{hint}. Try a shorter or more general word "
            "(booklet icons with no word lists all of them)"
        )
    return found


def closest(name: str, count: int = 3) -> list[str]:
    """Return the names nearest to a misspelt one, by spelling and then by keyword."""
    import difflib  # only for a misspelt name

    icons = catalogue()
    near = difflib.get_close_matches(name, icons, n=count, cutoff=0.5)
    words = set(name.replace("_", " ").split())
    by_keyword = [n for n, p in icons.items() if words & set(" ".join(p.keywords).split())]
    return list(dict.fromkeys(near + by_keyword))[:count]


def check(src: str) -> str | None:
    """Return a problem message for an ``icon:`` picture that is not in the set, else None."""
    name = src.removeprefix(SCHEME)
    if name in catalogue():
        return None
    suggestions = closest(name)
    hint = f"; the closest are: {', '.join(suggestions)}" if suggestions else ""
    return f"there is no pictogram called '{name}'{hint} (booklet icons lists them all)"
