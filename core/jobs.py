"""Durable background jobs: the outbox of every hand-off to a Celery worker.

One pattern for every background job (charge capture now; eligibility, claim submission and
ERA pick-up later), decided in docs/decisions/0014-durable-hand-offs-with-an-outbox.md:

1. `job_enqueue_on_commit` writes a `BackgroundJob` row in the caller's transaction (the state
   change and the intent commit together or not at all) and sends the task after commit.
2. The task (declared with `core.tasks.durable_task`) runs through `job_run`: it claims the
   attempt, runs the handler, and marks the job done, or schedules a retry with backoff and
   jitter, or after `MAX_ATTEMPTS` sets it to "needs attention" with the error.
3. `jobs_relay` (Celery beat, every minute) sends again every pending job whose time has come:
   never sent (the broker was down), lost with a killed worker, or due for a retry.
4. Staff see jobs that need attention and retry them (`job_retry`) from the jobs screen.

Handlers must be idempotent: a job can run twice (a message redelivered after the relay has
already sent it again). Nothing here reads PHI; labels name ids, never patients.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.domain.backoff import retry_after_failure
from core.errors import Conflict, NotFound
from core.models import BackgroundJob

logger = logging.getLogger(__name__)

Status = BackgroundJob.Status
RELAY_BATCH = 500
ERROR_TEXT_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class JobSpec:
    """One job of `jobs_enqueue_many_on_commit`: its idempotency key, label and task kwargs."""

    key: str
    label: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def job_lease() -> timedelta:
    """How long a sent or running job is left alone before the relay sends it again.

    Longer than a task may run (CELERY_TASK_TIME_LIMIT), so a running task is never sent twice;
    short enough that work lost with a killed worker resumes within minutes.
    """
    return timedelta(seconds=settings.JOBS_LEASE_SECONDS)


def registered_task(task_name: str) -> Task:  # type: ignore[type-arg]
    """The task registered as `task_name` (a web process imports task modules lazily)."""
    app = current_app  # billing.celery.app: core may not import billing (layers)
    task = app.tasks.get(task_name)
    if task is None:
        app.loader.import_default_modules()
        task = app.tasks[task_name]  # an unknown name fails loudly, before anything commits
    return task


# ---------------------------------------------------------------------------------------------
# Services


def job_enqueue_on_commit(
    task_name: str, /, *, key: str, label: str, practice_id: int | None = None, **kwargs: Any
) -> BackgroundJob:
    """Record the intent to run `task_name(**kwargs)` in this transaction; send it after commit.

    Idempotent on `key`: a second call for the same intent returns the existing job and sends
    nothing (a retried request, a double click, a concurrent co-sign).
    """
    registered_task(task_name)
    job, created = BackgroundJob.objects.get_or_create(
        key=key,
        defaults={
            "task_name": task_name,
            "kwargs": kwargs,
            "label": label,
            "practice_id": practice_id,
            "next_attempt_at": timezone.now() + job_lease(),
        },
    )
    if created:
        transaction.on_commit(lambda: job_send(job.pk, task_name, kwargs))
    return job


def jobs_enqueue_many_on_commit(
    task_name: str, /, jobs: Sequence[JobSpec], *, practice_id: int | None = None
) -> int:
    """`job_enqueue_on_commit` for many jobs of one task in a constant number of queries (a batch
    of eligibility checks): one read of the keys already there, one INSERT of the others, and
    one after-commit callback that sends them all over one broker connection. Idempotent on
    each job's key like the single form. Returns the jobs created."""
    if not jobs:
        return 0
    registered_task(task_name)
    existing = set(BackgroundJob.objects.filter(key__in=[j.key for j in jobs]).values_list("key", flat=True))
    lease_end = timezone.now() + job_lease()
    fresh, seen = [], set(existing)
    for spec in jobs:
        if spec.key in seen:
            continue
        seen.add(spec.key)
        fresh.append(
            BackgroundJob(
                key=spec.key,
                task_name=task_name,
                kwargs=spec.kwargs,
                label=spec.label,
                practice_id=practice_id,
                next_attempt_at=lease_end,
            )
        )
    created = BackgroundJob.objects.bulk_create(fresh)
    sends = [(job.pk, job.kwargs) for job in created]
    if sends:
        transaction.on_commit(lambda: jobs_send_many(task_name, sends))
    return len(sends)


def jobs_send_many(task_name: str, sends: Sequence[tuple[int, dict[str, Any]]]) -> int:
    """Send many jobs of one task, over one producer (in-process when there is no broker); the
    number sent. Never raises: a job that could not be sent is due now and the relay sends it."""
    task = registered_task(task_name)
    if task.app.conf.task_always_eager:
        return sum(job_send(job_id, task_name, kwargs) for job_id, kwargs in sends)
    sent = 0
    try:
        with task.app.producer_or_acquire() as producer:
            for job_id, kwargs in sends:
                task.apply_async(kwargs={**kwargs, "job_id": job_id}, producer=producer)
                sent += 1
    except Exception:
        unsent = [job_id for job_id, _ in sends[sent:]]
        logger.warning(
            "%s of %s jobs (%s) were not sent; the relay will send them.", len(unsent), len(sends), task_name
        )
        BackgroundJob.objects.filter(pk__in=unsent, status=Status.PENDING).update(
            next_attempt_at=timezone.now()
        )
    return sent


def task_send(task: Task, kwargs: dict[str, Any]) -> None:  # type: ignore[type-arg]
    """Send `task` to the broker, or run it here when there is none (no REDIS_URL).

    In-process runs use `apply`: Celery's eager `apply_async` still asks kombu for a producer
    (and kombu then warns "No hostname was supplied"), so `make run` would touch a broker.
    """
    if task.app.conf.task_always_eager:
        task.apply(kwargs=kwargs)
    else:
        task.apply_async(kwargs=kwargs)


def job_send(job_id: int, task_name: str, kwargs: dict[str, Any]) -> bool:
    """Hand the job to the broker (in-process when there is none). False if the broker is down.

    Never raises: the job row is the durable record, so a failed send only makes the job due
    now, and the relay sends it again on its next run.
    """
    try:
        task_send(registered_task(task_name), {**kwargs, "job_id": job_id})
    except Exception:
        logger.warning("Job %s (%s) was not sent; the relay will send it again.", job_id, task_name)
        BackgroundJob.objects.filter(pk=job_id, status=Status.PENDING).update(next_attempt_at=timezone.now())
        return False
    return True


def job_run(*, job_id: int, handler: Callable[..., object], kwargs: dict[str, Any]) -> str:
    """Run one attempt of the job: "done", "failed" (retry scheduled or needs attention), or
    "skipped" when the job is already done, needs attention, or does not exist."""
    now = timezone.now()
    claimed = BackgroundJob.objects.filter(pk=job_id, status=Status.PENDING).update(
        attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + job_lease()
    )
    if not claimed:
        return "skipped"
    try:
        handler(**kwargs)
    except Exception as error:
        logger.exception("Job %s failed", job_id)
        _record_failure(job_id, error)
        return "failed"
    BackgroundJob.objects.filter(pk=job_id).update(status=Status.DONE, done_at=timezone.now(), last_error="")
    return "done"


def _record_failure(job_id: int, error: Exception) -> None:
    job = BackgroundJob.objects.get(pk=job_id)
    decision = retry_after_failure(
        attempts=job.attempts,
        rand=random.random(),  # noqa: S311 (jitter, not secrecy)
        base_seconds=settings.JOBS_RETRY_BASE_SECONDS,
    )
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job_id, status=Status.PENDING).update(
        status=Status.NEEDS_ATTENTION if decision.give_up else Status.PENDING,
        next_attempt_at=now + timedelta(seconds=decision.delay_seconds),
        last_error=f"{type(error).__name__}: {error}"[:ERROR_TEXT_LIMIT],
    )


def jobs_relay(*, limit: int = RELAY_BATCH) -> int:
    """Send every pending job whose time has come; the number sent. Run by beat every minute.

    Due jobs are claimed with SKIP LOCKED and leased before they are sent, so two relays running
    at once never send the same job twice.
    """
    now = timezone.now()
    with transaction.atomic():
        due = list(
            BackgroundJob.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", "task_name", "kwargs")[:limit]
        )
        BackgroundJob.objects.filter(pk__in=[pk for pk, _, _ in due]).update(
            next_attempt_at=now + job_lease()
        )
    for pk, task_name, kwargs in due:
        job_send(pk, task_name, kwargs)
    return len(due)


def job_retry(*, practice_id: int, job_id: int) -> BackgroundJob:
    """Staff retry a job that needs attention (or one waiting for its next attempt): it starts
    over with a fresh count of attempts and is sent at once."""
    with transaction.atomic():
        job = _job_in_practice(practice_id=practice_id, job_id=job_id, lock=True)
        if job.status == Status.DONE:
            raise Conflict("This job has already run to completion.", code="job_done")
        job.status = Status.PENDING
        job.attempts = 0
        job.next_attempt_at = timezone.now() + job_lease()
        job.save(update_fields=["status", "attempts", "next_attempt_at"])
        task_name, kwargs = job.task_name, dict(job.kwargs)
        transaction.on_commit(lambda: job_send(job.pk, task_name, kwargs))
    return job


# ---------------------------------------------------------------------------------------------
# Selectors (no PHI: a job names ids and what it does)


def _job_in_practice(*, practice_id: int, job_id: int, lock: bool = False) -> BackgroundJob:
    jobs = BackgroundJob.objects.filter(practice_id=practice_id)
    if lock:
        jobs = jobs.select_for_update()
    job = jobs.filter(pk=job_id).first()
    if job is None:
        raise NotFound("No such job in this practice.")
    return job


def jobs_needing_attention(*, practice_id: int) -> QuerySet[BackgroundJob]:
    return BackgroundJob.objects.filter(practice_id=practice_id, status=Status.NEEDS_ATTENTION).order_by(
        "-last_attempt_at", "-pk"
    )


def jobs_waiting(*, practice_id: int, now: datetime | None = None) -> QuerySet[BackgroundJob]:
    """Pending jobs that have failed at least once or are overdue (sent more than a lease ago
    and still not done: is a worker running?)."""
    now = now or timezone.now()
    overdue_before = now - job_lease()
    return (
        BackgroundJob.objects.filter(practice_id=practice_id, status=Status.PENDING)
        .filter(Q(attempts__gt=0, last_error__gt="") | Q(created_at__lt=overdue_before))
        .order_by("next_attempt_at", "pk")
    )


def job_counts(*, practice_id: int) -> dict[str, int]:
    """How many jobs need attention and how many wait to retry (for the navigation badge)."""
    return {
        "needs_attention": jobs_needing_attention(practice_id=practice_id).count(),
        "waiting": jobs_waiting(practice_id=practice_id).count(),
    }
