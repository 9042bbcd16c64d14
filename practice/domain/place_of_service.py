"""Place-of-service codes a behavioral health practice uses (a small subset of CMS's list).

The labels are our own short wording; the codes are the CMS two-digit POS codes.
"""

from __future__ import annotations

from core.domain.problems import Problem

PLACES_OF_SERVICE: dict[str, str] = {
    "02": "Telehealth, patient not at home",
    "03": "School",
    "04": "Homeless shelter",
    "10": "Telehealth, patient at home",
    "11": "Office",
    "12": "Patient's home",
    "14": "Group home",
    "15": "Mobile unit",
    "22": "Hospital outpatient (on campus)",
    "49": "Independent clinic",
    "52": "Psychiatric partial hospitalization",
    "53": "Community mental health center",
    "56": "Psychiatric residential treatment center",
    "57": "Non-residential substance use treatment",
    "58": "Non-residential opioid treatment",
    "99": "Other place of service",
}

TELEHEALTH_CODES = frozenset({"02", "10"})

DEFAULT_PLACE_OF_SERVICE = "11"


def place_of_service_label(code: str) -> str:
    return PLACES_OF_SERVICE.get(code, code)


def place_of_service_problems(code: str, *, field: str = "default_place_of_service") -> list[Problem]:
    value = code.strip()
    if len(value) != 2 or not value.isdigit():
        return [Problem("pos_format", "A place-of-service code is two digits, as 11.", field)]
    if value not in PLACES_OF_SERVICE:
        return [
            Problem(
                "pos_unsupported",
                f"Place of service {value} is not one we bill; choose from the list.",
                field,
            )
        ]
    return []
