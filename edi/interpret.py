"""What a parsed 271 means for the service asked about, on the date of service.

Pure readings of `EligibilityTransaction` that the eligibility workflow builds on:

- `coverage_on`: covered on the date of service, or why not (pitfalls E3, E4, E8): AAA errors
  are rejections (transient ones mean "payer unavailable", never "inactive"), an active EB with
  plan or eligibility dates that end before the date of service is "not covered on that date",
  and EB01 5/11+ is "at risk", not plain active.
- `benefits_for`: the benefits that answer the service types asked, and whether the payer fell
  back to STC 30 only (pitfall E2: the plan-level co-pay is not the therapy co-pay).
- `carve_out_administrator`: MH/SUD coverage confirmed without amounts, naming another entity
  (pitfall E1: benefits administered elsewhere; never read as "$0 copay").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from edi.codes import GENERAL_SERVICE_TYPES, MH_SUD_SERVICE_TYPES
from edi.x271 import Benefit, EligibilityTransaction, Entity

_AMOUNT_INFO = {"A", "B", "C", "F", "G", "J", "Y"}
_CARVE_OUT_ENTITIES = {"PR", "Y2", "VN", "1P", "X3", "PRP", "GP"}


class Coverage(StrEnum):
    COVERED = "covered"
    AT_RISK = "at_risk"
    NOT_COVERED_ON_DATE = "not_covered_on_date"
    INACTIVE = "inactive"
    REJECTED = "rejected"
    PAYER_UNAVAILABLE = "payer_unavailable"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CoverageVerdict:
    coverage: Coverage
    reason: str


def coverage_on(entry: EligibilityTransaction, service_date: date) -> CoverageVerdict:
    if entry.errors:
        if all(error.transient for error in entry.errors):
            return CoverageVerdict(Coverage.PAYER_UNAVAILABLE, "The payer could not answer now; retry later.")
        first = next(error for error in entry.errors if not error.transient)
        return CoverageVerdict(
            Coverage.REJECTED, f"The payer rejected the inquiry: {first.code} {first.message}"
        )
    if entry.coverage_status == "inactive":
        return CoverageVerdict(Coverage.INACTIVE, "The payer reports the coverage inactive.")
    if entry.coverage_status == "unknown":
        return CoverageVerdict(Coverage.UNKNOWN, "The payer returned no active or inactive status.")
    dates = entry.plan_dates
    begins = [d for d in (dates.plan_begin, dates.eligibility_begin) if d is not None]
    ends = [d for d in (dates.plan_end, dates.eligibility_end) if d is not None]
    if any(begin > service_date for begin in begins):
        return CoverageVerdict(Coverage.NOT_COVERED_ON_DATE, "The coverage starts after the date of service.")
    if any(end < service_date for end in ends):
        return CoverageVerdict(Coverage.NOT_COVERED_ON_DATE, "The coverage ends before the date of service.")
    if entry.coverage_status == "at_risk":
        return CoverageVerdict(
            Coverage.AT_RISK, "Active with a condition (pending investigation or premium payment)."
        )
    return CoverageVerdict(Coverage.COVERED, "Active on the date of service.")


@dataclass(frozen=True, slots=True)
class ServiceTypeAnswer:
    benefits: list[Benefit]
    specific: bool  # the payer answered for a service type asked (not only the plan level)
    label: str


def benefits_for(entry: EligibilityTransaction, requested: tuple[str, ...]) -> ServiceTypeAnswer:
    """The benefits for the service types asked. When none names them and the payer answered
    only at the plan level (STC 30), those come back labelled as general, not as the answer."""
    wanted = set(requested)
    specific = [b for b in entry.benefits if wanted & set(b.service_types)]
    if specific or wanted <= GENERAL_SERVICE_TYPES:
        return ServiceTypeAnswer(specific, True, "")
    general = [b for b in entry.benefits if set(b.service_types) & GENERAL_SERVICE_TYPES]
    asked = ", ".join(sorted(wanted))
    return ServiceTypeAnswer(
        general, False, f"General plan coverage; benefits for service type {asked} were not returned."
    )


def carve_out_administrator(entry: EligibilityTransaction) -> Entity | None:
    """The entity named on MH/SUD benefits that carry no amount, percent or limit: the payer
    confirms coverage but another organization administers (and prices) it."""
    mh = [b for b in entry.benefits if MH_SUD_SERVICE_TYPES & set(b.service_types)]
    if not mh or any(
        b.amount is not None or b.percent is not None or b.quantity is not None or b.eb01 in _AMOUNT_INFO
        for b in mh
    ):
        return None
    for benefit in mh:
        for entity in benefit.related_entities:
            if entity.entity_code in _CARVE_OUT_ENTITIES:
                return entity
    return None
