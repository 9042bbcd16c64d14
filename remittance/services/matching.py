"""The exceptions queue's actions: match an ERA claim to one of our claims by hand (R17), match
its service lines to the claim's billed lines by hand (R17, line splits R13), or dismiss an
exception with a reason. A manual match runs the same posting rules as `era_post` (balancing,
line matching, reversals, the ledger, underpayments, the denials hand-off) for that one CLP and
resolves every open exception of it; if it still does not post, nothing changes and the biller
is told why (decision 0050: a CLP posts whole or not at all)."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from claims.models import Claim, ClaimLine
from core.bulk import rows_insert
from core.domain.problems import field_errors
from core.errors import Conflict, NotFound, ValidationFailed
from edi.x835 import read_835
from ledger.lock_objects import claims_lock
from ledger.services import ledger_entries_append
from remittance.domain.line_match import assignment_problems
from remittance.models import EraClaim, EraClaimState, EraLine, PostingException, Underpayment
from remittance.selectors import billed_claims, line_history, prior_postings
from remittance.services import posting as p


def _open_exception(access: PracticeAccess, exception_id: int) -> PostingException:
    """The exception, with every open exception of its ERA claim locked (pk order): they resolve
    together, and two billers working two of them wait for each other."""
    era_claim_id = (
        PostingException.objects.filter(pk=exception_id, practice_id=access.practice_id)
        .values_list("era_claim_id", flat=True)
        .first()
    )
    if era_claim_id is None:
        raise NotFound("No such exception.")
    rows = list(
        PostingException.objects.select_for_update(of=("self",))
        .select_related("era", "era_claim")
        .filter(era_claim_id=era_claim_id, practice_id=access.practice_id)
        .order_by("pk")
    )
    row = next(r for r in rows if r.pk == exception_id)
    if row.status != PostingException.Status.OPEN:
        raise Conflict("This exception was resolved already.")
    return row


def _hand_reason(access: PracticeAccess, note: str) -> str:
    return (f"matched by hand by {access.username}" + (f": {note.strip()}" if note.strip() else ""))[:200]


def _post_matched(
    *,
    access: PracticeAccess,
    exception: PostingException,
    claim: Claim,
    note: str,
    forced: dict[int, tuple[str, str]] | None = None,
) -> int:
    """Post the exception's ERA claim to `claim` with `era_post`'s rules, write it, resolve every
    open exception of that ERA claim; the ledger rows written. Raises (nothing written) when it
    still does not post."""
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
    p._post_clp(ctx, era_claim.position, clp, claim_row, line_rows, forced)
    if ctx.exceptions:
        raise ValidationFailed(
            "The claim was not posted: " + "; ".join(e["message"] for e in ctx.exceptions),
            code="match_failed",
        )
    by_hand = exception.kind == PostingException.Kind.UNMATCHED_CLAIM
    EraClaim.objects.filter(pk=era_claim.pk).update(
        claim_id=claim.pk,
        state=EraClaimState.POSTED,
        match_reason=_hand_reason(access, note) if by_hand else claim_row["match_reason"],
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
    how = " line by line" if forced is not None else ""
    PostingException.objects.filter(era_claim=era_claim, status=PostingException.Status.OPEN).update(
        status=PostingException.Status.RESOLVED,
        resolved_at=timezone.now(),
        resolved_by_id=access.user_id,
        resolution=f"Matched to claim {claim.patient_control_number}{how}. {note.strip()}".strip(),
    )
    p._handoff(era, suffix=f":match={exception.pk}")
    return len(ctx.entries)


def _practice_claim(access: PracticeAccess, claim_id: int) -> Claim:
    claim = Claim.objects.filter(pk=claim_id, practice_id=access.practice_id).first()
    if claim is None:
        raise ValidationFailed(
            "Choose one of the practice's claims.", field_errors={"claim_id": ["Unknown claim."]}
        )
    return claim


def exception_match(*, access: PracticeAccess, exception_id: int, claim_id: int, note: str = "") -> int:
    """Post the exception's ERA claim to our claim `claim_id`; the ledger rows written."""
    access.require(Capability.BILLING_EDIT)
    with transaction.atomic(durable=True):
        exception = _open_exception(access, exception_id)
        if exception.kind != PostingException.Kind.UNMATCHED_CLAIM:
            raise ValidationFailed("Only an ERA claim that matched no claim can be matched by hand.")
        claim = _practice_claim(access, claim_id)
        return _post_matched(access=access, exception=exception, claim=claim, note=note)


LINE_MATCHABLE = frozenset(
    {
        PostingException.Kind.UNMATCHED_CLAIM,
        PostingException.Kind.UNMATCHED_LINE,
        PostingException.Kind.AMBIGUOUS_LINE,
    }
)


def exception_lines_match(
    *,
    access: PracticeAccess,
    exception_id: int,
    assignment: dict[int, int],
    claim_id: int | None = None,
    note: str = "",
) -> int:
    """Post the exception's ERA claim with each ERA line (id) assigned by hand to a billed line
    (id) of our claim: `claim_id` for an ERA claim that matched no claim, else the one its CLP01
    named. Several ERA lines may go to one billed line (R13). The ledger rows written."""
    access.require(Capability.BILLING_EDIT)
    with transaction.atomic(durable=True):
        exception = _open_exception(access, exception_id)
        if exception.kind not in LINE_MATCHABLE:
            raise ValidationFailed(
                "Only an ERA claim whose claim or lines matched nothing can be matched by hand."
            )
        if exception.kind == PostingException.Kind.UNMATCHED_CLAIM:
            if claim_id is None:
                raise ValidationFailed("Choose our claim first.", field_errors={"claim_id": ["Required."]})
            claim = _practice_claim(access, claim_id)
        else:
            assert exception.era_claim.claim_id is not None  # noqa: S101 (a line exception names its claim)
            claim = _practice_claim(access, exception.era_claim.claim_id)
        era_line_ids = list(
            EraLine.objects.filter(era_claim_id=exception.era_claim_id)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        billed_ids = [str(pk) for pk in ClaimLine.objects.filter(claim=claim).values_list("pk", flat=True)]
        wanted = {era_line: str(line) for era_line, line in assignment.items()}
        problems = assignment_problems(
            era_line_ids=era_line_ids, billed_line_ids=billed_ids, assignment=wanted
        )
        if problems:
            raise ValidationFailed(
                "Assign every ERA line to a billed line of the claim.", field_errors=field_errors(problems)
            )
        reason = _hand_reason(access, note)
        forced = {i: (wanted[era_line], reason) for i, era_line in enumerate(era_line_ids)}
        return _post_matched(access=access, exception=exception, claim=claim, note=note, forced=forced)


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
