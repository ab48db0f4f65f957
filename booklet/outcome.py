"""What a build made, said for people: grouped by booklet and language, what was current, what not and why."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import languages
from .variants import VARIANTS


def version(job: str, stem: str) -> str:
    """Name one version of a booklet for people: 'slug, large-print' or 'slug, large-print, Polish (pl)'."""
    slug, _, lang = job.partition("/")
    return f"{slug}, {stem}, {_language(lang)} ({lang})" if lang else f"{slug}, {stem}"


def summary(
    out: Path,
    rendered: dict[tuple[str, str], dict[Path, bytes]],
    current: Sequence[tuple[str, str]],
    stopped: dict[str, list[str]],
    failed: Sequence[tuple[str, str]],
    seconds: float,
) -> str:
    """Say what a build made, by booklet (each language apart), what was current, what not and why."""
    lines = [
        f"Made into {out} in {seconds:.1f} s:"
        if rendered
        else f"Nothing to make into {out} ({seconds:.1f} s)."
    ]
    for job, made in _by_job(rendered).items():
        lines.append(
            f"  {_job_name(job)}: " + "; ".join(f"{stem} ({', '.join(kinds)})" for stem, kinds in made)
        )
    if current:
        jobs = sorted({job for job, _ in current})
        shown = ", ".join(_job_name(j) for j in jobs[:6]) + (
            f" and {len(jobs) - 6} more" if len(jobs) > 6 else ""
        )
        lines.append(f"Up to date, not made again: {len(current)} variant(s) of {shown}")
    why = {name: "a problem below stops it" for name in stopped}
    missing = {name: list(stems) for name, stems in stopped.items()}
    for job, stem in failed:
        missing.setdefault(job, []).append(stem)
        why.setdefault(job, "it failed to render: see below")
    if missing:
        lines.append("Not made:")
        lines += [f"  {_job_name(j)}: {', '.join(stems)} ({why[j]})" for j, stems in sorted(missing.items())]
    return "\n".join(lines)


def _by_job(rendered: dict[tuple[str, str], dict[Path, bytes]]) -> dict[str, list[tuple[str, list[str]]]]:
    """Group what was rendered by job, each variant with the kinds of file made ('pdf', 'html', ...)."""
    grouped: dict[str, list[tuple[str, list[str]]]] = {}
    order = [v.stem for v in VARIANTS.values()]
    for (job, stem), files in sorted(
        rendered.items(), key=lambda i: (i[0][0], _index(order, i[0][1]), i[0][1])
    ):
        kinds = [p.suffix.lstrip(".") for p in sorted(files, key=lambda p: p.suffix) if p.suffix != ".json"]
        grouped.setdefault(job, []).append((stem, sorted(set(kinds), key=KINDS_ORDER.index)))
    return grouped


KINDS_ORDER = ("pdf", "html", "epub", "brf", "pef")


def _language(tag: str) -> str:
    """Return a language's name in English ('Polish'), or its tag when the table has no such language."""
    found = languages.get(tag)
    return found.name if found else tag


def _job_name(job: str) -> str:
    """Name a job for people: 'slug', or 'slug in Polish (pl)'."""
    slug, _, lang = job.partition("/")
    return f"{slug} in {_language(lang)} ({lang})" if lang else slug


def _index(order: list[str], stem: str) -> int:
    """Return a variant's place in the table (a large print of another size after the rest)."""
    return order.index(stem) if stem in order else len(order)
