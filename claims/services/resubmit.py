"""Fix and resubmit a rejected claim (pitfalls K4, K5).

A rejection means no payer adjudicated the claim, so the fix is a correction and a fresh
submission, never an appeal, and the claim is fixed in place (claims.domain.claim_status: the
same version, frequency 1, its patient control number kept; the payer has nothing to replace).
`claim_resubmit` takes the fixes the biller made where the data lives (the charges' codes,
units, modifiers and fees; the coverage's member ID; the provider's NPI, read fresh by the 837
mapping), re-scrubs the claim, and moves it rejected → ready (no errors: it can go in the next
batch) or rejected → draft with its findings (still something to fix).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.models import Charge, Claim, ClaimEvent, ClaimLine, ClaimStatus
from claims.selectors.x837 import claims_for_837
from claims.services.assembly import _enrollments, _reported_provider_id, claim_scrub_problems
from claims.services.common import require_edit
from claims.services.transitions import claim_event
from core.domain.problems import Severity, problem_as_dict
from core.errors import Conflict, NotFound


def _refresh_lines(claim: Claim) -> int:
    """Copy the charges' current code, modifiers, units, fee and authorization onto the claim's
    lines (the biller fixed the charge). Returns how many lines changed."""
    lines = list(ClaimLine.objects.filter(claim=claim).order_by("line_number"))
    charges = Charge.objects.in_bulk([line.charge_id for line in lines if line.charge_id])
    changed = []
    for line in lines:
        charge = charges.get(line.charge_id) if line.charge_id else None
        if charge is None or charge.units < 1:
            continue
        fresh = (charge.code, list(charge.modifiers), charge.units, charge.fee_cents, charge.auth_number)
        if fresh != (line.code, list(line.modifiers), line.units, line.charge_cents, line.prior_auth_number):
            line.code, line.modifiers, line.units, line.charge_cents, line.prior_auth_number = fresh
            changed.append(line)
    if changed:
        ClaimLine.objects.bulk_update(
            changed, ["code", "modifiers", "units", "charge_cents", "prior_auth_number"]
        )
        claim.total_cents = sum(line.charge_cents for line in lines)
        Claim.objects.filter(pk=claim.pk).update(total_cents=claim.total_cents)
    return len(changed)


def claim_resubmit(*, claim_id: int, actor: PracticeAccess) -> Claim:
    """Re-scrub a rejected claim after its fix: ready (to go in the next batch) or draft with the
    findings still to fix. Refused for a claim that is not rejected."""
    require_edit(actor, object_id=claim_id)
    now = timezone.now()
    with transaction.atomic():
        locked = Claim.objects.select_for_update().filter(pk=claim_id, practice_id=actor.practice_id).first()
        if locked is None:
            raise NotFound()
        if locked.status != ClaimStatus.REJECTED:
            raise Conflict(
                f"Only a rejected claim is fixed and resubmitted; this one is {locked.get_status_display().lower()}.",
                code="claim_not_rejected",
            )
        changed = _refresh_lines(locked)
        (claim,) = claims_for_837([claim_id])
        problems = claim_scrub_problems(
            claim,
            enrollment=_enrollments([claim]).get((_reported_provider_id(claim), claim.payer_id)),
        )
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        target = ClaimStatus.DRAFT if errors else ClaimStatus.READY
        Claim.objects.filter(pk=claim_id, status=ClaimStatus.REJECTED).update(
            findings=[problem_as_dict(p) for p in problems],
            error_count=errors,
            warning_count=len(problems) - errors,
            scrubbed_at=now,
            status=target,
            status_changed_at=now,
            updated_at=now,
        )
        ClaimEvent.objects.bulk_create(
            [
                claim_event(
                    claim_id,
                    kind=ClaimEvent.Kind.SCRUBBED,
                    actor=actor,
                    at=now,
                    detail=f"errors={errors};warnings={len(problems) - errors};lines_refreshed={changed}",
                ),
                claim_event(
                    claim_id,
                    kind=ClaimEvent.Kind.TRANSITION,
                    actor=actor,
                    at=now,
                    from_status=ClaimStatus.REJECTED,
                    to_status=target,
                    reason=(
                        "Fixed after the rejection; ready to resubmit as an original claim."
                        if not errors
                        else f"Resubmission checked: {errors} error(s) still to fix."
                    ),
                ),
            ]
        )
        audit_event_record(
            context=actor.audit,
            action=AuditEvent.Action.UPDATE,
            category=Category.BILLING,
            practice_id=actor.practice_id,
            patient_id=claim.patient_id,
            object_type="claim",
            object_id=claim_id,
            detail=f"resubmit -> {target}",
        )
    return Claim.objects.get(pk=claim_id)
