"""Balances are sums of ledger rows (never stored): per patient and per claim, with insurance
pending, denied (needs action) and patient due kept apart (P1)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum

from core.money import decimal_from_cents
from ledger.models import Account, LedgerEntry


@dataclass(frozen=True, slots=True)
class Balances:
    insurance_cents: int = 0  # the payers still owe (claims not adjudicated yet, or partly)
    denied_cents: int = 0  # denied, waiting for a decision: still insurance A/R (R4)
    patient_cents: int = 0  # the patient owes (negative: a credit)
    provider_cents: int = 0

    @property
    def patient_due_cents(self) -> int:
        return max(self.patient_cents, 0)

    @property
    def patient_credit_cents(self) -> int:
        return max(-self.patient_cents, 0)


def _balances(totals: dict[str, int]) -> Balances:
    return Balances(
        insurance_cents=totals.get(Account.INSURANCE, 0),
        denied_cents=totals.get(Account.DENIED, 0),
        patient_cents=totals.get(Account.PATIENT, 0),
        provider_cents=totals.get(Account.PROVIDER, 0),
    )


def patient_balances(*, practice_id: int, patient_id: int) -> Balances:
    rows = (
        LedgerEntry.objects.filter(practice_id=practice_id, patient_id=patient_id)
        .values("account")
        .annotate(total=Sum("amount_cents"))
    )
    return _balances({row["account"]: row["total"] or 0 for row in rows})


def claim_balances(*, claim_ids: list[int]) -> dict[int, Balances]:
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        LedgerEntry.objects.filter(claim_id__in=claim_ids)
        .values("claim_id", "account")
        .annotate(total=Sum("amount_cents"))
    )
    for row in rows:
        totals[row["claim_id"]][row["account"]] = row["total"] or 0
    return {claim_id: _balances(totals.get(claim_id, {})) for claim_id in claim_ids}


def claim_patient_due_cents(*, claim_id: int) -> int:
    total = LedgerEntry.objects.filter(claim_id=claim_id, account=Account.PATIENT).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return int(total or 0)


@dataclass(frozen=True, slots=True)
class LedgerRow:
    occurred_on: date
    kind: str
    kind_label: str
    account: str
    amount_cents: int
    claim_id: int | None
    source: str  # "Payer name, EFT 123" or "Patient payment (card)" (R20)
    code: str  # "CO-45"
    memo: str


@dataclass(slots=True)
class PatientLedger:
    rows: list[LedgerRow] = field(default_factory=list)
    balances: Balances = field(default_factory=Balances)


def patient_ledger(*, practice_id: int, patient_id: int) -> PatientLedger:
    """Every row of the patient's ledger, oldest first, with the balances (two queries)."""
    entries = (
        LedgerEntry.objects.filter(practice_id=practice_id, patient_id=patient_id)
        .select_related("patient_payment")
        .order_by("occurred_on", "pk")
    )
    ledger = PatientLedger()
    totals: dict[str, int] = defaultdict(int)
    labels = dict(LedgerEntry._meta.get_field("kind").choices or [])
    for entry in entries:
        totals[entry.account] += entry.amount_cents
        if entry.patient_payment is not None:
            source = f"Patient payment ({entry.patient_payment.method})"
        elif entry.trace_number:
            source = f"{entry.payer_name}, trace {entry.trace_number}".strip(", ")
        else:
            source = ""
        ledger.rows.append(
            LedgerRow(
                entry.occurred_on,
                entry.kind,
                str(labels.get(entry.kind, entry.kind)),
                entry.account,
                entry.amount_cents,
                entry.claim_id,
                source,
                f"{entry.group}-{entry.reason_code}" if entry.group else entry.reason_code,
                entry.memo,
            )
        )
    ledger.balances = _balances(dict(totals))
    return ledger


@dataclass(frozen=True, slots=True)
class PostingProblem:
    claim_id: int
    claim_line_id: int | None
    message: str


def posting_problems(*, practice_id: int) -> list[PostingProblem]:
    """Lines whose insurance balance went below zero: more paid and adjusted than charged
    (a double posting, a write-off too high: R21). One query."""
    rows = (
        LedgerEntry.objects.filter(
            practice_id=practice_id, account=Account.INSURANCE, claim_line_id__isnull=False
        )
        .values("claim_id", "claim_line_id")
        .annotate(total=Sum("amount_cents"))
        .filter(total__lt=0)
        .order_by("claim_id", "claim_line_id")
    )
    return [
        PostingProblem(
            row["claim_id"],
            row["claim_line_id"],
            f"paid and adjusted {decimal_from_cents(-row['total']):.2f} more than the charge",
        )
        for row in rows
    ]
