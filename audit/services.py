"""Writing audit events (the only way rows enter the chain) and asking for a verification.

The verifier itself (walk the chain, store the result) is `chain_services.audit_chain_verify`,
which the task runs: services → tasks → chain_services, never back.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.domain.categories import Category
from audit.domain.chain import GENESIS_HASH, ChainRecord, compute_hash
from audit.models import AuditChainHead, AuditEvent
from audit.tasks import audit_chain_verify_task
from core.audit_context import AuditContext as AuditContext
from core.audit_context import normalized_ip as normalized_ip
from core.tasks import enqueue_on_commit


def audit_event_record(
    *,
    context: AuditContext,
    action: str,
    category: str,
    practice_id: int | None,
    patient_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    outcome: str = AuditEvent.Outcome.ALLOWED,
    detail: str = "",
) -> AuditEvent:
    """Append one event to the chain. Joins the caller's transaction when there is one.

    The chain head row is locked for the append so that concurrent writers get
    consecutive `seq` values and correct `prev_hash` links. Values are cut to their column
    sizes (and the IP normalized) *before* hashing, so the stored row hashes the same.
    """
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            singleton=True, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        record = ChainRecord(
            seq=head.last_seq + 1,
            occurred_at=timezone.now(),
            actor_id=context.actor_id,
            actor_username=context.actor_username[:150],
            practice_id=practice_id,
            patient_id=patient_id,
            action=str(action),
            category=str(category),
            object_type=object_type[:40],
            object_id=str(object_id)[:40],
            outcome=str(outcome),
            detail=detail[:200],
            ip_address=normalized_ip(context.ip_address),
            request_path=context.request_path[:300],
            prev_hash=head.last_hash,
        )
        digest = compute_hash(record)
        event = AuditEvent.objects.create(
            seq=record.seq,
            occurred_at=record.occurred_at,
            actor_id=record.actor_id,
            actor_username=record.actor_username,
            practice_id=record.practice_id,
            patient_id=record.patient_id,
            action=record.action,
            category=record.category,
            object_type=record.object_type,
            object_id=record.object_id,
            outcome=record.outcome,
            detail=record.detail,
            ip_address=record.ip_address,
            request_path=record.request_path,
            prev_hash=record.prev_hash,
            hash=digest,
        )
        head.last_seq = record.seq
        head.last_hash = digest
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def audit_chain_verify_request(*, context: AuditContext, practice_id: int) -> None:
    """Someone asked for a verification now: record that, and queue the verifier on commit."""
    with transaction.atomic(durable=True):
        audit_event_record(
            context=context,
            action=AuditEvent.Action.VERIFY,
            category=Category.AUDIT_LOG,
            practice_id=practice_id,
            object_type="audit_chain",
        )
        enqueue_on_commit(audit_chain_verify_task)
