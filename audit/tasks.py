"""Celery tasks for the audit log: thin wrappers around one service each."""

from __future__ import annotations

from celery import shared_task

from audit.chain_services import audit_chain_verify


# acks_late, prefetch and serializers come from settings. Only the time limits differ: walking
# a chain of millions of events takes longer than the default 120 s soft / 180 s hard limits.
@shared_task(name="audit.tasks.audit_chain_verify_task", soft_time_limit=30 * 60, time_limit=35 * 60)
def audit_chain_verify_task() -> int:
    """Daily (see CELERY_BEAT_SCHEDULE) and on request: verify the chain; return the result's id."""
    return audit_chain_verify().pk
