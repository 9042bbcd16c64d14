"""The daily licence-expiry job: idempotent, per practice time zone, named as beat expects."""

from datetime import date

import pytest
import time_machine
from django.conf import settings

from billing.celery import app
from practice.models import License, LicenseAlert
from practice.services import license_expiry_alerts_raise
from practice.tasks import license_expiry_alerts_task
from tests.factories import PracticeFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def alerts():
    return sorted(LicenseAlert.objects.values_list("license__number", "expires_on", "status"))


def test_beat_schedule_names_the_registered_task():
    assert settings.CELERY_BEAT_SCHEDULE["license-expiry-alerts"]["task"] == license_expiry_alerts_task.name
    assert license_expiry_alerts_task.name == "practice.tasks.license_expiry_alerts_task"
    assert license_expiry_alerts_task.name in app.tasks


@time_machine.travel("2025-06-01 18:00:00+00:00", tick=False)
def test_running_twice_creates_nothing_new(practice):
    # given
    provider = ProviderFactory(practice=practice)
    License.objects.create(provider=provider, number="EXPIRED", state="IL", expires_on=date(2025, 5, 31))
    License.objects.create(provider=provider, number="SOON", state="IL", expires_on=date(2025, 7, 31))
    License.objects.create(provider=provider, number="LATER", state="IL", expires_on=date(2025, 8, 1))
    inactive = ProviderFactory(practice=practice, is_active=False)
    License.objects.create(provider=inactive, number="INACTIVE", state="IL", expires_on=date(2025, 5, 1))
    # when
    first = license_expiry_alerts_task.apply().get()
    second = license_expiry_alerts_task.apply().get()
    # then
    assert (first, second) == (2, 0)
    assert alerts() == [("EXPIRED", date(2025, 5, 31), "expired"), ("SOON", date(2025, 7, 31), "expiring")]


def test_an_expiring_licence_gets_a_second_alert_when_it_expires(practice):
    provider = ProviderFactory(practice=practice)
    License.objects.create(provider=provider, number="L1", state="IL", expires_on=date(2025, 6, 30))
    assert license_expiry_alerts_raise(today=date(2025, 6, 1)) == 1
    assert license_expiry_alerts_raise(today=date(2025, 6, 15)) == 0
    assert license_expiry_alerts_raise(today=date(2025, 7, 1)) == 1
    assert alerts() == [("L1", date(2025, 6, 30), "expired"), ("L1", date(2025, 6, 30), "expiring")]


def test_a_renewed_licence_is_alerted_again_for_its_new_date(practice):
    provider = ProviderFactory(practice=practice)
    lic = License.objects.create(provider=provider, number="L1", state="IL", expires_on=date(2025, 6, 30))
    license_expiry_alerts_raise(today=date(2025, 6, 1))
    lic.expires_on = date(2026, 6, 30)
    lic.save(update_fields=["expires_on"])
    assert license_expiry_alerts_raise(today=date(2026, 6, 1)) == 1
    assert alerts() == [("L1", date(2025, 6, 30), "expiring"), ("L1", date(2026, 6, 30), "expiring")]


@time_machine.travel("2025-06-02 03:30:00+00:00", tick=False)
def test_each_practice_uses_its_own_today():
    # given: 03:30 UTC on June 2 is still June 1 in Chicago
    chicago = PracticeFactory(timezone="America/Chicago")
    utc = PracticeFactory(timezone="UTC")
    for practice, number in ((chicago, "CHI"), (utc, "UTC")):
        provider = ProviderFactory(practice=practice)
        License.objects.create(provider=provider, number=number, state="IL", expires_on=date(2025, 6, 1))
    # when
    created = license_expiry_alerts_raise()
    # then
    assert created == 2
    assert alerts() == [("CHI", date(2025, 6, 1), "expiring"), ("UTC", date(2025, 6, 1), "expired")]


def test_nothing_to_alert(practice):
    provider = ProviderFactory(practice=practice)
    License.objects.create(provider=provider, number="L1", state="IL", expires_on=date(2030, 1, 1))
    assert license_expiry_alerts_raise(today=date(2025, 6, 1)) == 0
    assert LicenseAlert.objects.count() == 0
