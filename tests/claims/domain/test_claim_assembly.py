"""The pure claim planner: billing-frequency periods (week edges Sunday/Saturday, month edges,
year end), splitting beyond 50 lines, one auth number per claim, pointers renumbered."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.domain.claim_assembly import (
    ChargeSetIn,
    ClaimCheckInput,
    DuplicateIndex,
    LineIn,
    PriorLine,
    claim_level_problems,
    line_control_number,
    patient_control_number,
    period_key,
    plan_claims,
    week_start,
)
from payer_rules.domain.policy import BillingFrequency as F


def _set(pk: int, day: dt.date, lines: int = 1, *, diagnoses=("F41.1",), auth: str = "", pointer: int = 1):
    return ChargeSetIn(
        charge_set_id=pk, patient_id=1, payer_id=1, coverage_id=1, rendering_provider_id=1,
        supervising_provider_id=None, supervisor_billing="", date_of_service=day, diagnoses=diagnoses,
        lines=tuple(LineIn(pk * 100 + n, "90837", (), 1, 15000, "11", (pointer,), auth) for n in range(lines)),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (dt.date(2026, 3, 8), dt.date(2026, 3, 8)),  # Sunday starts its week
        (dt.date(2026, 3, 14), dt.date(2026, 3, 8)),  # Saturday ends it
        (dt.date(2026, 3, 15), dt.date(2026, 3, 15)),
        (dt.date(2026, 1, 1), dt.date(2025, 12, 28)),  # a week across the year end
    ],
)
def test_week_start_is_the_sunday(day, start):
    assert week_start(day) == start


def test_period_keys():
    day = dt.date(2026, 2, 28)
    assert period_key(F.PER_SESSION, day, 7) == ("session", 7)
    assert period_key(F.PER_DAY, day, 7) == ("day", day)
    assert period_key(F.MONTHLY, day, 7) == ("month", 2026, 2)
    assert period_key(F.MONTHLY, dt.date(2026, 3, 1), 7) != period_key(F.MONTHLY, day, 7)


def test_a_week_across_the_year_end_is_one_claim_a_month_is_not():
    sets = [_set(1, dt.date(2025, 12, 31)), _set(2, dt.date(2026, 1, 2))]
    assert len(plan_claims(sets, lambda _cs: F.WEEKLY)) == 1
    assert len(plan_claims(sets, lambda _cs: F.MONTHLY)) == 2


def test_a_single_set_beyond_50_lines_is_split():
    planned = plan_claims([_set(1, dt.date(2026, 3, 9), lines=51)], lambda _cs: F.PER_SESSION)
    assert [len(c.lines) for c in planned] == [50, 1]


def test_thirteen_diagnoses_do_not_fit_one_claim():
    sets = [_set(n, dt.date(2026, 3, n), diagnoses=(f"F4{n % 10}.{n // 10}",)) for n in range(1, 14)]
    planned = plan_claims(sets, lambda _cs: F.MONTHLY)
    assert [len(c.diagnoses) for c in planned] == [12, 1]


def test_c15_one_auth_number_per_claim():
    sets = [
        _set(1, dt.date(2026, 3, 2), auth="A"),
        _set(2, dt.date(2026, 3, 3), auth="B"),
        _set(3, dt.date(2026, 3, 4)),
    ]
    planned = plan_claims(sets, lambda _cs: F.MONTHLY)
    assert sorted((c.prior_auth_number, len(c.lines)) for c in planned) == [("A", 2), ("B", 1)]


def test_c6_numbers_fit_the_payers_limits():
    assert len(patient_control_number(99_999_999)) <= 17
    assert len(line_control_number(999_999, patient_control_number(10**15), 50)) <= 30


def test_c5_claim_level_edits_each_have_their_message():
    problems = claim_level_problems(
        ClaimCheckInput(
            patient_control_number="X" * 18, total_cents=100, line_charges=(0, -5), line_controls=("A", "A"),
            line_auths=("1", "2"), taxonomies={"billing_provider.taxonomy": "123"},
        )
    )  # fmt: skip
    codes = [p.code for p in problems]
    assert codes == [
        "claim_pcn_invalid",
        "claim_total_mismatch",
        "claim_line_charge_not_positive",
        "claim_line_charge_not_positive",
        "claim_line_control_invalid",
        "claim_prior_auth_invalid",
        "claim_taxonomy_invalid",
    ]


def test_c16_duplicates_against_prior_and_within_the_run():
    day = dt.date(2026, 3, 9)
    first, second = plan_claims([_set(1, day), _set(2, day)], lambda _cs: F.PER_SESSION)
    index = DuplicateIndex([PriorLine(9, 1, day, "90837", 1, "C00000001")])  # another patient
    assert index.problems(first) == []
    index.add(first, "C00000002")
    (problem,) = index.problems(second)
    assert "already billed on claim C00000002" in problem.message
