"""Celery tasks for claims: thin wrappers around one service each."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from claims.services import note_ready_to_bill_record
from claims.services.acknowledgements import claims_collect_enqueue, claims_responses_collect
from claims.services.batches import claim_batch_send
from core.tasks import durable_task

NOTE_READY_TO_BILL_TASK = "claims.tasks.note_ready_to_bill_task"


@durable_task(NOTE_READY_TO_BILL_TASK)
def note_ready_to_bill_task(note_id: int) -> None:
    """Queued by clinical_notes (a durable job, by name) when a note becomes final: records the
    note as ready to bill and captures its charges (both idempotent on the note)."""
    note_ready_to_bill_record(note_id=note_id)


@durable_task("claims.tasks.claim_batch_send_task")
def claim_batch_send_task(*, batch_id: int) -> None:
    """Queued with the batch (claim_batch_create): send its 837 once (idempotent by file name)."""
    claim_batch_send(batch_id=batch_id)


@durable_task("claims.tasks.claims_collect_task")
def claims_collect_task(*, practice_pk: int) -> None:
    """Collect, store, apply and archive the practice's 999/277CA/835 documents."""
    claims_responses_collect(practice_id=practice_pk)


@shared_task(name="claims.tasks.claims_collect_beat_task", acks_late=True, ignore_result=True)
def claims_collect_beat_task() -> int:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE): a durable collect job per practice that sent claims."""
    return claims_collect_enqueue(slot=timezone.now().strftime("%Y%m%d%H%M"))
