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
from patients.selectors import primary_coverages_with_member_ids
from scheduling.models import Appointment


def seed_eligibility(*, access: PracticeAccess, today: dt.date) -> int:
    if not sandbox_allowed():
        return 0  # production settings refuse the sandbox; a real clearinghouse is configured there
    if not EligibilitySettings.objects.filter(practice_id=access.practice_id).exists():
        services.eligibility_settings_save(access=access, clearinghouse="sandbox")
    made = 0
    coverages = primary_coverages_with_member_ids(practice_id=access.practice_id, member_ids=SANDBOX_MEMBERS)
    for coverage_id, patient_id in coverages:
        if EligibilityCheck.objects.filter(coverage_id=coverage_id).exists():
            continue
        upcoming = (
            Appointment.objects.filter(patient_id=patient_id, starts_at__gte=timezone.now())
            .exclude(status=Appointment.Status.CANCELLED)
            .order_by("starts_at")
            .first()
        )
        if upcoming is not None:
            services.eligibility_verify_now(access=access, appointment_id=upcoming.pk)
        else:
            services.eligibility_verify_now(access=access, coverage_id=coverage_id, service_date=today)
        made += 1
    return made
