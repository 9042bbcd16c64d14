"""A practice with a biller, a clinician, a payer and patients whose member IDs are sandbox
test members (clearinghouse.sandbox.SANDBOX_MEMBERS)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from accounts.access import PracticeAccess
from eligibility import services as eligibility_services
from eligibility.models import EligibilityCheck
from patients.models import Coverage, Patient
from practice.access import practice_access_for
from practice.models import Practice
from scheduling.models import Appointment
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, PracticeFactory
from tests.factories.scheduling import AppointmentFactory

NY = ZoneInfo("America/New_York")


@dataclass
class World:
    practice: Practice
    biller: Any
    clinician: Any
    payer: Any
    access: PracticeAccess
    patients: dict[str, Patient] = field(default_factory=dict)

    def coverage(self, member_id: str, **kwargs: Any) -> Coverage:
        patient = PatientFactory(practice=self.practice, sex="F", date_of_birth=dt.date(1990, 5, 17))
        self.patients[member_id] = patient
        return CoverageFactory(patient=patient, payer=self.payer, member_id=member_id, **kwargs)

    def verified(self, coverage: Coverage, on: dt.date) -> EligibilityCheck:
        """The coverage checked for `on` through the eligibility services (the sandbox answers)."""
        check = eligibility_services.eligibility_verify_now(
            access=self.access, coverage_id=coverage.pk, service_date=on
        )
        with contextlib.suppress(eligibility_services.CheckRetry):
            eligibility_services.eligibility_check_run(check_id=check.pk)
        check.refresh_from_db()
        assert check.status == "done"
        return check

    def appointment(self, coverage: Coverage, on: dt.date, hour: int = 10) -> Appointment:
        start = dt.datetime.combine(on, dt.time(hour, 0), tzinfo=NY)
        return AppointmentFactory(
            practice=self.practice,
            patient=coverage.patient,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )


def make_world(make_member: Any) -> World:
    practice = PracticeFactory(timezone="America/New_York", legal_name="Sandbox Behavioral Health LLC")
    biller = make_member("biller", practice)
    clinician = make_member("clinician", practice, provider=True)
    payer = PayerFactory(practice=practice, name="Sandbox Health Plan", payer_id="SBXPAYER")
    access = practice_access_for(user=biller, practice_id=practice.pk)
    assert access is not None
    return World(practice=practice, biller=biller, clinician=clinician, payer=payer, access=access)
