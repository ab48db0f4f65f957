"""Print orders: read and check an order file, group it into a print run, and sum up the paper.

An order file is CSV with the header
``code,variant,quantity,ordered_by,delivery_name,address,contact``, as volunteers and
clinics fill it in from the catalogue (``template_csv`` writes a blank one); the shop
(``booklet.web.shop``) makes the same ``Order`` rows from its database. Reading is forgiving
where it cannot do harm and strict where it could print or post the wrong thing:

- a UTF-8 byte-order mark and Windows line ends are fine; other encodings are an error;
- header names may differ in case and spacing (``Ordered by``); columns may come in any
  order, and extra columns (such as the form's ``title``) are ignored;
- codes and variants match whatever their case (``slc-01`` is ``SLC-01``);
- blank rows, and rows of the blank form left as they were (quantity and ordered_by both
  empty), are skipped: they order nothing;
- every other row must name a known code, a variant that code comes in, a quantity that
  is a whole number from 1 to the code's limit (publisher.yml ``order_limits``, default
  500, so a typo of 100000 never reaches the printer), who the parcel goes to
  (``delivery_name``), the delivery ``address`` and a ``contact`` (an email address or a
  phone number). Every problem is reported at once, with its line;
- a quote that opens a value and is never closed (``"Ward 7`` and no closing quote) would
  swallow every later row into one value: the file is refused, naming the line the quote
  opened on (so is a quote that closes in the middle of a value, ``"Ward" 7``).

Limits keep a hostile or broken file from exhausting memory or ordering a fortune in
paper; each is refused with a ContentError naming the file (and the line, where there is one):

- ``csvfile.MAX_FILE_BYTES`` = 5 MiB (5,242,880 bytes): the size of an order file;
- ``MAX_ROWS`` = 10,000: rows after the header (blank lines not counted);
- ``csvfile.MAX_FIELD_CHARS`` = 1,000: characters in one value (any column);
- ``MAX_QUANTITY`` = 100,000: copies ordered on one row;
- ``MAX_QUANTITY_DIGITS`` = 9: digits in a quantity, leading zeros included (checked before
  the number is converted, so 5,000 digits never become a huge integer).

Reading and writing the CSV itself (encoding, quotes, formulas) is :mod:`booklet.press.csvfile`'s.
Every CSV file written (``run.csv``, the blank order form) is opened in spreadsheets, which
run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula. Such a cell is written with a single quote in front (``'=HYPERLINK(...)``), the
OWASP rule against CSV injection, so it shows as text.

``group`` adds the orders up per booklet variant, keeping each orderer's share;
``booklet.press.run_summary`` works out the paper and writes run.csv and summary.txt.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import plaintext
from ..errors import ContentError, Problem
from ..model import OrderLimits
from . import csvfile

RUN_CSV = "run.csv"  # a run's list of what to print, written last: a folder holding it is whole

COLUMNS = ("code", "variant", "quantity", "ordered_by", "delivery_name", "address", "contact")
DELIVERY = ("delivery_name", "address", "contact")  # the columns saying where a parcel goes
TEMPLATE_COLUMNS = (*COLUMNS, "title")  # title only helps the person filling it in
QUANTITY = re.compile(r"[+-]?[0-9]+")  # ASCII digits only: '٣' or '³' is not a quantity
_QUANTITY_HINT = "write the number of copies, e.g. 25; to order none, delete the row"
_HEADER_HINT = "the first line must be the header: " + ",".join(COLUMNS)

MAX_ROWS = 10_000  # rows after the header, blank lines not counted
MAX_QUANTITY = 100_000  # copies on one row
MAX_QUANTITY_DIGITS = 9  # digits of a quantity, leading zeros included
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{5,22}[0-9]")  # 7 to 24 characters, digits and separators
_PHONE_DIGITS = 7  # a phone number has at least this many digits


def language_code(code: str, tag: str) -> str:
    """Return the order code of a booklet's translation: the English code and the tag, 'SLC-01-cy'.

    English codes are capitals, digits and hyphens, so a tag written as in the languages
    table (cy, ar, zh-Hans) tells the two apart; the order file may write it in any case.
    """
    return f"{code}-{tag}"


@dataclass(frozen=True)
class Order:
    """One row of an order file, checked: copies of one booklet variant for one person."""

    line: int  # line of the order file the row starts on (the shop: the order's number)
    code: str
    variant: str
    quantity: int
    ordered_by: str
    delivery_name: str = ""
    address: str = ""
    contact: str = ""

    @property
    def recipient(self) -> Recipient:
        """Return who this row's copies are packed for."""
        return Recipient(self.ordered_by, self.delivery_name, self.address, self.contact)


@dataclass(frozen=True)
class Recipient:
    """Who one parcel of a print run goes to: the orderer and where to deliver."""

    ordered_by: str
    delivery_name: str = ""
    address: str = ""  # lines separated by '\n'
    contact: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        """Return the order parcels are listed in: by orderer as people sort names, then address."""
        return (*_name_key(self.ordered_by), self.delivery_name, self.address, self.contact)


@dataclass(frozen=True)
class RunLine:
    """Every order for one booklet variant, added up, with each orderer's share."""

    code: str
    variant: str
    copies: int
    shares: tuple[tuple[Recipient, int], ...]  # (orderer, copies), in Recipient.key order

    @property
    def ordered_by(self) -> tuple[str, ...]:
        """Return the orderers' names, sorted, each once (empty names left out)."""
        return tuple(sorted({r.ordered_by for r, _ in self.shares if r.ordered_by}, key=_name_key))


def _column_name(cell: str) -> str:
    """Return a header cell as a column name: 'Ordered by' -> 'ordered_by'."""
    return re.sub(r"[\s-]+", "_", cell.strip().lower())


def _header(path: Path, line: int, cells: list[str]) -> tuple[list[str], list[Problem]]:
    """Return the column names, and a problem for each column missing or named twice."""
    names = [_column_name(c) for c in cells]
    if too_long := csvfile.too_long(path, line, cells, [f"column {i + 1}" for i in range(len(cells))]):
        return names, too_long
    if not set(COLUMNS) & set(names):
        found = csvfile.shown(",".join(cells), 3 * csvfile.SHOWN)
        return names, [Problem(path, f"has no header line (found {found})", line, _HEADER_HINT)]
    problems = [
        Problem(path, f"column '{name}' is missing from the header", line, _HEADER_HINT)
        for name in COLUMNS
        if name not in names
    ]
    problems += [
        Problem(path, f"column '{name}' appears twice in the header", line, "delete one of them")
        for name in COLUMNS
        if names.count(name) > 1
    ]
    return names, problems


def _match(value: str, known: Iterable[str]) -> str | None:
    """Return the known name ``value`` stands for, whatever its case."""
    folded = {k.casefold(): k for k in known}
    return folded.get(value.casefold())


def _check_code(
    value: str, available: Mapping[str, Sequence[str]], drafts: Mapping[str, str]
) -> tuple[str | None, str, str]:
    """Return (code, problem, hint) for a row's code: the code when known, else why not."""
    code = _match(value, available)
    if code is not None:
        return code, "", ""
    if (draft := _match(value, drafts)) is not None:
        return (
            None,
            f"booklet {draft} is not approved (its status is '{drafts[draft]}'), so it cannot be ordered",
            "order it once its reviews approve it, or print proof copies for reviewers with --allow-drafts",
        )
    if not value:
        return None, "the code is empty", "write the booklet's order code from the catalogue, e.g. SLC-01"
    close = difflib.get_close_matches(value.upper(), list(available), n=3, cutoff=0.6)
    if close:
        hint = f"did you mean {' or '.join(close)}?"
    else:
        hint = f"use a code from the catalogue: {', '.join(sorted(available))}"
    return None, f"unknown booklet code '{csvfile.shown(value)}'", hint


def _check_variant(value: str, code: str, variants: Sequence[str]) -> tuple[str | None, str, str]:
    """Return (variant, problem, hint) for a row's variant of a known code."""
    variant = _match(value, variants)
    if variant is not None:
        return variant, "", ""
    what = "the variant is empty" if not value else f"booklet {code} has no variant '{csvfile.shown(value)}'"
    return None, what, f"{code} comes in: {', '.join(variants)}"


def check_quantity(
    value: str, code: str = "", limits: OrderLimits | None = None
) -> tuple[int | None, str, str]:
    """Return (copies, problem, hint) for a quantity: a whole number from 1 to the code's limit."""
    if not value:
        return None, "the quantity is empty", _QUANTITY_HINT
    if not QUANTITY.fullmatch(value):
        return None, f"quantity '{csvfile.shown(value)}' is not a whole number of copies", _QUANTITY_HINT
    too_many = f"the most is {MAX_QUANTITY:,} copies"
    digits = len(value.lstrip("+-"))
    if digits > MAX_QUANTITY_DIGITS:  # before int(): 5,000 digits are refused, not converted
        return None, f"quantity '{csvfile.shown(value)}' has {digits:,} digits; {too_many}", _QUANTITY_HINT
    copies = int(value)
    if copies < 1:
        return None, f"quantity '{value}' must be at least 1", _QUANTITY_HINT
    if copies > MAX_QUANTITY:
        return (
            None,
            f"quantity '{value}' is more than {MAX_QUANTITY:,} copies",
            f"check the number; a row may order at most {MAX_QUANTITY:,} copies",
        )
    limit = (limits or OrderLimits()).of(code)
    if code and copies > limit:
        return (
            None,
            f"quantity '{value}' is more than the {limit:,} copies of {code} one order may ask for",
            f"check the number; to print more, raise order_limits for {code} in publisher.yml",
        )
    return copies, "", ""


def check_delivery(name: str, address: str, contact: str) -> dict[str, tuple[str, str]]:
    """Return the problems with where a parcel goes: column -> (problem, hint); empty when all is well."""
    found: dict[str, tuple[str, str]] = {}
    if not name:
        found["delivery_name"] = (
            "the delivery name is empty",
            "write who the parcel is for, e.g. Sister A Jones, Ward 7",
        )
    if not address:
        found["address"] = (
            "the delivery address is empty",
            "write the address the booklets go to, with its postcode",
        )
    if not contact:
        found["contact"] = (
            "the contact is empty",
            "write an email address or a phone number the dispatcher can use",
        )
    elif not is_contact(contact):
        found["contact"] = (
            f"contact '{csvfile.shown(contact)}' is neither an email address nor a phone number",
            "write an email address (name@example.org) or a phone number (01234 567890)",
        )
    for column, value in (("delivery_name", name), ("address", address), ("contact", contact)):
        if column not in found and plaintext.problem(value):  # a right-to-left override turns a postcode
            found[column] = (
                f"the {column.replace('_', ' ')} holds an invisible or control character "
                "(a right-to-left mark or a zero-width space, often pasted from a web page)",
                "type it again, or paste it as plain text",
            )
    return found


def is_contact(value: str) -> bool:
    """Return whether ``value`` looks like an email address or a phone number."""
    if _EMAIL.fullmatch(value):
        return True
    return bool(_PHONE.fullmatch(value)) and sum(c.isdigit() for c in value) >= _PHONE_DIGITS


def tidy_address(value: str) -> str:
    """Return an address with each line stripped and blank lines dropped, lines joined by '\\n'."""
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


def _order(
    path: Path,
    line: int,
    cells: list[str],
    header: list[str],
    available: Mapping[str, Sequence[str]],
    limits: OrderLimits,
    drafts: Mapping[str, str],
) -> tuple[Order | None, list[Problem]]:
    """Check one row against the header; return its order, or the problems with it."""
    width = len(header)
    if too_long := csvfile.too_long(path, line, cells, header):
        return None, too_long  # its values are not read any further
    where = {name: header.index(name) for name in COLUMNS}
    # NFC: one way of writing each accented letter, whichever program wrote the file
    value = {name: plaintext.tidy(cells[i]) if i < len(cells) else "" for name, i in where.items()}
    if not any(value[name] for name in ("quantity", "ordered_by", *DELIVERY)):
        return None, []  # a row of the blank form that was not filled in
    problems: list[Problem] = []
    if any(cells[width:]):
        problems.append(
            Problem(
                path,
                f"the row has {len(cells)} values but the header has {width} columns",
                line,
                'put quotes round a value that contains a comma: "Smith, J"',
            )
        )
    code, what, hint = _check_code(value["code"], available, drafts)
    if what:
        problems.append(Problem(path, what, line, hint))
    variant = None
    if code is not None:
        variant, what, hint = _check_variant(value["variant"], code, available[code])
        if what:
            problems.append(Problem(path, what, line, hint))
    quantity, what, hint = check_quantity(value["quantity"], code or "", limits)
    if what:
        problems.append(Problem(path, what, line, hint))
    address = tidy_address(value["address"])
    delivery = check_delivery(value["delivery_name"], address, value["contact"])
    problems += [Problem(path, what, line, hint) for what, hint in delivery.values()]
    if code is None or variant is None or quantity is None or delivery:
        return None, problems
    order = Order(
        line, code, variant, quantity, value["ordered_by"], value["delivery_name"], address, value["contact"]
    )
    return order, problems


def read_orders(
    path: Path,
    available: Mapping[str, Sequence[str]],
    limits: OrderLimits | None = None,
    drafts: Mapping[str, str] | None = None,
) -> list[Order]:
    """Read and check an order file; raise ContentError listing every problem in it.

    ``available`` maps each order code to the variants it can be printed in; ``limits``
    gives the most copies of each code one row may ask for (default: 500 of each);
    ``drafts`` maps the codes of booklets that are not approved to their status (a row
    ordering one is refused, saying so).
    """
    limits = limits or OrderLimits()
    rows = csvfile.rows(path, csvfile.decode(path))
    first = next(rows, None)
    if first is None:
        raise ContentError.one(path, "is empty", fix=_HEADER_HINT)
    header, problems = _header(path, *first)
    if problems:
        raise ContentError(problems)
    orders: list[Order] = []
    try:
        for count, (line, cells) in enumerate(rows, start=1):
            if count > MAX_ROWS:
                problems.append(
                    Problem(path, f"has more than {MAX_ROWS:,} rows of orders", line, csvfile.SPLIT_HINT)
                )
                break
            order, found = _order(path, line, cells, header, available, limits, drafts or {})
            problems += found
            if order is not None:
                orders.append(order)
    except ContentError as exc:  # the file cannot be read past this row
        raise ContentError([*problems, *exc.problems]) from None
    if problems:
        raise ContentError(problems)
    if not orders:
        raise ContentError.one(
            path, "orders nothing: no row has a quantity", fix="fill in the quantity of each booklet wanted"
        )
    return orders


def group(orders: Iterable[Order]) -> list[RunLine]:
    """Add up the orders for each booklet variant and each orderer, sorted by code then variant."""
    shares: dict[tuple[str, str], dict[Recipient, int]] = defaultdict(lambda: defaultdict(int))
    for order in orders:
        shares[order.code, order.variant][order.recipient] += order.quantity
    return [
        RunLine(
            code,
            variant,
            sum(shares[code, variant].values()),
            tuple(sorted(shares[code, variant].items(), key=lambda item: item[0].key)),
        )
        for code, variant in sorted(shares)
    ]


def _name_key(name: str) -> tuple[str, str]:
    """Sort names as people do, whatever their case ('clinic B' before 'Ward 7')."""
    return name.casefold(), name


def orders_csv(rows: Iterable[Order]) -> str:
    """Return orders as an order file that ``read_orders`` reads back to the same orders."""
    table: list[Sequence[object]] = [COLUMNS]
    table += [
        (o.code, o.variant, o.quantity, o.ordered_by, o.delivery_name, o.address, o.contact) for o in rows
    ]
    return csvfile.csv_text(table)


def template_csv(available: Mapping[str, Sequence[str]], titles: Mapping[str, str]) -> str:
    """Return a blank order form: a row for every code and variant, quantity and ordered_by empty.

    The last column, ``title``, only helps the person filling it in: ``read_orders``
    ignores it, and skips every row left without a quantity, a name or a delivery.
    """
    rows: list[Sequence[str]] = [TEMPLATE_COLUMNS]
    rows += [
        (code, variant, "", "", "", "", "", titles.get(code, ""))
        for code in sorted(available)
        for variant in available[code]
    ]
    return csvfile.csv_text(rows)
