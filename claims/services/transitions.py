"""Moving a claim through its states (claims.domain.claim_status), one conditional UPDATE at a
time, and reopening a claim the payer has as a new version.

* `claim_transition(claim_id, to, *, actor, reason, expected_from=None)`: `UPDATE ... SET
  status = to WHERE pk = id AND status = expected` and its `ClaimEvent` in one transaction. The
  allowed moves come from the state machine; a move that lost a race (the status changed since
  the caller read it) is a `Conflict`, never a silent overwrite.
* `claim_new_version_draft(claim_id, *, actor, reason, frequency)`: nothing is deleted or edited
  in place once the payer has the claim: a new claim (version + 1, `replaces` = this one,
  `original` = the first, a new patient control number, lines copied with new line control
  numbers) is created as an unscrubbed draft, carrying the payer's claim number for REF*F8.
  The claims screens' correction is `claims.services.corrections.claim_replace`, which does more
  (see docs/decisions/0053).

`actor` is the signed-in user's `PracticeAccess`, or None for the system (workers reading
acknowledgements and remittances); events name the system as "system:claims".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.domain.claim_status import ClaimStatus, needs_new_version, transition_problems
from claims.models import Claim, ClaimEvent, ClaimFrequency
from claims.services.claim_copies import copy_claim, require_payer_takes_new_version
from claims.services.common import SYSTEM_LABEL as SYSTEM_LABEL
from claims.services.common import claim_event as claim_event
from claims.services.common import claim_event_row as claim_event_row
from claims.services.common import raise_problems, require_edit
from core.errors import Conflict, NotFound, ValidationFailed


def claim_transition(
    claim_id: int,
    to: str,
    *,
    actor: PracticeAccess | None,
    reason: str = "",
    expected_from: str | None = None,
    practice_id: int | None = None,
    at: datetime | None = None,
    data: dict[str, Any] | None = None,
) -> Claim:
    """Move the claim to `to` if the state machine allows it from its current status (or from
    `expected_from`, when the caller decided on a status it read earlier). A user's move is
    checked against their practice and capability."""
    if actor is not None:
        require_edit(actor, object_id=claim_id)
        practice_id = actor.practice_id
    now = at or timezone.now()
    with transaction.atomic():
        rows = Claim.objects.filter(pk=claim_id)
        if practice_id is not None:
            rows = rows.filter(practice_id=practice_id)
        found = rows.values_list("status", "patient_id").first()
        if found is None:
            raise NotFound()
        current, patient_id = found
        source = expected_from if expected_from is not None else current
        if expected_from is not None and current != expected_from:
            raise Conflict(
                f"The claim is {current.replace('_', ' ')} now, not {expected_from.replace('_', ' ')}: "
                "someone else changed it. Reload it.",
                code="claim_conflict",
            )
        problems = transition_problems(source, to)
        if problems:
            raise_problems(problems, message=problems[0].message)
        fields: dict[str, Any] = {"status": to, "status_changed_at": now, "updated_at": now}
        if to == ClaimStatus.SUBMITTED:
            fields["submitted_at"] = now
        updated = rows.filter(status=source).update(**fields)
        if updated != 1:  # another transaction moved it between our read and our update
            raise Conflict("The claim changed while it was being updated; reload it.", code="claim_conflict")
        claim_event(
            claim_id,
            kind=ClaimEvent.Kind.TRANSITION,
            actor=actor,
            at=now,
            from_status=source,
            to_status=to,
            reason=reason,
            data=data,
        ).save()
        if actor is not None:
            audit_event_record(
                context=actor.audit,
                action=AuditEvent.Action.UPDATE,
                category=Category.BILLING,
                practice_id=actor.practice_id,
                patient_id=patient_id,
                object_type="claim",
                object_id=claim_id,
                detail=f"status={source}->{to}",
            )
        return Claim.objects.get(pk=claim_id)


def claim_new_version_draft(
    claim_id: int,
    *,
    actor: PracticeAccess | None,
    reason: str,
    frequency: str = ClaimFrequency.REPLACEMENT,
    practice_id: int | None = None,
) -> Claim:
    """A new version of a claim the payer has (frequency 7 replacement or 8 void), as a draft
    with the same lines. The old claim is untouched here: it is closed (or voided) when the new
    version is accepted. Refused when the claim's own payer claim number is empty (pitfall C7).

    Unlike `corrections.claim_replace` / `claim_void` (the claims screens), it leaves the new
    version an unscrubbed draft (to be corrected, then scrubbed, on the claims screens), always
    carries every line (a payer's partial replacements are not offered), takes the payer claim
    number only from the claim itself (not from an
    adjudication or 277CA), writes no audit row for the new claim, and does not refuse a void as
    the source. Denials' "correct and resubmit" uses it (docs/decisions/0053)."""
    if actor is not None:
        require_edit(actor, object_id=claim_id)
        practice_id = actor.practice_id
    if not reason.strip():
        raise ValidationFailed("Say why the claim is corrected.", field_errors={"reason": ["Required."]})
    if frequency not in {ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID}:
        raise ValidationFailed("A new version is a replacement (7) or a void (8).")
    now = timezone.now()
    with transaction.atomic():
        rows = Claim.objects.select_for_update(of=("self",)).select_related("payer").filter(pk=claim_id)
        if practice_id is not None:
            rows = rows.filter(practice_id=practice_id)
        old = rows.first()
        if old is None:
            raise NotFound()
        if not needs_new_version(old.status):
            raise Conflict(
                f"The claim is {old.status.replace('_', ' ')}: the payer does not have it yet, so it is "
                "fixed in place, not replaced.",
                code="claim_not_with_payer",
            )
        if Claim.objects.filter(replaces_id=old.pk).exclude(status=ClaimStatus.VOIDED).exists():
            raise Conflict("This claim already has a newer version.", code="claim_has_new_version")
        require_payer_takes_new_version(old, frequency)  # C7: e.g. Medicare takes none electronically
        if not old.payer_claim_number.strip():
            raise ValidationFailed(
                "The payer's claim number is not known yet (it comes with the 277CA or the 835): "
                "a replacement or void cannot be sent without it."
            )
        new = copy_claim(
            old,
            lines=list(old.lines.order_by("line_number")),
            at=now,
            actor=actor,
            frequency=frequency,
            version=old.version + 1,
            replaces=old,
            original_id=old.original_id or old.pk,
            payer_claim_number=old.payer_claim_number,
            date_from=old.date_from,
            date_to=old.date_to,
            total_cents=old.total_cents,
        )
        pcn = new.patient_control_number
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
                ),
                claim_event(
                    old.pk,
                    kind=ClaimEvent.Kind.NEW_VERSION,
                    actor=actor,
                    at=now,
                    reason=reason,
                    detail=f"new_version={pcn}",
                    data={"claim_id": new.pk},
                ),
            ]
        )
    return new
