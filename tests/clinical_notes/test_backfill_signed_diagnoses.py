"""clinical_notes/migrations/0007: notes signed before the diagnoses were recorded get them from
the problem list as it is when the migration runs; it can be re-run; drafts are left alone."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from clinical_notes.models import NoteDiagnosis
from patients.models import PatientDiagnosis
from tests.clinical_notes.helpers import session_start
from tests.clinical_notes.views.builders import awaiting_note, final_note, tech_note

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("clinical_notes.migrations.0007_backfill_signed_note_diagnoses")


@pytest.fixture(scope="module")
def migration_apps():
    """The models as the migration sees them (no model guards, as when migrations run)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return loader.project_state(("clinical_notes", "0007_backfill_signed_note_diagnoses")).apps


@pytest.fixture
def run_backfill(migration_apps):
    def run() -> None:
        with connection.schema_editor() as editor:
            MIGRATION.backfill(migration_apps, editor)

    return run


def forget_records() -> None:
    """Make the rows look as they did before 0006 (around the final-note trigger)."""
    with connection.schema_editor() as editor:
        MIGRATION._set_part_trigger(editor, enabled=False)
        NoteDiagnosis._base_manager.update(code="", description="")
        MIGRATION._set_part_trigger(editor, enabled=True)


def recorded(note) -> list[tuple[str, str]]:
    return list(NoteDiagnosis.objects.filter(note_id=note.pk).values_list("code", "description"))


def test_signed_notes_get_todays_problem_list_and_drafts_stay_empty(clinic, run_backfill):
    # given: a final note, a note awaiting co-signature and a draft, none recorded
    final = final_note(clinic)
    awaiting = awaiting_note(clinic, start=session_start(hour=13), seed=2)
    draft = tech_note(clinic, start=session_start(hour=15), seed=3)
    forget_records()
    PatientDiagnosis.objects.filter(pk=clinic.diagnosis.pk).update(description="Described today")
    # when
    run_backfill()
    # then
    assert recorded(final) == [("F840", "Described today")]
    assert recorded(awaiting) == [("F840", "Described today")]
    assert recorded(draft) == [("", "")]


def test_the_backfill_can_be_rerun_and_keeps_what_is_recorded(clinic, run_backfill):
    # given
    final = final_note(clinic)
    PatientDiagnosis.objects.filter(pk=clinic.diagnosis.pk).update(code="F849", description="Later")
    # when
    run_backfill()
    run_backfill()
    # then
    assert recorded(final) == [("F840", "Synthetic diagnosis")]


@pytest.mark.postgres
def test_the_final_note_trigger_is_enabled_again_afterwards(clinic, run_backfill):
    # given
    final_note(clinic)
    forget_records()
    # when
    run_backfill()
    # then
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'clinical_notes_notediagnosis_final_immutable'"
        )
        assert cursor.fetchall() == [("O",)]
