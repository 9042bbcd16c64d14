"""Two schedulers book the same provider at the same moment: the provider-row lock lets one win."""

import threading

import pytest
from django.db import connection

from core.errors import ValidationFailed
from scheduling.models import Appointment
from scheduling.services import appointment_schedule
from tests.scheduling.conftest import wall


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_provider_exactly_one_wins(world):
    if connection.vendor != "postgresql":
        pytest.fail("Needs PostgreSQL (row locks): set DATABASE_URL, or deselect with -m 'not postgres'.")
    # given two schedulers and two patients wanting the same 10:00 slot
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(access, patient_id):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            appointment_schedule(
                access=access,
                patient_id=patient_id,
                provider_id=world.clinician_provider.pk,
                service_type="individual_psychotherapy",
                starts_at=wall(2026, 3, 9, 10),
                ends_at=wall(2026, 3, 9, 11),
                location_id=world.office.pk,
            )
            outcomes.append("booked")
        except ValidationFailed as error:
            outcomes.append(next(iter(error.field_errors)))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=book, args=(world.biller_access, world.patient.pk)),
        threading.Thread(target=book, args=(world.admin_access, world.other_patient.pk)),
    ]
    # when
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # then
    assert sorted(outcomes) == ["booked", "starts_at"]
    assert Appointment.objects.count() == 1
