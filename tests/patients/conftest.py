"""Fixtures for the patients tests: members of each role, their PracticeAccess, payers, a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from accounts.access import PracticeAccess
from accounts.models import User
from audit.models import AuditEvent
from patients.domain.types import CoverageInput, GuarantorInput, PatientInput
from practice.access import practice_access_for
from tests.factories import PayerFactory

# Every test that depends on "today" runs on this day (the practice is in America/Chicago).
TODAY = dt.date(2026, 3, 16)
NOON_UTC = dt.datetime(2026, 3, 16, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen_today(time_machine) -> dt.date:  # type: ignore[no-untyped-def]
    time_machine.move_to(NOON_UTC, tick=False)
    return TODAY


@pytest.fixture
def access_for() -> Callable[[User], PracticeAccess]:
    def _access(user: User, practice=None) -> PracticeAccess:  # type: ignore[no-untyped-def]
        access = practice_access_for(user=user, practice_id=practice.pk if practice else None)
        assert access is not None
        return access

    return _access


@pytest.fixture
def biller(practice, make_member) -> User:  # type: ignore[no-untyped-def]
    return make_member("biller", practice)


@pytest.fixture
def biller_access(biller, access_for) -> PracticeAccess:  # type: ignore[no-untyped-def]
    return access_for(biller)


@pytest.fixture
def payer(practice):  # type: ignore[no-untyped-def]
    return PayerFactory(practice=practice, name="Prairie Mutual Health")


def patient_input(**overrides) -> PatientInput:  # type: ignore[no-untyped-def]
    values = {
        "first_name": "Avery",
        "last_name": "Quill",
        "date_of_birth": dt.date(1990, 4, 12),
        "sex": "F",
        "address_line1": "48 Birch Lane",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62704",
    }
    values.update(overrides)
    return PatientInput(**values)


def coverage_input(payer_id: int | None, **overrides) -> CoverageInput:  # type: ignore[no-untyped-def]
    values = {"payer_id": payer_id, "member_id": "XQM123456789", "effective_on": dt.date(2026, 1, 1)}
    values.update(overrides)
    return CoverageInput(**values)


def guarantor_input(**overrides) -> GuarantorInput:  # type: ignore[no-untyped-def]
    values = {
        "relationship": "parent",
        "first_name": "Jordan",
        "last_name": "Quill",
        "address_line1": "48 Birch Lane",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62704",
    }
    values.update(overrides)
    return GuarantorInput(**values)


def events(**filters) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return list(AuditEvent.objects.filter(**filters).order_by("seq"))
