"""Plain values the patient rules work on (no Django, no models).

Choice values mirror the TextChoices in `patients.models` / `payers.models`; a test checks that
the two stay in step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SEX_CODES = frozenset({"F", "M", "U"})

# X12 individual relationship codes (SBR02/PAT01).
SUBSCRIBER_SELF = "18"
SUBSCRIBER_RELATIONSHIPS = frozenset({"18", "01", "19", "G8"})

PRIORITIES = {1: "Primary", 2: "Secondary", 3: "Tertiary"}

GUARANTOR_SELF = "self"
GUARANTOR_RELATIONSHIPS = frozenset({"self", "parent", "spouse", "guardian", "other"})

CONSENT_TREATMENT = "treatment"
CONSENT_HIPAA_ACK = "hipaa_notice"
CONSENT_ASSIGNMENT_OF_BENEFITS = "assignment_of_benefits"
CONSENT_RELEASE_OF_INFORMATION = "release_of_information"
CONSENT_PART2_TPO = "part2_tpo"
CONSENT_KINDS = frozenset(
    {
        CONSENT_TREATMENT,
        CONSENT_HIPAA_ACK,
        CONSENT_ASSIGNMENT_OF_BENEFITS,
        CONSENT_RELEASE_OF_INFORMATION,
        CONSENT_PART2_TPO,
    }
)


@dataclass(frozen=True, slots=True)
class PatientInput:
    """Demographics as entered (create) or as they would be after an update."""

    first_name: str
    last_name: str
    date_of_birth: dt.date | None
    sex: str
    address_line1: str
    city: str
    state: str
    postal_code: str
    middle_name: str = ""
    preferred_name: str = ""
    address_line2: str = ""
    phone: str = ""
    email: str = ""
    account_number: str = ""
    is_substance_use_program: bool = False
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class GuarantorInput:
    """Who pays the patient's balance. With relationship "self" the patient's own details are used."""

    relationship: str = GUARANTOR_SELF
    first_name: str = ""
    last_name: str = ""
    date_of_birth: dt.date | None = None
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    phone: str = ""
    email: str = ""

    @property
    def is_self(self) -> bool:
        return self.relationship == GUARANTOR_SELF


@dataclass(frozen=True, slots=True)
class CoverageInput:
    payer_id: int | None
    member_id: str
    effective_on: dt.date | None
    priority: int = 1
    terminates_on: dt.date | None = None
    group_number: str = ""
    plan_name: str = ""
    subscriber_relationship: str = SUBSCRIBER_SELF
    subscriber_first_name: str = ""
    subscriber_last_name: str = ""
    subscriber_date_of_birth: dt.date | None = None
    subscriber_sex: str = ""

    @property
    def subscriber_is_patient(self) -> bool:
        return self.subscriber_relationship == SUBSCRIBER_SELF


@dataclass(frozen=True, slots=True)
class CoverageSpan:
    """An existing coverage of the same patient, for the overlap rule."""

    coverage_id: int
    priority: int
    effective_on: dt.date
    terminates_on: dt.date | None


@dataclass(frozen=True, slots=True)
class PayerFacts:
    payer_id: int
    practice_id: int
    is_active: bool
    is_self_pay: bool


@dataclass(frozen=True, slots=True)
class ConsentFacts:
    kind: str
    signed_on: dt.date
    expires_on: dt.date | None = None
    revoked_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ConsentInput:
    kind: str
    signed_on: dt.date | None
    expires_on: dt.date | None = None
    recipient: str = ""
    purpose: str = ""


@dataclass(frozen=True, slots=True)
class DiagnosisInput:
    code: str
    description: str = ""
    onset_on: dt.date | None = None
    rank: int = 1


# Labels for forms and screens (the same values as the model choices).
SEX_CHOICES = (("F", "Female"), ("M", "Male"), ("U", "Unknown"))
PRIORITY_CHOICES = tuple(PRIORITIES.items())
SUBSCRIBER_RELATIONSHIP_CHOICES = (("18", "Self"), ("01", "Spouse"), ("19", "Child"), ("G8", "Other"))
GUARANTOR_RELATIONSHIP_CHOICES = (
    ("self", "Self"),
    ("parent", "Parent"),
    ("spouse", "Spouse"),
    ("guardian", "Legal guardian"),
    ("other", "Other"),
)
CONSENT_KIND_CHOICES = (
    (CONSENT_TREATMENT, "Consent to treatment"),
    (CONSENT_HIPAA_ACK, "Notice of privacy practices acknowledged"),
    (CONSENT_ASSIGNMENT_OF_BENEFITS, "Assignment of benefits"),
    (CONSENT_RELEASE_OF_INFORMATION, "Release of information"),
    (CONSENT_PART2_TPO, "42 CFR Part 2 consent for treatment, payment and operations"),
)
