"""practice_update, location_create, location_update."""

import pytest

from core.errors import NotFound, PermissionDenied, ValidationFailed
from practice import services
from practice.models import Location, Practice
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

FIELDS = ("legal_name", "tax_id", "billing_npi", "address_line1", "city", "state", "postal_code", "timezone")


def practice_row(practice_id):
    return Practice.objects.filter(pk=practice_id).values(*FIELDS)[0]


def test_update_practice_details(admin_access, practice):
    # when
    services.practice_update(
        access=admin_access,
        legal_name="Prairie Behavioral Health LLC",
        tax_id="987654321",
        billing_npi="1234567893",
        address_line1="500 Elm Street",
        timezone="America/Denver",
    )
    # then
    assert practice_row(practice.pk) == {
        "legal_name": "Prairie Behavioral Health LLC",
        "tax_id": "98-7654321",
        "billing_npi": "1234567893",
        "address_line1": "500 Elm Street",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
        "timezone": "America/Denver",
    }


@pytest.mark.parametrize(
    ("_case", "changes", "field"),
    [
        ("PO box", {"address_line1": "PO Box 12"}, "address_line1"),
        ("not an IANA zone", {"timezone": "Central Time"}, "timezone"),
        ("bad billing NPI", {"billing_npi": "1234567890"}, "billing_npi"),
        ("bad EIN", {"tax_id": "12-34"}, "tax_id"),
    ],
)
def test_invalid_practice_details_change_nothing(admin_access, practice, _case, changes, field):
    before = practice_row(practice.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.practice_update(access=admin_access, legal_name="Renamed", **changes)
    assert list(caught.value.field_errors) == [field]
    assert practice_row(practice.pk) == before


def test_billing_npi_taken_by_another_practice(admin_access, practice, other_practice):
    before = practice_row(practice.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.practice_update(access=admin_access, billing_npi=other_practice.billing_npi)
    assert caught.value.field_errors == {"billing_npi": ["Another practice already uses this billing NPI."]}
    assert practice_row(practice.pk) == before


def test_biller_cannot_update_the_practice(biller_access, practice):
    before = practice_row(practice.pk)
    with pytest.raises(PermissionDenied):
        services.practice_update(access=biller_access, legal_name="Renamed")
    assert practice_row(practice.pk) == before


def test_create_a_location(admin_access, practice):
    # when
    location = services.location_create(
        access=admin_access,
        name="School site",
        address_line1="1 School Road",
        city="Springfield",
        state="il",
        postal_code="62703",
        default_place_of_service="03",
    )
    # then
    rows = Location.objects.filter(practice=practice).values_list("name", "state", "default_place_of_service")
    assert list(rows) == [("School site", "IL", "03")]
    assert location.practice_id == practice.pk


@pytest.mark.parametrize(
    ("_case", "changes", "errors"),
    [
        ("inpatient POS", {"default_place_of_service": "21"}, {"default_place_of_service": ["Place of service 21 is not one we bill; choose from the list."]}),
        ("PO box", {"address_line1": "PO Box 1"}, {"address_line1": ["The billing address must be a street address, not a PO box."]}),
        ("bad facility NPI", {"npi": "1234567890"}, {"npi": ["This NPI's check digit is wrong; check it for a typo."]}),
        ("taken name", {"name": "main office"}, {"name": ["Another location already has this name."]}),
    ],
)  # fmt: skip
def test_invalid_location_is_not_created(admin_access, practice, _case, changes, errors):
    LocationFactory(practice=practice, name="Main Office")
    values = {
        "name": "Annex",
        "address_line1": "2 Side Street",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62701",
    } | changes
    with pytest.raises(ValidationFailed) as caught:
        services.location_create(access=admin_access, **values)
    assert caught.value.field_errors == errors
    assert Location.objects.filter(practice=practice).count() == 1


def test_update_a_location(admin_access, practice):
    location = LocationFactory(practice=practice)
    services.location_update(
        access=admin_access, location_id=location.pk, default_place_of_service="53", is_active=False
    )
    location.refresh_from_db()
    assert (location.default_place_of_service, location.is_active) == ("53", False)


def test_update_another_practices_location_is_not_found(admin_access, other_practice):
    location = LocationFactory(practice=other_practice, default_place_of_service="11")
    with pytest.raises(NotFound):
        services.location_update(access=admin_access, location_id=location.pk, default_place_of_service="12")
    location.refresh_from_db()
    assert location.default_place_of_service == "11"
