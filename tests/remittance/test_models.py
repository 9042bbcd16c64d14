"""The ERA tables: a payment (payer + TRN02) counts once per practice (R1), whatever the file
is called; duplicate and rejected rows may repeat it (they record what arrived)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from remittance.models import EraFile


def _era(practice, status="posted", **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "practice": practice,
        "name": "a.835",
        "raw": b"ISA*...",
        "sha256": "0" * 64,
        "status": status,
        "payer_id": "SYNPAYER1",
        "trace_number": "EFT1001",
        "payment_cents": 10000,
        "received_at": timezone.now(),
    }
    values.update(kwargs)
    return EraFile.objects.create(**values)


@pytest.mark.django_db
def test_the_same_payment_counts_once_per_practice_r1(practice, other_practice):
    _era(practice)
    with pytest.raises(IntegrityError), transaction.atomic():
        _era(practice, name="renamed.835", status="held")
    _era(practice, status="duplicate")
    _era(other_practice)
    _era(practice, payer_id="OTHER")
    assert EraFile.objects.filter(practice=practice, status="posted").count() == 2


@pytest.mark.django_db
def test_a_counted_payment_needs_its_trace_number(practice):
    with pytest.raises(IntegrityError), transaction.atomic():
        _era(practice, trace_number="")
    _era(practice, status="rejected", trace_number="")
    assert EraFile.objects.count() == 1
