"""Claim batches: queue ready claims, send the 837 exactly once, record the result (pitfall C16).

* `claim_batch_create(practice_id, claim_ids, *, actor)`: the claims must be ready; they become
  queued (an event each) and the batch row and the durable send job commit together
  (`claims.tasks.claim_batch_send_task`, key `claim-batch-send:<id>`).
* `claim_batch_send(batch_id=)` (the job's handler): claims the batch (queued → sending) under
  a row lock, builds the 837 once (control numbers allocated once and stored with the file),
  sends it outside any transaction under its stored file name (the adapter's submit is
  idempotent by name), then records the result (sent; claims queued → submitted). A duplicate
  delivery, a retry, or the relay's resend after a killed worker sends the same file under the
  same name: the clearinghouse has it once. A failed attempt is recorded on the batch; after
  `MAX_SEND_ATTEMPTS` (the job's own limit) the batch needs attention, like its job.

See docs/decisions "batch send and acknowledgement states".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.adapters import ADAPTERS, adapter_is_sandbox, claims_adapter_for, clearinghouse_name, receipt_text
from claims.domain.batches import SendStep, gives_up, send_step
from claims.domain.claim_status import transition_problems
from claims.models import Claim, ClaimBatch, ClaimBatchItem, ClaimBatchStatus, ClaimEvent, ClaimStatus
from claims.services.batch_file import claim_batch_file
from claims.services.common import claim_event
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.jobs import job_enqueue_on_commit
from core.models import BackgroundJob

SEND_TASK = "claims.tasks.claim_batch_send_task"
SYSTEM_LABEL = "system:claims-submission"
MAX_BATCH_CLAIMS = 5000
ERROR_LIMIT = 2000
BATCH_OBJECT_TYPE = "claim_batch"


def send_job_key(batch_id: int) -> str:
    return f"claim-batch-send:{batch_id}"


def claim_events(
    claims: Sequence[tuple[int, str]],
    *,
    to_status: str,
    actor: PracticeAccess | None,
    at: datetime,
    reason: str,
    kind: str = ClaimEvent.Kind.TRANSITION,
    detail: str = "",
    data: dict[str, Any] | None = None,
) -> list[ClaimEvent]:
    """Unsaved transition events for (claim id, from status) pairs."""
    return [
        claim_event(
            claim_id,
            kind=kind,
            actor=actor,
            at=at,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            detail=detail,
            data=data,
            system_label=SYSTEM_LABEL,
        )
        for claim_id, from_status in claims
    ]


def claims_move(
    claim_ids: Sequence[int],
    *,
    from_status: str,
    to_status: str,
    actor: PracticeAccess | None,
    reason: str,
    at: datetime,
    extra: dict[str, Any] | None = None,
) -> int:
    """Move every claim in `claim_ids` that is `from_status` to `to_status` with a conditional
    UPDATE and one event each (inside the caller's transaction). Returns how many moved."""
    problems = transition_problems(from_status, to_status)
    if problems:
        raise Conflict(problems[0].message, code="claim_transition_not_allowed")
    moved = list(
        Claim.objects.filter(pk__in=claim_ids, status=from_status)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not moved:
        return 0
    Claim.objects.filter(pk__in=moved, status=from_status).update(
        status=to_status, status_changed_at=at, **(extra or {})
    )
    ClaimEvent.objects.bulk_create(
        claim_events(
            [(pk, from_status) for pk in moved], to_status=to_status, actor=actor, at=at, reason=reason
        )
    )
    return len(moved)


# -- create ------------------------------------------------------------------------------------


def _require_submit(actor: PracticeAccess | None, practice_id: int) -> None:
    if actor is None:
        return
    if actor.practice_id != practice_id or not actor.can(Capability.BILLING_EDIT):
        audit_event_record(
            context=actor.audit,
            action=AuditEvent.Action.CREATE,
            category=Category.BILLING,
            practice_id=actor.practice_id,
            object_type=BATCH_OBJECT_TYPE,
            outcome=AuditEvent.Outcome.DENIED,
            detail="reason=capability",
        )
        raise PermissionDenied()


def claim_batch_create(
    practice_id: int, claim_ids: Sequence[int], *, actor: PracticeAccess | None
) -> ClaimBatch:
    """Queue the ready claims `claim_ids` as one batch and its send job, in one transaction.

    Every claim must belong to the practice and be ready (scrubbed clean); otherwise nothing is
    written and the error names the claims that are not."""
    _require_submit(actor, practice_id)
    ids = sorted(set(claim_ids))
    if not ids:
        raise ValidationFailed(
            "Choose at least one ready claim.",
            field_errors={"claim_ids": ["Choose at least one ready claim."]},
        )
    if len(ids) > MAX_BATCH_CLAIMS:
        raise ValidationFailed(
            f"A batch holds at most {MAX_BATCH_CLAIMS} claims.",
            field_errors={"claim_ids": [f"At most {MAX_BATCH_CLAIMS} claims."]},
        )
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Claim.objects.select_for_update()
            .filter(practice_id=practice_id, pk__in=ids)
            .values_list("pk", "status", "patient_control_number", "total_cents")
        )
        found = {pk for pk, _, _, _ in rows}
        missing = [pk for pk in ids if pk not in found]
        if missing:
            message = "Some of the chosen claims do not exist in this practice."
            raise ValidationFailed(message, field_errors={"claim_ids": [message]})
        not_ready = [pcn for _, status, pcn, _ in rows if status != ClaimStatus.READY]
        if not_ready:
            message = "Only ready claims can be submitted; not ready: " + ", ".join(sorted(not_ready)[:10])
            raise ValidationFailed(message, field_errors={"claim_ids": [message]}, code="claims_not_ready")
        batch = ClaimBatch.objects.create(
            practice_id=practice_id,
            status=ClaimBatchStatus.QUEUED,
            clearinghouse=clearinghouse_name()[:32],
            claim_count=len(rows),
            total_cents=sum(total for _, _, _, total in rows),
            created_by_id=actor.user_id if actor is not None else None,
        )
        ClaimBatchItem.objects.bulk_create([ClaimBatchItem(batch=batch, claim_id=pk) for pk in ids])
        claims_move(
            ids,
            from_status=ClaimStatus.READY,
            to_status=ClaimStatus.QUEUED,
            actor=actor,
            reason=f"Queued in batch {batch.pk}",
            at=now,
        )
        job_enqueue_on_commit(
            SEND_TASK,
            key=send_job_key(batch.pk),
            label=f"Send claim batch {batch.pk} ({len(ids)} claims)",
            practice_id=practice_id,
            batch_id=batch.pk,
        )
        if actor is not None:
            audit_event_record(
                context=actor.audit,
                action=AuditEvent.Action.CREATE,
                category=Category.BILLING,
                practice_id=practice_id,
                object_type=BATCH_OBJECT_TYPE,
                object_id=batch.pk,
                detail=f"claims={len(ids)}",
            )
    return batch


# -- send ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prepared:
    batch_id: int
    practice_id: int
    file_name: str
    x12: str
    clearinghouse: str


def _prepare(batch_id: int) -> Prepared | None:
    """Claim the batch for this attempt; build and store its file on the first. None: sent."""
    with transaction.atomic():
        batch = ClaimBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None:
            raise NotFound(f"No claim batch {batch_id}.")
        step = send_step(batch.status, has_file=bool(batch.x12))
        if step is SendStep.NOTHING:
            return None
        if step is SendStep.BUILD:  # control numbers allocated and the file stored, once
            batch = claim_batch_file(batch.pk, usage="T" if adapter_is_sandbox(batch.practice_id) else "P")
        batch.status = ClaimBatchStatus.SENDING
        batch.attempts = F("attempts") + 1
        batch.sending_since = timezone.now()
        batch.save(update_fields=["status", "attempts", "sending_since", "updated_at"])
        return Prepared(batch.pk, batch.practice_id, batch.file_name, batch.x12, batch.clearinghouse)


def _record_sent(prepared: Prepared, receipt: Any) -> bool:
    now = timezone.now()
    with transaction.atomic():
        sent = (
            ClaimBatch.objects.filter(pk=prepared.batch_id)
            .exclude(status=ClaimBatchStatus.SENT)
            .update(status=ClaimBatchStatus.SENT, sent_at=now, last_error="", updated_at=now)
        )
        if not sent:
            return False  # a concurrent attempt recorded it
        claim_ids = list(
            ClaimBatchItem.objects.filter(batch_id=prepared.batch_id).values_list("claim_id", flat=True)
        )
        claims_move(
            claim_ids,
            from_status=ClaimStatus.QUEUED,
            to_status=ClaimStatus.SUBMITTED,
            actor=None,
            reason=f"Sent in {prepared.file_name} (receipt {receipt_text(receipt) or 'none'})",
            at=now,
            extra={"submitted_at": now},
        )
    return True


def _record_failure(batch_id: int, error: Exception) -> None:
    attempts = (
        BackgroundJob.objects.filter(key=send_job_key(batch_id)).values_list("attempts", flat=True).first()
    )
    batch_attempts = ClaimBatch.objects.filter(pk=batch_id).values_list("attempts", flat=True).first() or 0
    give_up = gives_up(max(attempts or 0, batch_attempts))
    message = f"{type(error).__name__}: {error}"[:ERROR_LIMIT]
    ClaimBatch.objects.filter(pk=batch_id).exclude(status=ClaimBatchStatus.SENT).update(
        status=ClaimBatchStatus.NEEDS_ATTENTION if give_up else ClaimBatchStatus.SENDING,
        last_error=message,
        updated_at=timezone.now(),
    )


def claim_batch_send(*, batch_id: int) -> str:
    """Send the batch (the durable job's handler): "sent", or "already sent". A failure is
    recorded on the batch and raised, so the job retries it with backoff."""
    try:
        prepared = _prepare(batch_id)
        if prepared is None:
            return "already sent"
        adapter = claims_adapter_for(
            prepared.practice_id, prepared.clearinghouse if prepared.clearinghouse in ADAPTERS else ""
        )
        receipt = adapter.submit_claims(prepared.file_name, prepared.x12)
    except NotFound:
        raise
    except Exception as error:
        _record_failure(batch_id, error)
        raise
    _record_sent(prepared, receipt)
    return "sent"


# -- selectors-like reads used by tasks and screens ------------------------------------------------


def claim_batch_progress(*, practice_id: int, batch_id: int) -> dict[str, Any]:
    """For a progress bar: the batch's status and how many of its claims were sent."""
    batch = ClaimBatch.objects.filter(practice_id=practice_id, pk=batch_id).first()
    if batch is None:
        raise NotFound("No such batch in this practice.")
    sent = batch.claim_count if batch.status == ClaimBatchStatus.SENT else 0
    return {
        "id": batch.pk,
        "status": batch.status,
        "status_label": ClaimBatchStatus(batch.status).label,
        "claims": batch.claim_count,
        "sent": sent,
        "attempts": batch.attempts,
        "last_error": batch.last_error,
        "file_name": batch.file_name,
        "sent_at": batch.sent_at.isoformat() if batch.sent_at else None,
    }
