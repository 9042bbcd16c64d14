"""Reads for submission and acknowledgements: the rejection queue, claims that never heard back
(K7), files that failed to read (K8), and a claim's acknowledgement trail with the raw files
(K6, proof of timely filing). Constant query counts; practice-scoped. The screens and API that
show them check BILLING_VIEW and audit the read (patient names are PHI).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from claims.domain.acknowledgements import AckSource, missing_acknowledgement
from claims.models import (
    AcknowledgementSource,
    Claim,
    ClaimAcknowledgement,
    ClaimBatch,
    ClaimBatchStatus,
    ClaimStatus,
    InboundFile,
    InboundFileStatus,
)


@dataclass(frozen=True, slots=True)
class RejectedClaim:
    claim_id: int
    patient_control_number: str
    patient_id: int
    patient_name: str
    payer_name: str
    date_from: date
    total_cents: int
    rejected_at: datetime
    days_rejected: int
    overdue: bool  # older than CLAIMS_REJECTION_ALERT_DAYS (K6)
    source: str  # 999 / clearinghouse_277ca / payer_277ca
    source_label: str
    reason: str  # our plain words and the fix (K4)
    timely_filing_deadline: date | None


def rejection_queue(*, practice_id: int, now: datetime | None = None) -> list[RejectedClaim]:
    """Rejected claims, oldest rejection first, each with its latest rejection's reason.
    A rejection is fixed and resubmitted, never appealed (K4, K5). Two queries."""
    now = now or timezone.now()
    alert_days = settings.CLAIMS_REJECTION_ALERT_DAYS
    rejections = ClaimAcknowledgement.objects.filter(accepted=False).order_by("-occurred_at", "-pk")
    claims = (
        Claim.objects.filter(practice_id=practice_id, status=ClaimStatus.REJECTED)
        .select_related("patient", "payer")
        .prefetch_related(Prefetch("acknowledgements", queryset=rejections, to_attr="rejections"))
        .order_by("status_changed_at", "pk")
    )
    labels = dict(AcknowledgementSource.choices)
    queue = []
    for claim in claims:
        latest = claim.rejections[0] if claim.rejections else None
        days = (now - claim.status_changed_at).days
        queue.append(
            RejectedClaim(
                claim_id=claim.pk,
                patient_control_number=claim.patient_control_number,
                patient_id=claim.patient_id,
                patient_name=f"{claim.patient.last_name}, {claim.patient.first_name}",
                payer_name=claim.payer.name,
                date_from=claim.date_from,
                total_cents=claim.total_cents,
                rejected_at=claim.status_changed_at,
                days_rejected=days,
                overdue=days >= alert_days,
                source=latest.source if latest else "",
                source_label=str(labels.get(latest.source, latest.source)) if latest else "",
                reason=latest.message if latest else "Rejected (no acknowledgement on file).",
                timely_filing_deadline=claim.timely_filing_deadline,
            )
        )
    return queue


@dataclass(frozen=True, slots=True)
class StuckClaim:
    claim_id: int
    patient_control_number: str
    status: str
    submitted_at: datetime
    reason: str


def claims_missing_acknowledgement(*, practice_id: int, now: datetime | None = None) -> list[StuckClaim]:
    """Submitted claims with no 999 after CLAIMS_ACK_999_DAYS or no payer 277CA after
    CLAIMS_ACK_277CA_DAYS (K7, the "no acknowledgement" queue). One query."""
    now = now or timezone.now()
    days_999, days_277 = settings.CLAIMS_ACK_999_DAYS, settings.CLAIMS_ACK_277CA_DAYS
    acks = ClaimAcknowledgement.objects.filter(claim=OuterRef("pk"))
    claims = (
        Claim.objects.filter(
            practice_id=practice_id,
            status__in=[ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED_CLEARINGHOUSE],
            submitted_at__lt=now - timedelta(days=min(days_999, days_277)),
        )
        .annotate(
            has_999=Exists(acks.filter(source=AckSource.X999.value)),
            has_payer=Exists(acks.filter(source=AckSource.PAYER_277CA.value)),
        )
        .order_by("submitted_at", "pk")
        .values_list("pk", "patient_control_number", "status", "submitted_at", "has_999", "has_payer")
    )
    stuck = []
    for pk, pcn, status, submitted_at, has_999, has_payer in claims:
        if submitted_at is None:  # pragma: no cover (filtered out by the query)
            continue
        reason = missing_acknowledgement(
            status=status,
            submitted_at=submitted_at,
            now=now,
            has_999=has_999,
            has_payer_277ca=has_payer,
            days_999=days_999,
            days_277ca=days_277,
        )
        if reason:
            stuck.append(StuckClaim(pk, pcn, status, submitted_at, reason))
    return stuck


def inbound_files_needing_attention(*, practice_id: int) -> list[InboundFile]:
    """Files that failed to read (K8: quarantined, never skipped) or carry flags (a claim number
    nobody knows, a rejection above the claims), newest first."""
    return list(
        InboundFile.objects.filter(practice_id=practice_id)
        .exclude(status=InboundFileStatus.PROCESSED, error="")
        .defer("text")
        .order_by("-received_at", "-pk")
    )


def claim_batches_needing_attention(*, practice_id: int) -> list[ClaimBatch]:
    return list(
        ClaimBatch.objects.filter(practice_id=practice_id, status=ClaimBatchStatus.NEEDS_ATTENTION)
        .defer("x12")
        .order_by("-pk")
    )


@dataclass(frozen=True, slots=True)
class AcknowledgementProof:
    received_at: datetime
    source: str
    accepted: bool
    code: str
    message: str
    payer_claim_number: str
    file_name: str
    raw: str  # the 999/277CA as received (K6: kept, shown, exportable)


def claim_acknowledgement_trail(*, practice_id: int, claim_id: int) -> list[AcknowledgementProof]:
    """Every acknowledgement of the claim with the raw file it came from, in order (the proof of
    timely filing bundle). One query."""
    rows = (
        ClaimAcknowledgement.objects.filter(claim_id=claim_id, claim__practice_id=practice_id)
        .select_related("inbound_file")
        .order_by("occurred_at", "pk")
    )
    return [
        AcknowledgementProof(
            received_at=row.inbound_file.received_at if row.inbound_file else row.occurred_at,
            source=row.source,
            accepted=row.accepted,
            code=":".join(c for c in (row.category_code, row.status_code) if c),
            message=row.message,
            payer_claim_number=row.payer_claim_number,
            file_name=row.inbound_file.name if row.inbound_file else "",
            raw=row.inbound_file.text if row.inbound_file else "",
        )
        for row in rows
    ]
