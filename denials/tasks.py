"""Denials background work: ids in, one service call."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.tasks import durable_task
from denials import services
from practice.selectors import practice_today


@durable_task("denials.tasks.denials_open_for_era")
def denials_open_for_era(*, era_file_id: int) -> None:
    """Enqueued by remittance posting once an ERA is posted: open its denials (idempotent)."""
    services.denials_open_for_era(era_file_id=era_file_id)


@durable_task("denials.tasks.denials_open_for_adjudication")
def denials_open_for_adjudication(*, adjudication_id: int) -> None:
    services.denials_open_for_adjudication(adjudication_id=adjudication_id)


@durable_task("denials.tasks.denial_reminders_for_practice")
def denial_reminders_for_practice(*, practice_pk: int) -> None:
    services.denial_reminders_send(practice_id=practice_pk, today=practice_today(practice_id=practice_pk))


@shared_task(name="denials.tasks.denial_reminders_task", acks_late=True, ignore_result=True)
def denial_reminders_task() -> int:
    """Every morning (CELERY_BEAT_SCHEDULE): a durable reminder job per practice. Idempotent
    twice over: one job per practice and day, one reminder per denial and threshold."""
    return services.denial_reminders_enqueue(day=timezone.now().date())
