"""QR codes that point at a booklet's page in the catalogue (printed on the back cover)."""

from __future__ import annotations

import base64
import io

from ..model import Booklet


def page_url(booklet: Booklet) -> str:
    """Return the address of the booklet's catalogue page, or '' when no catalogue is set."""
    base = booklet.publisher.catalogue_url
    return f"{base.rstrip('/')}/{booklet.slug}/" if base else ""


def data_uri(url: str) -> str:
    """Return a QR code for ``url`` as an SVG data URI (vector, dark on white, quiet zone kept)."""
    import segno  # deferred: its SVG writer imports urllib and http, which only a back cover needs

    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, scale=4, border=4, dark="#1a1a1a", light="#ffffff")
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")
