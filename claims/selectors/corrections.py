"""What the claim screen offers for corrections and the next payer, and why not (read only):
"Correct and resubmit (replacement)", "Void", "Create secondary/tertiary", and a crossover
("Crossed over to <payer>") instead of the secondary button (R15).

`claim_corrections_panel(access=..., claim_id=..., audit=True)` is practice-scoped, needs
BILLING_VIEW and records the read (the claim's lines are PHI) unless the including screen has
recorded it already (audit=False).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.domain.claim_status import needs_new_version
from claims.domain.cob import NEXT_RESPONSIBILITY, RESPONSIBILITY_WORDS, replacements_allowed
from claims.models import Claim, ClaimFrequency, ClaimStatus
from claims.selectors.cob import (
    claim_crossover,
    correction_terms,
    effective_adjudication,
    next_coverage,
    next_payer_claim,
    payer_claim_number,
)
from core.errors import NotFound, PermissionDenied
from payer_rules.domain.policy import ReplacementLines

OBJECT_TYPE = "claim"
ADJUDICATED = {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED}


@dataclass(frozen=True, slots=True)
class PanelLine:
    line_number: int
    code: str
    modifiers: str
    units: int
    charge_cents: int


@dataclass(frozen=True, slots=True)
class Action:
    allowed: bool
    why_not: str = ""


@dataclass(frozen=True, slots=True)
class CorrectionsPanel:
    claim_id: int
    patient_control_number: str
    can_edit: bool
    replace: Action
    void: Action
    next_payer: Action
    next_payer_words: str  # "secondary" / "tertiary" / ""
    partial_replacement: bool  # the payer takes a replacement of only the corrected lines
    crossover: str  # "Crossed over to <payer>" (R15) or ""
    newer_version: tuple[int, str] | None  # (claim id, PCN)
    next_payer_claim: tuple[int, str] | None
    lines: list[PanelLine] = field(default_factory=list)


def _denied(access: PracticeAccess, claim_id: int) -> None:
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=OBJECT_TYPE,
        object_id=claim_id,
        outcome=AuditEvent.Outcome.DENIED,
        detail="reason=capability",
    )


def claim_corrections_panel(*, access: PracticeAccess, claim_id: int, audit: bool = True) -> CorrectionsPanel:
    if not access.can(Capability.BILLING_VIEW):
        _denied(access, claim_id)
        raise PermissionDenied()
    claim = Claim.objects.select_related("payer").filter(pk=claim_id, practice_id=access.practice_id).first()
    if claim is None:
        raise NotFound()
    if audit:
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.VIEW,
            category=Category.BILLING,
            practice_id=access.practice_id,
            patient_id=claim.patient_id,
            object_type=OBJECT_TYPE,
            object_id=claim.pk,
            detail="corrections",
        )
    terms = correction_terms([claim.payer_id], claim.date_from).get(claim.payer_id)
    rules = terms.rules if terms is not None else None
    newer = Claim.objects.filter(replaces_id=claim.pk).exclude(status=ClaimStatus.VOIDED).first()
    with_payer = needs_new_version(claim.status) and claim.frequency != ClaimFrequency.VOID
    has_number = bool(payer_claim_number(claim)) if with_payer else False

    def correction(words: str, setting: bool | None) -> Action:
        if claim.frequency == ClaimFrequency.VOID:
            return Action(False, "This claim is a void.")
        if not needs_new_version(claim.status):
            return Action(
                False, "The payer does not have this claim: fix it and send it again as an original."
            )
        if newer is not None:
            return Action(False, f"A newer version exists ({newer.patient_control_number}).")
        if not replacements_allowed(setting, claim.payer.kind):
            return Action(False, f"{claim.payer.name} does not take {words} claims electronically.")
        if not has_number:
            return Action(False, "The payer's claim number is not known yet (277CA or 835).")
        return Action(True)

    wanted = NEXT_RESPONSIBILITY.get(claim.responsibility, "")
    crossed = claim_crossover(claim.pk) if claim.status in ADJUDICATED else None
    existing = next_payer_claim(claim.pk)
    if not wanted:
        next_action = Action(False, "A tertiary claim is the last payer.")
    elif existing is not None:
        next_action = Action(
            False, f"The {RESPONSIBILITY_WORDS[wanted]} claim exists ({existing.patient_control_number})."
        )
    elif claim.status not in ADJUDICATED or effective_adjudication(claim.pk) is None:
        next_action = Action(False, "Waiting for this payer's remittance.")
    elif crossed is not None:
        next_action = Action(False, f"{crossed.label}: wait for that payer's remittance.")
    elif next_coverage(claim) is None:
        next_action = Action(False, f"No {RESPONSIBILITY_WORDS[wanted]} coverage on the dates of service.")
    else:
        next_action = Action(True)
    return CorrectionsPanel(
        claim_id=claim.pk,
        patient_control_number=claim.patient_control_number,
        can_edit=access.can(Capability.BILLING_EDIT),
        replace=correction("replacement", rules.replacements if rules else None),
        void=correction("void", rules.voids if rules else None),
        next_payer=next_action,
        next_payer_words=RESPONSIBILITY_WORDS.get(wanted, ""),
        partial_replacement=rules is not None and rules.replacement_lines == ReplacementLines.CHANGED,
        crossover=crossed.label if crossed is not None else "",
        newer_version=(newer.pk, newer.patient_control_number) if newer is not None else None,
        next_payer_claim=(existing.pk, existing.patient_control_number) if existing is not None else None,
        lines=[
            PanelLine(line.line_number, line.code, " ".join(line.modifiers), line.units, line.charge_cents)
            for line in claim.lines.order_by("line_number")
        ],
    )
