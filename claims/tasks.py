"""Celery tasks for claims: thin wrappers around one service each."""

from __future__ import annotations

from claims.services import note_ready_to_bill_record
from core.tasks import durable_task

NOTE_READY_TO_BILL_TASK = "claims.tasks.note_ready_to_bill_task"


@durable_task(NOTE_READY_TO_BILL_TASK)
def note_ready_to_bill_task(note_id: int) -> None:
    """Queued by clinical_notes (a durable job, by name) when a note becomes final: records the
    note as ready to bill and captures its charges (both idempotent on the note)."""
    note_ready_to_bill_record(note_id=note_id)
