"""The ORM guards on final notes and on history (they also protect the SQLite demo, which has
no triggers). PostgreSQL's triggers are tested in test_immutability.py."""

from __future__ import annotations

import pytest
from django.db import transaction

from clinical_notes import services
from clinical_notes.errors import FinalNoteImmutable
from clinical_notes.models import NoteEvent, NoteSegment, SessionNote
from tests.clinical_notes.helpers import sign, write_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def final(clinic):
    tech = clinic.access(clinic.tech_user)
    note = sign(tech, write_note(tech, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]))
    return services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)


def test_orm_changes_to_a_final_note_raise(final):
    before = SessionNote.objects.values().get(pk=final.pk)
    final.content = {}
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        final.save(update_fields=["content"])
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        final.delete()
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        SessionNote.objects.filter(pk=final.pk).update(content={})
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        SessionNote.objects.bulk_update([final], ["content"])
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        SessionNote.objects.filter(pk=final.pk).delete()
    assert SessionNote.objects.values().get(pk=final.pk) == before


def test_orm_changes_to_a_final_notes_parts_raise(final):
    segment = NoteSegment.objects.get(note=final)
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        segment.save()
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        segment.delete()
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        final.segments.all().update(is_crisis=True)
    assert NoteSegment.objects.get(note=final).is_crisis is False


def test_history_rows_are_never_updated_or_deleted(final):
    event = NoteEvent.objects.filter(note=final).first()
    event.comment = "rewritten"
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        event.save()
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        event.delete()
    with pytest.raises(FinalNoteImmutable), transaction.atomic():
        NoteEvent.objects.filter(note=final).update(comment="x")
    assert NoteEvent.objects.filter(note=final, comment="").count() == 3


def test_drafts_are_saved_normally(clinic):
    tech = clinic.access(clinic.tech_user)
    note = write_note(tech, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk])
    note.place_of_service = "12"
    note.save(update_fields=["place_of_service"])
    assert SessionNote.objects.filter(pk=note.pk).update(telehealth="audio_only") == 1
