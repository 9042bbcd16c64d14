"""Two workers capturing the same note at once (a duplicated delivery): one charge set.

PostgreSQL only: the unique note and claims' own patient-day row lock (`CaptureDay`) are what
make this safe; no row of another app is locked."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from claims.models import CaptureDay, Charge, ChargeSet
from claims.services import charges_capture_for_note
from core.domain.service_types import ServiceType
from tests.claims.conftest import final_note

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_captures_of_one_note_yield_one_charge_set(billing):
    note = final_note(billing, minutes=45, capture=False)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def capture() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(charges_capture_for_note(note_id=note.pk))
        except Exception as error:  # noqa: BLE001 - reported below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=capture) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then: both calls return the same set; one set, one line
    assert [type(r).__name__ for r in results] == ["ChargeSet", "ChargeSet"]
    assert len({r.pk for r in results}) == 1  # type: ignore[attr-defined]
    assert ChargeSet.objects.filter(note=note).count() == 1
    assert Charge.objects.filter(charge_set__note=note).count() == 1


def test_concurrent_captures_of_two_notes_of_one_day_share_the_day_once(billing):
    # given: two crisis notes of 40 minutes on the same date (80 minutes: 90839 + 90840 for the day)
    first = final_note(
        billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=40, hour=9, capture=False
    )
    second = final_note(
        billing, service_type=ServiceType.CRISIS_PSYCHOTHERAPY, minutes=40, hour=15, capture=False
    )
    barrier = threading.Barrier(2)
    results: list[object] = []

    def capture(note_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(charges_capture_for_note(note_id=note_id))
        except Exception as error:  # noqa: BLE001 - reported below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=capture, args=(n.pk,)) for n in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then: the CaptureDay lock ran them one after the other: the day is billed once, not twice
    assert [type(r).__name__ for r in results] == ["ChargeSet", "ChargeSet"]
    codes = sorted(
        Charge.objects.filter(charge_set__note__in=[first, second], units__gt=0).values_list("code", "units")
    )
    assert codes == [("90839", 1), ("90840", 1)]
    assert CaptureDay.objects.filter(patient=billing.patient).count() == 1
