"""Schedule reads: local days (DST, midnight), scoping by practice and caseload, audit, query counts."""

import datetime as dt

import pytest
import time_machine

from audit.models import AuditEvent
from audit.services import AuditContext
from core.errors import NotFound, PermissionDenied, ValidationFailed
from scheduling.selectors import (
    appointment_get,
    appointment_list,
    appointments_awaiting_note,
    appointments_for_location_range,
    appointments_for_provider_day,
    group_session_get,
    my_day,
    schedule_week,
    upcoming_appointments,
)
from tests.factories import PatientFactory
from tests.factories.scheduling import AppointmentFactory, GroupSessionFactory
from tests.patients.care_team_cases import edges_around
from tests.scheduling.conftest import wall

UTC = dt.UTC
pytestmark = pytest.mark.django_db


def appt(w, start, minutes=60, **kw):
    values = {
        "practice": w.practice,
        "patient": w.patient,
        "provider": w.clinician_provider,
        "location": w.office,
        "starts_at": start,
        "ends_at": start + dt.timedelta(minutes=minutes),
    }
    values.update(kw)
    return AppointmentFactory(**values)


def test_day_list_uses_local_midnight_and_shows_times_in_the_practice_zone(world):
    # given (New York, EDT on 2026-03-09 is UTC-4)
    late_previous_day = appt(world, dt.datetime(2026, 3, 9, 3, 59, tzinfo=UTC))  # 23:59 on the 8th
    first = appt(world, dt.datetime(2026, 3, 9, 4, 0, tzinfo=UTC))  # 00:00 on the 9th
    crossing = appt(world, dt.datetime(2026, 3, 10, 3, 30, tzinfo=UTC))  # 23:30 on the 9th → 00:30
    appt(world, dt.datetime(2026, 3, 10, 4, 30, tzinfo=UTC))  # 00:30 on the 10th
    # when
    rows = appointments_for_provider_day(
        access=world.clinician_access, provider_id=world.clinician_provider.pk, day=dt.date(2026, 3, 9)
    )
    # then
    assert [r.appointment_id for r in rows] == [first.pk, crossing.pk]
    assert late_previous_day.pk not in [r.appointment_id for r in rows]
    assert [(r.time_label, r.crosses_midnight, r.date_of_service) for r in rows] == [
        ("00:00–01:00", False, dt.date(2026, 3, 9)),
        ("23:30–00:30 (+1 day)", True, dt.date(2026, 3, 9)),
    ]
    assert rows[0].timezone == "America/New_York"
    assert rows[0].starts_local.isoformat() == "2026-03-09T00:00:00-04:00"


@pytest.mark.parametrize(
    ("_case", "day", "inside", "outside"),
    [
        # spring forward: the day runs 05:00 UTC to 04:00 UTC next day (23 hours)
        ("spring forward", dt.date(2026, 3, 8), [(3, 8, 5, 0), (3, 9, 3, 59)], [(3, 8, 4, 59), (3, 9, 4, 0)]),
        # fall back: 04:00 UTC to 05:00 UTC next day (25 hours)
        ("fall back", dt.date(2026, 11, 1), [(11, 1, 4, 0), (11, 2, 4, 59)], [(11, 1, 3, 59), (11, 2, 5, 0)]),
    ],
)
def test_dst_days_have_the_right_length(world, _case, day, inside, outside):
    # given
    made = {}
    for m, d, h, mi in inside + outside:
        made[(m, d, h, mi)] = appt(world, dt.datetime(2026, m, d, h, mi, tzinfo=UTC), minutes=1)
    # when
    rows = appointments_for_provider_day(
        access=world.clinician_access, provider_id=world.clinician_provider.pk, day=day
    )
    # then
    assert [r.appointment_id for r in rows] == [made[k].pk for k in inside]


def test_fall_back_duration_and_labels_are_real_time(world):
    # 01:30 EDT to 01:30 EST: one real hour, same wall time
    appt(world, dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC), minutes=60)
    [row] = appointments_for_provider_day(
        access=world.clinician_access, provider_id=world.clinician_provider.pk, day=dt.date(2026, 11, 1)
    )
    assert (row.time_label, row.duration_minutes) == ("01:30–01:30", 60)
    assert (row.starts_local.tzname(), row.ends_local.tzname()) == ("EDT", "EST")


def test_day_list_writes_one_list_event_without_phi(world):
    appt(world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    appointments_for_provider_day(
        access=world.clinician_access, provider_id=world.clinician_provider.pk, day=dt.date(2026, 3, 9)
    )
    [event] = AuditEvent.objects.all()
    assert (event.action, event.category, event.patient_id, event.detail) == (
        "list",
        "appointment",
        None,
        f"view=day;from=2026-03-09;to=2026-03-09;provider={world.clinician_provider.pk};results=1",
    )


def test_day_list_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    # given one appointment, and the audit chain already started
    appt(world, dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC))
    kwargs = {
        "access": world.clinician_access,
        "provider_id": world.clinician_provider.pk,
        "day": dt.date(2026, 3, 9),
    }
    appointments_for_provider_day(**kwargs)
    # zone, rows (one join), then the audit append: savepoint, lock head, insert, update head, release
    with django_assert_num_queries(7):
        assert len(appointments_for_provider_day(**kwargs)) == 1
    # given five more, with other patients, another location, some in a group
    group = GroupSessionFactory(
        practice=world.practice, provider=world.clinician_provider, location=world.office
    )
    for i in range(5):
        appt(
            world,
            dt.datetime(2026, 3, 9, 14 + i, 0, tzinfo=UTC),
            patient=PatientFactory(practice=world.practice),
            location=world.school,
            group_session=group if i < 2 else None,
        )
    # then the same number of queries
    with django_assert_num_queries(7):
        rows = appointments_for_provider_day(**kwargs)
    assert len(rows) == 6


def test_other_practices_appointments_never_show(world):
    AppointmentFactory(starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))  # another practice
    rows = appointment_list(
        access=world.biller_access, first_day=dt.date(2026, 3, 9), last_day=dt.date(2026, 3, 9)
    )
    assert rows == []


def test_technicians_see_their_own_and_their_caseloads_appointments_only(world):
    # given
    own = appt(
        world,
        dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
        provider=world.tech_provider,
        patient=world.other_patient,
    )
    caseload = appt(world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))  # patient on tech's care team
    appt(world, dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC), patient=world.other_patient)  # neither
    # when
    rows = appointment_list(
        access=world.tech_access, first_day=dt.date(2026, 3, 9), last_day=dt.date(2026, 3, 9)
    )
    # then
    assert [r.appointment_id for r in rows] == [own.pk, caseload.pk]


def test_ended_care_team_membership_hides_the_patient(world):
    # given the tech left the patient's care team yesterday
    world.patient.care_team.filter(provider=world.tech_provider).update(ends_on=dt.date(2026, 3, 8))
    appt(world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    with time_machine.travel(dt.datetime(2026, 3, 9, 12, 0, tzinfo=UTC), tick=False):
        rows = appointment_list(
            access=world.tech_access, first_day=dt.date(2026, 3, 9), last_day=dt.date(2026, 3, 9)
        )
    assert rows == []


def test_compliance_cannot_read_the_schedule(world):
    with pytest.raises(PermissionDenied):
        appointment_list(
            access=world.compliance_access, first_day=dt.date(2026, 3, 9), last_day=dt.date(2026, 3, 9)
        )
    assert AuditEvent.objects.count() == 0


def test_filters_by_location_and_status(world):
    a = appt(world, dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC), location=world.school)
    appt(world, dt.datetime(2026, 3, 10, 14, 0, tzinfo=UTC), location=world.school, status="cancelled")
    appt(world, dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC))
    rows = appointments_for_location_range(
        access=world.admin_access,
        location_id=world.school.pk,
        first_day=dt.date(2026, 3, 9),
        last_day=dt.date(2026, 3, 10),
    )
    assert len(rows) == 2
    only_scheduled = appointment_list(
        access=world.admin_access,
        first_day=dt.date(2026, 3, 9),
        last_day=dt.date(2026, 3, 10),
        location_id=world.school.pk,
        statuses=["scheduled"],
    )
    assert [r.appointment_id for r in only_scheduled] == [a.pk]


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (dt.date(2026, 3, 9), dt.date(2026, 3, 8), "The end date cannot be before the start date."),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 4), "Ask for at most 62 days at a time."),
    ],
)
def test_range_limits(world, first, last, message):
    with pytest.raises(ValidationFailed) as error:
        appointment_list(access=world.admin_access, first_day=first, last_day=last)
    assert error.value.field_errors == {"end": [message]}


def test_week_runs_monday_to_sunday_with_empty_days(world):
    # given the week of Sunday 2026-03-08 (the spring-forward day) runs Mon 2nd..Sun 8th
    monday = appt(world, dt.datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    sunday = appt(world, dt.datetime(2026, 3, 8, 23, 0, tzinfo=UTC))  # 19:00 EDT
    appt(world, dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC))  # next week
    # when
    days = schedule_week(
        access=world.clinician_access, day=dt.date(2026, 3, 8), provider_id=world.clinician_provider.pk
    )
    # then
    assert [d.day for d in days] == [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(7)]
    assert [[a.appointment_id for a in d.appointments] for d in days] == [
        [monday.pk],
        [],
        [],
        [],
        [],
        [],
        [sunday.pk],
    ]
    assert days[6].label == "Sunday 8 March 2026"


def test_my_day_is_own_appointments_today_in_the_practice_zone(world):
    # given it is 23:30 on 2026-03-09 in New York (03:30 UTC on the 10th)
    mine = appt(world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC), provider=world.tech_provider)
    appt(world, dt.datetime(2026, 3, 10, 14, 0, tzinfo=UTC), provider=world.tech_provider)  # tomorrow
    appt(world, dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC))  # the clinician's, on the tech's caseload
    with time_machine.travel(dt.datetime(2026, 3, 10, 3, 30, tzinfo=UTC), tick=False):
        rows = my_day(access=world.tech_access)
    assert [r.appointment_id for r in rows] == [mine.pk]
    assert rows[0].note_id is None


def test_my_day_for_a_non_provider_is_empty(world):
    assert my_day(access=world.biller_access, day=dt.date(2026, 3, 9)) == []


def test_appointments_awaiting_note(world):
    done = appt(
        world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC), provider=world.tech_provider, status="completed"
    )
    appt(world, dt.datetime(2026, 3, 9, 16, 0, tzinfo=UTC), provider=world.tech_provider, status="scheduled")
    appt(
        world, dt.datetime(2026, 1, 2, 16, 0, tzinfo=UTC), provider=world.tech_provider, status="completed"
    )  # too old
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=UTC), tick=False):
        rows = appointments_awaiting_note(access=world.tech_access)
    assert [r.appointment_id for r in rows] == [done.pk]


def test_appointment_get_has_history_actions_and_one_view_event(world):
    # given
    a = appt(world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC), provider=world.tech_provider)
    a.events.create(from_status="", to_status="scheduled", actor=world.clinician, note="Booked")
    # when the tech looks at their own appointment
    detail = appointment_get(access=world.tech_access, appointment_id=a.pk)
    # then
    assert detail.appointment.appointment_id == a.pk
    assert [(e.label, e.actor, e.note) for e in detail.events] == [
        ("Booked (scheduled)", world.clinician.username, "Booked")
    ]
    assert [x.status for x in detail.actions] == ["arrived", "completed"]  # no cancel / no-show for techs
    assert detail.can_reschedule is False
    [event] = AuditEvent.objects.all()
    assert (event.action, event.patient_id, event.object_id, event.outcome) == (
        "view",
        world.patient.pk,
        str(a.pk),
        "allowed",
    )


def test_appointment_get_for_a_scheduler_offers_everything(world):
    a = appt(world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    detail = appointment_get(access=world.biller_access, appointment_id=a.pk)
    assert [x.status for x in detail.actions] == ["arrived", "completed", "cancelled", "no_show"]
    assert [x.needs_reason for x in detail.actions] == [False, False, True, False]
    assert detail.can_reschedule is True


@pytest.mark.parametrize("_case", ["another practice", "outside the tech's caseload"])
def test_appointment_get_hides_what_the_user_may_not_see(world, _case):
    if _case == "another practice":
        a, access = AppointmentFactory(), world.clinician_access
    else:
        a, access = (
            appt(world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC), patient=world.other_patient),
            world.tech_access,
        )
    with pytest.raises(NotFound):
        appointment_get(access=access, appointment_id=a.pk)
    event = AuditEvent.objects.get(practice_id=access.practice_id)
    assert (event.outcome, event.object_id, event.patient_id, event.detail) == (
        "denied",
        str(a.pk),
        None,
        "reason=not_accessible",
    )
    # another practice's appointment: also recorded in that practice, with its patient
    copies = [(e.practice_id, e.patient_id, e.detail) for e in AuditEvent.objects.exclude(pk=event.pk)]
    if _case == "another practice":
        assert copies == [
            (
                a.practice_id,
                a.patient_id,
                f"cross_practice;from_practice={access.practice_id};reason=not_accessible",
            )
        ]
    else:
        assert copies == []


def test_group_session_get_lists_the_roster(world):
    group = GroupSessionFactory(
        practice=world.practice, provider=world.clinician_provider, location=world.office
    )
    for p in (world.patient, world.other_patient):
        AppointmentFactory(
            practice=world.practice,
            patient=p,
            provider=world.clinician_provider,
            group_session=group,
            starts_at=group.starts_at,
            ends_at=group.ends_at,
            location=world.office,
            service_type="group_psychotherapy",
        )
    detail = group_session_get(access=world.clinician_access, group_session_id=group.pk)
    assert sorted(r.patient_id for r in detail.roster) == sorted([world.patient.pk, world.other_patient.pk])
    assert detail.can_edit is True
    assert AuditEvent.objects.get().detail == "roster=2"


def test_upcoming_appointments_is_a_system_read(world):
    # given
    soon = appt(world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    appt(world, dt.datetime(2026, 3, 9, 15, 0, tzinfo=UTC), status="cancelled")
    appt(world, dt.datetime(2026, 3, 20, 15, 0, tzinfo=UTC))  # outside the window
    AppointmentFactory(starts_at=dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))  # another practice
    window = (dt.datetime(2026, 3, 9, tzinfo=UTC), dt.datetime(2026, 3, 16, tzinfo=UTC))
    # when without a context: no audit
    rows = upcoming_appointments(practice_id=world.practice.pk, start=window[0], end=window[1])
    # then
    assert [(r.appointment_id, r.date_of_service, r.status) for r in rows] == [
        (soon.pk, dt.date(2026, 3, 9), "scheduled")
    ]
    assert AuditEvent.objects.count() == 0
    # when with a system context: one list event
    upcoming_appointments(
        practice_id=world.practice.pk,
        start=window[0],
        end=window[1],
        context=AuditContext.system("eligibility"),
    )
    [event] = AuditEvent.objects.all()
    assert (event.actor_username, event.action, event.detail) == (
        "system:eligibility",
        "list",
        "view=upcoming;results=1",
    )


def test_upcoming_appointments_refuses_naive_bounds(world):
    with pytest.raises(ValueError, match="aware"):
        upcoming_appointments(
            practice_id=world.practice.pk, start=wall(2026, 3, 9, 0), end=wall(2026, 3, 10, 0)
        )


@pytest.mark.parametrize(("_case", "starts_on", "ends_on", "visible"), edges_around(dt.date(2026, 3, 9)))
def test_technician_sees_caseload_appointments_by_the_care_team_rule(
    world, _case, starts_on, ends_on, visible
):
    # given the tech's care-team membership starts or ends around today (2026-03-09 in New York)
    world.patient.care_team.filter(provider=world.tech_provider).update(starts_on=starts_on, ends_on=ends_on)
    booked = appt(world, dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    # when
    with time_machine.travel(dt.datetime(2026, 3, 9, 12, 0, tzinfo=UTC), tick=False):
        rows = appointment_list(
            access=world.tech_access, first_day=dt.date(2026, 3, 9), last_day=dt.date(2026, 3, 9)
        )
    # then
    assert [r.appointment_id for r in rows] == ([booked.pk] if visible else [])
