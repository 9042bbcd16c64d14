"""The hand-off: a note that becomes final is recorded once as ready to bill."""

from __future__ import annotations

import pytest

from claims.models import BillableNote
from claims.services import note_ready_to_bill_record
from claims.tasks import note_ready_to_bill_task
from clinical_notes import services
from tests.clinical_notes.conftest import NOW
from tests.clinical_notes.helpers import sign, write_note

pytestmark = pytest.mark.django_db


def signed_tech_note(clinic):
    access = clinic.access(clinic.tech_user)
    return sign(access, write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]))


def test_cosigning_queues_exactly_one_task_after_commit_and_it_records_the_note(
    clinic, eager_tasks, django_capture_on_commit_callbacks
):
    note = signed_tech_note(clinic)
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)
    # then: queued only at commit, so nothing is recorded yet
    assert len(callbacks) == 1
    assert BillableNote.objects.count() == 0
    callbacks[0]()
    billable = BillableNote.objects.get()
    assert (billable.note_id, billable.practice_id, billable.status, billable.recorded_at) == (
        note.pk,
        clinic.practice.pk,
        "ready_to_bill",
        NOW,
    )


def test_signing_straight_to_final_hands_off_too(clinic, eager_tasks, django_capture_on_commit_callbacks):
    access = clinic.access(clinic.clinician_user)
    note = write_note(
        access,
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        service_type="individual_psychotherapy",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sign(access, note)
    assert len(callbacks) == 1
    assert list(BillableNote.objects.values_list("note_id", flat=True)) == [note.pk]


def test_nothing_is_queued_while_a_note_waits_or_is_returned(clinic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        note = signed_tech_note(clinic)
        services.note_return(access=clinic.access(clinic.supervisor_user), note_id=note.pk, comment="Fix.")
    assert callbacks == []


def test_running_the_task_twice_records_the_note_once(clinic, eager_tasks):
    note = signed_tech_note(clinic)
    services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)
    # when
    note_ready_to_bill_task.apply(kwargs={"note_id": note.pk})
    note_ready_to_bill_task.apply(kwargs={"note_id": note.pk})
    # then
    assert list(BillableNote.objects.values_list("note_id", flat=True)) == [note.pk]


def test_a_note_that_is_not_final_is_not_recorded(clinic):
    note = signed_tech_note(clinic)
    assert note_ready_to_bill_record(note_id=note.pk) is None
    assert note_ready_to_bill_record(note_id=999_999) is None
    assert BillableNote.objects.count() == 0


def test_the_hand_off_is_a_durable_job_committed_with_the_note(clinic, django_capture_on_commit_callbacks):
    from core.models import BackgroundJob

    note = signed_tech_note(clinic)
    # when: co-signed, but the task is never sent (no commit callbacks run: a lost message)
    with django_capture_on_commit_callbacks():
        services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)
    # then: the intent is on record with the final note, for the relay to send
    job = BackgroundJob.objects.get()
    assert (job.key, job.task_name, job.kwargs, job.practice_id, job.status) == (
        f"claims.tasks.note_ready_to_bill_task:note={note.pk}",
        "claims.tasks.note_ready_to_bill_task",
        {"note_id": note.pk},
        clinic.practice.pk,
        "pending",
    )
    # when: the relay runs once the lease has passed
    from django.utils import timezone

    from core.jobs import jobs_relay

    BackgroundJob.objects.update(next_attempt_at=timezone.now())
    assert jobs_relay() == 1
    assert list(BillableNote.objects.values_list("note_id", flat=True)) == [note.pk]
    job.refresh_from_db()
    assert job.status == "done"
