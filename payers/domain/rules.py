"""Payer and enrolment rules (pure: values in, Problems out). A payer's billing rules, versioned by
effective date, live in payer_rules.domain.policy."""

from __future__ import annotations

import re

from core.domain.problems import Problem
from payers.domain.types import EnrollmentDetails, PayerDetails
from practice.domain.addresses import phone_problems, postal_address_problems, required_text_problems

SELF_PAY = "self_pay"
PAYER_KINDS = frozenset({"commercial", "medicaid", "medicare", SELF_PAY, "other"})
# X12 SBR09 claim filing indicator codes we use (labels live on the model's choices).
CLAIM_FILING_INDICATORS = frozenset({"CI", "BL", "MB", "MC", "HM", "12", "13", "14", "CH", "VA", "WC", "ZZ"})
ENROLLMENT_STATUSES = frozenset({"not_started", "pending", "enrolled", "denied", "terminated"})
ENROLLED = "enrolled"

# Electronic payer IDs are 2 to 10 letters or digits (clearinghouse lists, e.g. 60054, BCBSIL).
_PAYER_ID_RE = re.compile(r"^[A-Za-z0-9]{2,10}$")
MAX_DAYS = 3 * 365


def payer_id_problems(payer_id: str, *, kind: str, field: str = "payer_id") -> list[Problem]:
    value = payer_id.strip()
    if not value:
        if kind == SELF_PAY:
            return []
        return [
            Problem("payer_id_missing", "An electronic payer ID is required (except for self-pay).", field)
        ]
    if not _PAYER_ID_RE.match(value):
        return [Problem("payer_id_format", "A payer ID is 2 to 10 letters or digits.", field)]
    return []


def _days_problems(days: int, *, field: str, label: str) -> list[Problem]:
    if days < 1 or days > MAX_DAYS:
        return [Problem(f"{field}_range", f"{label} must be between 1 and {MAX_DAYS} days.", field)]
    return []


def payer_details_normalized(d: PayerDetails) -> PayerDetails:
    return PayerDetails(
        name=d.name.strip(),
        kind=d.kind.strip(),
        payer_id=d.payer_id.strip().upper(),
        claim_filing_indicator=d.claim_filing_indicator.strip().upper(),
        address_line1=d.address_line1.strip(),
        address_line2=d.address_line2.strip(),
        city=d.city.strip(),
        state=d.state.strip().upper(),
        postal_code=d.postal_code.strip(),
        phone=d.phone.strip(),
        timely_filing_days=d.timely_filing_days,
        appeal_window_days=d.appeal_window_days,
    )


def payer_problems(details: PayerDetails) -> list[Problem]:
    problems = required_text_problems(details.name, field="name", label="A name")
    if details.kind not in PAYER_KINDS:
        problems.append(Problem("kind_unknown", "Choose a payer kind from the list.", "kind"))
    problems += payer_id_problems(details.payer_id, kind=details.kind)
    if details.claim_filing_indicator not in CLAIM_FILING_INDICATORS:
        problems.append(
            Problem(
                "claim_filing_indicator_unknown", "Choose a claim filing indicator.", "claim_filing_indicator"
            )
        )
    address_given = any(
        v.strip() for v in (details.address_line1, details.city, details.state, details.postal_code)
    )
    if address_given:  # optional, but complete when given; payers often use PO boxes
        problems += postal_address_problems(
            line1=details.address_line1,
            city=details.city,
            state=details.state,
            postal_code=details.postal_code,
            street_only=False,
        )
    problems += phone_problems(details.phone)
    problems += _days_problems(details.timely_filing_days, field="timely_filing_days", label="Timely filing")
    problems += _days_problems(
        details.appeal_window_days, field="appeal_window_days", label="The appeal window"
    )
    return problems


def enrollment_problems(details: EnrollmentDetails, *, payer_kind: str) -> list[Problem]:
    problems: list[Problem] = []
    if payer_kind == SELF_PAY:
        problems.append(Problem("enrollment_self_pay", "Providers are not enrolled with self-pay.", "payer"))
    if details.status not in ENROLLMENT_STATUSES:
        problems.append(Problem("status_unknown", "Choose an enrolment status from the list.", "status"))
    if details.status == ENROLLED and details.effective_on is None:
        problems.append(
            Problem("effective_on_missing", "An enrolled provider needs an effective date.", "effective_on")
        )
    if (
        details.effective_on is not None
        and details.ends_on is not None
        and details.ends_on < details.effective_on
    ):
        problems.append(
            Problem("enrollment_dates_order", "The end date cannot be before the effective date.", "ends_on")
        )
    return problems
