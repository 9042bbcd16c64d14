"""Every final-note table refuses TRUNCATE unless a superuser session opts in
(clinical_notes/migrations/0005), as the audit tables do. PostgreSQL only: SQLite has no TRUNCATE."""

from __future__ import annotations

import importlib

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from clinical_notes import services
from clinical_notes.models import NoteAddendum, NoteDiagnosis, NoteEvent, NoteSegment, SessionNote
from tests.clinical_notes.views.builders import final_note

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FINAL_NOTE_TABLES = importlib.import_module(
    "clinical_notes.migrations.0005_final_note_tables_refuse_truncate"
).FINAL_NOTE_TABLES


def execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def counts() -> tuple[int, ...]:
    return tuple(
        model._base_manager.count()
        for model in (SessionNote, NoteSegment, NoteDiagnosis, NoteEvent, NoteAddendum)
    )


@pytest.fixture
def with_addendum(clinic):
    note = final_note(clinic)
    services.note_addendum_add(
        access=clinic.access(clinic.tech_user), note_id=note.pk, reason="Late entry", text="Synthetic."
    )
    return note


def opt_out() -> None:
    """Test connections opt in (billing/settings/test.py); this transaction opts out."""
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL refuses TRUNCATE with deferred checks pending
    execute("SET LOCAL parity.final_note_truncate = ''")


def test_every_final_note_table_has_the_trigger():
    # when
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND t.tgname = c.relname || '_no_truncate'"
            " AND c.relname LIKE 'clinical_notes_%%'"
        )
        tables = {row[0] for row in cursor.fetchall()}
    # then
    assert (
        tables
        == set(FINAL_NOTE_TABLES)
        == {
            "clinical_notes_sessionnote",
            "clinical_notes_notesegment",
            "clinical_notes_notemeasurement",
            "clinical_notes_notediagnosis",
            "clinical_notes_notegoal",
            "clinical_notes_noteevent",
            "clinical_notes_noteaddendum",
        }
    )


@pytest.mark.parametrize("table", FINAL_NOTE_TABLES)
def test_truncate_is_refused_without_a_superuser_opting_in(with_addendum, table):
    # given
    before = counts()
    opt_out()
    # when / then
    with (
        pytest.raises(IntegrityError, match=f"{table} holds final notes: TRUNCATE is not allowed"),
        transaction.atomic(),
    ):
        execute(f"TRUNCATE {table} CASCADE")
    assert counts() == before


def test_truncating_patients_cannot_take_the_notes_with_them(with_addendum):
    # given
    before = counts()
    opt_out()
    # when / then: the cascade reaches the notes, whose triggers fire too
    with pytest.raises(IntegrityError, match="holds final notes: TRUNCATE"), transaction.atomic():
        execute("TRUNCATE patients_patient CASCADE")
    assert counts() == before


def test_a_superuser_session_that_opts_in_may_truncate(with_addendum):
    # given
    assert counts() != (0, 0, 0, 0, 0)
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    execute("SET LOCAL parity.final_note_truncate = 'allow'")
    # when
    execute(f"TRUNCATE {', '.join(FINAL_NOTE_TABLES)} CASCADE")
    # then
    assert counts() == (0, 0, 0, 0, 0)


def test_opting_in_is_not_enough_without_superuser(with_addendum):
    # given: a role that holds TRUNCATE on the tables but is not a superuser (rolled back at the end)
    before = counts()
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    execute("CREATE ROLE parity_notes_truncate_probe NOSUPERUSER")
    execute("GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO parity_notes_truncate_probe")
    execute("SET LOCAL ROLE parity_notes_truncate_probe")
    execute("SET LOCAL parity.final_note_truncate = 'allow'")
    # when / then
    with pytest.raises(IntegrityError, match="holds final notes: TRUNCATE"), transaction.atomic():
        execute(f"TRUNCATE {', '.join(FINAL_NOTE_TABLES)} CASCADE")
    execute("RESET ROLE")
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_the_test_runner_can_still_flush_the_note_tables(with_addendum):
    # given: committed final notes (test connections opt in, billing/settings/test.py)
    assert SessionNote._base_manager.count() == 1
    # when
    call_command("flush", interactive=False, verbosity=0)
    # then
    assert counts() == (0, 0, 0, 0, 0)
