"""The only writers of the ledger: rows are appended (bulk for a posting), never changed.

- `ledger_entries_append` writes the rows a posting computed (the caller holds the claims'
  row locks and the transaction).
- `patient_payment_record` records money a patient paid: on a claim it pays what the patient
  owes there (under the claim's row lock, so a concurrent ERA posting is seen); the rest stays a
  credit on the patient's account (unapplied, P4/P5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from accounts.models import User
from claims.models import Claim
from core.bulk import rows_insert
from core.errors import NotFound, ValidationFailed
from ledger.lock_objects import claims_lock
from ledger.models import Account, EntryKind, LedgerEntry, PatientPayment
from ledger.selectors import claim_patient_due_cents
from patients.selectors import patient_directory_labels

_ACCOUNTS = frozenset(Account.values)
_KINDS = frozenset(EntryKind.values)


def ledger_entries_append(*, rows: list[dict[str, Any]]) -> int:
    """Append rows (dicts keyed by LedgerEntry attnames) computed by a posting service: one COPY
    on PostgreSQL. Integer cents only; the table's constraints check the rest."""
    for row in rows:
        if "id" in row:
            raise ValueError("ledger rows are appended once, with new ids")
        if type(row["amount_cents"]) is not int:
            raise TypeError("ledger amounts are integer cents")
        if row["account"] not in _ACCOUNTS or row["kind"] not in _KINDS:
            raise ValueError(f"unknown ledger account or kind: {row['account']!r} {row['kind']!r}")
    return rows_insert(LedgerEntry, rows)


@dataclass(frozen=True, slots=True)
class PaymentRecorded:
    payment_id: int
    applied_cents: int
    unapplied_cents: int


def patient_payment_record(
    *,
    practice_id: int,
    patient_id: int,
    amount_cents: int,
    method: str,
    received_on: date,
    claim_id: int | None = None,
    at_time_of_service: bool = False,
    reference: str = "",
    actor: User | None = None,
) -> PaymentRecorded:
    """Record a patient payment. On a claim, up to what the patient owes on it is applied there;
    the rest (and a payment without a claim) is an unapplied credit on the account."""
    if amount_cents <= 0:
        raise ValidationFailed("A payment must be more than zero.", field_errors={"amount": ["Must be > 0."]})
    if method not in PatientPayment.Method.values:
        raise ValidationFailed("Unknown payment method.", field_errors={"method": ["Unknown method."]})
    with transaction.atomic():
        if patient_id not in patient_directory_labels(practice_id, [patient_id]):
            raise NotFound("No such patient.")
        applied = 0
        if claim_id is not None:
            if not Claim.objects.filter(pk=claim_id, practice_id=practice_id, patient_id=patient_id).exists():
                raise NotFound("No such claim for this patient.")
            claims_lock(claim_ids=[claim_id])
            applied = max(0, min(amount_cents, claim_patient_due_cents(claim_id=claim_id)))
        payment = PatientPayment.objects.create(
            practice_id=practice_id,
            patient_id=patient_id,
            amount_cents=amount_cents,
            method=method,
            reference=reference,
            received_on=received_on,
            at_time_of_service=at_time_of_service,
            claim_id=claim_id,
            unapplied_cents=amount_cents - applied,
            recorded_by=actor,
        )
        rows = []
        if applied:
            rows.append((claim_id, applied, "Paid on the claim"))
        if amount_cents - applied:
            rows.append((None, amount_cents - applied, "Unapplied credit"))
        ledger_entries_append(
            rows=[
                {
                    "practice_id": practice_id,
                    "patient_id": patient_id,
                    "claim_id": on_claim,
                    "account": Account.PATIENT,
                    "kind": EntryKind.PATIENT_PAYMENT,
                    "amount_cents": -cents,
                    "patient_payment_id": payment.pk,
                    "reference": reference,
                    "occurred_on": received_on,
                    "actor_id": actor.pk if actor else None,
                    "memo": memo,
                }
                for on_claim, cents, memo in rows
            ]
        )
    return PaymentRecorded(payment.pk, applied, amount_cents - applied)
