"""license_add / license_renew / alerts acknowledge; supervision_add / supervision_end."""

from datetime import date

import pytest
import time_machine

from core.errors import NotFound, PermissionDenied, ValidationFailed
from practice import services
from practice.models import License, LicenseAlert, Supervision
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def supervision_rows():
    return list(
        Supervision.objects.order_by("pk").values_list(
            "supervisor_id", "supervisee_id", "starts_on", "ends_on"
        )
    )


# --- licences --------------------------------------------------------------------------------------


def test_add_a_licence(admin_access, practice):
    provider = ProviderFactory(practice=practice)
    lic = services.license_add(
        access=admin_access,
        provider_id=provider.pk,
        number=" LPC-123 ",
        state="il",
        kind="LPC",
        issued_on=date(2024, 1, 1),
        expires_on=date(2026, 1, 31),
    )
    assert list(License.objects.values_list("provider_id", "number", "state", "expires_on")) == [
        (provider.pk, "LPC-123", "IL", date(2026, 1, 31))
    ]
    assert lic.provider_id == provider.pk


def test_duplicate_licence_is_rejected(admin_access, practice):
    provider = ProviderFactory(practice=practice)
    services.license_add(
        access=admin_access, provider_id=provider.pk, number="LPC-1", state="IL", expires_on=date(2026, 1, 1)
    )
    with pytest.raises(ValidationFailed) as caught:
        services.license_add(
            access=admin_access,
            provider_id=provider.pk,
            number="LPC-1",
            state="IL",
            expires_on=date(2027, 1, 1),
        )
    assert caught.value.field_errors == {"number": ["This provider already has this licence on file."]}
    assert License.objects.count() == 1


def test_licence_for_another_practices_provider_is_not_found(admin_access, other_practice):
    provider = ProviderFactory(practice=other_practice)
    with pytest.raises(NotFound):
        services.license_add(
            access=admin_access, provider_id=provider.pk, number="X1", state="IL", expires_on=date(2026, 1, 1)
        )
    assert License.objects.count() == 0


def test_biller_cannot_add_a_licence(biller_access, practice):
    provider = ProviderFactory(practice=practice)
    with pytest.raises(PermissionDenied):
        services.license_add(
            access=biller_access,
            provider_id=provider.pk,
            number="X1",
            state="IL",
            expires_on=date(2026, 1, 1),
        )
    assert License.objects.count() == 0


def test_renew_a_licence(admin_access, practice):
    provider = ProviderFactory(practice=practice)
    lic = License.objects.create(provider=provider, number="L1", state="IL", expires_on=date(2025, 6, 30))
    services.license_renew(access=admin_access, license_id=lic.pk, expires_on=date(2027, 6, 30))
    with pytest.raises(ValidationFailed):
        services.license_renew(access=admin_access, license_id=lic.pk, expires_on=date(2027, 6, 30))
    lic.refresh_from_db()
    assert lic.expires_on == date(2027, 6, 30)


@time_machine.travel("2025-06-01 12:00:00+00:00", tick=False)
def test_acknowledge_an_alert_keeps_the_first_time(admin_access, practice):
    provider = ProviderFactory(practice=practice)
    lic = License.objects.create(provider=provider, number="L1", state="IL", expires_on=date(2025, 6, 30))
    alert = LicenseAlert.objects.create(license=lic, expires_on=lic.expires_on, status="expiring")
    first = services.license_alert_acknowledge(access=admin_access, alert_id=alert.pk).acknowledged_at
    with time_machine.travel("2025-06-02 12:00:00+00:00", tick=False):
        second = services.license_alert_acknowledge(access=admin_access, alert_id=alert.pk).acknowledged_at
    assert first == second
    assert first.isoformat() == "2025-06-01T12:00:00+00:00"


def test_acknowledge_another_practices_alert_is_not_found(admin_access, other_practice):
    provider = ProviderFactory(practice=other_practice)
    lic = License.objects.create(provider=provider, number="L1", state="IL", expires_on=date(2025, 6, 30))
    alert = LicenseAlert.objects.create(license=lic, expires_on=lic.expires_on, status="expiring")
    with pytest.raises(NotFound):
        services.license_alert_acknowledge(access=admin_access, alert_id=alert.pk)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


# --- supervision -----------------------------------------------------------------------------------


@pytest.fixture
def bcba(practice):
    return ProviderFactory(practice=practice, credential="BCBA")


@pytest.fixture
def rbt(practice):
    return ProviderFactory(practice=practice, credential="RBT", npi="")


def test_add_and_end_a_supervision(admin_access, bcba, rbt):
    # when
    supervision = services.supervision_add(
        access=admin_access, supervisor_id=bcba.pk, supervisee_id=rbt.pk, starts_on=date(2025, 1, 1)
    )
    services.supervision_end(access=admin_access, supervision_id=supervision.pk, ends_on=date(2025, 6, 30))
    # then
    assert supervision_rows() == [(bcba.pk, rbt.pk, date(2025, 1, 1), date(2025, 6, 30))]


def test_a_new_period_may_start_after_the_old_one_ends(admin_access, bcba, rbt):
    first = services.supervision_add(
        access=admin_access, supervisor_id=bcba.pk, supervisee_id=rbt.pk, starts_on=date(2025, 1, 1)
    )
    services.supervision_end(access=admin_access, supervision_id=first.pk, ends_on=date(2025, 3, 31))
    services.supervision_add(
        access=admin_access, supervisor_id=bcba.pk, supervisee_id=rbt.pk, starts_on=date(2025, 4, 1)
    )
    assert len(supervision_rows()) == 2


def test_overlapping_duplicate_is_rejected(admin_access, bcba, rbt):
    services.supervision_add(
        access=admin_access, supervisor_id=bcba.pk, supervisee_id=rbt.pk, starts_on=date(2025, 1, 1)
    )
    before = supervision_rows()
    with pytest.raises(ValidationFailed) as caught:
        services.supervision_add(
            access=admin_access, supervisor_id=bcba.pk, supervisee_id=rbt.pk, starts_on=date(2025, 5, 1)
        )
    assert list(caught.value.field_errors) == ["starts_on"]
    assert supervision_rows() == before


def test_technician_cannot_supervise(admin_access, bcba, rbt):
    with pytest.raises(ValidationFailed) as caught:
        services.supervision_add(
            access=admin_access, supervisor_id=rbt.pk, supervisee_id=bcba.pk, starts_on=date(2025, 1, 1)
        )
    assert caught.value.field_errors == {
        "supervisor_id": ["A registered behavior technician cannot supervise other providers."]
    }
    assert supervision_rows() == []


def test_not_self(admin_access, bcba):
    with pytest.raises(ValidationFailed) as caught:
        services.supervision_add(
            access=admin_access, supervisor_id=bcba.pk, supervisee_id=bcba.pk, starts_on=date(2025, 1, 1)
        )
    assert caught.value.field_errors == {"supervisor_id": ["A provider cannot supervise themselves."]}
    assert supervision_rows() == []


def test_supervisor_from_another_practice_is_not_found(admin_access, rbt, other_practice):
    outsider = ProviderFactory(practice=other_practice, credential="BCBA")
    with pytest.raises(NotFound):
        services.supervision_add(
            access=admin_access, supervisor_id=outsider.pk, supervisee_id=rbt.pk, starts_on=date(2025, 1, 1)
        )
    assert supervision_rows() == []


def test_ending_twice_is_rejected(admin_access, bcba, rbt):
    supervision = services.supervision_add(
        access=admin_access, supervisor_id=bcba.pk, supervisee_id=rbt.pk, starts_on=date(2025, 1, 1)
    )
    services.supervision_end(access=admin_access, supervision_id=supervision.pk, ends_on=date(2025, 2, 1))
    with pytest.raises(ValidationFailed) as caught:
        services.supervision_end(access=admin_access, supervision_id=supervision.pk, ends_on=date(2025, 3, 1))
    assert caught.value.field_errors == {"ends_on": ["This supervision has already ended."]}
    assert supervision_rows() == [(bcba.pk, rbt.pk, date(2025, 1, 1), date(2025, 2, 1))]


def test_biller_cannot_add_supervision(biller_access, bcba, rbt):
    with pytest.raises(PermissionDenied):
        services.supervision_add(
            access=biller_access, supervisor_id=bcba.pk, supervisee_id=rbt.pk, starts_on=date(2025, 1, 1)
        )
    assert supervision_rows() == []
