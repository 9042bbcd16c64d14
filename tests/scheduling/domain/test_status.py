"""Appointment status transitions, their timing, and who may make them."""

import datetime as dt

import pytest

from scheduling.domain.status import (
    ALLOWED_TRANSITIONS,
    next_statuses,
    reschedule_problems,
    status_change_permitted,
    transition_problems,
)
from scheduling.domain.types import STATUS_LABELS, AppointmentStatus, Code
from scheduling.models import Appointment

S = AppointmentStatus
START = dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC)
AFTER = START + dt.timedelta(minutes=5)


def test_domain_statuses_mirror_the_model_choices():
    assert [(s.value, STATUS_LABELS[s]) for s in S] == list(Appointment.Status.choices)


def test_every_status_has_a_transition_entry():
    assert set(ALLOWED_TRANSITIONS) == set(S)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (S.SCHEDULED, [S.ARRIVED, S.COMPLETED, S.CANCELLED, S.NO_SHOW]),
        (S.ARRIVED, [S.COMPLETED, S.CANCELLED]),
        (S.COMPLETED, []),
        (S.CANCELLED, []),
        (S.NO_SHOW, []),
    ],
)
def test_next_statuses(current, expected):
    assert next_statuses(current) == expected


@pytest.mark.parametrize(
    ("_case", "current", "target", "now", "reason", "expected"),
    [
        ("check in on time", S.SCHEDULED, S.ARRIVED, START, "", []),
        ("check in two hours early", S.SCHEDULED, S.ARRIVED, START - dt.timedelta(hours=2), "", []),
        (
            "check in too early",
            S.SCHEDULED,
            S.ARRIVED,
            START - dt.timedelta(hours=2, seconds=1),
            "",
            [Code.TOO_EARLY],
        ),
        ("complete after start", S.ARRIVED, S.COMPLETED, AFTER, "", []),
        ("complete at start", S.SCHEDULED, S.COMPLETED, START, "", []),
        (
            "complete before start",
            S.SCHEDULED,
            S.COMPLETED,
            START - dt.timedelta(seconds=1),
            "",
            [Code.TOO_EARLY],
        ),
        ("no-show after start", S.SCHEDULED, S.NO_SHOW, AFTER, "", []),
        (
            "no-show before start",
            S.SCHEDULED,
            S.NO_SHOW,
            START - dt.timedelta(minutes=1),
            "",
            [Code.TOO_EARLY],
        ),
        ("cancel with reason, any time", S.SCHEDULED, S.CANCELLED, START - dt.timedelta(days=3), "Sick", []),
        ("cancel without reason", S.SCHEDULED, S.CANCELLED, AFTER, "  ", [Code.REASON_REQUIRED]),
        ("cancel after arrival", S.ARRIVED, S.CANCELLED, AFTER, "Left early", []),
        ("same status", S.SCHEDULED, S.SCHEDULED, AFTER, "", [Code.SAME_STATUS]),
        ("completed is final", S.COMPLETED, S.CANCELLED, AFTER, "x", [Code.TRANSITION_NOT_ALLOWED]),
        ("cancelled is final", S.CANCELLED, S.ARRIVED, AFTER, "", [Code.TRANSITION_NOT_ALLOWED]),
        ("no-show is final", S.NO_SHOW, S.COMPLETED, AFTER, "", [Code.TRANSITION_NOT_ALLOWED]),
        ("arrived cannot be a no-show", S.ARRIVED, S.NO_SHOW, AFTER, "", [Code.TRANSITION_NOT_ALLOWED]),
    ],
)
def test_transition_problems(_case, current, target, now, reason, expected):
    problems = transition_problems(current=current, target=target, starts_at=START, now=now, reason=reason)
    assert [p.code for p in problems] == expected


def test_transition_messages_are_plain():
    [problem] = transition_problems(
        current=S.COMPLETED, target=S.CANCELLED, starts_at=START, now=AFTER, reason="x"
    )
    assert problem.message == "A completed appointment cannot become cancelled."
    assert problem.field == "status"


@pytest.mark.parametrize(
    ("can_edit", "own", "target", "expected"),
    [
        (True, False, S.CANCELLED, True),
        (True, False, S.NO_SHOW, True),
        (False, True, S.ARRIVED, True),
        (False, True, S.COMPLETED, True),
        (False, True, S.CANCELLED, False),
        (False, True, S.NO_SHOW, False),
        (False, False, S.ARRIVED, False),
    ],
)
def test_status_change_permitted(can_edit, own, target, expected):
    assert (
        status_change_permitted(can_edit_schedule=can_edit, is_own_appointment=own, target=target) is expected
    )


@pytest.mark.parametrize(
    ("current", "group", "expected"),
    [
        (S.SCHEDULED, None, []),
        (S.SCHEDULED, 4, [Code.GROUP_MEMBER_RESCHEDULE]),
        (S.ARRIVED, None, [Code.NOT_RESCHEDULABLE]),
        (S.CANCELLED, None, [Code.NOT_RESCHEDULABLE]),
    ],
)
def test_reschedule_problems(current, group, expected):
    assert [p.code for p in reschedule_problems(current=current, group_session_id=group)] == expected
