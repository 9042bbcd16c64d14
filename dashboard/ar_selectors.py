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

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from claims.domain.claim_status import ClaimStatus
from claims.models import Claim, ClaimAdjudication, ClaimEvent
from clinical_notes.models import SessionNote
from denials.selectors import denials_due_soon
from ledger.billing_selectors import PENDING_STATUSES, claim_status_label
from ledger.domain.aging import BUCKET_KEYS, BUCKETS, AgingBasis, days_in_ar, rate
from ledger.models import Account, EntryKind, LedgerEntry
from payers.models import Payer
from remittance.models import EraFile, PostingException
from remittance.selectors import ERA_RECEIVED_STATUSES

KPI_PERIOD_DAYS = 90
# U4: when a claim counts as stuck (days)
NO_ACK_DAYS = 1
NO_ERA_DAYS = 30
REJECTED_IDLE_DAYS = 3
DENIED_IDLE_DAYS = 7


def _balances_sql(*, basis: AgingBasis, practice_id: int, as_of: dt.date) -> tuple[str, dict[str, Any]]:
    """One SELECT of every claim of the practice with `insurance_cents`, `patient_cents`,
    `basis_date` and `bucket`: the ledger is summed once per claim in a CTE and hash-joined
    (a correlated sum per claim took seconds at 50,000 claims)."""
    zone = timezone.get_current_timezone_name()
    basis_sql = {
        AgingBasis.SERVICE: "c.date_from",
        AgingBasis.SUBMISSION: "COALESCE((c.submitted_at AT TIME ZONE %(zone)s)::date, c.date_from)",
        AgingBasis.ACTIVITY: "(c.status_changed_at AT TIME ZONE %(zone)s)::date",
    }[basis]
    buckets = " ".join(
        f"WHEN basis_date >= %(as_of)s::date - {high} THEN '{key}'"
        for key, _label, _low, high in BUCKETS
        if high is not None
    )
    # Interpolated: table names and bucket bounds (our constants); values go as parameters.
    sql = f"""
        WITH led AS (
            SELECT claim_id,
                   SUM(amount_cents) FILTER (WHERE account IN ('insurance', 'denied')) AS ins,
                   SUM(amount_cents) FILTER (WHERE account = 'patient') AS pat,
                   BOOL_OR(kind = 'charge') AS charged
            FROM {LedgerEntry._meta.db_table}
            WHERE practice_id = %(practice)s AND claim_id IS NOT NULL AND occurred_on <= %(as_of)s
            GROUP BY claim_id
        ), bal AS (
            SELECT c.id, c.payer_id, c.patient_id,
                   CASE WHEN COALESCE(led.charged, FALSE) THEN COALESCE(led.ins, 0)
                        WHEN c.status = ANY(%(pending)s) THEN c.total_cents ELSE 0 END AS insurance_cents,
                   COALESCE(led.pat, 0) AS patient_cents,
                   {basis_sql} AS basis_date
            FROM {Claim._meta.db_table} c LEFT JOIN led ON led.claim_id = c.id
            WHERE c.practice_id = %(practice)s AND c.date_from <= %(as_of)s
        )
        SELECT bal.*, CASE {buckets} ELSE '{BUCKET_KEYS[-1]}' END AS bucket FROM bal
    """  # noqa: S608
    params = {
        "practice": practice_id,
        "as_of": as_of,
        "pending": [str(s) for s in PENDING_STATUSES],
        "zone": zone,
    }
    return sql, params


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
    sql, params = _balances_sql(basis=basis, practice_id=practice_id, as_of=as_of)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT payer_id, bucket,
                   COALESCE(SUM(insurance_cents) FILTER (WHERE insurance_cents <> 0), 0),
                   COUNT(*) FILTER (WHERE insurance_cents <> 0),
                   COALESCE(SUM(patient_cents) FILTER (WHERE patient_cents > 0), 0),
                   COUNT(*) FILTER (WHERE patient_cents > 0)
            FROM ({sql}) balances GROUP BY payer_id, bucket
            """,  # noqa: S608
            params,
        )
        grouped = cursor.fetchall()
    names = dict(Payer.objects.filter(pk__in={row[0] for row in grouped}).values_list("pk", "name"))
    by_payer: dict[int, AgingRow] = {}
    patients = AgingRow("patients", "Patients")
    for payer_id, bucket, insurance, insurance_n, patient, patient_n in grouped:
        if insurance_n:
            aging_row = by_payer.setdefault(payer_id, AgingRow(str(payer_id), names.get(payer_id, "")))
            aging_row.buckets[bucket] += int(insurance)
            aging_row.claims += insurance_n
        patients.buckets[bucket] += int(patient)
        patients.claims += patient_n
    credit = (
        LedgerEntry.objects.filter(practice_id=practice_id, account=Account.PATIENT, occurred_on__lte=as_of)
        .values("patient_id")
        .annotate(total=Sum("amount_cents"))
        .filter(total__lt=0)
        .aggregate(credit=Sum("total"))["credit"]
    )
    insurance_rows = sorted(by_payer.values(), key=lambda row: (row.label, row.key))
    return Aging(basis, as_of, insurance_rows, patients, -(credit or 0))


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


# R19: claims that make an ERA expected from their payer
ERA_EXPECTED_STATUSES = [
    ClaimStatus.SUBMITTED,
    ClaimStatus.ACCEPTED_CLEARINGHOUSE,
    ClaimStatus.ACCEPTED_PAYER,
    ClaimStatus.PAID,
    ClaimStatus.PARTIALLY_PAID,
]


@dataclass(frozen=True, slots=True)
class PayerEra:
    payer_pk: int
    name: str
    era_enrollment: str  # Payer.EraEnrollment label
    era_enrolled_on: dt.date | None
    last_era_at: dt.datetime | None
    last_claim_at: dt.datetime | None  # latest claim submitted, accepted or paid since `since`


def payer_era_overview(*, practice_id: int, since: dt.datetime) -> list[PayerEra]:
    """Each active insurance payer with its ERA enrolment, its last ERA received (from
    remittance, by electronic payer id) and its latest claim activity since `since` (R19), in
    one query whatever the number of payers, claims or ERAs."""
    last_era = (
        EraFile.objects.filter(
            practice_id=practice_id, payer_id=OuterRef("payer_id"), status__in=ERA_RECEIVED_STATUSES
        )
        .exclude(payer_id="")
        .order_by("-received_at")
        .values("received_at")[:1]
    )
    last_claim = (
        Claim.objects.filter(
            payer_id=OuterRef("pk"), status__in=ERA_EXPECTED_STATUSES, status_changed_at__gte=since
        )
        .order_by("-status_changed_at")
        .values("status_changed_at")[:1]
    )
    rows = (
        Payer.objects.filter(practice_id=practice_id, is_active=True)
        .exclude(kind=Payer.Kind.SELF_PAY)
        .annotate(last_era_at=Subquery(last_era), last_claim_at=Subquery(last_claim))
        .order_by("name", "pk")
    )
    return [
        PayerEra(
            payer_pk=p.pk,
            name=p.name,
            era_enrollment=p.get_era_enrollment_display(),
            era_enrolled_on=p.era_enrolled_on,
            last_era_at=p.last_era_at,
            last_claim_at=p.last_claim_at,
        )
        for p in rows
    ]


def notes_awaiting_cosign_count(*, practice_id: int) -> int:
    return SessionNote.objects.filter(practice_id=practice_id, status="awaiting_cosign").count()


def denials_due_soon_count(*, practice_id: int, today: dt.date) -> tuple[int, int]:
    """Open denials whose appeal deadline is within 14 days or past, and how many are past
    (the denials app's count, one query)."""
    due = denials_due_soon(practice_id=practice_id, today=today)
    return due.count, due.overdue


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


def _named_with_positional(
    query: str, named: dict[str, Any], positional: list[Any]
) -> tuple[str, dict[str, Any]]:
    """Turn the positional `%%s` of an embedded ORM subquery into named parameters."""
    parts = query.split("%%s")
    text = parts[0]
    for index, part in enumerate(parts[1:]):
        key = f"q{index}"
        named[key] = positional[index]
        text += f"%({key})s" + part
    return text, named


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
    sql, params = _balances_sql(basis=basis, practice_id=practice_id, as_of=as_of)
    where = ["TRUE"]
    condition = queue_filter(queue, now)
    if condition is not None:
        ids_sql, ids_params = (
            Claim.objects.filter(practice_id=practice_id)
            .filter(condition)
            .values("pk")
            .query.sql_with_params()
        )
        where.append(f"id IN ({ids_sql.replace('%s', '%%s')})")
    if payer_id is not None:
        where.append("payer_id = %(payer)s")
        params["payer"] = payer_id
    if bucket in BUCKET_KEYS:
        where.append("bucket = %(bucket)s")
        params["bucket"] = bucket
    if side == "insurance":
        where.append("insurance_cents <> 0")
    elif side == "patient":
        where.append("patient_cents > 0")
    query = f"""
        SELECT id, insurance_cents, patient_cents, basis_date, bucket, COUNT(*) OVER () AS total
        FROM ({sql}) balances WHERE {" AND ".join(where)} ORDER BY basis_date, id
    """  # noqa: S608
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    if condition is not None:
        # the queue's own parameters are positional: inline them safely through the cursor
        query, params = _named_with_positional(query, params, list(ids_params))
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        found = cursor.fetchall()
    count = found[0][5] if found else 0
    claims = (
        Claim.objects.filter(pk__in=[row[0] for row in found]).select_related("patient", "payer").in_bulk()
    )
    rows = [(claims[row[0]], *row[1:5]) for row in found]
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
                int(insurance),
                int(patient),
                basis_date,
                claim_bucket,
            )
            for claim, insurance, patient, basis_date, claim_bucket in rows
        ],
        count,
    )
