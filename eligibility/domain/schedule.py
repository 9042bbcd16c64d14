"""When the scheduled job verifies a coverage again (pure).

A coverage with an appointment in the next `days_ahead` days is verified for that appointment's
date when it was never verified, when its last check is older than `stale_after_days`, or when
the patient comes back after a gap (no appointment in the `gap_days` before this one) and the
coverage was not checked in the run-up to the return (the `days_ahead` before the appointment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    days_ahead: int = 7
    stale_after_days: int = 30
    gap_days: int = 60


def in_window(appointment_on: date, *, today: date, days_ahead: int) -> bool:
    """The appointment is today or within the next `days_ahead` days."""
    return today <= appointment_on <= today + timedelta(days=days_ahead)


def needs_verification(
    *,
    today: date,
    appointment_on: date,
    last_checked_on: date | None,
    previous_appointment_on: date | None,
    settings: ScheduleSettings,
) -> bool:
    if last_checked_on is None:
        return True
    if (today - last_checked_on).days > settings.stale_after_days:
        return True
    gap = (
        previous_appointment_on is None or (appointment_on - previous_appointment_on).days > settings.gap_days
    )
    return gap and last_checked_on < appointment_on - timedelta(days=settings.days_ahead)
