"""The care-team rule in the database: `active_on`, `caseload_patient_ids`, `on_care_team`.

The same table of edge cases as the pure rule (tests/patients/care_team_cases.py), so the query
and the Python predicate cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

import pytest

from patients import selectors
from patients.domain.care_team import CareTeamState
from patients.models import CareTeamMember
from tests.factories import PatientFactory, ProviderFactory
from tests.patients.care_team_cases import CARE_TEAM_CASES, D
from tests.patients.factories import CareTeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("_case", "starts_on", "ends_on", "expected"), CARE_TEAM_CASES)
def test_on_care_team_at_each_edge(
    practice, _case: str, starts_on: dt.date | None, ends_on: dt.date | None, expected: CareTeamState
) -> None:
    # given
    member = CareTeamMemberFactory(patient__practice=practice, starts_on=starts_on, ends_on=ends_on)
    # when
    active = selectors.on_care_team(provider_id=member.provider_id, patient_id=member.patient_id, on=D)
    # then
    assert active is (expected is CareTeamState.CURRENT)


def test_caseload_is_exactly_the_current_memberships_of_that_provider(practice) -> None:
    # given one patient per case on the provider's care team, and one on another provider's
    provider = ProviderFactory(practice=practice)
    patients = {}
    for name, starts_on, ends_on, _state in CARE_TEAM_CASES:
        patients[name] = PatientFactory(practice=practice)
        CareTeamMemberFactory(patient=patients[name], provider=provider, starts_on=starts_on, ends_on=ends_on)
    CareTeamMemberFactory(
        patient=PatientFactory(practice=practice), provider=ProviderFactory(practice=practice)
    )
    # when
    ids = set(selectors.caseload_patient_ids(provider_id=provider.pk, on=D))
    # then
    assert ids == {
        patients[name].pk for name, _s, _e, state in CARE_TEAM_CASES if state is CareTeamState.CURRENT
    }
    assert len(ids) == 6


def test_active_on_agrees_with_the_pure_rule_for_every_case(practice) -> None:
    # given
    rows = {
        name: CareTeamMemberFactory(patient__practice=practice, starts_on=starts_on, ends_on=ends_on).pk
        for name, starts_on, ends_on, _state in CARE_TEAM_CASES
    }
    # when
    active = set(CareTeamMember.objects.active_on(D).values_list("pk", flat=True))
    # then
    assert {name for name, pk in rows.items() if pk in active} == {
        name for name, _s, _e, state in CARE_TEAM_CASES if state is CareTeamState.CURRENT
    }


def test_a_membership_is_checked_for_its_own_patient_and_provider(practice) -> None:
    # given the provider is on one patient's team; another provider is on a second patient's
    member = CareTeamMemberFactory(patient__practice=practice)
    other = CareTeamMemberFactory(patient__practice=practice)
    # then
    assert selectors.on_care_team(provider_id=member.provider_id, patient_id=member.patient_id, on=D) is True
    assert selectors.on_care_team(provider_id=member.provider_id, patient_id=other.patient_id, on=D) is False
    assert selectors.on_care_team(provider_id=other.provider_id, patient_id=member.patient_id, on=D) is False
