"""`import_icd10cm`: CMS's order file into a per-year table, all or nothing, idempotent; the
checks use the loaded year for its dates of service."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from coding.models import Icd10cmCode, Icd10cmRelease
from coding.selectors import icd10_check
from coding.services import icd10cm_import
from core.errors import ValidationFailed
from tests.coding.domain.test_icd10_order_file import GOOD, order_line

pytestmark = pytest.mark.django_db

FILE = "\n".join(GOOD) + "\n"


def stored(year: int) -> list[tuple[str, bool, str]]:
    return list(
        Icd10cmCode.objects.filter(release__fiscal_year=year)
        .order_by("order_number")
        .values_list("code", "billable", "short_description")
    )


def test_a_file_is_loaded_as_its_year():
    result = icd10cm_import(text=FILE, fiscal_year=2027, file_name="icd10cm-order-2027.txt")

    assert (result.outcome, result.codes, result.billable) == ("loaded", 5, 4)
    release = Icd10cmRelease.objects.get()
    assert (release.fiscal_year, release.file_name, release.code_count, release.billable_count) == (
        2027,
        "icd10cm-order-2027.txt",
        5,
        4,
    )
    assert stored(2027)[:2] == [("F32", False, "Depressive episode"), ("F321", True, GOOD[1][16:76].strip())]


def test_the_same_file_again_changes_nothing():
    icd10cm_import(text=FILE, fiscal_year=2027)
    before = list(Icd10cmCode.objects.order_by("pk").values_list("pk", "code"))
    updated = Icd10cmRelease.objects.get().updated_at

    result = icd10cm_import(text=FILE.replace("\n", "\r\n"), fiscal_year=2027)

    assert result.outcome == "unchanged"
    assert list(Icd10cmCode.objects.order_by("pk").values_list("pk", "code")) == before
    assert Icd10cmRelease.objects.get().updated_at == updated


def test_a_changed_file_replaces_that_year_only():
    icd10cm_import(text=FILE, fiscal_year=2026)
    icd10cm_import(text=FILE, fiscal_year=2027)
    changed = [GOOD[0], GOOD[1], order_line(3, "F32A", True, "Depression, unspecified, reworded"), GOOD[3]]
    changed.append(order_line(5, "F4325", True, "A synthetic new code"))

    result = icd10cm_import(text="\n".join(changed), fiscal_year=2027)

    assert (result.outcome, result.added, result.removed, result.changed) == ("replaced", 1, 1, 1)
    assert [code for code, _b, _s in stored(2027)] == ["F32", "F321", "F32A", "F4323", "F4325"]
    assert [code for code, _b, _s in stored(2026)] == ["F32", "F321", "F32A", "F4323", "Z71A1"]


def test_a_bad_line_3_of_5_stores_nothing():
    lines = [*GOOD]
    lines[2] = order_line(3, "F32.A", True, "Dotted code")

    with pytest.raises(ValidationFailed) as raised:
        icd10cm_import(text="\n".join(lines), fiscal_year=2027)

    assert raised.value.message == "The ICD-10-CM file has 1 problem(s); nothing was imported."
    assert list(raised.value.field_errors) == ["line 3"]
    assert Icd10cmRelease.objects.count() == 0
    assert Icd10cmCode.objects.count() == 0


def test_a_bad_file_leaves_a_loaded_year_as_it_was():
    icd10cm_import(text=FILE, fiscal_year=2027)
    before = stored(2027)

    with pytest.raises(ValidationFailed):
        icd10cm_import(text="\n".join([*GOOD[:4], "00005 Z71A1   1"]), fiscal_year=2027)

    assert stored(2027) == before


def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    icd10cm_import(text=FILE, fiscal_year=2027)
    before = stored(2027)

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(Icd10cmCode.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        icd10cm_import(text="\n".join(GOOD[:4]), fiscal_year=2027)

    assert stored(2027) == before
    assert Icd10cmRelease.objects.get().code_count == 5


# ---- the command ----------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_icd10cm", *args, stdout=out)
    return out.getvalue()


def test_the_command_takes_the_year_from_the_file_name(tmp_path: Path):
    path = tmp_path / "icd10cm-order-2027.txt"
    path.write_text(FILE, encoding="ascii")

    assert run(str(path)) == "FY2027 loaded from icd10cm-order-2027.txt: 5 codes (4 billable)\n"
    assert run(str(path)) == "FY2027 is already loaded from the same rows; nothing changed.\n"
    assert run(str(path), "--year", "2028").startswith("FY2028 loaded")
    assert sorted(Icd10cmRelease.objects.values_list("fiscal_year", flat=True)) == [2027, 2028]


def test_the_command_lists_every_bad_line(tmp_path: Path):
    path = tmp_path / "icd10cm-order-2027.txt"
    path.write_text(
        "\n".join([GOOD[0], "junk", GOOD[2], order_line(4, "F4323", True, "x").replace(" 1 ", " 7 ")])
    )

    with pytest.raises(CommandError) as raised:
        run(str(path))

    message = str(raised.value)
    assert message.startswith("The ICD-10-CM file has 2 problem(s); nothing was imported.\nline 2: ")
    assert "\nline 4: the billable flag (column 15) is '7'; it must be 0 or 1" in message
    assert Icd10cmRelease.objects.count() == 0


def test_the_command_needs_a_year(tmp_path: Path):
    path = tmp_path / "order.txt"
    path.write_text(FILE)

    with pytest.raises(CommandError, match="give it with --year"):
        run(str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing-2027.txt"))


# ---- checks use the loaded year -------------------------------------------------------------------


def test_checks_use_the_loaded_year_from_1_october(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        icd10cm_import(text=FILE, fiscal_year=2027)

    last_fy2026 = icd10_check("Z71.A1", on=date(2026, 9, 30))
    first_fy2027 = icd10_check("Z71.A1", on=date(2026, 10, 1))
    header = icd10_check("F32", on=date(2026, 10, 1))
    missing = icd10_check("F41.1", on=date(2027, 9, 30))  # not in the (tiny) FY2027 file

    assert (last_fy2026.valid, last_fy2026.exact, last_fy2026.table_fiscal_year) == (False, True, 2026)
    assert (first_fy2027.billable, first_fy2027.exact, first_fy2027.description) == (
        True,
        True,
        "A synthetic code for a test",
    )
    assert (header.valid, header.billable) == (True, False)
    assert (missing.valid, missing.exact, missing.reason) == (
        False,
        True,
        "F41.1 is not an ICD-10-CM code in FY2027.",
    )


def test_without_the_year_loaded_the_answer_is_inexact():
    check = icd10_check("F41.1", on=date(2026, 10, 1))

    assert (check.billable, check.exact, check.table_fiscal_year) == (True, False, 2026)
