"""A small billing world written straight to the tables (synthetic): a practice ready for 837s
(ZIP+4, taxonomy, phone), payers with a billing frequency, enrolled providers, a patient with
coverage, and reviewed charge sets. Claims assembly starts from reviewed charges, so building
them directly keeps these tests about claims (the capture flow has its own tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from claims.models import Charge, ChargeSet
from payers.models import PayerEnrollment
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, PracticeFactory, ProviderFactory
from tests.factories.authorizations import PayerRuleSetFactory
from tests.factories.clinical import SessionNoteFactory

Line = tuple[str, int, int]  # code, units, fee cents


@dataclass
class World:
    practice: Any
    payer: Any
    patient: Any
    coverage: Any
    clinician: Any
    supervisor: Any
    tech: Any
    extra: dict[str, Any] = field(default_factory=dict)


def enroll(provider: Any, payer: Any, *, effective_on: dt.date = dt.date(2025, 1, 1), **kwargs: Any) -> None:
    PayerEnrollment.objects.create(
        provider=provider,
        payer=payer,
        status=kwargs.pop("status", "enrolled"),
        effective_on=effective_on,
        **kwargs,
    )


def make_payer(practice: Any, *, frequency: str = "per_session", **kwargs: Any) -> Any:
    payer = PayerFactory(practice=practice, **kwargs)
    PayerRuleSetFactory(payer=payer, rules={"billing_frequency": frequency})
    return payer


def make_world(*, frequency: str = "per_session") -> World:
    practice = PracticeFactory(postal_code="62701-1234", taxonomy_code="261QM0801X", phone="(217) 555-0100")
    payer = make_payer(practice, frequency=frequency, timely_filing_days=90)
    patient = PatientFactory(practice=practice, sex="F")
    coverage = CoverageFactory(patient=patient, payer=payer)
    clinician = ProviderFactory(practice=practice, taxonomy_code="101YP2500X")
    supervisor = ProviderFactory(practice=practice, credential="LCSW", taxonomy_code="1041C0700X")
    tech = ProviderFactory(practice=practice, credential="BHT", taxonomy_code="106S00000X")
    for provider in (clinician, supervisor, tech):
        enroll(provider, payer)
    return World(practice, payer, patient, coverage, clinician, supervisor, tech)


def reviewed_set(
    world: World,
    day: dt.date,
    lines: list[Line] | None = None,
    *,
    diagnoses: tuple[str, ...] = ("F41.1",),
    rendering: Any = None,
    supervising: Any = None,
    supervisor_billing: str = "",
    payer: Any = None,
    coverage: Any = None,
    patient: Any = None,
    auth_number: str = "",
    pos: str = "11",
    modifiers: tuple[str, ...] = (),
    status: str = "reviewed",
    findings: list[dict[str, str]] | None = None,
) -> ChargeSet:
    rendering = rendering or world.clinician
    patient = patient or world.patient
    now = timezone.now()
    note = SessionNoteFactory(practice=world.practice, patient=patient, author=rendering, date_of_service=day)
    charge_set = ChargeSet.objects.create(
        practice=world.practice,
        note=note,
        patient=patient,
        date_of_service=day,
        payer=payer or world.payer,
        coverage=coverage or world.coverage,
        rendering_provider=rendering,
        supervising_provider=supervising,
        supervisor_billing=supervisor_billing,
        status=status,
        claim_diagnoses=list(diagnoses),
        findings=findings or [],
        captured_at=now,
        scrubbed_at=now,
        reviewed_at=now if status == "reviewed" else None,
    )
    for number, (code, units, cents) in enumerate(lines or [("90837", 1, 15000)], start=1):
        Charge.objects.create(
            charge_set=charge_set,
            line_number=number,
            code=code,
            units=units,
            modifiers=list(modifiers),
            place_of_service=pos,
            diagnosis_pointers=[1],
            unit_fee_cents=cents // max(units, 1),
            fee_cents=cents,
            auth_number=auth_number,
        )
    return charge_set
