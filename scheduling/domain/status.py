"""Appointment status: which transitions exist, when they may happen, who may make them."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.domain.problems import Problem
from scheduling.domain.types import STATUS_LABELS, AppointmentStatus, Code

S = AppointmentStatus

ALLOWED_TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    # Telehealth sessions often go straight from scheduled to completed (no check-in).
    S.SCHEDULED: frozenset({S.ARRIVED, S.COMPLETED, S.CANCELLED, S.NO_SHOW}),
    S.ARRIVED: frozenset({S.COMPLETED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.NO_SHOW: frozenset(),
}

# A patient may be checked in this long before the planned start, not earlier.
ARRIVAL_WINDOW = timedelta(hours=2)

# What a provider may record on their OWN appointments without the scheduling capability
# (a technician checks the patient in and marks the session done; cancelling is the front desk's).
OWN_APPOINTMENT_STATUSES = frozenset({S.ARRIVED, S.COMPLETED})


def next_statuses(current: AppointmentStatus) -> list[AppointmentStatus]:
    """The statuses reachable from `current`, in a stable display order."""
    allowed = ALLOWED_TRANSITIONS[current]
    return [s for s in AppointmentStatus if s in allowed]


def transition_problems(
    *,
    current: AppointmentStatus,
    target: AppointmentStatus,
    starts_at: datetime,
    now: datetime,
    reason: str = "",
) -> list[Problem]:
    if current == target:
        return [
            Problem(
                Code.SAME_STATUS, f"The appointment is already {STATUS_LABELS[current].lower()}.", "status"
            )
        ]
    if target not in ALLOWED_TRANSITIONS[current]:
        return [
            Problem(
                Code.TRANSITION_NOT_ALLOWED,
                f"A {STATUS_LABELS[current].lower()} appointment cannot become "
                f"{STATUS_LABELS[target].lower()}.",
                "status",
            )
        ]
    if target is S.CANCELLED and not reason.strip():
        return [Problem(Code.REASON_REQUIRED, "Say why the appointment is cancelled.", "reason")]
    if target in (S.COMPLETED, S.NO_SHOW) and now < starts_at:
        return [
            Problem(
                Code.TOO_EARLY,
                f"An appointment cannot be marked {STATUS_LABELS[target].lower()} before it starts.",
                "status",
            )
        ]
    if target is S.ARRIVED and now < starts_at - ARRIVAL_WINDOW:
        return [
            Problem(
                Code.TOO_EARLY,
                "A patient can be checked in at most two hours before the appointment.",
                "status",
            )
        ]
    return []


def status_change_permitted(
    *, can_edit_schedule: bool, is_own_appointment: bool, target: AppointmentStatus
) -> bool:
    """Schedulers may make any transition; a provider may check in and complete their own."""
    if can_edit_schedule:
        return True
    return is_own_appointment and target in OWN_APPOINTMENT_STATUSES


def reschedule_problems(*, current: AppointmentStatus, group_session_id: int | None) -> list[Problem]:
    """Only a scheduled, individual appointment moves; a roster member moves with its group."""
    if group_session_id is not None:
        return [
            Problem(
                Code.GROUP_MEMBER_RESCHEDULE,
                "This appointment belongs to a group session; change the group instead.",
                "starts_at",
            )
        ]
    if current is not S.SCHEDULED:
        return [
            Problem(
                Code.NOT_RESCHEDULABLE,
                f"A {STATUS_LABELS[current].lower()} appointment cannot be rescheduled.",
                "starts_at",
            )
        ]
    return []
