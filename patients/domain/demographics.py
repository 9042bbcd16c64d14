"""Rules for a patient's demographics and guarantor. Pure: `today` is passed in."""

from __future__ import annotations

import datetime as dt
import re

from core.domain.problems import Problem
from patients.domain.problems import PatientProblem, required
from patients.domain.types import (
    GUARANTOR_RELATIONSHIPS,
    SEX_CODES,
    GuarantorInput,
    PatientInput,
)

MAX_AGE_YEARS = 120

# USPS codes: the states, DC, and the territories and military "states" that appear on claims.
# fmt: off
US_STATE_CODES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
    "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
    "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP",
))
# fmt: on
_POSTAL_RE = re.compile(r"^\d{5}(-?\d{4})?$")


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (Feb 29 → Feb 28 when that year has none)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def date_of_birth_problems(
    date_of_birth: dt.date | None,
    *,
    today: dt.date,
    field: str = "date_of_birth",
    label: str = "Date of birth",
) -> list[Problem]:
    """Born today is fine; tomorrow is a typo. More than 120 years ago is a typo too."""
    if date_of_birth is None:
        return [Problem(PatientProblem.REQUIRED, f"{label} is required.", field)]
    if date_of_birth > today:
        return [Problem(PatientProblem.DOB_IN_FUTURE, f"{label} can't be in the future.", field)]
    if date_of_birth < years_before(today, MAX_AGE_YEARS):
        return [
            Problem(
                PatientProblem.DOB_TOO_OLD,
                f"{label} is more than {MAX_AGE_YEARS} years ago; check the year.",
                field,
            )
        ]
    return []


def state_problems(state: str, *, field: str = "state") -> list[Problem]:
    if not state.strip():
        return [Problem(PatientProblem.REQUIRED, "State is required.", field)]
    if state.strip().upper() not in US_STATE_CODES:
        return [Problem(PatientProblem.STATE_INVALID, "Use the two-letter USPS state code, as IL.", field)]
    return []


def postal_code_problems(postal_code: str, *, field: str = "postal_code") -> list[Problem]:
    if not postal_code.strip():
        return [Problem(PatientProblem.REQUIRED, "ZIP code is required.", field)]
    if not _POSTAL_RE.match(postal_code.strip()):
        return [Problem(PatientProblem.POSTAL_CODE_INVALID, "A ZIP code is 5 digits or ZIP+4.", field)]
    return []


def phone_problems(phone: str, *, field: str = "phone") -> list[Problem]:
    """Optional; when given, a 10-digit US number (punctuation and a leading 1 are fine)."""
    if not phone.strip():
        return []
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or re.search(r"[^\d\s().+\-]", phone):
        return [
            Problem(PatientProblem.PHONE_INVALID, "A phone number has 10 digits, as 217-555-0134.", field)
        ]
    return []


def address_problems(*, address_line1: str, city: str, state: str, postal_code: str) -> list[Problem]:
    return [
        *required(address_line1, "address_line1", "Street address"),
        *required(city, "city", "City"),
        *state_problems(state),
        *postal_code_problems(postal_code),
    ]


def patient_problems(patient: PatientInput, *, today: dt.date) -> list[Problem]:
    """Everything wrong with the demographics, all at once (so a form shows every error)."""
    problems = [
        *required(patient.first_name, "first_name", "First name"),
        *required(patient.last_name, "last_name", "Last name"),
        *date_of_birth_problems(patient.date_of_birth, today=today),
    ]
    if patient.sex not in SEX_CODES:
        problems.append(Problem(PatientProblem.SEX_INVALID, "Choose female, male or unknown.", "sex"))
    problems += address_problems(
        address_line1=patient.address_line1,
        city=patient.city,
        state=patient.state,
        postal_code=patient.postal_code,
    )
    problems += phone_problems(patient.phone)
    return problems


def guarantor_problems(guarantor: GuarantorInput, *, today: dt.date) -> list[Problem]:
    """A self guarantor needs nothing more; anyone else needs a name and a billing address."""
    if guarantor.relationship not in GUARANTOR_RELATIONSHIPS:
        return [
            Problem(
                PatientProblem.RELATIONSHIP_INVALID, "Choose the guarantor's relationship.", "relationship"
            )
        ]
    if guarantor.is_self:
        return []
    problems = [
        *required(guarantor.first_name, "first_name", "Guarantor's first name"),
        *required(guarantor.last_name, "last_name", "Guarantor's last name"),
        *address_problems(
            address_line1=guarantor.address_line1,
            city=guarantor.city,
            state=guarantor.state,
            postal_code=guarantor.postal_code,
        ),
        *phone_problems(guarantor.phone),
    ]
    if guarantor.date_of_birth is not None:
        problems += date_of_birth_problems(
            guarantor.date_of_birth, today=today, label="Guarantor's date of birth"
        )
    return problems


def guarantor_from_patient(patient: PatientInput) -> GuarantorInput:
    """The self guarantor: the patient's own name and address."""
    return GuarantorInput(
        first_name=patient.first_name,
        last_name=patient.last_name,
        date_of_birth=patient.date_of_birth,
        address_line1=patient.address_line1,
        address_line2=patient.address_line2,
        city=patient.city,
        state=patient.state,
        postal_code=patient.postal_code,
        phone=patient.phone,
        email=patient.email,
    )
