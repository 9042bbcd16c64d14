"""Celery tasks for clinical notes: thin wrappers around one service each."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from clinical_notes.services import cosign_reminders_send


@shared_task(name="clinical_notes.tasks.cosign_reminders_task", acks_late=True, ignore_result=False)
def cosign_reminders_task() -> int:
    """Daily (see CELERY_BEAT_SCHEDULE): remind supervisors of overdue co-signatures."""
    return len(cosign_reminders_send(today=timezone.localdate()))
