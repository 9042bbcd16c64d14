"""Earlier payers' adjudications for secondary/tertiary claims (COB 2320/2330/2430), read in a
constant number of queries whatever the number of claims, and applied to the builder's claims.

* `claims_prior_payers(claims)` -> {claim id: [PriorPayer, ...]} (primary first): each earlier
  claim in the `primary_claim` chain with its latest adjudication that is neither a reversal
  nor reversed.
* `claim_with_cob(base, claim, priors, policy)` -> the builder's claim with other payers, line
  adjudications and SBR05.
* `claims_cob(claims)` / `with_cob(base, claim, cobs)`: the same for the batch builder and the
  837 inputs (claims.selectors.x837), in a constant number of queries.
* Reads the corrections and the next-payer claim share: `payer_claim_number`, `next_coverage`,
  `next_payer_claim`, `claim_crossover` (R15: CLP02 19-21 or a recorded crossover event).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from claims.domain.claim_status import ClaimStatus
from claims.domain.cob import (
    COVERAGE_PRIORITY,
    NEXT_RESPONSIBILITY,
    CasRow,
    ClaimLineFacts,
    Crossover,
    PriorLine,
    PriorPayer,
    cob_problems,
    crossover,
    insurance_type,
    line_adjudications,
    other_payer,
)
from claims.models import (
    Claim,
    ClaimAcknowledgement,
    ClaimAdjudication,
    ClaimEvent,
    ClaimFrequency,
    ClaimLine,
    ClaimLineAdjudication,
)
from core.domain.problems import Problem
from edi import x837p
from patients.selectors import BilledCoverage, billed_coverage_by_priority
from payer_rules.domain.policy import CorrectionRules, PolicyTimeline
from payer_rules.selectors import payer_policy_timelines


def cas_rows(adjustments: Sequence[dict[str, object]]) -> tuple[CasRow, ...]:
    """Stored adjustments ([{group, reason, cents, quantity}]) as CAS rows."""
    rows = []
    for item in adjustments:
        quantity = item.get("quantity")
        rows.append(
            CasRow(
                group=str(item.get("group", "")),
                reason=str(item.get("reason", "")),
                cents=int(item.get("cents", 0) or 0),  # type: ignore[call-overload]
                quantity=Decimal(str(quantity)) if quantity not in (None, "") else None,
            )
        )
    return tuple(rows)


def effective_adjudication(claim_id: int) -> ClaimAdjudication | None:
    """The payer's current decision on the claim (not a reversal, not reversed)."""
    return (
        ClaimAdjudication.objects.filter(claim_id=claim_id, is_reversal=False, reversed_by__isnull=True)
        .order_by("-adjudicated_on", "-pk")
        .first()
    )


def _chain(claim: Claim) -> list[Claim]:
    """The earlier claims whose adjudications `claim` carries, primary first."""
    chain: list[Claim] = []
    current = claim.primary_claim
    while current is not None and len(chain) < 2:
        chain.append(current)
        current = current.primary_claim
    return list(reversed(chain))


@dataclass(frozen=True, slots=True)
class CorrectionTerms:
    """A payer's correction rules on a date (payer_rules' "corrections" section)."""

    rules: CorrectionRules
    timely_filing_days: int


def correction_terms(payer_ids: Iterable[int], on: date) -> dict[int, CorrectionTerms]:
    """Each payer's correction rules and timely-filing days on `on` (one timeline read)."""
    return {
        payer_id: terms_on(timeline, on)
        for payer_id, timeline in payer_policy_timelines(payer_pks=list(set(payer_ids))).items()
    }


def terms_on(timeline: PolicyTimeline, on: date) -> CorrectionTerms:
    policy = timeline.on(on)
    return CorrectionTerms(
        rules=policy.corrections,
        timely_filing_days=policy.timely_filing_days or timeline.timely_filing_days,
    )


def claims_prior_payers(claims: Sequence[Claim]) -> dict[int, list[PriorPayer]]:
    """Each claim's earlier payers with their adjudications, primary first (a primary claim has
    none). Claims must come with `primary_claim__primary_claim` and their coverages, payers and
    patients loaded (`claims_for_cob`)."""
    chains = {claim.pk: _chain(claim) for claim in claims}
    earlier = {c.pk: c for chain in chains.values() for c in chain}
    adjudications: dict[int, ClaimAdjudication] = {}
    if earlier:
        rows = (
            ClaimAdjudication.objects.filter(
                claim_id__in=earlier, is_reversal=False, reversed_by__isnull=True
            )
            .order_by("claim_id", "-adjudicated_on", "-pk")
            .prefetch_related(
                Prefetch("lines", queryset=ClaimLineAdjudication.objects.select_related("claim_line"))
            )
        )
        for row in rows:
            adjudications.setdefault(row.claim_id, row)
    timelines = payer_policy_timelines(payer_pks=list({c.payer_id for c in earlier.values()}))
    result: dict[int, list[PriorPayer]] = {}
    for claim in claims:
        priors = []
        for prior_claim in chains[claim.pk]:
            adjudication = adjudications.get(prior_claim.pk)
            timeline = timelines.get(prior_claim.payer_id)
            msp = terms_on(timeline, prior_claim.date_from).rules.medicare_secondary_type if timeline else ""
            priors.append(_prior_payer(prior_claim, adjudication, msp))
        result[claim.pk] = priors
    return result


def _prior_payer(claim: Claim, adjudication: ClaimAdjudication | None, msp_type: str) -> PriorPayer:
    coverage, payer, patient = claim.coverage, claim.payer, claim.patient
    relationship = coverage.subscriber_relationship or "18"
    is_self = relationship == "18"
    lines: tuple[PriorLine, ...] = ()
    if adjudication is not None:
        lines = tuple(
            PriorLine(
                line_number=row.claim_line.line_number,
                charge_cents=row.charge_cents or row.claim_line.charge_cents,
                paid_cents=row.paid_cents,
                adjustments=cas_rows(row.adjustments),
                adjudicated_on=row.adjudicated_on,
                units=row.units,
            )
            for row in adjudication.lines.all()
        )
    return PriorPayer(
        name=payer.name,
        payer_id=payer.payer_id,
        responsibility=claim.responsibility,
        kind=payer.kind,
        claim_filing=payer.claim_filing_indicator,
        member_id=coverage.member_id,
        group_number=coverage.group_number,
        subscriber_last_name=patient.last_name if is_self else coverage.subscriber_last_name,
        subscriber_first_name=patient.first_name if is_self else coverage.subscriber_first_name,
        relationship=relationship,
        claim_control_number=(adjudication.payer_claim_number if adjudication else "")
        or claim.payer_claim_number,
        claim_status_code=adjudication.claim_status_code if adjudication else "",
        charge_cents=adjudication.charge_cents if adjudication else claim.total_cents,
        paid_cents=adjudication.paid_cents if adjudication else 0,
        patient_responsibility_cents=adjudication.patient_responsibility_cents if adjudication else 0,
        adjudicated_on=adjudication.adjudicated_on if adjudication else None,
        claim_adjustments=cas_rows(adjudication.adjustments) if adjudication else (),
        lines=lines,
        medicare_secondary_type=msp_type,
    )


def claim_with_cob(
    base: x837p.Claim, priors: Sequence[PriorPayer], *, sbr05: str, line_numbers: Sequence[int]
) -> x837p.Claim:
    """The builder's claim with the earlier payers' loops (2320/2330 and each line's 2430);
    `line_numbers` are the stored numbers of `base.lines`, in order."""
    if not priors:
        return replace(base, insurance_type=sbr05)
    numbered = [
        replace(line, adjudications=line_adjudications(number, priors))
        for number, line in zip(line_numbers, base.lines, strict=True)
    ]
    return replace(
        base,
        other_payers=tuple(other_payer(prior) for prior in priors),
        lines=tuple(numbered),
        insurance_type=sbr05,
    )


@dataclass(frozen=True, slots=True)
class ClaimCob:
    """A secondary/tertiary claim's earlier payers, its SBR05, its line numbers (in the order of
    its 837 lines) and what stops its COB data."""

    priors: list[PriorPayer]
    insurance_type: str
    line_numbers: list[int]
    problems: list[Problem]


def claims_cob(claims: Sequence[Any]) -> dict[int, ClaimCob]:
    """COB for each secondary/tertiary claim among `claims` (models or the 837 records: only
    `pk` and `responsibility` are read; a record without `responsibility` is a primary), in a
    constant number of queries; primary claims are absent (and cost nothing)."""
    ids = [claim.pk for claim in claims if getattr(claim, "responsibility", "P") != "P"]
    if not ids:
        return {}
    secondaries = list(
        Claim.objects.filter(pk__in=ids)
        .select_related(
            "payer",
            "primary_claim__coverage",
            "primary_claim__payer",
            "primary_claim__patient",
            "primary_claim__primary_claim__coverage",
            "primary_claim__primary_claim__payer",
            "primary_claim__primary_claim__patient",
        )
        .prefetch_related(Prefetch("lines", queryset=ClaimLine.objects.order_by("line_number")))
    )
    priors = claims_prior_payers(secondaries)
    timelines = payer_policy_timelines(payer_pks=list({c.payer_id for c in secondaries}))
    result = {}
    for claim in secondaries:
        timeline = timelines.get(claim.payer_id)
        msp = terms_on(timeline, claim.date_from).rules.medicare_secondary_type if timeline else ""
        sbr05 = insurance_type(claim.responsibility, claim.payer.kind, msp)
        found = priors.get(claim.pk, [])
        lines = list(claim.lines.all())
        problems = cob_problems(
            [ClaimLineFacts(row.line_number, row.charge_cents) for row in lines],
            found,
            responsibility=claim.responsibility,
            payer_kind=claim.payer.kind,
            insurance_type_value=sbr05,
        )
        result[claim.pk] = ClaimCob(
            priors=found,
            insurance_type=sbr05,
            line_numbers=[row.line_number for row in lines],
            problems=problems,
        )
    return result


def with_cob(base: x837p.Claim, claim: Any, cobs: dict[int, ClaimCob]) -> x837p.Claim:
    """`base` (claim_837 of `claim`) with its COB loops, when it is a secondary/tertiary claim."""
    cob = cobs.get(int(getattr(claim, "pk", 0) or 0)) if cobs else None
    if cob is None:
        return base
    return claim_with_cob(base, cob.priors, sbr05=cob.insurance_type, line_numbers=cob.line_numbers)


CROSSOVER_DETAIL = "crossover"  # the ClaimEvent (kind note) recording a crossover (R15)


def payer_claim_number(claim: Claim) -> str:
    """The payer's claim control number: on the claim, from its adjudication (CLP07), or from a
    payer 277CA that accepted it."""
    if claim.payer_claim_number.strip():
        return claim.payer_claim_number.strip()
    adjudication = effective_adjudication(claim.pk)
    if adjudication is not None and adjudication.payer_claim_number.strip():
        return adjudication.payer_claim_number.strip()
    ack = (
        ClaimAcknowledgement.objects.filter(claim_id=claim.pk, accepted=True)
        .exclude(payer_claim_number="")
        .order_by("-occurred_at", "-pk")
        .first()
    )
    return ack.payer_claim_number.strip() if ack is not None else ""


def next_coverage(claim: Claim) -> BilledCoverage | None:
    """The patient's coverage for the next payer (secondary after a primary, tertiary after a
    secondary) active on every date of service of the claim (never self-pay)."""
    wanted = NEXT_RESPONSIBILITY.get(claim.responsibility)
    if wanted is None:
        return None
    return billed_coverage_by_priority(
        patient_id=claim.patient_id,
        priority=COVERAGE_PRIORITY[wanted],
        date_from=claim.date_from,
        date_to=claim.date_to,
    )


def claim_crossover(claim_id: int) -> Crossover | None:
    """R15: the crossover recorded for the claim's current adjudication, if any."""
    adjudication = effective_adjudication(claim_id)
    if adjudication is None:
        return None
    found = crossover(adjudication.claim_status_code)
    if found is not None:
        return found
    event = (
        ClaimEvent.objects.filter(claim_id=claim_id, kind=ClaimEvent.Kind.NOTE, detail=CROSSOVER_DETAIL)
        .order_by("-occurred_at", "-pk")
        .first()
    )
    if event is None or event.data.get("adjudication_id") != adjudication.pk:
        return None
    return Crossover(str(event.data.get("carrier", "")), str(event.data.get("reason", "")))


def next_payer_claim(claim_id: int) -> Claim | None:
    """The live secondary/tertiary claim created after `claim_id`'s adjudication."""
    return (
        Claim.objects.filter(primary_claim_id=claim_id, frequency=ClaimFrequency.ORIGINAL)
        .exclude(status=ClaimStatus.VOIDED)
        .order_by("pk")
        .first()
    )
