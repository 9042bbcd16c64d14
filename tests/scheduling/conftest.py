"""Scheduling fixtures: a New York practice (for the DST dates), its people, and their access."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.access import PracticeAccess
from practice.access import practice_access_for
from tests.factories import LocationFactory, PatientFactory, PracticeFactory, ProviderFactory

NY_TZ = "America/New_York"


@pytest.fixture
def ny_practice(db):
    return PracticeFactory(timezone=NY_TZ)


@pytest.fixture
def access_for():
    def _access(user, practice) -> PracticeAccess:
        access = practice_access_for(user=user, practice_id=practice.pk)
        assert access is not None
        return access

    return _access


@pytest.fixture
def world(ny_practice, make_member, access_for):
    """One New York practice: a clinician and a technician (both on `patient`'s care team; nobody
    on `other_patient`'s), a biller, an admin, a compliance auditor, one more provider, an office
    (POS 11) and a school (POS 03)."""
    clinician_user = make_member("clinician", ny_practice, provider=True)
    tech_user = make_member("technician", ny_practice, provider=True, credential="RBT")
    biller_user = make_member("biller", ny_practice)
    admin_user = make_member("practice_admin", ny_practice)
    compliance_user = make_member("compliance", ny_practice)
    tech_provider = tech_user.provider_profiles.get()
    clinician_provider = clinician_user.provider_profiles.get()
    other_provider = ProviderFactory(practice=ny_practice)
    office = LocationFactory(practice=ny_practice, name="Main office", default_place_of_service="11")
    school = LocationFactory(practice=ny_practice, name="Lincoln School", default_place_of_service="03")
    patient = PatientFactory(practice=ny_practice)
    other_patient = PatientFactory(practice=ny_practice)
    patient.care_team.create(provider=tech_provider)
    patient.care_team.create(provider=clinician_provider)

    class World:
        practice = ny_practice
        clinician = clinician_user
        tech = tech_user
        biller = biller_user
        admin = admin_user
        compliance = compliance_user
        clinician_access = access_for(clinician_user, ny_practice)
        tech_access = access_for(tech_user, ny_practice)
        biller_access = access_for(biller_user, ny_practice)
        admin_access = access_for(admin_user, ny_practice)
        compliance_access = access_for(compliance_user, ny_practice)

    w = World()
    w.tech_provider = tech_provider
    w.clinician_provider = clinician_provider
    w.other_provider = other_provider
    w.office = office
    w.school = school
    w.patient = patient
    w.other_patient = other_patient
    return w


def wall(y: int, m: int, d: int, h: int, mi: int = 0) -> dt.datetime:
    """A naive wall-clock time (read in the practice's zone by the services)."""
    return dt.datetime(y, m, d, h, mi)  # noqa: DTZ001
