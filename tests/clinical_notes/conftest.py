"""Clinical-note fixtures: a New York practice with a supervised technician, a supervisor, an
unsupervised clinician, a biller, an admin and a compliance auditor; time frozen the day after
the sessions (2026-03-10 16:00 UTC)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from celery import current_app
from django.db import connection

from accounts.access import PracticeAccess
from accounts.models import User
from practice.access import practice_access_for
from practice.models import Practice, Provider
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.clinical import CareTeamMemberFactory, PatientDiagnosisFactory, SupervisionFactory

NOW = dt.datetime(2026, 3, 10, 16, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _postgres_marker_means_postgres(request: pytest.FixtureRequest) -> None:
    """A `postgres` test never passes (or skips) on SQLite: it fails and says why."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.fail(
            "This test needs PostgreSQL (triggers, row locks): set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/parity_<you>, or deselect with -m 'not postgres'."
        )


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def eager_tasks():
    """Run queued tasks in-process even when REDIS_URL points at a real broker."""
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    try:
        yield
    finally:
        current_app.conf.task_always_eager = previous


@dataclass
class Clinic:
    practice: Practice
    tech_user: User
    tech: Provider
    supervisor_user: User
    supervisor: Provider
    clinician_user: User
    clinician: Provider
    other_tech_user: User
    other_tech: Provider
    biller_user: User
    admin_user: User
    compliance_user: User
    patient: object
    other_patient: object
    diagnosis: object

    def access(self, user: User) -> PracticeAccess:
        access = practice_access_for(user=user, practice_id=self.practice.pk)
        assert access is not None
        return access


@pytest.fixture
def clinic(db, make_member, frozen_now) -> Clinic:
    practice = PracticeFactory(timezone="America/New_York")
    tech_user = make_member("technician", practice, provider=True, credential="RBT")
    supervisor_user = make_member("supervisor", practice, provider=True, credential="BCBA")
    clinician_user = make_member("clinician", practice, provider=True, credential="LPC")
    other_tech_user = make_member("technician", practice, provider=True, credential="RBT")
    tech = tech_user.provider_profiles.get()
    supervisor = supervisor_user.provider_profiles.get()
    other_tech = other_tech_user.provider_profiles.get()
    SupervisionFactory(supervisor=supervisor, supervisee=tech, starts_on=dt.date(2025, 1, 1))
    SupervisionFactory(supervisor=supervisor, supervisee=other_tech, starts_on=dt.date(2025, 1, 1))
    patient = PatientFactory(practice=practice)
    other_patient = PatientFactory(practice=practice)
    CareTeamMemberFactory(patient=patient, provider=tech)
    CareTeamMemberFactory(patient=other_patient, provider=other_tech)
    diagnosis = PatientDiagnosisFactory(patient=patient, code="F840")
    PatientDiagnosisFactory(patient=other_patient, code="F900")
    return Clinic(
        practice=practice,
        tech_user=tech_user,
        tech=tech,
        supervisor_user=supervisor_user,
        supervisor=supervisor,
        clinician_user=clinician_user,
        clinician=clinician_user.provider_profiles.get(),
        other_tech_user=other_tech_user,
        other_tech=other_tech,
        biller_user=make_member("biller", practice),
        admin_user=make_member("practice_admin", practice),
        compliance_user=make_member("compliance", practice),
        patient=patient,
        other_patient=other_patient,
        diagnosis=diagnosis,
    )
