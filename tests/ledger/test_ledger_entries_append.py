"""`ledger_entries_append` takes the rows of a posting as a generator (issue 12): one COPY reads
them as they are computed, and a bad row met halfway stops it with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from ledger.models import LedgerEntry
from ledger.services import ledger_entries_append
from tests.factories import PatientFactory


def _rows(
    practice_id: int, patient_id: int, count: int, *, bad_at: int | None = None
) -> Iterator[dict[str, Any]]:
    for index in range(count):
        yield {
            "practice_id": practice_id,
            "patient_id": patient_id,
            "claim_id": 7,
            "claim_line_id": 1000 + index,
            "account": "insurance",
            "kind": "charge",
            "amount_cents": 12.5 if index == bad_at else 100 + index,
            "occurred_on": dt.date(2026, 11, 2),
            "memo": 'a "quoted", memo',
        }


@pytest.mark.django_db(transaction=True)
def test_a_generator_of_rows_is_written_whole(practice):
    # given
    patient = PatientFactory(practice=practice)
    # when
    with transaction.atomic():
        written = ledger_entries_append(rows=_rows(practice.pk, patient.pk, 2500))
    # then
    entries = LedgerEntry.objects.filter(claim_id=7).order_by("claim_line_id")
    assert written == 2500
    assert entries.count() == 2500
    assert [e.amount_cents for e in entries[:3]] == [100, 101, 102]
    assert {e.memo for e in entries} == {'a "quoted", memo'}


@pytest.mark.django_db(transaction=True)
def test_a_float_amount_halfway_through_the_stream_writes_nothing(practice):
    # given
    patient = PatientFactory(practice=practice)
    # when
    with pytest.raises(TypeError, match="integer cents"), transaction.atomic():
        ledger_entries_append(rows=_rows(practice.pk, patient.pk, 2500, bad_at=1800))
    # then
    assert not LedgerEntry.objects.filter(claim_id=7).exists()


@pytest.mark.django_db
def test_an_empty_stream_writes_nothing(django_assert_num_queries):
    # when
    with django_assert_num_queries(0):
        written = ledger_entries_append(rows=iter([]))
    # then
    assert written == 0
