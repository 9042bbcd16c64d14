"""What the payer decided about a claim, recorded from an ERA claim (CLP) by remittance posting.

`claim_adjudication_record(...)` is the only writer of `ClaimAdjudication` and
`ClaimLineAdjudication`. It is idempotent per (claim, era_reference, reversal): posting the
same ERA twice records once and returns the first row. It moves the claim with an event:

* CLP02 22 (reversal of a previous payment): the latest outcome not reversed yet is marked
  `reversed_by` the new row, and the claim goes back to `accepted_payer` (the re-adjudication
  that usually follows, in the same or a later ERA, moves it again).
* CLP02 4 (denied), or nothing paid and nothing left to the patient: `denied`.
* Some lines denied (nothing paid, nothing to the patient) while others were paid or left to
  the patient: `partially_paid`.
* Otherwise `paid` (the payer processed it: paid, or left it to the patient's deductible).

After an outcome (not a reversal), `claims.services.secondary.claim_next_payer_after_adjudication`
records a crossover (R15) or queues the secondary/tertiary claim when the patient still owes
something and has further coverage.

When the state machine refuses the move (the claim was voided or closed meanwhile), the
outcome is still recorded and the event says the status was left as it was: an ERA is never
refused for the claim's status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from claims.domain.claim_status import ClaimStatus, transition_problems
from claims.models import Claim, ClaimAdjudication, ClaimEvent, ClaimLineAdjudication
from claims.services.corrections import claim_version_accepted
from claims.services.secondary import claim_next_payer_after_adjudication
from claims.services.transitions import claim_event
from core.errors import NotFound, ValidationFailed

REVERSAL = "22"
DENIED = "4"


@dataclass(frozen=True, slots=True)
class LineAdjudicationIn:
    claim_line_id: int
    paid_cents: int
    charge_cents: int = 0
    allowed_cents: int | None = None
    units: int | None = None
    code: str = ""
    modifiers: tuple[str, ...] = ()
    adjustments: tuple[Mapping[str, Any], ...] = ()  # {group, reason, cents, quantity}
    remarks: tuple[str, ...] = ()
    adjudicated_on: date | None = None


@dataclass(frozen=True, slots=True)
class AdjudicationIn:
    claim_id: int
    era_reference: str  # unique per ERA claim (e.g. "<TRN02>:<CLP position>")
    claim_status_code: str  # CLP02
    paid_cents: int
    patient_responsibility_cents: int
    adjudicated_on: date
    charge_cents: int = 0
    payer_claim_number: str = ""  # CLP07
    adjustments: tuple[Mapping[str, Any], ...] = ()
    lines: tuple[LineAdjudicationIn, ...] = field(default=())
    crossover_carrier: str = ""  # NM1*TT: the payer the claim was forwarded to (R15)
    remarks: tuple[str, ...] = ()  # claim-level MOA/MIA remark codes (MA18, N89: forwarded)
    crossed_over: bool = False  # the posting found a crossover (CLP02 19-21 or NM1*TT)


def _line_denied(line: LineAdjudicationIn) -> bool:
    patient = sum(int(a.get("cents", 0)) for a in line.adjustments if a.get("group") == "PR")
    return line.paid_cents == 0 and patient == 0


def outcome_status(outcome: AdjudicationIn) -> ClaimStatus:
    """The claim's status after this outcome (pure)."""
    if outcome.claim_status_code == REVERSAL:
        return ClaimStatus.ACCEPTED_PAYER
    if outcome.claim_status_code == DENIED or (
        outcome.paid_cents == 0 and outcome.patient_responsibility_cents == 0
    ):
        return ClaimStatus.DENIED
    if outcome.lines and any(_line_denied(line) for line in outcome.lines):
        return ClaimStatus.PARTIALLY_PAID
    return ClaimStatus.PAID


def claim_adjudication_record(outcome: AdjudicationIn) -> ClaimAdjudication:
    """Record the payer's decision on one claim (idempotent) and move the claim with an event."""
    if not outcome.era_reference.strip():
        raise ValidationFailed("An adjudication needs its ERA reference.")
    is_reversal = outcome.claim_status_code == REVERSAL
    now = timezone.now()
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).filter(pk=outcome.claim_id).first()
        if claim is None:
            raise NotFound()
        existing = ClaimAdjudication.objects.filter(
            claim=claim, era_reference=outcome.era_reference, is_reversal=is_reversal
        ).first()
        if existing is not None:
            return existing
        line_ids = set(claim.lines.values_list("pk", flat=True))
        strangers = [line.claim_line_id for line in outcome.lines if line.claim_line_id not in line_ids]
        if strangers:
            raise ValidationFailed(
                f"Lines {strangers} are not lines of claim {claim.patient_control_number}."
            )
        row = ClaimAdjudication.objects.create(
            claim=claim,
            era_reference=outcome.era_reference,
            payer_claim_number=outcome.payer_claim_number,
            claim_status_code=outcome.claim_status_code,
            charge_cents=outcome.charge_cents,
            paid_cents=outcome.paid_cents,
            patient_responsibility_cents=outcome.patient_responsibility_cents,
            adjustments=[dict(a) for a in outcome.adjustments],
            adjudicated_on=outcome.adjudicated_on,
            is_reversal=is_reversal,
            recorded_at=now,
        )
        ClaimLineAdjudication.objects.bulk_create(
            ClaimLineAdjudication(
                adjudication=row,
                claim_line_id=line.claim_line_id,
                code=line.code,
                modifiers=list(line.modifiers),
                units=line.units,
                charge_cents=line.charge_cents,
                paid_cents=line.paid_cents,
                allowed_cents=line.allowed_cents,
                adjustments=[dict(a) for a in line.adjustments],
                remarks=list(line.remarks),
                adjudicated_on=line.adjudicated_on or outcome.adjudicated_on,
            )
            for line in outcome.lines
        )
        if is_reversal:
            reversed_row = (
                ClaimAdjudication.objects.filter(claim=claim, is_reversal=False, reversed_by__isnull=True)
                .exclude(pk=row.pk)
                .order_by("-adjudicated_on", "-pk")
                .first()
            )
            if reversed_row is not None:
                ClaimAdjudication.objects.filter(pk=reversed_row.pk).update(reversed_by=row)
        _move(claim, outcome, row, now=now)
        if not is_reversal:
            claim_version_accepted(claim.pk)  # a replacement/void adjudicated: close/void the old
            # the next payer: a crossover noted, or its claim queued (COB)
            claim_next_payer_after_adjudication(
                claim.pk,
                crossover_carrier=outcome.crossover_carrier,
                remark_codes=outcome.remarks,
                crossed_over=outcome.crossed_over,
            )
    return row


def _move(claim: Claim, outcome: AdjudicationIn, row: ClaimAdjudication, *, now: Any) -> None:
    target = outcome_status(outcome)
    kind = ClaimEvent.Kind.REVERSED if row.is_reversal else ClaimEvent.Kind.ADJUDICATED
    data = {
        "adjudication_id": row.pk,
        "era_reference": row.era_reference,
        "clp02": row.claim_status_code,
        "paid_cents": row.paid_cents,
        "patient_responsibility_cents": row.patient_responsibility_cents,
    }
    fields: dict[str, Any] = {}
    if outcome.payer_claim_number and outcome.payer_claim_number != claim.payer_claim_number:
        fields["payer_claim_number"] = outcome.payer_claim_number
    source = claim.status
    allowed = source != target and not transition_problems(source, target)
    if allowed:
        fields.update(status=target.value, status_changed_at=now)
    if fields:
        fields["updated_at"] = now
        Claim.objects.filter(pk=claim.pk).update(**fields)
    detail = (
        f"{source}->{target.value}"
        if allowed
        else (f"status stays {source}" if source == target else f"status stays {source} (not {target.value})")
    )
    events = [claim_event(claim.pk, kind=kind, actor=None, at=now, detail=detail, data=data)]
    if allowed:
        events.append(
            claim_event(
                claim.pk,
                kind=ClaimEvent.Kind.TRANSITION,
                actor=None,
                at=now,
                from_status=source,
                to_status=target.value,
                reason=f"ERA {row.era_reference}: CLP02 {row.claim_status_code}.",
            )
        )
    ClaimEvent.objects.bulk_create(events)
