"""Writing audit events (the only way rows enter the chain) and verifying the chain."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from audit import chain_selectors
from audit.domain.categories import Category
from audit.domain.chain import GENESIS_HASH, ChainRecord, compute_hash, verify_chain
from audit.models import AuditChainHead, AuditEvent, AuditVerification
from core.audit_context import AuditContext as AuditContext
from core.audit_context import normalized_ip as normalized_ip
from core.tasks import enqueue_named_on_commit

# Queued by name: the task module imports this one (tasks sit above services).
CHAIN_VERIFY_TASK = "audit.tasks.audit_chain_verify_task"

# A verification stores at most this many findings (plus one line saying how many more).
MAX_STORED_FINDINGS = 200


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


def audit_chain_verify() -> AuditVerification:
    """Walk the whole chain against its head and store the result as an AuditVerification.

    On PostgreSQL the walk runs in one REPEATABLE READ snapshot, so events appended while it
    runs are neither half-seen nor mistaken for rows beyond the head. The rows are streamed
    (server-side cursor), so memory does not grow with the chain.
    """
    ran_at = timezone.now()
    already_in_transaction = connection.in_atomic_block
    with transaction.atomic(durable=True):
        if connection.vendor == "postgresql" and not already_in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        head = chain_selectors.audit_chain_head()
        checked, problems = verify_chain(
            chain_selectors.audit_chain_records(), head_seq=head.last_seq, head_hash=head.last_hash
        )
        findings = [
            {"code": str(problem.code), "message": problem.message, "field": problem.field}
            for problem in problems[:MAX_STORED_FINDINGS]
        ]
        if len(problems) > MAX_STORED_FINDINGS:
            findings.append(
                {
                    "code": "audit_findings_truncated",
                    "message": f"{len(problems) - MAX_STORED_FINDINGS} more findings were not stored.",
                    "field": "",
                }
            )
        verification = AuditVerification(
            ran_at=ran_at, events_checked=checked, ok=not problems, findings=findings
        )
        verification.full_clean()
        verification.save()
    return verification


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
        enqueue_named_on_commit(CHAIN_VERIFY_TASK)
