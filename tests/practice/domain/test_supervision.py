"""Supervision rules and `supervisor_on` at their edges (pure, no database)."""

from datetime import date

import pytest

from practice.domain.supervision import (
    supervision_end_problems,
    supervision_problems,
    supervisor_on,
    supervisors_on,
)
from practice.domain.types import ProviderFacts, SupervisionPeriod

BCBA = ProviderFacts(provider_id=1, practice_id=10, credential="BCBA")
RBT = ProviderFacts(provider_id=2, practice_id=10, credential="RBT")
LPC = ProviderFacts(provider_id=3, practice_id=10, credential="LPC")


def period(supervisor_id, supervisee_id, starts_on, ends_on=None, pk=None):
    return SupervisionPeriod(
        supervisor_id=supervisor_id,
        supervisee_id=supervisee_id,
        starts_on=starts_on,
        ends_on=ends_on,
        supervision_id=pk,
    )


def check(supervisor=BCBA, supervisee=RBT, starts_on=date(2025, 3, 1), ends_on=None, existing=()):
    problems = supervision_problems(
        supervisor=supervisor,
        supervisee=supervisee,
        starts_on=starts_on,
        ends_on=ends_on,
        existing=list(existing),
    )
    return [(p.code, p.field) for p in problems]


def test_a_bcba_may_supervise_an_rbt():
    assert check() == []


def test_not_self():
    assert check(supervisor=BCBA, supervisee=BCBA) == [("supervision_self", "supervisor_id")]


@pytest.mark.parametrize("credential", ["RBT", "BHT", "BCaBA", "CADC", "LMSW", "CPRS", "PA"])
def test_credentials_that_cannot_supervise(credential):
    supervisor = ProviderFacts(provider_id=9, practice_id=10, credential=credential)
    assert check(supervisor=supervisor) == [("supervisor_credential", "supervisor_id")]


@pytest.mark.parametrize(
    "credential", ["BCBA", "BCBA-D", "LPC", "LCSW", "LMFT", "PhD/PsyD", "MD/DO", "PMHNP"]
)
def test_credentials_that_can_supervise(credential):
    supervisor = ProviderFacts(provider_id=9, practice_id=10, credential=credential)
    assert check(supervisor=supervisor) == []


def test_same_practice_only():
    elsewhere = ProviderFacts(provider_id=9, practice_id=11, credential="BCBA")
    assert check(supervisor=elsewhere) == [("supervision_other_practice", "supervisor_id")]


def test_inactive_supervisor():
    inactive = ProviderFacts(provider_id=9, practice_id=10, credential="BCBA", is_active=False)
    assert check(supervisor=inactive) == [("supervisor_inactive", "supervisor_id")]


def test_end_before_start():
    assert check(starts_on=date(2025, 3, 2), ends_on=date(2025, 3, 1)) == [
        ("supervision_dates_order", "ends_on")
    ]


def test_one_day_period_is_fine():
    assert check(starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 1)) == []


@pytest.mark.parametrize(
    ("_case", "existing", "starts_on", "ends_on", "expected"),
    [
        ("open existing, new later", [period(1, 2, date(2025, 1, 1))], date(2025, 6, 1), None, ["supervision_overlap"]),
        ("existing ends the day before", [period(1, 2, date(2025, 1, 1), date(2025, 2, 28))], date(2025, 3, 1), None, []),
        ("existing ends on the start day (inclusive)", [period(1, 2, date(2025, 1, 1), date(2025, 3, 1))], date(2025, 3, 1), None, ["supervision_overlap"]),
        ("new ends the day before existing starts", [period(1, 2, date(2025, 4, 1))], date(2025, 3, 1), date(2025, 3, 31), []),
        ("new ends on the day existing starts", [period(1, 2, date(2025, 4, 1))], date(2025, 3, 1), date(2025, 4, 1), ["supervision_overlap"]),
        ("other pair overlapping is fine", [period(3, 2, date(2025, 1, 1))], date(2025, 3, 1), None, []),
        ("reverse pair overlapping", [period(2, 1, date(2025, 1, 1))], date(2025, 3, 1), None, ["supervision_cycle"]),
    ],
)  # fmt: skip
def test_overlaps(_case, existing, starts_on, ends_on, expected):
    result = check(starts_on=starts_on, ends_on=ends_on, existing=existing)
    assert [code for code, _ in result] == expected


def test_end_problems():
    open_period = period(1, 2, date(2025, 3, 1), pk=5)
    assert supervision_end_problems(period=open_period, ends_on=date(2025, 3, 1)) == []
    assert [p.code for p in supervision_end_problems(period=open_period, ends_on=date(2025, 2, 28))] == [
        "supervision_dates_order"
    ]
    closed = period(1, 2, date(2025, 3, 1), date(2025, 4, 1), pk=5)
    assert [p.code for p in supervision_end_problems(period=closed, ends_on=date(2025, 5, 1))] == [
        "supervision_already_ended"
    ]


# --- supervisor_on ---------------------------------------------------------------------------------------

HISTORY = [
    period(1, 2, date(2025, 1, 1), date(2025, 3, 31)),
    period(3, 2, date(2025, 4, 1)),
]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 12, 31), None),  # before any supervision
        (date(2025, 1, 1), 1),  # first day, inclusive
        (date(2025, 3, 31), 1),  # last day, inclusive
        (date(2025, 4, 1), 3),  # hand-over day
        (date(2030, 1, 1), 3),  # open-ended
    ],
)
def test_supervisor_on(on, expected):
    assert supervisor_on(on, HISTORY) == expected


def test_supervisor_on_prefers_the_most_recent_start_then_lowest_id():
    # given two overlapping supervisors, and a third starting the same day as the second
    periods = [period(7, 2, date(2025, 1, 1)), period(5, 2, date(2025, 2, 1)), period(4, 2, date(2025, 2, 1))]
    # when / then
    assert supervisor_on(date(2025, 1, 15), periods) == 7
    assert supervisor_on(date(2025, 2, 1), periods) == 4
    assert supervisors_on(date(2025, 2, 1), periods) == [4, 5, 7]


def test_supervisor_on_with_no_periods():
    assert supervisor_on(date(2025, 1, 1), []) is None
    assert supervisors_on(date(2025, 1, 1), []) == []
