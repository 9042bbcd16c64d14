"""Licence status per provider and which expiry alerts are due (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from practice.domain.credentials import LICENSE_ALERT_DAYS, LicenseStatus, license_status
from practice.domain.types import AlertDue, LicenseExpiry

ALERT_STATUSES = frozenset({LicenseStatus.EXPIRING, LicenseStatus.EXPIRED})


def provider_license_status(
    expiry_dates: Iterable[date], *, today: date, alert_days: int = LICENSE_ALERT_DAYS
) -> LicenseStatus:
    """A provider's overall status: that of the licence that runs longest (missing if none)."""
    latest = max(expiry_dates, default=None)
    return license_status(latest, today=today, alert_days=alert_days)


def license_alerts_due(
    licenses: Iterable[LicenseExpiry], *, today: date, alert_days: int = LICENSE_ALERT_DAYS
) -> list[AlertDue]:
    """One alert per licence that expires within `alert_days` of `today` or has expired."""
    due: list[AlertDue] = []
    for item in licenses:
        status = license_status(item.expires_on, today=today, alert_days=alert_days)
        if status in ALERT_STATUSES:
            due.append(AlertDue(license_id=item.license_id, expires_on=item.expires_on, status=str(status)))
    return due
