"""What corrections and secondary claims share: new claim numbers, a copy of a claim with its
lines, events and the audit row, and the scrub of a corrected or secondary claim (the 837's own
check plus the COB edits) that makes it ready or leaves it a draft with findings.

Numbers come from the assembly's database counter (claims.services.numbers), so they never
collide with assembled claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from accounts.access import PracticeAccess
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.domain.claim_assembly import line_control_number, patient_control_number
from claims.domain.claim_status import ClaimStatus
from claims.domain.cob import replacements_allowed
from claims.models import Claim, ClaimEvent, ClaimFrequency, ClaimLine
from claims.selectors.cob import correction_terms
from claims.selectors.x837 import claims_837_with_cob
from claims.services.common import claim_event
from claims.services.numbers import claim_numbers
from core.domain.problems import Problem, Severity, problem_as_dict
from core.errors import ValidationFailed
from edi import x837p
from edi.reader import DEFAULT_DELIMITERS
from payer_rules.domain.policy import CorrectionRules

CLAIM_OBJECT_TYPE = "claim"


def next_patient_control_number(practice_id: int) -> str:
    (number,) = claim_numbers(practice_id, 1)
    return patient_control_number(number)


def audit_claim_change(access: PracticeAccess | None, claim: Claim, *, detail: str) -> None:
    if access is None:
        return
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.CREATE,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=claim.patient_id,
        object_type=CLAIM_OBJECT_TYPE,
        object_id=claim.pk,
        detail=detail[:200],
    )


def require_payer_takes_new_version(old: Claim, frequency: str) -> CorrectionRules | None:
    """The payer's correction rules for `old` (None: none set), refused when the payer does not
    take a replacement (7) or void (8) electronically (pitfall C7: Medicare by default). `old`
    has its payer loaded."""
    words = "replacement" if frequency == ClaimFrequency.REPLACEMENT else "void"
    terms = correction_terms([old.payer_id], old.date_from).get(old.payer_id)
    rules = terms.rules if terms is not None else None
    setting = None if rules is None else (rules.replacements if words == "replacement" else rules.voids)
    if not replacements_allowed(setting, old.payer.kind):
        raise ValidationFailed(
            f"{old.payer.name} does not take {words} claims electronically (frequency "
            f"{frequency}). Ask the payer for a reopening or a corrected paper claim.",
            code="payer_refuses_corrections",
        )
    return rules


def copy_claim(
    source: Claim,
    *,
    lines: Sequence[ClaimLine],
    at: datetime,
    actor: PracticeAccess | None,
    **fields: Any,
) -> Claim:
    """A new draft claim like `source` (with `fields` changed) and copies of `lines` (their line
    numbers kept, so an earlier payer's line decisions map onto them) with new line control
    numbers."""
    pcn = next_patient_control_number(source.practice_id)
    values: dict[str, Any] = {
        "practice_id": source.practice_id,
        "patient_id": source.patient_id,
        "payer_id": source.payer_id,
        "coverage_id": source.coverage_id,
        "responsibility": source.responsibility,
        "frequency": source.frequency,
        "version": 1,
        "replaces": None,
        "original": None,
        "primary_claim_id": source.primary_claim_id,
        "patient_control_number": pcn,
        "status": ClaimStatus.DRAFT,
        "status_changed_at": at,
        "rendering_provider_id": source.rendering_provider_id,
        "supervising_provider_id": source.supervising_provider_id,
        "supervisor_billing": source.supervisor_billing,
        "place_of_service": source.place_of_service,
        "date_from": min((line.service_date for line in lines), default=source.date_from),
        "date_to": max((line.service_date for line in lines), default=source.date_to),
        "total_cents": sum(line.charge_cents for line in lines),
        "diagnoses": list(source.diagnoses),
        "prior_auth_number": source.prior_auth_number,
        "payer_claim_number": "",
        "timely_filing_deadline": source.timely_filing_deadline,
        "created_by_id": actor.user_id if actor is not None else None,
    }
    values.update(fields)
    claim = Claim.objects.create(**values)
    ClaimLine.objects.bulk_create(
        ClaimLine(
            claim=claim,
            line_number=line.line_number,
            charge_id=line.charge_id,
            code=line.code,
            modifiers=list(line.modifiers),
            units=line.units,
            charge_cents=line.charge_cents,
            place_of_service=line.place_of_service,
            diagnosis_pointers=list(line.diagnosis_pointers),
            service_date=line.service_date,
            prior_auth_number=line.prior_auth_number,
            line_control_number=line_control_number(source.practice_id, pcn, line.line_number),
        )
        for line in lines
    )
    return claim


def claim_problems_837(claim_id: int) -> list[Problem]:
    """What stops the claim's 837: the builder's own check (the first field it cannot carry)
    and the COB edits for a secondary/tertiary claim."""
    (found,) = claims_837_with_cob([claim_id])
    problems = list(found.cob_problems)
    try:
        x837p.validate_claim(found.x837, DEFAULT_DELIMITERS)
    except x837p.ClaimDataError as error:
        problems.append(Problem(code="claim_837_invalid", message=str(error), field=error.field))
    return problems


def claim_scrub_and_ready(claim: Claim, *, actor: PracticeAccess | None, at: datetime) -> Claim:
    """Scrub a new draft: no errors -> ready; else it stays a draft with the findings."""
    problems = claim_problems_837(claim.pk)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    status = ClaimStatus.DRAFT if errors else ClaimStatus.READY
    Claim.objects.filter(pk=claim.pk).update(
        findings=[problem_as_dict(p) for p in problems],
        error_count=len(errors),
        warning_count=len(problems) - len(errors),
        scrubbed_at=at,
        status=status,
        status_changed_at=at,
        updated_at=at,
    )
    events = [
        claim_event(
            claim.pk,
            kind=ClaimEvent.Kind.SCRUBBED,
            actor=actor,
            at=at,
            detail=f"errors={len(errors)};warnings={len(problems) - len(errors)}",
        )
    ]
    if status == ClaimStatus.READY:
        events.append(
            claim_event(
                claim.pk,
                kind=ClaimEvent.Kind.TRANSITION,
                actor=actor,
                at=at,
                from_status=ClaimStatus.DRAFT,
                to_status=ClaimStatus.READY,
                reason="Scrubbed clean.",
            )
        )
    ClaimEvent.objects.bulk_create(events)
    claim.refresh_from_db()
    return claim
