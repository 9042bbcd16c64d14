"""Patient billing reads (P1-P6): the account of one patient (per claim: what insurance still
owes and what the patient owes, kept apart), the patient A/R list and the credit-balance
worklist, the content of a statement. Constant queries whatever the number of rows.

"Pending insurance" (the word used on every screen and statement): a claim billed to a payer
that has not adjudicated it yet — no ERA posted, so the patient owes nothing on it yet (P1). A
claim enters the ledger at its first posting; until then its billed total is insurance pending.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum

from claims.domain.claim_status import CLAIM_STATUS_LABELS, ClaimStatus
from claims.models import Claim
from core.errors import NotFound
from ledger.models import Account, EntryKind, LedgerEntry, PatientPayment, PatientStatement
from patients.selectors import patient_directory_labels

# Billed to a payer and not adjudicated: the total is insurance pending until a posting.
PENDING_STATUSES = (
    ClaimStatus.QUEUED,
    ClaimStatus.SUBMITTED,
    ClaimStatus.ACCEPTED_CLEARINGHOUSE,
    ClaimStatus.REJECTED,
    ClaimStatus.ACCEPTED_PAYER,
    ClaimStatus.APPEALED,
)
PENDING_LABEL = "Pending insurance"
PENDING_HELP = (
    "Pending insurance: billed to the payer, not yet decided. You owe nothing on it until the "
    "payer's decision assigns your share."
)


def claim_status_label(status: str) -> str:
    """The one plain-language label of a claim status (U2: claims.domain.claim_status)."""
    try:
        return CLAIM_STATUS_LABELS[ClaimStatus(status)]
    except ValueError:
        return status


def claim_patient_cents(*, claim_id: int) -> int:
    """What the patient owes on one claim (ledger, patient account; negative: a credit on it)."""
    total = LedgerEntry.objects.filter(claim_id=claim_id, account=Account.PATIENT).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return int(total or 0)


def charged_claims_filter() -> Exists:
    """A claim that has entered the ledger (its charge rows were posted)."""
    return Exists(LedgerEntry.objects.filter(claim_id=OuterRef("pk"), kind=EntryKind.CHARGE))


@dataclass(frozen=True, slots=True)
class ClaimAccountRow:
    claim_id: int
    date_from: date
    payer_name: str
    status: str
    status_label: str
    billed_cents: int
    insurance_paid_cents: int
    adjusted_cents: int
    patient_responsibility_cents: int
    patient_paid_cents: int  # patient payments applied to this claim (a positive number)
    insurance_cents: int  # insurance still owes (pending or partly adjudicated), incl. denied
    patient_cents: int  # the patient owes on this claim (negative: a credit on it)
    pending: bool  # not adjudicated yet: $0 patient due (P1)

    @property
    def patient_due_cents(self) -> int:
        return 0 if self.pending else max(self.patient_cents, 0)


@dataclass(frozen=True, slots=True)
class PaymentRow:
    payment_id: int
    received_on: date
    amount_cents: int
    unapplied_cents: int
    method: str
    reference: str
    at_time_of_service: bool
    claim_id: int | None


@dataclass(slots=True)
class PatientAccount:
    patient_id: int
    patient_name: str
    claims: list[ClaimAccountRow] = field(default_factory=list)
    payments: list[PaymentRow] = field(default_factory=list)
    refunded_cents: int = 0
    patient_cents: int = 0  # the ledger's patient balance (negative: a credit)
    unapplied_cents: int = 0  # payments not applied to a claim (P4)

    @property
    def insurance_pending_cents(self) -> int:
        return sum(row.insurance_cents for row in self.claims)

    @property
    def patient_due_cents(self) -> int:
        return max(self.patient_cents, 0)

    @property
    def credit_cents(self) -> int:
        return max(-self.patient_cents, 0)

    @property
    def claim_credits(self) -> list[ClaimAccountRow]:
        return [row for row in self.claims if row.patient_cents < 0]


_INSURANCE_ACCOUNTS = (Account.INSURANCE, Account.DENIED)


def patient_account(*, practice_id: int, patient_id: int, as_of: date | None = None) -> PatientAccount:
    """The patient's account: each billed claim with its split, the payments, the balance (four
    queries). `as_of` leaves out ledger rows and payments after that day (a statement date)."""
    label = patient_directory_labels(practice_id, [patient_id]).get(patient_id)
    if label is None:
        raise NotFound()
    entries = LedgerEntry.objects.filter(practice_id=practice_id, patient_id=patient_id)
    payments = PatientPayment.objects.filter(practice_id=practice_id, patient_id=patient_id)
    if as_of is not None:
        entries = entries.filter(occurred_on__lte=as_of)
        payments = payments.filter(received_on__lte=as_of)
    per_claim: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    patient_cents = refunded = 0
    for claim_id, account, kind, cents in entries.values_list("claim_id", "account", "kind", "amount_cents"):
        totals = per_claim[claim_id]
        totals[f"account:{account}"] += cents
        totals[f"kind:{kind}"] += cents
        totals[f"{account}:{kind}"] += cents
        if account == Account.PATIENT:
            patient_cents += cents
            if kind == EntryKind.REFUND:
                refunded += cents
    claims = Claim.objects.filter(practice_id=practice_id, patient_id=patient_id).filter(
        Q(pk__in=[pk for pk in per_claim if pk is not None]) | Q(status__in=PENDING_STATUSES)
    )
    if as_of is not None:
        claims = claims.filter(date_from__lte=as_of)
    account = PatientAccount(patient_id, label.name)
    for claim in claims.select_related("payer").order_by("date_from", "pk"):
        totals = per_claim.get(claim.pk, {})
        charged = "kind:charge" in totals
        pending = not charged and claim.status in PENDING_STATUSES
        insurance = (
            totals.get("account:insurance", 0) + totals.get("account:denied", 0)
            if charged
            else claim.total_cents
        )
        account.claims.append(
            ClaimAccountRow(
                claim_id=claim.pk,
                date_from=claim.date_from,
                payer_name=claim.payer.name,
                status=claim.status,
                status_label=PENDING_LABEL if pending else claim_status_label(claim.status),
                billed_cents=totals.get("kind:charge", claim.total_cents) if charged else claim.total_cents,
                insurance_paid_cents=-totals.get("kind:insurance_payment", 0),
                adjusted_cents=-(
                    totals.get("kind:contractual_adjustment", 0) + totals.get("kind:other_adjustment", 0)
                ),
                # the patient's leg only: the transfer's insurance leg (the same kind) cancels it
                patient_responsibility_cents=totals.get(
                    f"{Account.PATIENT}:{EntryKind.PATIENT_RESPONSIBILITY}", 0
                )
                + totals.get(f"{Account.PATIENT}:{EntryKind.REVERSAL}", 0),
                patient_paid_cents=-(
                    totals.get("kind:patient_payment", 0) + totals.get("kind:payment_applied", 0)
                ),
                insurance_cents=insurance if (charged or pending) else 0,
                patient_cents=totals.get("account:patient", 0),
                pending=pending,
            )
        )
    for payment in payments.order_by("received_on", "pk"):
        account.payments.append(
            PaymentRow(
                payment.pk,
                payment.received_on,
                payment.amount_cents,
                payment.unapplied_cents,
                payment.get_method_display(),
                payment.reference,
                payment.at_time_of_service,
                payment.claim_id,
            )
        )
    unassigned = per_claim.get(None, {})
    account.unapplied_cents = max(-unassigned.get("account:patient", 0), 0)
    account.patient_cents = patient_cents
    account.refunded_cents = refunded
    return account


@dataclass(frozen=True, slots=True)
class PatientArRow:
    patient_id: int
    patient_name: str
    insurance_pending_cents: int
    patient_cents: int

    @property
    def patient_due_cents(self) -> int:
        return max(self.patient_cents, 0)

    @property
    def credit_cents(self) -> int:
        return max(-self.patient_cents, 0)


def patient_ar_rows(
    *, practice_id: int, only: str = "", limit: int | None = None
) -> tuple[list[PatientArRow], int]:
    """Every patient with money open: insurance pending, patient due or a credit; `only` is
    "due" or "credit" (the P5 worklist). Three queries. Returns (rows, total count)."""
    balances: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ledger = (
        LedgerEntry.objects.filter(practice_id=practice_id, patient__isnull=False)
        .values("patient_id", "account")
        .annotate(total=Sum("amount_cents"))
    )
    for row in ledger:
        key = "patient" if row["account"] == Account.PATIENT else "insurance"
        if row["account"] in (Account.PATIENT, *_INSURANCE_ACCOUNTS):
            balances[row["patient_id"]][key] += row["total"] or 0
    pending = (
        Claim.objects.filter(practice_id=practice_id, status__in=PENDING_STATUSES)
        .exclude(charged_claims_filter())
        .values("patient_id")
        .annotate(total=Sum("total_cents"))
    )
    for row in pending:
        balances[row["patient_id"]]["insurance"] += row["total"] or 0
    selected = {
        pk: totals
        for pk, totals in balances.items()
        if (totals["patient"] or totals["insurance"])
        and (only != "due" or totals["patient"] > 0)
        and (only != "credit" or totals["patient"] < 0)
    }
    labels = patient_directory_labels(practice_id, list(selected))
    names = {pk: label.name for pk, label in labels.items()}
    rows = sorted(
        (
            PatientArRow(pk, names.get(pk, ""), totals["insurance"], totals["patient"])
            for pk, totals in selected.items()
        ),
        key=lambda row: (-abs(row.patient_cents), row.patient_name, row.patient_id),
    )
    return (rows[:limit] if limit is not None else rows), len(rows)


def patient_balance_counts(*, practice_id: int) -> tuple[int, int]:
    """How many patients owe, and how many hold a credit (one query): the home page's tiles."""
    totals = (
        LedgerEntry.objects.filter(practice_id=practice_id, account=Account.PATIENT)
        .values("patient_id")
        .annotate(total=Sum("amount_cents"))
        .aggregate(
            due=Count("patient_id", filter=Q(total__gt=0)), credit=Count("patient_id", filter=Q(total__lt=0))
        )
    )
    return totals["due"] or 0, totals["credit"] or 0


def statement_list(*, practice_id: int, patient_id: int) -> list[PatientStatement]:
    return list(PatientStatement.objects.filter(practice_id=practice_id, patient_id=patient_id)[:50])


def statement_get(*, practice_id: int, statement_id: int) -> PatientStatement | None:
    return PatientStatement.objects.filter(practice_id=practice_id, pk=statement_id).first()


def statement_content(*, account: PatientAccount, statement_date: date) -> dict[str, Any]:
    """What a statement shows (JSON, stored with it): every claim with its share, pending ones
    as "Pending insurance, $0 due" (P1), patient payments as patient payments (P3), unapplied
    credit (P4), the credit balance (P5/P6). Amounts in cents."""
    return {
        "statement_date": statement_date.isoformat(),
        "patient_name": account.patient_name,
        "claims": [
            {
                "claim_id": row.claim_id,
                "date_of_service": row.date_from.isoformat(),
                "payer": row.payer_name,
                "status": row.status_label,
                "billed_cents": row.billed_cents,
                "insurance_paid_cents": row.insurance_paid_cents,
                "adjusted_cents": row.adjusted_cents,
                "patient_responsibility_cents": row.patient_responsibility_cents,
                "patient_paid_cents": row.patient_paid_cents,
                "pending": row.pending,
                "due_cents": row.patient_due_cents,
                "credit_cents": max(-row.patient_cents, 0),
            }
            for row in account.claims
        ],
        "payments": [
            {
                "received_on": payment.received_on.isoformat(),
                "amount_cents": payment.amount_cents,
                "method": payment.method,
                "at_time_of_service": payment.at_time_of_service,
                "claim_id": payment.claim_id,
            }
            for payment in account.payments
        ],
        "refunded_cents": account.refunded_cents,
        "insurance_pending_cents": account.insurance_pending_cents,
        "unapplied_cents": account.unapplied_cents,
        "amount_due_cents": account.patient_due_cents,
        "credit_cents": account.credit_cents,
    }
