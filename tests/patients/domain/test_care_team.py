"""The care-team rule on plain dates: first and last day included, missing sides open."""

from __future__ import annotations

import datetime as dt

import pytest

from patients.domain.care_team import CareTeamState, care_team_active, care_team_state
from tests.patients.care_team_cases import CARE_TEAM_CASES, D


@pytest.mark.parametrize(("_case", "starts_on", "ends_on", "expected"), CARE_TEAM_CASES)
def test_state_on_the_day(
    _case: str, starts_on: dt.date | None, ends_on: dt.date | None, expected: CareTeamState
) -> None:
    assert care_team_state(starts_on=starts_on, ends_on=ends_on, on=D) is expected


@pytest.mark.parametrize(("_case", "starts_on", "ends_on", "expected"), CARE_TEAM_CASES)
def test_active_only_when_current(
    _case: str, starts_on: dt.date | None, ends_on: dt.date | None, expected: CareTeamState
) -> None:
    assert care_team_active(starts_on=starts_on, ends_on=ends_on, on=D) is (expected is CareTeamState.CURRENT)
