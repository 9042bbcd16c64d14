"""Patient billing writes: take a payment (at the time of service or later, on a claim or as a
credit), apply a credit to a claim (P4), refund a credit (P5/P6, a reason required), and make
statements (idempotent per patient per statement date, durable through the outbox).

Every money change is ledger rows (append-only) under the patient's row lock, so two clerks
applying or refunding the same credit at once cannot spend it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from claims.models import Claim
from core.errors import NotFound, ValidationFailed
from core.jobs import job_enqueue_on_commit
from ledger.billing_selectors import claim_patient_cents, patient_account, patient_ar_rows, statement_content
from ledger.models import Account, EntryKind, LedgerEntry, PatientPayment, PatientStatement
from patients.selectors import patient_lock

STATEMENT_TASK = "ledger.tasks.statement_generate_task"
REFUND_REASON_MIN = 5


def _patient_lock(practice_id: int, patient_id: int) -> None:
    if not patient_lock(practice_id=practice_id, patient_id=patient_id):
        raise NotFound("No such patient.")


def _claim_lock(claim_id: int) -> None:
    """The claim's row lock: an ERA posting on the same claim (remittance locks it too) and
    this payment wait for each other, so the due amount read here is the posted one."""
    list(Claim.objects.select_for_update(of=("self",)).filter(pk=claim_id).values_list("pk", flat=True))


def _append(rows: list[LedgerEntry]) -> None:
    for row in rows:
        if row.pk is not None:
            raise ValueError("ledger rows are appended once")
    LedgerEntry.objects.bulk_create(rows)


@dataclass(frozen=True, slots=True)
class PaymentTaken:
    payment_id: int
    applied_cents: int
    unapplied_cents: int


def patient_payment_take(
    *,
    practice_id: int,
    patient_id: int,
    amount_cents: int,
    method: str,
    received_on: date,
    claim_id: int | None = None,
    at_time_of_service: bool = False,
    reference: str = "",
    actor_id: int | None = None,
) -> PaymentTaken:
    """A payment from the patient (a copay at check-in, a payment against a statement, a
    prepayment): applied to the claim up to what the patient owes there (nothing while the claim
    is pending insurance), the rest an unapplied credit on the account (P4)."""
    if amount_cents <= 0:
        raise ValidationFailed("A payment must be more than zero.", field_errors={"amount": ["Must be > 0."]})
    if method not in PatientPayment.Method.values:
        raise ValidationFailed("Unknown payment method.", field_errors={"method": ["Unknown method."]})
    reference = reference.strip()[:50]
    with transaction.atomic():
        _patient_lock(practice_id, patient_id)
        applied = 0
        if claim_id is not None:
            if not Claim.objects.filter(pk=claim_id, practice_id=practice_id, patient_id=patient_id).exists():
                raise NotFound("No such claim for this patient.")
            _claim_lock(claim_id)
            applied = max(0, min(amount_cents, claim_patient_cents(claim_id=claim_id)))
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
            recorded_by_id=actor_id,
        )
        parts = [(claim_id, applied, "Paid on the claim"), (None, amount_cents - applied, "Unapplied credit")]
        _append(
            [
                LedgerEntry(
                    practice_id=practice_id,
                    patient_id=patient_id,
                    claim_id=on_claim,
                    account=Account.PATIENT,
                    kind=EntryKind.PATIENT_PAYMENT,
                    amount_cents=-cents,
                    patient_payment=payment,
                    reference=reference,
                    occurred_on=received_on,
                    actor_id=actor_id,
                    memo=memo,
                )
                for on_claim, cents, memo in parts
                if cents
            ]
        )
    return PaymentTaken(payment.pk, applied, amount_cents - applied)


def credit_apply(
    *, practice_id: int, patient_id: int, claim_id: int, on: date, actor_id: int | None = None
) -> int:
    """Apply the patient's unapplied credit (oldest payment first) to what they owe on the claim.
    Returns the cents applied (0: nothing owed or no credit)."""
    with transaction.atomic():
        _patient_lock(practice_id, patient_id)
        if not Claim.objects.filter(pk=claim_id, practice_id=practice_id, patient_id=patient_id).exists():
            raise NotFound("No such claim for this patient.")
        _claim_lock(claim_id)
        owed = claim_patient_cents(claim_id=claim_id)
        if owed <= 0:
            raise ValidationFailed("The patient owes nothing on this claim.")
        rows: list[LedgerEntry] = []
        applied = 0
        for payment in (
            PatientPayment.objects.select_for_update()
            .filter(practice_id=practice_id, patient_id=patient_id, unapplied_cents__gt=0)
            .order_by("received_on", "pk")
        ):
            take = min(payment.unapplied_cents, owed - applied)
            if take <= 0:
                break
            payment.unapplied_cents -= take
            payment.save(update_fields=["unapplied_cents"])
            applied += take
            common = {
                "practice_id": practice_id,
                "patient_id": patient_id,
                "account": Account.PATIENT,
                "kind": EntryKind.PAYMENT_APPLIED,
                "patient_payment": payment,
                "occurred_on": on,
                "actor_id": actor_id,
            }
            rows.append(
                LedgerEntry(claim_id=None, amount_cents=take, memo="Credit applied to a claim", **common)
            )
            rows.append(
                LedgerEntry(claim_id=claim_id, amount_cents=-take, memo="Paid from the credit", **common)
            )
        if not applied:
            raise ValidationFailed("The patient has no unapplied credit.")
        _append(rows)
    return applied


def credit_refund(
    *,
    practice_id: int,
    patient_id: int,
    amount_cents: int,
    reason: str,
    on: date,
    actor_id: int | None = None,
) -> int:
    """Refund part or all of a credit balance (P5), a reason required. The credit is taken from
    claims the patient overpaid (a correction lowered their share, P6), then from unapplied
    payments; each refund row names the payment it returns. Returns the cents refunded."""
    reason = reason.strip()
    if len(reason) < REFUND_REASON_MIN:
        raise ValidationFailed("Give the reason for the refund.", field_errors={"reason": ["Required."]})
    if amount_cents <= 0:
        raise ValidationFailed("A refund must be more than zero.", field_errors={"amount": ["Must be > 0."]})
    with transaction.atomic():
        _patient_lock(practice_id, patient_id)
        account = patient_account(practice_id=practice_id, patient_id=patient_id)
        if amount_cents > account.credit_cents:
            raise ValidationFailed(
                "The refund is more than the patient's credit balance.",
                field_errors={"amount": ["Too much."]},
            )
        payments = list(
            PatientPayment.objects.select_for_update()
            .filter(practice_id=practice_id, patient_id=patient_id)
            .order_by("-received_on", "-pk")
        )
        if not payments:
            raise ValidationFailed("A refund returns a patient payment; this patient has none.")
        rows: list[LedgerEntry] = []
        left = amount_cents
        memo = f"Refund: {reason}"[:200]
        for claim_row in account.claim_credits:
            take = min(-claim_row.patient_cents, left)
            if take <= 0:
                continue
            named = next((p for p in payments if p.claim_id == claim_row.claim_id), payments[0])
            rows.append(
                _refund_row(practice_id, patient_id, claim_row.claim_id, take, named, on, actor_id, memo)
            )
            left -= take
        for payment in sorted(payments, key=lambda p: (p.received_on, p.pk)):
            if left <= 0:
                break
            take = min(payment.unapplied_cents, left)
            if take <= 0:
                continue
            payment.unapplied_cents -= take
            payment.save(update_fields=["unapplied_cents"])
            rows.append(_refund_row(practice_id, patient_id, None, take, payment, on, actor_id, memo))
            left -= take
        if left > 0:
            raise ValidationFailed("The credit could not be traced to the patient's payments.")
        _append(rows)
    return amount_cents


def _refund_row(
    practice_id: int,
    patient_id: int,
    claim_id: int | None,
    cents: int,
    payment: PatientPayment,
    on: date,
    actor_id: int | None,
    memo: str,
) -> LedgerEntry:
    return LedgerEntry(
        practice_id=practice_id,
        patient_id=patient_id,
        claim_id=claim_id,
        account=Account.PATIENT,
        kind=EntryKind.REFUND,
        amount_cents=cents,
        patient_payment=payment,
        occurred_on=on,
        actor_id=actor_id,
        memo=memo,
    )


def statement_generate(
    *, practice_id: int, patient_id: int, statement_date: date, actor_id: int | None = None
) -> PatientStatement:
    """The patient's statement for `statement_date` (made once: a second call, a retried job or
    a concurrent request returns the same statement)."""
    existing = PatientStatement.objects.filter(
        practice_id=practice_id, patient_id=patient_id, statement_date=statement_date
    ).first()
    if existing is not None:
        return existing
    account = patient_account(practice_id=practice_id, patient_id=patient_id, as_of=statement_date)
    content = statement_content(account=account, statement_date=statement_date)
    try:
        with transaction.atomic():
            return PatientStatement.objects.create(
                practice_id=practice_id,
                patient_id=patient_id,
                statement_date=statement_date,
                amount_due_cents=account.patient_due_cents,
                credit_cents=account.credit_cents,
                insurance_pending_cents=account.insurance_pending_cents,
                unapplied_cents=account.unapplied_cents,
                content=content,
                created_by_id=actor_id,
            )
    except IntegrityError:  # made by a concurrent run in the meantime
        return PatientStatement.objects.get(
            practice_id=practice_id, patient_id=patient_id, statement_date=statement_date
        )


def statements_request(
    *, practice_id: int, statement_date: date, patient_ids: list[int] | None = None
) -> int:
    """Queue one durable statement job per patient (every patient who owes or has a credit, or
    the given ones), idempotent per patient and date. Returns how many were queued."""
    if patient_ids is None:
        rows, _count = patient_ar_rows(practice_id=practice_id)
        patient_ids = [row.patient_id for row in rows if row.patient_cents != 0]
    with transaction.atomic():
        for patient_id in patient_ids:
            job_enqueue_on_commit(
                STATEMENT_TASK,
                key=f"statement:{practice_id}:{patient_id}:{statement_date.isoformat()}",
                label=f"Statement of {statement_date.isoformat()} for patient #{patient_id}",
                practice_id=practice_id,
                practice_id_arg=practice_id,
                patient_id=patient_id,
                statement_date=statement_date.isoformat(),
            )
    return len(patient_ids)
