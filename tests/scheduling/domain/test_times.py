"""Wall clock ⇄ UTC in the practice's zone, at the edges: midnight and both DST nights."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from core.domain.problems import Severity
from scheduling.domain.times import (
    end_wall_clock,
    local_day_bounds,
    local_range_bounds,
    to_local,
    wall_time_to_utc,
    week_start,
)
from scheduling.domain.types import Code
from tests.scheduling.conftest import wall

NY = "America/New_York"
UTC = dt.UTC


@pytest.mark.parametrize(
    ("_case", "clock", "expected_utc"),
    [
        (
            "ordinary winter day (EST, -5)",
            wall(2026, 1, 15, 9, 0),
            dt.datetime(2026, 1, 15, 14, 0, tzinfo=UTC),
        ),
        (
            "ordinary summer day (EDT, -4)",
            wall(2026, 7, 15, 9, 0),
            dt.datetime(2026, 7, 15, 13, 0, tzinfo=UTC),
        ),
        ("last minute before the gap", wall(2026, 3, 8, 1, 59), dt.datetime(2026, 3, 8, 6, 59, tzinfo=UTC)),
        ("first minute after the gap", wall(2026, 3, 8, 3, 0), dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        ("just before the repeat", wall(2026, 11, 1, 0, 59), dt.datetime(2026, 11, 1, 4, 59, tzinfo=UTC)),
        ("just after the repeat", wall(2026, 11, 1, 2, 0), dt.datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
        ("midnight", wall(2026, 3, 9, 0, 0), dt.datetime(2026, 3, 9, 4, 0, tzinfo=UTC)),
    ],
)
def test_unambiguous_wall_times_convert_without_findings(_case, clock, expected_utc):
    # when
    instant, problems = wall_time_to_utc(clock, NY, field="starts_at")
    # then
    assert instant == expected_utc
    assert problems == []


@pytest.mark.parametrize("minute", [0, 30, 59])
def test_spring_forward_gap_times_do_not_exist(minute):
    # given 2026-03-08, clocks go from 01:59:59 EST to 03:00 EDT
    clock = wall(2026, 3, 8, 2, minute)
    # when
    instant, problems = wall_time_to_utc(clock, NY, field="starts_at")
    # then
    assert instant is None
    assert [(p.code, p.field, p.severity) for p in problems] == [
        (Code.LOCAL_TIME_MISSING, "starts_at", Severity.ERROR)
    ]
    assert problems[0].message == (
        f"02:{minute:02d} on Sun 8 Mar 2026 does not exist in America/New_York: clocks move forward an hour "
        "that night. Choose a time before or after the gap."
    )


def test_fall_back_repeat_takes_the_first_occurrence_with_a_warning():
    # given 2026-11-01 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST)
    clock = wall(2026, 11, 1, 1, 30)
    # when
    instant, problems = wall_time_to_utc(clock, NY, field="ends_at")
    # then: fold=0, the daylight-time one
    assert instant == dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert [(p.code, p.field, p.severity) for p in problems] == [
        (Code.LOCAL_TIME_AMBIGUOUS, "ends_at", Severity.WARNING)
    ]
    assert problems[0].message == (
        "01:30 on Sun 1 Nov 2026 happens twice in America/New_York (clocks move back); "
        "taken as the first one (EDT, UTC−04:00)."
    )


def test_aware_times_are_instants_already():
    # given an instant given with an offset
    clock = dt.datetime(2026, 3, 8, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    # when
    instant, problems = wall_time_to_utc(clock, NY, field="starts_at")
    # then
    assert instant == dt.datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert problems == []


@pytest.mark.parametrize(
    ("_case", "day", "hours"),
    [
        ("ordinary day", dt.date(2026, 3, 9), 24),
        ("spring forward is 23 hours", dt.date(2026, 3, 8), 23),
        ("fall back is 25 hours", dt.date(2026, 11, 1), 25),
    ],
)
def test_local_day_bounds_follow_the_clock(_case, day, hours):
    # when
    start, end = local_day_bounds(day, NY)
    # then
    assert start == dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(NY)).astimezone(UTC)
    assert end - start == dt.timedelta(hours=hours)


def test_range_bounds_include_both_days():
    start, end = local_range_bounds(dt.date(2026, 3, 2), dt.date(2026, 3, 8), NY)
    assert start == dt.datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert end == dt.datetime(2026, 3, 9, 4, 0, tzinfo=UTC)  # after the change: EDT


@pytest.mark.parametrize(
    ("_case", "start", "end_hm", "expected"),
    [
        ("same day", wall(2026, 3, 9, 9, 0), (10, 0), wall(2026, 3, 9, 10, 0)),
        ("crossing midnight", wall(2026, 3, 9, 23, 30), (0, 30), wall(2026, 3, 10, 0, 30)),
        ("end equal to start means next day", wall(2026, 3, 9, 9, 0), (9, 0), wall(2026, 3, 10, 9, 0)),
        ("typo: end before start", wall(2026, 3, 9, 14, 0), (13, 0), wall(2026, 3, 10, 13, 0)),
    ],
)
def test_end_wall_clock_rolls_to_the_next_day_when_not_later(_case, start, end_hm, expected):
    assert end_wall_clock(start, *end_hm) == expected


def test_week_starts_on_monday():
    assert week_start(dt.date(2026, 3, 8)) == dt.date(2026, 3, 2)  # a Sunday
    assert week_start(dt.date(2026, 3, 9)) == dt.date(2026, 3, 9)


def test_to_local_refuses_naive_times():
    with pytest.raises(ValueError, match="aware"):
        to_local(wall(2026, 3, 9, 9, 0), NY)
