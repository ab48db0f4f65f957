"""The catalogue website: what each page says, every link, the order form, and a real browser.

In headless Chromium, axe-core finds no WCAG 2.2 A or AA violation, every link is reached by
Tab with a visible focus, and the pages reflow at 320 px without sideways scrolling.
"""

from __future__ import annotations

import functools
import http.server
import json
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.build import build
from booklet.cli import main
from booklet.errors import BuildError, ConfigError, ContentError
from booklet.press import orders
from booklet.render import templates
from booklet.source import pictograms
from booklet.source.project import Project
from booklet.web import catalogue
from booklet.web.catalogue import write_catalogue
from booklet.web.downloads import file_size, formats, paper_name

from . import tools
from .conftest import FIXTURES
from .tools import needs

BROWSER = Path(__file__).parent / "browser"
SAMPLE = "sample-booklet"
WELSH = "gofalu-am-eich-croen"  # a second booklet, in Welsh, never built
TOP_PAGES = {"index.html", "order.html", *(f.page for f in formats())}


@dataclass(frozen=True)
class Site:
    """The content and the out/ folder of a catalogue built once for this module."""

    content: Path
    out: Path

    def page(self, name: str) -> str:
        """Return a page of the site as text."""
        return (self.out / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Build the sample booklet (every variant), add a Welsh booklet left unbuilt, write the catalogue."""
    root = tmp_path_factory.mktemp("catalogue")
    content_dir = root / "content"
    shutil.copytree(FIXTURES, content_dir)  # as the sample_content fixture does, once per module
    welsh = content_dir / WELSH
    shutil.copytree(content_dir / SAMPLE, welsh)
    (welsh / "easy-read.md").unlink()
    text = (welsh / "booklet.md").read_text(encoding="utf-8")
    text = text.replace("title: Looking after your skin during treatment", "title: Gofalu am eich croen")
    (welsh / "booklet.md").write_text(text.replace("TST-01", "TST-02").replace("en-GB", "cy"), "utf-8")
    out = root / "out"
    build(content_dir, out, [SAMPLE])
    write_catalogue(Project.load(content_dir, empty_ok=True), out)
    return Site(content_dir, out)


def built_pdfs(site: Site) -> dict[str, Path]:
    """Return format name -> the sample booklet's PDF in that format, for those built."""
    folder = site.out / SAMPLE
    found = {f.name: folder / f"{SAMPLE}-{f.name}.pdf" for f in formats()}
    return {name: path for name, path in found.items() if path.is_file()}


class _Parser(HTMLParser):
    """Collect every tag with its attributes, and the ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def parse(path: Path) -> list[tuple[str, dict[str, str]]]:
    """Return the tags of an HTML file."""
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def catalogue_pages(out: Path) -> list[Path]:
    """Return every page the catalogue wrote (not the booklets' own web pages)."""
    return sorted([out / name for name in TOP_PAGES] + list(out.glob("*/index.html")))


# Attributes a reader meets (a screen reader says them, or a browser shows them)
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|alt|title|placeholder|value)="([^"]*)"')


def words_written_in(template: str) -> list[str]:
    """Return the words a template writes: outside Jinja, tags, scripts and entities; in read attributes."""
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", template, flags=re.DOTALL)
    text = re.sub(r"<script\b.*?</script>", " ", text, flags=re.DOTALL)  # code, its words data-* attributes
    read = " ".join(READ_ATTRIBUTES.findall(text))
    text = re.sub(r"<[^>]*>|&#?\w+;|\b[\w-]+=\"[^\"]*\"", " ", text) + " " + read  # and a macro's attributes
    return re.findall(r"[^\W\d_]+", text)


ROOT = templates.TEMPLATE_ROOT
SITE_TEMPLATES = [*sorted(ROOT.glob("catalogue/*.html")), ROOT / "web" / "frame.html"]  # the catalogue's


@pytest.mark.parametrize("path", SITE_TEMPLATES, ids=lambda p: p.name)
def test_the_catalogue_templates_write_no_words_of_their_own(path: Path) -> None:
    """Every word of the site is the message catalogue's (the publisher's over the package's)."""
    assert words_written_in(path.read_text(encoding="utf-8")) == []


def test_words_written_in_a_template_are_found() -> None:
    assert words_written_in('<p>{{ t("a") }} Find a booklet</p>') == ["Find", "a", "booklet"]
    assert words_written_in('<nav aria-label="Breadcrumb">{# a comment #}</nav>') == ["Breadcrumb"]
    assert words_written_in("<script>var x = 1;</script>{% if x %}&nbsp;\N{EN DASH}{% endif %}") == []


def test_pages_are_written(site: Site) -> None:
    written = {p.relative_to(site.out).as_posix() for p in site.out.rglob("index.html")}
    assert written == {"index.html", f"{SAMPLE}/index.html", f"{WELSH}/index.html"}
    for name in TOP_PAGES:
        assert (site.out / name).is_file(), name
    assert (site.out / "_static" / "styles" / "catalogue.css").is_file()
    assert not list(site.out.rglob("*.tmp"))


def test_every_link_resolves(site: Site) -> None:
    """Every href and src names a file that exists (and an id in it); only the publisher's are absolute."""
    external = {"https://www.example.org", "mailto:information@example.org", "tel:08081570192"}
    external |= {s.url for s in pictograms.SETS.values()}  # the pictures' credits (their licences ask it)
    for page in catalogue_pages(site.out):
        for _, attrs in parse(page):
            for url in (attrs[a] for a in ("href", "src") if a in attrs):
                parts = urlsplit(url)
                if parts.scheme:
                    assert url in external, f"{page}: unexpected absolute link {url}"
                    continue
                assert not parts.path.startswith("/"), f"{page}: {url} is not relative"
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                assert target.is_file(), f"{page}: {url} -> {target} does not exist"
                if parts.fragment:
                    ids = {a.get("id") for _, a in parse(target)}
                    assert parts.fragment in ids, f"{page}: {url}: no id '{parts.fragment}'"


def test_every_page_has_landmarks_one_h1_and_a_language(site: Site) -> None:
    for page in catalogue_pages(site.out):
        tags = parse(page)
        names = [t for t, _ in tags]
        assert tags[0] == ("html", {"lang": "en-GB"}), page
        assert names.count("h1") == 1, page
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in names, f"{page}: no <{landmark}>"
        first_link = next(a for t, a in tags if t == "a")
        assert first_link == {"class": "skip-link", "href": "#main"}, page


def test_booklet_page_shows_its_details_and_downloads(site: Site) -> None:
    html = site.page(f"{SAMPLE}/index.html")
    for words in (
        "<h1>Looking after your skin during treatment</h1>",
        "A short booklet used by the tests.",
        "<dd>TST-01</dd>",
        "<dd>2nd edition</dd>",
        '<time datetime="2026-01-15">January 2026</time>',
        '<time datetime="2028-01-15">January 2028</time>',
    ):
        assert words in html
    pdfs = built_pdfs(site)
    assert {"standard", "large-print"} <= pdfs.keys()
    paper = {"standard": "A5", "large-print": "A4", "easy-read": "A4"}
    for name, pdf in pdfs.items():
        label = next(f.label() for f in formats() if f.name == name)
        pages = len(PdfReader(pdf).pages)
        words = f"{label} PDF, {paper[name]}, {pages} pages, {file_size(pdf.stat().st_size)}"
        assert f'href="{pdf.name}">{words}</a>' in html
        assert f'href="{pdf.with_suffix(".html").name}">Read the {label.lower()} version online' in html


def test_a_booklet_not_built_has_no_links_to_its_files(site: Site) -> None:
    html = site.page(f"{WELSH}/index.html")
    assert "Standard print PDF: not built yet" in html
    assert "Large print PDF: not built yet" in html
    assert "Easy read" not in html.split("<main")[1].split("</main>")[0]  # it has no easy-read.md
    assert ".pdf" not in html
    assert WELSH + "-standard.html" not in html
    assert '<h1 lang="cy">Gofalu am eich croen</h1>' in html  # the title is marked as Welsh
    assert f'<a href="{WELSH}/index.html">Gofalu am eich croen</a>' in site.page("index.html")


def test_format_pages_list_only_booklets_in_that_format(site: Site) -> None:
    def titles(page: str) -> list[str]:
        return re.findall(r'class="card-title"[^>]*><a href="[^"]+">([^<]+)</a>', site.page(page))

    both = ["Gofalu am eich croen", "Looking after your skin during treatment"]
    assert titles("index.html") == both  # A to Z
    assert titles("large-print.html") == both
    assert titles("easy-read.html") == ["Looking after your skin during treatment"]
    easy = site.page("easy-read.html")
    assert "Standard print PDF" not in easy  # only the page's own format is offered
    assert "Easy read title: Looking after your skin" in easy


def test_home_page_offers_large_print_and_easy_read_first_and_an_a_to_z(site: Site) -> None:
    html = site.page("index.html")
    tiles = re.findall(r'class="tile tile-([a-z-]+)" href="([^"]+)"', html)
    assert tiles[:2] == [("large-print", "large-print.html"), ("easy-read", "easy-read.html")]
    assert re.findall(r'href="#letter-([a-z0-9-]+)"', html) == ["g", "l"]
    assert 'id="title-filter" class="title-filter" role="search" hidden' in html  # shown by its script


def test_order_page_and_form(site: Site, tmp_path: Path) -> None:
    available = {"TST-01": list(built_pdfs(site))}  # the Welsh booklet is not built: not orderable
    form = (site.out / "order-form.csv").read_text(encoding="utf-8")
    assert form == orders.template_csv(available, {"TST-01": "Looking after your skin during treatment"})
    html = site.page("order.html")
    assert '<a href="order-form.csv">Download the order form' in html
    assert "<td><strong>TST-01</strong></td>" in html
    assert "TST-02" not in html
    filled = form.replace(
        "TST-01,standard,,,,,,", "TST-01,standard,25,Ward 7,Sister Lee,1 High St,01234 567890,", 1
    )
    (tmp_path / "orders.csv").write_text(filled, encoding="utf-8")
    [order] = orders.read_orders(tmp_path / "orders.csv", available)
    assert (order.code, order.variant, order.quantity) == ("TST-01", "standard", 25)


def test_other_large_print_sizes_are_offered_when_built(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(site.out / SAMPLE, out / SAMPLE)
    shutil.copy(out / SAMPLE / f"{SAMPLE}-large-print.pdf", out / SAMPLE / f"{SAMPLE}-large-print-24pt.pdf")
    cat = catalogue.gather(Project.load(site.content), out)
    sizes = [(d.point, d.pdf) for e in cat.entries if e.slug == SAMPLE for d in e.of("large-print")]
    assert sizes == [("", f"{SAMPLE}-large-print.pdf"), ("24", f"{SAMPLE}-large-print-24pt.pdf")]
    assert cat.entries[1].of("large-print")[1].label().startswith("Large print PDF, 24 point, A4, ")


def test_catalogue_alone_builds_nothing(sample_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_catalogue(Project.load(sample_content, empty_ok=True), out)
    assert not list(out.rglob("*.pdf"))
    html = (out / SAMPLE / "index.html").read_text(encoding="utf-8")
    assert "Standard print PDF: not built yet" in html
    assert (out / "order-form.csv").read_text(
        encoding="utf-8"
    ) == "code,variant,quantity,ordered_by,delivery_name,address,contact,title\n"


def test_drafts_are_left_out_of_the_published_catalogue_and_labelled_when_included(
    sample_content: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """A booklet that is not approved is left out of the catalogue a charity publishes (issue 28).

    ``--include-drafts`` (and serve) lists it, labelled Draft; it cannot be ordered either way.
    """
    draft = sample_content / "a-draft"
    shutil.copytree(sample_content / SAMPLE, draft)
    text = (draft / "booklet.md").read_text(encoding="utf-8").replace("TST-01", "TST-09")
    (draft / "booklet.md").write_text(text.replace("status: approved", "status: in-review"), "utf-8")
    out = tmp_path / "out"
    write_catalogue(Project.load(sample_content, empty_ok=True), out, include_drafts=True)
    label = "<strong>Draft</strong>: not approved yet, not for use with patients (in review)"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count(label) == 1
    assert label in (out / "a-draft" / "index.html").read_text(encoding="utf-8")
    assert label not in (out / SAMPLE / "index.html").read_text(encoding="utf-8")
    assert "TST-09" not in (out / "order-form.csv").read_text(encoding="utf-8")
    published = tmp_path / "published"
    result = runner.invoke(main, ["catalogue", "--content", str(sample_content), "--out", str(published)])
    assert result.exit_code == 0, result.output
    assert (
        "Left out 1 booklet(s) not approved yet: a-draft (in-review); --include-drafts lists them"
        in result.output
    )
    assert (published / SAMPLE / "index.html").is_file()
    assert not (published / "a-draft").exists()
    assert "TST-09" not in (published / "index.html").read_text(encoding="utf-8")
    included = tmp_path / "included"
    args = ["catalogue", "--include-drafts", "--content", str(sample_content), "--out", str(included)]
    assert runner.invoke(main, args).exit_code == 0
    assert (included / "index.html").read_text(encoding="utf-8").count(label) == 1


def test_build_first_still_writes_the_catalogue_when_a_booklet_fails(
    sample_content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.rmtree(sample_content / SAMPLE)
    broken = sample_content / "broken"
    broken.mkdir()
    (broken / "booklet.md").write_text("---\ntitle: Broken\n---\n# A\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="required key 'code' is missing") as info:
        write_catalogue(Project.load(sample_content, empty_ok=True), out, build_first=True)
    assert {p.booklet for p in info.value.problems} == {"broken"}
    assert "There are no booklets yet." in (out / "index.html").read_text(encoding="utf-8")
    assert "required key 'code'" not in caplog.text  # the build's error says it: not logged again


def break_front_matter(content_dir: Path, slug: str = "broken") -> Path:
    """Copy the sample booklet as ``slug`` with one typo in its front matter; return its booklet.md."""
    shutil.copytree(content_dir / SAMPLE, content_dir / slug)
    source = content_dir / slug / "booklet.md"
    text = source.read_text(encoding="utf-8").replace("TST-01", "TST-09")
    source.write_text(text.replace("published: 2026-01-15", "published: 2026-01-32"), encoding="utf-8")
    return source


def test_a_booklet_with_broken_front_matter_is_reported_after_the_site_is_written(
    sample_content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = break_front_matter(sample_content)
    out = tmp_path / "out"
    with pytest.raises(ContentError, match=r"left out of the catalogue.*: broken") as info:
        write_catalogue(Project.load(sample_content, empty_ok=True), out)
    assert isinstance(info.value, catalogue.LeftOutError)
    [problem] = info.value.problems
    assert (problem.path, problem.line, problem.booklet) == (source, 7, "broken")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{SAMPLE}/index.html">Looking after your skin during treatment</a>' in index
    assert "broken" not in index
    assert not (out / "broken").exists()
    assert (out / "order.html").is_file()
    assert (out / "order-form.csv").is_file()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [str(problem)]
    assert f"{source}:7: 'published' '2026-01-32' is not a real date" in errors[0]


def test_cli_catalogue_exits_1_naming_the_file_and_line(
    runner: CliRunner, sample_content: Path, tmp_path: Path
) -> None:
    break_front_matter(sample_content)
    out = tmp_path / "out"
    result = runner.invoke(main, ["catalogue", "--content", str(sample_content), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "broken/booklet.md:7: 'published' '2026-01-32' is not a real date" in result.output
    assert "Fix: write the date as YYYY-MM-DD" in result.output
    assert (
        "Error: 1 booklet(s) left out of the catalogue because of the problems above: broken" in result.output
    )
    assert result.output.count("2026-01-32") == 1  # said once, not again in the error
    assert "Traceback" not in result.output
    assert "Wrote the catalogue of 1 booklet(s)" in result.output  # the site was written first
    assert SAMPLE in (out / "index.html").read_text(encoding="utf-8")


def test_a_booklet_with_a_variant_that_cannot_be_made_is_still_listed(
    sample_content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    easy = sample_content / SAMPLE / "easy-read.md"
    easy.write_text(easy.read_text(encoding="utf-8").replace("icon:nurse", "icon:no-such-picture"), "utf-8")
    out = tmp_path / "out"
    write_catalogue(Project.load(sample_content, empty_ok=True), out)  # no error: every booklet is listed
    assert f'<a href="{SAMPLE}/index.html">' in (out / "index.html").read_text(encoding="utf-8")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    ("size", "words"),
    [(1, "1 KB"), (41_400, "41 KB"), (999_499, "999 KB"), (1_000_000, "1.0 MB"), (1_160_000, "1.2 MB")],
)
def test_file_size(size: int, words: str) -> None:
    assert file_size(size) == words


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [(595.28, 841.89, "A4"), (841.89, 595.28, "A4"), (419.53, 595.28, "A5"), (612, 792, "")],
)
def test_paper_name(width: float, height: float, name: str) -> None:
    assert paper_name(width, height) == name


def test_cli_catalogue(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = mock.create_autospec(catalogue.write_catalogue, return_value=[])
    monkeypatch.setattr(catalogue, "write_catalogue", fake)
    project = mock.sentinel.project  # the command loads the folder once and hands the library the project
    load = mock.Mock(return_value=project)
    monkeypatch.setattr(Project, "load", load)
    args = ["catalogue", "--build", "--content", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    load.assert_called_once_with(tmp_path / "c", (), empty_ok=True)
    fake.assert_called_once_with(
        project, tmp_path / "o", build_first=True, include_drafts=False, progress=mock.ANY
    )
    fake.side_effect = ConfigError("publisher.yml: no name")
    result = runner.invoke(main, args[:1])
    assert result.exit_code == 1
    assert "Error: publisher.yml: no name" in result.output
    load.assert_called_with(Path("content"), (), empty_ok=True)
    fake.assert_called_with(project, Path("out"), build_first=False, include_drafts=False, progress=None)


# ---- In a real browser ----


@pytest.fixture(scope="module")
def http_url(site: Site) -> Iterator[str]:
    """Serve the site's out/ folder over loopback HTTP for the browser."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site.out))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


in_browser = needs("chromium", "node", "browser")  # the tests that run tests/browser's checks


def run_in_browser(script: str, config: dict[str, Any], timeout: int = 300) -> dict[str, Any]:
    """Run a check of tests/browser (axe.mjs, shop.mjs) with its JSON config; return its JSON result."""
    run = subprocess.run(
        ["node", str(BROWSER / script)],
        input=json.dumps(config),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def assert_page_passes(page: dict[str, Any], where: str, controls: int) -> None:
    """Assert what tests/browser/runner.mjs found on a page: no axe violation, no failed request.

    At least ``controls`` controls, each reached by Tab in order with a visible focus, the
    skip link first, and no sideways scrolling at 320 px.
    """
    assert page["violations"] == [], where
    assert page["errors"] == [], where
    keys = page["keyboard"]
    assert keys["missed"] == [], where
    assert keys["problems"] == [], where
    assert keys["reached"] == keys["targets"] >= controls, where
    assert keys["first"] == "#main", f"{where}: the skip link is not the first Tab stop"
    assert page["reflow"]["scrollWidth"] <= page["reflow"]["width"], f"{where}: scrolls sideways at 320px"


@in_browser
def test_pages_pass_axe_keyboard_and_reflow_in_chromium(site: Site, http_url: str, tmp_path: Path) -> None:
    """Axe-core (WCAG 2.2 A/AA and best practices) at 1280 and 320 px, Tab order, focus, reflow.

    Screenshots go to $BOOKLET_SCREENSHOTS when set (to look at), else to a temporary folder.
    """
    shots = Path(os.environ.get("BOOKLET_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    pages = [
        {"url": http_url + "index.html", "shot": "index", "filter": "skin"},
        {"url": http_url + f"{SAMPLE}/index.html", "shot": "booklet"},
        {"url": http_url + "order.html", "shot": "order"},
        *({"url": http_url + f.page} for f in formats()),
        {"url": (site.out / WELSH / "index.html").as_uri()},  # opened from a folder: file://
    ]
    config = {"chromium": tools.path("chromium"), "shots": str(shots), "pages": pages}
    results = run_in_browser("axe.mjs", config, timeout=120)["pages"]
    assert len(results) == len(pages)
    for page in results:
        assert_page_passes(page, page["url"], controls=6)
        assert page["font"], f"{page['url']}: Atkinson Hyperlegible did not load"
    assert results[0]["filter"] == {"status": "Booklets that match: 1 of 2", "visible": 1}
    assert (shots / "index-1280.png").stat().st_size > 10_000
