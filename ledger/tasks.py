"""Celery tasks for the ledger: thin wrappers around one service each."""

from __future__ import annotations

from datetime import date

from core.tasks import durable_task
from ledger.patient_billing import STATEMENT_TASK, statement_generate


@durable_task(STATEMENT_TASK)
def statement_generate_task(practice_id_arg: int, patient_id: int, statement_date: str) -> None:
    """Make one patient's statement for the date (idempotent on patient and date)."""
    statement_generate(
        practice_id=practice_id_arg, patient_id=patient_id, statement_date=date.fromisoformat(statement_date)
    )
