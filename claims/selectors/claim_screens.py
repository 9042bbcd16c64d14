"""Reads of claims for the claim screens and the API (scoped to the reader's practice, audited).

* `claim_list` (filters, counts per state, one page), `claim_export_rows` (every matching claim,
  for the CSV: an `export` audit event), `claim_get` (one claim with its lines, events,
  acknowledgements and adjudications), `claims_ready` (the batch screen), `batch_list` and
  `batch_progress` (batches with claims sent / total), `rejection_list` (rejected claims with the
  latest rejection in plain words).
* Each runs a fixed number of queries whatever the number of claims (tests/query_counts.py).
* BILLING_VIEW is required; another practice's claim is NotFound (audited as denied).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from claims.models import (
    Claim,
    ClaimAcknowledgement,
    ClaimAdjudication,
    ClaimBatch,
    ClaimBatchItem,
    ClaimEvent,
    ClaimLine,
    ClaimLineAdjudication,
    ClaimStatus,
)
from claims.selectors import audited
from claims.selectors.claims import NOT_WITH_PAYER
from core.errors import PermissionDenied, ValidationFailed
from core.pagination import page_bounds
from payers.selectors import payer_in_practice
from practice.selectors import practice_today

CLAIM_OBJECT_TYPE = "claim"
BATCH_OBJECT_TYPE = "claim_batch"
MAX_PAGE_SIZE = 200
MAX_EXPORT_ROWS = 10_000
# Age of a claim: days since its first date of service (the clock timely filing runs on).
AGE_BUCKETS: dict[str, tuple[int, int | None]] = {
    "0-30": (0, 30),
    "31-60": (31, 60),
    "61-90": (61, 90),
    "91-120": (91, 120),
    "120+": (121, None),
}
# A batch's claims count as sent once they left `queued` (submitted or any later state).
_NOT_SENT = (ClaimStatus.DRAFT, ClaimStatus.READY, ClaimStatus.QUEUED)


def _require(
    access: PracticeAccess, *, action: str, capability: Capability = Capability.BILLING_VIEW
) -> None:
    audited.require(access, action=action, object_type=CLAIM_OBJECT_TYPE, capability=capability)


@dataclass(frozen=True, slots=True)
class ClaimFilters:
    status: str = ""
    payer_id: int | None = None
    provider_id: int | None = None
    age: str = ""  # a key of AGE_BUCKETS
    min_cents: int | None = None
    max_cents: int | None = None
    # not yet accepted by the payer, timely-filing deadline within this many days or past (the
    # home page's "Claims near the filing deadline" tile links here)
    filing_due_within: int | None = None


@dataclass(frozen=True)
class ClaimPage:
    claims: list[Claim]  # patient, payer, rendering provider joined
    total: int
    total_cents: int  # over every matching claim, not only this page
    counts_by_status: dict[str, int]  # over the other filters
    limit: int
    offset: int

    @property
    def rows(self) -> list[Claim]:
        return self.claims


def _filtered(access: PracticeAccess, filters: ClaimFilters) -> tuple[QuerySet[Claim], list[str]]:
    claims = Claim.objects.filter(practice_id=access.practice_id)
    described: list[str] = []
    if filters.payer_id is not None:
        if not payer_in_practice(practice_id=access.practice_id, payer_pk=filters.payer_id):
            raise ValidationFailed(
                "Unknown payer.", field_errors={"payer": ["No such payer in this practice."]}
            )
        claims = claims.filter(payer_id=filters.payer_id)
        described.append(f"payer={filters.payer_id}")
    if filters.provider_id is not None:
        claims = claims.filter(rendering_provider_id=filters.provider_id)
        described.append(f"provider={filters.provider_id}")
    if filters.age:
        if filters.age not in AGE_BUCKETS:
            raise ValidationFailed("Unknown age.", field_errors={"age": ["Choose an age bracket."]})
        low, high = AGE_BUCKETS[filters.age]
        today = practice_today(practice_id=access.practice_id)
        claims = claims.filter(date_from__lte=today - timedelta(days=low))
        if high is not None:
            claims = claims.filter(date_from__gte=today - timedelta(days=high))
        described.append(f"age={filters.age}")
    if filters.filing_due_within is not None:
        last_day = practice_today(practice_id=access.practice_id) + timedelta(days=filters.filing_due_within)
        claims = claims.filter(
            status__in=[s.value for s in NOT_WITH_PAYER], timely_filing_deadline__lte=last_day
        )
        described.append(f"filing_due_within={filters.filing_due_within}")
    if (
        filters.min_cents is not None
        and filters.max_cents is not None
        and filters.max_cents < filters.min_cents
    ):
        raise ValidationFailed(
            "Amount range.", field_errors={"max_amount": ["The maximum cannot be below the minimum."]}
        )
    if filters.min_cents is not None:
        claims = claims.filter(total_cents__gte=filters.min_cents)
        described.append(f"min={filters.min_cents}")
    if filters.max_cents is not None:
        claims = claims.filter(total_cents__lte=filters.max_cents)
        described.append(f"max={filters.max_cents}")
    return claims, described


def _with_status(claims: QuerySet[Claim], filters: ClaimFilters, described: list[str]) -> QuerySet[Claim]:
    if not filters.status:
        return claims
    if filters.status not in ClaimStatus.values:
        raise ValidationFailed("Unknown status.", field_errors={"status": ["Choose a claim status."]})
    described.append(f"status={filters.status}")
    return claims.filter(status=filters.status)


def _list_rows(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.select_related("patient", "payer", "rendering_provider").order_by("-date_from", "-pk")


def claim_list(
    *, access: PracticeAccess, filters: ClaimFilters | None = None, limit: int = 50, offset: int = 0
) -> ClaimPage:
    """The practice's claims, newest date of service first, with counts per state (over the other
    filters) and the total charge of every match. One `list` audit event; five queries."""
    _require(access, action=AuditEvent.Action.LIST)
    filters = filters or ClaimFilters()
    claims, described = _filtered(access, filters)
    counts = audited.counts_by_status(claims, ClaimStatus.values)
    claims = _with_status(claims, filters, described)
    summary = claims.order_by().aggregate(n=Count("pk"), cents=Sum("total_cents"))
    limit, offset = page_bounds(limit, offset, max_size=MAX_PAGE_SIZE)
    page = list(_list_rows(claims)[offset : offset + limit])
    audited.page_listed(
        access, object_type=CLAIM_OBJECT_TYPE, page=page, total=summary["n"], described=described
    )
    return ClaimPage(
        claims=page,
        total=summary["n"],
        total_cents=summary["cents"] or 0,
        counts_by_status=counts,
        limit=limit,
        offset=offset,
    )


def claim_export_rows(*, access: PracticeAccess, filters: ClaimFilters | None = None) -> list[Claim]:
    """Every claim matching `filters` (at most MAX_EXPORT_ROWS), for the CSV. One `export` event
    naming the patients exported."""
    _require(access, action=AuditEvent.Action.EXPORT)
    filters = filters or ClaimFilters()
    claims, described = _filtered(access, filters)
    claims = _with_status(claims, filters, described)
    rows = list(_list_rows(claims)[:MAX_EXPORT_ROWS])
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.EXPORT,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=CLAIM_OBJECT_TYPE,
        detail=";".join(["format=csv", f"rows={len(rows)}", *described])[:200],
        shown_patient_ids=sorted({c.patient_id for c in rows}),
    )
    return rows


def _detail(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.select_related(
        "practice", "patient", "payer", "coverage", "rendering_provider", "supervising_provider", "replaces"
    ).prefetch_related(
        Prefetch("lines", queryset=ClaimLine.objects.select_related("charge").order_by("line_number")),
        Prefetch("events", queryset=ClaimEvent.objects.select_related("actor").order_by("occurred_at", "pk")),
        Prefetch(
            "acknowledgements",
            queryset=ClaimAcknowledgement.objects.select_related("inbound_file").order_by(
                "occurred_at", "pk"
            ),
        ),
        Prefetch(
            "adjudications",
            queryset=ClaimAdjudication.objects.prefetch_related(
                Prefetch(
                    "lines",
                    queryset=ClaimLineAdjudication.objects.select_related("claim_line").order_by(
                        "claim_line__line_number"
                    ),
                )
            ).order_by("adjudicated_on", "pk"),
        ),
        Prefetch("later_versions", queryset=Claim.objects.order_by("version")),
    )


def claim_get(*, access: PracticeAccess, claim_id: int, purpose: str = "view") -> Claim:
    """One claim with everything the detail page shows. One audit event: `view`, or `export` for
    the CMS-1500 PDF (purpose="pdf"); NotFound (audited as denied) outside the practice."""
    action = AuditEvent.Action.EXPORT if purpose == "pdf" else AuditEvent.Action.VIEW
    _require(access, action=action)
    found = _detail(Claim.objects.filter(practice_id=access.practice_id, pk=claim_id)).first()
    return audited.found_or_denied(
        access,
        found,
        action=action,
        object_type=CLAIM_OBJECT_TYPE,
        object_id=claim_id,
        detail=f"status={found.status}" + (";format=cms1500_pdf" if purpose == "pdf" else "")
        if found is not None
        else "",
    )


def claims_ready(*, access: PracticeAccess, limit: int = MAX_PAGE_SIZE) -> list[Claim]:
    """Claims ready to submit (the batch screen), oldest date of service first. One `list` event."""
    _require(access, action=AuditEvent.Action.LIST)
    claims = list(
        Claim.objects.filter(practice_id=access.practice_id, status=ClaimStatus.READY)
        .select_related("patient", "payer", "rendering_provider")
        .order_by("date_from", "pk")[:limit]
    )
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=CLAIM_OBJECT_TYPE,
        detail=f"results={len(claims)};status=ready",
        shown_patient_ids=[c.patient_id for c in claims],
    )
    return claims


@dataclass(frozen=True, slots=True)
class BatchProgress:
    batch_id: int
    status: str
    total: int  # claims in the batch
    sent: int  # claims past `queued`
    accepted: int  # accepted by the clearinghouse or later (not rejected)
    rejected: int
    file_name: str
    created_at: object
    sent_at: object
    attempts: int
    last_error: str

    @property
    def done(self) -> bool:
        return self.status in {"sent", "needs_attention"}


_ACCEPTED = (
    ClaimStatus.ACCEPTED_CLEARINGHOUSE,
    ClaimStatus.ACCEPTED_PAYER,
    ClaimStatus.PAID,
    ClaimStatus.PARTIALLY_PAID,
    ClaimStatus.DENIED,
    ClaimStatus.APPEALED,
    ClaimStatus.CLOSED,
)


def _progress(batches: QuerySet[ClaimBatch]) -> list[BatchProgress]:
    rows = batches.annotate(
        n_total=Count("items"),
        n_sent=Count("items", filter=~Q(items__claim__status__in=_NOT_SENT)),
        n_accepted=Count("items", filter=Q(items__claim__status__in=_ACCEPTED)),
        n_rejected=Count("items", filter=Q(items__claim__status=ClaimStatus.REJECTED)),
    ).order_by("-pk")
    return [
        BatchProgress(
            batch_id=b.pk,
            status=b.status,
            total=b.n_total,
            # a sent batch sent every claim in it, whatever each claim became afterwards
            sent=b.n_total if b.status == "sent" else b.n_sent,
            accepted=b.n_accepted,
            rejected=b.n_rejected,
            file_name=b.file_name,
            created_at=b.created_at,
            sent_at=b.sent_at,
            attempts=b.attempts,
            last_error=b.last_error,
        )
        for b in rows
    ]


def batch_list(*, access: PracticeAccess, limit: int = 20) -> list[BatchProgress]:
    """The practice's latest batches with their progress (no patient: no audit event)."""
    if not access.can(Capability.BILLING_VIEW):
        raise PermissionDenied()
    ids = list(
        ClaimBatch.objects.filter(practice_id=access.practice_id)
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )
    return _progress(ClaimBatch.objects.filter(pk__in=ids))


def batch_progress(*, access: PracticeAccess, batch_ids: Iterable[int]) -> list[BatchProgress]:
    """Progress of the practice's batches among `batch_ids` (others are left out)."""
    if not access.can(Capability.BILLING_VIEW):
        raise PermissionDenied()
    wanted = sorted(set(batch_ids))[:50]
    return _progress(ClaimBatch.objects.filter(practice_id=access.practice_id, pk__in=wanted))


def batch_claim_ids(*, batch_id: int) -> list[int]:
    return list(ClaimBatchItem.objects.filter(batch_id=batch_id).values_list("claim_id", flat=True))


@dataclass(frozen=True)
class Rejection:
    claim: Claim  # patient, payer joined; lines with their charges prefetched
    acknowledgement: ClaimAcknowledgement | None  # the latest rejection
    since: date | None


def rejection_list(*, access: PracticeAccess, limit: int = MAX_PAGE_SIZE) -> list[Rejection]:
    """Rejected claims, oldest rejection first, each with its latest rejecting acknowledgement.
    One `list` event; three queries."""
    _require(access, action=AuditEvent.Action.LIST)
    claims = list(
        Claim.objects.filter(practice_id=access.practice_id, status=ClaimStatus.REJECTED)
        .select_related("patient", "payer", "rendering_provider")
        .prefetch_related(
            Prefetch(
                "acknowledgements",
                queryset=ClaimAcknowledgement.objects.filter(accepted=False).order_by("-occurred_at", "-pk"),
                to_attr="rejections",
            ),
            Prefetch("lines", queryset=ClaimLine.objects.select_related("charge").order_by("line_number")),
        )
        .order_by("status_changed_at", "pk")[:limit]
    )
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.BILLING,
        practice_id=access.practice_id,
        object_type=CLAIM_OBJECT_TYPE,
        detail=f"results={len(claims)};status=rejected",
        shown_patient_ids=[c.patient_id for c in claims],
    )
    result = []
    for claim in claims:
        rejections: list[ClaimAcknowledgement] = getattr(claim, "rejections", [])
        latest = rejections[0] if rejections else None
        result.append(Rejection(claim=claim, acknowledgement=latest, since=claim.status_changed_at.date()))
    return result


def claim_counts(*, access: PracticeAccess) -> dict[str, int]:
    """Claims per state in the practice (numbers only, no patient: no audit event). One query."""
    if not access.can(Capability.BILLING_VIEW):
        raise PermissionDenied()
    counts = dict.fromkeys(ClaimStatus.values, 0)
    rows = (
        Claim.objects.filter(practice_id=access.practice_id)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def claim_in_practice(*, practice_id: int, claim_id: int) -> bool:
    """Whether claim `claim_id` belongs to the practice (no audit: the action that follows does)."""
    return Claim.objects.filter(practice_id=practice_id, pk=claim_id).exists()
