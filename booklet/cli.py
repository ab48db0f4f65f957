"""The booklet command line: each command parses options and makes one library call."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from booklet import paths
from booklet.errors import BookletError
from booklet.languages import LANGUAGES
from booklet.variants import VARIANTS

if TYPE_CHECKING:
    from booklet.checks.report import Report
    from booklet.source.project import Project

CONTENT = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="Folder holding publisher.yml and booklets.",
)

VARIANT = click.option(
    "--variant",
    "variants",
    multiple=True,
    type=click.Choice(list(VARIANTS)),
    help="Variant to make (repeatable). Default: every variant whose source exists.",
)
FORMAT = click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(paths.FORMATS),
    help="Format to make (repeatable): pdf, html, epub (standard and easy read). Default: every format.",
)
SIZE = click.option(
    "--size",
    type=click.Choice(sorted({str(pt) for v in VARIANTS.values() for pt in v.sizes}, key=int)),
    default=None,
    callback=lambda ctx, param, value: None if value is None else int(value),
    help="Large print at this body size in points (24: giant print); alone, only large print is made.",
)


def _verbosity(f: Any) -> Any:
    """Add -q/--quiet and -v/--verbose to a command (they work before or after its name)."""

    def set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            _logging(quiet=param.name == "quiet", verbose=param.name == "verbose")

    f = click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, callback=set_quiet, help="Show only errors."
    )(f)
    return click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=set_quiet, help="Show every step."
    )(f)


OUT = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder the outputs are written to.",
)


class _Echo(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def _logging(quiet: bool, verbose: bool) -> None:
    handler = _Echo()
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("booklet")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    logging.getLogger("booklet.progress").setLevel(logging.INFO if verbose else logging.WARNING)


def _progress_bar(label: str) -> Callable[[str, int, int], None]:
    """Return a progress callback that draws a bar on a terminal (not when piped, nor with -q)."""
    bar: Any = None

    def progress(item: str, done: int, total: int) -> None:
        nonlocal bar
        if total < 2 or not sys.stderr.isatty() or logging.getLogger("booklet").level > logging.INFO:
            return
        if bar is None:
            bar = click.progressbar(
                length=total, label=label, file=sys.stderr, show_pos=True, item_show_func=lambda i: i
            )
            bar.__enter__()
        bar.update(1, item)
        if done == total:
            bar.__exit__(None, None, None)

    return progress


def _next(step: str) -> None:
    """Say what to do next, after a command that worked (not with -q)."""
    if logging.getLogger("booklet").level <= logging.INFO:
        click.echo(f"Next: {step}", err=True)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn booklet's errors into a message and exit status 1, without a traceback."""
    try:
        yield
    except BookletError as exc:
        click.secho("Error: ", fg="red", bold=True, err=True, nl=False)
        click.echo(str(exc), err=True)
        sys.exit(1)


def _project(content_dir: Path, slugs: tuple[str, ...] = (), **options: bool) -> Project:
    """Load the content folder once for a command; the library functions are handed the result."""
    from booklet.source.project import Project

    return Project.load(content_dir, slugs, **options)


@click.group()
@click.version_option(package_name="booklet", prog_name="booklet")  # the installed metadata's
@click.option("-q", "--quiet", is_flag=True, help="Show only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show every step.")
def main(quiet: bool, verbose: bool) -> None:
    """Make accessible patient-information booklets from Markdown."""
    _logging(quiet, verbose)


@main.command()
@click.argument("slugs", nargs=-1)
@VARIANT
@FORMAT
@SIZE
@click.option(
    "--language",
    "languages",
    multiple=True,
    type=click.Choice(["en", *LANGUAGES]),
    help="Build only this language (repeatable): a translation's tag, or en for the original.",
)
@click.option("--no-cache", is_flag=True, help="Build everything again, even outputs that are up to date.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Render in this many processes (default: one per core).",
)
@click.option(
    "--brf-newline",
    type=click.Choice(["crlf", "lf"]),
    default=None,
    help="Line ends of braille (BRF) files: crlf (the default, what embossers expect) or lf.",
)
@CONTENT
@OUT
@_verbosity
def build(
    slugs: tuple[str, ...],
    variants: tuple[str, ...],
    formats: tuple[str, ...],
    size: int | None,
    languages: tuple[str, ...],
    no_cache: bool,
    jobs: int | None,
    brf_newline: str | None,
    content_dir: Path,
    out_dir: Path,
) -> None:
    """Build booklets (all of them, or the SLUGS given) as PDF, HTML, EPUB and braille into OUT/<slug>/.

    It lists what it made, by booklet and language, and what it did not make and why.
    """
    from booklet.render.workers import Pool

    # When there will surely be renders (no cache to consult), the render processes start
    # first, importing WeasyPrint while this one imports the build and reads the booklets;
    # otherwise the build starts them once the cache has said what is out of date.
    pool = Pool(jobs)
    if no_cache or not (out_dir / paths.CACHE_FILE).is_file():
        pool.start(len(slugs) * len(variants) if slugs and variants else pool.workers)
    from booklet.build import build as run_build

    with _errors(), pool:
        run_build(
            content_dir,
            out_dir,
            slugs,
            variants,
            size,
            progress=_progress_bar("Rendering"),
            use_cache=not no_cache,
            format_names=formats,
            pool=pool,
            languages=languages,
            brf_newline=brf_newline or "crlf",
        )
    check_them = " ".join(("booklet check", *slugs))
    _next(f"{check_them} (the checks before publishing); booklet serve (look at the pages as you write)")


@main.command()
@click.argument("slug")
@click.option("--easy-read", is_flag=True, help="Also write easy-read.md, the easy-read version to fill in.")
@click.option(
    "--translation",
    "languages",
    multiple=True,
    type=click.Choice(list(LANGUAGES)),
    help="Also write a translation into LANG (repeatable): translations/LANG/, the text to translate.",
)
@CONTENT
@_verbosity
def new(slug: str, easy_read: bool, languages: tuple[str, ...], content_dir: Path) -> None:
    """Start a booklet: CONTENT/SLUG/booklet.md, every key explained and a sample of each thing you can write.

    It builds at once, as a draft. For a booklet that exists, --easy-read and --translation
    add those files. docs/writing.md is the writer's guide.
    """
    from datetime import date

    from booklet.source.scaffold import write

    with _errors():
        written = write(content_dir, slug, easy_read, languages, date.today())
    for path in written:
        click.echo(f"Wrote {path}")
    first = next((p for p in written if p.name == "booklet.md"), written[0])
    if content_dir / "publisher.yml" in written:
        _next(f"fill in {content_dir / 'publisher.yml'}, open {first} and write; then: booklet build {slug}")
    else:
        _next(f"open {first} and write; then: booklet build {slug}, booklet serve")


@main.command(name="list")
@CONTENT
@_verbosity
def list_(content_dir: Path) -> None:
    """List the booklets: slug, order code, title, variants and next review date."""
    from booklet.build import listing

    with _errors():
        rows = listing(_project(content_dir, empty_ok=True))
    for row in rows:
        if not row.code:
            click.echo(f"{row.slug:28} {'-':8} cannot be built:")
        else:
            made = ", ".join(row.variants) or "no variant can be built"
            click.echo(f"{row.slug:28} {row.code:8} {row.title}  [{made}]  review by {row.next_review}")
        if row.languages:
            click.echo("    languages: " + ", ".join(f"{tag} ({state})" for tag, state in row.languages))
        for problem in row.problems:
            click.echo("    " + str(problem).replace("\n", "\n    "))
    if any(p.stops for row in rows for p in row.problems):
        sys.exit(1)


@main.command()
@click.argument("slugs", nargs=-1)
@CONTENT
@OUT
@click.option(
    "--build", "build_first", is_flag=True, help="Build the booklets first, then check what was built."
)
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option(
    "--report",
    "report_kind",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report for people (text) or for CI and other tools (json).",
)
@_verbosity
def check(
    slugs: tuple[str, ...],
    content_dir: Path,
    out_dir: Path,
    build_first: bool,
    strict: bool,
    report_kind: str,
) -> None:
    """Check booklets before publishing: plain English, evidence, dates, accessibility, built PDFs.

    Exits with status 1 when there is an error (with --strict, a warning too). docs/checks.md
    describes every rule.
    """
    from booklet.checks import format_json, format_text, run_checks

    with _errors():
        project = _project(content_dir, slugs)
        if build_first and sys.stderr.isatty():  # the build's progress bar, on a terminal
            report = run_checks(project, out_dir, build=True, progress=_progress_bar("Building"))
        else:
            report = run_checks(project, out_dir, build=build_first)
    click.echo(format_json(report) if report_kind == "json" else format_text(report, strict=strict))
    if report.failed(strict):
        if report_kind == "text":
            _next("fix each error where it says (file and line), then run booklet check again")
        sys.exit(1)
    if report_kind == "text":  # a JSON report is all the output
        _next(_after_check(report))


PAPER_CALIPER = click.option(
    "--paper-caliper",
    type=click.IntRange(0, 400),
    default=None,
    metavar="MICRONS",
    help="Paper thickness in microns, to move the inner sheets' pages towards the spine (creep) "
    "in the spreads; default: paper_caliper in publisher.yml; 0: no creep.",
)


@main.command(name="print")
@click.argument("slugs", nargs=-1)
@VARIANT
@SIZE
@click.option("--imposed", is_flag=True, help="Also write printer's spreads for saddle stitching.")
@PAPER_CALIPER
@CONTENT
@OUT
@_verbosity
def print_(
    slugs: tuple[str, ...],
    variants: tuple[str, ...],
    size: int | None,
    imposed: bool,
    paper_caliper: int | None,
    content_dir: Path,
    out_dir: Path,
) -> None:
    """Write print-ready PDF/X-4 files (CMYK, 3 mm bleed, crop marks, pages padded to a multiple of 4).

    Files go to OUT/<slug>/print/<slug>-<variant>-print.pdf (and -imposed.pdf).
    """
    from booklet.press.print_run import print_booklets
    from booklet.variants import choose, needs_easy_read

    with _errors():
        project = _project(content_dir, slugs, easy_read=needs_easy_read(choose(variants, size)))
        bar = _progress_bar("Print files")
        print_booklets(project, out_dir, variants, imposed, size, paper_caliper, progress=bar)
    _next(f"send the print files to the printer: {out_dir}/<slug>/print/ (a translation's: <lang>/print/)")


@main.command()
@click.argument("orders_csv", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--template", is_flag=True, help="Write the blank order form (CSV) instead.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Print-run folder, new or without a run.csv (default out/print-runs/<today>, then "
    "<today>-2, -3...); with --template, a file (- or none: standard output).",
)
@click.option("--no-imposed", is_flag=True, help="Do not write printer's spreads.")
@PAPER_CALIPER
@click.option(
    "--allow-drafts",
    is_flag=True,
    help="Accept booklets that are not approved: proof copies for reviewers, with the DRAFT mark.",
)
@click.option("--from-shop", is_flag=True, help="Make the run from every pending order of the order shop.")
@click.option(
    "--db", "db_url", default=None, help="With --from-shop: the shop's database (see booklet shop)."
)
@CONTENT
@_verbosity
def order(
    orders_csv: Path | None,
    template: bool,
    out_dir: Path | None,
    no_imposed: bool,
    paper_caliper: int | None,
    allow_drafts: bool,
    from_shop: bool,
    db_url: str | None,
    content_dir: Path,
) -> None:
    """Turn an order file (code,variant,quantity,ordered_by,delivery_name,address,contact) into a print run.

    Every row is checked first: any problem is reported with its line and nothing is made.
    Each run gets its own folder, which holds the whole run or, when writing fails, nothing.
    --from-shop makes the run from the order shop's pending orders and marks them as in it.
    """
    from booklet.paths import print_run_folder
    from booklet.press.print_run import SUMMARY_TXT, order_form, print_run, write_order_form

    with _errors():
        if not template and from_shop == (orders_csv is not None):
            raise click.UsageError("give the order file, or --from-shop (or --template for a blank form)")
        project = _project(content_dir)
        if template:
            if out_dir is None or str(out_dir) == "-":  # - is standard output, as wherever a file is written
                click.echo(order_form(project), nl=False)
            else:
                write_order_form(project, out_dir)
                click.echo(f"Wrote {out_dir}", err=True)
            _next(
                "fill in a quantity, ordered_by, delivery_name, address and contact on each row "
                "wanted; then: booklet order FILE"
            )
            return
        if out_dir is not None and str(out_dir) == "-":
            raise click.BadParameter("a print run is a folder, not standard output", param_hint="--out")
        folder = out_dir or print_run_folder(Path("out"))
        if from_shop:
            from booklet.web.shop.data import database_url
            from booklet.web.shop.export import from_shop as run_from_shop

            # the shop's own data folder, as `booklet shop` finds it; SQLite needs no shop package
            url = _shop_db(db_url or database_url(content_dir, Path("out"), None, None)[1])
            run_from_shop(project, url, folder, not no_imposed, paper_caliper)
        elif orders_csv is not None:
            print_run(
                project,
                orders_csv,
                folder,
                imposed=not no_imposed,
                caliper_um=paper_caliper,
                allow_drafts=allow_drafts,
            )
        click.echo((folder / SUMMARY_TXT).read_text(encoding="utf-8"), nl=False)


@main.command()
@click.argument("words", nargs=-1)
@click.option(
    "--html", is_flag=True, help="Write a web page of the matches, with their pictures, and open it."
)
@click.option(
    "--out",
    "page",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="With --html: the page's file (- for standard output; default: one in the temporary folder).",
)
def icons(words: tuple[str, ...], html: bool, page: Path | None) -> None:
    """Find pictograms for easy read by WORDS (write them as ![What it shows](icon:NAME)).

    Each match is shown with its set and the SVG file to open, best match first; WORDS are
    looked for in names and in each set's keywords and synonyms. Without WORDS, every pictogram.
    """
    from booklet.source.pictograms import SETS, search

    with _errors():
        found = search(words)
    if html:
        from booklet.web.pictogram_page import page_html

        text = page_html(words, found)
        if page is not None and str(page) == "-":
            click.echo(text, nl=False)
            return
        import tempfile

        target = page or Path(tempfile.gettempdir()) / "booklet-pictograms.html"
        with _errors():
            from booklet.output import write_bytes

            write_bytes(target, text.encode())
        click.echo(f"Wrote {target}: {len(found)} pictogram(s)")
        click.launch(target.resolve().as_uri())
        return
    for name, icon in found:
        click.echo(f"{name:30} {SETS[icon.set].title:12} {icon.path}")
        click.echo(f"{'':30} {', '.join(icon.keywords[:8])}")


def _after_check(report: Report) -> str:
    """Return the step after a check that passed: reviews for a draft, a build for old PDFs, or publishing."""
    from booklet.checks.evidence import STATUS
    from booklet.checks.outputs import NOT_BUILT, STALE

    drafts = sorted({f.booklet for f in report.findings if f.rule == STATUS.id})  # not approved yet
    if drafts:
        return (
            f"have {', '.join(drafts)} reviewed, record the reviews and set 'status: approved' "
            "(docs/writing.md, Review status); then: booklet catalogue, to publish"
        )
    if any(f.rule in (STALE.id, NOT_BUILT.id) for f in report.findings):
        return "booklet check --build, to check the PDFs as they are now; then: booklet catalogue, to publish"
    return "booklet catalogue, to publish"


@main.command()
@click.option("--build", "build_first", is_flag=True, help="Build every booklet first, then write the site.")
@click.option(
    "--include-drafts",
    is_flag=True,
    help="List booklets that are not approved too, labelled Draft (a preview for reviewers).",
)
@click.option("--approved-only", is_flag=True, hidden=True, help="The default now; kept for old scripts.")
@CONTENT
@OUT
@_verbosity
def catalogue(
    build_first: bool, include_drafts: bool, approved_only: bool, content_dir: Path, out_dir: Path
) -> None:
    """Write the catalogue website into OUT: index.html, a page per booklet, the order form.

    It lists the approved booklets and what is already built of them in OUT (a booklet
    without PDFs shows "not built yet"); --build builds every booklet first, and
    --include-drafts lists drafts too, labelled.
    """
    from booklet.web.catalogue import write_catalogue

    with _errors():
        project = _project(content_dir, empty_ok=True)
        bar = _progress_bar("Rendering") if build_first else None
        write_catalogue(
            project, out_dir, build_first=build_first, include_drafts=include_drafts, progress=bar
        )
    _next(f"open {out_dir / 'index.html'} in a browser; copy {out_dir} to the web server to publish it")


@main.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on this computer (127.0.0.1) to serve on; 0 picks a free one.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address or name to serve on; requests naming any other host than it, localhost, "
    "127.0.0.1 or [::1] are refused.",
)
@CONTENT
@OUT
@_verbosity
def serve(port: int, host: str, content_dir: Path, out_dir: Path) -> None:
    """Serve the catalogue in OUT on this computer and rebuild a booklet each time its content is saved.

    Its web pages are rebuilt at once and reload in the browser, which shows any problem in
    place of the page it stops; its PDFs follow in the background. Only the files the
    catalogue publishes are served. Press Ctrl+C to stop.
    """
    from booklet.web.serve import serve as run_serve

    with _errors():
        run_serve(content_dir, out_dir, host=host, port=port)


DB = click.option(
    "--db",
    "db_url",
    default=None,
    help="The shop's database: a SQLite file or a postgresql:// URL "
    "(default: $BOOKLET_SHOP_DB, else DATA/shop.sqlite3).",
)
DATA = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The shop's private data folder: database, session key, unsent mail "
    "(default: $BOOKLET_SHOP_DATA, else shop-data beside the content folder; never inside --out).",
)
SMTP = click.option(
    "--smtp",
    "smtp_url",
    default=None,
    envvar="BOOKLET_SMTP_URL",
    help="Send email through smtp://user:password@host:587 (STARTTLS) or smtps://host:465 "
    "($BOOKLET_SMTP_URL); without it messages are written into DATA/outbox.",
)


# What the shop needs beyond the rest of booklet (the [shop] extra): module -> package to install.
SHOP_PACKAGES = {
    "flask": "flask",
    "waitress": "waitress",
    "argon2": "argon2-cffi",
    "email_validator": "email-validator",
}
POSTGRESQL_PACKAGES = {"psycopg": "psycopg[binary]"}  # only for a postgresql:// database
# Named one by one: the name 'booklet' on PyPI is another project, so not pip install 'booklet[shop]'.
SHOP_INSTALL = (
    "pip install flask waitress argon2-cffi email-validator 'psycopg[binary]' (booklet's [shop] extra; "
    "installed with pipx: pipx inject booklet flask waitress argon2-cffi email-validator 'psycopg[binary]')"
)


def _need(what: str, packages: dict[str, str]) -> None:
    """Stop, in one line, when a package ``what`` needs is not installed: say which, and how to install."""
    import importlib

    missing = []
    for module, package in packages.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            missing.append(package)
    if missing:
        raise click.ClickException(f"{what} needs {', '.join(missing)}, not installed: {SHOP_INSTALL}")


def _shop_db(url: str) -> str:
    """Return the shop's database ``url``, once the packages it needs are there."""
    from booklet.web.shop.db import kind_of

    if kind_of(url) == "postgresql":
        _need("a postgresql:// database", POSTGRESQL_PACKAGES)
    return url


def _db(ctx: click.Context, db_url: str | None = None) -> tuple[Path, str]:
    """Return the shop's data folder (private, an old layout moved in) and the database a command uses."""
    from booklet.web.shop.data import database_url

    group = ctx.find_object(dict) or {}
    given = db_url or group.get("db_url")
    if given:
        _shop_db(given)  # a missing package is said before any folder is made
    with _errors():
        folder, url = database_url(group["content_dir"], group["out_dir"], group["data_dir"], given)
    return folder, _shop_db(url)


@main.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port.")
@click.option(
    "--http",
    "plain_http",
    is_flag=True,
    help="Plain HTTP, to try the shop out: cookies without the Secure flag "
    "(with a --host other than this computer's it warns: passwords would cross the network in clear).",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="An HTTPS reverse proxy (Caddy, nginx) is in front: trust its X-Forwarded-For/-Proto/-Host "
    "(needed for a --host other than this computer's; see docs/shop.md).",
)
@click.option(
    "--url",
    "base_url",
    default=None,
    envvar="BOOKLET_SHOP_URL",
    help="The shop's address as people reach it ($BOOKLET_SHOP_URL), for emailed sign-in links "
    "(default: http://HOST:PORT).",
)
@DB
@DATA
@SMTP
@CONTENT
@OUT
@_verbosity
@click.pass_context
def shop(
    ctx: click.Context,
    host: str,
    port: int,
    plain_http: bool,
    behind_proxy: bool,
    base_url: str | None,
    db_url: str | None,
    data_dir: Path | None,
    smtp_url: str | None,
    content_dir: Path,
    out_dir: Path,
) -> None:
    """Run the order shop, where volunteers order printed booklets (Ctrl+C stops it).

    Put it behind an HTTPS reverse proxy for real use (see docs/shop.md). Sub-commands add
    people, send the mail that is due, and back up the database.
    """
    _need("booklet shop", SHOP_PACKAGES)
    ctx.obj = {
        "db_url": db_url,
        "out_dir": out_dir,
        "content_dir": content_dir,
        "data_dir": data_dir,
        "smtp_url": smtp_url,
    }
    if ctx.invoked_subcommand is not None:
        return
    from booklet.web.shop.app import Settings
    from booklet.web.shop.server import check_host, serve

    with _errors():
        warning = check_host(host, behind_proxy, plain_http)
        if warning:
            click.secho("Warning: ", fg="yellow", bold=True, err=True, nl=False)
            click.echo(warning, err=True)
        folder, url = _db(ctx, db_url)
        settings = Settings(
            url,
            content_dir,
            out_dir,
            not plain_http,
            data_dir=folder,
            smtp_url=smtp_url,
            base_url=base_url or f"http://{host}:{port}",
        )
        serve(settings, host, port, behind_proxy=behind_proxy)


@shop.command(name="add-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["volunteer", "team"]), required=True, help="What they may do.")
@click.option(
    "--url",
    "base_url",
    default="http://127.0.0.1:8000",
    show_default=True,
    envvar="BOOKLET_SHOP_URL",
    help="The shop's address as people reach it ($BOOKLET_SHOP_URL), for the link.",
)
@DB
@click.pass_context
def add_user(ctx: click.Context, email: str, role: str, base_url: str, db_url: str | None) -> None:
    """Add someone to the shop, email them a one-time sign-in link (valid for 24 hours) and print it.

    For someone already there, it makes a new link (to set a new password); earlier links stop working.
    """
    from booklet.web.shop.server import add_user as run_add_user

    folder, url = _db(ctx, db_url)
    group = ctx.obj
    with _errors():
        link, where = run_add_user(
            url, email, role, base_url, group["content_dir"], folder, group["smtp_url"]
        )
    click.echo(link)
    click.echo(where, err=True)


@shop.command(name="send-mail")
@DB
@click.pass_context
def send_mail(ctx: click.Context, db_url: str | None) -> None:
    """Send the shop's messages that are due, then stop (for cron; the running shop sends them too)."""
    from booklet.web.shop.server import send_mail as run_send_mail

    folder, url = _db(ctx, db_url)
    with _errors():
        run_send_mail(url, folder, ctx.obj["smtp_url"])


@shop.command()
@click.argument("target", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@DB
@click.pass_context
def backup(ctx: click.Context, target: Path, db_url: str | None) -> None:
    """Write a consistent copy of the shop's database to TARGET (0600), even while the shop runs.

    TARGET - writes it to standard output.
    """
    from booklet.web.shop.server import backup as run_backup

    _, url = _db(ctx, db_url)
    with _errors():
        run_backup(url, target)


if __name__ == "__main__":
    main()
