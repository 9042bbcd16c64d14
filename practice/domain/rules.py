"""Rules for practice settings, locations, providers and licences (pure: values in, Problems out)."""

from __future__ import annotations

import re
from datetime import date

from core.domain.identifiers import normalize_tax_id, npi_problems, tax_id_problems
from core.domain.problems import Problem
from practice.domain.addresses import (
    phone_problems,
    postal_address_problems,
    required_text_problems,
    state_problems,
)
from practice.domain.credentials import Credential, credential_requires_npi
from practice.domain.place_of_service import place_of_service_problems
from practice.domain.timezones import timezone_problems
from practice.domain.types import LicenseDetails, LocationDetails, PracticeDetails, ProviderDetails

# Health Care Provider Taxonomy: 10 characters, nine letters/digits then "X" (e.g. 101YP2500X).
_TAXONOMY_RE = re.compile(r"^[0-9A-Z]{9}X$")


def taxonomy_problems(code: str, *, field: str = "taxonomy_code", required: bool = False) -> list[Problem]:
    value = code.strip()
    if not value:
        if required:
            return [Problem("taxonomy_missing", "A taxonomy code is required.", field)]
        return []
    if not _TAXONOMY_RE.match(value):
        return [
            Problem(
                "taxonomy_format",
                "A taxonomy code is 10 characters: nine letters or digits, then X (as 101YP2500X).",
                field,
            )
        ]
    return []


def optional_npi_problems(npi: str, *, field: str = "npi") -> list[Problem]:
    """Blank is fine; anything else must be a valid NPI."""
    return npi_problems(npi, field=field) if npi.strip() else []


def credential_problems(credential: str, *, field: str = "credential") -> list[Problem]:
    try:
        Credential(credential)
    except ValueError:
        return [Problem("credential_unknown", "Choose a credential from the list.", field)]
    return []


# --- normalisation (trim, upper-case codes) before the rules run -----------------------------


def practice_details_normalized(d: PracticeDetails) -> PracticeDetails:
    tax_id = d.tax_id.strip()
    return PracticeDetails(
        legal_name=d.legal_name.strip(),
        tax_id=normalize_tax_id(tax_id) if not tax_id_problems(tax_id) else tax_id,
        billing_npi=d.billing_npi.strip(),
        taxonomy_code=d.taxonomy_code.strip().upper(),
        address_line1=d.address_line1.strip(),
        address_line2=d.address_line2.strip(),
        city=d.city.strip(),
        state=d.state.strip().upper(),
        postal_code=d.postal_code.strip(),
        phone=d.phone.strip(),
        timezone=d.timezone.strip(),
    )


def location_details_normalized(d: LocationDetails) -> LocationDetails:
    return LocationDetails(
        name=d.name.strip(),
        address_line1=d.address_line1.strip(),
        address_line2=d.address_line2.strip(),
        city=d.city.strip(),
        state=d.state.strip().upper(),
        postal_code=d.postal_code.strip(),
        npi=d.npi.strip(),
        default_place_of_service=d.default_place_of_service.strip(),
    )


def provider_details_normalized(d: ProviderDetails) -> ProviderDetails:
    return ProviderDetails(
        first_name=d.first_name.strip(),
        last_name=d.last_name.strip(),
        npi=d.npi.strip(),
        taxonomy_code=d.taxonomy_code.strip().upper(),
        credential=d.credential.strip(),
    )


def license_details_normalized(d: LicenseDetails) -> LicenseDetails:
    return LicenseDetails(
        number=d.number.strip(),
        state=d.state.strip().upper(),
        kind=d.kind.strip(),
        issued_on=d.issued_on,
        expires_on=d.expires_on,
    )


# --- the rules --------------------------------------------------------------------------------


def practice_problems(details: PracticeDetails) -> list[Problem]:
    """The billing provider on every claim: legal name, EIN, NPI, street address, time zone."""
    problems = required_text_problems(details.legal_name, field="legal_name", label="A legal name")
    problems += tax_id_problems(details.tax_id)
    problems += npi_problems(details.billing_npi, field="billing_npi")
    problems += taxonomy_problems(details.taxonomy_code)
    problems += postal_address_problems(
        line1=details.address_line1,
        city=details.city,
        state=details.state,
        postal_code=details.postal_code,
        street_only=True,
    )
    problems += phone_problems(details.phone)
    problems += timezone_problems(details.timezone)
    return problems


def location_problems(details: LocationDetails) -> list[Problem]:
    """A service facility: a street address (it goes on the claim), optional NPI, a POS default."""
    problems = required_text_problems(details.name, field="name", label="A name")
    problems += postal_address_problems(
        line1=details.address_line1,
        city=details.city,
        state=details.state,
        postal_code=details.postal_code,
        street_only=True,
    )
    problems += optional_npi_problems(details.npi)
    problems += place_of_service_problems(details.default_place_of_service)
    return problems


def provider_problems(details: ProviderDetails) -> list[Problem]:
    """Name, credential, taxonomy, and the NPI rule: techs may have none; billers must have one."""
    problems = required_text_problems(details.first_name, field="first_name", label="A first name")
    problems += required_text_problems(details.last_name, field="last_name", label="A last name")
    credential_issues = credential_problems(details.credential)
    problems += credential_issues
    if details.npi.strip():
        problems += npi_problems(details.npi)
    elif not credential_issues and credential_requires_npi(details.credential):
        problems.append(
            Problem(
                "npi_missing",
                "An NPI is required for a provider who bills under their own credential.",
                "npi",
                fix_hint="Only technicians and others who work under supervision may have no NPI.",
            )
        )
    problems += taxonomy_problems(details.taxonomy_code)
    return problems


def license_problems(details: LicenseDetails) -> list[Problem]:
    problems = required_text_problems(details.number, field="number", label="A licence number")
    problems += state_problems(details.state)
    if details.expires_on is None:
        problems.append(Problem("expires_on_missing", "An expiry date is required.", "expires_on"))
    elif details.issued_on is not None and details.issued_on > details.expires_on:
        problems.append(
            Problem("license_dates_order", "The licence cannot expire before it was issued.", "expires_on")
        )
    return problems


def license_renewal_problems(*, current_expires_on: date, new_expires_on: date | None) -> list[Problem]:
    if new_expires_on is None:
        return [Problem("expires_on_missing", "An expiry date is required.", "expires_on")]
    if new_expires_on <= current_expires_on:
        return [
            Problem(
                "renewal_not_later",
                "A renewal must move the expiry date later than it is now.",
                "expires_on",
            )
        ]
    return []
