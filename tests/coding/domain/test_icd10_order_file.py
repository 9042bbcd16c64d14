"""CMS's ICD-10-CM order file: the fixed-width parser at each column's edge (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from coding.domain.icd10 import Icd10Catalog, Icd10Check, Icd10Entry, icd10_fiscal_year
from coding.domain.icd10_order_file import (
    OrderRow,
    fiscal_year_from_file_name,
    fiscal_year_problems,
    order_rows_digest,
    parse_order_file,
)
from tests.coding.domain.test_icd10 import TABLE, FakeSource


def order_line(order: int, code: str, billable: bool, short: str, long: str | None = None) -> str:
    """One line in CMS's layout: order(5) ' ' code(7) ' ' flag ' ' short(60) ' ' long."""
    return f"{order:05d} {code:<7} {int(billable)} {short:<60} {long if long is not None else short}"


GOOD = [
    order_line(1, "F32", False, "Depressive episode"),
    order_line(2, "F321", True, "Major depressv disord, single episode, moderate", "Major depressive disorder, single episode, moderate"),
    order_line(3, "F32A", True, "Depression, unspecified"),
    order_line(4, "F4323", True, "Adjustment disorder w mixed anxiety and depressed mood"),
    order_line(5, "Z71A1", True, "A synthetic code for a test"),
]  # fmt: skip


def test_a_good_file_gives_every_row():
    parsed = parse_order_file("\n".join(GOOD) + "\n")

    assert parsed.ok
    assert parsed.rows[1] == OrderRow(
        order_number=2,
        code="F321",
        billable=True,
        short_description="Major depressv disord, single episode, moderate",
        long_description="Major depressive disorder, single episode, moderate",
    )
    assert [(r.code, r.billable) for r in parsed.rows] == [
        ("F32", False),
        ("F321", True),
        ("F32A", True),
        ("F4323", True),
        ("Z71A1", True),
    ]


def test_crlf_line_ends_and_blank_lines_change_nothing():
    unix = parse_order_file("\n".join(GOOD))
    windows = parse_order_file("\r\n".join(GOOD) + "\r\n\r\n")

    assert windows.rows == unix.rows
    assert order_rows_digest(windows.rows) == order_rows_digest(unix.rows)


def test_the_digest_changes_with_any_field():
    rows = parse_order_file("\n".join(GOOD)).rows
    other = parse_order_file(
        "\n".join([*GOOD[:4], order_line(5, "Z71A1", True, "A synthetic code, renamed")])
    ).rows

    assert order_rows_digest(rows) != order_rows_digest(other)


SEVEN = "S0000XA"  # a 7-character code fills columns 7-13 exactly


@pytest.mark.parametrize(
    ("_case", "line", "message"),
    [
        ("77 characters: no long description", order_line(1, "F32", False, "x" * 60)[:77], "is 77 characters long"),
        ("order number with a letter", "0001A" + order_line(1, "F32", False, "Depressive episode")[5:], "order number '0001A'"),
        ("order number of 4 digits", " 0001" + order_line(1, "F32", False, "Depressive episode")[5:], "order number ' 0001'"),
        ("column 6 not blank", "00001x" + order_line(1, "F32", False, "Depressive episode")[6:], "column 6 should be blank"),
        ("an 8-character code", order_line(1, SEVEN + "1", True, "Too long")[:77] + " Too long", "column 14 should be blank"),
        ("a code with a dot", order_line(1, "F32.1", True, "Dotted"), "'F32.1' (columns 7-13) is not an ICD-10-CM code"),
        ("a 2-character code", order_line(1, "F3", False, "Too short"), "'F3' (columns 7-13)"),
        ("a lower-case code", order_line(1, "f321", True, "Lower"), "'f321'"),
        ("flag 2", order_line(1, "F321", True, "Flag").replace(" 1 ", " 2 ", 1), "the billable flag (column 15) is '2'"),
        ("flag blank", order_line(1, "F321", True, "Flag").replace(" 1 ", "   ", 1), "the billable flag (column 15) is ' '"),
        ("column 16 not blank", order_line(1, "F321", True, "Flag")[:15] + "x" + order_line(1, "F321", True, "Flag")[16:], "column 16 should be blank"),
        ("short description blank", order_line(1, "F321", True, "", "Long only"), "the short description (columns 17-76) is empty"),
        ("column 77 not blank: a 61-character short description", order_line(1, "F321", True, "y" * 61), "column 77 should be blank"),
        ("long description blank", order_line(1, "F321", True, "Short", "   "), "the long description (from column 78) is empty"),
        ("long description of 401 characters", order_line(1, "F321", True, "Short", "z" * 401), "longer than 400"),
    ],
)  # fmt: skip
def test_a_malformed_line_is_reported_with_its_number(_case, line, message):
    parsed = parse_order_file("\n".join([GOOD[0], GOOD[1], line]))

    assert not parsed.ok
    assert parsed.rows == ()
    assert {p.field for p in parsed.problems} == {"line 3"}
    assert all(p.message.startswith("line 3: ") for p in parsed.problems)
    assert any(message in p.message for p in parsed.problems)


@pytest.mark.parametrize(
    ("_case", "line"),
    [
        ("a 7-character code", order_line(1, SEVEN, True, "Seven characters")),
        ("a 3-character billable category", order_line(1, "F99", True, "Mental disorder, not otherwise specified")),
        ("a letter in the second place (FY2026's QA0-)", order_line(1, "QA08", True, "Other neurodevelopmental disorders")),
        ("a 60-character short description", order_line(1, "F321", True, "y" * 60)),
        ("a 400-character long description", order_line(1, "F321", True, "Short", "z" * 400)),
        ("a 1-character long description", order_line(1, "F321", True, "Short", "z")),
    ],
)  # fmt: skip
def test_lines_at_the_edges_are_accepted(_case, line):
    assert parse_order_file(line).ok


def test_every_bad_line_is_listed_in_order():
    parsed = parse_order_file(
        "\n".join([GOOD[0], "garbage", GOOD[2], order_line(9, "F32.1", True, "x"), GOOD[1]])
    )

    assert [p.field for p in parsed.problems] == ["line 2", "line 4"]


def test_a_code_listed_twice_names_both_lines():
    parsed = parse_order_file("\n".join([*GOOD, order_line(6, "F321", True, "Again")]))

    assert [p.message for p in parsed.problems] == ["line 6: F321 is listed again (first on line 2)"]


def test_a_billable_code_with_a_longer_code_under_it_is_a_problem():
    parsed = parse_order_file("\n".join([order_line(1, "F32", True, "Depressive episode"), GOOD[1]]))

    assert [p.field for p in parsed.problems] == ["line 1"]
    assert "F32 is flagged billable (1) but F321 is listed under it" in parsed.problems[0].message


def test_an_empty_file_is_a_problem():
    assert [p.code for p in parse_order_file("\n\n").problems] == ["icd10cm_empty_file"]


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("icd10cm-order-2027.txt", 2027),
        ("/tmp/x2026/icd10cm_order_2027.txt", 2027),
        ("icd10cm-order-April-1-2027.txt", 2027),
        ("icd10cm_order_2027_v2.txt", 2027),
        ("order12027.txt", None),  # 2027 glued to other digits is not a year
        ("icd10cm-order.txt", None),
    ],
)
def test_the_year_comes_from_the_file_name(name, year):
    assert fiscal_year_from_file_name(name) == year


@pytest.mark.parametrize(
    ("year", "ok"), [(None, False), (2015, False), (2016, True), (2099, True), (2100, False)]
)
def test_fiscal_year_bounds(year, ok):
    assert (fiscal_year_problems(year) == []) is ok


# ---- an imported year in the catalog --------------------------------------------------------------


class LoadedTable(FakeSource):
    fiscal_year = 2027


LOADED_2027 = LoadedTable(
    [
        Icd10Entry("F32", "Depressive episode", False),
        Icd10Entry("F32.1", "Major depressive disorder, single episode, moderate", True),
        Icd10Entry("F41.1", "Generalized anxiety disorder", False),  # a header in this (made-up) year
        Icd10Entry("F41.10", "A synthetic FY2027 anxiety code", True),
    ]
)


class Catalog2027(Icd10Catalog):
    """Passes the FY2027 table whenever a date falls in it, as `coding.selectors.icd10_check` does."""

    def check(self, raw: str, *, on: date | None = None, loaded: object = None) -> Icd10Check:
        year = icd10_fiscal_year(on) if on is not None else None
        return super().check(raw, on=on, loaded=LOADED_2027 if year == 2027 else None)


@pytest.fixture
def catalog_with_2027() -> Icd10Catalog:
    return Catalog2027(FakeSource(TABLE))


def test_a_table_of_another_year_is_ignored():
    check = Icd10Catalog(FakeSource(TABLE)).check("F41.10", on=date(2027, 10, 1), loaded=LOADED_2027)

    assert (check.valid, check.exact, check.fiscal_year) == (False, False, 2028)


@pytest.mark.parametrize(
    ("code", "on", "valid", "billable", "exact", "table_year"),
    [
        ("F41.1", date(2026, 9, 30), True, True, True, 2026),  # FY2026: the package's table
        ("F41.1", date(2026, 10, 1), True, False, True, 2027),  # FY2027: the loaded year, a header
        ("F41.10", date(2026, 10, 1), True, True, True, 2027),
        ("F41.10", date(2026, 9, 30), False, False, True, 2026),
        ("F43.23", date(2026, 10, 1), False, False, True, 2027),  # not in the loaded year
        ("F43.23", date(2027, 10, 1), True, True, False, 2026),  # FY2028 is not loaded: inexact
    ],
)
def test_a_loaded_year_answers_exactly_for_its_dates(
    catalog_with_2027, code, on, valid, billable, exact, table_year
):
    check = catalog_with_2027.check(code, on=on)

    assert (check.valid, check.billable, check.exact, check.table_fiscal_year) == (
        valid,
        billable,
        exact,
        table_year,
    )


def test_a_loaded_year_gives_its_own_description_and_reason(catalog_with_2027):
    check = catalog_with_2027.check("f4110", on=date(2027, 9, 30))

    assert (check.code, check.description, check.reason) == (
        "F41.10",
        "A synthetic FY2027 anxiety code",
        "F41.10 is a billable ICD-10-CM code in FY2027.",
    )
