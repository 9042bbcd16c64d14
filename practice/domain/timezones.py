"""Practice time zones: IANA names checked with zoneinfo; "today" where the practice is."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.domain.problems import Problem


def timezone_problems(name: str, *, field: str = "timezone") -> list[Problem]:
    """A valid IANA zone name, as America/Chicago (checked against the tz database)."""
    value = name.strip()
    if not value:
        return [Problem("timezone_missing", "A time zone is required.", field)]
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return [
            Problem(
                "timezone_unknown",
                "Use an IANA time zone name, as America/Chicago.",
                field,
            )
        ]
    return []


def local_date(moment: datetime, timezone_name: str) -> date:
    """The calendar date at `moment` (an aware datetime) in the named zone."""
    if moment.tzinfo is None:
        raise ValueError("local_date needs an aware datetime")
    return moment.astimezone(ZoneInfo(timezone_name)).date()
