"""Practice settings screen: admin only; details and locations."""

import pytest
from django.urls import reverse

from practice.models import Location, Practice
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

VALID = {
    "legal_name": "Prairie Behavioral Health LLC",
    "tax_id": "12-3456789",
    "billing_npi": "1234567893",
    "taxonomy_code": "",
    "address_line1": "100 Main Street",
    "address_line2": "",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "phone": "",
    "timezone": "America/Chicago",
}


@pytest.fixture
def admin_web(practice, make_member, client_for):
    return client_for(make_member("practice_admin", practice))


def test_settings_page_lists_locations(admin_web, practice):
    location = LocationFactory(practice=practice, name="Main Office", default_place_of_service="53")
    response = admin_web.get(reverse("practice:settings"))
    assert response.status_code == 200
    assert [(r.name, r.place_of_service) for r in response.context["locations"]] == [
        ("Main Office", "53 · Community mental health center")
    ]
    assert response.context["locations"][0].edit_url == reverse("practice:location_edit", args=[location.pk])


@pytest.mark.parametrize("role", ["biller", "technician", "compliance"])
def test_settings_are_admin_only(practice, make_member, client_for, role):
    assert client_for(make_member(role, practice)).get(reverse("practice:settings")).status_code == 403


def test_save_practice_details(admin_web, practice):
    response = admin_web.post(reverse("practice:settings"), VALID)
    assert response.status_code == 302
    assert Practice.objects.get(pk=practice.pk).billing_npi == "1234567893"


def test_invalid_details_show_on_the_form(admin_web, practice):
    response = admin_web.post(
        reverse("practice:settings"), VALID | {"address_line1": "PO Box 1", "timezone": "Nowhere"}
    )
    assert response.status_code == 400
    assert response.context["practice_form"].errors == {
        "address_line1": ["The billing address must be a street address, not a PO box."],
        "timezone": ["Use an IANA time zone name, as America/Chicago."],
    }
    assert Practice.objects.get(pk=practice.pk).legal_name == practice.legal_name


def test_add_and_edit_a_location(admin_web, practice):
    created = admin_web.post(
        reverse("practice:location_create"),
        {
            "name": "School",
            "address_line1": "1 School Road",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
            "default_place_of_service": "03",
        },
    )
    location = Location.objects.get(practice=practice)
    edited = admin_web.post(
        reverse("practice:location_edit", args=[location.pk]),
        {
            "name": "School annex",
            "address_line1": "1 School Road",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
            "default_place_of_service": "03",
            "is_active": "on",
        },
    )
    location.refresh_from_db()
    assert (created.status_code, edited.status_code) == (302, 302)
    assert (location.name, location.default_place_of_service) == ("School annex", "03")


def test_edit_another_practices_location_is_404(admin_web, other_practice):
    location = LocationFactory(practice=other_practice)
    assert admin_web.get(reverse("practice:location_edit", args=[location.pk])).status_code == 404
