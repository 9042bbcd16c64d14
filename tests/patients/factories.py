"""Factories for the patient tables the shared factories don't cover (synthetic data only)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from patients.models import CareTeamMember, Consent, Guarantor, PatientDiagnosis
from tests.factories import PatientFactory, ProviderFactory


class GuarantorFactory(DjangoModelFactory):
    class Meta:
        model = Guarantor

    patient = factory.SubFactory(PatientFactory)
    relationship = "self"
    first_name = factory.LazyAttribute(lambda o: o.patient.first_name)
    last_name = factory.LazyAttribute(lambda o: o.patient.last_name)
    address_line1 = "12 Elm Street"
    city = "Springfield"
    state = "IL"
    postal_code = "62704"


class DiagnosisFactory(DjangoModelFactory):
    class Meta:
        model = PatientDiagnosis

    patient = factory.SubFactory(PatientFactory)
    code = "F411"
    description = "Generalized anxiety disorder"
    rank = 1


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    patient = factory.SubFactory(PatientFactory)
    kind = "treatment"
    signed_on = dt.date(2025, 1, 10)


class CareTeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    patient = factory.SubFactory(PatientFactory)
    provider = factory.SubFactory(ProviderFactory, practice=factory.SelfAttribute("..patient.practice"))
