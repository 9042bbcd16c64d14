"""Factories for scheduling rows (appointments, group sessions). Times are aware (UTC)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from scheduling.models import Appointment, AppointmentEvent, GroupSession
from tests.factories import LocationFactory, PatientFactory, PracticeFactory, ProviderFactory


class GroupSessionFactory(DjangoModelFactory):
    class Meta:
        model = GroupSession

    practice = factory.SubFactory(PracticeFactory)
    provider = factory.SubFactory(ProviderFactory, practice=factory.SelfAttribute("..practice"))
    title = factory.Sequence(lambda n: f"Skills group {n}")
    service_type = "group_psychotherapy"
    starts_at = dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=90))
    location = factory.SubFactory(LocationFactory, practice=factory.SelfAttribute("..practice"))


class AppointmentFactory(DjangoModelFactory):
    """An individual appointment; patient, provider and location share the practice."""

    class Meta:
        model = Appointment

    practice = factory.SubFactory(PracticeFactory)
    patient = factory.SubFactory(PatientFactory, practice=factory.SelfAttribute("..practice"))
    provider = factory.SubFactory(ProviderFactory, practice=factory.SelfAttribute("..practice"))
    service_type = "individual_psychotherapy"
    starts_at = dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    location = factory.SubFactory(LocationFactory, practice=factory.SelfAttribute("..practice"))
    place_of_service = "11"
    telehealth = ""
    status = "scheduled"


class AppointmentEventFactory(DjangoModelFactory):
    class Meta:
        model = AppointmentEvent

    appointment = factory.SubFactory(AppointmentFactory)
    from_status = ""
    to_status = "scheduled"
