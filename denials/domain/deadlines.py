"""Appeal deadlines (D7): the payer's appeal window counted from the ERA (check) date;
reminders at 14, 7 and 2 days left, each sent once per denial."""

from __future__ import annotations

import datetime as dt

from core.formatting import date_label


def appeal_deadline(era_date: dt.date, window_days: int) -> dt.date:
    return era_date + dt.timedelta(days=window_days)


def days_left(deadline: dt.date, today: dt.date) -> int:
    return (deadline - today).days


def days_left_label(days: int) -> str:
    if days > 1:
        return f"{days} days left"
    if days == 1:
        return "1 day left"
    if days == 0:
        return "due today"
    return f"{-days} day{'s' if days < -1 else ''} overdue"


def deadline_label(deadline: dt.date, today: dt.date) -> str:
    return f"{date_label(deadline)} ({days_left_label(days_left(deadline, today))})"


def reminder_due(days: int, *, sent: frozenset[int], thresholds: tuple[int, ...]) -> int | None:
    """The threshold to remind at now, or None: the tightest one reached and not yet sent.
    Overdue denials are no longer reminded (they show as overdue in the queue)."""
    if days < 0:
        return None
    reached = [t for t in thresholds if days <= t]
    if not reached:
        return None
    tightest = min(reached)
    return None if tightest in sent else tightest
