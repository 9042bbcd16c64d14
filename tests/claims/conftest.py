"""Charge fixtures: the notes' clinic (New York practice, time frozen 2026-03-10 16:00 UTC, sessions
on Monday 2026-03-09) plus payers with rule sets, the patient's Medicaid coverage, enrolments,
licences and a small fee schedule.

`final_note(billing, ...)` writes and finalises a note through the notes services (signed by
the author; co-signed by the supervisor when the author's credential needs it), which queues
the claims hand-off; the helper then runs that hand-off itself (as the task would), so charges
are captured exactly the way the application captures them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from accounts.access import PracticeAccess
from claims.models import ChargeSet
from claims.services import fee_schedule_entry_set, note_ready_to_bill_record
from clinical_notes import services as note_services
from clinical_notes.models import SessionNote
from core.domain.service_types import ServiceType
from payer_rules.services import payer_rule_set_create
from payers.models import Payer, PayerEnrollment
from practice.models import License
from tests.clinical_notes.conftest import Clinic, clinic, eager_tasks, frozen_now  # noqa: F401
from tests.clinical_notes.helpers import session_start, sign, write_note
from tests.factories import CoverageFactory, PayerFactory

DOS = dt.date(2026, 3, 9)

MEDICAID_RULES: dict[str, Any] = {
    "coding": {
        "unit_rule": "cpt_midpoint",
        "practitioner_modifiers": True,
        "video_modifier": "95",
        "audio_only_modifier": "93",
        "code_substitutions": [{"from_code": "97153", "to_code": "H2019", "credentials": ["RBT", "BHT"]}],
        "max_units_per_day": {"H2019": 16},
    },
    "rendering": [
        {"credentials": ["RBT", "BHT"], "codes": ["97153", "H2019"], "billing": "with_supervisor"},
        {"credentials": ["RBT", "BHT"], "codes": [], "billing": "not_allowed"},
    ],
    "billing_frequency": "per_session",
}

COMMERCIAL_RULES: dict[str, Any] = {
    "coding": {"unit_rule": "cpt_midpoint", "video_modifier": "95", "audio_only_modifier": "93"},
    "billing_frequency": "per_session",
}


@dataclass
class Billing:
    clinic: Clinic
    medicaid: Payer
    commercial: Payer
    coverage: Any

    @property
    def practice(self) -> Any:
        return self.clinic.practice

    @property
    def patient(self) -> Any:
        return self.clinic.patient

    def access(self, user: Any) -> PracticeAccess:
        return self.clinic.access(user)

    @property
    def biller(self) -> PracticeAccess:
        return self.clinic.access(self.clinic.biller_user)

    @property
    def admin(self) -> PracticeAccess:
        return self.clinic.access(self.clinic.admin_user)


def enroll(
    provider: Any, payer: Payer, *, status: str = "enrolled", effective_on: dt.date | None = None
) -> None:
    PayerEnrollment.objects.update_or_create(
        provider=provider,
        payer=payer,
        defaults={"status": status, "effective_on": effective_on or dt.date(2025, 1, 1)},
    )


@pytest.fixture
def billing(clinic) -> Billing:  # noqa: F811
    admin = clinic.access(clinic.admin_user)
    medicaid = PayerFactory(
        practice=clinic.practice,
        name="State Medicaid MCO",
        kind="medicaid",
        payer_id="MCD01",
        claim_filing_indicator="MC",
        timely_filing_days=365,
    )
    commercial = PayerFactory(
        practice=clinic.practice,
        name="Acme Commercial",
        kind="commercial",
        payer_id="ACM01",
        timely_filing_days=90,
    )
    payer_rule_set_create(
        access=admin, payer_pk=medicaid.pk, effective_from=dt.date(2025, 1, 1), rules=MEDICAID_RULES
    )
    payer_rule_set_create(
        access=admin, payer_pk=commercial.pk, effective_from=dt.date(2025, 1, 1), rules=COMMERCIAL_RULES
    )
    coverage = CoverageFactory(
        patient=clinic.patient, payer=medicaid, member_id="MCD123456", effective_on=dt.date(2025, 1, 1)
    )
    for provider in (clinic.tech, clinic.supervisor, clinic.clinician, clinic.other_tech):
        enroll(provider, medicaid)
        enroll(provider, commercial)
    for provider, kind in ((clinic.supervisor, "BCBA"), (clinic.clinician, "LPC")):
        License.objects.create(
            provider=provider,
            number=f"L-{provider.pk}",
            state="NY",
            kind=kind,
            expires_on=dt.date(2027, 12, 31),
        )
    fee_schedule_entry_set(
        access=admin,
        code="H2019",
        modifiers=["HM"],
        amount_cents=1850,
        effective_from=dt.date(2025, 1, 1),
        payer_id=medicaid.pk,
    )
    fee_schedule_entry_set(access=admin, code="90839", amount_cents=15000, effective_from=dt.date(2025, 1, 1))
    fee_schedule_entry_set(access=admin, code="90840", amount_cents=7000, effective_from=dt.date(2025, 1, 1))
    fee_schedule_entry_set(access=admin, code="90834", amount_cents=11000, effective_from=dt.date(2025, 1, 1))
    fee_schedule_entry_set(access=admin, code="90837", amount_cents=14000, effective_from=dt.date(2025, 1, 1))
    return Billing(clinic=clinic, medicaid=medicaid, commercial=commercial, coverage=coverage)


def final_note(
    billing: Billing,
    *,
    author: str = "clinician",
    service_type: ServiceType = ServiceType.INDIVIDUAL_PSYCHOTHERAPY,
    minutes: int = 45,
    hour: int = 10,
    patient: Any = None,
    diagnosis_ids: list[int] | None = None,
    capture: bool = True,
    telehealth: str | None = None,
    place_of_service: str | None = None,
) -> SessionNote:
    """A final note of 2026-03-09 written (and signed, co-signed when needed) through the services."""
    team = billing.clinic
    user = {"clinician": team.clinician_user, "tech": team.tech_user, "supervisor": team.supervisor_user}[
        author
    ]
    access = team.access(user)
    patient = patient or team.patient
    note = write_note(
        access,
        patient_id=patient.pk,
        diagnosis_ids=diagnosis_ids if diagnosis_ids is not None else [team.diagnosis.pk],
        service_type=service_type,
        start=session_start(day=9, hour=hour),
        minutes=minutes,
    )
    if telehealth is not None or place_of_service is not None:
        note = note_services.note_draft_update(
            access=access,
            note_id=note.pk,
            version=note.version,
            telehealth=telehealth,
            place_of_service=place_of_service,
        )
    note = sign(access, note)
    if note.status == "awaiting_cosign":
        note = note_services.note_cosign(
            access=team.access(team.supervisor_user), note_id=note.pk, attested=True
        )
    assert note.status == "final"
    if capture:
        note_ready_to_bill_record(note_id=note.pk)
    return note


def charges_of(note: SessionNote) -> ChargeSet:
    return ChargeSet.objects.prefetch_related("lines").get(note=note)


def lines_of(note: SessionNote) -> list[tuple[str, int, list[str]]]:
    return [(c.code, c.units, c.modifiers) for c in charges_of(note).lines.order_by("line_number")]
