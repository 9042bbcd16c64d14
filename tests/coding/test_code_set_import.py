"""Code-set data: the shipped set loaded by migration, look-ups by date, and annual imports."""

from __future__ import annotations

import importlib
from datetime import date
from io import StringIO

import pytest
from django.apps import apps as global_apps
from django.core.management import CommandError, call_command

from coding.domain.code_sets import parse_code_set_csv, read_shipped_code_set
from coding.domain.types import CodeKind
from coding.models import CodeSetEntry
from coding.selectors import code_catalog, code_lookup
from coding.services import code_set_import_csv
from core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

HEADER = "code,kind,label,unit,timed_minutes,add_on,effective_from,effective_to,note\n"
SHIPPED_ROWS = len(parse_code_set_csv(read_shipped_code_set()).rows)


def snapshot() -> list[tuple]:
    return list(
        CodeSetEntry.objects.order_by("kind", "code", "effective_from").values_list(
            "code",
            "kind",
            "label",
            "unit",
            "timed_minutes",
            "add_on",
            "effective_from",
            "effective_to",
            "note",
        )
    )


def test_the_migration_loaded_the_shipped_code_set():
    # then
    assert CodeSetEntry.objects.count() == SHIPPED_ROWS
    entry = CodeSetEntry.objects.get(code="90837", kind="cpt")
    assert (entry.label, entry.unit, entry.timed_minutes, entry.add_on, entry.effective_from) == (
        "Psychotherapy about 60 minutes",
        "session",
        60,
        False,
        date(2013, 1, 1),
    )


def test_the_data_migration_is_reversible_and_rerunnable():
    # given
    migration = importlib.import_module("coding.migrations.0002_load_shipped_code_set")
    before = snapshot()

    # when: reverse, then forward twice
    migration.unload(global_apps, None)
    after_reverse = CodeSetEntry.objects.count()
    migration.load(global_apps, None)
    migration.load(global_apps, None)

    # then
    assert after_reverse == 0
    assert snapshot() == before


@pytest.mark.parametrize(
    ("code", "day", "kind", "label"),
    [
        ("99355", date(2022, 12, 31), None, "Prolonged outpatient service each further half hour (retired)"),
        ("99355", date(2023, 1, 1), None, None),
        (
            "0362T",
            date(2026, 1, 1),
            None,
            "ABA support assessment for destructive behavior with two or more technicians",
        ),
        ("ho", date(2026, 1, 1), "modifier", "Rendered at master's level"),
        ("02", date(2026, 1, 1), CodeKind.POS, "Telehealth with the patient away from home"),
        ("02", date(2026, 1, 1), CodeKind.MODIFIER, None),
        ("T1017", date(2012, 12, 31), None, None),
    ],
)
def test_code_lookup_by_date(code, day, kind, label):
    # when
    info = code_lookup(code, on=day, kind=kind)

    # then
    assert (info.label if info else None) == label


def test_code_catalog_reads_the_database(django_assert_num_queries):
    # when
    with django_assert_num_queries(1):
        catalog = code_catalog()

    # then
    assert len(catalog) == SHIPPED_ROWS


def test_import_adds_updates_and_is_idempotent():
    # given: 2027 ends 90785 (made up), adds a code and restates 90837 unchanged
    text = HEADER + (
        "99417,cpt,Prolonged office visit time,untimed,,true,2021-01-01,,\n"
        "90785,cpt,Interactive complexity add-on,untimed,,true,2013-01-01,2026-12-31,Ended in the test\n"
        "90837,cpt,Psychotherapy about 60 minutes,session,60,false,2013-01-01,,Report for 53 minutes or more [DOMAIN S1 S3]\n"
    )

    # when
    first = code_set_import_csv(text=text)
    state = snapshot()
    second = code_set_import_csv(text=text)

    # then
    assert (first.created, first.updated, first.unchanged) == (1, 1, 1)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert snapshot() == state
    assert code_lookup("90785", on=date(2027, 1, 1)) is None
    assert code_lookup("99417", on=date(2027, 1, 1)).add_on is True


def test_a_bad_row_imports_nothing():
    # given: one good row and one bad row
    before = snapshot()
    text = (
        HEADER
        + "99417,cpt,Prolonged office visit time,untimed,,true,2021-01-01,,\nH20,hcpcs,Bad,15min,15,false,2013-01-01,,\n"
    )

    # when
    with pytest.raises(ValidationFailed) as raised:
        code_set_import_csv(text=text)

    # then
    assert raised.value.message == "The code-set file has 1 problem(s); nothing was imported."
    assert raised.value.field_errors == {"code": ["line 3: 'H20' is not a valid hcpcs code"]}
    assert snapshot() == before


def test_an_import_that_would_overlap_existing_ranges_is_rolled_back():
    # given: a new 90837 entry from 2027 while the 2013 one is still open-ended
    before = snapshot()
    text = HEADER + (
        "99417,cpt,Prolonged office visit time,untimed,,true,2021-01-01,,\n"
        "90837,cpt,Psychotherapy about 60 minutes (2027),session,60,false,2027-01-01,,\n"
    )

    # when
    with pytest.raises(ValidationFailed) as raised:
        code_set_import_csv(text=text)

    # then
    assert raised.value.code == "code_set_overlap"
    assert snapshot() == before


def test_a_new_version_after_ending_the_old_one_is_accepted():
    # given
    text = HEADER + (
        "90837,cpt,Psychotherapy about 60 minutes,session,60,false,2013-01-01,2026-12-31,\n"
        "90837,cpt,Psychotherapy 60 minutes (2027 wording),session,60,false,2027-01-01,,\n"
    )

    # when
    result = code_set_import_csv(text=text)

    # then
    assert (result.created, result.updated) == (1, 1)
    assert code_lookup("90837", on=date(2026, 12, 31)).label == "Psychotherapy about 60 minutes"
    assert code_lookup("90837", on=date(2027, 1, 1)).label == "Psychotherapy 60 minutes (2027 wording)"


def test_import_command(tmp_path):
    # given
    path = tmp_path / "update.csv"
    path.write_text(
        HEADER
        + "99417,cpt,Prolonged office visit time,untimed,,true,2021-01-01,,\nXE,modifier,Separate encounter,,,false,2015-01-01,,\n"
    )
    out = StringIO()

    # when
    call_command("import_code_set", str(path), "--kind", "cpt", stdout=out)

    # then
    assert (
        out.getvalue().strip()
        == "Imported update.csv: 1 added, 0 updated, 0 unchanged, 1 of other kinds skipped"
    )
    assert CodeSetEntry.objects.count() == SHIPPED_ROWS + 1


def test_import_command_without_kind_column_takes_the_kind_option(tmp_path):
    # given
    path = tmp_path / "modifiers.csv"
    path.write_text("code,label,effective_from\nFR,Supervisor present by video,2023-01-01\n")

    # when
    call_command("import_code_set", str(path), "--kind", "modifier", stdout=StringIO())

    # then
    assert code_lookup("FR", on=date(2024, 1, 1), kind="modifier").label == "Supervisor present by video"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            HEADER + "H20,hcpcs,Bad,15min,15,false,2013-01-01,,\n",
            "The code-set file has 1 problem(s); nothing was imported.\nline 2: 'H20' is not a valid hcpcs code",
        ),
        (
            "code,label\nH2014,Skills\n",
            "The code-set file has 1 problem(s); nothing was imported.\nthe header lacks column(s): effective_from, kind",
        ),
    ],
)
def test_import_command_errors(tmp_path, content, message):
    # given
    path = tmp_path / "bad.csv"
    path.write_text(content)
    before = snapshot()

    # when
    with pytest.raises(CommandError) as raised:
        call_command("import_code_set", str(path), stdout=StringIO())

    # then
    assert str(raised.value) == message
    assert snapshot() == before


def test_import_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_code_set", str(tmp_path / "missing.csv"), stdout=StringIO())


def test_the_catalog_is_loaded_once_per_process_and_reloaded_after_an_import(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    # given: the first call reads the table
    first = code_catalog()
    # when / then: the second runs no query at all
    with django_assert_num_queries(0):
        assert code_catalog() is first
    # when: a code set is imported (a new code)
    with django_capture_on_commit_callbacks(execute=True):
        code_set_import_csv(text=HEADER + "99999,cpt,Synthetic test code,session,,false,2026-01-01,,\n")
    # then: the next call reads the table again and knows the code
    with django_assert_num_queries(1):
        fresh = code_catalog()
    assert fresh.lookup("99999", on=date(2026, 3, 1)) is not None
    assert first.lookup("99999", on=date(2026, 3, 1)) is None
