"""The build: load the project once, render every variant that can be made, then write what succeeded.

Each variant is made in the formats asked for (booklet/render/formats.py: PDF, HTML, EPUB), only
those out of date; an EPUB is made with the page map of the PDF beside it, so a build
that makes an EPUB whose PDF is not current makes that PDF too.

A problem stops only what it breaks: an easy-read error stops the easy-read variant,
and standard and large print are still made. Every problem is reported as data
(:class:`~booklet.errors.Problem`), warnings included; the build fails (BuildError)
when any output could not be made.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, output, paths
from .errors import BuildError, Problem
from .log import LOGGER
from .model import Booklet
from .outcome import summary, version
from .paths import FONTS, PICTOGRAMS, STYLES
from .render import formats as formats_
from .render import workers as workers_
from .render.pdf import Renderer
from .source import content, translations
from .source.project import Entry, Project
from .variants import VARIANTS, Variant, choose, needs_easy_read

Progress = Callable[[str, int, int], None]  # (what was just made, how many done, of how many)
NO_SOURCE = "VARIANT-NO-SOURCE"
PICTOGRAM_LINK_RE = re.compile(rb'src="[./]*/_static/pictograms/([a-z0-9_]+)\.svg"')
ORIGINAL = "en"  # build --language: the booklet itself, in the language it is written in


@dataclass
class Plan:
    """What a build will make (booklet, variant), and every problem found on the way."""

    jobs: list[tuple[Booklet, Variant]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stopped: dict[str, list[str]] = field(default_factory=dict)  # slug -> variants a problem stops

    def not_made(self) -> str:
        """Say which variants of which booklets a problem stopped: 'a (easy-read); b (standard, ...)'."""
        return "; ".join(f"{slug} ({', '.join(names)})" for slug, names in sorted(self.stopped.items()))


def plan(
    project: Project, variants: Sequence[Variant] | None = None, languages: Collection[str] = ()
) -> Plan:
    """Return the variants that can be made, and every problem (each stops only what it breaks).

    ``languages`` keeps only those versions: translations by tag, '' for the original.
    """
    result = Plan()
    for entry in project.every():
        if languages and entry.lang not in languages:
            continue
        result.problems += entry.problems
        available = entry.variants()
        names = {v.name for v in available}
        for variant in available if variants is None else variants:
            if variant.name not in names:
                result.problems.append(
                    Problem(
                        entry.loaded.folder / variant.source,
                        f"is missing, so there is no {variant.name} variant of it to make",
                        fix=f"nothing to do if it has none; write {variant.source} in {entry.loaded.folder} "
                        "to make one",
                        rule=NO_SOURCE,
                        severity="advice",  # a note: what could be made was made
                        booklet=entry.slug,
                    )
                )
            elif entry.booklet is not None and not entry.blocked(variant):
                result.jobs.append((entry.booklet, variant))
            else:
                name = f"{entry.slug}/{entry.lang}" if entry.lang else entry.slug
                result.stopped.setdefault(name, []).append(variant.stem)
    return result


def render(
    booklet: Booklet, variant: Variant, out: Path, renderer: Renderer, format_names: Sequence[str] = ()
) -> dict[Path, bytes]:
    """Render one variant of a booklet in the formats named (none: every one made for it), not yet written.

    The formats are made in table order, so the PDF, when asked for, is laid out first and
    the formats that need its page map read that one.
    """
    made = formats_.Made(booklet, variant, out, renderer)
    files: dict[Path, bytes] = {}
    for fmt in formats_.choose(format_names):
        if fmt.applies(variant, booklet.lang):
            for suffix, data in fmt.make(made).items():
                files[fmt.path(out, booklet.slug, variant, suffix, booklet.lang)] = data
    return files


def _render_job(
    wanted: dict[tuple[str, str], tuple[str, ...]], booklet: Booklet, variant: Variant, out: Path, r: Renderer
) -> dict[Path, bytes]:
    """Render one job of a build in the formats the build found out of date (a pool worker runs it)."""
    return render(booklet, variant, out, r, wanted[(booklet.key, variant.stem)])


def to_make(
    out: Path,
    store: cache.Cache,
    slug: str,
    variant: Variant,
    chosen: Sequence[formats_.Format],
    key: str,
    lang: str = "",
) -> tuple[str, ...]:
    """Return the formats of one variant that are out of date (all of them when ``store`` is empty).

    A format that needs the printed page map brings the PDF with it when the PDF is not
    current: its page numbers must be those of the PDF beside it.
    """

    def current(fmt: formats_.Format) -> bool:
        made = formats_.files(out, slug, variant, [fmt], lang)
        return store.fresh(made, key) and formats_.written_as_asked(fmt, made)

    todo = [f for f in chosen if f.applies(variant, lang) and not current(f)]
    pdf = formats_.FORMATS["pdf"]
    if any(f.page_map for f in todo) and pdf not in todo and not current(pdf):
        todo.append(pdf)
    return tuple(f.name for f in todo)


def assets(booklet: Booklet, out: Path) -> dict[Path, bytes]:
    """Return the files the web HTML needs beside it: the pictures it uses (a translation's own too)."""
    pairs = [(img, paths.image_file(out, booklet.slug, img.name)) for img in booklet.images]
    own = [booklet.picture(src) for src in booklet.own_pictures]
    pairs += [(img, paths.image_file(out, booklet.slug, img.name, booklet.lang)) for img in own]
    return output.copy_files(pairs)


def static_files(out: Path) -> dict[Path, bytes]:
    """Return the shared styles and fonts the web HTML links to (pictograms: :func:`pictograms_used`)."""
    return output.copy_files(static_sources(out))


def pictograms_used(out: Path, files: Iterable[tuple[Path, bytes]]) -> dict[Path, bytes]:
    """Return the pictograms the web pages among ``files`` link to, for ``out/_static/pictograms/``.

    Only those: the set has 700 pictures, and each file written costs an fsync.
    """
    names = {
        m.decode() for path, data in files if path.suffix == ".html" for m in PICTOGRAM_LINK_RE.findall(data)
    }
    return output.copy_files(
        (PICTOGRAMS / f"{n}.svg", paths.static(out, "pictograms", f"{n}.svg")) for n in names
    )


def static_sources(out: Path) -> list[tuple[Path, Path]]:
    """Return (source, destination) of each shared style and font of the web HTML."""
    pairs = [
        (p, paths.static(out, "styles", p.name))
        for p in sorted(STYLES.iterdir())
        if p.suffix in (".css", ".svg")
    ]
    pairs += [(p, paths.static(out, "fonts", p.name)) for p in sorted(FONTS.iterdir()) if p.is_file()]
    return pairs


def _static_if_needed(out: Path, store: cache.Cache, use_cache: bool) -> dict[Path, bytes]:
    """Return the shared styles, fonts and pictograms, unless the ones in ``out`` are current.

    Current means made by this version of the tool and untouched since: each file's size and
    modification time are recorded when it is written (a look at them costs a few ms).
    """
    key = cache.tool_digest()
    sources = static_sources(out)
    recorded = store.entries.get(paths.STATIC, {})
    if use_cache and recorded.get("key") == key and recorded.get("stamp") == _stamp(d for _, d in sources):
        return {}
    files = output.copy_files(sources)
    store.entries[paths.STATIC] = {"key": key, "stamp": ""}  # stamped once written (see build)
    return files


def _stamp(files: Iterable[Path]) -> str:
    """Return a digest of the names, sizes and modification times of files ('' if one is missing)."""
    h = hashlib.sha256()
    for path in files:
        try:
            info = path.stat()
        except OSError:
            return ""
        h.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return h.hexdigest()


def build(
    content_dir: Path,
    out: Path,
    slugs: Sequence[str] = (),
    variant_names: Sequence[str] = (),
    size: int | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    project: Project | None = None,
    format_names: Sequence[str] = (),
    pool: workers_.Pool | None = None,
    languages: Sequence[str] = (),
    brf_newline: str = "crlf",
) -> list[Path]:
    """Build booklets into ``out``; return the files written, or raise BuildError listing every problem.

    ``languages`` builds only those versions (a translation's tag, or ``en`` for the original;
    none: every one). ``format_names`` chooses formats (none: every format,
    booklet/render/formats.py). Outputs that are up to date are not made again unless
    ``use_cache`` is False. BRF files get ``brf_newline`` line ends ('crlf' or 'lf').
    Renders run in a pool of ``workers`` processes (default: one per core), or in ``pool``,
    one started ahead.
    """
    known = content.discover(content_dir)  # a missing folder is refused here, before out/ is made
    if project is None and not known:
        Project.load(content_dir)  # raises: the folder holds no booklet
    with output.locked(out), pool or workers_.Pool(workers) as pool:
        return _build(
            content_dir,
            out,
            known,
            slugs,
            variant_names,
            size,
            progress,
            use_cache,
            pool,
            project,
            formats_.choose(format_names, brf_newline),
            {"" if lang == ORIGINAL else lang for lang in languages},
        )


def _build(
    content_dir: Path,
    out: Path,
    known: list[str],
    slugs: Sequence[str],
    variant_names: Sequence[str],
    size: int | None,
    progress: Progress | None,
    use_cache: bool,
    pool: workers_.Pool,
    project: Project | None,
    chosen: list[formats_.Format],
    languages: set[str],
) -> list[Path]:
    started = time.perf_counter()
    variants = choose(variant_names, size)
    output.clean_temporary(out)
    store = cache.Cache.load(out) if use_cache else cache.Cache(out)
    keys: dict[tuple[str, str], str] = {}
    folders: dict[str, str] = {}  # slug -> key of its folder, taken before it is read
    if project is None:
        project = _load_stale(
            content_dir, out, known, slugs, variants, store, keys, folders, use_cache, chosen, pool.start
        )
    todo = plan(project, variants, languages)
    for b, v in todo.jobs:  # keys are taken before anything is read, so an edit made meanwhile counts
        keys.setdefault((b.key, v.stem), cache.key(content_dir, b.folder, v, b.lang))
    wanted = {
        (b.key, v.stem): to_make(out, store, b.slug, v, chosen, keys[(b.key, v.stem)], b.lang)
        for b, v in todo.jobs
    }
    stale = [(b, v) for b, v in todo.jobs if wanted[(b.key, v.stem)]]
    rendered: dict[tuple[str, str], dict[Path, bytes]] = {}
    count = 0

    def done(result: workers_.Result) -> None:
        nonlocal count
        count += 1
        slug, stem, files, problems = result
        todo.problems += problems  # a failed job's problems, as the worker recorded them
        if files is not None:
            rendered[(slug, stem)] = files
            LOGGER.debug(
                "Made %s: %s",
                version(slug, stem),
                ", ".join(f"{p.name} ({len(d)} bytes)" for p, d in files.items()),
            )
        if progress:
            progress(f"{slug} ({stem})", count, len(stale))

    pool.render_all(functools.partial(_render_job, wanted), stale, out, done)
    loaded = {b.key: b for b, _ in todo.jobs}  # pictures of every booklet read (a copy may be gone)
    pictures = {p: d for b in loaded.values() for p, d in assets(b, out).items()}
    shared = _static_if_needed(out, store, use_cache)
    for job, files in rendered.items():  # BRF line ends as asked (--brf-newline)
        rendered[job] = {p: formats_.finished(p, d, chosen) for p, d in files.items()}
    made = {p: d for f in rendered.values() for p, d in f.items()}
    written = output.write_all({**shared, **pictures, **pictograms_used(out, made.items()), **made})
    if shared:
        store.entries[paths.STATIC]["stamp"] = _stamp(d for _, d in static_sources(out))
    for (slug, stem), files in rendered.items():
        store.record(files, keys[(slug, stem)], content_dir)
    store.record(pictures, cache.PICTURE, content_dir)
    for entry in project:  # what was read now, the next build weighs without reading it
        if entry.slug in folders and entry.booklet is not None:
            model = _model(entry, entry.booklet, keys)
            store.record_model(entry.slug, folders[entry.slug], model, content_dir)
    if not slugs:
        _prune(out, store, content_dir, set(known))
    store.save()
    _report(todo.problems)
    asked = [job for job in keys if not languages or _lang_of(job[0]) in languages]
    for lang in sorted(languages - {_lang_of(job) for job, _ in keys}):
        LOGGER.warning("No booklet here has a translation into %s, so none was made", lang)
    not_current = {(b.key, v.stem) for b, v in stale} | {
        (j, st) for j, sts in todo.stopped.items() for st in sts
    }
    current = [job for job in asked if job not in not_current]
    failed = [(b.key, v.stem) for b, v in stale if (b.key, v.stem) not in rendered]
    LOGGER.info("%s", summary(out, rendered, current, todo.stopped, failed, time.perf_counter() - started))
    if errors := [p for p in todo.problems if p.stops]:
        raise BuildError(errors)
    return written


def _lang_of(job: str) -> str:
    """Return the language of a job's name: 'slug/pl' is 'pl', the original's 'slug' is ''."""
    return job.partition("/")[2]


def _load_stale(
    content_dir: Path,
    out: Path,
    known: list[str],
    slugs: Sequence[str],
    variants: Sequence[Variant] | None,
    store: cache.Cache,
    keys: dict[tuple[str, str], str],
    folders: dict[str, str],
    use_cache: bool,
    chosen: Sequence[formats_.Format],
    ahead: Callable[[int], None],
) -> Project:
    """Load the booklets that have an output to make: missing, changed or made from other inputs.

    A booklet whose outputs are all current is not read again (it built cleanly from the
    same inputs), unless another booklet now shares its order code. ``keys`` is filled with
    the cache key of every output and ``folders`` with the key of each booklet's folder, taken
    before anything is read. A booklet whose folder is unchanged since a build read it is
    weighed by the model the cache recorded then (variants, translations, order code and
    keys), not worked out from its files again. ``ahead`` is told how many renders there are
    about to be, before the booklets are read, so that render processes can start meanwhile.
    """
    asked = list(slugs) or known
    easy = needs_easy_read(variants)
    if not known or set(asked) - set(known):
        return Project.load(content_dir, slugs, easy_read=easy)  # it reports the folder or slug problem
    wanted: dict[str, Sequence[Variant]] = {}
    models: dict[str, cache.Model] = {}
    for slug in asked:
        folder = content_dir / slug
        folders[slug] = cache.folder_key(content_dir, folder)
        if use_cache and (model := store.model(slug, folders[slug])):
            models[slug] = model
        names = models[slug].variants if slug in models else content.variants_in(folder)
        wanted[slug] = variants or [VARIANTS[n] for n in names if n in VARIANTS]
        for v in wanted[slug]:
            keys[(slug, v.stem)] = _key(models.get(slug), slug, v) or cache.key(content_dir, folder, v)
    if not use_cache:
        ahead(len(keys))
        return Project.load(content_dir, slugs, easy_read=easy)
    codes = [models[s].code if s in models else content.peek_code(content_dir, s) for s in known]
    shared = {s for s, code in zip(known, codes, strict=True) if code and codes.count(code) > 1}
    stale = [
        slug
        for slug in asked
        if slug in shared
        or not wanted[slug]
        or any(
            not store.fresh(store.made_under(paths.image_file(out, slug, "", lang)), cache.PICTURE)
            or any(to_make(out, store, slug, v, chosen, keys[(key, v.stem)], lang) for v in vs)
            for lang, key, vs in _versions(content_dir, slug, variants, wanted[slug], keys, models.get(slug))
        )
    ]
    if not stale:
        return Project.empty(content_dir)
    ahead(sum(1 for job, _ in keys if job.split("/", 1)[0] in stale))
    return Project.load(content_dir, stale, easy_read=easy)


def _versions(
    content_dir: Path,
    slug: str,
    asked: Sequence[Variant] | None,
    english: Sequence[Variant],
    keys: dict[tuple[str, str], str],
    model: cache.Model | None = None,
) -> Iterator[tuple[str, str, list[Variant]]]:
    """Yield the booklet and each translation: its language ('' for English), job name and variants.

    A translation's variants are those asked for (all by default) whose source it has; the
    cache key of each is put in ``keys``, as the English booklet's are. ``model``: what the
    cache recorded of the booklet, read instead of its folder.
    """
    folder = content_dir / slug
    yield "", slug, list(english)
    if model is not None:
        found = model.translations
    else:
        found = tuple(
            (t, content.variants_in(folder / translations.FOLDER / t)) for t in translations.discover(folder)
        )
    for lang, have in found:
        name = f"{slug}/{lang}"
        mine = [v for v in asked or VARIANTS.values() if v.name in have]
        for v in mine:
            keys[(name, v.stem)] = _key(model, name, v) or cache.key(content_dir, folder, v, lang)
        yield lang, name, mine


def _key(model: cache.Model | None, job: str, variant: Variant) -> str:
    """Return the key the cache recorded for one output of a job ('' when it recorded none)."""
    return model.keys.get(f"{job}|{variant.stem}", "") if model else ""


def _model(entry: Entry, booklet: Booklet, keys: dict[tuple[str, str], str]) -> cache.Model:
    """Return what the cache records of a booklet a build read (its folder's key is recorded beside it)."""
    return cache.Model(
        booklet.meta.code,
        tuple(v.name for v in entry.variants()),
        tuple((t.lang, tuple(v.name for v in t.variants())) for t in entry.translations),
        {
            f"{job}|{stem}": key
            for (job, stem), key in keys.items()
            if job == entry.slug or job.startswith(entry.slug + "/")
        },
    )


def _report(problems: list[Problem]) -> None:
    """Log the warnings and notes (errors are raised at the end, all together)."""
    for problem in problems:
        if problem.severity == "warning":
            LOGGER.warning("%s", problem)
        elif problem.severity == "advice":
            LOGGER.info("%s", problem)


def _prune(out: Path, store: cache.Cache, content_dir: Path, slugs: set[str]) -> None:
    """Remove the outputs made from this content folder for booklets that are no longer in it."""
    here = str(content_dir.resolve())
    gone = sorted(
        name
        for name, entry in store.entries.items()
        if entry.get("content") == here and name.split("/", 1)[0] not in slugs
    )
    for name in gone:
        (out / name).unlink(missing_ok=True)
        del store.entries[name]
        LOGGER.info("Removed %s: its booklet is no longer in the content folder", out / name)
    for folder in {(out / name).parent for name in gone}:
        _remove_empty(folder, out)


def _remove_empty(folder: Path, out: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


@dataclass(frozen=True)
class Listing:
    """One line of ``booklet list``."""

    slug: str
    code: str
    title: str
    variants: tuple[str, ...]
    next_review: str
    problems: tuple[Problem, ...] = ()
    languages: tuple[tuple[str, str], ...] = ()  # (tag, 'current' / 'out of date' / 'cannot be built')


def _translation_state(entry: Entry) -> str:
    """Say whether a translation can be made and follows the English booklet's current edition."""
    if entry.booklet is None or all(entry.blocked(v) for v in entry.variants()):
        return "cannot be built"
    return "current" if translations.current(entry.booklet) else "out of date"


def listing(project: Project) -> list[Listing]:
    """Describe every booklet of a project, with the problems of each (its duplicate codes too)."""
    rows = []
    for entry in project:
        b = entry.booklet
        if b is None:
            rows.append(Listing(entry.slug, "", "", (), "", entry.problems))
            continue
        names = tuple(v.name for v in entry.variants() if not entry.blocked(v))
        languages = tuple((t.lang, _translation_state(t)) for t in entry.translations)
        problems = entry.problems + tuple(p for t in entry.translations for p in t.problems)
        rows.append(
            Listing(
                entry.slug,
                b.meta.code,
                b.meta.title,
                names,
                b.meta.next_review.isoformat(),
                problems,
                languages,
            )
        )
    return rows
