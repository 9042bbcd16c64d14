"""A final note cannot change through any path, and note history is append-only (PostgreSQL).

Every path is tried on a final note: the services, the ORM (guarded queryset and instance, and
the unguarded base manager, which reaches the trigger), bulk_update, raw SQL, the Django admin
and the API. Each attempt fails and, at the end, nothing about the note has changed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinical_notes import services
from clinical_notes.domain.types import GoalProgress, Measurement
from clinical_notes.errors import FinalNoteImmutable
from clinical_notes.models import (
    NoteAddendum,
    NoteDiagnosis,
    NoteEvent,
    NoteGoal,
    NoteMeasurement,
    NoteSegment,
    SessionNote,
)
from core.errors import Conflict
from tests.clinical_notes.helpers import session_start, sign, write_note
from tests.conftest import TOTP_KEY_HEX
from tests.factories import UserFactory
from tests.factories.clinical import PlanGoalFactory, TreatmentPlanFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TRIGGER_MESSAGE = "a final note cannot be changed"


def _rows(model, note_id):
    return list(model._base_manager.filter(note_id=note_id).order_by("pk").values())


def snapshot(note_id):
    """Everything stored about the note (read with the unguarded manager)."""
    return (
        SessionNote._base_manager.filter(pk=note_id).values().get(),
        _rows(NoteSegment, note_id),
        _rows(NoteMeasurement, note_id),
        _rows(NoteDiagnosis, note_id),
        _rows(NoteGoal, note_id),
        _rows(NoteEvent, note_id),
        _rows(NoteAddendum, note_id),
    )


def refused(action):
    """Run `action` in a savepoint; it must fail with IntegrityError. Returns the error."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    return caught.value


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def final(clinic):
    """A co-signed note with segments, a score, a diagnosis and a goal link (no addenda yet)."""
    tech = clinic.access(clinic.tech_user)
    note = write_note(tech, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk])
    goal = PlanGoalFactory(
        problem__plan=TreatmentPlanFactory(practice=clinic.practice, patient=clinic.patient)
    )
    note = services.note_draft_update(
        access=tech,
        note_id=note.pk,
        version=note.version,
        measurements=[Measurement("PHQ9", 7)],
        goals=[GoalProgress(goal_id=goal.pk, progress="Met 8/10.")],
    )
    sign(tech, note)
    services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)
    assert SessionNote.objects.get(pk=note.pk).status == "final"
    return SessionNote.objects.get(pk=note.pk)


@pytest.fixture
def draft(clinic):
    tech = clinic.access(clinic.tech_user)
    return write_note(
        tech,
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        start=session_start(hour=14),
        seed=9,
    )


# ---------------------------------------------------------------------------- the note row


def test_services_refuse_to_change_a_final_note(clinic, final):
    before = snapshot(final.pk)
    tech = clinic.access(clinic.tech_user)
    supervisor = clinic.access(clinic.supervisor_user)
    with pytest.raises(Conflict):
        services.note_draft_update(access=tech, note_id=final.pk, version=final.version, content={})
    with pytest.raises(Conflict):
        services.note_sign(access=tech, note_id=final.pk, attested=True)
    with pytest.raises(Conflict):
        services.note_return(access=supervisor, note_id=final.pk, comment="Reopen")
    with pytest.raises(Conflict):
        services.note_cosign(access=supervisor, note_id=final.pk, attested=True)
    with pytest.raises(Conflict):
        services.note_delete_draft(access=tech, note_id=final.pk)
    assert snapshot(final.pk) == before


def test_queryset_update_is_refused_by_the_guard_and_by_the_trigger(final):
    before = snapshot(final.pk)
    guarded = refused(lambda: SessionNote.objects.filter(pk=final.pk).update(content={}))
    trigger = refused(
        lambda: SessionNote._base_manager.filter(pk=final.pk).update(content={}, status="draft")
    )
    assert isinstance(guarded, FinalNoteImmutable)
    assert TRIGGER_MESSAGE in str(trigger)
    assert snapshot(final.pk) == before


def test_instance_save_is_refused_by_the_guard_and_by_the_trigger(final):
    before = snapshot(final.pk)
    final.content = {"plan": "rewritten"}
    guarded = refused(lambda: final.save(update_fields=["content"]))
    trigger = refused(lambda: models.Model.save(final, update_fields=["content"]))
    assert isinstance(guarded, FinalNoteImmutable)
    assert TRIGGER_MESSAGE in str(trigger)
    assert snapshot(final.pk) == before


def test_instance_delete_and_queryset_delete_are_refused(final):
    before = snapshot(final.pk)
    assert isinstance(refused(final.delete), FinalNoteImmutable)
    assert isinstance(refused(lambda: SessionNote.objects.filter(pk=final.pk).delete()), FinalNoteImmutable)
    refused(lambda: SessionNote._base_manager.filter(pk=final.pk).delete())  # parts' or note's trigger
    assert snapshot(final.pk) == before


def test_bulk_update_is_refused(final):
    before = snapshot(final.pk)
    final.content = {}
    assert isinstance(
        refused(lambda: SessionNote.objects.bulk_update([final], ["content"])), FinalNoteImmutable
    )
    assert TRIGGER_MESSAGE in str(
        refused(lambda: SessionNote._base_manager.bulk_update([final], ["content"]))
    )
    assert snapshot(final.pk) == before


def test_raw_sql_update_and_delete_are_refused_by_the_trigger(final):
    before = snapshot(final.pk)
    update = refused(
        lambda: raw("UPDATE clinical_notes_sessionnote SET content = '{}' WHERE id = %s", [final.pk])
    )
    reopen = refused(
        lambda: raw("UPDATE clinical_notes_sessionnote SET status = 'draft' WHERE id = %s", [final.pk])
    )
    delete = refused(lambda: raw("DELETE FROM clinical_notes_sessionnote WHERE id = %s", [final.pk]))
    assert all(TRIGGER_MESSAGE in str(error) for error in (update, reopen, delete))
    assert snapshot(final.pk) == before


# ---------------------------------------------------------------------------- the note's parts


def test_segments_of_a_final_note_cannot_change(final, draft):
    before = snapshot(final.pk)
    segment = NoteSegment._base_manager.filter(note=final).first()
    segment.ends_at += dt.timedelta(minutes=30)
    assert isinstance(refused(segment.save), FinalNoteImmutable)
    assert isinstance(refused(segment.delete), FinalNoteImmutable)
    assert isinstance(
        refused(lambda: NoteSegment.objects.filter(note=final).update(is_crisis=True)), FinalNoteImmutable
    )
    assert isinstance(refused(lambda: NoteSegment.objects.filter(note=final).delete()), FinalNoteImmutable)
    refused(lambda: models.Model.save(segment))
    refused(lambda: NoteSegment._base_manager.filter(note=final).update(is_crisis=True))
    refused(lambda: NoteSegment._base_manager.filter(note=final)._raw_delete(connection.alias))
    refused(
        lambda: NoteSegment.objects.bulk_create(
            [
                NoteSegment(
                    note=final, starts_at=segment.starts_at, ends_at=segment.starts_at + dt.timedelta(hours=1)
                )
            ]
        )
    )
    # moving a segment of a draft onto the final note is refused too
    moved = NoteSegment._base_manager.filter(note=draft).first()
    refused(lambda: NoteSegment._base_manager.filter(pk=moved.pk).update(note_id=final.pk))
    refused(
        lambda: raw(
            "UPDATE clinical_notes_notesegment SET ends_at = ends_at + interval '1 hour' WHERE note_id = %s",
            [final.pk],
        )
    )
    refused(lambda: raw("DELETE FROM clinical_notes_notesegment WHERE note_id = %s", [final.pk]))
    assert snapshot(final.pk) == before


@pytest.mark.parametrize(
    ("table", "assignment"),
    [
        ("clinical_notes_notemeasurement", "score = 0"),
        ("clinical_notes_notediagnosis", "position = 9"),
        ("clinical_notes_notegoal", "progress = 'rewritten'"),
    ],
)
def test_scores_diagnoses_and_goal_links_of_a_final_note_cannot_change(final, table, assignment):
    before = snapshot(final.pk)
    refused(lambda: raw(f"UPDATE {table} SET {assignment} WHERE note_id = %s", [final.pk]))  # noqa: S608
    refused(lambda: raw(f"DELETE FROM {table} WHERE note_id = %s", [final.pk]))  # noqa: S608
    assert snapshot(final.pk) == before


def test_orm_paths_on_scores_diagnoses_and_goal_links(final, clinic):
    before = snapshot(final.pk)
    for model in (NoteMeasurement, NoteDiagnosis, NoteGoal):
        row = model._base_manager.filter(note=final).get()
        assert isinstance(refused(row.save), FinalNoteImmutable)
        assert isinstance(refused(row.delete), FinalNoteImmutable)
        assert isinstance(refused(lambda m=model: m.objects.filter(note=final).delete()), FinalNoteImmutable)
        refused(lambda m=model: m._base_manager.filter(note=final)._raw_delete(connection.alias))
    refused(
        lambda: NoteMeasurement.objects.bulk_create([NoteMeasurement(note=final, instrument="GAD7", score=3)])
    )
    assert snapshot(final.pk) == before


# ---------------------------------------------------------------------------- history


def test_events_and_addenda_are_append_only(clinic, final):
    services.note_addendum_add(
        access=clinic.access(clinic.tech_user), note_id=final.pk, reason="Late entry", text="x"
    )
    before = snapshot(final.pk)
    event = NoteEvent._base_manager.filter(note=final).first()
    addendum = NoteAddendum._base_manager.get(note=final)
    for row, model, table in (
        (event, NoteEvent, "clinical_notes_noteevent"),
        (addendum, NoteAddendum, "clinical_notes_noteaddendum"),
    ):
        assert isinstance(refused(row.save), FinalNoteImmutable)
        assert isinstance(refused(row.delete), FinalNoteImmutable)
        assert isinstance(
            refused(lambda m=model: m.objects.filter(note=final).update(note_id=final.pk)), FinalNoteImmutable
        )
        assert isinstance(refused(lambda m=model: m.objects.filter(note=final).delete()), FinalNoteImmutable)
        assert "append-only" in str(
            refused(lambda m=model: m._base_manager.filter(note=final).update(note_id=final.pk))
        )
        delete_sql = f"DELETE FROM {table} WHERE note_id = %s"  # noqa: S608 - table names from this test
        assert "append-only" in str(refused(lambda sql=delete_sql: raw(sql, [final.pk])))
    assert snapshot(final.pk) == before


def test_events_of_a_returned_note_are_append_only_too(clinic):
    tech = clinic.access(clinic.tech_user)
    note = sign(tech, write_note(tech, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]))
    services.note_return(access=clinic.access(clinic.supervisor_user), note_id=note.pk, comment="Fix.")
    before = _rows(NoteEvent, note.pk)
    refused(lambda: raw("UPDATE clinical_notes_noteevent SET comment = '' WHERE note_id = %s", [note.pk]))
    refused(lambda: raw("DELETE FROM clinical_notes_noteevent WHERE note_id = %s", [note.pk]))
    assert _rows(NoteEvent, note.pk) == before


# ---------------------------------------------------------------------------- what must still work


def test_signing_to_final_and_deleting_an_unsigned_draft_still_work(clinic, draft):
    # the trigger looks at the stored status: moving *to* final is allowed
    access = clinic.access(clinic.clinician_user)
    note = write_note(
        access,
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        service_type="individual_psychotherapy",
        start=session_start(hour=16),
    )
    assert services.note_sign(access=access, note_id=note.pk, attested=True).status == "final"
    # and a never-signed draft goes with its parts and its own history
    services.note_delete_draft(access=clinic.access(clinic.tech_user), note_id=draft.pk)
    assert not SessionNote.objects.filter(pk=draft.pk).exists()
    assert not NoteEvent._base_manager.filter(note_id=draft.pk).exists()


# ---------------------------------------------------------------------------- the admin and the API


def test_the_admin_cannot_change_or_delete_a_final_note(client_for, final):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=admin_user, name="test", key=TOTP_KEY_HEX, confirmed=True)
    client = client_for(admin_user)
    before = snapshot(final.pk)
    change_url = reverse("admin:clinical_notes_sessionnote_change", args=[final.pk])
    delete_url = reverse("admin:clinical_notes_sessionnote_delete", args=[final.pk])
    # when
    viewed = client.get(change_url)
    changed = client.post(
        change_url, {"status": "draft", "place_of_service": "12", "service_type": "case_management"}
    )
    deleted = client.post(delete_url, {"post": "yes"})
    # then
    assert viewed.status_code == 200
    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert snapshot(final.pk) == before


def test_the_api_cannot_patch_a_final_note(client_for, clinic, final):
    before = snapshot(final.pk)
    response = client_for(clinic.tech_user).patch(
        reverse("notes_api:update", kwargs={"note_id": final.pk}),
        {"version": final.version, "content": {}},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "note_not_editable")
    assert snapshot(final.pk) == before
