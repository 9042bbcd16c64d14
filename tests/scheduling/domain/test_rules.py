"""Booking rules over plain facts: times, practice, service, place, double bookings, caseload."""

import dataclasses
import datetime as dt

import pytest

from core.domain.problems import Severity
from scheduling.domain.rules import (
    MAX_DURATION,
    appointment_problems,
    conflict_problems,
    intervals_overlap,
    place_of_service_for,
    roster_add_problems,
    roster_problems,
    roster_remove_problems,
    time_problems,
)
from scheduling.domain.types import AppointmentFacts, AppointmentStatus, BookedSlot, Code

UTC = dt.UTC


def at(hour: int, minute: int = 0, day: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


FACTS = AppointmentFacts(
    practice_id=1,
    patient_id=10,
    patient_practice_id=1,
    patient_active=True,
    provider_id=20,
    provider_practice_id=1,
    provider_active=True,
    service_type="individual_psychotherapy",
    telehealth="",
    starts_at=at(10),
    ends_at=at(11),
    location_id=30,
    location_practice_id=1,
)


def slot(appointment_id: int, start: dt.datetime, end: dt.datetime, **kw) -> BookedSlot:
    values = {
        "provider_id": 20,
        "patient_id": 99,
        "status": AppointmentStatus.SCHEDULED,
        "group_session_id": None,
    }
    values.update(kw)
    return BookedSlot(appointment_id=appointment_id, starts_at=start, ends_at=end, **values)


def codes(problems):
    return [(p.code, p.field, p.severity) for p in problems]


@pytest.mark.parametrize(
    ("_case", "a", "b", "expected"),
    [
        ("touching 10-11 and 11-12", (at(10), at(11)), (at(11), at(12)), False),
        ("touching the other way", (at(11), at(12)), (at(10), at(11)), False),
        ("one minute overlap", (at(10), at(11, 1)), (at(11), at(12)), True),
        ("contained", (at(10), at(12)), (at(10, 30), at(11)), True),
        ("identical", (at(10), at(11)), (at(10), at(11)), True),
        ("apart", (at(8), at(9)), (at(10), at(11)), False),
        (
            "crossing midnight vs next morning",
            (at(23, 30), at(0, 30, day=10)),
            (at(0, 0, day=10), at(1, 0, day=10)),
            True,
        ),
        (
            "crossing midnight vs late evening",
            (at(23, 30), at(0, 30, day=10)),
            (at(22, 30), at(23, 30)),
            False,
        ),
    ],
)
def test_intervals_overlap_half_open(_case, a, b, expected):
    assert intervals_overlap(*a, *b) is expected


@pytest.mark.parametrize(
    ("_case", "start", "end", "expected"),
    [
        ("one hour", at(10), at(11), []),
        ("23:30 to 00:30 crosses midnight", at(23, 30), at(0, 30, day=10), []),
        ("exactly twelve hours", at(8), at(20), []),
        ("end equals start", at(10), at(10), [Code.END_NOT_AFTER_START]),
        ("end before start", at(11), at(10), [Code.END_NOT_AFTER_START]),
        ("twelve hours and a minute", at(8), at(20, 1), [Code.TOO_LONG]),
    ],
)
def test_time_problems(_case, start, end, expected):
    assert [p.code for p in time_problems(start, end)] == expected


def test_max_duration_is_twelve_hours():
    assert dt.timedelta(hours=12) == MAX_DURATION


def test_a_valid_appointment_has_no_findings():
    assert appointment_problems(FACTS, booked=[]) == []


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("patient of another practice", {"patient_practice_id": 2}, [(Code.OTHER_PRACTICE, "patient_id")]),
        ("provider of another practice", {"provider_practice_id": 2}, [(Code.OTHER_PRACTICE, "provider_id")]),
        ("location of another practice", {"location_practice_id": 2}, [(Code.OTHER_PRACTICE, "location_id")]),
        ("inactive patient", {"patient_active": False}, [(Code.PATIENT_INACTIVE, "patient_id")]),
        ("inactive provider", {"provider_active": False}, [(Code.PROVIDER_INACTIVE, "provider_id")]),
        ("closed location", {"location_active": False}, [(Code.LOCATION_INACTIVE, "location_id")]),
        ("unknown service", {"service_type": "massage"}, [(Code.SERVICE_TYPE_UNKNOWN, "service_type")]),
        (
            "group service without a group",
            {"service_type": "group_psychotherapy"},
            [(Code.GROUP_SERVICE_NEEDS_GROUP, "service_type")],
        ),
        (
            "individual-only service in a group",
            {"service_type": "diagnostic_evaluation", "group_session_id": 5},
            [(Code.SERVICE_NOT_GROUP_CAPABLE, "service_type")],
        ),
        (
            "unknown telehealth mode",
            {"telehealth": "carrier_pigeon"},
            [(Code.TELEHEALTH_UNKNOWN, "telehealth")],
        ),
        (
            "in person without a location",
            {"location_id": None, "location_practice_id": None},
            [(Code.LOCATION_REQUIRED, "location_id")],
        ),
        ("end before start", {"ends_at": at(9)}, [(Code.END_NOT_AFTER_START, "ends_at")]),
    ],
)
def test_appointment_errors(_case, changes, expected):
    # when
    problems = appointment_problems(dataclasses.replace(FACTS, **changes), booked=[])
    # then
    assert [(p.code, p.field) for p in problems] == expected
    assert all(p.severity is Severity.ERROR for p in problems)


@pytest.mark.parametrize("telehealth", ["audio_video", "audio_only"])
def test_telehealth_needs_no_location(telehealth):
    facts = dataclasses.replace(FACTS, telehealth=telehealth, location_id=None, location_practice_id=None)
    assert appointment_problems(facts, booked=[]) == []


def test_group_service_in_its_group_is_fine():
    facts = dataclasses.replace(FACTS, service_type="group_psychotherapy", group_session_id=5)
    assert appointment_problems(facts, booked=[]) == []


def test_not_on_caseload_is_a_warning_only():
    problems = appointment_problems(dataclasses.replace(FACTS, patient_on_caseload=False), booked=[])
    assert codes(problems) == [(Code.NOT_ON_CASELOAD, "provider_id", Severity.WARNING)]


@pytest.mark.parametrize(
    ("_case", "booked", "expected"),
    [
        (
            "provider busy 10-11 (same time)",
            [slot(1, at(10), at(11))],
            [(Code.PROVIDER_DOUBLE_BOOKED, Severity.ERROR)],
        ),
        (
            "provider busy 09:30-10:30",
            [slot(1, at(9, 30), at(10, 30))],
            [(Code.PROVIDER_DOUBLE_BOOKED, Severity.ERROR)],
        ),
        ("provider 09-10 touches", [slot(1, at(9), at(10))], []),
        ("provider 11-12 touches", [slot(1, at(11), at(12))], []),
        ("provider's slot cancelled", [slot(1, at(10), at(11), status=AppointmentStatus.CANCELLED)], []),
        ("provider's slot no-show", [slot(1, at(10), at(11), status=AppointmentStatus.NO_SHOW)], []),
        (
            "provider's slot completed still counts",
            [slot(1, at(10), at(11), status=AppointmentStatus.COMPLETED)],
            [(Code.PROVIDER_DOUBLE_BOOKED, Severity.ERROR)],
        ),
        (
            "patient with another provider",
            [slot(1, at(10, 30), at(11, 30), provider_id=21, patient_id=10)],
            [(Code.PATIENT_DOUBLE_BOOKED, Severity.WARNING)],
        ),
        ("patient elsewhere, touching", [slot(1, at(11), at(12), provider_id=21, patient_id=10)], []),
        ("someone else's appointment", [slot(1, at(10), at(11), provider_id=21, patient_id=11)], []),
        (
            "both",
            [slot(1, at(10), at(11)), slot(2, at(10), at(11), provider_id=21, patient_id=10)],
            [(Code.PROVIDER_DOUBLE_BOOKED, Severity.ERROR), (Code.PATIENT_DOUBLE_BOOKED, Severity.WARNING)],
        ),
    ],
)
def test_double_bookings(_case, booked, expected):
    problems = conflict_problems(FACTS, booked)
    assert [(p.code, p.severity) for p in problems] == expected


def test_double_booking_message_names_the_other_appointments():
    problems = conflict_problems(FACTS, [slot(7, at(10, 30), at(11)), slot(3, at(10), at(10, 30))])
    assert problems[0].message == "The provider is already booked at this time (appointment #3, #7)."


def test_the_appointment_being_rescheduled_is_not_a_clash_with_itself():
    facts = dataclasses.replace(FACTS, appointment_id=1)
    assert conflict_problems(facts, [slot(1, at(10), at(11))]) == []


def test_same_group_session_shares_the_provider_time():
    facts = dataclasses.replace(FACTS, service_type="group_psychotherapy", group_session_id=5)
    assert conflict_problems(facts, [slot(1, at(10), at(11), group_session_id=5, patient_id=11)]) == []
    assert [p.code for p in conflict_problems(facts, [slot(1, at(10), at(11), group_session_id=6)])] == [
        Code.PROVIDER_DOUBLE_BOOKED
    ]


def test_crossing_midnight_clashes_with_the_next_morning():
    facts = dataclasses.replace(FACTS, starts_at=at(23, 30), ends_at=at(0, 30, day=10))
    problems = appointment_problems(facts, booked=[slot(1, at(0, 0, day=10), at(1, 0, day=10))])
    assert [p.code for p in problems] == [Code.PROVIDER_DOUBLE_BOOKED]


def test_errors_come_before_warnings():
    facts = dataclasses.replace(FACTS, patient_on_caseload=False, provider_active=False)
    problems = appointment_problems(facts, booked=[])
    assert [p.severity for p in problems] == [Severity.ERROR, Severity.WARNING]


@pytest.mark.parametrize(
    ("_case", "telehealth", "location_pos", "at_home", "expected"),
    [
        ("office", "", "11", False, "11"),
        ("school location", "", "03", False, "03"),
        ("in person, no location", "", None, False, "11"),
        ("in person ignores at-home flag", "", "11", True, "11"),
        ("audio-video, patient at home", "audio_video", "11", True, "10"),
        ("audio-video, patient elsewhere", "audio_video", "11", False, "02"),
        ("audio-only, patient at home", "audio_only", None, True, "10"),
        ("audio-only, patient elsewhere", "audio_only", None, False, "02"),
    ],
)
def test_place_of_service(_case, telehealth, location_pos, at_home, expected):
    assert (
        place_of_service_for(telehealth=telehealth, location_pos=location_pos, patient_at_home=at_home)
        == expected
    )


@pytest.mark.parametrize(
    ("_case", "patient_ids", "title", "expected"),
    [
        ("fine", [1, 2], "Teens", []),
        ("empty roster", [], "Teens", [(Code.ROSTER_EMPTY, "patient_ids")]),
        ("duplicate", [1, 1], "Teens", [(Code.ROSTER_DUPLICATE, "patient_ids")]),
        ("no title", [1], "  ", [(Code.TITLE_REQUIRED, "title")]),
    ],
)
def test_roster_problems(_case, patient_ids, title, expected):
    assert [(p.code, p.field) for p in roster_problems(patient_ids, title=title)] == expected


@pytest.mark.parametrize(
    ("existing", "add", "remove"),
    [
        (None, [], [Code.NOT_ON_ROSTER]),
        (AppointmentStatus.CANCELLED, [], [Code.NOT_ON_ROSTER]),
        (AppointmentStatus.SCHEDULED, [Code.ALREADY_ON_ROSTER], []),
        (AppointmentStatus.ARRIVED, [Code.ALREADY_ON_ROSTER], [Code.TRANSITION_NOT_ALLOWED]),
        (AppointmentStatus.COMPLETED, [Code.ALREADY_ON_ROSTER], [Code.TRANSITION_NOT_ALLOWED]),
    ],
)
def test_roster_add_and_remove(existing, add, remove):
    assert [p.code for p in roster_add_problems(existing)] == add
    assert [p.code for p in roster_remove_problems(existing)] == remove
