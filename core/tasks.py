"""The only way Parity queues Celery tasks: after the surrounding transaction commits."""

from __future__ import annotations

from typing import Any

from celery import Task
from django.db import transaction


def enqueue_on_commit(task: Task, /, **kwargs: Any) -> None:  # type: ignore[type-arg]
    """Queue `task` with keyword arguments (ids, not objects) once the transaction commits.

    Outside a transaction the task is queued at once. Without REDIS_URL the task runs
    in-process (eager), which keeps the newcomer's `make run` free of services.
    """
    transaction.on_commit(lambda: task.apply_async(kwargs=kwargs))
