"""Celery tasks for practice: thin wrappers around one service each."""

from __future__ import annotations

from celery import shared_task

from core.audit_context import AuditContext
from practice.services import license_expiry_alerts_raise, mfa_enrolment_codes_expire


@shared_task(name="practice.tasks.license_expiry_alerts_task", acks_late=True, ignore_result=False)
def license_expiry_alerts_task() -> int:
    """Daily (see CELERY_BEAT_SCHEDULE): raise alerts for licences expiring soon or expired."""
    return license_expiry_alerts_raise()


@shared_task(name="practice.tasks.mfa_enrolment_codes_expire_task", acks_late=True, ignore_result=False)
def mfa_enrolment_codes_expire_task() -> int:
    """Hourly (see CELERY_BEAT_SCHEDULE): write each enrolment code that expired unused to the audit trail."""
    return mfa_enrolment_codes_expire(context=AuditContext.system("mfa_enrolment_expiry"))
