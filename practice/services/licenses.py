"""Licences, their renewal, and the daily expiry alerts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from core.domain.problems import Problem
from core.errors import NotFound
from practice import lock_objects, selectors
from practice.domain.licenses import license_alerts_due
from practice.domain.rules import (
    license_details_normalized,
    license_problems,
    license_renewal_problems,
)
from practice.domain.timezones import local_date, timezone_problems
from practice.domain.types import (
    AlertDue,
    LicenseDetails,
    LicenseExpiry,
)
from practice.models import License, LicenseAlert
from practice.services.common import model_full_clean, raise_if_problems

# --- licences -----------------------------------------------------------------------------------------


def license_add(
    *,
    access: PracticeAccess,
    provider_id: int,
    number: str,
    state: str,
    expires_on: date | None,
    kind: str = "",
    issued_on: date | None = None,
) -> License:
    access.require(Capability.PRACTICE_MANAGE)
    details = license_details_normalized(
        LicenseDetails(number=number, state=state, kind=kind, issued_on=issued_on, expires_on=expires_on)
    )
    with transaction.atomic(durable=True):
        provider = lock_objects.providers_lock(
            practice_id=access.practice_id, provider_ids=[provider_id]
        ).get(provider_id)
        if provider is None:
            raise NotFound()
        problems = license_problems(details)
        if License.objects.filter(provider=provider, state=details.state, number=details.number).exists():
            problems.append(
                Problem("license_duplicate", "This provider already has this licence on file.", "number")
            )
        raise_if_problems(problems)
        lic = License(provider=provider, **asdict(details))
        model_full_clean(lic)
        lic.save()
    return lic


def license_renew(*, access: PracticeAccess, license_id: int, expires_on: date | None) -> License:
    """Record a renewal: the licence gets its new expiry date (old alerts stop applying)."""
    access.require(Capability.PRACTICE_MANAGE)
    with transaction.atomic(durable=True):
        lic = (
            License.objects.select_for_update(of=("self",))
            .filter(pk=license_id, provider__practice_id=access.practice_id)
            .first()
        )
        if lic is None:
            raise NotFound()
        raise_if_problems(
            license_renewal_problems(current_expires_on=lic.expires_on, new_expires_on=expires_on)
        )
        lic.expires_on = expires_on  # type: ignore[assignment]
        model_full_clean(lic)
        lic.save(update_fields=["expires_on", "updated_at"])
    return lic


def license_alert_acknowledge(*, access: PracticeAccess, alert_id: int) -> LicenseAlert:
    """Mark an alert as seen (idempotent: acknowledging twice keeps the first time)."""
    access.require(Capability.PRACTICE_MANAGE)
    with transaction.atomic(durable=True):
        alert = selectors.license_alert_get(access=access, alert_id=alert_id)
        LicenseAlert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), updated_at=timezone.now()
        )
        alert.refresh_from_db(fields=["acknowledged_at", "updated_at"])
    return alert


def license_expiry_alerts_raise(*, today: date | None = None) -> int:
    """Create the missing licence alerts for every practice; return how many were created.

    Idempotent: the unique constraint on (licence, expiry, status) and the existing-row check
    mean a second run the same day creates nothing. Without `today`, each practice's own
    local date is used.
    """
    with transaction.atomic(durable=True):
        zones = selectors.practice_timezones()
        now = timezone.now()
        by_practice: dict[int, list[LicenseExpiry]] = defaultdict(list)
        for practice_id, expiry in selectors.license_expiries_for_alerts():
            by_practice[practice_id].append(expiry)
        due: list[AlertDue] = []
        for practice_id, expiries in sorted(by_practice.items()):
            zone = zones.get(practice_id, selectors.FALLBACK_TIMEZONE)
            if timezone_problems(zone):
                zone = selectors.FALLBACK_TIMEZONE
            local_today = today or local_date(now, zone)
            due += license_alerts_due(expiries, today=local_today)
        if not due:
            return 0
        existing = set(
            LicenseAlert.objects.filter(license_id__in={d.license_id for d in due}).values_list(
                "license_id", "expires_on", "status"
            )
        )
        new = [
            LicenseAlert(license_id=d.license_id, expires_on=d.expires_on, status=d.status)
            for d in due
            if (d.license_id, d.expires_on, d.status) not in existing
        ]
        LicenseAlert.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
