"""The pictogram set for easy read: names, files, searching by word, close matches and credits.

Two openly licensed sets, each kept as SVG in the repository (pictograms/, one flat folder, so
``icon:NAME`` is one file) with its licence, README and index (pictograms/<set>/): Health
Icons (MIT) for health and care, and OpenMoji (CC BY-SA 4.0) for everyday things. A set whose
licence asks for attribution has a credit, printed in each output that uses one of its
pictures and in the catalogue. scripts/import_pictograms.py made both from their packages.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..paths import PICTOGRAMS

SCHEME = "icon:"
ICON_RE = re.compile(r"icon:([a-z0-9_]+)")


@dataclass(frozen=True)
class Set:
    """One pictogram set: its name, licence and, when its licence asks for one, its credit."""

    folder: str  # pictograms/<folder>/: LICENSE, README.md, index.json
    title: str
    licence: str
    url: str
    credit: str = ""  # printed where one of its pictures is used ('' when the licence asks none)


SETS = {
    "healthicons": Set("healthicons", "Health Icons", "MIT", "https://healthicons.org/"),
    "openmoji": Set(
        "openmoji",
        "OpenMoji",
        "CC BY-SA 4.0",
        "https://openmoji.org/",
        "Some pictures are by OpenMoji, the open-source emoji and icon project (openmoji.org), "
        "licensed under CC BY-SA 4.0.",
    ),
}

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
    """One pictogram: its name, category, the words it can stand for and the set it is from."""

    name: str
    category: str
    keywords: tuple[str, ...]
    set: str = "healthicons"

    @property
    def path(self) -> Path:
        """Return the SVG file."""
        return PICTOGRAMS / f"{self.name}.svg"

    @property
    def title(self) -> str:
        """Return what the picture is called in its set ('wash hands')."""
        return self.keywords[0] if self.keywords else self.name.replace("_", " ")


@functools.cache
def catalogue() -> dict[str, Pictogram]:
    """Return every pictogram of every set by name (each set's index.json, read once)."""
    found: dict[str, Pictogram] = {}
    for key, pset in SETS.items():
        index = json.loads((PICTOGRAMS / pset.folder / "index.json").read_text(encoding="utf-8"))
        for name, entry in index["icons"].items():
            found[name] = Pictogram(name, entry.get("category", ""), tuple(entry.get("keywords", ())), key)
    return dict(sorted(found.items()))


def _score(word: str, icon: Pictogram) -> int | None:
    """Say how well a word matches a pictogram (lower is better; None: not at all).

    0: its name; 1: a word of its name; 2: a keyword; 3: a word of one; 4: the start of a
    word; 5: anywhere.
    """
    name = icon.name.replace("_", " ")
    words = {w for t in icon.keywords for w in t.split()}
    ranks = (
        word == name,
        word in name.split(),
        word in icon.keywords,
        word in words,
        any(w.startswith(word) for w in words | set(name.split())),
        any(word in t for t in (name, *icon.keywords)),
    )
    return next((rank for rank, hit in enumerate(ranks) if hit), None)


def search(words: Sequence[str]) -> list[tuple[str, Pictogram]]:
    """Return the pictograms matching every word, best first; ConfigError when none do.

    A word matches a pictogram's name, or a keyword or synonym of its set's index: whole
    keywords first ('toilet'), then whole words of one, then beginnings, then anywhere.
    """
    asked = [w.lower().replace("_", " ") for w in words]
    ranked = []
    for name, icon in catalogue().items():
        scores = [_score(w, icon) for w in asked]
        if all(s is not None for s in scores):
            ranked.append((sum(s or 0 for s in scores), name, icon))
    if not ranked:
        near = closest("_".join(w.lower() for w in words))
        hint = f"; the closest names are: {', '.join(near)}" if near else ""
        raise ConfigError(
            f"no pictogram matches '{' '.join(words)}'{hint}. Try a shorter or more general word "
            "(booklet icons with no word lists all of them)"
        )
    return [(name, icon) for _, name, icon in sorted(ranked, key=lambda r: (r[0], r[1]))]


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


def example_alt(src: str) -> str:
    """Return alt text to show as an example for a picture: what a pictogram shows, in words."""
    icon = catalogue().get(src.removeprefix(SCHEME)) if src.startswith(SCHEME) else None
    if icon is None:
        return "What the picture shows, in a few words"
    return f"A drawing: {icon.title}" if len(icon.title.split()) > 1 else f"A drawing of the {icon.title}"


def credits(texts: Iterable[str]) -> list[str]:
    """Return the credits of the sets whose pictures the texts name (``icon:NAME``), each once."""
    icons = catalogue()
    used = {icons[m].set for text in texts for m in ICON_RE.findall(text) if m in icons}
    return [SETS[key].credit for key in SETS if key in used and SETS[key].credit]
