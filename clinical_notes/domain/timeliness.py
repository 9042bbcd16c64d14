"""When a note is late: counted from the date of service, not from when it was signed.

A session's note is due within `due_days` days of the date of service (the practice's setting
`NOTE_DUE_DAYS`). A note signed or still unwritten after that is late by the difference.
"""

from __future__ import annotations

from datetime import date


def days_since_service(date_of_service: date, today: date) -> int:
    """Whole days from the date of service to `today` (0 on the day itself, never negative)."""
    return max((today - date_of_service).days, 0)


def days_late(date_of_service: date, on: date, due_days: int) -> int:
    """How many days past its due date a note signed (or still unsigned) on `on` is; 0 if on time."""
    return max(days_since_service(date_of_service, on) - due_days, 0)


def late_label(date_of_service: date, on: date, due_days: int) -> str:
    """Plain words for the lists: "on time", "due today", "1 day late", "12 days late"."""
    late = days_late(date_of_service, on, due_days)
    if late == 0:
        return "due today" if days_since_service(date_of_service, on) == due_days else "on time"
    return f"{late} day late" if late == 1 else f"{late} days late"
