"""Factories for prior authorizations and payer rule sets (synthetic)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from authorizations.models import AuthorizationAlert, AuthorizationUsage, AuthorizedCode, PriorAuthorization
from payer_rules.models import PayerRuleSet
from tests.factories import PatientFactory, PayerFactory, PracticeFactory


class PriorAuthorizationFactory(DjangoModelFactory):
    """An authorization for 97153 (pass codes=[...] for others); patient and payer share the practice."""

    class Meta:
        model = PriorAuthorization
        skip_postgeneration_save = True

    practice = factory.SubFactory(PracticeFactory)
    patient = factory.SubFactory(PatientFactory, practice=factory.SelfAttribute("..practice"))
    payer = factory.SubFactory(PayerFactory, practice=factory.SelfAttribute("..practice"))
    number = factory.Sequence(lambda n: f"PA{n:06d}")
    unit_kind = "units"
    authorized = 100
    start_on = dt.date(2026, 1, 1)
    end_on = dt.date(2026, 6, 30)
    status = "active"

    @factory.post_generation
    def codes(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]  # noqa: N805
        if create:
            for code in extracted if extracted is not None else ["97153"]:
                AuthorizedCode.objects.create(authorization=obj, code=code)


class AuthorizationUsageFactory(DjangoModelFactory):
    class Meta:
        model = AuthorizationUsage

    authorization = factory.SubFactory(PriorAuthorizationFactory)
    source_id = factory.Sequence(lambda n: f"charge-line:{n}")
    code = "97153"
    units = 4
    service_date = dt.date(2026, 2, 2)


class AuthorizationAlertFactory(DjangoModelFactory):
    class Meta:
        model = AuthorizationAlert

    authorization = factory.SubFactory(PriorAuthorizationFactory)
    kind = "low_remaining"
    raised_on = dt.date(2026, 3, 1)
    remaining = 10
    days_left = 30
    message = "10 of 100 units left."


class PayerRuleSetFactory(DjangoModelFactory):
    """A version with an (empty: CPT rules alone) document; pass rules={...} for more."""

    class Meta:
        model = PayerRuleSet

    payer = factory.SubFactory(PayerFactory)
    effective_from = dt.date(2025, 1, 1)
    effective_to = None
    rules = factory.LazyFunction(dict)
    notes = ""
