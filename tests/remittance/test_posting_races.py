"""Concurrency on PostgreSQL (two connections at once): the same ERA posted twice posts once;
an ERA and a patient payment on the same claim leave the ledger exact (R1; issue #12
"Concurrency")."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection

from ledger.models import LedgerEntry, PatientPayment
from ledger.patient_billing import patient_payment_take
from ledger.selectors import patient_balances
from remittance.models import EraFile
from remittance.services.posting import era_post
from tests.edi.samples_835 import PAID, envelope
from tests.remittance.world import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*calls: Callable[[], object]) -> list[object]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_posters_of_the_same_era_post_it_once_r1(practice):
    if connection.vendor != "postgresql":
        pytest.fail("needs PostgreSQL (DATABASE_URL)")
    world = World(practice)
    world.sample_claims()
    raw = envelope(PAID).encode()

    def post() -> str:
        return era_post(practice_id=practice.pk, raw=raw).summaries[0]["status"]

    # when
    results = _race(post, post)
    # then
    assert sorted(map(str, results)) == ["duplicate", "posted"]
    assert EraFile.objects.filter(status="posted").count() == 1
    assert (
        LedgerEntry.objects.filter(kind="insurance_payment").count() == 3
    )  # once per paid line (PCN300 paid 0)
    assert (
        sum(LedgerEntry.objects.filter(kind="insurance_payment").values_list("amount_cents", flat=True))
        == -25000
    )


def test_an_era_and_a_patient_payment_on_one_claim_leave_the_ledger_exact(practice):
    if connection.vendor != "postgresql":
        pytest.fail("needs PostgreSQL (DATABASE_URL)")
    world = World(practice)
    world.sample_claims()
    claim = world.claims["PCN100"]  # the ERA sets PR $40 on it

    def pay() -> object:
        return patient_payment_take(
            practice_id=practice.pk,
            patient_id=world.patient.pk,
            claim_id=claim.pk,
            amount_cents=3000,
            method="card",
            received_on=dt.date(2026, 12, 1),
        )

    def post() -> object:
        return era_post(practice_id=practice.pk, raw=envelope(PAID).encode())

    results = _race(pay, post)
    assert not [r for r in results if isinstance(r, Exception)], results
    # then: whichever ran first, the money adds up: PR 30 + 10 (PCN100) + 120 (PCN300) - 30 paid
    payment = PatientPayment.objects.get()
    assert payment.amount_cents == 3000
    rows = LedgerEntry.objects.filter(patient_payment=payment)
    assert sum(r.amount_cents for r in rows) == -3000
    applied = -sum(r.amount_cents for r in rows if r.claim_id == claim.pk)
    assert applied + payment.unapplied_cents == 3000
    assert applied in (0, 3000)  # before the ERA nothing was due on the claim; after, 40 was
    assert (
        patient_balances(practice_id=practice.pk, patient_id=world.patient.pk).patient_cents == 16000 - 3000
    )
