"""Two workers capturing the same note at once (a duplicated delivery): one charge set.

PostgreSQL only: the unique note and the patient-day row lock are what make this safe."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from claims.models import Charge, ChargeSet
from claims.services import charges_capture_for_note
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
