"""Corrections of a claim the payer already has: a replacement (frequency 7) or a void (8), each
a new version (`replaces` = the claim, `original` = the first, a new patient control number)
carrying the payer's claim control number as REF*F8 (pitfall C7).

* `claim_replace(claim_id, *, actor, reason, line_numbers=None, line_changes=None)`: the new
  version carries EVERY line of the claim it replaces (C17: a payer reads a missing line as
  withdrawn and takes its payment back) unless the payer's rules say it takes replacements of
  only the corrected lines; `line_changes` corrects a line's code, modifiers, units or
  diagnosis pointers. Re-scrubbed: ready when clean, else a draft with the findings.
* `claim_void(claim_id, *, actor, reason)`: a frequency-8 claim with the original lines.

Refused, with the reason in words: the payer does not have the claim yet (it is fixed in place
and resubmitted as an original), the payer's claim number is unknown (no 277CA or 835 gave it),
the payer takes no replacements/voids electronically (Medicare by default), a newer version
exists. The old claim is left as the payer has it (a late remittance or reversal still posts to
it); `claim_version_accepted` closes it (replacement) or voids it (void) once the payer has
accepted the new version (its payer 277CA or its adjudication).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from claims.domain.claim_status import PAYER_HAS_IT, ClaimStatus, needs_new_version, transition_problems
from claims.domain.cob import replacement_line_problems
from claims.models import Claim, ClaimEvent, ClaimFrequency, ClaimLine
from claims.selectors.cob import payer_claim_number
from claims.services.claim_copies import (
    audit_claim_change,
    claim_scrub_and_ready,
    copy_claim,
    require_payer_takes_new_version,
)
from claims.services.common import raise_problems, require_edit
from claims.services.transitions import claim_event, claim_transition
from core.errors import Conflict, NotFound, ValidationFailed
from payer_rules.domain.policy import ReplacementLines

PAYER_ACCEPTED = PAYER_HAS_IT - {ClaimStatus.CLOSED}


@dataclass(frozen=True, slots=True)
class LineChange:
    """A correction to one line of a replacement (None: unchanged)."""

    code: str | None = None
    modifiers: tuple[str, ...] | None = None
    units: int | None = None
    diagnosis_pointers: tuple[int, ...] | None = None


def claim_replace(
    claim_id: int,
    *,
    actor: PracticeAccess | None,
    reason: str,
    line_numbers: Sequence[int] | None = None,
    line_changes: Mapping[int, LineChange] | None = None,
    practice_id: int | None = None,
) -> Claim:
    """A replacement (frequency 7) of a claim the payer has; see the module docstring. (Denials'
    "correct and resubmit" makes an unscrubbed draft with `transitions.claim_new_version_draft`
    instead: docs/decisions/0053.)"""
    return _new_version(
        claim_id,
        frequency=ClaimFrequency.REPLACEMENT,
        actor=actor,
        reason=reason,
        line_numbers=line_numbers,
        line_changes=line_changes or {},
        practice_id=practice_id,
    )


def claim_void(
    claim_id: int, *, actor: PracticeAccess | None, reason: str, practice_id: int | None = None
) -> Claim:
    """A void (frequency 8) of a claim the payer has, carrying its lines and REF*F8."""
    return _new_version(
        claim_id,
        frequency=ClaimFrequency.VOID,
        actor=actor,
        reason=reason,
        line_numbers=None,
        line_changes={},
        practice_id=practice_id,
    )


def _apply(line: ClaimLine, change: LineChange | None) -> ClaimLine:
    if change is None:
        return line
    if change.code is not None:
        line.code = change.code.strip().upper()
    if change.modifiers is not None:
        line.modifiers = [m.strip().upper() for m in change.modifiers if m.strip()]
    if change.units is not None:
        line.units = change.units
    if change.diagnosis_pointers is not None:
        line.diagnosis_pointers = list(change.diagnosis_pointers)
    return line


def _new_version(
    claim_id: int,
    *,
    frequency: str,
    actor: PracticeAccess | None,
    reason: str,
    line_numbers: Sequence[int] | None,
    line_changes: Mapping[int, LineChange],
    practice_id: int | None,
) -> Claim:
    if actor is not None:
        require_edit(actor, object_id=claim_id)
        practice_id = actor.practice_id
    words = "replacement" if frequency == ClaimFrequency.REPLACEMENT else "void"
    if not reason.strip():
        raise ValidationFailed(
            f"Say why the claim is {'corrected' if words == 'replacement' else 'voided'}.",
            field_errors={"reason": ["Required."]},
        )
    now = timezone.now()
    with transaction.atomic():
        rows = Claim.objects.select_for_update(of=("self",)).select_related("payer").filter(pk=claim_id)
        if practice_id is not None:
            rows = rows.filter(practice_id=practice_id)
        old = rows.first()
        if old is None:
            raise NotFound()
        if old.frequency == ClaimFrequency.VOID:
            raise Conflict("This claim is a void: nothing replaces or voids it.", code="claim_is_void")
        if not needs_new_version(old.status):
            raise Conflict(
                f"The claim is {old.get_status_display().lower()}: the payer does not have it, so it is "
                "fixed in place and sent again as an original, not as a "
                f"{words}.",
                code="claim_not_with_payer",
            )
        newer = Claim.objects.filter(replaces_id=old.pk).exclude(status=ClaimStatus.VOIDED).first()
        if newer is not None:
            raise Conflict(
                f"This claim already has a newer version ({newer.patient_control_number}); correct that one.",
                code="claim_has_new_version",
            )
        rules = require_payer_takes_new_version(old, frequency)
        number = payer_claim_number(old)
        if not number:
            raise ValidationFailed(
                "The payer's claim number is not known yet (the payer's 277CA or the 835 gives it): "
                f"a {words} cannot be sent without it (REF*F8).",
                code="payer_claim_number_missing",
            )
        lines = list(old.lines.order_by("line_number"))
        all_numbers = [line.line_number for line in lines]
        partial = rules is not None and rules.replacement_lines == ReplacementLines.CHANGED
        line_problems = replacement_line_problems(all_numbers, line_numbers, partial_allowed=partial)
        if line_problems:
            raise_problems(line_problems, message=line_problems[0].message)
        unknown = sorted(set(line_changes) - set(all_numbers))
        if unknown:
            raise ValidationFailed(
                f"Line {unknown[0]} is not on this claim.", field_errors={"lines": ["Unknown line."]}
            )
        chosen = [line for line in lines if line_numbers is None or line.line_number in set(line_numbers)]
        chosen = [_apply(line, line_changes.get(line.line_number)) for line in chosen]
        new = copy_claim(
            old,
            lines=chosen,
            at=now,
            actor=actor,
            frequency=frequency,
            version=old.version + 1,
            replaces=old,
            original_id=old.original_id or old.pk,
            payer_claim_number=number,
        )
        ClaimEvent.objects.bulk_create(
            [
                claim_event(
                    new.pk,
                    kind=ClaimEvent.Kind.CREATED,
                    actor=actor,
                    at=now,
                    to_status=ClaimStatus.DRAFT,
                    reason=reason,
                    detail=f"version={new.version};frequency={frequency};replaces={old.patient_control_number}",
                    data={"replaces": old.pk, "lines": [line.line_number for line in chosen]},
                ),
                claim_event(
                    old.pk,
                    kind=ClaimEvent.Kind.NEW_VERSION,
                    actor=actor,
                    at=now,
                    reason=reason,
                    detail=f"{words}={new.patient_control_number}",
                    data={"claim_id": new.pk, "frequency": frequency},
                ),
            ]
        )
        audit_claim_change(actor, new, detail=f"{words};replaces={old.pk}")
        return claim_scrub_and_ready(new, actor=actor, at=now)


def claim_version_accepted(claim_id: int) -> str:
    """Once the payer accepted a replacement (frequency 7) or a void (8) — its 277CA, or its
    adjudication — the claim it replaces is `closed` (replacement) or `voided` (void), with an
    event. Idempotent; returns what happened ("closed", "voided", "unchanged")."""
    new = Claim.objects.filter(pk=claim_id).only("pk", "frequency", "status", "replaces_id").first()
    if new is None or new.replaces_id is None or new.frequency == ClaimFrequency.ORIGINAL:
        return "unchanged"
    if new.status not in PAYER_ACCEPTED:
        return "unchanged"
    old = Claim.objects.filter(pk=new.replaces_id).only("pk", "status").first()
    target = ClaimStatus.VOIDED if new.frequency == ClaimFrequency.VOID else ClaimStatus.CLOSED
    if old is None or old.status == target or transition_problems(old.status, target):
        return "unchanged"
    claim_transition(
        old.pk,
        target,
        actor=None,
        reason=f"The payer accepted the {'void' if target == ClaimStatus.VOIDED else 'replacement'} "
        f"(claim {claim_id}).",
        expected_from=old.status,
        data={"by_claim": claim_id},
    )
    return str(target)
