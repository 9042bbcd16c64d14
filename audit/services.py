"""Writing audit events (the only way rows enter the chain) and verifying the chain."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from audit import selectors
from audit.domain.categories import Category
from audit.domain.chain import GENESIS_HASH, ChainRecord, compute_hash, verify_chain
from audit.models import AuditChainHead, AuditEvent, AuditVerification
from core.tasks import enqueue_on_commit

# A verification stores at most this many findings (plus one line saying how many more).
MAX_STORED_FINDINGS = 200


def normalized_ip(value: str | None) -> str | None:
    """The address as the database will store it (so the hash matches), or None if invalid."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv4Address):
        return str(address)
    if address.scope_id:
        return None
    try:
        return clean_ipv6_address(str(address))
    except ValidationError:
        return None


@dataclass(frozen=True, slots=True)
class AuditContext:
    """Who is acting and from where; built once per request (or per task/command)."""

    actor_id: int | None
    actor_username: str
    ip_address: str | None = None
    request_path: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> AuditContext:
        user = request.user
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        ip = normalized_ip(forwarded.split(",")[0]) if forwarded else None
        return cls(
            actor_id=user.pk if user.is_authenticated else None,
            actor_username=user.get_username() if user.is_authenticated else "",
            ip_address=ip or normalized_ip(request.META.get("REMOTE_ADDR")),
            request_path=request.path[:300],
        )

    @classmethod
    def system(cls, name: str) -> AuditContext:
        return cls(actor_id=None, actor_username=f"system:{name}")


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
        head = selectors.audit_chain_head()
        checked, problems = verify_chain(
            selectors.audit_chain_records(), head_seq=head.last_seq, head_hash=head.last_hash
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
    from audit.tasks import audit_chain_verify_task  # tasks import this module

    with transaction.atomic(durable=True):
        audit_event_record(
            context=context,
            action=AuditEvent.Action.VERIFY,
            category=Category.AUDIT_LOG,
            practice_id=practice_id,
            object_type="audit_chain",
        )
        enqueue_on_commit(audit_chain_verify_task)
