"""estimates.domain.good_faith: GFE deadlines and the $400 dispute threshold, at their edges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from estimates.domain.good_faith import (
    add_business_days,
    billed_exceeds_estimate,
    business_days_ahead,
    gfe_due_on,
)

MON = date(2026, 3, 2)  # a Monday
THU = date(2026, 3, 5)
FRI = date(2026, 3, 6)


def test_business_days_skip_weekends_and_holidays() -> None:
    assert add_business_days(FRI, 1) == date(2026, 3, 9)  # Monday
    assert add_business_days(FRI, 1, holidays={date(2026, 3, 9)}) == date(2026, 3, 10)
    assert business_days_ahead(MON, THU) == 3
    assert business_days_ahead(FRI, date(2026, 3, 9)) == 1


# (scheduled, service, due) -- scheduled on Monday 2026-03-02
DEADLINES = [
    ("2 business days ahead: not required", MON, date(2026, 3, 4), None),
    ("exactly 3 business days ahead: 1 business day", MON, THU, date(2026, 3, 3)),
    ("9 business days ahead: 1 business day", MON, date(2026, 3, 13), date(2026, 3, 3)),
    ("exactly 10 business days ahead: 3 business days", MON, date(2026, 3, 16), date(2026, 3, 5)),
    ("scheduled on a Friday 3 ahead: due Monday", FRI, date(2026, 3, 11), date(2026, 3, 9)),
    ("scheduled Thursday 10 ahead: due the next Tuesday", THU, date(2026, 3, 19), date(2026, 3, 10)),
]


@pytest.mark.parametrize(("name", "scheduled", "service", "due"), DEADLINES, ids=[d[0] for d in DEADLINES])
def test_deadline_when_scheduled(name: str, scheduled: date, service: date, due: date | None) -> None:
    assert gfe_due_on(scheduled_on=scheduled, service_on=service).due_on == due


def test_a_weekend_does_not_count_as_ahead() -> None:
    # Thursday for the next Monday: Friday and Monday = 2 business days: not required
    assert gfe_due_on(scheduled_on=THU, service_on=date(2026, 3, 9)).due_on is None


def test_a_request_is_due_in_3_business_days_and_the_earlier_deadline_wins() -> None:
    assert gfe_due_on(requested_on=THU).due_on == date(2026, 3, 10)
    both = gfe_due_on(scheduled_on=MON, service_on=THU, requested_on=MON)
    assert both.due_on == date(2026, 3, 3)
    assert "1 business day" in both.rule


@pytest.mark.parametrize(
    ("billed", "estimated", "exceeds"),
    [
        ("899.99", "500.00", False),  # 399.99 more
        ("900.00", "500.00", True),  # exactly 400.00 more
        ("900.01", "500.00", True),
        ("400.00", "500.00", False),  # billed less than the estimate
    ],
)
def test_dispute_threshold_is_400_or_more(billed: str, estimated: str, exceeds: bool) -> None:
    assert billed_exceeds_estimate(billed=Decimal(billed), estimated=Decimal(estimated)) is exceeds
