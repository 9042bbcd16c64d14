"""Practice, location, provider and licence rules (pure, no database)."""

from dataclasses import replace
from datetime import date

import pytest

from practice.domain.rules import (
    license_problems,
    license_renewal_problems,
    location_problems,
    practice_details_normalized,
    practice_problems,
    provider_details_normalized,
    provider_problems,
    taxonomy_problems,
)
from practice.domain.types import LicenseDetails, LocationDetails, PracticeDetails, ProviderDetails

PRACTICE = PracticeDetails(
    legal_name="Prairie Behavioral Health LLC",
    tax_id="12-3456789",
    billing_npi="1234567893",
    taxonomy_code="251S00000X",
    address_line1="100 Main Street",
    address_line2="",
    city="Springfield",
    state="IL",
    postal_code="62701",
    phone="217-555-0100",
    timezone="America/Chicago",
)

LOCATION = LocationDetails(
    name="Downtown clinic",
    address_line1="200 Oak Avenue",
    address_line2="Suite 4",
    city="Springfield",
    state="IL",
    postal_code="62702-1234",
    npi="",
    default_place_of_service="11",
)

PROVIDER = ProviderDetails(
    first_name="Dana", last_name="Reyes", npi="1245319599", taxonomy_code="101YP2500X", credential="LPC"
)


def codes(problems):
    return [(p.code, p.field) for p in problems]


# --- practice --------------------------------------------------------------------------------------


def test_valid_practice_has_no_problems():
    assert practice_problems(PRACTICE) == []


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("PO box billing address", {"address_line1": "PO Box 77"}, [("address_po_box", "address_line1")]),
        ("bad NPI check digit", {"billing_npi": "1234567890"}, [("npi_check_digit", "billing_npi")]),
        ("missing NPI", {"billing_npi": ""}, [("npi_missing", "billing_npi")]),
        ("bad EIN", {"tax_id": "1234"}, [("tax_id_format", "tax_id")]),
        ("unknown time zone", {"timezone": "Mars/Olympus_Mons"}, [("timezone_unknown", "timezone")]),
        ("abbreviation is not an IANA zone", {"timezone": "CST"}, [("timezone_unknown", "timezone")]),
        ("path traversal is not a zone", {"timezone": "../etc/passwd"}, [("timezone_unknown", "timezone")]),
        ("blank time zone", {"timezone": ""}, [("timezone_missing", "timezone")]),
        ("unknown state", {"state": "XX"}, [("state_unknown", "state")]),
        ("short ZIP", {"postal_code": "6270"}, [("postal_code_format", "postal_code")]),
        ("bad phone", {"phone": "555-0100"}, [("phone_format", "phone")]),
        ("bad taxonomy", {"taxonomy_code": "251S00000"}, [("taxonomy_format", "taxonomy_code")]),
        ("no legal name", {"legal_name": " "}, [("legal_name_missing", "legal_name")]),
        ("no city", {"city": ""}, [("city_missing", "city")]),
    ],
)
def test_practice_problems(_case, changes, expected):
    assert codes(practice_problems(replace(PRACTICE, **changes))) == expected


def test_practice_details_are_normalized():
    # given
    raw = replace(PRACTICE, tax_id=" 123456789 ", state="il", taxonomy_code="251s00000x", legal_name=" X ")
    # when
    normalized = practice_details_normalized(raw)
    # then
    assert (normalized.tax_id, normalized.state, normalized.taxonomy_code, normalized.legal_name) == (
        "12-3456789",
        "IL",
        "251S00000X",
        "X",
    )


# --- locations ---------------------------------------------------------------------------------------


def test_valid_location_has_no_problems():
    assert location_problems(LOCATION) == []


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("telehealth at home is allowed", {"default_place_of_service": "10"}, []),
        ("community mental health center", {"default_place_of_service": "53"}, []),
        ("facility NPI must be valid", {"npi": "1234567890"}, [("npi_check_digit", "npi")]),
        ("valid facility NPI", {"npi": "1234567893"}, []),
        ("inpatient hospital is not ours", {"default_place_of_service": "21"}, [("pos_unsupported", "default_place_of_service")]),
        ("one digit POS", {"default_place_of_service": "1"}, [("pos_format", "default_place_of_service")]),
        ("letters POS", {"default_place_of_service": "AB"}, [("pos_format", "default_place_of_service")]),
        ("PO box", {"address_line1": "P.O. Box 9"}, [("address_po_box", "address_line1")]),
        ("no name", {"name": ""}, [("name_missing", "name")]),
    ],
)  # fmt: skip
def test_location_problems(_case, changes, expected):
    assert codes(location_problems(replace(LOCATION, **changes))) == expected


# --- providers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("licensed with a valid NPI", {}, []),
        ("technician without NPI", {"credential": "RBT", "npi": ""}, []),
        ("BHT without NPI", {"credential": "BHT", "npi": ""}, []),
        ("LMSW (supervised) without NPI", {"credential": "LMSW", "npi": ""}, []),
        ("technician with a bad NPI", {"credential": "RBT", "npi": "1234567890"}, [("npi_check_digit", "npi")]),
        ("licensed without NPI", {"npi": ""}, [("npi_missing", "npi")]),
        ("BCBA without NPI", {"credential": "BCBA", "npi": ""}, [("npi_missing", "npi")]),
        ("psychiatrist with a 9-digit NPI", {"credential": "MD/DO", "npi": "124531959"}, [("npi_format", "npi")]),
        ("unknown credential", {"credential": "Shaman"}, [("credential_unknown", "credential")]),
        ("no taxonomy is fine", {"taxonomy_code": ""}, []),
        ("taxonomy without trailing X", {"taxonomy_code": "101YP25000"}, [("taxonomy_format", "taxonomy_code")]),
        ("taxonomy too long", {"taxonomy_code": "101YP2500XX"}, [("taxonomy_format", "taxonomy_code")]),
        ("no names", {"first_name": "", "last_name": ""}, [("first_name_missing", "first_name"), ("last_name_missing", "last_name")]),
    ],
)  # fmt: skip
def test_provider_problems(_case, changes, expected):
    assert codes(provider_problems(replace(PROVIDER, **changes))) == expected


def test_provider_details_are_normalized():
    normalized = provider_details_normalized(
        replace(PROVIDER, npi=" 1245319599 ", taxonomy_code="101yp2500x")
    )
    assert (normalized.npi, normalized.taxonomy_code) == ("1245319599", "101YP2500X")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("101YP2500X", []), ("", []), ("101yp2500x", ["taxonomy_format"]), ("101-P2500X", ["taxonomy_format"])],
)
def test_taxonomy_problems(code, expected):
    assert [p.code for p in taxonomy_problems(code)] == expected


def test_taxonomy_can_be_required():
    assert [p.code for p in taxonomy_problems("", required=True)] == ["taxonomy_missing"]


# --- licences --------------------------------------------------------------------------------------------

LICENSE = LicenseDetails(
    number="LPC-001", state="IL", kind="LPC", issued_on=date(2024, 1, 1), expires_on=date(2026, 1, 1)
)


@pytest.mark.parametrize(
    ("_case", "changes", "expected"),
    [
        ("valid", {}, []),
        ("issued and expiring the same day", {"issued_on": date(2026, 1, 1)}, []),
        ("expires before issued", {"issued_on": date(2026, 1, 2)}, [("license_dates_order", "expires_on")]),
        ("no expiry", {"expires_on": None}, [("expires_on_missing", "expires_on")]),
        ("no number", {"number": ""}, [("number_missing", "number")]),
        ("bad state", {"state": "Illinois"}, [("state_unknown", "state")]),
    ],
)
def test_license_problems(_case, changes, expected):
    assert codes(license_problems(replace(LICENSE, **changes))) == expected


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (date(2026, 1, 2), []),
        (date(2026, 1, 1), ["renewal_not_later"]),
        (date(2025, 12, 31), ["renewal_not_later"]),
        (None, ["expires_on_missing"]),
    ],
)
def test_license_renewal_problems(new, expected):
    problems = license_renewal_problems(current_expires_on=date(2026, 1, 1), new_expires_on=new)
    assert [p.code for p in problems] == expected
