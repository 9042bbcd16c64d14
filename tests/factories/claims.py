"""Factories for claims rows (synthetic): a claim with its coverage's patient and payer, lines
with unique line control numbers. Services build real claims; these are for model-level tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from claims.models import Claim, ClaimLine
from tests.factories import CoverageFactory, ProviderFactory


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = Claim

    coverage = factory.SubFactory(CoverageFactory)
    patient = factory.SelfAttribute("coverage.patient")
    practice = factory.SelfAttribute("coverage.patient.practice")
    payer = factory.SelfAttribute("coverage.payer")
    rendering_provider = factory.SubFactory(ProviderFactory, practice=factory.SelfAttribute("..practice"))
    patient_control_number = factory.Sequence(lambda n: f"T{n:08d}")
    status = "draft"
    status_changed_at = factory.LazyFunction(timezone.now)
    place_of_service = "11"
    date_from = dt.date(2026, 3, 9)
    date_to = factory.SelfAttribute("date_from")
    total_cents = 15000
    diagnoses = factory.LazyFunction(lambda: ["F41.1"])


class ClaimLineFactory(DjangoModelFactory):
    class Meta:
        model = ClaimLine

    claim = factory.SubFactory(ClaimFactory)
    line_number = 1
    code = "90837"
    units = 1
    charge_cents = 15000
    place_of_service = "11"
    diagnosis_pointers = factory.LazyFunction(lambda: [1])
    service_date = factory.SelfAttribute("claim.date_from")
    line_control_number = factory.Sequence(lambda n: f"TL{n:010d}")
