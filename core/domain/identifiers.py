"""Checks for identifiers on claims: NPI (Luhn with the 80840 prefix), tax ID, member IDs.

Pure functions: each returns a Problem list (empty when the value is valid).
"""

from __future__ import annotations

import re

from core.domain.problems import Problem

NPI_PREFIX = "80840"
_MEMBER_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{1,28}[A-Za-z0-9]$")
_EIN_RE = re.compile(r"^\d{2}-?\d{7}$")
_PO_BOX_RE = re.compile(r"\b(p\.?\s*o\.?\s*box|post\s+office\s+box|pob)\b", re.IGNORECASE)


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for a string of digits (the digit that would be appended)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:  # positions that get doubled, counting from the right of the payload
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def npi_is_valid(npi: str) -> bool:
    if len(npi) != 10 or not npi.isdigit() or npi[0] not in "12":
        return False
    return luhn_check_digit(NPI_PREFIX + npi[:9]) == int(npi[9])


def npi_problems(npi: str, *, field: str = "npi") -> list[Problem]:
    value = npi.strip()
    if not value:
        return [Problem("npi_missing", "An NPI is required.", field)]
    if len(value) != 10 or not value.isdigit():
        return [Problem("npi_format", "An NPI is exactly 10 digits.", field)]
    if value[0] not in "12":
        return [Problem("npi_format", "An NPI starts with 1 or 2.", field)]
    if not npi_is_valid(value):
        return [
            Problem(
                "npi_check_digit",
                "This NPI's check digit is wrong; check it for a typo.",
                field,
                fix_hint="Look the provider up in the NPPES registry and copy the number again.",
            )
        ]
    return []


def npi_with_check_digit(first_nine: str) -> str:
    """Complete a 9-digit NPI payload with its check digit (for synthetic data)."""
    return first_nine + str(luhn_check_digit(NPI_PREFIX + first_nine))


def tax_id_problems(tax_id: str, *, field: str = "tax_id") -> list[Problem]:
    if not _EIN_RE.match(tax_id.strip()):
        return [Problem("tax_id_format", "A tax ID (EIN) is 9 digits, as 12-3456789.", field)]
    return []


def normalize_tax_id(tax_id: str) -> str:
    digits = tax_id.replace("-", "").strip()
    return f"{digits[:2]}-{digits[2:]}"


def member_id_problems(member_id: str, *, field: str = "member_id") -> list[Problem]:
    value = member_id.strip()
    if not value:
        return [Problem("member_id_missing", "A member ID is required.", field)]
    if not _MEMBER_ID_RE.match(value):
        return [
            Problem(
                "member_id_format",
                "A member ID is 3 to 30 letters, digits or hyphens, with no spaces or symbols.",
                field,
            )
        ]
    return []


def street_address_problems(line1: str, *, field: str = "address_line1") -> list[Problem]:
    """The billing provider's address on an 837P must be a street address, not a PO box."""
    if not line1.strip():
        return [Problem("address_missing", "A street address is required.", field)]
    if _PO_BOX_RE.search(line1):
        return [
            Problem(
                "address_po_box",
                "The billing address must be a street address, not a PO box.",
                field,
                fix_hint="Put the PO box in the pay-to address instead.",
            )
        ]
    return []
