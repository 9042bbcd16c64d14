"""The one way dates and times read on every screen (and the template filters that use it).

A day reads "Mon 9 Mar 2026"; an instant reads "Mon 9 Mar 2026, 10:00 EDT" in the practice's
time zone. View models call these; templates use the `day` and `moment` filters
(`{% load parity %}`), never `|date:"…"` with a format of their own.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def date_label(day: dt.date | None, *, weekday: bool = True) -> str:
    """A date as "Mon 9 Mar 2026" ("" for none); without the weekday ("9 Mar 1990") where it
    means nothing, as for a date of birth."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    text = f"{day.day} {day:%b %Y}"
    return f"{day:%a} {text}" if weekday else text


def time_label(moment: dt.datetime, zone: ZoneInfo | None = None) -> str:
    """The time of day of `moment` (in `zone` when given), as "10:00 EDT"."""
    local = moment.astimezone(zone) if zone is not None else moment
    return f"{local:%H:%M %Z}".strip()


def moment_label(moment: dt.datetime | None, zone: ZoneInfo | None = None) -> str:
    """An instant in `zone` (the practice's), as "Mon 9 Mar 2026, 10:00 EDT" ("" for none).
    Without a zone, an aware instant keeps its own (templates pass the practice's zone)."""
    if moment is None:
        return ""
    local = moment.astimezone(zone) if zone is not None else moment
    return f"{date_label(local.date())}, {time_label(local)}"
