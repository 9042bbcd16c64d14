"""Practice and location API: retrieve/update the practice, list/create/update locations."""

import pytest
from django.urls import reverse

from practice.models import Location, Practice
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def admin_client(practice, make_member, client_for):
    return client_for(make_member("practice_admin", practice))


def test_retrieve_the_practice(practice, make_member, client_for):
    response = client_for(make_member("technician", practice)).get(reverse("practice_api:practice_detail"))
    assert response.status_code == 200
    assert response.json() == {
        "id": practice.pk,
        "legal_name": practice.legal_name,
        "tax_id": practice.tax_id,
        "billing_npi": practice.billing_npi,
        "taxonomy_code": "",
        "address_line1": "100 Main Street",
        "address_line2": "",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "phone": "",
        "timezone": "America/Chicago",
    }


def test_update_the_practice(admin_client, practice):
    response = post(admin_client, reverse("practice_api:practice_update"), {"timezone": "America/Denver"})
    assert response.status_code == 200
    assert response.json()["timezone"] == "America/Denver"
    assert Practice.objects.get(pk=practice.pk).timezone == "America/Denver"


def test_po_box_is_rejected(admin_client, practice):
    response = post(admin_client, reverse("practice_api:practice_update"), {"address_line1": "PO Box 9"})
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "address_line1": ["The billing address must be a street address, not a PO box."]
    }
    assert Practice.objects.get(pk=practice.pk).address_line1 == "100 Main Street"


def test_biller_cannot_update_the_practice(practice, make_member, client_for):
    client = client_for(make_member("biller", practice))
    response = post(client, reverse("practice_api:practice_update"), {"legal_name": "Mine now"})
    assert response.status_code == 403
    assert Practice.objects.get(pk=practice.pk).legal_name == practice.legal_name


def test_locations_are_scoped(admin_client, practice, other_practice):
    mine = LocationFactory(practice=practice, name="Main")
    LocationFactory(practice=other_practice, name="Elsewhere")
    response = admin_client.get(reverse("practice_api:location_list"))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_create_a_location(admin_client, practice):
    response = post(
        admin_client,
        reverse("practice_api:location_create"),
        {
            "name": "Home visits",
            "address_line1": "1 Clinic Way",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
            "default_place_of_service": "12",
        },
    )
    location = Location.objects.get(practice=practice)
    assert response.status_code == 201
    assert response.json() == {
        "id": location.pk,
        "name": "Home visits",
        "address_line1": "1 Clinic Way",
        "address_line2": "",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "npi": "",
        "default_place_of_service": "12",
        "is_active": True,
    }


def test_unknown_pos_is_rejected_by_shape(admin_client, practice):
    response = post(
        admin_client,
        reverse("practice_api:location_create"),
        {
            "name": "Hospital",
            "address_line1": "1 Clinic Way",
            "city": "Springfield",
            "state": "IL",
            "postal_code": "62701",
            "default_place_of_service": "21",
        },
    )
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["default_place_of_service"]
    assert Location.objects.count() == 0


def test_update_another_practices_location_is_404(admin_client, other_practice):
    location = LocationFactory(practice=other_practice, name="Theirs")
    response = post(
        admin_client, reverse("practice_api:location_update", args=[location.pk]), {"name": "Ours"}
    )
    assert response.status_code == 404
    assert Location.objects.get(pk=location.pk).name == "Theirs"
