"""Benchmark: `booklet build` against a bare WeasyPrint render of the same HTML.

Run: .venv/bin/python scripts/benchmark.py [--runs N] [--slug SLUG]

Both sides are whole processes started the same way, run alternately, so Python's
start-up and WeasyPrint's import are paid by both. The bare side is the
`weasyprint` command with --pdf-variant pdf/ua-1 on the exact HTML and
stylesheets the pipeline renders; the difference is what the pipeline adds
(loading and checking the sources, Markdown, templates, the web HTML, safe writes).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slug", default="secondary-liver-cancer")
    args = parser.parse_args()

    from booklet import content, render_html, variants

    variant = variants.get("standard")
    booklet = content.load_booklet(ROOT / "content", args.slug, content.load_publisher(ROOT / "content"))
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "booklet.html"
        html.write_text(render_html.render(booklet, variant), encoding="utf-8")
        bare = [
            str(BIN / "weasyprint"),
            "--pdf-variant",
            "pdf/ua-1",
            "-u",
            f"{booklet.folder}/",
            *[a for s in variant.stylesheets for a in ("-s", str(ROOT / "styles" / s))],
            str(html),
            str(Path(tmp) / "bare.pdf"),
        ]
        ours = [
            str(BIN / "booklet"),
            "-q",
            "build",
            args.slug,
            "--variant",
            "standard",
            "--out",
            str(Path(tmp) / "out"),
        ]
        timed(ours), timed(bare)  # warm the file cache
        t_ours, t_bare = [], []
        for _ in range(args.runs):
            t_ours.append(timed(ours))
            t_bare.append(timed(bare))
        pages = len(__import__("pypdf").PdfReader(Path(tmp) / "bare.pdf").pages)
    m_ours, m_bare = statistics.median(t_ours), statistics.median(t_bare)
    print(f"{args.slug}, standard variant, {pages} pages, median of {args.runs} runs")
    print(f"  bare weasyprint --pdf-variant pdf/ua-1 : {m_bare:6.2f} s")
    print(f"  booklet build --variant standard      : {m_ours:6.2f} s")
    print(f"  pipeline overhead                      : {100 * (m_ours / m_bare - 1):+6.1f} %")


if __name__ == "__main__":
    main()
