"""The exceptions queue's actions: match an ERA claim to one of our claims by hand (R17), or
dismiss an exception with a reason. A manual match runs the same posting rules as `era_post`
(balancing, line matching, reversals, the ledger) for that one CLP; if its lines still do not
match, nothing changes and the biller is told why."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from claims.models import Claim
from core.bulk import rows_insert
from core.errors import Conflict, NotFound, ValidationFailed
from edi.x835 import read_835
from ledger.lock_objects import claims_lock
from ledger.services import ledger_entries_append
from remittance.models import EraClaim, EraClaimState, EraLine, PostingException, Underpayment
from remittance.selectors import billed_claims, line_history, prior_postings
from remittance.services import posting as p


def _open_exception(access: PracticeAccess, exception_id: int) -> PostingException:
    row = (
        PostingException.objects.select_for_update(of=("self",))
        .select_related("era", "era_claim")
        .filter(pk=exception_id, practice_id=access.practice_id)
        .first()
    )
    if row is None:
        raise NotFound("No such exception.")
    if row.status != PostingException.Status.OPEN:
        raise Conflict("This exception was resolved already.")
    return row


def exception_match(*, access: PracticeAccess, exception_id: int, claim_id: int, note: str = "") -> int:
    """Post the exception's ERA claim to our claim `claim_id`; the ledger rows written."""
    access.require(Capability.BILLING_EDIT)
    with transaction.atomic(durable=True):
        exception = _open_exception(access, exception_id)
        if exception.kind != PostingException.Kind.UNMATCHED_CLAIM:
            raise ValidationFailed("Only an ERA claim that matched no claim can be matched by hand.")
        claim = Claim.objects.filter(pk=claim_id, practice_id=access.practice_id).first()
        if claim is None:
            raise ValidationFailed(
                "Choose one of the practice's claims.", field_errors={"claim_id": ["Unknown claim."]}
            )
        era, era_claim = exception.era, exception.era_claim
        remittance, _ = read_835(p._decode(bytes(era.raw)))
        assert remittance is not None  # noqa: S101 (a posted file parsed)
        payment = remittance.transactions[era.transaction_index]
        clp = replace(payment.claims[era_claim.position], patient_control_number=claim.patient_control_number)
        ctx = p._context(practice_id=access.practice_id, era=era, payment=payment, actor_id=access.user_id)
        ctx.created_at = timezone.now()
        ctx.billed = billed_claims(
            practice_id=access.practice_id, patient_control_numbers={claim.patient_control_number}
        )
        ctx.by_pcn = {b.patient_control_number: b for b in ctx.billed.claims}
        claims_lock(claim_ids=[claim.pk])
        ctx.history = line_history(claim_ids=[claim.pk])
        ctx.priors = {
            cid: [p._Prior(o.pk, o.paid_cents, getattr(o, "line_count", 0)) for o in found]
            for cid, found in prior_postings(claim_ids=[claim.pk]).items()
        }
        claim_row = p._era_claim_row(era, era_claim.pk, era_claim.position, clp, EraClaimState.POSTED)
        line_ids = list(
            EraLine.objects.filter(era_claim=era_claim).order_by("position").values_list("pk", flat=True)
        )
        line_rows = p._era_line_rows(claim_row, line_ids, clp)
        p._post_clp(ctx, era_claim.position, clp, claim_row, line_rows)
        if ctx.exceptions:
            raise ValidationFailed(
                "The claim was not posted: " + "; ".join(e["message"] for e in ctx.exceptions),
                code="match_failed",
            )
        who = access.username
        EraClaim.objects.filter(pk=era_claim.pk).update(
            claim_id=claim.pk,
            state=EraClaimState.POSTED,
            match_reason=f"matched by hand by {who}" + (f": {note.strip()}" if note.strip() else ""),
            variance_cents=claim_row["variance_cents"],
        )
        for row in line_rows:
            EraLine.objects.filter(pk=row["id"]).update(
                claim_line_id=row["claim_line_id"], match_reason=row["match_reason"]
            )
        for original, reversal in ctx.reversed_pairs:
            EraClaim.objects.filter(pk=original).update(reversed_by=reversal)
        rows_insert(Underpayment, ctx.underpayments)
        ledger_entries_append(rows=ctx.entries)
        PostingException.objects.filter(pk=exception.pk).update(
            status=PostingException.Status.RESOLVED,
            resolved_at=timezone.now(),
            resolved_by_id=access.user_id,
            resolution=f"Matched to claim {claim.patient_control_number}. {note.strip()}".strip(),
        )
        p._handoff(era, suffix=f":match={exception.pk}")
        return len(ctx.entries)


def exception_dismiss(*, access: PracticeAccess, exception_id: int, reason: str) -> None:
    """Close an exception without posting (a claim that is not ours, a payer error being worked
    by phone). The reason is required and kept."""
    access.require(Capability.BILLING_EDIT)
    if not reason.strip():
        raise ValidationFailed("Say why the exception is dismissed.", field_errors={"reason": ["Required."]})
    with transaction.atomic(durable=True):
        exception = _open_exception(access, exception_id)
        PostingException.objects.filter(pk=exception.pk).update(
            status=PostingException.Status.DISMISSED,
            resolved_at=timezone.now(),
            resolved_by_id=access.user_id,
            resolution=reason.strip(),
        )
