"""The ledger is append-only in integer cents: the model, the queryset and (on PostgreSQL) a row
trigger refuse changing or deleting a posted row; constraints keep insurance money on patients'
claims and provider-level money off patients (R10, R20)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from ledger.models import LedgerEntry
from tests.factories import PatientFactory


def _entry(practice, patient, **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "practice": practice,
        "patient": patient,
        "claim_id": 1,
        "claim_line_id": 11,
        "account": "insurance",
        "kind": "charge",
        "amount_cents": 15000,
        "occurred_on": dt.date(2026, 11, 2),
    }
    values.update(kwargs)
    return LedgerEntry.objects.create(**values)


@pytest.mark.django_db
def test_entries_refuse_update_and_delete_through_the_orm(practice):
    # given
    entry = _entry(practice, PatientFactory(practice=practice))
    # when / then
    entry.amount_cents = 1
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount_cents == 15000


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_trigger_refuses_raw_update_and_delete(practice):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (DATABASE_URL)")
    entry = _entry(practice, PatientFactory(practice=practice))
    for statement in (
        "UPDATE ledger_ledgerentry SET amount_cents = 1 WHERE id = %s",
        "DELETE FROM ledger_ledgerentry WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(statement, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount_cents == 15000


@pytest.mark.django_db
def test_one_charge_row_per_claim_line(practice):
    patient = PatientFactory(practice=practice)
    _entry(practice, patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        _entry(practice, patient)
    assert LedgerEntry.objects.filter(kind="charge").count() == 1


@pytest.mark.django_db
def test_provider_level_money_never_names_a_patient_r10(practice):
    patient = PatientFactory(practice=practice)
    with pytest.raises(IntegrityError), transaction.atomic():
        _entry(practice, patient, account="provider", kind="provider_adjustment", claim_line_id=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        _entry(practice, None, account="insurance", kind="insurance_payment")
    _entry(practice, None, account="provider", kind="provider_adjustment", claim_id=None, claim_line_id=None)
    assert LedgerEntry.objects.count() == 1
