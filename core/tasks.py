"""How Parity queues Celery tasks: after the surrounding transaction commits, durably.

`durable_task` declares a task whose runs are `BackgroundJob`s (core.jobs): queue it with
`core.jobs.job_enqueue_on_commit`, by name, so a lower layer can hand work to a higher one
without importing it. `enqueue_on_commit` remains for fire-and-forget work whose loss costs
nothing (a verification the nightly schedule repeats anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from celery import Task, shared_task
from django.db import transaction

from core.jobs import job_run, jobs_relay, task_send

JOBS_RELAY_TASK = "core.tasks.jobs_relay_task"


def enqueue_on_commit(task: Task, /, **kwargs: Any) -> None:  # type: ignore[type-arg]
    """Queue `task` with keyword arguments (ids, not objects) once the transaction commits.

    Not durable: use `job_enqueue_on_commit` for work that must not be lost. Without REDIS_URL
    the task runs in-process (eager), which keeps the newcomer's `make run` free of services.
    """
    transaction.on_commit(lambda: task_send(task, kwargs))


def durable_task(name: str) -> Callable[[Callable[..., object]], Task]:  # type: ignore[type-arg]
    """Declare the Celery task `name` around `handler(**kwargs)`, run as a BackgroundJob.

    The worker acknowledges the message only after the run (acks_late), but the job row, not
    the message, is what makes the work durable: a failure is recorded and retried by the relay
    with backoff, never by Celery, and the task itself never raises. Called without `job_id`
    (a test, a shell) it simply runs the handler.
    """

    def decorate(handler: Callable[..., object]) -> Task:  # type: ignore[type-arg]
        @shared_task(name=name, acks_late=True, ignore_result=True)
        @wraps(handler)
        def task(*, job_id: int | None = None, **kwargs: Any) -> object:
            if job_id is None:
                return handler(**kwargs)
            return job_run(job_id=job_id, handler=handler, kwargs=kwargs)

        return task

    return decorate


@shared_task(name=JOBS_RELAY_TASK, acks_late=True, ignore_result=True)
def jobs_relay_task() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): send again every background job that is due."""
    return jobs_relay()
