"""factory_boy factories: synthetic, deterministic (Faker seeded in conftest)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from accounts.models import Membership, User
from core.domain.identifiers import npi_with_check_digit
from patients.models import Coverage, Patient
from payers.models import Payer
from practice.models import Location, Practice, Provider


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = Practice

    legal_name = factory.Sequence(lambda n: f"Practice {n} Behavioral Health LLC")
    tax_id = factory.Sequence(lambda n: f"{10 + n % 89:02d}-{1000000 + n:07d}")
    billing_npi = factory.Sequence(lambda n: npi_with_check_digit(f"1{n:08d}"))
    address_line1 = "100 Main Street"
    city = "Springfield"
    state = "IL"
    postal_code = "62701"
    timezone = "America/Chicago"


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Clinic {n}")
    address_line1 = "200 Oak Avenue"
    city = "Springfield"
    state = "IL"
    postal_code = "62702"
    default_place_of_service = "11"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    practice = factory.SubFactory(PracticeFactory)
    role = "biller"


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Provider

    practice = factory.SubFactory(PracticeFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    npi = factory.Sequence(lambda n: npi_with_check_digit(f"2{n:08d}"))
    taxonomy_code = "101YP2500X"
    credential = "LPC"


class PayerFactory(DjangoModelFactory):
    class Meta:
        model = Payer

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Acme Health Plan {n}")
    kind = "commercial"
    payer_id = factory.Sequence(lambda n: f"ACM{n:04d}")
    claim_filing_indicator = "CI"
    timely_filing_days = 90
    appeal_window_days = 180


class PatientFactory(DjangoModelFactory):
    class Meta:
        model = Patient

    practice = factory.SubFactory(PracticeFactory)
    account_number = factory.Sequence(lambda n: f"A{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=5, maximum_age=80)
    sex = "F"
    address_line1 = factory.Faker("street_address")
    city = "Springfield"
    state = "IL"
    postal_code = "62704"


class CoverageFactory(DjangoModelFactory):
    class Meta:
        model = Coverage

    patient = factory.SubFactory(PatientFactory)
    payer = factory.SubFactory(PayerFactory, practice=factory.SelfAttribute("..patient.practice"))
    priority = 1
    member_id = factory.Sequence(lambda n: f"MBR{n:08d}")
    group_number = "GRP100"
    subscriber_relationship = "18"
    effective_on = dt.date(2025, 1, 1)
