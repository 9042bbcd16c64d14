"""note_create and note_draft_update: rows, events, audit; nothing written on error."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from clinical_notes import services
from clinical_notes.domain.types import GoalProgress, Measurement, Segment
from clinical_notes.errors import NoteRuleViolation
from clinical_notes.models import (
    NoteDiagnosis,
    NoteEvent,
    NoteGoal,
    NoteMeasurement,
    NoteSegment,
    SessionNote,
)
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.clinical_notes.helpers import NY, session_start, sign, write_note
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.clinical import PatientDiagnosisFactory, PlanGoalFactory, TreatmentPlanFactory
from tests.factories.clinical_content import complete_content_for
from tests.factories.scheduling import AppointmentFactory

UTC = dt.UTC
NAIVE_START = dt.datetime(2026, 3, 9, 10, tzinfo=UTC).replace(tzinfo=None)
pytestmark = pytest.mark.django_db


def counts():
    return (
        SessionNote.objects.count(),
        NoteSegment.objects.count(),
        NoteEvent.objects.count(),
        AuditEvent.objects.exclude(outcome="denied").count(),
    )


def snapshot(note_id):
    note = SessionNote.objects.get(pk=note_id)
    return (
        note.status,
        note.version,
        note.content,
        note.service_type,
        list(note.segments.values_list("starts_at", "ends_at")),
        list(note.note_diagnoses.values_list("diagnosis_id", flat=True)),
        list(note.measurements.values_list("instrument", "score")),
    )


# ---------------------------------------------------------------------------- create


def test_create_from_an_appointment_copies_it_and_uses_the_local_date(clinic):
    # given an appointment at 23:30 New York time (03:30 UTC the next day)
    appointment = AppointmentFactory(
        practice=clinic.practice,
        patient=clinic.patient,
        provider=clinic.tech,
        service_type="aba_technician_treatment",
        starts_at=dt.datetime(2026, 3, 10, 3, 30, tzinfo=UTC),
        ends_at=dt.datetime(2026, 3, 10, 4, 30, tzinfo=UTC),
        place_of_service="12",
        telehealth="",
    )
    access = clinic.access(clinic.tech_user)
    # when
    note = services.note_create(access=access, appointment_id=appointment.pk)
    # then
    note.refresh_from_db()
    assert (
        note.practice_id,
        note.patient_id,
        note.author_id,
        note.appointment_id,
        note.service_type,
        note.date_of_service,
        note.place_of_service,
        note.status,
        note.version,
        note.content,
    ) == (
        clinic.practice.pk,
        clinic.patient.pk,
        clinic.tech.pk,
        appointment.pk,
        "aba_technician_treatment",
        dt.date(2026, 3, 9),
        "12",
        "draft",
        1,
        {},
    )
    assert list(note.segments.values_list("starts_at", "ends_at")) == [
        (appointment.starts_at, appointment.ends_at)
    ]
    [event] = NoteEvent.objects.all()
    assert (event.note_id, event.actor_id, event.from_status, event.to_status) == (
        note.pk,
        clinic.tech_user.pk,
        "",
        "draft",
    )
    [audit] = AuditEvent.objects.all()
    assert (
        audit.action,
        audit.category,
        audit.patient_id,
        audit.object_type,
        audit.object_id,
        audit.detail,
    ) == (
        "create",
        "clinical_note",
        clinic.patient.pk,
        "session_note",
        str(note.pk),
        f"service=aba_technician_treatment;appointment={appointment.pk}",
    )


def test_an_appointment_is_documented_once(clinic):
    appointment = AppointmentFactory(practice=clinic.practice, patient=clinic.patient, provider=clinic.tech)
    access = clinic.access(clinic.tech_user)
    first = services.note_create(access=access, appointment_id=appointment.pk)
    before = counts()
    with pytest.raises(Conflict) as caught:
        services.note_create(access=access, appointment_id=appointment.pk)
    assert (caught.value.code, caught.value.extra) == ("note_exists_for_appointment", {"note_id": first.pk})
    assert counts() == before


def test_only_the_appointments_provider_documents_it(clinic):
    appointment = AppointmentFactory(
        practice=clinic.practice, patient=clinic.patient, provider=clinic.other_tech
    )
    before = counts()
    with pytest.raises(PermissionDenied):
        services.note_create(access=clinic.access(clinic.tech_user), appointment_id=appointment.pk)
    assert counts() == before
    denied = AuditEvent.objects.get(outcome="denied")
    assert (denied.action, denied.detail) == ("create", f"reason=not_rendering_provider:{appointment.pk}")


@pytest.mark.parametrize("status", ["cancelled", "no_show"])
def test_a_cancelled_or_missed_appointment_has_nothing_to_document(clinic, status):
    appointment = AppointmentFactory(
        practice=clinic.practice, patient=clinic.patient, provider=clinic.tech, status=status
    )
    before = counts()
    with pytest.raises(ValidationFailed) as caught:
        services.note_create(access=clinic.access(clinic.tech_user), appointment_id=appointment.pk)
    assert list(caught.value.field_errors) == ["appointment_id"]
    assert counts() == before


def test_another_practices_appointment_is_not_found(clinic):
    elsewhere = PracticeFactory()
    appointment = AppointmentFactory(practice=elsewhere)
    with pytest.raises(NotFound):
        services.note_create(access=clinic.access(clinic.tech_user), appointment_id=appointment.pk)
    assert SessionNote.objects.count() == 0


def test_ad_hoc_note_needs_patient_service_and_date(clinic):
    with pytest.raises(ValidationFailed) as caught:
        services.note_create(access=clinic.access(clinic.clinician_user), patient_id=clinic.patient.pk)
    assert caught.value.field_errors == {
        "service_type": ["This field is required."],
        "date_of_service": ["This field is required."],
    }
    assert SessionNote.objects.count() == 0


def test_a_tech_documents_only_patients_on_their_caseload(clinic):
    # given other_patient is on the other tech's caseload, not this tech's
    with pytest.raises(NotFound):
        services.note_create(
            access=clinic.access(clinic.tech_user),
            patient_id=clinic.other_patient.pk,
            service_type="aba_technician_treatment",
            date_of_service=dt.date(2026, 3, 9),
        )
    assert SessionNote.objects.count() == 0


def test_a_clinician_may_document_any_patient_of_the_practice_but_not_of_another(clinic):
    access = clinic.access(clinic.clinician_user)
    note = services.note_create(
        access=access,
        patient_id=clinic.other_patient.pk,
        service_type="individual_psychotherapy",
        date_of_service=dt.date(2026, 3, 9),
        telehealth="audio_video",
        place_of_service="10",
    )
    assert (note.author_id, note.telehealth, note.place_of_service) == (
        clinic.clinician.pk,
        "audio_video",
        "10",
    )
    with pytest.raises(NotFound):
        services.note_create(
            access=access,
            patient_id=PatientFactory().pk,
            service_type="individual_psychotherapy",
            date_of_service=dt.date(2026, 3, 9),
        )


@pytest.mark.parametrize("role_user", ["biller_user", "admin_user", "compliance_user"])
def test_non_clinical_roles_write_no_notes(clinic, role_user):
    with pytest.raises(PermissionDenied):
        services.note_create(
            access=clinic.access(getattr(clinic, role_user)),
            patient_id=clinic.patient.pk,
            service_type="individual_psychotherapy",
            date_of_service=dt.date(2026, 3, 9),
        )
    assert SessionNote.objects.count() == 0


def test_invalid_place_of_service_and_telehealth_are_rejected(clinic):
    with pytest.raises(NoteRuleViolation) as caught:
        services.note_create(
            access=clinic.access(clinic.clinician_user),
            patient_id=clinic.patient.pk,
            service_type="individual_psychotherapy",
            date_of_service=dt.date(2026, 3, 9),
            place_of_service="7",
            telehealth="carrier_pigeon",
        )
    assert set(caught.value.field_errors) == {"place_of_service", "telehealth"}
    assert SessionNote.objects.count() == 0


# ---------------------------------------------------------------------------- draft saves


def test_the_author_saves_a_draft_and_the_version_moves_on(clinic):
    access = clinic.access(clinic.tech_user)
    note = services.note_create(
        access=access,
        patient_id=clinic.patient.pk,
        service_type="aba_technician_treatment",
        date_of_service=dt.date(2026, 3, 9),
    )
    goal = PlanGoalFactory(
        problem__plan=TreatmentPlanFactory(practice=clinic.practice, patient=clinic.patient)
    )
    content = complete_content_for("aba_technician_treatment", seed=3)
    start = session_start()
    # when
    saved = services.note_draft_update(
        access=access,
        note_id=note.pk,
        version=1,
        content=content,
        segments=[
            Segment(starts_at=start, ends_at=start + dt.timedelta(minutes=30)),
            Segment(
                starts_at=start + dt.timedelta(hours=2), ends_at=start + dt.timedelta(hours=2, minutes=20)
            ),
        ],
        measurements=[Measurement("PHQ9", 4)],
        diagnosis_ids=[clinic.diagnosis.pk],
        goals=[GoalProgress(goal_id=goal.pk, progress="Met 8 of 10 trials.")],
        place_of_service="12",
    )
    # then
    saved.refresh_from_db()
    assert (saved.version, saved.content, saved.place_of_service) == (2, content, "12")
    assert list(NoteSegment.objects.filter(note=note).values_list("starts_at", flat=True)) == [
        start,
        start + dt.timedelta(hours=2),
    ]
    assert list(NoteMeasurement.objects.values_list("instrument", "score")) == [("PHQ9", 4)]
    assert list(NoteDiagnosis.objects.values_list("diagnosis_id", "position")) == [(clinic.diagnosis.pk, 1)]
    assert list(NoteGoal.objects.values_list("goal_id", "progress")) == [(goal.pk, "Met 8 of 10 trials.")]
    update = AuditEvent.objects.filter(action="update").get()
    assert (
        update.detail
        == "draft_saved;version=2;fields=content,diagnoses,goals,measurements,place_of_service,segments"
    )
    assert NoteEvent.objects.count() == 1  # saving a draft is not a transition


def test_a_stale_version_is_a_conflict_and_changes_nothing(clinic):
    access = clinic.access(clinic.tech_user)
    note = write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk])
    before = snapshot(note.pk)
    with pytest.raises(Conflict) as caught:
        services.note_draft_update(access=access, note_id=note.pk, version=1, content={"plan": "overwrite"})
    assert (caught.value.code, caught.value.extra) == ("stale_version", {"current_version": 2})
    assert snapshot(note.pk) == before


def test_another_tech_cannot_see_let_alone_edit_a_draft(clinic):
    note = write_note(
        clinic.access(clinic.tech_user), patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]
    )
    before = snapshot(note.pk)
    with pytest.raises(NotFound):
        services.note_draft_update(
            access=clinic.access(clinic.other_tech_user), note_id=note.pk, version=2, content={}
        )
    assert snapshot(note.pk) == before


def test_the_supervisor_sees_a_signed_note_but_cannot_edit_it(clinic):
    access = clinic.access(clinic.tech_user)
    note = sign(access, write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]))
    before = snapshot(note.pk)
    with pytest.raises(PermissionDenied):
        services.note_draft_update(
            access=clinic.access(clinic.supervisor_user), note_id=note.pk, version=note.version, content={}
        )
    assert snapshot(note.pk) == before


def test_a_note_awaiting_cosign_is_not_editable_by_its_author(clinic):
    access = clinic.access(clinic.tech_user)
    note = sign(access, write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]))
    before = snapshot(note.pk)
    with pytest.raises(Conflict) as caught:
        services.note_draft_update(access=access, note_id=note.pk, version=note.version, content={})
    assert (caught.value.code, caught.value.extra) == ("note_not_editable", {"status": "awaiting_cosign"})
    assert snapshot(note.pk) == before


@pytest.mark.parametrize(
    ("_case", "changes", "fields"),
    [
        ("unknown content key", {"content": {"favourite_colour": "blue"}}, ["content.favourite_colour"]),
        ("content of the wrong type", {"content": {"plan": ["a", "b"]}}, ["content.plan"]),
        (
            "naive time",
            {"segments": [Segment(NAIVE_START, NAIVE_START + dt.timedelta(hours=1))]},
            ["segments[0]"],
        ),
        (
            "instrument twice",
            {"measurements": [Measurement("PHQ9", 1), Measurement("PHQ9", 2)]},
            ["measurements[1].instrument"],
        ),
        ("bad place of service", {"place_of_service": "ZZ"}, ["place_of_service"]),
    ],
)
def test_bad_draft_input_is_rejected_and_nothing_changes(clinic, _case, changes, fields):
    access = clinic.access(clinic.tech_user)
    note = write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk])
    before = snapshot(note.pk)
    with pytest.raises(NoteRuleViolation) as caught:
        services.note_draft_update(access=access, note_id=note.pk, version=note.version, **changes)
    assert list(caught.value.field_errors) == fields
    assert snapshot(note.pk) == before


def test_a_diagnosis_or_goal_of_another_patient_is_rejected(clinic):
    access = clinic.access(clinic.tech_user)
    note = write_note(access, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk])
    foreign_dx = PatientDiagnosisFactory(patient=clinic.other_patient, code="F331")
    foreign_goal = PlanGoalFactory(
        problem__plan=TreatmentPlanFactory(practice=clinic.practice, patient=clinic.other_patient)
    )
    before = snapshot(note.pk)
    with pytest.raises(NoteRuleViolation) as caught:
        services.note_draft_update(
            access=access,
            note_id=note.pk,
            version=note.version,
            diagnosis_ids=[clinic.diagnosis.pk, foreign_dx.pk],
            goals=[GoalProgress(goal_id=foreign_goal.pk)],
        )
    assert caught.value.field_errors == {
        "diagnoses[1]": ["A diagnosis addressed is not on this patient's problem list."],
        "goals[0]": ["A goal is not in this patient's treatment plans."],
    }
    assert snapshot(note.pk) == before


def test_a_returned_note_is_editable_again(clinic):
    tech = clinic.access(clinic.tech_user)
    note = sign(tech, write_note(tech, patient_id=clinic.patient.pk, diagnosis_ids=[clinic.diagnosis.pk]))
    services.note_return(access=clinic.access(clinic.supervisor_user), note_id=note.pk, comment="More data.")
    saved = services.note_draft_update(
        access=tech,
        note_id=note.pk,
        version=note.version,
        content=complete_content_for("aba_technician_treatment", seed=9),
    )
    assert (saved.status, saved.version) == ("returned", note.version + 1)


def test_local_date_of_service_helper_matches_practice_zone():
    assert session_start(9, 23, 30).astimezone(NY).date() == dt.date(2026, 3, 9)
