"""What ``booklet serve`` adds to the pages it serves: the problems page, the PDF bar, the reload script.

A page a problem stops is served as a page of those problems (file, line, rule, how to fix
it: the records of booklet/errors.py, never their text read back), in place of the last good
page; a booklet's web page carries a bar saying whether its PDF is being made, and links to
it once it is ready. Every page gets a small script that asks the server for its generation
once a second and reloads the page when it changes (after each rebuild), so a fixed problem
gives way to the page by itself.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..render import templates

GENERATION_PATH = "/__booklet__/generation"
FOLDERS = ("serve", "web")  # the problems page's template, then the frame it extends
RELOAD_SCRIPT = f"""<script>/* booklet serve: reload this page after each rebuild */
(function () {{
  var seen = "GENERATION";  /* the generation this page was served in */
  setInterval(function () {{
    fetch("{GENERATION_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (g) {{
        if (g !== seen) {{ location.reload(); }}
      }})
      .catch(function () {{}});
  }}, 1000);
}}());
</script>
""".encode()
BAR_STYLE = (
    "position:sticky;top:0;z-index:100;margin:0;padding:0.5em 1em;background:#fff4c2;color:#1a1a1a;"
    "border-bottom:2px solid #1a1a1a;font:1rem/1.4 'Atkinson Hyperlegible','DejaVu Sans',sans-serif"
)


@dataclass(frozen=True)
class Shown:
    """One problem as the page shows it: the file relative to the content folder, and the record's fields."""

    file: str
    line: int | None
    rule: str
    message: str
    fix: str


def shown(problem: Problem, content_dir: Path) -> Shown:
    """Describe a problem for the page, naming its file from the content folder ('slug/booklet.md')."""
    try:
        file = problem.path.resolve().relative_to(content_dir.resolve()).as_posix()
    except ValueError:
        file = str(problem.path)
    return Shown(file, problem.line, problem.rule, problem.message, problem.fix)


def problems_page(page: str, problems: Iterable[Problem], content_dir: Path, generation: int) -> bytes:
    """Return the page shown in place of ``page`` (a path under out/) while ``problems`` stop it."""
    listed = [shown(p, content_dir) for p in problems]
    text = templates.render(FOLDERS, "problems.html", {"page": page, "problems": listed})
    return inject_reload(text.encode(), generation)


def inject_reload(page: bytes, generation: int) -> bytes:
    """Add the reload script to an HTML page served in ``generation``, before its closing body tag.

    The page knows the generation it was served in, so a rebuild that ends between the page
    being served and its first question is not missed.
    """
    script = RELOAD_SCRIPT.replace(b'"GENERATION"', f'"{generation}"'.encode())
    at = page.rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def pdf_bar(pdf_name: str, building: bool, ready: bool) -> bytes:
    """Return the bar that says whether a web page's PDF is being made, with a link once it is ready."""
    name = html.escape(pdf_name)
    if building:
        words = f"The PDF of this page ({name}) is being made; this page offers it when it is ready."
    elif ready:
        words = f'The PDF of this page is ready: <a href="{name}" style="color:#073842">open {name}</a>.'
    else:
        return b""
    return (
        f'<aside aria-label="Preview" class="booklet-serve-bar" style="{BAR_STYLE}">'
        f'<p role="status" style="margin:0">{words}</p></aside>\n'
    ).encode()


def _item(p: Shown) -> str:
    """Return one problem as a list item of the bar: file, line, message, rule and fix."""
    line = f", line {p.line}" if p.line else ""
    rule = f" ({html.escape(p.rule)})" if p.rule else ""
    fix = f" How to fix it: {html.escape(p.fix)}" if p.fix else ""
    return f"<li>{html.escape(p.file)}{line}: {html.escape(p.message)}{rule}.{fix}</li>"


def failed_bar(pdf_name: str, problems: Iterable[Problem], content_dir: Path) -> bytes:
    """Return the bar of a web page whose PDF could not be made, with each problem that stopped it."""
    items = "".join(_item(shown(problem, content_dir)) for problem in problems)
    words = f"The PDF of this page ({html.escape(pdf_name)}) could not be made:"
    return (
        f'<aside aria-label="Preview" class="booklet-serve-bar" style="{BAR_STYLE}">'
        f'<p role="status" style="margin:0">{words}</p><ul style="margin:0">{items}</ul></aside>\n'
    ).encode()


def inject_bar(page: bytes, bar: bytes) -> bytes:
    """Add the PDF bar at the start of an HTML page's body."""
    at = page.find(b"<body")
    end = page.find(b">", at) if at >= 0 else -1
    return page if end < 0 or not bar else page[: end + 1] + b"\n" + bar + page[end + 1 :]
