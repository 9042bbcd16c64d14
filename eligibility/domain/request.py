"""The 270 request for a check (pure): who is asked about, for which date and service types.

The date of service is the appointment's date (pitfall E6), never today or the policy's
effective date. The patient goes as the subscriber when they are the subscriber; otherwise the
card holder is the subscriber and the patient a dependent (`edi.x270.place_patient`, pitfall E10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from edi.x270 import EligibilityRequest, Payer, Person, Provider, place_patient

SELF = "18"


@dataclass(frozen=True, slots=True)
class CheckFacts:
    patient_first_name: str
    patient_last_name: str
    patient_birth_date: date | None
    patient_sex: str
    member_id: str
    group_number: str
    relationship: str  # X12 individual relationship: 18 self, 01 spouse, 19 child, G8 other
    subscriber_first_name: str
    subscriber_last_name: str
    subscriber_birth_date: date | None
    subscriber_sex: str
    payer_name: str
    payer_id: str
    provider_name: str
    provider_npi: str
    service_date: date
    service_types: tuple[str, ...]


def build_request(facts: CheckFacts, *, trace_number: str) -> EligibilityRequest:
    patient = Person(
        last_name=facts.patient_last_name,
        first_name=facts.patient_first_name,
        birth_date=facts.patient_birth_date,
        gender=facts.patient_sex if facts.patient_sex in ("M", "F") else "",
    )
    if facts.relationship == SELF or not facts.subscriber_last_name:
        subscriber: Person | None = None
        patient = Person(
            last_name=patient.last_name,
            first_name=patient.first_name,
            birth_date=patient.birth_date,
            gender=patient.gender,
            member_id=facts.member_id,
            group_number=facts.group_number,
        )
    else:
        subscriber = Person(
            last_name=facts.subscriber_last_name,
            first_name=facts.subscriber_first_name,
            birth_date=facts.subscriber_birth_date,
            gender=facts.subscriber_sex if facts.subscriber_sex in ("M", "F") else "",
            member_id=facts.member_id,
            group_number=facts.group_number,
        )
    subscriber_person, dependent = place_patient(patient=patient, subscriber=subscriber)
    return EligibilityRequest(
        payer=Payer(name=facts.payer_name, payer_id=facts.payer_id),
        provider=Provider(name=facts.provider_name, npi=facts.provider_npi),
        subscriber=subscriber_person,
        dependent=dependent,
        service_date=facts.service_date,
        trace_number=trace_number,
        service_types=facts.service_types or ("MH",),
    )
