"""Appointment and group-session API: shapes, local times with offsets, permissions, IDOR."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from scheduling.models import Appointment, AppointmentEvent, GroupSession
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.scheduling import AppointmentFactory, GroupSessionFactory
from tests.query_counts import queries_of

UTC = dt.UTC
pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"scheduling_api:{name}", kwargs=kwargs)


def create_body(w, **overrides):
    body = {
        "patient_id": w.patient.pk,
        "provider_id": w.clinician_provider.pk,
        "service_type": "individual_psychotherapy",
        "starts_at": "2026-11-01T01:30",
        "ends_at": "2026-11-01T02:20",
        "location_id": w.office.pk,
    }
    body.update(overrides)
    return body


def test_create_returns_local_times_with_offsets_and_warnings(world, client_for):
    # when
    response = client_for(world.biller).post(
        url("appointment_create"), create_body(world), content_type="application/json"
    )
    # then
    assert response.status_code == 201
    body = response.json()
    a = Appointment.objects.get()
    assert body["appointment"] == {
        "id": a.pk,
        "patient_id": world.patient.pk,
        "patient_name": world.patient.full_name,
        "provider_id": world.clinician_provider.pk,
        "provider_name": world.clinician_provider.full_name,
        "service_type": "individual_psychotherapy",
        "service_label": "Individual psychotherapy",
        "starts_at": "2026-11-01T01:30:00-04:00",
        "ends_at": "2026-11-01T02:20:00-05:00",
        "timezone": "America/New_York",
        "date_of_service": "2026-11-01",
        "duration_minutes": 110,
        "location_id": world.office.pk,
        "location_name": "Main office",
        "place_of_service": "11",
        "telehealth": "",
        "patient_at_home": False,
        "group_session_id": None,
        "status": "scheduled",
        "cancel_reason": "",
        "note_id": None,
    }
    assert body["warnings"] == [
        {
            "code": "local_time_ambiguous",
            "message": "01:30 on Sun 1 Nov 2026 happens twice in America/New_York (clocks move back); "
            "taken as the first one (EDT, UTC−04:00).",
            "field": "starts_at",
        }
    ]
    assert [(e["from_status"], e["to_status"], e["note"]) for e in body["events"]] == [
        ("", "scheduled", "Booked")
    ]
    assert body["allowed_statuses"] == ["arrived", "completed", "cancelled", "no_show"]
    assert body["can_reschedule"] is True


def test_create_with_an_offset_is_an_instant(world, client_for):
    body = create_body(world, starts_at="2026-03-09T14:00:00Z", ends_at="2026-03-09T15:00:00Z")
    response = client_for(world.clinician).post(
        url("appointment_create"), body, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["appointment"]["starts_at"] == "2026-03-09T10:00:00-04:00"


def test_create_in_the_dst_gap_is_a_400_in_the_one_error_shape(world, client_for):
    body = create_body(world, starts_at="2026-03-08T02:30", ends_at="2026-03-08T03:30")
    response = client_for(world.clinician).post(
        url("appointment_create"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "This time does not exist in the practice's time zone.",
        "code": "validation_failed",
        "extra": {
            "fields": {
                "starts_at": [
                    "02:30 on Sun 8 Mar 2026 does not exist in America/New_York: clocks move forward an hour that "
                    "night. Choose a time before or after the gap."
                ]
            }
        },
    }
    assert Appointment.objects.count() == 0


def test_create_shape_errors(world, client_for):
    response = client_for(world.clinician).post(
        url("appointment_create"),
        {"patient_id": "x", "service_type": "massage"},
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = response.json()["extra"]["fields"]
    assert sorted(fields) == ["ends_at", "patient_id", "provider_id", "service_type", "starts_at"]
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize(("role", "expected"), [("tech", 403), ("compliance", 403)])
def test_create_forbidden_roles_write_nothing(world, client_for, role, expected):
    response = client_for(getattr(world, role)).post(
        url("appointment_create"), create_body(world), content_type="application/json"
    )
    assert response.status_code == expected
    assert response.json()["code"] == "permission_denied"
    assert (Appointment.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_anonymous_is_refused(world, client):
    assert client.get(url("appointment_list")).status_code in (401, 403)
    assert client.post(
        url("appointment_create"), create_body(world), content_type="application/json"
    ).status_code in (
        401,
        403,
    )
    assert Appointment.objects.count() == 0


def test_list_filters_and_paginates(world, client_for):
    # given
    mine = AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
    )
    AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.other_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 16, 0, tzinfo=UTC),
    )
    AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 18, 0, tzinfo=UTC),
        status="cancelled",
    )
    AppointmentFactory(starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))  # another practice
    client = client_for(world.biller)
    # when
    response = client.get(
        url("appointment_list"),
        {
            "provider": world.clinician_provider.pk,
            "start": "2026-03-09",
            "end": "2026-03-09",
            "status": "scheduled,arrived",
        },
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], [r["id"] for r in body["results"]]) == (1, [mine.pk])
    assert set(body) == {"count", "limit", "offset", "next", "previous", "results"}


def test_list_defaults_to_the_next_seven_days(world, client_for):
    AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 15, 14, 0, tzinfo=UTC),
    )
    AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 16, 14, 0, tzinfo=UTC),
    )
    with time_machine.travel(dt.datetime(2026, 3, 9, 12, 0, tzinfo=UTC), tick=False):
        body = client_for(world.admin).get(url("appointment_list")).json()
    assert [r["date_of_service"] for r in body["results"]] == ["2026-03-15"]


def test_list_bad_filters_are_400(world, client_for):
    response = client_for(world.admin).get(url("appointment_list"), {"start": "2026-13-40", "status": "lost"})
    assert response.status_code == 400
    assert sorted(response.json()["extra"]["fields"]) == ["start", "status"]


def test_list_for_technicians_is_their_own_and_caseload(world, client_for):
    own = AppointmentFactory(
        practice=world.practice,
        patient=world.other_patient,
        provider=world.tech_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
    )
    AppointmentFactory(
        practice=world.practice,
        patient=world.other_patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC),
    )
    body = (
        client_for(world.tech)
        .get(url("appointment_list"), {"start": "2026-03-09", "end": "2026-03-09"})
        .json()
    )
    assert [r["id"] for r in body["results"]] == [own.pk]


def test_compliance_cannot_list(world, client_for):
    assert client_for(world.compliance).get(url("appointment_list")).status_code == 403


def test_retrieve_another_practices_appointment_is_404(world, client_for):
    foreign = AppointmentFactory()
    response = client_for(world.clinician).get(url("appointment_detail", appointment_id=foreign.pk))
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found", "extra": {}}


@pytest.mark.parametrize("name", ["appointment_reschedule", "appointment_status"])
def test_changing_another_practices_appointment_is_404_and_changes_nothing(world, client_for, name):
    foreign = AppointmentFactory(starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    body = {
        "starts_at": "2026-03-10T10:00",
        "ends_at": "2026-03-10T11:00",
        "status": "cancelled",
        "reason": "x",
    }
    response = client_for(world.clinician).post(
        url(name, appointment_id=foreign.pk), body, content_type="application/json"
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert (foreign.status, foreign.starts_at) == ("scheduled", dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    assert AppointmentEvent.objects.count() == 0


def test_reschedule(world, client_for):
    a = AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
    )
    response = client_for(world.clinician).post(
        url("appointment_reschedule", appointment_id=a.pk),
        {"starts_at": "2026-03-10T23:30", "ends_at": "2026-03-11T00:30"},
        content_type="application/json",
    )
    assert response.status_code == 200
    got = response.json()["appointment"]
    assert (got["starts_at"], got["ends_at"], got["date_of_service"]) == (
        "2026-03-10T23:30:00-04:00",
        "2026-03-11T00:30:00-04:00",
        "2026-03-10",
    )


def test_status_by_technician_on_own_and_on_others(world, client_for):
    own = AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.tech_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
    )
    client = client_for(world.tech)
    with time_machine.travel(dt.datetime(2026, 3, 9, 14, 5, tzinfo=UTC), tick=False):
        arrived = client.post(
            url("appointment_status", appointment_id=own.pk),
            {"status": "arrived"},
            content_type="application/json",
        )
        cancel = client.post(
            url("appointment_status", appointment_id=own.pk),
            {"status": "cancelled", "reason": "x"},
            content_type="application/json",
        )
    assert arrived.status_code == 200
    assert arrived.json()["appointment"]["status"] == "arrived"
    assert arrived.json()["allowed_statuses"] == ["completed"]
    assert cancel.status_code == 403
    own.refresh_from_db()
    assert own.status == "arrived"


def test_status_rule_errors_are_400(world, client_for):
    a = AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
    )
    response = client_for(world.admin).post(
        url("appointment_status", appointment_id=a.pk),
        {"status": "cancelled"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {"reason": ["Say why the appointment is cancelled."]}


# --- group sessions ----------------------------------------------------------------------------


def test_group_create_and_retrieve(world, client_for):
    client = client_for(world.clinician)
    response = client.post(
        url("group_session_create"),
        {
            "provider_id": world.clinician_provider.pk,
            "title": "DBT skills",
            "service_type": "group_psychotherapy",
            "starts_at": "2026-03-09T18:00",
            "ends_at": "2026-03-09T19:30",
            "location_id": world.office.pk,
            "patient_ids": [world.patient.pk, world.other_patient.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    group = GroupSession.objects.get()
    assert (body["id"], body["title"], body["starts_at"], len(body["roster"])) == (
        group.pk,
        "DBT skills",
        "2026-03-09T18:00:00-04:00",
        2,
    )
    assert {r["group_session_id"] for r in body["roster"]} == {group.pk}
    assert [w["code"] for w in body["warnings"]] == ["not_on_caseload"]
    detail = client.get(url("group_session_detail", group_session_id=group.pk))
    assert detail.status_code == 200
    assert sorted(r["patient_id"] for r in detail.json()["roster"]) == sorted(
        [world.patient.pk, world.other_patient.pk]
    )


def test_group_roster_add_remove(world, client_for):
    group = GroupSessionFactory(
        practice=world.practice, provider=world.clinician_provider, location=world.office
    )
    client = client_for(world.biller)
    added = client.post(
        url("group_roster_add", group_session_id=group.pk),
        {"patient_id": world.patient.pk},
        content_type="application/json",
    )
    again = client.post(
        url("group_roster_add", group_session_id=group.pk),
        {"patient_id": world.patient.pk},
        content_type="application/json",
    )
    removed = client.post(
        url("group_roster_remove", group_session_id=group.pk),
        {"patient_id": world.patient.pk},
        content_type="application/json",
    )
    assert (added.status_code, again.status_code, removed.status_code) == (200, 400, 200)
    assert [r["status"] for r in removed.json()["roster"]] == ["cancelled"]
    assert Appointment.objects.filter(group_session=group).count() == 1


def test_group_of_another_practice_is_404(world, client_for):
    foreign = GroupSessionFactory()
    client = client_for(world.clinician)
    assert client.get(url("group_session_detail", group_session_id=foreign.pk)).status_code == 404
    response = client.post(
        url("group_roster_add", group_session_id=foreign.pk),
        {"patient_id": world.patient.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Appointment.objects.count() == 0


def test_group_with_a_foreign_patient_is_400_and_writes_nothing(world, client_for):
    foreign_patient = PatientFactory(practice=PracticeFactory())
    response = client_for(world.clinician).post(
        url("group_session_create"),
        {
            "provider_id": world.clinician_provider.pk,
            "title": "DBT skills",
            "service_type": "group_psychotherapy",
            "starts_at": "2026-03-09T18:00",
            "ends_at": "2026-03-09T19:30",
            "location_id": world.office.pk,
            "patient_ids": [world.patient.pk, foreign_patient.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (GroupSession.objects.count(), Appointment.objects.count()) == (0, 0)


def test_list_filters_then_pages_in_the_database_with_constant_queries(world, client_for):
    # given: 30 of another provider's appointments first in the day, then 7 of the clinician's
    for i in range(30):
        AppointmentFactory(
            practice=world.practice,
            patient=world.patient,
            provider=world.other_provider,
            location=world.office,
            starts_at=dt.datetime(2026, 3, 9, 11, 0, tzinfo=UTC) + dt.timedelta(minutes=i),
            ends_at=dt.datetime(2026, 3, 9, 11, 0, tzinfo=UTC) + dt.timedelta(minutes=i + 1),
        )
    mine = [
        AppointmentFactory(
            practice=world.practice,
            patient=world.patient,
            provider=world.clinician_provider,
            location=world.office,
            starts_at=dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC) + dt.timedelta(minutes=i),
            ends_at=dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC) + dt.timedelta(minutes=i + 1),
        )
        for i in range(7)
    ]
    client = client_for(world.biller)
    query = {"provider": world.clinician_provider.pk, "start": "2026-03-09", "end": "2026-03-09"}
    client.get(url("appointment_list"), query)
    # when
    body = client.get(url("appointment_list"), {**query, "limit": 5, "offset": 5}).json()
    # then
    assert [r["id"] for r in body["results"]] == [mine[5].pk, mine[6].pk]
    assert (body["count"], body["limit"], body["offset"], body["next"]) == (7, 5, 5, None)
    everything = {"start": "2026-03-09", "end": "2026-03-09", "limit": 10}
    few = queries_of(lambda: client.get(url("appointment_list"), {**query, "limit": 10}))
    assert queries_of(lambda: client.get(url("appointment_list"), everything)) == few
