"""Django admin: the forms run the same pure rules (NPI check digit, POS, payer ID)."""

import pytest
from django.urls import reverse

from payers.admin import PayerAdminForm
from practice.admin import LocationAdminForm, PracticeAdminForm, ProviderAdminForm
from practice.models import Provider

pytestmark = pytest.mark.django_db


def provider_data(practice, **changes):
    return {
        "practice": practice.pk,
        "first_name": "Dana",
        "last_name": "Reyes",
        "npi": "1245319599",
        "taxonomy_code": "101YP2500X",
        "credential": "LPC",
        "is_active": True,
    } | changes


def test_provider_form_accepts_a_valid_npi(practice):
    assert ProviderAdminForm(data=provider_data(practice)).is_valid()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"npi": "1234567890"}, {"npi": ["This NPI's check digit is wrong; check it for a typo."]}),
        ({"npi": ""}, {"npi": ["An NPI is required for a provider who bills under their own credential."]}),
    ],
)
def test_provider_form_rejects_bad_npis(practice, changes, errors):
    form = ProviderAdminForm(data=provider_data(practice, **changes))
    assert not form.is_valid()
    assert form.errors == errors


def test_technician_form_without_npi_is_valid(practice):
    assert ProviderAdminForm(data=provider_data(practice, npi="", credential="RBT")).is_valid()


def test_practice_form_rejects_po_box_and_bad_zone():
    form = PracticeAdminForm(
        data={
            "legal_name": "X LLC",
            "tax_id": "12-3456789",
            "billing_npi": "1234567893",
            "address_line1": "PO Box 5",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
            "timezone": "Mars/Base",
        }
    )
    assert not form.is_valid()
    assert sorted(form.errors) == ["address_line1", "timezone"]


def test_location_form_rejects_bad_facility_npi(practice):
    form = LocationAdminForm(
        data={
            "practice": practice.pk,
            "name": "Clinic",
            "address_line1": "1 Main Street",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
            "npi": "1234567890",
            "default_place_of_service": "11",
            "is_active": True,
        }
    )
    assert not form.is_valid()
    assert list(form.errors) == ["npi"]


def test_payer_form_requires_payer_id_unless_self_pay(practice):
    data = {
        "practice": practice.pk,
        "name": "Acme",
        "kind": "commercial",
        "payer_id": "",
        "claim_filing_indicator": "CI",
        "timely_filing_days": 90,
        "appeal_window_days": 180,
        "is_active": True,
    }
    commercial = PayerAdminForm(data=data)
    self_pay = PayerAdminForm(data=data | {"kind": "self_pay", "name": "Self-pay"})
    assert not commercial.is_valid()
    assert "payer_id" in commercial.errors
    assert self_pay.is_valid(), self_pay.errors


def test_admin_add_provider_shows_npi_error(practice, make_member, client_for):
    # given a verified superuser
    user = make_member("practice_admin", practice)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client = client_for(user)
    data = provider_data(practice, npi="1234567890") | {
        "licenses-TOTAL_FORMS": "0",
        "licenses-INITIAL_FORMS": "0",
        "supervisors-TOTAL_FORMS": "0",
        "supervisors-INITIAL_FORMS": "0",
    }
    # when
    page = client.get(reverse("admin:practice_provider_add"))
    response = client.post(reverse("admin:practice_provider_add"), data)
    # then
    assert page.status_code == 200
    assert response.status_code == 200
    assert "This NPI&#x27;s check digit is wrong" in response.content.decode()
    assert Provider.objects.count() == 0
