"""The estimate reads the coverage's latest finished eligibility check (its parsed 271) by default:
the check runs through the eligibility services against the sandbox clearinghouse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from claims.services import contracted_rate_set
from eligibility.selectors import latest_271_entry
from estimates.selectors import appointment_estimate
from tests.eligibility.world import make_world

pytestmark = pytest.mark.django_db

DOS = dt.date(2026, 3, 10)


def test_the_estimate_uses_the_latest_finished_check_of_the_coverage(make_member):  # type: ignore[no-untyped-def]
    # given: a high-deductible sandbox member ($1,850 left, then 20%) verified for the session's date
    world = make_world(make_member)
    coverage = world.coverage("SBX1003")
    appointment = world.appointment(coverage, DOS)
    contracted_rate_set(access=world.access, payer_id=world.payer.pk, code="90837", amount_cents=12000,
                        effective_from=dt.date(2026, 1, 1))  # fmt: skip
    # when: nothing verified yet, then verified
    before = appointment_estimate(access=world.access, appointment_id=appointment.pk)
    world.verified(coverage, DOS)
    after = appointment_estimate(access=world.access, appointment_id=appointment.pk)
    # then
    assert not before.result.can_estimate
    assert "verify eligibility first" in before.result.reason
    assert after.result.can_estimate
    assert after.result.patient_owes == Decimal("120.00")  # all toward the deductible


def test_a_check_for_a_later_date_is_not_used_for_an_earlier_session(make_member):  # type: ignore[no-untyped-def]
    world = make_world(make_member)
    coverage = world.coverage("SBX1001")
    world.verified(coverage, DOS + dt.timedelta(days=1))
    assert latest_271_entry(coverage_id=coverage.pk, on=DOS) is None
    assert latest_271_entry(coverage_id=coverage.pk, on=DOS + dt.timedelta(days=1)) is not None
