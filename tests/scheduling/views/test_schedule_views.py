"""Schedule screens: day/week with prev/next, booking form errors (nothing written), status buttons."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from scheduling.models import Appointment, AppointmentEvent, GroupSession
from tests.factories.scheduling import AppointmentFactory

UTC = dt.UTC
pytestmark = pytest.mark.django_db


def form_data(w, **overrides):
    data = {
        "patient_id": w.patient.pk,
        "provider_id": w.clinician_provider.pk,
        "service_type": "individual_psychotherapy",
        "date": "2026-03-09",
        "start_time": "23:30",
        "end_time": "00:30",
        "location_id": w.office.pk,
        "telehealth": "",
    }
    data.update(overrides)
    return data


def test_day_view_lists_the_providers_day_with_prev_next(world, client_for):
    # given
    a = AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 10, 3, 30, tzinfo=UTC),  # 23:30 on the 9th, New York
    )
    # when
    response = client_for(world.clinician).get(
        reverse("scheduling:day"), {"date": "2026-03-09", "provider": world.clinician_provider.pk}
    )
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="appointment-{a.pk}"' in html
    assert "23:30–00:30 (+1 day)" in html
    assert (
        response.context["prev_url"]
        == f"/schedule/?date=2026-03-08&provider={world.clinician_provider.pk}&location="
    )
    assert (
        response.context["next_url"]
        == f"/schedule/?date=2026-03-10&provider={world.clinician_provider.pk}&location="
    )
    assert response.context["period_label"] == "Monday 9 March 2026"


def test_day_view_defaults_to_the_providers_own_schedule_today(world, client_for):
    with time_machine.travel(dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC), tick=False):
        response = client_for(world.tech).get(reverse("scheduling:day"))
    assert response.status_code == 200
    assert response.context["days"][0].day == dt.date(2026, 3, 9)
    assert (
        response.context["prev_url"]
        == f"/schedule/?date=2026-03-08&provider={world.tech_provider.pk}&location="
    )
    assert response.context["can_edit"] is False
    assert "new-appointment" not in response.content.decode()


def test_week_view_per_location(world, client_for):
    AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.school,
        starts_at=dt.datetime(2026, 3, 8, 15, 0, tzinfo=UTC),
    )
    response = client_for(world.admin).get(
        reverse("scheduling:week"), {"date": "2026-03-08", "location": world.school.pk}
    )
    assert response.status_code == 200
    days = response.context["days"]
    assert [len(d.appointments) for d in days] == [0, 0, 0, 0, 0, 0, 1]
    assert response.context["heading"] == "Lincoln School"
    assert (
        response.context["next_url"]
        == f"/schedule/week/?date=2026-03-15&provider=&location={world.school.pk}"
    )


def test_schedule_is_hidden_from_compliance(world, client_for):
    assert client_for(world.compliance).get(reverse("scheduling:day")).status_code == 403


def test_schedule_is_in_the_navigation(world, client_for):
    items = client_for(world.biller).get(reverse("scheduling:day")).context["nav_items"]
    assert {"label": "Schedule", "url": "/schedule/", "active": True} in items


def test_booking_form_books_across_midnight(world, client_for):
    # when
    response = client_for(world.clinician).post(reverse("scheduling:appointment_create"), form_data(world))
    # then
    a = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("scheduling:appointment_detail", args=[a.pk])
    assert (a.starts_at, a.ends_at) == (
        dt.datetime(2026, 3, 10, 3, 30, tzinfo=UTC),
        dt.datetime(2026, 3, 10, 4, 30, tzinfo=UTC),
    )


def counts():
    return (
        Appointment.objects.count(),
        AppointmentEvent.objects.count(),
        AuditEvent.objects.exclude(action="list").count(),
    )


@pytest.mark.parametrize(
    ("_case", "overrides", "field", "message"),
    [
        (
            "spring-forward gap",
            {"date": "2026-03-08", "start_time": "02:30", "end_time": "03:30"},
            "start_time",
            "02:30 on Sun 8 Mar 2026 does not exist in America/New_York",
        ),
        (
            "typo makes it 23 hours",
            {"start_time": "14:00", "end_time": "13:00"},
            "end_time",
            "cannot last more than 12 hours",
        ),
        ("in person without location", {"location_id": ""}, "location_id", "needs a location"),
        ("no patient", {"patient_id": ""}, "patient_id", "This field is required."),
    ],
)
def test_booking_form_errors_show_on_the_form_and_write_nothing(
    world, client_for, _case, overrides, field, message
):
    # given
    client = client_for(world.clinician)
    before = counts()
    # when
    response = client.post(reverse("scheduling:appointment_create"), form_data(world, **overrides))
    # then
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert counts() == before


def test_booking_double_booked_provider_shows_the_error(world, client_for):
    client = client_for(world.clinician)
    client.post(reverse("scheduling:appointment_create"), form_data(world))
    before = counts()
    response = client.post(
        reverse("scheduling:appointment_create"), form_data(world, patient_id=world.other_patient.pk)
    )
    assert response.status_code == 400
    assert "already booked" in " ".join(response.context["form"].errors["start_time"])
    assert counts() == before


def test_booking_warnings_become_messages(world, client_for):
    response = client_for(world.clinician).post(
        reverse("scheduling:appointment_create"),
        form_data(world, patient_id=world.other_patient.pk),
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert texts == ["Appointment booked.", "The patient is not on this provider's caseload (care team)."]


def test_technician_cannot_open_the_booking_form(world, client_for):
    assert client_for(world.tech).get(reverse("scheduling:appointment_create")).status_code == 403


def test_detail_and_status_buttons(world, client_for):
    # given
    a = AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.tech_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
    )
    client = client_for(world.tech)
    # when the tech opens their appointment
    page = client.get(reverse("scheduling:appointment_detail", args=[a.pk]))
    # then only check-in and complete are offered
    html = page.content.decode()
    assert 'id="status-arrived"' in html
    assert 'id="status-completed"' in html
    assert 'id="status-cancelled"' not in html
    # when they check the patient in
    with time_machine.travel(dt.datetime(2026, 3, 9, 13, 55, tzinfo=UTC), tick=False):
        response = client.post(
            reverse("scheduling:appointment_status", args=[a.pk]), {"status": "arrived"}, follow=True
        )
    a.refresh_from_db()
    assert a.status == "arrived"
    assert [str(m) for m in response.context["messages"]] == ["Appointment marked arrived."]


def test_status_error_is_shown_and_nothing_changes(world, client_for):
    a = AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
    )
    response = client_for(world.biller).post(
        reverse("scheduling:appointment_status", args=[a.pk]),
        {"status": "cancelled", "reason": ""},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Say why the appointment is cancelled."]
    a.refresh_from_db()
    assert a.status == "scheduled"
    assert AppointmentEvent.objects.count() == 0


def test_detail_of_another_practice_is_404(world, client_for):
    foreign = AppointmentFactory()
    assert (
        client_for(world.clinician)
        .get(reverse("scheduling:appointment_detail", args=[foreign.pk]))
        .status_code
        == 404
    )


def test_reschedule_form(world, client_for):
    a = AppointmentFactory(
        practice=world.practice,
        patient=world.patient,
        provider=world.clinician_provider,
        location=world.office,
        starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
    )
    client = client_for(world.clinician)
    page = client.get(reverse("scheduling:appointment_reschedule", args=[a.pk]))
    assert page.context["form"].initial["start_time"] == dt.time(10, 0)
    bad = client.post(
        reverse("scheduling:appointment_reschedule", args=[a.pk]),
        {
            "date": "2026-03-08",
            "start_time": "02:15",
            "end_time": "03:15",
            "provider_id": world.clinician_provider.pk,
        },
    )
    assert bad.status_code == 400
    a.refresh_from_db()
    assert a.starts_at == dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    good = client.post(
        reverse("scheduling:appointment_reschedule", args=[a.pk]),
        {
            "date": "2026-03-10",
            "start_time": "09:00",
            "end_time": "10:00",
            "provider_id": world.clinician_provider.pk,
        },
    )
    assert good.status_code == 302
    a.refresh_from_db()
    assert a.starts_at == dt.datetime(2026, 3, 10, 13, 0, tzinfo=UTC)


def test_group_create_with_roster_picker(world, client_for):
    client = client_for(world.clinician)
    page = client.get(reverse("scheduling:group_create"))
    assert {c[0] for c in page.context["form"].fields["patient_ids"].choices} == {
        world.patient.pk,
        world.other_patient.pk,
    }
    response = client.post(
        reverse("scheduling:group_create"),
        {
            "title": "Parents group",
            "provider_id": world.clinician_provider.pk,
            "service_type": "group_psychotherapy",
            "date": "2026-03-09",
            "start_time": "18:00",
            "end_time": "19:00",
            "location_id": world.office.pk,
            "telehealth": "",
            "patient_ids": [world.patient.pk, world.other_patient.pk],
        },
    )
    group = GroupSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("scheduling:group_detail", args=[group.pk])
    assert Appointment.objects.filter(group_session=group).count() == 2
    detail = client.get(response.url)
    assert f'id="roster-{world.patient.pk}"' in detail.content.decode()


def test_group_create_with_empty_roster_shows_the_error(world, client_for):
    response = client_for(world.clinician).post(
        reverse("scheduling:group_create"),
        {
            "title": "Parents group",
            "provider_id": world.clinician_provider.pk,
            "service_type": "group_psychotherapy",
            "date": "2026-03-09",
            "start_time": "18:00",
            "end_time": "19:00",
            "location_id": world.office.pk,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["patient_ids"] == ["Add at least one patient to the roster."]
    assert GroupSession.objects.count() == 0
