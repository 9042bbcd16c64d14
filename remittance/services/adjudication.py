"""Hand each posted ERA claim to the claims side (`claims.services.adjudication.
claim_adjudication_record`, contracts.md): what the payer decided, so the claim's status moves
(paid, partially paid, denied, or back on a reversal) and secondary claims can carry it.

Runs after the posting commits, as the durable job "remittance.tasks.era_adjudications_record":
one posting of 10,000 claims stays a constant number of queries, and the claims service (one
claim at a time, with its own events) is idempotent per (claim, ERA reference)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from remittance.models import EraClaim, EraClaimState, EraFile


def _recorder() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("claims.services.adjudication")
    except ImportError:
        return None
    return getattr(module, "claim_adjudication_record", None)


def era_reference(era_claim: EraClaim) -> str:
    """One ERA claim's stable reference: payer, trace number and the CLP's position."""
    era = era_claim.era
    return f"{era.payer_id}:{era.trace_number}:{era_claim.position}"[:80]


def era_adjudications_record(*, era_file_id: int) -> int:
    """Record every posted ERA claim of the file as an adjudication; how many were handed over
    (0 while the claims service does not exist)."""
    record = _recorder()
    if record is None:
        return 0
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
        record(**_arguments(era, era_claim))
        count += 1
    return count


def _arguments(era: EraFile, era_claim: EraClaim) -> dict[str, Any]:
    return {
        "claim_id": era_claim.claim_id,
        "era_reference": era_reference(era_claim),
        "payer_claim_number": era_claim.payer_claim_number,
        "claim_status_code": era_claim.status_code,
        "charge_cents": era_claim.charge_cents,
        "paid_cents": era_claim.paid_cents,
        "patient_responsibility_cents": era_claim.patient_responsibility_cents or 0,
        "adjustments": era_claim.adjustments,
        "adjudicated_on": era.payment_date or era.received_at.date(),
        "lines": [
            {
                "claim_line_id": line.claim_line_id,
                "code": line.code,
                "modifiers": [m for m in line.modifiers.split("-") if m],
                "charge_cents": line.charge_cents,
                "paid_cents": line.paid_cents,
                "allowed_cents": line.allowed_cents,
                "adjustments": line.adjustments,
                "remarks": line.remarks,
                "adjudicated_on": line.service_date,
            }
            for line in era_claim.lines.all()
            if line.claim_line_id is not None
        ],
    }
