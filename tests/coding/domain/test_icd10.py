"""ICD-10-CM rules on a small fake table: normalising, fiscal years, change rows, search (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pytest

from coding.domain.icd10 import (
    ChangeKind,
    FyChange,
    Icd10Catalog,
    Icd10Entry,
    diagnosis_problems,
    icd10_fiscal_year,
    normalise_icd10,
    parse_billable_list,
    parse_fy_changes,
    release_fiscal_year,
)


class FakeSource:
    fiscal_year = 2026

    def __init__(self, entries: Iterable[Icd10Entry]) -> None:
        self._entries = {e.code: e for e in entries}

    def entry(self, code: str) -> Icd10Entry | None:
        return self._entries.get(code)

    def entries(self) -> Iterable[Icd10Entry]:
        return list(self._entries.values())


TABLE = [
    Icd10Entry("F32", "Depressive episode", False),
    Icd10Entry("F32.1", "Major depressive disorder, single episode, moderate", True),
    Icd10Entry("F32.A", "Depression, unspecified", True),
    Icd10Entry("F41.1", "Generalized anxiety disorder", True),
    Icd10Entry("F43.2", "Adjustment disorders", False),
    Icd10Entry("F43.23", "Adjustment disorder with mixed anxiety and depressed mood", True),
    Icd10Entry("F50.01", "Anorexia nervosa, restricting type", False),
    Icd10Entry("F50.010", "Anorexia nervosa, restricting type, mild", True),
    Icd10Entry("F90.2", "Attention-deficit hyperactivity disorder, combined type", True),
    Icd10Entry("E11.A", "Type 2 diabetes mellitus without complications in remission", True),
]
CHANGES = [
    FyChange(2026, "E11.A", ChangeKind.ADDED),
    FyChange(2025, "F50.01", ChangeKind.EXPANDED, "Anorexia nervosa, restricting type"),
    FyChange(2025, "F50.010", ChangeKind.ADDED),
    FyChange(2025, "F99.X1", ChangeKind.DELETED, "A code deleted in FY2025"),
    FyChange(2022, "F32.A", ChangeKind.ADDED),
    FyChange(2027, "F41.1", ChangeKind.EXPANDED),
]


@pytest.fixture
def catalog() -> Icd10Catalog:
    return Icd10Catalog(FakeSource(TABLE), CHANGES)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("F32.1", "F32.1"),
        ("f32.1", "F32.1"),
        (" F321 ", "F32.1"),
        ("F32.1.", "F32.1"),
        ("f 32 .1", "F32.1"),
        ("F32", "F32"),
        ("f32.a", "F32.A"),
        ("T7411XA", "T74.11XA"),
        ("F10.20", "F10.20"),
        ("qa0012", "QA0.012"),  # FY2026 added a category with a letter in the second place
        ("QAB1", None),  # ... followed by a digit
        ("", None),
        ("garbage", None),
        ("32.1", None),
        ("F3", None),
        ("F32.12345", None),
        ("F30-F39", None),
    ],
)
def test_normalise(raw, expected):
    assert normalise_icd10(raw) == expected


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 9, 30), 2025),
        (date(2025, 10, 1), 2026),
        (date(2026, 1, 1), 2026),
        (date(2026, 9, 30), 2026),
        (date(2026, 10, 1), 2027),
    ],
)
def test_fiscal_year_boundary(day, year):
    assert icd10_fiscal_year(day) == year


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("icd10c-tabular-April-1-2026.xml", 2026),
        ("icd10cm-tabular-October-1-2026.xml", 2027),
        ("something-else.xml", 1999),
    ],
)
def test_release_fiscal_year(name, year):
    assert release_fiscal_year(name, 1999) == year


@pytest.mark.parametrize(
    ("raw", "valid", "billable"),
    [
        ("F32.1", True, True),
        ("F32", True, False),
        ("F43.2", True, False),
        ("F43.23", True, True),
        ("F32.A", True, True),
        ("f43.23", True, True),
        ("F99.9", False, False),
        ("garbage", False, False),
    ],
)
def test_billable_in_the_tables_year(catalog, raw, valid, billable):
    # when
    check = catalog.check(raw, on=date(2026, 3, 1))

    # then
    assert (check.valid, check.billable, check.exact) == (valid, billable, True)
    assert catalog.is_billable(raw, on=date(2026, 3, 1)) is billable


def test_check_reasons(catalog):
    assert catalog.check("F32", on=date(2026, 3, 1)).reason == (
        "F32 is a header, not a billable code: a more specific code is needed."
    )
    assert catalog.check("garbage").reason == "'garbage' is not shaped like an ICD-10-CM code."
    assert (
        catalog.check("F41.1", on=date(2026, 3, 1)).reason == "F41.1 is a billable ICD-10-CM code in FY2026."
    )


@pytest.mark.parametrize(
    ("code", "day", "valid", "billable"),
    [
        ("E11.A", date(2025, 9, 30), False, False),  # added in FY2026
        ("E11.A", date(2025, 10, 1), True, True),
        ("F50.01", date(2024, 9, 30), True, True),  # a billable leaf before its FY2025 expansion
        ("F50.01", date(2024, 10, 1), True, False),
        ("F50.010", date(2024, 9, 30), False, False),
        ("F50.010", date(2024, 10, 1), True, True),
        ("F99.X1", date(2024, 9, 30), True, True),  # deleted in FY2025: valid before
        ("F99.X1", date(2024, 10, 1), False, False),
        ("F32.A", date(2021, 9, 30), False, False),  # added FY2022
        ("F32.A", date(2024, 9, 30), True, True),
        ("F41.1", date(2026, 10, 1), True, False),  # a FY2027 change applied forward
        ("F43.23", date(2026, 10, 1), True, True),  # no FY2027 row: the FY2026 answer, inexact
    ],
)
def test_dates_of_service_in_other_fiscal_years_use_the_change_rows(catalog, code, day, valid, billable):
    # when
    check = catalog.check(code, on=day)

    # then
    assert (check.valid, check.billable) == (valid, billable)
    assert check.exact is (icd10_fiscal_year(day) == 2026)


def test_inexact_answers_say_so(catalog):
    # when
    check = catalog.check("E11.A", on=date(2025, 9, 30))

    # then
    assert check.reason == (
        "E11.A was added in FY2026; it is not valid for a date of service in FY2025. "
        "(Checked against the FY2026 table and the listed changes; the FY2025 table is not loaded.)"
    )
    assert catalog.check("F43.23", on=date(2026, 10, 1)).reason == (
        "F43.23 is a billable ICD-10-CM code in FY2027. (Checked against the FY2026 table; "
        "the FY2027 table is not loaded.)"
    )


def test_exists_and_description(catalog):
    assert catalog.exists("f321") is True
    assert catalog.exists("F99.X1") is True  # known from a change row
    assert catalog.exists("F99.9") is False
    assert catalog.exists("nonsense") is False
    assert catalog.description("F32.A") == "Depression, unspecified"
    assert catalog.description("F99.9") is None


def test_diagnosis_problems(catalog):
    # given
    day = date(2025, 9, 30)
    checks = [catalog.check(code, on=day) for code in ["F43.23", "F43.2", "E11.A", "zz"]]

    # when
    problems = diagnosis_problems(checks)

    # then
    assert [(p.code, p.severity, p.field) for p in problems] == [
        ("diagnosis_year_inexact", "warning", "diagnoses[0]"),
        ("diagnosis_not_billable", "error", "diagnoses[1]"),
        ("diagnosis_invalid", "error", "diagnoses[2]"),
        ("diagnosis_invalid", "error", "diagnoses[3]"),
    ]


@pytest.mark.parametrize(
    ("text", "billable_only", "expected"),
    [
        ("F43", True, ["F43.23"]),
        ("f43.2", False, ["F43.2", "F43.23"]),
        ("F3", True, ["F32.1", "F32.A"]),
        ("depress", True, ["F32.A", "F32.1", "F43.23"]),
        ("depress", False, ["F32", "F32.A", "F32.1", "F43.23"]),
        ("anx gen", True, ["F41.1"]),
        ("adhd", True, ["F90.2"]),
        ("mixed depressed", True, ["F43.23"]),
        ("zebra", True, []),
        ("", True, []),
    ],
)
def test_search(catalog, text, billable_only, expected):
    # when
    found = catalog.search(text, billable_only=billable_only)

    # then
    assert [e.code for e in found] == expected


def test_search_limit(catalog):
    # 'd' is no code's prefix here, so it matches description words, shortest descriptions first
    assert [e.code for e in catalog.search("d", limit=2)] == ["F32.A", "F41.1"]
    assert len(catalog.search("disorder", limit=2)) == 2
    assert catalog.search("disorder", limit=0) == []


def test_parse_fy_changes():
    # given
    text = '# comment\nfiscal_year,code,change,description\n2026,e11a,added,\n2025,F50.01,expanded,"Anorexia, restricting"\n'

    # when
    changes = parse_fy_changes(text)

    # then
    assert changes == (
        FyChange(2026, "E11.A", ChangeKind.ADDED, ""),
        FyChange(2025, "F50.01", ChangeKind.EXPANDED, "Anorexia, restricting"),
    )
    with pytest.raises(ValueError, match="row 2"):
        parse_fy_changes("fiscal_year,code,change,description\n2026,E11.A,renamed,\n")


# ---- a fiscal year with a complete billable list ----------------------------------------------------

FY2025_BILLABLE = frozenset({"F321", "F32A", "F411", "F4323", "F50010", "F902", "F99X1"})


class CountingList:
    """A `BillableList` that counts how often it was asked."""

    def __init__(self, codes: frozenset[str]) -> None:
        self.codes = codes
        self.calls = 0

    def __call__(self) -> frozenset[str]:
        self.calls += 1
        return self.codes


@pytest.fixture
def fy2025_list() -> CountingList:
    return CountingList(FY2025_BILLABLE)


@pytest.fixture
def listed_catalog(fy2025_list) -> Icd10Catalog:
    return Icd10Catalog(FakeSource(TABLE), CHANGES, {2025: fy2025_list})


@pytest.mark.parametrize(
    ("code", "day", "valid", "billable", "table_year"),
    [
        ("E11.A", date(2025, 9, 30), False, False, 2025),  # not in the FY2025 list
        ("E11.A", date(2025, 10, 1), True, True, 2026),
        ("F32.A", date(2024, 10, 1), True, True, 2025),
        ("F32.A", date(2025, 10, 1), True, True, 2026),
        ("F50.01", date(2025, 9, 30), True, False, 2025),  # a header: F50.010 is under it
        ("F50.010", date(2025, 9, 30), True, True, 2025),
        ("F99.X1", date(2025, 9, 30), True, True, 2025),  # in FY2025 only
        ("F32", date(2025, 9, 30), True, False, 2025),  # a header: F32.1 is under it
        ("F43.2", date(2025, 9, 30), True, False, 2025),
        ("F99.9", date(2025, 9, 30), False, False, 2025),
    ],
)
def test_a_year_with_a_billable_list_is_checked_exactly(
    listed_catalog, code, day, valid, billable, table_year
):
    # when
    check = listed_catalog.check(code, on=day)

    # then
    assert (check.valid, check.billable, check.exact, check.table_fiscal_year) == (
        valid,
        billable,
        True,
        table_year,
    )
    assert [p.severity for p in diagnosis_problems([check])] == ([] if billable else ["error"])


def test_billable_list_reasons_and_descriptions(listed_catalog):
    # when
    added = listed_catalog.check("E11.A", on=date(2025, 9, 30))
    deleted = listed_catalog.check("F99.X1", on=date(2025, 9, 30))
    header = listed_catalog.check("F43.2", on=date(2025, 9, 30))

    # then
    assert added.reason == "E11.A was added in FY2026; it is not valid for a date of service in FY2025."
    assert added.description == ""
    assert deleted.reason == "F99.X1 is a billable ICD-10-CM code in FY2025."
    assert deleted.description == "A code deleted in FY2025"  # not in the table: from its change row
    assert header.reason == "F43.2 is a header, not a billable code: a more specific code is needed."
    assert header.description == "Adjustment disorders"


def test_other_years_still_use_the_change_rows(listed_catalog, fy2025_list):
    # when: FY2024 and FY2027 have no list
    before = listed_catalog.check("F50.01", on=date(2024, 9, 30))
    after = listed_catalog.check("F41.1", on=date(2026, 10, 1))

    # then
    assert (before.billable, before.exact, before.table_fiscal_year) == (True, False, 2026)
    assert (after.billable, after.exact) == (False, False)
    assert fy2025_list.calls == 0


def test_the_list_is_asked_for_only_when_its_year_is_checked(listed_catalog, fy2025_list):
    # when: checks in the table's year, and without a date
    listed_catalog.check("F32.A", on=date(2026, 3, 1))
    listed_catalog.check("F32.A")

    # then
    assert fy2025_list.calls == 0

    # when
    listed_catalog.check("F32.A", on=date(2025, 3, 1))

    # then
    assert fy2025_list.calls == 1


def test_exists_knows_codes_only_in_a_billable_list(listed_catalog):
    assert listed_catalog.exists("F99.X1") is True  # also a change row
    assert Icd10Catalog(FakeSource(TABLE), (), {2025: CountingList(frozenset({"S301XXA"}))}).exists(
        "s30.1xxa"
    )
    assert listed_catalog.exists("F99.9") is False


def test_parse_billable_list():
    # when
    codes = parse_billable_list("# FY2025\nF32A\n\nF99\nT7411XA\nF32A\n")

    # then
    assert codes == frozenset({"F32A", "F99", "T7411XA"})
    with pytest.raises(ValueError, match="line 2"):
        parse_billable_list("F32A\nF32.1\n")
