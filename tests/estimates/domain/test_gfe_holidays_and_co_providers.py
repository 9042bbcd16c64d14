"""Good Faith Estimate gaps, table-driven: business-day deadlines that skip the federal holidays
(the table in estimates/data/federal_holidays.json, checked against the statute's rules), and
the co-provider / co-facility lines the convening provider's GFE includes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.domain.identifiers import npi_with_check_digit
from estimates.domain.good_faith import CoItem, business_days_ahead, gfe_due_on, parse_co_providers
from estimates.holidays import federal_holiday_table, federal_holidays

D = dt.date
HOLIDAYS = federal_holidays()
NPI = npi_with_check_digit("123456789")


def _statutory(year: int) -> set[dt.date]:
    """5 U.S.C. 6103 with the observed-day rule, computed independently of the table."""

    def nth(month: int, weekday: int, n: int) -> dt.date:
        first = D(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))

    def last_monday_of_may() -> dt.date:
        day = D(year, 5, 31)
        return day - dt.timedelta(days=day.weekday())

    def observed(day: dt.date) -> dt.date:
        return day + dt.timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))

    fixed = [observed(D(year, m, d)) for m, d in ((1, 1), (6, 19), (7, 4), (11, 11), (12, 25))]
    return {
        *fixed,
        nth(1, 0, 3),
        nth(2, 0, 3),
        last_monday_of_may(),
        nth(9, 0, 1),
        nth(10, 0, 2),
        nth(11, 3, 4),
    }


def test_the_holiday_table_matches_the_statute_for_every_year_it_covers():
    first, last, days = federal_holiday_table()
    assert (first, last) == (2024, 2032)
    expected = set().union(*(_statutory(y) for y in range(first, last + 1)))
    assert days == expected
    assert len(days) == 11 * (last - first + 1)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 7, 3), "Independence Day on a Saturday: observed Friday"),
        (D(2027, 12, 31), "New Year's Day 2028 on a Saturday: observed Friday 31 December"),
        (D(2026, 11, 26), "Thanksgiving"),
        (D(2027, 6, 18), "Juneteenth on a Saturday: observed Friday"),
        (D(2026, 1, 19), "Martin Luther King Jr. Day"),
    ],
)
def test_known_observed_holidays_are_in_the_table(day, name):
    assert day in HOLIDAYS, name


@pytest.mark.parametrize(
    ("scheduled", "service", "requested", "due", "why"),
    [
        # the Wednesday before Thanksgiving, 3-9 business days ahead: Thursday is a holiday
        (D(2026, 11, 25), D(2026, 12, 2), None, D(2026, 11, 27), "1 business day, skipping Thanksgiving"),
        # 3 business days after Thursday 2 July 2026: Friday 3 July (observed) is skipped
        (D(2026, 7, 2), D(2026, 7, 30), None, D(2026, 7, 8), "3 business days, skipping 3 July"),
        # Christmas week 2026: Friday 25 December
        (D(2026, 12, 23), D(2027, 1, 20), None, D(2026, 12, 29), "3 business days, skipping Christmas"),
        # a request on Friday 15 January 2027: Monday 18 January is MLK Day
        (None, None, D(2027, 1, 15), D(2027, 1, 21), "a request, skipping MLK Day"),
        # no holiday nearby: unchanged
        (D(2026, 3, 9), D(2026, 3, 23), None, D(2026, 3, 12), "3 business days"),
    ],
)
def test_deadlines_skip_federal_holidays(scheduled, service, requested, due, why):
    found = gfe_due_on(scheduled_on=scheduled, service_on=service, requested_on=requested, holidays=HOLIDAYS)
    assert found.due_on == due, why


@pytest.mark.parametrize(
    ("scheduled", "service", "with_holidays", "without"),
    [
        # Monday 23 November to Monday 7 December 2026: 10 business days without Thanksgiving,
        # 9 with it (the rule changes from 3 days to 1)
        (D(2026, 11, 23), D(2026, 12, 7), 9, 10),
        (D(2026, 6, 29), D(2026, 7, 6), 4, 5),
    ],
)
def test_business_days_ahead_counts_without_holidays(scheduled, service, with_holidays, without):
    assert business_days_ahead(scheduled, service, HOLIDAYS) == with_holidays
    assert business_days_ahead(scheduled, service) == without


def test_a_holiday_can_move_a_service_into_the_shorter_deadline():
    found = gfe_due_on(scheduled_on=D(2026, 11, 23), service_on=D(2026, 12, 7), holidays=HOLIDAYS)
    assert found.due_on == D(2026, 11, 24)
    assert "3 to 9" in found.rule


@pytest.mark.parametrize(
    ("text", "kind", "items"),
    [
        (
            f"provider | Dr. Ana Ruiz, MD | {NPI} | 123456789 | 1 Main St, Portland, ME | 90792 x 1 @ 250.00",
            "provider",
            (CoItem("90792", 1, Decimal("250.00")),),
        ),
        (
            f"Co-facility | Harbor Lab | {NPI} | 12-3456789 | 2 Dock Rd | 96127 x2 @ $10; 90785 @ 15.5",
            "facility",
            (CoItem("96127", 2, Decimal("10.00")), CoItem("90785", 1, Decimal("15.50"))),
        ),
    ],
)
def test_co_provider_lines_are_read(text, kind, items):
    parties, problems = parse_co_providers(text)
    assert problems == []
    (party,) = parties
    assert (party.kind, party.npi, party.tin, party.items) == (kind, NPI, "12-3456789", items)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("provider | Dr. Ruiz | 1234567890 | 12-3456789 | Here | 90792 @ 250", "NPI"),
        (f"provider | Dr. Ruiz | {NPI} | 1234 | Here | 90792 @ 250", "tax ID"),
        (f"lab | Dr. Ruiz | {NPI} | 12-3456789 | Here | 90792 @ 250", "provider or facility"),
        (f"provider | Dr. Ruiz | {NPI} | 12-3456789 | Here | 90792", "not a code, count and charge"),
        (f"provider | Dr. Ruiz | {NPI} | 12-3456789 | Here | 90792 x 99 @ 1", "count must be 1 to 60"),
        (f"provider | Dr. Ruiz | {NPI} | 12-3456789 | Here |", "expected items"),
        (f"provider | | {NPI} | 12-3456789 | Here | 90792 @ 1", "name"),
        (f"provider | Dr. Ruiz | {NPI} | 12-3456789 | | 90792 @ 1", "where the service is given"),
        ("provider | Dr. Ruiz | 90792 @ 250", "6 parts"),
    ],
)
def test_bad_co_provider_lines_are_named_and_nothing_is_kept(text, problem):
    parties, problems = parse_co_providers(f"{text}\n")
    assert parties == []
    assert len(problems) >= 1
    assert problems[0].startswith("Line 1: ")
    assert problem in " ".join(problems)
