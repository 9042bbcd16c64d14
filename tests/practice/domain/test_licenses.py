"""Licence status and which alerts are due, at the edges (pure, no database)."""

from datetime import date

import pytest

from practice.domain.credentials import LICENSE_ALERT_DAYS, LicenseStatus, license_status
from practice.domain.licenses import license_alerts_due, provider_license_status
from practice.domain.types import AlertDue, LicenseExpiry

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("_case", "expires_on", "expected"),
    [
        ("none on file", None, LicenseStatus.MISSING),
        ("expired yesterday", date(2025, 5, 31), LicenseStatus.EXPIRED),
        ("expires today (still valid today)", date(2025, 6, 1), LicenseStatus.EXPIRING),
        ("last day of the alert window", date(2025, 7, 31), LicenseStatus.EXPIRING),
        ("first day after the window", date(2025, 8, 1), LicenseStatus.ACTIVE),
    ],
)
def test_license_status(_case, expires_on, expected):
    assert LICENSE_ALERT_DAYS == 60
    assert license_status(expires_on, today=TODAY) is expected


def test_provider_status_uses_the_longest_running_licence():
    assert provider_license_status([date(2024, 1, 1), date(2027, 1, 1)], today=TODAY) is LicenseStatus.ACTIVE
    assert provider_license_status([date(2024, 1, 1)], today=TODAY) is LicenseStatus.EXPIRED
    assert provider_license_status([], today=TODAY) is LicenseStatus.MISSING


def test_alerts_due_for_expiring_and_expired_only():
    # given
    licenses = [
        LicenseExpiry(license_id=1, expires_on=date(2025, 5, 31)),  # expired
        LicenseExpiry(license_id=2, expires_on=date(2025, 7, 31)),  # last day of window
        LicenseExpiry(license_id=3, expires_on=date(2025, 8, 1)),  # outside window
    ]
    # when
    due = license_alerts_due(licenses, today=TODAY)
    # then
    assert due == [
        AlertDue(license_id=1, expires_on=date(2025, 5, 31), status="expired"),
        AlertDue(license_id=2, expires_on=date(2025, 7, 31), status="expiring"),
    ]


def test_alert_window_is_configurable():
    due = license_alerts_due(
        [LicenseExpiry(license_id=1, expires_on=date(2025, 6, 11))], today=TODAY, alert_days=10
    )
    assert [d.status for d in due] == ["expiring"]
    assert (
        license_alerts_due(
            [LicenseExpiry(license_id=1, expires_on=date(2025, 6, 12))], today=TODAY, alert_days=10
        )
        == []
    )
