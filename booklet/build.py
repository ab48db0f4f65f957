"""The build: load every booklet, render every variant, then write what succeeded."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, content, output, render_html
from . import workers as workers_
from .errors import BookletError, BuildError, ConfigError, ContentError
from .log import LOGGER
from .model import Booklet
from .pictograms import PICTOGRAMS
from .render_pdf import FONTS, STYLES, Renderer
from .variants import VARIANTS, Variant, choose

STATIC = "_static"
Progress = Callable[[str, int, int], None]  # (what was just made, how many done, of how many)


@dataclass
class Plan:
    """What a build will make: the loaded booklets with their variants, and what failed to load."""

    jobs: list[tuple[Booklet, Variant]] = field(default_factory=list)
    failures: dict[str, BookletError] = field(default_factory=dict)


def plan(content_dir: Path, slugs: Sequence[str] = (), variants: Sequence[Variant] | None = None) -> Plan:
    """Load and validate the booklets to build; a bad booklet is recorded, not raised."""
    publisher = content.load_publisher(content_dir)
    known = content.discover(content_dir)
    if missing := [s for s in slugs if s not in known]:
        raise ConfigError(
            f"no booklet called {', '.join(missing)} in {content_dir}; "
            f"booklets there: {', '.join(known) or 'none'}"
        )
    result = Plan()
    loaded: list[Booklet] = []
    needs_easy_read = variants is None or any(v.source == content.EASY_READ_FILE for v in variants)
    for slug in slugs or known:
        try:
            loaded.append(content.load_booklet(content_dir, slug, publisher, easy_read=needs_easy_read))
        except ContentError as exc:
            result.failures[slug] = exc
    for problem in content.check_unique_codes(loaded):
        result.failures[problem.path.parent.name] = ContentError([problem])
    for booklet in loaded:
        if booklet.slug in result.failures:
            continue
        available = render_html.variants_of(booklet)
        names = {v.name for v in available}
        for variant in available if variants is None else variants:
            if variant.name in names:
                result.jobs.append((booklet, variant))
            else:
                result.failures[booklet.slug] = ContentError.one(
                    booklet.folder / variant.source,
                    f"is missing, so there is no {variant.name} variant",
                    hint=f"write {variant.source} in {booklet.folder}, or leave out --variant {variant.name}",
                )
    return result


def render(booklet: Booklet, variant: Variant, out: Path, renderer: Renderer) -> dict[Path, bytes]:
    """Render one variant of a booklet: its PDF and its web HTML, not yet written."""
    pdf_path, html_path = outputs(booklet.slug, variant, out)
    links = [f"../{STATIC}/styles/{name}" for name in (*variant.stylesheets, "screen.css")]
    ctx = render_html.context(booklet, variant)
    source = booklet.folder / variant.source
    html = render_html.document(ctx)
    pdf = renderer.pdf(html, booklet.folder, variant.stylesheets, source, variant.size_css)
    web = render_html.document(ctx, css_links=links, icons=f"../{STATIC}/pictograms/")
    return {pdf_path: pdf, html_path: web.encode()}


def assets(booklet: Booklet, out: Path) -> dict[Path, bytes]:
    """Return the files the web HTML needs beside it: its pictures."""
    return output.copy_files((img, out / booklet.slug / "images" / img.name) for img in booklet.images)


def static_files(out: Path) -> dict[Path, bytes]:
    """Return the shared styles, fonts and pictograms the web HTML links to."""
    return output.copy_files(static_sources(out))


def static_sources(out: Path) -> list[tuple[Path, Path]]:
    """Return (source, destination) of each shared file of the web HTML."""
    pairs = [
        (p, out / STATIC / "styles" / p.name)
        for p in sorted(STYLES.iterdir())
        if p.suffix in (".css", ".svg")
    ]
    pairs += [(p, out / STATIC / "fonts" / p.name) for p in sorted(FONTS.iterdir()) if p.is_file()]
    pairs += [(p, out / STATIC / "pictograms" / p.name) for p in sorted(PICTOGRAMS.glob("*.svg"))]
    return pairs


def outputs(booklet_slug: str, variant: Variant, out: Path) -> list[Path]:
    """Return the files one variant of a booklet is written to."""
    stem = out / booklet_slug / f"{booklet_slug}-{variant.stem}"
    return [stem.with_name(stem.name + ".pdf"), stem.with_name(stem.name + ".html")]


def _stale(
    content_dir: Path,
    out: Path,
    slugs: Sequence[str],
    variants: Sequence[Variant] | None,
    store: cache.Cache,
    keys: dict[tuple[str, str], str],
) -> list[str]:
    """Return the slugs that need building: those with an output missing, changed or out of date.

    Fills ``keys`` with each (slug, variant) key, taken before anything is read or made, so
    that an edit made while a build runs is not recorded as built.
    """
    stale = []
    for slug in slugs:
        folder = content_dir / slug
        wanted = (
            variants
            if variants is not None
            else [v for v in VARIANTS.values() if (folder / v.source).is_file()]
        )
        fresh = bool(wanted)
        for v in wanted:
            keys[(slug, v.stem)] = cache.key(content_dir, folder, v)
            if not (
                (folder / v.source).is_file() and store.fresh(outputs(slug, v, out), keys[(slug, v.stem)])
            ):
                fresh = False
        if not fresh:
            stale.append(slug)
    return stale


def _static_if_needed(out: Path, store: cache.Cache, use_cache: bool) -> dict[Path, bytes]:
    """Return the shared styles, fonts and pictograms, unless the ones in ``out`` are current."""
    key = cache.tool_digest()
    sources = static_sources(out)
    recorded = store.entries.get(STATIC, {}).get("key")
    if use_cache and recorded == key and all(dest.is_file() for _, dest in sources):
        return {}
    store.entries[STATIC] = {"key": key}
    return output.copy_files(sources)


def build(
    content_dir: Path,
    out: Path,
    slugs: Sequence[str] = (),
    variant_names: Sequence[str] = (),
    size: int | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
    workers: int | None = None,
) -> list[Path]:
    """Build booklets into ``out``; return the files written, or raise BuildError listing failures.

    Booklets whose outputs are up to date are skipped unless ``use_cache`` is False.
    Renders run in a pool of ``workers`` processes (default: one per core).
    """
    started = time.perf_counter()
    variants = choose(variant_names, size)
    output.clean_temporary(out)
    store = cache.Cache.load(out) if use_cache else cache.Cache(out)
    known = content.discover(content_dir)
    wanted = asked = list(slugs) or known
    keys: dict[tuple[str, str], str] = {}
    if set(asked) <= set(known):  # (unknown slugs go straight to plan(), which reports them)
        asked = _stale(content_dir, out, asked, variants, store, keys)
    todo = plan(content_dir, asked, variants) if asked else Plan()
    rendered: dict[str, dict[Path, bytes]] = {b.slug: assets(b, out) for b, _ in todo.jobs}
    count = 0

    def done(result: workers_.Result) -> None:
        nonlocal count
        count += 1
        slug, stem, files, error = result
        if error is not None:
            todo.failures[slug] = workers_.error(result)
        elif files is not None:
            rendered[slug].update(files)
        if progress:
            progress(f"{slug} ({stem})", count, len(todo.jobs))

    workers_.render_all(render, todo.jobs, out, done, workers)
    good = {slug: files for slug, files in rendered.items() if slug not in todo.failures}
    shared = _static_if_needed(out, store, use_cache)
    written = output.write_all({**shared, **{p: d for f in good.values() for p, d in f.items()}})
    for booklet, variant in todo.jobs:
        if booklet.slug in good:
            made = {p: good[booklet.slug][p] for p in outputs(booklet.slug, variant, out)}
            key = keys.get((booklet.slug, variant.stem)) or cache.key(content_dir, booklet.folder, variant)
            store.record(made, key)
    store.save()
    LOGGER.info(
        "Built %d booklet(s) into %s in %.1f s (%d up to date)",
        len(good),
        out,
        time.perf_counter() - started,
        len(wanted) - len(asked),
    )
    if todo.failures:
        raise BuildError(
            "\n".join(f"{slug}: not built\n{exc}" for slug, exc in sorted(todo.failures.items()))
        )
    return written


@dataclass(frozen=True)
class Listing:
    """One line of ``booklet list``."""

    slug: str
    code: str
    title: str
    variants: tuple[str, ...]
    next_review: str
    problem: str = ""


def listing(content_dir: Path) -> list[Listing]:
    """Describe every booklet in a content folder, including those that fail to load."""
    publisher = content.load_publisher(content_dir)
    rows = []
    for slug in content.discover(content_dir):
        try:
            b = content.load_booklet(content_dir, slug, publisher)
        except ContentError as exc:
            rows.append(
                Listing(slug, "", "", (), "", f"{len(exc.problems)} problem(s): run booklet build {slug}")
            )
            continue
        rows.append(
            Listing(
                slug,
                b.meta.code,
                b.meta.title,
                tuple(v.name for v in render_html.variants_of(b)),
                b.meta.next_review.isoformat(),
            )
        )
    return rows
