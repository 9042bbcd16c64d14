"""The only way Parity queues Celery tasks: after the surrounding transaction commits."""

from __future__ import annotations

from typing import Any

from celery import Task, current_app
from django.db import transaction


def enqueue_on_commit(task: Task, /, **kwargs: Any) -> None:  # type: ignore[type-arg]
    """Queue `task` with keyword arguments (ids, not objects) once the transaction commits.

    Outside a transaction the task is queued at once. Without REDIS_URL the task runs
    in-process (eager), which keeps the newcomer's `make run` free of services.
    """
    transaction.on_commit(lambda: task.apply_async(kwargs=kwargs))


def enqueue_named_on_commit(task_name: str, /, **kwargs: Any) -> None:
    """Queue the task registered as `task_name` once the transaction commits.

    For a lower layer notifying a higher one without importing it (a note became final →
    the claims side records it). The task is looked up in the Celery app's registry at
    commit time and sent with `apply_async`, so eager mode (no REDIS_URL) still runs it
    in-process. An unknown name fails loudly at commit, never silently.
    """

    def _send() -> None:
        app = current_app  # billing.celery.app: core may not import billing (layers)
        task = app.tasks.get(task_name)
        if task is None:  # a web process imports task modules lazily
            app.loader.import_default_modules()
            task = app.tasks[task_name]
        task.apply_async(kwargs=kwargs)

    transaction.on_commit(_send)
