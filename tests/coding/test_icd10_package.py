"""ICD-10-CM through simple-icd-10-cm (the real FY2026 table; loads once, a few seconds) and the
shipped FY2025 billable list."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from coding.domain.icd10 import diagnosis_problems
from coding.icd10 import (
    icd10_catalog,
    icd10_check,
    icd10_description,
    icd10_exists,
    icd10_fy_billable_codes,
    icd10_is_billable,
    icd10_search,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def _loaded():
    icd10_catalog().ensure_index()


@pytest.mark.parametrize(
    ("code", "billable"),
    [
        ("F32.1", True),
        ("F32", False),
        ("F43.2", False),
        ("F43.23", True),
        ("F32.A", True),
        ("F93.0", True),
        ("F41.1", True),
        ("F90.2", True),
        ("F84.0", True),
        ("F10.20", True),
        ("F10.2", False),
        ("Z63.0", True),
        ("F33.9", True),
        ("F43.8", False),
        ("F43.81", True),
        ("F50.81", False),
        ("F50.810", True),
        ("T74.11XA", True),
        ("E11.A", True),
        ("f32.1", True),
        (" F321 ", True),
        ("f43.23", True),
        ("F30-F39", False),
        ("5", False),
        ("garbage", False),
        ("F32.9999", False),
    ],
)
def test_billable_in_fy2026(code, billable):
    # when / then: DOMAIN 10a's table
    assert icd10_is_billable(code, on=date(2026, 3, 1)) is billable


def test_the_package_holds_fy2026():
    assert icd10_catalog().source.fiscal_year == 2026


@pytest.mark.parametrize(("day", "billable"), [(date(2025, 9, 30), False), (date(2025, 10, 1), True)])
def test_a_code_new_in_fy2026_is_not_billable_the_day_before(day, billable):
    # when
    check = icd10_check("E11.A", on=day)

    # then: both answers come from a full table of their year, so no "inexact" warning
    assert check.billable is billable
    assert check.fiscal_year == check.table_fiscal_year == (2025 if day.month == 9 else 2026)
    assert check.exact is True
    assert [p.code for p in diagnosis_problems([check])] == ([] if billable else ["diagnosis_invalid"])


def test_the_fy2025_list_is_the_fy2025_release():
    # when
    codes = icd10_fy_billable_codes(2025)

    # then: DOMAIN 10c's count; F32.A (FY2022) and F50.810 (FY2025) in, E11.A (FY2026) out
    assert len(codes) == 74_260
    assert {"F32A", "F50810", "F50010"} <= codes
    assert "E11A" not in codes
    assert icd10_fy_billable_codes(2025) is codes  # read once


@pytest.mark.parametrize("day", [date(2024, 10, 1), date(2025, 9, 30), date(2025, 10, 1), date(2026, 9, 30)])
def test_f32a_is_billable_in_fy2025_and_fy2026(day):
    # when
    check = icd10_check("F32.A", on=day)

    # then
    assert (check.billable, check.exact, check.description) == (True, True, "Depression, unspecified")


@pytest.mark.parametrize(
    ("code", "day", "valid", "billable"),
    [
        # deleted in FY2026: S30.1 (contusion of abdominal wall) was split into S30.11-S30.13
        ("S30.1XXA", date(2025, 9, 30), True, True),
        ("S30.1XXA", date(2025, 10, 1), False, False),
        # a BH-relevant social determinant expanded in FY2026: billable, then a header
        ("Z59.86", date(2025, 9, 30), True, True),
        ("Z59.86", date(2025, 10, 1), True, False),
    ],
)
def test_codes_gone_in_fy2026_are_billable_the_day_before(code, day, valid, billable):
    # when
    check = icd10_check(code, on=day)

    # then
    assert (check.valid, check.billable, check.exact) == (valid, billable, True)


def test_the_fy2025_list_and_fy2026_table_differ_by_cms_counts():
    # given
    fy2025 = icd10_fy_billable_codes(2025)
    fy2026 = {e.code.replace(".", "") for e in icd10_catalog().indexed_entries() if e.billable}

    # then: CMS's FY2026 addenda: 487 new codes, 28 deleted (deleted outright or made headers)
    assert len(fy2026 - fy2025) == 487
    assert len(fy2025 - fy2026) == 28
    assert {"S301XXA", "Z5986", "G35"} <= fy2025 - fy2026


def test_fy2025_headers_are_not_billable_and_not_invalid():
    # when
    check = icd10_check("F43.2", on=date(2025, 3, 1))

    # then
    assert (check.valid, check.billable, check.exact) == (True, False, True)
    assert check.description == "Adjustment disorders"


@pytest.mark.parametrize(
    ("code", "day", "billable"),
    [
        ("F50.01", date(2024, 9, 30), True),
        ("F50.01", date(2024, 10, 1), False),
        ("F50.010", date(2024, 9, 30), False),
        ("F50.010", date(2024, 10, 1), True),
    ],
)
def test_fy2025_eating_disorder_expansion(code, day, billable):
    assert icd10_is_billable(code, on=day) is billable


def test_descriptions_and_existence():
    assert icd10_description("f43.23") == "Adjustment disorder with mixed anxiety and depressed mood"
    assert icd10_description("F32.A") == "Depression, unspecified"
    assert icd10_description("nope") is None
    assert icd10_exists("F32") is True
    assert icd10_exists("F32.99") is False


def test_every_change_row_agrees_with_the_fy2025_list():
    # given
    catalog = icd10_catalog()
    fy2025 = icd10_fy_billable_codes(2025)

    # then: rows up to FY2025 describe FY2025; FY2026 additions are not in it
    for change in catalog.changes:
        key = change.code.replace(".", "")
        if change.fiscal_year <= 2025:
            assert (key in fy2025) is (change.change == "added"), change
        elif change.fiscal_year == 2026 and change.change == "added":
            assert key not in fy2025, change


def test_every_change_row_agrees_with_the_fy2026_table():
    # given: the shipped change rows describe FY2026 (the package) from the other side
    catalog = icd10_catalog()

    # then: added/expanded-to codes exist now; expanded codes are headers now
    for change in catalog.changes:
        entry = catalog.source.entry(change.code)
        if change.fiscal_year <= 2026 and change.change in ("added", "expanded"):
            assert entry is not None, change
            assert entry.billable is (change.change == "added"), change


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("F43.2", "F43.20"),
        ("f432", "F43.20"),
        ("depression unspecified", "F32.A"),
        ("generalized anxiety", "F41.1"),
        ("adhd combined", "F90.2"),
        ("ptsd chronic", "F43.12"),
        ("Z63", "Z63.0"),
    ],
)
def test_search_finds_the_expected_code_first(text, first):
    # when
    found = icd10_search(text, limit=10)

    # then
    assert found[0].code == first
    assert all(entry.billable for entry in found)


def test_search_is_fast_once_loaded():
    # given
    queries = [
        "dep",
        "F43",
        "major depressive recurrent",
        "anxiety",
        "autis",
        "Z6",
        "alcohol dependence",
        "a",
    ] * 5

    # when
    timings = []
    for query in queries:
        start = time.perf_counter()
        icd10_search(query, limit=20)
        timings.append(time.perf_counter() - start)

    # then: well under 50 ms each
    assert max(timings) < 0.05


def test_the_package_is_not_imported_at_django_startup():
    # given: a fresh interpreter that sets Django up and imports the coding modules
    script = (
        "import sys, django; django.setup(); "
        "import coding.selectors, coding.icd10, coding.domain.rules; "
        "from django.core.management import call_command; "
        "print('simple_icd_10_cm' in sys.modules, bool(coding.icd10._billable_lists))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "billing.settings.test"}

    # when
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )

    # then: neither the package nor the FY2025 list is loaded
    assert out.stdout.strip() == "False False"
