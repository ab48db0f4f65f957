"""A table that runs on to another page stays one Table, its repeated head an artifact.

WeasyPrint 70 builds the structure tree page by page: a table broken by a page becomes a
Table element on each page, and the head row it paints again at the top of the next page
(``thead`` repeats, as readers of print expect) is tagged again as that Table's THead, so
a screen reader meets two tables and reads the head twice. The mend, when WeasyPrint has
built the part of a table on a later page, the part's rows join the first part's body; the
repeated head's content joins the first head's cells, each of which gets its text as
``/ActualText``, so that a reader reads each head cell once; a cell that named the repeated
head cells as its ``/Headers`` names the first head's cells instead.

Why not an artifact (the repeated head painted as ``/Artifact``, as running heads are): it
was tried, and outloud refused it (TAG-002, "1 line(s) of prose are marked /Artifact and
will be skipped by every reader", on the 11-word head of a table of the ten-tables corpus
booklet); page-validation ua1 passed both. Content that stays tagged, read once through
``/ActualText``, satisfies both. A head whose cells do not pair up is still an artifact.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf


def _obj(pdf: Any, reference: Any) -> Any:
    return pdf.objects[int(bytes(reference).split()[0])]


def _walk(element: Any, pdf: Any) -> Iterator[Any]:
    """Yield a structure element and every structure element under it."""
    yield element
    for kid in element["K"]:
        if not isinstance(kid, int):
            obj = _obj(pdf, kid)
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem":
                yield from _walk(obj, pdf)


def join(first: Any, part: Any, pdf: Any, nums: dict[int, Any], stream: Any, said: dict[int, str]) -> None:
    """Make ``part`` (a table's part on a later page) one with ``first``, its repeated head an artifact."""
    renamed: dict[str, pydyf.String] = {}
    for reference in list(part["K"]):
        kid = reference if isinstance(reference, int) else _obj(pdf, reference)
        if isinstance(kid, pydyf.Dictionary) and kid.get("S") == "/THead" and _has(first, "/THead", pdf):
            renamed |= _drop_head(kid, first, pdf, nums, stream, said)
            continue
        last = _obj(pdf, first["K"][-1]) if first["K"] and not isinstance(first["K"][-1], int) else None
        if (
            isinstance(kid, pydyf.Dictionary)
            and last is not None
            and kid.get("S") == last.get("S") == "/TBody"
        ):
            for row in kid["K"]:  # rows of the same body: one TBody
                if not isinstance(row, int):
                    _obj(pdf, row)["P"] = last.reference
                last["K"].append(row)
            kid.clear()
            continue
        if isinstance(kid, pydyf.Dictionary):
            kid["P"] = first.reference
        first["K"].append(reference)
    for element in _walk(first, pdf):
        headers = element.get("A", {}).get("Headers") if isinstance(element.get("A"), dict) else None
        if headers:
            element["A"]["Headers"] = pydyf.Array(renamed.get(str(h.string), h) for h in headers)
    part.clear()


def _has(table: Any, kind: str, pdf: Any) -> bool:
    return any(not isinstance(k, int) and _obj(pdf, k).get("S") == kind for k in table["K"])


def _drop_head(
    head: Any, first: Any, pdf: Any, nums: dict[int, Any], stream: Any, said: dict[int, str]
) -> dict[str, Any]:
    """Give a repeated head's content to the first head's cells, read once; return its cells' ids -> theirs.

    Each repeated cell's content joins the same cell of the first head, which gets its text as
    ``/ActualText``: a reader reads the cell once, and what is painted again stays tagged. A
    head whose cells do not pair up is painted as an artifact instead.
    """
    cells = [e for e in _walk(first, pdf) if e.get("S") == "/TH" and _under(e, "/THead", pdf)]
    again = [e for e in _walk(head, pdf) if e.get("S") == "/TH"]
    pairs = len(cells) == len(again) and all(id(cell) in said for cell in cells)
    renamed = {}
    for cell, repeat in zip(cells, again, strict=False):
        if "ID" in cell and "ID" in repeat:
            renamed[str(repeat["ID"].string)] = cell["ID"]
    for element in list(_walk(head, pdf)) if not pairs else []:
        for kid in element["K"]:
            if isinstance(kid, int):
                nums[kid] = "null"  # no structure element owns it now
                as_artifact(stream, kid)
    for cell, repeat in zip(cells, again, strict=True) if pairs else []:
        cell["ActualText"] = pydyf.String(said[id(cell)])
        for kid in repeat["K"]:
            if isinstance(kid, int):  # a marked-content sequence of another page
                cell["K"].append(pydyf.Dictionary({"Type": "/MCR", "Pg": repeat["Pg"], "MCID": kid}))
                nums[kid] = cell.reference
            else:
                _obj(pdf, kid)["P"] = cell.reference
                cell["K"].append(kid)
        repeat["K"] = pydyf.Array()
    for element in list(_walk(head, pdf)):
        element.clear()
    return renamed


def _under(element: Any, kind: str, pdf: Any) -> bool:
    """Return whether a structure element is inside one of type ``kind``."""
    parent = element.get("P")
    while parent is not None:
        obj = _obj(pdf, parent)
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Type") != "/StructElem":
            return False
        if obj.get("S") == kind:
            return True
        parent = obj.get("P")
    return False


def as_artifact(stream: Any, mcid: int) -> bool:
    """Turn the marked-content sequence ``mcid`` of a page's content into an ``/Artifact`` one."""
    ops = stream.stream
    for i, op in enumerate(ops):
        if isinstance(op, pydyf.Dictionary) and op.get("MCID") == mcid and ops[i + 1] == b"BDC":
            ops[i - 1 : i + 2] = ["/Artifact", b"BMC"]
            return True
    return any(
        as_artifact(group, mcid)
        for group in stream._resources.get("XObject", {}).values()
        if hasattr(group, "stream") and getattr(group, "_tags", None) is stream._tags
    )
