"""Addenda, deleting drafts, and co-sign reminders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from audit.models import AuditEvent
from clinical_notes import services
from clinical_notes.models import CosignReminder, NoteAddendum, NoteEvent, NoteSegment, SessionNote
from clinical_notes.tasks import cosign_reminders_task
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.clinical_notes.conftest import NOW
from tests.clinical_notes.helpers import sign, write_note

pytestmark = pytest.mark.django_db


def tech_note(clinic, **kwargs):
    return write_note(
        clinic.access(clinic.tech_user),
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        **kwargs,
    )


def final_note(clinic, **kwargs):
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic, **kwargs))
    return services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)


# ---------------------------------------------------------------------------- addenda


def test_author_and_supervisor_add_addenda_to_a_final_note_in_order(clinic):
    note = final_note(clinic)
    # when
    first = services.note_addendum_add(
        access=clinic.access(clinic.tech_user),
        note_id=note.pk,
        reason="Late entry",
        text="Parent called after.",
    )
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        second = services.note_addendum_add(
            access=clinic.access(clinic.supervisor_user),
            note_id=note.pk,
            reason="Clarification",
            text="Reviewed the graph with the tech.",
        )
    # then
    assert list(
        NoteAddendum.objects.filter(note=note).values_list("pk", "author_id", "reason", "created_at")
    ) == [
        (first.pk, clinic.tech_user.pk, "Late entry", NOW),
        (second.pk, clinic.supervisor_user.pk, "Clarification", NOW + dt.timedelta(hours=1)),
    ]
    assert SessionNote.objects.get(pk=note.pk).status == "final"
    assert list(
        AuditEvent.objects.filter(action="create", detail__startswith="addendum").values_list(
            "detail", flat=True
        )
    ) == [
        f"addendum={first.pk}",
        f"addendum={second.pk}",
    ]


def test_addenda_only_on_final_notes(clinic):
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    with pytest.raises(Conflict) as caught:
        services.note_addendum_add(
            access=clinic.access(clinic.tech_user), note_id=note.pk, reason="r", text="t"
        )
    assert (caught.value.code, caught.value.extra) == ("note_not_editable", {"status": "awaiting_cosign"})
    assert NoteAddendum.objects.count() == 0


def test_an_addendum_needs_a_reason_and_text(clinic):
    note = final_note(clinic)
    with pytest.raises(ValidationFailed) as caught:
        services.note_addendum_add(
            access=clinic.access(clinic.tech_user), note_id=note.pk, reason=" ", text=""
        )
    assert caught.value.field_errors == {
        "reason": ["Say why you are adding to the note."],
        "text": ["Write the addendum."],
    }
    assert NoteAddendum.objects.count() == 0


def test_someone_who_can_read_but_did_not_write_or_supervise_cannot_add(clinic):
    # the clinician can read nothing of this note; the biller can read it but is not a clinician
    note = final_note(clinic)
    with pytest.raises(NotFound):
        services.note_addendum_add(
            access=clinic.access(clinic.clinician_user), note_id=note.pk, reason="r", text="t"
        )
    with pytest.raises(PermissionDenied):
        services.note_addendum_add(
            access=clinic.access(clinic.biller_user), note_id=note.pk, reason="r", text="t"
        )
    assert NoteAddendum.objects.count() == 0


# ---------------------------------------------------------------------------- deleting drafts


def test_the_author_deletes_a_draft_with_its_parts_and_history(clinic):
    note = tech_note(clinic)
    services.note_delete_draft(access=clinic.access(clinic.tech_user), note_id=note.pk)
    assert (SessionNote.objects.count(), NoteSegment.objects.count(), NoteEvent.objects.count()) == (0, 0, 0)
    deleted = AuditEvent.objects.get(action="delete")
    assert (deleted.object_id, deleted.patient_id, deleted.detail) == (
        str(note.pk),
        clinic.patient.pk,
        "draft_deleted",
    )


@pytest.mark.parametrize("stage", ["awaiting_cosign", "returned", "final"])
def test_a_note_that_was_signed_is_never_deleted(clinic, stage):
    tech = clinic.access(clinic.tech_user)
    note = sign(tech, tech_note(clinic))
    if stage == "returned":
        services.note_return(access=clinic.access(clinic.supervisor_user), note_id=note.pk, comment="x")
    if stage == "final":
        services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)
    with pytest.raises(Conflict):
        services.note_delete_draft(access=tech, note_id=note.pk)
    assert SessionNote.objects.get(pk=note.pk).status == stage


def test_only_the_author_deletes_a_draft(clinic):
    note = tech_note(clinic)
    with pytest.raises(NotFound):
        services.note_delete_draft(access=clinic.access(clinic.other_tech_user), note_id=note.pk)
    assert SessionNote.objects.filter(pk=note.pk).exists()


# ---------------------------------------------------------------------------- co-sign reminders


def test_overdue_notes_get_one_reminder_a_day_and_one_email_per_supervisor(
    clinic, django_capture_on_commit_callbacks
):
    # given two notes signed on 2026-03-10 (local) waiting for the same supervisor
    tech = clinic.access(clinic.tech_user)
    first = sign(tech, tech_note(clinic, seed=1))
    second = sign(tech, tech_note(clinic, seed=2, start=dt.datetime(2026, 3, 9, 18, tzinfo=dt.UTC)))
    # when: two days later nothing is due; three days later both are
    with django_capture_on_commit_callbacks(execute=True):
        early = services.cosign_reminders_send(today=dt.date(2026, 3, 12), overdue_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        due = services.cosign_reminders_send(today=dt.date(2026, 3, 13), overdue_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.cosign_reminders_send(today=dt.date(2026, 3, 13), overdue_days=3)
    # then
    assert early == []
    assert sorted(r.note_id for r in due) == sorted([first.pk, second.pk])
    assert again == []
    assert list(
        CosignReminder.objects.order_by().values_list("supervisor_id", "sent_on", "days_waiting").distinct()
    ) == [(clinic.supervisor.pk, dt.date(2026, 3, 13), 3)]
    [email] = mail.outbox
    assert email.to == [clinic.supervisor_user.email]
    assert email.subject == "Parity: 2 notes waiting for your co-signature"
    assert clinic.patient.last_name not in email.body
    assert clinic.patient.first_name not in email.body
    assert "3 days or more" in email.body


def test_the_next_day_brings_a_new_reminder(clinic, django_capture_on_commit_callbacks):
    note = sign(clinic.access(clinic.tech_user), tech_note(clinic))
    with django_capture_on_commit_callbacks(execute=True):
        services.cosign_reminders_send(today=dt.date(2026, 3, 13), overdue_days=3)
        services.cosign_reminders_send(today=dt.date(2026, 3, 14), overdue_days=3)
    assert list(CosignReminder.objects.filter(note=note).values_list("sent_on", "days_waiting")) == [
        (dt.date(2026, 3, 14), 4),
        (dt.date(2026, 3, 13), 3),
    ]
    assert len(mail.outbox) == 2


def test_cosigned_notes_are_not_reminded(clinic, django_capture_on_commit_callbacks):
    final_note(clinic)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cosign_reminders_send(today=dt.date(2026, 3, 30), overdue_days=3) == []
    assert mail.outbox == []


def test_the_task_uses_the_configured_days(clinic, settings, django_capture_on_commit_callbacks):
    settings.COSIGN_OVERDUE_DAYS = 1
    sign(clinic.access(clinic.tech_user), tech_note(clinic))
    with (
        time_machine.travel(dt.datetime(2026, 3, 11, 12, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        created = cosign_reminders_task.apply().get()
    assert created == 1
    assert CosignReminder.objects.get().sent_on == dt.date(2026, 3, 11)
