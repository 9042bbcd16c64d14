"""Burn-down, forecast, alert thresholds and status of an authorization (pure)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from authorizations.domain.burn_down import (
    alert_conditions,
    burn_down,
    effective_status,
    exhaustion_forecast,
    usage_daily_rate,
)
from authorizations.domain.types import AlertKind, AuthStatus, AuthUsage, UnitKind, UsageSource

TODAY = date(2026, 3, 2)


def used(*units, start=date(2026, 2, 1)):
    return [
        AuthUsage(date=start + timedelta(days=i), code="97153", units=u, source=UsageSource.CHARGE)
        for i, u in enumerate(units)
    ]


def planned(*pairs):
    return [AuthUsage(date=d, code="97153", units=u, source=UsageSource.APPOINTMENT) for d, u in pairs]


# ---- burn-down -------------------------------------------------------------------------------------


def test_burn_down_used_planned_remaining():
    # when
    burn = burn_down(
        authorized=100, used=used(8, 8, 4), planned=planned((date(2026, 3, 3), 8), (date(2026, 3, 4), 8))
    )

    # then
    assert (burn.used, burn.planned, burn.remaining, burn.remaining_after_planned, burn.over_planned) == (
        20,
        16,
        80,
        64,
        False,
    )
    assert (burn.used_percent, burn.planned_percent, burn.remaining_percent) == (20, 16, 64)


@pytest.mark.parametrize(
    ("_case", "authorized", "used_units", "planned_units", "percents", "over"),
    [
        ("planned beyond what is left", 10, 6, 8, (60, 40, 0), True),
        ("used beyond the authorization", 10, 12, 4, (100, 0, 0), True),
        ("thirds add up to 100", 3, 1, 1, (33, 33, 34), False),
        ("nothing yet", 52, 0, 0, (0, 0, 100), False),
    ],
)
def test_burn_down_shares(_case, authorized, used_units, planned_units, percents, over):
    burn = burn_down(
        authorized=authorized,
        used=used(used_units) if used_units else [],
        planned=planned((date(2026, 3, 3), planned_units)) if planned_units else [],
    )
    assert (burn.used_percent, burn.planned_percent, burn.remaining_percent) == percents
    assert sum(percents) == 100
    assert burn.over_planned is over


# ---- daily rate and forecast -----------------------------------------------------------------------


def test_daily_rate_over_the_last_four_weeks():
    # given: 56 units in the 28 days up to today, and older usage that does not count
    history = used(*[2] * 28, start=TODAY - timedelta(days=27)) + used(50, start=date(2026, 1, 1))

    # then
    assert usage_daily_rate(history, start_on=date(2026, 1, 1), today=TODAY) == Decimal(2)


def test_daily_rate_since_a_recent_start():
    assert usage_daily_rate(
        used(3, 3, start=TODAY - timedelta(days=1)), start_on=TODAY - timedelta(days=2), today=TODAY
    ) == Decimal(2)
    assert usage_daily_rate([], start_on=TODAY + timedelta(days=5), today=TODAY) == Decimal(0)


@pytest.mark.parametrize(
    ("_case", "remaining", "planned_by_date", "rate", "until", "expected"),
    [
        ("nothing left", 0, {}, Decimal(1), None, TODAY),
        (
            "the schedule uses it up",
            10,
            {date(2026, 3, 5): 6, date(2026, 3, 9): 6},
            None,
            None,
            date(2026, 3, 9),
        ),
        (
            "exactly used up by an appointment",
            12,
            {date(2026, 3, 5): 6, date(2026, 3, 9): 6},
            None,
            None,
            date(2026, 3, 9),
        ),
        ("history after the schedule", 20, {date(2026, 3, 5): 8}, Decimal(4), None, date(2026, 3, 8)),
        ("history alone, rounded up", 10, {}, Decimal(3), None, date(2026, 3, 6)),
        ("no schedule, no history", 10, {}, Decimal(0), None, None),
        ("runs out after the end date", 10, {}, Decimal(1), date(2026, 3, 11), None),
        ("runs out on the end date", 10, {}, Decimal(1), date(2026, 3, 12), date(2026, 3, 12)),
        ("past planned dates ignored", 5, {date(2026, 3, 1): 10}, None, None, None),
    ],
)
def test_exhaustion_forecast(_case, remaining, planned_by_date, rate, until, expected):
    assert exhaustion_forecast(remaining, planned_by_date, rate, today=TODAY, until=until) == expected


# ---- alerts ----------------------------------------------------------------------------------------


def kinds(**kwargs):
    defaults = {
        "authorized": 100,
        "used": 0,
        "end_on": TODAY + timedelta(days=60),
        "today": TODAY,
        "status": AuthStatus.ACTIVE,
        "unit_kind": UnitKind.UNITS,
    }
    return [c.kind for c in alert_conditions(**(defaults | kwargs))]


@pytest.mark.parametrize(
    ("_case", "authorized", "used_units", "alerts"),
    [
        ("21% left", 100, 79, []),
        ("exactly 20% left", 100, 80, [AlertKind.LOW_REMAINING]),
        ("19% left", 100, 81, [AlertKind.LOW_REMAINING]),
        ("exactly 20% of 52 visits is 10.4: 11 left does not alert", 52, 41, []),
        ("10 of 52 visits left alerts", 52, 42, [AlertKind.LOW_REMAINING]),
        ("over-used", 10, 12, [AlertKind.LOW_REMAINING]),
    ],
)
def test_low_remaining_threshold(_case, authorized, used_units, alerts):
    assert kinds(authorized=authorized, used=used_units) == alerts


@pytest.mark.parametrize(
    ("days", "alerts"),
    [(15, []), (14, [AlertKind.EXPIRING]), (1, [AlertKind.EXPIRING]), (0, [AlertKind.EXPIRING])],
)
def test_expiry_threshold(days, alerts):
    assert kinds(end_on=TODAY + timedelta(days=days)) == alerts


def test_both_alerts_and_their_words():
    conditions = alert_conditions(
        authorized=52,
        used=50,
        end_on=TODAY + timedelta(days=1),
        today=TODAY,
        status=AuthStatus.ACTIVE,
        unit_kind=UnitKind.VISITS,
    )
    assert [(c.kind, c.remaining, c.days_left, c.message) for c in conditions] == [
        (AlertKind.LOW_REMAINING, 2, 1, "2 of 52 visits left."),
        (AlertKind.EXPIRING, 2, 1, "Ends on Tue 3 Mar 2026 (1 day)."),
    ]


@pytest.mark.parametrize("status", [AuthStatus.CANCELLED, AuthStatus.EXPIRED])
def test_cancelled_and_expired_never_alert(status):
    assert kinds(used=100, end_on=TODAY, status=status) == []


# ---- status ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "stored", "used_units", "end_on", "expected"),
    [
        ("live", AuthStatus.ACTIVE, 10, TODAY, AuthStatus.ACTIVE),
        ("the day after the end", AuthStatus.ACTIVE, 10, TODAY - timedelta(days=1), AuthStatus.EXPIRED),
        ("all used", AuthStatus.ACTIVE, 100, TODAY, AuthStatus.EXHAUSTED),
        ("units given back", AuthStatus.EXHAUSTED, 99, TODAY, AuthStatus.ACTIVE),
        ("cancelled stays cancelled", AuthStatus.CANCELLED, 0, TODAY, AuthStatus.CANCELLED),
    ],
)
def test_effective_status(_case, stored, used_units, end_on, expected):
    assert (
        effective_status(stored=stored, authorized=100, used=used_units, end_on=end_on, today=TODAY)
        is expected
    )
