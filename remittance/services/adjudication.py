"""Hand each posted ERA claim to the claims side (`claims.services.adjudication.
claim_adjudication_record`, contracts.md): what the payer decided, so the claim's status moves
(paid, partially paid, denied, or back on a reversal) and secondary claims can carry it.

Runs after the posting commits, as the durable job "remittance.tasks.era_adjudications_record":
one posting of 10,000 claims stays a constant number of queries, and the claims service (one
claim at a time, with its own events) is idempotent per (claim, ERA reference)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from claims.services.adjudication import AdjudicationIn, LineAdjudicationIn, claim_adjudication_record
from remittance.models import EraClaim, EraClaimState, EraFile


def era_reference(era_claim: EraClaim) -> str:
    """One ERA claim's stable reference: payer, trace number and the CLP's position."""
    era = era_claim.era
    return f"{era.payer_id}:{era.trace_number}:{era_claim.position}"[:80]


def _units(text: str) -> int | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return int(value) if value == value.to_integral_value() and value > 0 else None


def adjudication_for(era_claim: EraClaim) -> AdjudicationIn:
    era = era_claim.era
    return AdjudicationIn(
        claim_id=era_claim.claim_id or 0,
        era_reference=era_reference(era_claim),
        claim_status_code=era_claim.status_code,
        paid_cents=era_claim.paid_cents,
        patient_responsibility_cents=era_claim.patient_responsibility_cents
        if era_claim.patient_responsibility_cents is not None
        else sum(a["cents"] for line in era_claim.lines.all() for a in line.adjustments if a["group"] == "PR")
        + sum(a["cents"] for a in era_claim.adjustments if a["group"] == "PR"),
        adjudicated_on=era.payment_date or era.received_at.date(),
        charge_cents=era_claim.charge_cents,
        payer_claim_number=era_claim.payer_claim_number,
        adjustments=tuple(era_claim.adjustments),
        lines=tuple(
            LineAdjudicationIn(
                claim_line_id=line.claim_line_id,
                paid_cents=line.paid_cents,
                charge_cents=line.charge_cents,
                allowed_cents=line.allowed_cents,
                units=_units(line.units),
                code=line.code[:5],
                modifiers=tuple(m for m in line.modifiers.split("-") if m),
                adjustments=tuple(line.adjustments),
                remarks=tuple(line.remarks),
                adjudicated_on=line.service_date,
            )
            for line in era_claim.lines.all()
            if line.claim_line_id is not None
        ),
    )


def era_adjudications_record(*, era_file_id: int) -> int:
    """Record every posted ERA claim of the file as an adjudication (idempotent: the claims
    service records each ERA reference once); how many were handed over."""
    era = EraFile.objects.filter(pk=era_file_id).first()
    if era is None:
        return 0
    claims = (
        EraClaim.objects.filter(era=era, state=EraClaimState.POSTED, claim_id__isnull=False)
        .select_related("era")
        .prefetch_related("lines")
        .order_by("position")
    )
    count = 0
    for era_claim in claims:
        claim_adjudication_record(adjudication_for(era_claim))
        count += 1
    return count
