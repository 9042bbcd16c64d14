"""Fixtures for prior-authorization tests: the clock, PracticeAccess per role, a patient and payer."""

import datetime as dt

import pytest
import time_machine

from practice.access import practice_access_for
from tests.factories import CoverageFactory, PatientFactory, PayerFactory

# 2026-03-02 12:00 in Chicago (the factories' practice zone): "today" for every test here.
NOW = dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def access_for(make_member):
    def _make(role, practice, **kwargs):
        return practice_access_for(user=make_member(role, practice, **kwargs), practice_id=practice.pk)

    return _make


@pytest.fixture
def biller_access(practice, access_for):
    return access_for("biller", practice)


@pytest.fixture
def admin_access(practice, access_for):
    return access_for("practice_admin", practice)


@pytest.fixture
def patient(practice):
    return PatientFactory(practice=practice)


@pytest.fixture
def payer(practice, patient):
    payer = PayerFactory(practice=practice, kind="medicaid", name="Keystone Community Care")
    CoverageFactory(patient=patient, payer=payer)
    return payer
