"""claims.domain.fee_csv: fee files read all or nothing, every bad line named by its number."""

from __future__ import annotations

from datetime import date

import pytest

from claims.domain.fee_csv import FeeRow, parse_fee_csv

HEADER = "code,modifiers,amount,effective_from,effective_to\n"


def test_good_rows() -> None:
    rows, problems = parse_fee_csv(
        HEADER
        + "90834,,120.00,2026-01-01,\n90837,HO 95,165.5,2026-01-01,2026-12-31\n\n97153,hn-95,18,2026-02-01,\n"
    )
    assert problems == []
    assert rows == [
        FeeRow(2, "90834", "", 12000, date(2026, 1, 1), None),
        FeeRow(3, "90837", "95,HO", 16550, date(2026, 1, 1), date(2026, 12, 31)),
        FeeRow(5, "97153", "95,HN", 1800, date(2026, 2, 1), None),
    ]


def test_columns_in_any_order_and_optional_ones_left_out() -> None:
    rows, problems = parse_fee_csv("\ufeffEffective_From,Amount,Code\n2026-01-01,99.99,90832\n")
    assert problems == []
    assert rows == [FeeRow(2, "90832", "", 9999, date(2026, 1, 1), None)]


BAD_LINES = [
    ("90834,,-5.00,2026-01-01,", "amount '-5.00' is not dollars and cents"),
    ("90834,,$120.00,2026-01-01,", "amount '$120.00'"),
    ("90834,,1,200.00,2026-01-01,", "6 values for 5 columns"),  # an unquoted thousands separator
    ("90834,,120.001,2026-01-01,", "amount '120.001'"),
    ("9083,,120.00,2026-01-01,", "code '9083'"),
    ("90834,HOO,120.00,2026-01-01,", "modifiers 'HOO'"),
    ("90834,HO 95 GT U1 U2,120.00,2026-01-01,", "up to four"),
    ("90834,,120.00,01/01/2026,", "effective_from '01/01/2026'"),
    ("90834,,120.00,2026-02-30,", "effective_from '2026-02-30'"),
    ("90834,,120.00,2026-02-01,2026-01-31", "effective_to is before effective_from"),
    ("90834,,120.00,2026-02-01,2026-02-01x", "effective_to '2026-02-01x'"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_one_bad_line_fails_the_whole_file_and_is_named(line: str, message: str) -> None:
    rows, problems = parse_fee_csv(HEADER + "90832,,80.00,2026-01-01,\n" + line + "\n")
    assert rows == []
    assert len(problems) == 1
    assert problems[0].message.startswith("Line 3: ")
    assert message in problems[0].message


def test_every_bad_line_is_listed() -> None:
    _, problems = parse_fee_csv(HEADER + "x,,1,2026-01-01,\n90834,,1.00,2026-01-01,\ny,,1,2026-01-01,\n")
    assert [p.message.split(":")[0] for p in problems] == ["Line 2", "Line 4"]


def test_the_same_row_twice_is_refused_with_the_first_line() -> None:
    _, problems = parse_fee_csv(HEADER + "90834,HO,1.00,2026-01-01,\n90834,ho,2.00,2026-01-01,\n")
    assert [p.message for p in problems] == ["Line 3: same code, modifiers and start date as line 2."]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Line 1: the file is empty."),
        ("code,amount\n", "missing column(s) effective_from"),
        ("code,amount,effective_from,price\n", "unknown column(s) price"),
        ("code,amount,effective_from,code\n", "a column is named twice"),
        (HEADER, "no fee rows"),
    ],
)
def test_header_problems(text: str, message: str) -> None:
    rows, problems = parse_fee_csv(text)
    assert rows == []
    assert message in problems[0].message
