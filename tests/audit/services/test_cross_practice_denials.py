"""A denied attempt at another practice's record is recorded where that practice's compliance
auditor looks (their practice's audit log), as well as in the caller's practice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.access import PracticeAccess
from audit.models import AuditEvent
from audit.selectors import AuditEventFilters, audit_events_for_practice
from core.audit_context import AuditContext
from tests.factories import PatientFactory
from tests.factories.clinical import SessionNoteFactory
from tests.factories.scheduling import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(practice, other_practice, make_member):  # type: ignore[no-untyped-def]
    intruder = make_member("practice_admin", practice)
    auditor = make_member("compliance", other_practice)
    patient = PatientFactory(practice=other_practice)
    return {"intruder": intruder, "auditor": auditor, "patient": patient}


def _routes(g, other_practice):  # type: ignore[no-untyped-def]
    appointment = AppointmentFactory(practice=other_practice, patient=g["patient"])
    note = SessionNoteFactory(practice=other_practice, patient=g["patient"])
    return [
        ("patients:detail", {"patient_id": g["patient"].pk}, "patient", g["patient"].pk),
        ("patients_api:detail", {"patient_id": g["patient"].pk}, "patient", g["patient"].pk),
        ("clinical_notes:detail", {"note_id": note.pk}, "session_note", note.pk),
        ("notes_api:detail", {"note_id": note.pk}, "session_note", note.pk),
        ("scheduling:appointment_detail", {"appointment_id": appointment.pk}, "appointment", appointment.pk),
    ]


def test_each_denied_cross_practice_read_is_recorded_in_both_practices(
    setting, practice, other_practice, client_for
):
    client = client_for(setting["intruder"])
    for route, kwargs, object_type, object_id in _routes(setting, other_practice):
        before = AuditEvent.objects.count()
        # when
        response = client.get(reverse(route, kwargs=kwargs))
        # then
        assert response.status_code == 404, route
        events = list(AuditEvent.objects.order_by("seq")[before:])
        assert [(e.practice_id, e.outcome, e.object_type, e.object_id, e.actor_id) for e in events] == [
            (practice.pk, "denied", object_type, str(object_id), setting["intruder"].pk),
            (other_practice.pk, "denied", object_type, str(object_id), setting["intruder"].pk),
        ], route
        caller, owner = events
        assert owner.detail == f"cross_practice;from_practice={practice.pk};{caller.detail}"
        assert owner.patient_id == setting["patient"].pk


def test_the_owning_practices_auditor_finds_the_attempt_by_patient(
    setting, practice, other_practice, client_for
):
    # given
    client_for(setting["intruder"]).get(
        reverse("patients:detail", kwargs={"patient_id": setting["patient"].pk})
    )
    viewer = PracticeAccess(
        user_id=setting["auditor"].pk,
        username=setting["auditor"].username,
        practice_id=other_practice.pk,
        practice_name="",
        role="compliance",  # type: ignore[arg-type]
        provider_id=None,
        audit=AuditContext(actor_id=setting["auditor"].pk, actor_username=setting["auditor"].username),
    )
    # when
    events = audit_events_for_practice(
        viewer=viewer, filters=AuditEventFilters(patient_id=setting["patient"].pk, outcome="denied")
    )
    # then
    assert [(e.actor_username, e.practice_id, e.detail.split(";")[0]) for e in events] == [
        (setting["intruder"].username, other_practice.pk, "cross_practice")
    ]


def test_a_denial_inside_ones_own_practice_is_recorded_once(practice, make_member, client_for):
    # given: a technician not on this patient's caseload (same practice)
    tech = make_member("technician", practice, provider=True)
    patient = PatientFactory(practice=practice)
    before = AuditEvent.objects.count()
    # when
    response = client_for(tech).get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    # then
    assert response.status_code == 404
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [(e.practice_id, e.outcome) for e in events] == [(practice.pk, "denied")]


def test_an_id_no_row_has_is_recorded_once(setting, practice, client_for):
    before = AuditEvent.objects.count()
    client_for(setting["intruder"]).get(reverse("patients:detail", kwargs={"patient_id": 987654321}))
    assert list(AuditEvent.objects.order_by("seq")[before:].values_list("practice_id", flat=True)) == [
        practice.pk
    ]
