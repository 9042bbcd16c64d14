"""Secondary and tertiary claims after the earlier payer's adjudication (COB).

* `claim_secondary_create(primary_claim_id, *, actor)`: for an adjudicated claim (paid, partially
  paid or denied) of responsibility P (S), a claim to the patient's secondary (tertiary)
  coverage active on the dates of service: responsibility S (T), the same lines (their numbers
  kept so the earlier payer's line decisions map onto them), `primary_claim` = the adjudicated
  claim. The 837 then carries 2320/2330 and 2430 from `claims.ClaimAdjudication` rows
  (claims.selectors.cob). Idempotent: a live next-payer claim is returned as it is. Refused
  when the earlier payer crossed the claim over (R15), when no next coverage is active, or
  when the claim is not adjudicated.
* `claim_next_payer_after_adjudication(claim_id, *, crossover_carrier="", remark_codes=())`:
  the hook `claims.services.adjudication.claim_adjudication_record` calls once it has moved a
  claim to paid/partially paid/denied: a crossover (CLP02 19-21, NM1*TT, MA18/N89) is recorded
  as an event ("crossed over to <payer>") and nothing is created; otherwise, when the patient
  still owes something and a next coverage is active, the creation is queued as a durable job
  ("claims.tasks.claim_secondary_create_task") and an event says so.
* D2: the new claim's timely-filing deadline counts from its date of service, or from the
  earlier payer's adjudication date where the next payer's rules say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from claims.domain.claim_status import ClaimStatus
from claims.domain.cob import (
    NEXT_RESPONSIBILITY,
    RESPONSIBILITY_WORDS,
    crossover,
    secondary_filing_deadline,
)
from claims.models import Claim, ClaimEvent, ClaimFrequency
from claims.selectors.cob import (
    CROSSOVER_DETAIL,
    claim_crossover,
    correction_terms,
    effective_adjudication,
    next_coverage,
    next_payer_claim,
)
from claims.services.claim_copies import audit_claim_change, claim_scrub_and_ready, copy_claim
from claims.services.common import require_edit
from claims.services.transitions import claim_event
from core.errors import Conflict, NotFound, ValidationFailed
from core.jobs import job_enqueue_on_commit
from payer_rules.domain.policy import SecondaryFilingFrom

SECONDARY_TASK = "claims.tasks.claim_secondary_create_task"
ADJUDICATED = frozenset({ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED})


def claim_secondary_create(
    primary_claim_id: int, *, actor: PracticeAccess | None, practice_id: int | None = None
) -> Claim:
    """The next payer's claim after `primary_claim_id`'s adjudication (see the module docstring)."""
    if actor is not None:
        require_edit(actor, object_id=primary_claim_id)
        practice_id = actor.practice_id
    now = timezone.now()
    with transaction.atomic():
        rows = Claim.objects.select_for_update(of=("self",)).filter(pk=primary_claim_id)
        if practice_id is not None:
            rows = rows.filter(practice_id=practice_id)
        prior = rows.first()
        if prior is None:
            raise NotFound()
        existing = next_payer_claim(prior.pk)
        if existing is not None:
            return existing
        wanted = NEXT_RESPONSIBILITY.get(prior.responsibility)
        if wanted is None:
            raise ValidationFailed(
                "A tertiary claim is the last payer: no claim follows it.", code="no_next_payer"
            )
        if prior.status not in ADJUDICATED:
            raise Conflict(
                f"The claim is {prior.get_status_display().lower()}: the "
                f"{RESPONSIBILITY_WORDS[wanted]} claim is created once the "
                f"{RESPONSIBILITY_WORDS[prior.responsibility]} payer has paid or denied it.",
                code="claim_not_adjudicated",
            )
        adjudication = effective_adjudication(prior.pk)
        if adjudication is None:
            raise Conflict(
                "The payer's remittance for this claim is not posted yet.", code="claim_not_adjudicated"
            )
        crossed = claim_crossover(prior.pk)
        if crossed is not None:
            raise Conflict(
                f"{crossed.label} ({crossed.reason}): that payer receives the claim from the "
                f"{RESPONSIBILITY_WORDS[prior.responsibility]} payer; wait for its remittance "
                "instead of sending a claim.",
                code="claim_crossed_over",
            )
        coverage = next_coverage(prior)
        if coverage is None:
            raise ValidationFailed(
                f"The patient has no {RESPONSIBILITY_WORDS[wanted]} coverage active on the dates of service.",
                code="no_next_coverage",
            )
        terms = correction_terms([coverage.payer_id], prior.date_from).get(coverage.payer_id)
        deadline: date | None = None
        if terms is not None:
            deadline = secondary_filing_deadline(
                prior.date_from,
                adjudication.adjudicated_on,
                terms.timely_filing_days,
                from_adjudication=terms.rules.secondary_filing_from
                == SecondaryFilingFrom.PRIMARY_ADJUDICATION,
            )
        new = copy_claim(
            prior,
            lines=list(prior.lines.order_by("line_number")),
            at=now,
            actor=actor,
            coverage_id=coverage.coverage_id,
            payer_id=coverage.payer_id,
            responsibility=wanted,
            frequency=ClaimFrequency.ORIGINAL,
            primary_claim_id=prior.pk,
            timely_filing_deadline=deadline,
        )
        ClaimEvent.objects.bulk_create(
            [
                claim_event(
                    new.pk,
                    kind=ClaimEvent.Kind.CREATED,
                    actor=actor,
                    at=now,
                    to_status=ClaimStatus.DRAFT,
                    reason=f"{RESPONSIBILITY_WORDS[wanted].capitalize()} claim after the "
                    f"{RESPONSIBILITY_WORDS[prior.responsibility]} payer's adjudication.",
                    detail=f"responsibility={wanted};after={prior.patient_control_number}",
                    data={"primary_claim": prior.pk, "adjudication_id": adjudication.pk},
                ),
                claim_event(
                    prior.pk,
                    kind=ClaimEvent.Kind.NOTE,
                    actor=actor,
                    at=now,
                    reason=f"{RESPONSIBILITY_WORDS[wanted].capitalize()} claim {new.patient_control_number} created.",
                    detail=f"next_payer_claim={new.patient_control_number}",
                    data={"claim_id": new.pk},
                ),
            ]
        )
        audit_claim_change(actor, new, detail=f"{RESPONSIBILITY_WORDS[wanted]};after={prior.pk}")
        return claim_scrub_and_ready(new, actor=actor, at=now)


def claim_next_payer_after_adjudication(
    claim_id: int,
    *,
    crossover_carrier: str = "",
    remark_codes: Sequence[str] = (),
    crossed_over: bool = False,
) -> str:
    """What follows an adjudication (called inside the adjudication's transaction): "crossover",
    "queued", or why nothing ("not_adjudicated", "nothing_owed", "no_next_coverage", "exists")."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None or claim.status not in ADJUDICATED:
        return "not_adjudicated"
    adjudication = effective_adjudication(claim_id)
    if adjudication is None:
        return "not_adjudicated"
    now = timezone.now()
    crossed = crossover(
        adjudication.claim_status_code,
        carrier_name=crossover_carrier,
        remark_codes=remark_codes,
        flagged=crossed_over,
    )
    if crossed is not None:
        already = ClaimEvent.objects.filter(
            claim_id=claim_id,
            kind=ClaimEvent.Kind.NOTE,
            detail=CROSSOVER_DETAIL,
            data__adjudication_id=adjudication.pk,
        ).exists()
        if not already:
            claim_event(
                claim_id,
                kind=ClaimEvent.Kind.NOTE,
                actor=None,
                at=now,
                reason=f"{crossed.label}: no claim is sent to that payer; wait for its remittance.",
                detail=CROSSOVER_DETAIL,
                data={
                    "adjudication_id": adjudication.pk,
                    "carrier": crossed.carrier,
                    "reason": crossed.reason,
                },
            ).save()
        return "crossover"
    if next_payer_claim(claim_id) is not None:
        return "exists"
    if adjudication.patient_responsibility_cents <= 0:
        return "nothing_owed"
    if next_coverage(claim) is None:
        return "no_next_coverage"
    wanted = NEXT_RESPONSIBILITY[claim.responsibility]
    job_enqueue_on_commit(
        SECONDARY_TASK,
        key=f"claim-next-payer:{claim_id}:{adjudication.pk}",
        label=f"{RESPONSIBILITY_WORDS[wanted].capitalize()} claim after claim {claim_id}",
        practice_id=claim.practice_id,
        claim_id=claim_id,
    )
    claim_event(
        claim_id,
        kind=ClaimEvent.Kind.NOTE,
        actor=None,
        at=now,
        reason=f"{RESPONSIBILITY_WORDS[wanted].capitalize()} claim queued: the patient owes "
        "after this payer and has further coverage.",
        detail="next_payer_queued",
        data={"adjudication_id": adjudication.pk},
    ).save()
    return "queued"


def claim_secondary_create_job(claim_id: int) -> None:
    """The durable job: create the next payer's claim; a refusal that waiting cannot fix (no
    coverage any more, crossed over, reversed meanwhile) ends the job without a retry."""
    try:
        claim_secondary_create(claim_id, actor=None)
    except (ValidationFailed, Conflict, NotFound):
        return
