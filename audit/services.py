"""Writing audit events: the only way rows enter the chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.domain.chain import GENESIS_HASH, ChainRecord, compute_hash
from audit.models import AuditChainHead, AuditEvent


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
        ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
        return cls(
            actor_id=user.pk if user.is_authenticated else None,
            actor_username=user.get_username() if user.is_authenticated else "",
            ip_address=ip or None,
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
    consecutive `seq` values and correct `prev_hash` links.
    """
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            singleton=True, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        record = ChainRecord(
            seq=head.last_seq + 1,
            occurred_at=timezone.now(),
            actor_id=context.actor_id,
            actor_username=context.actor_username,
            practice_id=practice_id,
            patient_id=patient_id,
            action=str(action),
            category=str(category),
            object_type=object_type,
            object_id=str(object_id),
            outcome=str(outcome),
            detail=detail[:200],
            ip_address=context.ip_address,
            request_path=context.request_path,
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
