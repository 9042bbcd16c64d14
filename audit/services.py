"""Writing audit events (the only way rows enter the chain) and asking for a verification.

The verifier itself (walk the chain, store the result) is `chain_services.audit_chain_verify`,
which the task runs: services → tasks → chain_services, never back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, replace

from django.db import transaction
from django.utils import timezone

from audit.domain.categories import Category
from audit.domain.chain import (
    GENESIS_HASH,
    KEY_ROTATION_ACTION,
    KEY_ROTATION_OBJECT_TYPE,
    KEYED_VERSION,
    ChainKey,
    ChainRecord,
    compute_hash,
    rotation_detail,
    shown_ids_text,
)
from audit.keys import audit_chain_current_key
from audit.models import AuditChainHead, AuditEvent
from audit.owners import audit_object_owner
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
    shown_patient_ids: Iterable[int] = (),
) -> AuditEvent:
    """Append one event to the chain. Joins the caller's transaction when there is one.

    The chain head row is locked for the append so that concurrent writers get
    consecutive `seq` values and correct `prev_hash` links. Values are cut to their column
    sizes (and the IP normalized) *before* hashing, so the stored row hashes the same. The
    row is sealed with the current chain key (HMAC-SHA256); when that key differs from the
    one the head was sealed with, a key-rotation event (the new key's id, never the key)
    goes into the chain first. A list or search passes `shown_patient_ids`: the patients it
    showed (so "who saw patient X" finds list reads too).

    A denied attempt at an object that another practice owns (see `audit.owners`) is recorded
    twice: in the caller's practice, and in the owning practice (detail `cross_practice;
    from_practice=<id>;...`), where that practice's compliance auditor sees it.
    """
    key = audit_chain_current_key()
    # Who owns what a denied attempt named (read before the chain is locked).
    owner = (
        audit_object_owner(object_type[:40], str(object_id)[:40])
        if outcome == AuditEvent.Outcome.DENIED
        else None
    )
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            singleton=True, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        if head.last_seq and head.key_id != key.key_id:
            # A new key (or the first keyed event after plain SHA-256 ones): say so in the chain.
            _append(
                head,
                key,
                ChainRecord(
                    seq=0,
                    occurred_at=timezone.now(),
                    actor_id=None,
                    actor_username="system:audit",
                    practice_id=None,
                    patient_id=None,
                    action=KEY_ROTATION_ACTION,
                    category=Category.AUDIT_LOG,
                    object_type=KEY_ROTATION_OBJECT_TYPE,
                    object_id=key.key_id,
                    outcome=AuditEvent.Outcome.ALLOWED,
                    detail=rotation_detail(new_key_id=key.key_id, old_key_id=head.key_id),
                    ip_address=None,
                    request_path="",
                    prev_hash="",
                ),
            )
        draft = ChainRecord(
            seq=0,
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
            prev_hash="",
            shown_patient_ids=shown_ids_text(shown_patient_ids),
        )
        event = _append(head, key, draft)
        if owner is not None and owner[0] != practice_id:
            owner_practice, owner_patient = owner
            _append(
                head,
                key,
                replace(
                    draft,
                    occurred_at=timezone.now(),
                    practice_id=owner_practice,
                    patient_id=owner_patient if owner_patient is not None else draft.patient_id,
                    detail=f"cross_practice;from_practice={practice_id};{draft.detail}"[:200],
                ),
            )
    return event


def _append(head: AuditChainHead, key: ChainKey, draft: ChainRecord) -> AuditEvent:
    """Seal `draft` as the event after the (locked) head with `key`, store it, move the head."""
    record = replace(
        draft, seq=head.last_seq + 1, prev_hash=head.last_hash, chain_version=KEYED_VERSION, key_id=key.key_id
    )
    digest = compute_hash(record, secret=key.secret)
    event = AuditEvent.objects.create(
        **{field.name: getattr(record, field.name) for field in fields(ChainRecord) if field.name != "hash"},
        hash=digest,
    )
    head.last_seq = record.seq
    head.last_hash = digest
    head.key_id = key.key_id
    head.save(update_fields=["last_seq", "last_hash", "key_id"])
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
