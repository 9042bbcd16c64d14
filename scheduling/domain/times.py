"""Wall-clock times in the practice's zone ⇄ instants (UTC), including the two DST nights.

Rules (documented for users on the appointment form):
- A wall time inside the spring-forward gap (02:00–02:59 on the March change in US zones) does
  not exist: it is an error, never silently moved.
- A wall time in the fall-back repeat (01:00–01:59 on the November change) happens twice: we
  take the FIRST occurrence (`fold=0`, still daylight time) and say so with a warning.
- Durations are real elapsed time (UTC difference): 01:00–03:00 on the fall-back day lasts
  three hours.
- A day is local midnight to the next local midnight, so DST days are 23 or 25 hours long.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.domain.problems import Problem, Severity
from core.formatting import date_label
from scheduling.domain.types import Code


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def _offset_label(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, mins = divmod(abs(minutes), 60)
    return f"{moment.tzname()}, UTC{sign}{hours:02d}:{mins:02d}"


def wall_time_to_utc(
    wall: datetime, zone: str | ZoneInfo, *, field: str
) -> tuple[datetime | None, list[Problem]]:
    """The UTC instant of `wall` in `zone`.

    An aware `wall` is already an instant and is only converted. A naive one is read as a wall
    clock in `zone`: (None, [error]) when it falls in a DST gap; (instant, [warning]) when it is
    ambiguous (the first occurrence is taken).
    """
    if wall.tzinfo is not None:
        return wall.astimezone(UTC), []
    tz = _zone(zone)
    first = wall.replace(tzinfo=tz, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        return None, [
            Problem(
                Code.LOCAL_TIME_MISSING,
                f"{wall:%H:%M} on {date_label(wall)} does not exist in {tz.key}: clocks move forward "
                "an hour that night. Choose a time before or after the gap.",
                field,
            )
        ]
    second = wall.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        return instant, [
            Problem(
                Code.LOCAL_TIME_AMBIGUOUS,
                f"{wall:%H:%M} on {date_label(wall)} happens twice in {tz.key} (clocks move back); "
                f"taken as the first one ({_offset_label(first)}).",
                field,
                Severity.WARNING,
            )
        ]
    return instant, []


def to_local(moment: datetime, zone: str | ZoneInfo) -> datetime:
    """An aware instant as an aware wall-clock time in `zone`."""
    if moment.tzinfo is None:
        raise ValueError("to_local needs an aware datetime")
    return moment.astimezone(_zone(zone))


def local_midnight(day: date, zone: str | ZoneInfo) -> datetime:
    """The first instant of `day` in `zone` (UTC). Tolerates zones whose midnight is skipped."""
    tz = _zone(zone)
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)


def local_day_bounds(day: date, zone: str | ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of the local calendar day as UTC instants (23 or 25 hours on DST days)."""
    return local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone)


def local_range_bounds(first_day: date, last_day: date, zone: str | ZoneInfo) -> tuple[datetime, datetime]:
    """[start of first_day, end of last_day) as UTC instants (both days inclusive)."""
    return local_midnight(first_day, zone), local_midnight(last_day + timedelta(days=1), zone)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def end_wall_clock(start_wall: datetime, end_hour: int, end_minute: int) -> datetime:
    """The end as a wall clock: on the start's day, or the next day when it is not later.

    A form asks for a date, a start time and an end time; 23:30–00:30 means ending at 00:30 the
    next day. (A typo such as 14:00–13:00 then becomes 23 hours and fails the length rule.)
    """
    same_day = start_wall.replace(hour=end_hour, minute=end_minute, second=0, microsecond=0)
    if same_day <= start_wall:
        return same_day + timedelta(days=1)
    return same_day
