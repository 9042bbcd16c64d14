"""Celery tasks for claims: thin wrappers around one service each."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from claims.services import note_ready_to_bill_record

NOTE_READY_TO_BILL_TASK = "claims.tasks.note_ready_to_bill_task"


@shared_task(
    name=NOTE_READY_TO_BILL_TASK,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),  # a dropped connection or a lock timeout: safe to retry
    max_retries=3,
    retry_backoff=True,
)
def note_ready_to_bill_task(note_id: int) -> None:
    """Queued by clinical_notes (by name, on commit) when a note becomes final: records the note
    as ready to bill and captures its charges (both idempotent on the note, so retries are safe)."""
    note_ready_to_bill_record(note_id=note_id)
