"""The billing dashboard's numbers (issue 12): A/R aging by payer and for patients on a
selectable date basis and "as of" date (U1), days in A/R, the clean-claim and denial rates,
collections this month, and the work queues with counts and dollars (U4). Every figure is an
aggregate in PostgreSQL: the page sends the same number of queries for 50 claims or 50,000.

Insurance A/R of a claim: its insurance and denied ledger balance once an ERA posted it (the
charge rows exist), else its billed total while it is pending insurance. Patient A/R of a claim:
its patient ledger balance when positive; credits are reported apart, never netted into aging.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from claims.domain.claim_status import ClaimStatus
from claims.models import Claim, ClaimAdjudication, ClaimEvent
from clinical_notes.models import SessionNote
from ledger.billing_selectors import PENDING_STATUSES, claim_status_label
from ledger.domain.aging import BUCKET_KEYS, BUCKETS, AgingBasis, days_in_ar, rate
from ledger.models import Account, EntryKind, LedgerEntry
from remittance.models import PostingException

KPI_PERIOD_DAYS = 90
# U4: when a claim counts as stuck (days)
NO_ACK_DAYS = 1
NO_ERA_DAYS = 30
REJECTED_IDLE_DAYS = 3
DENIED_IDLE_DAYS = 7


def _ledger_sum(*accounts: str, as_of: dt.date) -> Subquery:
    return Subquery(
        LedgerEntry.objects.filter(claim_id=OuterRef("pk"), account__in=accounts, occurred_on__lte=as_of)
        .order_by()
        .values("claim_id")
        .annotate(total=Sum("amount_cents"))
        .values("total"),
        output_field=BigIntegerField(),
    )


def _basis_field(basis: AgingBasis) -> str:
    return {
        AgingBasis.SERVICE: "date_from",
        AgingBasis.SUBMISSION: "basis_submitted",
        AgingBasis.ACTIVITY: "basis_activity",
    }[basis]


def claims_with_balances(*, practice_id: int, basis: AgingBasis, as_of: dt.date) -> QuerySet[Any]:
    """The practice's claims annotated with `insurance_cents`, `patient_cents`, `basis_date` and
    `bucket` (one SQL statement, whatever is done with it next)."""
    charged = Exists(
        LedgerEntry.objects.filter(claim_id=OuterRef("pk"), kind=EntryKind.CHARGE, occurred_on__lte=as_of)
    )
    claims = (
        Claim.objects.filter(practice_id=practice_id, date_from__lte=as_of)
        .annotate(
            charged=charged,
            basis_submitted=Coalesce(TruncDate("submitted_at"), F("date_from")),
            basis_activity=TruncDate("status_changed_at"),
        )
        .annotate(
            insurance_cents=Case(
                When(
                    charged=True,
                    then=Coalesce(_ledger_sum(Account.INSURANCE, Account.DENIED, as_of=as_of), 0),
                ),
                When(status__in=PENDING_STATUSES, then=F("total_cents")),
                default=Value(0),
                output_field=BigIntegerField(),
            ),
            patient_cents=Coalesce(
                _ledger_sum(Account.PATIENT, as_of=as_of), 0, output_field=BigIntegerField()
            ),
            basis_date=F(_basis_field(basis)),
        )
    )
    whens = [
        When(basis_date__gte=as_of - dt.timedelta(days=high), then=Value(key))
        for key, _label, _low, high in BUCKETS
        if high is not None
    ]
    return claims.annotate(bucket=Case(*whens, default=Value(BUCKET_KEYS[-1]), output_field=CharField()))


@dataclass(slots=True)
class AgingRow:
    key: str  # payer id, or "patients"
    label: str
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKET_KEYS, 0))
    claims: int = 0

    @property
    def total(self) -> int:
        return sum(self.buckets.values())

    def cells(self) -> list[tuple[str, int]]:
        return [(key, self.buckets[key]) for key in BUCKET_KEYS]


@dataclass(slots=True)
class Aging:
    basis: AgingBasis
    as_of: dt.date
    insurance: list[AgingRow]
    patients: AgingRow
    patient_credit_cents: int

    @property
    def insurance_total(self) -> AgingRow:
        total = AgingRow("insurance", "All payers")
        for row in self.insurance:
            for key, cents in row.buckets.items():
                total.buckets[key] += cents
            total.claims += row.claims
        return total


def ar_aging(*, practice_id: int, basis: AgingBasis, as_of: dt.date) -> Aging:
    """Insurance A/R by payer and patient A/R, each in the five buckets (three queries)."""
    claims = claims_with_balances(practice_id=practice_id, basis=basis, as_of=as_of)
    by_payer: dict[int, AgingRow] = {}
    insurance = (
        claims.filter(~Q(insurance_cents=0))
        .values("payer_id", "payer__name", "bucket")
        .annotate(total=Sum("insurance_cents"), n=Count("pk"))
        .order_by("payer__name", "payer_id")
    )
    for row in insurance:
        aging_row = by_payer.setdefault(row["payer_id"], AgingRow(str(row["payer_id"]), row["payer__name"]))
        aging_row.buckets[row["bucket"]] += row["total"] or 0
        aging_row.claims += row["n"]
    patients = AgingRow("patients", "Patients")
    for row in (
        claims.filter(patient_cents__gt=0)
        .values("bucket")
        .annotate(total=Sum("patient_cents"), n=Count("pk"))
    ):
        patients.buckets[row["bucket"]] += row["total"] or 0
        patients.claims += row["n"]
    credit = (
        LedgerEntry.objects.filter(practice_id=practice_id, account=Account.PATIENT, occurred_on__lte=as_of)
        .values("patient_id")
        .annotate(total=Sum("amount_cents"))
        .filter(total__lt=0)
        .aggregate(credit=Sum("total"))["credit"]
    )
    return Aging(basis, as_of, list(by_payer.values()), patients, -(credit or 0))


@dataclass(frozen=True, slots=True)
class Kpis:
    days_in_ar: float | None
    clean_claim_rate: float | None
    submitted_first_time: int
    denial_rate: float | None
    adjudicated: int
    collections_cents: int
    insurance_collections_cents: int
    patient_collections_cents: int
    period_days: int = KPI_PERIOD_DAYS


def billing_kpis(*, practice_id: int, today: dt.date, ar_cents: int) -> Kpis:
    """Days in A/R (A/R over the average day's charges of the last 90 days), the clean-claim
    rate (first submissions never rejected), the denial rate (adjudicated claims denied) and
    collections this month (payer and patient payments less refunds). Three queries."""
    since = today - dt.timedelta(days=KPI_PERIOD_DAYS)
    rejected = Exists(ClaimEvent.objects.filter(claim_id=OuterRef("pk"), to_status=ClaimStatus.REJECTED))
    first = Claim.objects.filter(practice_id=practice_id, version=1, submitted_at__date__gte=since).aggregate(
        n=Count("pk"), rejected=Count("pk", filter=Q(rejected)), charges=Sum("total_cents")
    )
    adjudicated = ClaimAdjudication.objects.filter(
        claim__practice_id=practice_id, adjudicated_on__gte=since, is_reversal=False, reversed_by__isnull=True
    ).aggregate(
        n=Count("claim_id", distinct=True),
        denied=Count("claim_id", distinct=True, filter=Q(claim_status_code="4")),
    )
    month = today.replace(day=1)
    money = LedgerEntry.objects.filter(
        practice_id=practice_id,
        occurred_on__gte=month,
        occurred_on__lte=today,
        kind__in=[EntryKind.INSURANCE_PAYMENT, EntryKind.PATIENT_PAYMENT, EntryKind.REFUND],
    ).aggregate(
        insurance=Sum("amount_cents", filter=Q(kind=EntryKind.INSURANCE_PAYMENT)),
        patient=Sum("amount_cents", filter=Q(kind__in=[EntryKind.PATIENT_PAYMENT, EntryKind.REFUND])),
    )
    insurance_paid = -(money["insurance"] or 0)
    patient_paid = -(money["patient"] or 0)
    return Kpis(
        days_in_ar=days_in_ar(
            ar_cents=ar_cents, charges_cents=first["charges"] or 0, period_days=KPI_PERIOD_DAYS
        ),
        clean_claim_rate=rate(first["n"] - first["rejected"], first["n"]),
        submitted_first_time=first["n"],
        denial_rate=rate(adjudicated["denied"], adjudicated["n"]),
        adjudicated=adjudicated["n"],
        collections_cents=insurance_paid + patient_paid,
        insurance_collections_cents=insurance_paid,
        patient_collections_cents=patient_paid,
    )


# ---- work queues (U4) ------------------------------------------------------------------------

QUEUES: dict[str, str] = {
    "rejected": "Rejected claims",
    "rejected_idle": f"Rejected, not worked for {REJECTED_IDLE_DAYS} days",
    "no_ack": f"Sent, no acknowledgement after {NO_ACK_DAYS} day",
    "no_era": f"Accepted, no ERA after {NO_ERA_DAYS} days",
    "denied_idle": f"Denied, no action for {DENIED_IDLE_DAYS} days",
}


def queue_filter(queue: str, now: dt.datetime) -> Q | None:
    day = dt.timedelta(days=1)
    return {
        "rejected": Q(status=ClaimStatus.REJECTED),
        "rejected_idle": Q(status=ClaimStatus.REJECTED, status_changed_at__lt=now - REJECTED_IDLE_DAYS * day),
        "no_ack": Q(
            status__in=[ClaimStatus.QUEUED, ClaimStatus.SUBMITTED], submitted_at__lt=now - NO_ACK_DAYS * day
        )
        | Q(
            status=ClaimStatus.SUBMITTED,
            submitted_at__isnull=True,
            status_changed_at__lt=now - NO_ACK_DAYS * day,
        ),
        "no_era": Q(
            status__in=[ClaimStatus.ACCEPTED_CLEARINGHOUSE, ClaimStatus.ACCEPTED_PAYER],
            status_changed_at__lt=now - NO_ERA_DAYS * day,
        ),
        "denied_idle": Q(status=ClaimStatus.DENIED, status_changed_at__lt=now - DENIED_IDLE_DAYS * day),
    }.get(queue)


@dataclass(frozen=True, slots=True)
class QueueCount:
    key: str
    label: str
    count: int | None  # None: the app behind it is not installed
    cents: int | None = None


def claim_queue_counts(*, practice_id: int, now: dt.datetime) -> list[QueueCount]:
    """Each claim queue's count and billed dollars (one query for all)."""
    aggregates: dict[str, Count | Sum] = {}
    for key in QUEUES:
        condition = queue_filter(key, now)
        aggregates[f"{key}_n"] = Count("pk", filter=condition)
        aggregates[f"{key}_cents"] = Sum("total_cents", filter=condition)
    totals = Claim.objects.filter(practice_id=practice_id).aggregate(**aggregates)
    return [
        QueueCount(key, label, totals[f"{key}_n"], totals[f"{key}_cents"] or 0)
        for key, label in QUEUES.items()
    ]


def unmatched_era_count(*, practice_id: int) -> int:
    return PostingException.objects.filter(
        practice_id=practice_id, status=PostingException.Status.OPEN
    ).count()


def notes_awaiting_cosign_count(*, practice_id: int) -> int:
    return SessionNote.objects.filter(practice_id=practice_id, status="awaiting_cosign").count()


def denials_due_soon_count_hook(*, practice_id: int) -> int | None:
    """Denials whose appeal deadline is near: the denials app (helper "denials") answers this
    once it is merged (`denials.selectors.denials_due_soon(access=..., today=...).count`, linking
    to `denials:queue`); until then None, and the tile says the count is not available."""
    return None


@dataclass(frozen=True, slots=True)
class WorklistRow:
    claim_id: int
    patient_id: int
    patient_name: str
    payer_name: str
    date_from: dt.date
    status_label: str
    total_cents: int
    insurance_cents: int
    patient_cents: int
    basis_date: dt.date | None
    bucket: str


def claim_worklist(
    *,
    practice_id: int,
    basis: AgingBasis,
    as_of: dt.date,
    now: dt.datetime,
    queue: str = "",
    payer_id: int | None = None,
    bucket: str = "",
    side: str = "",
    limit: int | None = 200,
) -> tuple[list[WorklistRow], int]:
    """The claims behind a tile or an aging cell, oldest first (two queries: rows and count)."""
    claims = claims_with_balances(practice_id=practice_id, basis=basis, as_of=as_of)
    condition = queue_filter(queue, now)
    if condition is not None:
        claims = claims.filter(condition)
    if payer_id is not None:
        claims = claims.filter(payer_id=payer_id)
    if bucket in BUCKET_KEYS:
        claims = claims.filter(bucket=bucket)
    if side == "insurance":
        claims = claims.filter(~Q(insurance_cents=0))
    elif side == "patient":
        claims = claims.filter(patient_cents__gt=0)
    count = claims.count()
    ordered = claims.select_related("patient", "payer").order_by("basis_date", "pk")
    rows: list[Any] = list(ordered[:limit] if limit is not None else ordered)
    return (
        [
            WorklistRow(
                claim.pk,
                claim.patient_id,
                f"{claim.patient.first_name} {claim.patient.last_name}",
                claim.payer.name,
                claim.date_from,
                claim_status_label(claim.status),
                claim.total_cents,
                claim.insurance_cents,
                claim.patient_cents,
                claim.basis_date,
                claim.bucket,
            )
            for claim in rows
        ],
        count,
    )
