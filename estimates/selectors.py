"""Reads for estimates: the patient-responsibility estimate of an appointment and the Good Faith
Estimates.

The estimate needs "the latest parsed 271 for this coverage", which the eligibility workflow
stores: `eligibility.selectors.latest_271_entry` by default, or any `LatestBenefits` callable the
caller passes in (tests). With no finished check the estimate says "verify eligibility first".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.models import Charge
from claims.selectors.fees import allowed_amount
from core.errors import NotFound, PermissionDenied
from core.money import decimal_from_cents
from edi.x271 import EligibilityTransaction
from eligibility.selectors import latest_271_entry
from estimates.domain.expected import expected_code
from estimates.domain.good_faith import billed_exceeds_estimate
from estimates.domain.responsibility import Responsibility, estimate_responsibility, visit_copay
from estimates.models import GoodFaithEstimate
from patients.selectors import primary_billed_coverage_on
from scheduling.selectors import appointment_get

GFE_OBJECT_TYPE = "good_faith_estimate"


class LatestBenefits(Protocol):
    """The latest parsed 271 entry for the coverage on or before the date of service, or None."""

    def __call__(self, *, coverage_id: int, on: date) -> EligibilityTransaction | None: ...


@dataclass(frozen=True, slots=True)
class AppointmentEstimate:
    appointment_id: int
    patient_id: int
    patient_name: str
    date_of_service: date
    service_label: str
    code: str | None
    payer_name: str  # "" when no coverage (self-pay)
    result: Responsibility


def appointment_estimate(
    *,
    access: PracticeAccess,
    appointment_id: int,
    latest_benefits: LatestBenefits = latest_271_entry,
    code: str | None = None,
) -> AppointmentEstimate:
    """What the patient will likely owe for the appointment (billing staff). The appointment read
    is audited by `scheduling.selectors.appointment_get`."""
    access.require(Capability.BILLING_VIEW)
    view = appointment_get(access=access, appointment_id=appointment_id).appointment
    dos = view.date_of_service
    code = (code or "").strip().upper() or expected_code(view.service_type, view.duration_minutes)
    coverage = primary_billed_coverage_on(patient_id=view.patient_id, on=dos)
    if coverage is None:
        result = Responsibility(
            can_estimate=False,
            reason="No active insurance on the date of service: the patient is self-pay; "
            "give a Good Faith Estimate instead.",
        )
    elif code is None:
        result = Responsibility(
            can_estimate=False, reason="The code for this service is not known yet: choose the expected code."
        )
    else:
        result = estimate_responsibility(
            allowed=allowed_amount(
                practice_id=access.practice_id, payer_id=coverage.payer_id, code=code, on=dos
            ),
            entry=latest_benefits(coverage_id=coverage.coverage_id, on=dos),
            service_date=dos,
        )
    return AppointmentEstimate(
        appointment_id=view.appointment_id,
        patient_id=view.patient_id,
        patient_name=view.patient_name,
        date_of_service=dos,
        service_label=view.service_label,
        code=code,
        payer_name=coverage.payer_name if coverage else "",
        result=result,
    )


@dataclass(frozen=True, slots=True)
class AppointmentCopay:
    appointment_id: int
    patient_id: int
    date_of_service: date
    payer_name: str  # "" when no coverage (self-pay)
    copay: Decimal | None  # None: not known (no coverage, no finished eligibility check, no copay)


def appointment_copay(
    *, access: PracticeAccess, appointment_id: int, latest_benefits: LatestBenefits = latest_271_entry
) -> AppointmentCopay:
    """The copay to collect at the appointment (billing staff), from the latest 271 of the
    primary coverage on its date. The appointment read is audited by `appointment_get`."""
    access.require(Capability.BILLING_VIEW)
    view = appointment_get(access=access, appointment_id=appointment_id).appointment
    dos = view.date_of_service
    coverage = primary_billed_coverage_on(patient_id=view.patient_id, on=dos)
    copay = (
        visit_copay(entry=latest_benefits(coverage_id=coverage.coverage_id, on=dos), service_date=dos)
        if coverage is not None
        else None
    )
    return AppointmentCopay(
        appointment_id=view.appointment_id,
        patient_id=view.patient_id,
        date_of_service=dos,
        payer_name=coverage.payer_name if coverage else "",
        copay=copay,
    )


# ---- Good Faith Estimates ---------------------------------------------------------------------


def _require_view(access: PracticeAccess) -> None:
    if not access.can(Capability.BILLING_VIEW):
        raise PermissionDenied()


def good_faith_estimate_get(
    *, access: PracticeAccess, estimate_id: int, purpose: str = ""
) -> GoodFaithEstimate:
    """One GFE with its items (one `view` event; "pdf" purpose for the document)."""
    _require_view(access)
    estimate = (
        GoodFaithEstimate.objects.filter(practice_id=access.practice_id, pk=estimate_id)
        .prefetch_related("items__party", "parties__items")
        .first()
    )
    if estimate is None:
        raise NotFound()
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.EXPORT if purpose == "pdf" else AuditEvent.Action.VIEW,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=estimate.patient_id,
        object_type=GFE_OBJECT_TYPE,
        object_id=estimate.pk,
        detail=purpose,
    )
    return estimate


def good_faith_estimate_list(*, access: PracticeAccess, limit: int = 100) -> list[GoodFaithEstimate]:
    _require_view(access)
    rows = list(
        GoodFaithEstimate.objects.filter(practice_id=access.practice_id).prefetch_related(
            "items__party", "parties"
        )[:limit]
    )
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=GFE_OBJECT_TYPE,
        detail=f"results={len(rows)}",
    )
    return rows


@dataclass(frozen=True, slots=True)
class BilledAgainstEstimate:
    billed: Decimal
    estimated: Decimal
    exceeds: bool  # billed at least $400 more: the patient may dispute

    @property
    def difference(self) -> Decimal:
        return self.billed - self.estimated


def billed_against_estimate(*, estimate: GoodFaithEstimate) -> BilledAgainstEstimate | None:
    """The patient's self-pay charges by the GFE's provider on its date of service against the
    estimate; None before there is a date of service or any charge."""
    if estimate.service_on is None:
        return None
    lines = Charge.objects.filter(
        charge_set__practice_id=estimate.practice_id,
        charge_set__patient_id=estimate.patient_id,
        charge_set__rendering_provider_id=estimate.provider_id,
        charge_set__date_of_service=estimate.service_on,
        charge_set__self_pay=True,
    ).values_list("fee_cents", flat=True)
    fees = list(lines)
    if not fees:
        return None
    # the convening provider's own items: co-providers bill (and are disputed) separately
    own = estimate.items.filter(party__isnull=True).values_list("total_cents", flat=True)
    billed, estimated = decimal_from_cents(sum(fees)), decimal_from_cents(sum(own))
    return BilledAgainstEstimate(
        billed, estimated, billed_exceeds_estimate(billed=billed, estimated=estimated)
    )
