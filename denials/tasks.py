"""Denials background work: ids in, one service call."""

from __future__ import annotations

from celery import shared_task

from core.tasks import durable_task
from denials import services
from practice.models import Practice
from practice.selectors import practice_today


@durable_task("denials.tasks.denials_open_for_era")
def denials_open_for_era(*, era_file_id: int) -> None:
    """Enqueued by remittance posting once an ERA is posted: open its denials (idempotent)."""
    services.denials_open_for_era(era_file_id=era_file_id)


@durable_task("denials.tasks.denials_open_for_adjudication")
def denials_open_for_adjudication(*, adjudication_id: int) -> None:
    services.denials_open_for_adjudication(adjudication_id=adjudication_id)


@shared_task(name="denials.tasks.denial_reminders_task", acks_late=True, ignore_result=True)
def denial_reminders_task() -> int:
    """Every morning (CELERY_BEAT_SCHEDULE): remind of appeal deadlines 14, 7 and 2 days away.
    Idempotent per denial and threshold: a rerun, or a second beat, reminds nothing twice."""
    sent = 0
    for practice_id in Practice.objects.values_list("pk", flat=True):
        sent += services.denial_reminders_send(
            practice_id=practice_id, today=practice_today(practice_id=practice_id)
        ).sent
    return sent
