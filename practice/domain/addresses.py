"""US postal addresses as claims need them: state codes, ZIP codes, phone numbers (pure)."""

from __future__ import annotations

import re

from core.domain.identifiers import street_address_problems
from core.domain.problems import Problem

# USPS codes for the states, DC and the territories that appear on US claims.
US_STATE_CODES = frozenset(
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
        "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
        "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
        "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
    }
)  # fmt: skip

_ZIP_RE = re.compile(r"^\d{5}(-?\d{4})?$")


def state_problems(state: str, *, field: str = "state") -> list[Problem]:
    if not state.strip():
        return [Problem("state_missing", "A state is required.", field)]
    if state.strip().upper() not in US_STATE_CODES:
        return [Problem("state_unknown", "Use a two-letter US state code, as IL.", field)]
    return []


def postal_code_problems(postal_code: str, *, field: str = "postal_code") -> list[Problem]:
    if not _ZIP_RE.match(postal_code.strip()):
        return [Problem("postal_code_format", "A ZIP code is 5 or 9 digits, as 62701 or 62701-1234.", field)]
    return []


def phone_problems(phone: str, *, field: str = "phone") -> list[Problem]:
    """Optional; when given, a 10-digit US number (punctuation allowed)."""
    if not phone.strip():
        return []
    digits = re.sub(r"[\s().+\-]", "", phone)
    if digits.startswith("1") and len(digits) == 11:
        digits = digits[1:]
    if len(digits) != 10 or not digits.isdigit():
        return [Problem("phone_format", "A phone number has 10 digits, as 217-555-0100.", field)]
    return []


def required_text_problems(value: str, *, field: str, label: str) -> list[Problem]:
    if not value.strip():
        return [Problem(f"{field}_missing", f"{label} is required.", field)]
    return []


def postal_address_problems(
    *, line1: str, city: str, state: str, postal_code: str, street_only: bool, prefix: str = ""
) -> list[Problem]:
    """A complete US address. `street_only` rejects PO boxes (billing and service addresses)."""
    line1_field = f"{prefix}address_line1"
    problems: list[Problem] = []
    if street_only:
        problems += street_address_problems(line1, field=line1_field)
    else:
        problems += required_text_problems(line1, field=line1_field, label="An address")
    problems += required_text_problems(city, field=f"{prefix}city", label="A city")
    problems += state_problems(state, field=f"{prefix}state")
    problems += postal_code_problems(postal_code, field=f"{prefix}postal_code")
    return problems
