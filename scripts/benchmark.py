"""Benchmarks of booklet, each against what it should beat. Numbers go in docs/benchmarks.md.

Run: .venv/bin/python scripts/benchmark.py [--runs N] [--catalogue N] [--only NAME]

Every timing is of whole processes started the same way (Python start-up and
imports included on both sides), run alternately, median of N runs.

1. standard:   `booklet build SLUG --variant standard` against the bare `weasyprint
               --pdf-variant pdf/ua-1` command on the exact HTML and stylesheets.
2. together:   standard + large print in one build, against two builds.
3. variants:   every variant of the first booklet in one build, against bare renders
               of each variant's HTML one after another in one Python process.
4. unchanged:  a build of the whole content folder with nothing changed (cache).
5. catalogue:  N booklets made from the first booklet and the test booklet, built
               cold, then again after editing one of them; seconds per page, and the
               peak memory of the largest process (a render worker).
6. shop:       `booklet shop` (waitress, SQLite in WAL mode, synchronous=FULL) taking
               orders: C clients at once over loopback, each ordering N/C times as a
               volunteer does (add to the basket, open the checkout, place the order:
               one transaction, its confirmation email queued in it); orders per second
               held, and the latency of placing one at the 50th and 99th percentile.
7. epub:       what an EPUB adds to a build: a build of the standard and easy-read
               variants in PDF and HTML against the same build with their EPUBs too
               (whole processes, one worker), and, in one process, making each EPUB
               against laying out and writing its PDF.

1 and 3 build PDF and HTML only (--format pdf --format html), as the bare renders they
are compared with make no EPUB.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BOOKLET = str(BIN / "booklet")
sys.path.insert(0, str(ROOT))

BARE_SCRIPT = """
import json, sys, weasyprint
for job in json.load(open(sys.argv[1])):
    css = [weasyprint.CSS(filename=f) for f in job["css"]] + [weasyprint.CSS(string=job["size_css"])]
    weasyprint.HTML(filename=job["html"], base_url=job["base"]).write_pdf(
        job["pdf"], stylesheets=css, pdf_variant="pdf/ua-1")
"""


PDF_HTML = ["--format", "pdf", "--format", "html"]  # a build without the EPUBs


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_pair(a: list[str], b: list[str], runs: int) -> tuple[float, float]:
    timed(a), timed(b)  # warm the file cache
    ta, tb = [], []
    for _ in range(runs):
        ta.append(timed(a))
        tb.append(timed(b))
    return statistics.median(ta), statistics.median(tb)


def build_english(tmp: Path, slug: str, out: str) -> list[str]:
    """Return the command that builds a booklet without its translations (no cache) into ``tmp/out``.

    A build of a slug makes its translations too; the renders it is compared with are of the
    English booklet alone, so it builds a copy of the booklet's folder without them.
    """
    folder = tmp / "content-en"
    if not folder.exists():
        folder.mkdir()
        shutil.copy(ROOT / "content" / "publisher.yml", folder / "publisher.yml")
        shutil.copytree(ROOT / "content" / slug, folder / slug, ignore=shutil.ignore_patterns("translations"))
    return [BOOKLET, "-q", "build", slug, "--content", str(folder), "--no-cache", "--out", str(tmp / out)]


def stylesheets(booklet: Any, variant: Any) -> list[str]:
    """Return the stylesheets booklet renders a variant with (a draft's band and the language's too)."""
    from booklet.render import html as render_html

    return [str(ROOT / "styles" / s) for s in render_html.context(booklet, variant)["stylesheets"]]


def extra_css(booklet: Any, variant: Any) -> str:
    """Return the CSS booklet adds after the stylesheets: the type size, and the language's page words."""
    from booklet.source import messages

    words = messages.of(booklet.publisher, booklet.lang or messages.SOURCE)
    return str(variant.size_css) + messages.words_css(words, variant.name)


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def bench_standard(tmp: Path, slug: str, runs: int) -> None:
    from booklet import variants
    from booklet.render import html as render_html
    from booklet.source.project import load_booklet

    variant = variants.get("standard")
    booklet = load_booklet(ROOT / "content", slug)
    html = tmp / "standard.html"
    html.write_text(render_html.render(booklet, variant), encoding="utf-8")
    (tmp / "size.css").write_text(extra_css(booklet, variant))
    bare = [
        str(BIN / "weasyprint"),
        "--pdf-variant",
        "pdf/ua-1",
        "-u",
        f"{booklet.folder}/",
        *[a for s in stylesheets(booklet, variant) for a in ("-s", s)],
        "-s",
        str(tmp / "size.css"),
        str(html),
        str(tmp / "bare.pdf"),
    ]
    ours = [*build_english(tmp, slug, "out1"), "--variant", "standard", *PDF_HTML]
    m_ours, m_bare = median_pair(ours, bare, runs)
    print(f"1. {slug}, standard variant, {pages(tmp / 'bare.pdf')} A5 pages, median of {runs} runs")
    print(f"   bare weasyprint --pdf-variant pdf/ua-1   {m_bare:6.2f} s")
    print(f"   booklet build --variant standard        {m_ours:6.2f} s")
    print(f"   pipeline overhead                        {100 * (m_ours / m_bare - 1):+6.1f} %")


def bench_together(tmp: Path, slug: str, runs: int) -> None:
    base = build_english(tmp, slug, "out2")
    print(f"2. {slug}, standard + large print, median of {runs} runs")
    for jobs in ("1", "2"):
        both = [*base, "-j", jobs, "--variant", "standard", "--variant", "large-print"]
        t_both, t_apart = [], []
        for _ in range(runs):
            t_both.append(timed(both))
            t_apart.append(
                timed([*base, "--variant", "standard"]) + timed([*base, "--variant", "large-print"])
            )
        m_both, m_apart = statistics.median(t_both), statistics.median(t_apart)
        ratio = m_both / m_apart
        print(f"   one build (-j {jobs}) {m_both:6.2f} s, two builds {m_apart:6.2f} s: ratio {ratio:.2f}")


def bench_variants(tmp: Path, slug: str, runs: int) -> None:
    from booklet.render import html as render_html
    from booklet.source.project import load_booklet

    booklet = load_booklet(ROOT / "content", slug)
    jobs: list[dict[str, Any]] = []
    for variant in booklet.variants():
        html = tmp / f"{variant.name}.html"
        html.write_text(render_html.render(booklet, variant), encoding="utf-8")
        jobs.append(
            {
                "html": str(html),
                "base": f"{booklet.folder}/",
                "pdf": str(tmp / f"{variant.name}.pdf"),
                "css": stylesheets(booklet, variant),
                "size_css": extra_css(booklet, variant),
            }
        )
    (tmp / "jobs.json").write_text(json.dumps(jobs))
    (tmp / "bare.py").write_text(BARE_SCRIPT)
    bare = [sys.executable, str(tmp / "bare.py"), str(tmp / "jobs.json")]
    ours = [*build_english(tmp, slug, "out3"), *PDF_HTML]
    m_ours, m_bare = median_pair(ours, bare, runs)
    total = sum(pages(Path(j["pdf"])) for j in jobs)
    print(f"3. {slug}, all {len(jobs)} variants ({total} pages), median of {runs} runs")
    print(f"   bare renders one after another           {m_bare:6.2f} s")
    print(f"   booklet build (pool of 2 on 2 cores)     {m_ours:6.2f} s   ratio {m_ours / m_bare:.2f}")


def bench_unchanged(tmp: Path, runs: int) -> None:
    out = tmp / "out4"
    subprocess.run([BOOKLET, "-q", "build", "--out", str(out)], check=True, cwd=ROOT)
    times = [timed([BOOKLET, "-q", "build", "--out", str(out)]) for _ in range(runs)]
    print(f"4. whole content folder, nothing changed: {statistics.median(times):.2f} s (median of {runs})")


def make_catalogue(folder: Path, count: int) -> None:
    shutil.copy(ROOT / "content" / "publisher.yml", folder / "publisher.yml")
    sources = [
        ROOT / "content" / "secondary-liver-cancer",
        ROOT / "tests" / "fixtures" / "content" / "sample-booklet",
    ]
    for n in range(count):
        dest = folder / f"booklet-{n:02d}"
        shutil.copytree(sources[n % 2], dest)
        text = (dest / "booklet.md").read_text()
        code = "SLC-01" if n % 2 == 0 else "TST-01"
        (dest / "booklet.md").write_text(text.replace(f"code: {code}", f"code: CAT-{n:02d}"))


def bench_catalogue(tmp: Path, count: int) -> None:
    folder = tmp / "catalogue"
    folder.mkdir()
    make_catalogue(folder, count)
    out = tmp / "out5"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cold = timed([BOOKLET, "-q", "build", "--content", str(folder), "--out", str(out)])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    made = sum(pages(p) for p in out.rglob("*.pdf"))
    edited = folder / "booklet-07" / "booklet.md"
    edited.write_text(edited.read_text().replace("Treatment can make", "Some treatments can make"))
    again = timed([BOOKLET, "-q", "build", "--content", str(folder), "--out", str(out)])
    unchanged = timed([BOOKLET, "-q", "build", "--content", str(folder), "--out", str(out)])
    pdfs = len(list(out.rglob("*.pdf")))
    print(f"5. catalogue of {count} booklets, {pdfs} PDFs, {made} pages")
    print(f"   cold build                               {cold:6.2f} s   {cold / made * 1000:.0f} ms a page")
    print(f"   after editing one booklet                {again:6.2f} s")
    print(f"   nothing changed                          {unchanged:6.2f} s")
    print(f"   peak memory of the largest process       {max(peak, before) / 1024:6.0f} MB")


def bench_shop(tmp: Path, count: int, clients: int) -> None:
    """Each client, in its own thread, orders again and again as a volunteer does.

    An order is three requests: add to the basket, open the checkout (its form), place the
    order; the latency is the last one's (the order's transaction), the rate whole orders.
    """
    import re
    from concurrent.futures import ThreadPoolExecutor

    from tests.shopkit import DELIVERY, cookie_of, live_sign_in, start_server

    key = re.compile(r'name="order_key" value="([^"]+)"')
    server = start_server(str(tmp / "shop.sqlite3"), tmp / "out6")
    try:
        people = [live_sign_in(server, f"volunteer{n}@example.org") for n in range(clients)]

        def orders(n: int) -> list[float]:
            cookie, csrf = people[n]
            took = []
            for _ in range(count // clients):
                form = {"csrf_token": csrf, "code": "TST-01", "qty-TST-01-standard": "10"}
                status, headers, _ = server.request("POST", "/basket/add", form, cookie)
                assert status == 303, status
                cookie = cookie_of(headers) or cookie
                status, headers, page = server.request("GET", "/checkout", cookie=cookie)
                cookie = cookie_of(headers) or cookie
                found = key.search(page)
                assert status == 200, status
                assert found, page
                form = {"csrf_token": csrf, "order_key": found.group(1), **DELIVERY}
                start = time.perf_counter()
                status, headers, _ = server.request("POST", "/checkout", form, cookie)
                took.append(time.perf_counter() - start)
                assert status == 303, status
                cookie = cookie_of(headers) or cookie
            return took

        cpu_before = _cpu_seconds(server.process.pid)
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            latencies = sorted(t for each in pool.map(orders, range(clients)) for t in each)
        elapsed = time.perf_counter() - start
        cpu = _cpu_seconds(server.process.pid) - cpu_before
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
    count = len(latencies)
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"6. shop on SQLite: {count} orders from {clients} clients at once (add, checkout, place)")
    print(f"   orders per second                        {count / elapsed:6.0f}")
    print(f"   latency of placing an order: median {p50:.0f} ms, 99th percentile {p99:.0f} ms")
    print(f"   the shop's CPU time per order (all three requests)  {cpu / count * 1000:5.1f} ms")


def _cpu_seconds(pid: int) -> float:
    """Return the CPU time (user and system) a process has used so far (others' load leaves it be)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _median_time(make: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_epub(tmp: Path, slug: str, runs: int) -> None:
    from booklet import variants
    from booklet.render import epub, formats
    from booklet.render import html as render_html
    from booklet.render.pdf import Renderer
    from booklet.source.project import load_booklet

    names = ["--variant", "standard", "--variant", "easy-read"]
    base = [BOOKLET, "-q", "build", slug, *names, "-j", "1", "--no-cache", "--out", str(tmp / "out6")]
    m_with, m_without = median_pair([*base, *PDF_HTML, "--format", "epub"], [*base, *PDF_HTML], runs)
    extra = 100 * (m_with / m_without - 1)
    print(f"7. {slug}, standard and easy read, median of {runs} runs")
    print(f"   build, PDF and HTML (-j 1)               {m_without:6.2f} s")
    print(f"   build, PDF, HTML and EPUB (-j 1)         {m_with:6.2f} s   {extra:+.1f} %")
    booklet = load_booklet(ROOT / "content", slug)
    with Renderer() as renderer:
        for name in ("standard", "easy-read"):
            variant = variants.get(name)
            ctx = render_html.context(booklet, variant)
            made = formats.Made(booklet, variant, tmp, renderer, _context=ctx)
            pdf = functools.partial(formats.FORMATS["pdf"].make, made)
            pdf()  # warm fonts and images
            book = functools.partial(epub.make, booklet, variant, ctx, made.page_map())
            t_pdf, t_epub = _median_time(pdf, runs), _median_time(book, runs)
            print(
                f"   in one process, {name:9}: PDF {t_pdf:5.2f} s, EPUB {t_epub:5.3f} s "
                f"({100 * t_epub / t_pdf:.1f} % of the PDF)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--catalogue", type=int, default=30)
    parser.add_argument("--slug", default="secondary-liver-cancer")
    parser.add_argument("--orders", type=int, default=2000, help="orders posted to the shop")
    parser.add_argument("--clients", type=int, default=16, help="shop clients posting at once")
    parser.add_argument(
        "--only", choices=["standard", "together", "variants", "unchanged", "catalogue", "shop", "epub"]
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for bench in ("standard", "together", "variants", "unchanged", "catalogue", "shop", "epub"):
            if args.only in (None, bench):
                if bench == "shop":
                    bench_shop(tmp, args.orders, args.clients)
                elif bench == "catalogue":
                    bench_catalogue(tmp, args.catalogue)
                elif bench == "unchanged":
                    bench_unchanged(tmp, args.runs)
                else:
                    globals()[f"bench_{bench}"](tmp, args.slug, args.runs)


if __name__ == "__main__":
    main()
