"""estimates.selectors.appointment_estimate: the glue from appointment, coverage and allowed amount
to the pure estimate; the latest 271 arrives through the `LatestBenefits` callable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from claims.services import contracted_rate_set
from clearinghouse.sandbox import respond_271
from core.errors import PermissionDenied
from edi.x270 import build_270
from edi.x271 import EligibilityTransaction, parse_271
from estimates.selectors import appointment_estimate
from tests.edi.samples import SUBSCRIBER, envelope
from tests.edi.samples import request as inquiry
from tests.factories import CoverageFactory
from tests.factories.scheduling import AppointmentFactory

pytestmark = pytest.mark.django_db


def sandbox_entry(member_id: str) -> EligibilityTransaction:
    from dataclasses import replace

    request = inquiry(subscriber=replace(SUBSCRIBER, member_id=member_id), service_date=dt.date(2026, 3, 9))
    return parse_271(respond_271(build_270(request, envelope()))).transactions[0]


@pytest.fixture
def appointment(billing):  # type: ignore[no-untyped-def]
    return AppointmentFactory(
        practice=billing.practice,
        patient=billing.patient,
        provider=billing.clinic.clinician,
        starts_at=dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 9, 15, 45, tzinfo=dt.UTC),
    )


def test_estimate_from_the_sandbox_high_deductible_member(billing, appointment) -> None:  # type: ignore[no-untyped-def]
    contracted_rate_set(access=billing.admin, payer_id=billing.medicaid.pk, code="90834", amount_cents=9500,
                        effective_from=dt.date(2026, 1, 1))  # fmt: skip
    seen: list[tuple[int, dt.date]] = []

    def latest(*, coverage_id: int, on: dt.date) -> EligibilityTransaction | None:
        seen.append((coverage_id, on))
        return sandbox_entry("SBX1003")  # $1,850 of deductible left, then 20%

    result = appointment_estimate(
        access=billing.biller, appointment_id=appointment.pk, latest_benefits=latest
    )
    assert seen == [(billing.coverage.pk, dt.date(2026, 3, 9))]
    assert result.code == "90834"  # 45 minutes of psychotherapy
    assert result.payer_name == "State Medicaid MCO"
    assert result.result.can_estimate
    assert result.result.patient_owes == Decimal("95.00")  # all toward the deductible


def test_without_a_271_on_file_the_estimate_says_verify_first(billing, appointment) -> None:  # type: ignore[no-untyped-def]
    contracted_rate_set(access=billing.admin, payer_id=billing.medicaid.pk, code="90834", amount_cents=9500,
                        effective_from=dt.date(2026, 1, 1))  # fmt: skip
    result = appointment_estimate(access=billing.biller, appointment_id=appointment.pk)
    assert not result.result.can_estimate
    assert "verify eligibility first" in result.result.reason


def test_self_pay_patients_are_pointed_to_a_gfe(billing, appointment) -> None:  # type: ignore[no-untyped-def]
    billing.coverage.delete()
    result = appointment_estimate(access=billing.biller, appointment_id=appointment.pk)
    assert "Good Faith Estimate" in result.result.reason


def test_no_allowed_amount(billing, appointment) -> None:  # type: ignore[no-untyped-def]
    result = appointment_estimate(
        access=billing.biller,
        appointment_id=appointment.pk,
        latest_benefits=lambda **_: sandbox_entry("SBX1001"),
    )
    assert "No contracted (allowed) amount" in result.result.reason


def test_clinicians_cannot_see_estimates(billing, appointment) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        appointment_estimate(
            access=billing.access(billing.clinic.clinician_user), appointment_id=appointment.pk
        )


def test_a_second_coverage_is_not_used(billing, appointment) -> None:  # type: ignore[no-untyped-def]
    CoverageFactory(patient=billing.patient, payer=billing.commercial, member_id="ACM1", priority=2,
                    effective_on=dt.date(2025, 1, 1))  # fmt: skip
    result = appointment_estimate(access=billing.biller, appointment_id=appointment.pk)
    assert result.payer_name == "State Medicaid MCO"
