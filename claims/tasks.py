"""Celery tasks for claims: thin wrappers around one service each."""

from __future__ import annotations

from claims.services import note_ready_to_bill_record
from claims.services.secondary import claim_secondary_create_job
from core.tasks import durable_task

NOTE_READY_TO_BILL_TASK = "claims.tasks.note_ready_to_bill_task"


@durable_task(NOTE_READY_TO_BILL_TASK)
def note_ready_to_bill_task(note_id: int) -> None:
    """Queued by clinical_notes (a durable job, by name) when a note becomes final: records the
    note as ready to bill and captures its charges (both idempotent on the note)."""
    note_ready_to_bill_record(note_id=note_id)


SECONDARY_CREATE_TASK = "claims.tasks.claim_secondary_create_task"


@durable_task(SECONDARY_CREATE_TASK)
def claim_secondary_create_task(claim_id: int) -> None:
    """Queued when an adjudication leaves the patient owing and a next coverage exists: creates
    the secondary (tertiary) claim (idempotent: a live one is kept)."""
    claim_secondary_create_job(claim_id)
