"""Eligibility background work: ids in, one service call."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.tasks import durable_task
from eligibility import services
from practice.models import Practice


@durable_task("eligibility.tasks.eligibility_check_task")
def eligibility_check_task(*, check_id: int) -> None:
    services.eligibility_check_run(check_id=check_id)


@shared_task(name="eligibility.tasks.eligibility_schedule_task", acks_late=True, ignore_result=True)
def eligibility_schedule_task() -> int:
    """Every morning (CELERY_BEAT_SCHEDULE): verify the coverages of the coming appointments.
    Re-running it queues nothing twice (one check per coverage and date)."""
    batches = 0
    for practice_id in Practice.objects.values_list("pk", flat=True):
        batches += services.eligibility_schedule_run(practice_id=practice_id) is not None
    return batches


@durable_task("eligibility.tasks.eligibility_sftp_collect_task")
def eligibility_sftp_collect_task(*, practice_pk: int) -> None:
    services.eligibility_sftp_collect(practice_id=practice_pk)


@shared_task(name="eligibility.tasks.eligibility_sftp_collect_beat_task", acks_late=True, ignore_result=True)
def eligibility_sftp_collect_beat_task() -> int:
    """Every 10 minutes (CELERY_BEAT_SCHEDULE): a durable collect job per SFTP practice."""
    return services.eligibility_sftp_collect_enqueue(slot=timezone.now().strftime("%Y%m%d%H%M"))
