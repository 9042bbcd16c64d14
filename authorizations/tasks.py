"""Celery tasks for prior authorizations: thin wrappers around one service each."""

from __future__ import annotations

from celery import shared_task

from authorizations.services import authorization_alerts_raise


@shared_task(name="authorizations.tasks.authorization_alerts_task", acks_late=True, ignore_result=False)
def authorization_alerts_task() -> int:
    """Daily (see CELERY_BEAT_SCHEDULE): statuses up to date, alerts for little left or ending soon."""
    return authorization_alerts_raise()
