"""The demo's eligibility checks, run through the real services against the sandbox
clearinghouse: each patient whose coverage carries a sandbox test member ID is verified for
their next appointment (or today). Without REDIS_URL the checks run in-process at once; with a
broker the worker runs them. Idempotent: a coverage already checked is left alone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.access import PracticeAccess
from clearinghouse.sandbox import SANDBOX_MEMBERS
from eligibility import services
from eligibility.adapters import sandbox_allowed
from eligibility.models import EligibilityCheck, EligibilitySettings
from patients.models import Coverage
from scheduling.models import Appointment


def seed_eligibility(*, access: PracticeAccess, today: dt.date) -> int:
    if not sandbox_allowed():
        return 0  # production settings refuse the sandbox; a real clearinghouse is configured there
    if not EligibilitySettings.objects.filter(practice_id=access.practice_id).exists():
        services.eligibility_settings_save(access=access, clearinghouse="sandbox")
    made = 0
    coverages = Coverage.objects.filter(
        patient__practice_id=access.practice_id, member_id__in=list(SANDBOX_MEMBERS), priority=1
    ).order_by("member_id")
    for coverage in coverages:
        if EligibilityCheck.objects.filter(coverage=coverage).exists():
            continue
        upcoming = (
            Appointment.objects.filter(patient_id=coverage.patient_id, starts_at__gte=timezone.now())
            .exclude(status=Appointment.Status.CANCELLED)
            .order_by("starts_at")
            .first()
        )
        if upcoming is not None:
            services.eligibility_verify_now(access=access, appointment_id=upcoming.pk)
        else:
            services.eligibility_verify_now(access=access, coverage_id=coverage.pk, service_date=today)
        made += 1
    return made
