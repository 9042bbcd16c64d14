"""`era_post`: receive an 835 and post it, completely or not at all (issue #12, pitfalls R1-R21).

Recipe, per 835 payment (ST/SE) of the file, all in one durable transaction:
1. Parse. A malformed file is kept (raw bytes) as one `rejected` row with the located error;
   nothing financial is written.
2. Count the payment once: the `EraFile` row is inserted first; the unique constraint on
   (practice, payer, TRN02) makes a second copy, even one posted at the same instant from
   another connection (the INSERT waits for the first poster's commit), a `duplicate` row (R1).
3. BPR02 = sum CLP04 - sum PLB or the file is `held`: its claims are recorded, nothing posts
   (R8; docs/decisions "unbalanced ERAs are held"). A biller posts it anyway with a reason
   (`era_force_post`) or withdraws it for a corrected file (`era_withdraw`).
4. Match and plan each CLP with the pure plan (`remittance.domain.posting`), lock our claims'
   rows, and decide with what earlier ERAs did: a reversal needs its original (R2, R12); a line
   already paid needs a reversal first; a later payment of a denied line undoes the denial (R3).
5. Write the ERA claims and lines (with why each matched), the exceptions queue, the
   underpayments, and the ledger rows (bulk, constant queries per file).
6. Hand off after commit through the durable outbox: the claims' adjudication records
   ("remittance.tasks.era_adjudications_record") and, when that app is installed, denials
   ("denials.tasks.denials_open_for_era").
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from core.bulk import ids_reserve, rows_insert
from core.errors import Conflict, NotFound, ValidationFailed
from core.jobs import job_enqueue_on_commit, registered_task
from core.money import cents_from_decimal
from edi.errors import X12Error
from edi.reader import tokenize
from edi.x835 import ClaimPayment, Imbalance, Payment835, imbalances, read_835
from ledger.lock_objects import claims_lock
from ledger.models import Account, EntryKind
from ledger.services import ledger_entries_append
from remittance.domain import posting as plan
from remittance.domain.summary import ErrorItem, Summary, summary
from remittance.models import (
    EraClaim,
    EraClaimState,
    EraFile,
    EraLine,
    EraSource,
    EraStatus,
    PostingException,
    Underpayment,
)
from remittance.selectors import (
    Billed,
    LineHistory,
    billed_claims,
    era_for_payment,
    line_history,
    prior_postings,
)
from remittance.services.provider_items import provider_items_record

DENIALS_TASK = "denials.tasks.denials_open_for_era"
ADJUDICATIONS_TASK = "remittance.tasks.era_adjudications_record"
Key = tuple[int, int | None]  # (claim id, claim line id or None for claim level)


@dataclass(slots=True)
class EraPostOutcome:
    era_ids: list[int] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return any(s["status"] == EraStatus.REJECTED for s in self.summaries)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _error_item(error: X12Error) -> ErrorItem:
    return ErrorItem(
        message=str(error),
        segment=error.segment_id,
        position=error.position,
        segment_number=error.segment_number,
    )


def _imbalance_items(text: str, found: list[Imbalance]) -> list[ErrorItem]:
    segments = {s.number: s for s in tokenize(text)} if found else {}
    items = []
    for off in found:
        segment = segments.get(off.segment_number)
        items.append(
            ErrorItem(
                message=(
                    f"out of balance by {abs(off.difference):.2f} at {off.level} {off.key} "
                    f"({off.rule}: expected {off.expected:.2f}, sent {off.actual:.2f})"
                ),
                segment=segment.id if segment else "",
                position=segment.position if segment else None,
                segment_number=off.segment_number,
            )
        )
    return items


# -- the rows of one CLP ----------------------------------------------------------------------------


def _adjustments_json(adjustments: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [
        {
            "group": a.group,
            "reason": a.reason,
            "cents": cents_from_decimal(a.amount),
            "quantity": str(a.quantity) if a.quantity is not None else None,
        }
        for a in adjustments
    ]


Row = dict[str, Any]


def _era_claim_row(era: EraFile, pk: int, position: int, clp: ClaimPayment, state: str) -> Row:
    patient = clp.patient
    return {
        "id": pk,
        "era_id": era.pk,
        "position": position,
        "patient_control_number": clp.patient_control_number[:38],
        "status_code": clp.status[:2],
        "charge_cents": cents_from_decimal(clp.charge),
        "paid_cents": cents_from_decimal(clp.paid),
        "patient_responsibility_cents": (
            cents_from_decimal(clp.patient_responsibility) if clp.patient_responsibility is not None else None
        ),
        "payer_claim_number": clp.payer_claim_control_number[:50],
        "frequency_code": clp.frequency_code[:1],
        "patient_name": (f"{patient.name}, {patient.first_name}".strip(", ") if patient else "")[:80],
        "member_id": (patient.id if patient else "")[:80],
        "corrected_member_id": (clp.corrected_insured.id if clp.corrected_insured else "")[:80],
        "crossover": clp.status in plan.CROSSOVER_STATUSES or clp.crossover_carrier is not None,
        "adjustments": _adjustments_json(clp.adjustments),
        "remarks": list(clp.remarks),
        "service_from": next((d.value for d in clp.dates if d.qualifier == "232"), None),
        "segment_number": clp.segment_number,
        "claim_id": None,
        "match_reason": "",
        "state": state,
        "reversed_by_id": None,
        "variance_cents": 0,
    }


def _era_line_rows(claim_row: Row, pks: list[int], clp: ClaimPayment) -> list[Row]:
    rows = []
    for index, svc in enumerate(clp.lines):
        original = svc.original_procedure
        allowed = svc.allowed
        rows.append(
            {
                "id": pks[index],
                "era_claim_id": claim_row["id"],
                "position": index,
                "code": svc.procedure.code[:48],
                "modifiers": "-".join(svc.procedure.modifiers)[:16],
                "original_code": (original.code if original else "")[:48],
                "original_modifiers": ("-".join(original.modifiers) if original else "")[:16],
                "units": str(svc.units) if svc.units is not None else "",
                "service_date": svc.service_date,
                "charge_cents": cents_from_decimal(svc.charge),
                "paid_cents": cents_from_decimal(svc.paid),
                "allowed_cents": cents_from_decimal(allowed) if allowed is not None else None,
                "adjustments": _adjustments_json(svc.adjustments),
                "remarks": list(svc.remarks),
                "control_number": svc.control_number[:50],
                "segment_number": svc.segment_number,
                "claim_line_id": None,
                "match_reason": "",
            }
        )
    return rows


_MOVES: dict[str, list[tuple[str, str, int]]] = {
    # plan kind -> [(account, ledger kind, sign applied to the plan's cents)]
    plan.PAYMENT: [(Account.INSURANCE, EntryKind.INSURANCE_PAYMENT, -1)],
    plan.REVERSAL: [(Account.INSURANCE, EntryKind.REVERSAL, -1)],
    plan.CONTRACTUAL: [(Account.INSURANCE, EntryKind.CONTRACTUAL_ADJUSTMENT, -1)],
    plan.PATIENT: [
        (Account.INSURANCE, EntryKind.PATIENT_RESPONSIBILITY, -1),
        (Account.PATIENT, EntryKind.PATIENT_RESPONSIBILITY, 1),
    ],
    # Never written off, never moved to the patient: parked as denied A/R (R4, D6).
    plan.DENIAL_PENDING: [
        (Account.INSURANCE, EntryKind.DENIAL_PENDING, -1),
        (Account.DENIED, EntryKind.DENIAL_PENDING, 1),
    ],
    plan.PAYER_REDUCTION: [(Account.INSURANCE, EntryKind.OTHER_ADJUSTMENT, -1)],
    plan.OTHER: [(Account.INSURANCE, EntryKind.OTHER_ADJUSTMENT, -1)],
    plan.CORRECTION: [(Account.INSURANCE, EntryKind.OTHER_ADJUSTMENT, -1)],
}


@dataclass(slots=True)
class _Prior:
    """A posted, not reversed ERA claim a reversal may take back (earlier file or this one)."""

    pk: int
    paid_cents: int
    line_count: int


@dataclass(slots=True)
class _Context:
    practice_id: int
    era: EraFile
    payment: Payment835
    occurred_on: date
    actor_id: int | None
    billed: Billed
    history: dict[Key, LineHistory]
    priors: dict[int, list[_Prior]]
    by_pcn: dict[str, plan.BilledClaim] = field(default_factory=dict)
    claims: list[Row] = field(default_factory=list)
    lines: list[Row] = field(default_factory=list)
    exceptions: list[Row] = field(default_factory=list)
    underpayments: list[Row] = field(default_factory=list)
    entries: list[Row] = field(default_factory=list)
    reversed_pairs: list[tuple[int, int]] = field(default_factory=list)  # (original, reversal) ids
    posted: int = 0
    created_at: Any = None

    def row(self, **values: Any) -> Row:
        return {
            "practice_id": self.practice_id,
            "patient_id": None,
            "claim_id": None,
            "claim_line_id": None,
            "group": "",
            "reason_code": "",
            "era_id": self.era.pk,
            "era_claim_id": None,
            "era_line_id": None,
            "patient_payment_id": None,
            "payer_name": self.era.payer_name,
            "trace_number": self.era.trace_number,
            "reference": "",
            "reverses_id": None,
            "occurred_on": self.occurred_on,
            "created_at": self.created_at,
            "actor_id": self.actor_id,
            "memo": "",
            **values,
        }


def _line_keys(claim_id: int, clp: ClaimPayment, matches: list[plan.LineMatch]) -> list[Key]:
    if not clp.lines:
        return [(claim_id, None)]
    by_index = {m.line_index: int(m.line_id) for m in matches}
    return [(claim_id, by_index[i]) for i in range(len(clp.lines))]


def _hold(ctx: _Context, claim_row: Row, line_row: Row | None, kind: str, message: str) -> None:
    claim_row["state"] = EraClaimState.EXCEPTION
    ctx.exceptions.append(
        {
            "practice_id": ctx.practice_id,
            "era_id": ctx.era.pk,
            "era_claim_id": claim_row["id"],
            "era_line_id": line_row["id"] if line_row else None,
            "kind": kind,
            "message": message[:300],
            "status": PostingException.Status.OPEN,
            "created_at": ctx.created_at,
            "resolved_at": None,
            "resolved_by_id": None,
            "resolution": "",
        }
    )


def _charges(
    ctx: _Context, billed: plan.BilledClaim, claim_id: int, patient_id: int, payer_name: str
) -> None:
    """The claim's charges enter the ledger once, at its first posting."""
    for billed_line in billed.lines:
        key: Key = (claim_id, int(billed_line.line_id))
        if not ctx.history[key].has_charge:
            ctx.history[key].has_charge = True
            ctx.entries.append(
                ctx.row(
                    patient_id=patient_id,
                    claim_id=claim_id,
                    claim_line_id=int(billed_line.line_id),
                    account=Account.INSURANCE,
                    kind=EntryKind.CHARGE,
                    amount_cents=billed_line.charge_cents,
                    memo=f"Billed charge ({payer_name})"[:200],
                )
            )


def _reversal_allowed(ctx: _Context, claim_row: Row, claim_id: int, clp: ClaimPayment, paid: int) -> bool:
    """A reversal takes back an earlier posting (R2), by its exact paid amount when one matches;
    a different amount posts as remitted with the variance flagged (R12)."""
    originals = ctx.priors.get(claim_id, [])
    if not originals:
        _hold(
            ctx,
            claim_row,
            None,
            "reversal_orphan",
            "a reversal (CLP02 22) without an earlier posting to take back",
        )
        return False
    original = next((o for o in originals if o.paid_cents == -paid), originals[-1])
    if original.line_count and not clp.lines:
        _hold(
            ctx,
            claim_row,
            None,
            "reversal_orphan",
            "the reversal has only claim-level detail; the original was posted line by line",
        )
        return False
    originals.remove(original)
    claim_row["variance_cents"] = -paid - original.paid_cents
    ctx.reversed_pairs.append((original.pk, claim_row["id"]))
    return True


def _post_clp(
    ctx: _Context,
    position: int,
    clp: ClaimPayment,
    claim_row: Row,
    line_rows: list[Row],
    forced: dict[int, tuple[str, str]] | None = None,  # a manual line match (services.matching)
) -> None:
    billed = ctx.by_pcn.get(clp.patient_control_number)
    single = replace(ctx.payment, claims=(clp,), provider_adjustments=())
    sub = plan.plan_posting(single, [billed] if billed else [], forced)
    for match in sub.line_matches:
        line_rows[match.line_index]["claim_line_id"] = int(match.line_id)
        line_rows[match.line_index]["match_reason"] = match.reason[:200]
    if billed is not None:
        claim_row["claim_id"] = int(billed.claim_id)
        claim_row["match_reason"] = "patient control number (CLP01)"
    if sub.exceptions:
        for problem in sub.exceptions:
            line = line_rows[problem.line_index] if problem.line_index is not None else None
            _hold(ctx, claim_row, line, problem.kind, problem.message)
        return
    assert billed is not None  # noqa: S101 (an unmatched claim is an exception above)
    claim_id = int(billed.claim_id)
    facts = ctx.billed.facts[claim_id]
    keys = _line_keys(claim_id, clp, sub.line_matches)
    paid = cents_from_decimal(clp.paid)
    if clp.is_reversal:
        if not _reversal_allowed(ctx, claim_row, claim_id, clp, paid):
            return
    elif any(ctx.history[k].adjudications > 0 and ctx.history[k].denied_cents == 0 for k in keys):
        _hold(
            ctx,
            claim_row,
            None,
            "already_paid",
            "already adjudicated on an earlier ERA: the payer should reverse it first (CLP02 22)",
        )
        return
    line_for = {k: line_rows[i]["id"] for i, k in enumerate(keys)} if clp.lines else {}
    common = {"patient_id": facts.patient_id, "claim_id": claim_id, "era_claim_id": claim_row["id"]}
    _charges(ctx, billed, claim_id, facts.patient_id, facts.payer_name)
    if not clp.is_reversal:  # R3: a later payment of a denied line undoes the parked denial
        for key in keys:
            denied = ctx.history[key].denied_cents
            if denied:
                for undo_account, sign in ((Account.DENIED, -1), (Account.INSURANCE, 1)):
                    ctx.entries.append(
                        ctx.row(
                            **common,
                            claim_line_id=key[1],
                            era_line_id=line_for.get(key),
                            account=undo_account,
                            kind=EntryKind.DENIAL_UNDONE,
                            amount_cents=sign * denied,
                            memo="Denial undone: the payer paid the claim later",
                        )
                    )
                ctx.history[key].denied_cents = 0
    for entry in sub.entries:
        line_id = int(entry.line_id) if entry.line_id is not None else None
        key = (claim_id, line_id)
        for account, kind, sign in _MOVES[entry.kind]:
            amount = sign * entry.cents
            if account == Account.DENIED:
                ctx.history[key].denied_cents += amount
            ctx.entries.append(
                ctx.row(
                    **common,
                    claim_line_id=line_id,
                    era_line_id=line_for.get(key),
                    account=account,
                    kind=kind,
                    amount_cents=amount,
                    group=entry.group,
                    reason_code=entry.reason_code[:5],
                    memo="Reversal" if entry.reversal else "",
                )
            )
    for key in keys:
        ctx.history[key].adjudications += -1 if clp.is_reversal else 1
    if not clp.is_reversal:
        ctx.priors.setdefault(claim_id, []).append(_Prior(claim_row["id"], paid, len(clp.lines)))
    for under in sub.underpayments:
        index = next(m.line_index for m in sub.line_matches if m.line_id == under.line_id)
        ctx.underpayments.append(
            {
                "practice_id": ctx.practice_id,
                "era_line_id": line_rows[index]["id"],
                "claim_id": int(under.claim_id),
                "claim_line_id": int(under.line_id),
                "expected_cents": under.expected_cents,
                "paid_cents": under.paid_cents,
                "difference_cents": under.difference_cents,
                "status": Underpayment.Status.OPEN,
                "created_at": ctx.created_at,
            }
        )
    ctx.posted += 1


def _post_provider_level(ctx: _Context) -> None:
    """PLB: provider-level money, never on a patient (R10, R11). A WO/FB reference starting with
    one of our claims' CLM01 names that claim."""
    only_plb = replace(ctx.payment, claims=())
    entries = plan.plan_posting(only_plb, ctx.billed.claims).entries
    for entry in entries:
        ctx.entries.append(
            ctx.row(
                claim_id=int(entry.claim_id) if entry.claim_id else None,
                account=Account.PROVIDER,
                kind=EntryKind.PROVIDER_ADJUSTMENT,
                amount_cents=entry.cents,
                reason_code=entry.reason_code[:5],
                reference=entry.reference[:80],
            )
        )
    provider_items_record(era=ctx.era, entries=entries)  # FB and unlinked WO/72 stay open (R11)


def _rows(era: EraFile, payment: Payment835, state: str) -> tuple[list[Row], list[list[Row]]]:
    """The ERA claim and line rows of the payment, with their ids reserved."""
    claim_ids = ids_reserve(EraClaim, len(payment.claims))
    line_ids = ids_reserve(EraLine, sum(len(c.lines) for c in payment.claims))
    claims: list[Row] = []
    lines: list[list[Row]] = []
    cursor = 0
    for position, (pk, clp) in enumerate(zip(claim_ids, payment.claims, strict=True)):
        claim_row = _era_claim_row(era, pk, position, clp, state)
        claims.append(claim_row)
        lines.append(_era_line_rows(claim_row, line_ids[cursor : cursor + len(clp.lines)], clp))
        cursor += len(clp.lines)
    return claims, lines


def _write(ctx: _Context) -> None:
    rows_insert(EraClaim, ctx.claims)
    rows_insert(EraLine, ctx.lines)
    for original, reversal in ctx.reversed_pairs:
        EraClaim.objects.filter(pk=original).update(reversed_by=reversal)
    rows_insert(PostingException, ctx.exceptions)
    rows_insert(Underpayment, ctx.underpayments)
    ledger_entries_append(rows=ctx.entries)


def _post_payment(ctx: _Context) -> None:
    payment = ctx.payment
    ctx.created_at = timezone.now()
    pcns = {c.patient_control_number for c in payment.claims}
    pcns |= {p.reference.split()[0] for p in payment.provider_adjustments if p.reference.split()}
    ctx.billed = billed_claims(practice_id=ctx.practice_id, patient_control_numbers=pcns)
    ctx.by_pcn = {b.patient_control_number: b for b in ctx.billed.claims}
    claim_ids = sorted(ctx.billed.facts)
    claims_lock(claim_ids=claim_ids)
    ctx.history = line_history(claim_ids=claim_ids)
    ctx.priors = {
        claim_id: [_Prior(o.pk, o.paid_cents, getattr(o, "line_count", 0)) for o in found]
        for claim_id, found in prior_postings(claim_ids=claim_ids).items()
    }
    claim_rows, line_rows = _rows(ctx.era, payment, EraClaimState.POSTED)
    ctx.claims = claim_rows
    ctx.lines = [row for rows in line_rows for row in rows]
    # Reversals first: a reversal and its correction in one 835 net out whatever the order (R2).
    order = sorted(range(len(payment.claims)), key=lambda i: (not payment.claims[i].is_reversal, i))
    for position in order:
        _post_clp(ctx, position, payment.claims[position], claim_rows[position], line_rows[position])
    _post_provider_level(ctx)
    _write(ctx)


def _record_unposted(era: EraFile, payment: Payment835) -> None:
    claim_rows, line_rows = _rows(era, payment, EraClaimState.NOT_POSTED)
    rows_insert(EraClaim, claim_rows)
    rows_insert(EraLine, [row for rows in line_rows for row in rows])


def _handoff(era: EraFile, suffix: str = "") -> None:
    job_enqueue_on_commit(
        ADJUDICATIONS_TASK,
        key=f"remittance.era_adjudications:era={era.pk}{suffix}",
        label=f"Record the payer's decisions of ERA {era.pk}",
        practice_id=era.practice_id,
        era_file_id=era.pk,
    )
    try:
        registered_task(DENIALS_TASK)
    except KeyError:
        return  # the denials app is not installed (yet): nothing to open
    job_enqueue_on_commit(
        DENIALS_TASK,
        key=f"denials.open_for_era:era={era.pk}{suffix}",
        label=f"Open denials of ERA {era.pk}",
        practice_id=era.practice_id,
        era_file_id=era.pk,
    )


def _payment_row(
    *,
    practice_id: int,
    payment: Payment835,
    index: int,
    base: dict[str, Any],
    status: str,
    errors: list[ErrorItem],
) -> EraFile:
    payee = payment.payee
    return EraFile(
        practice_id=practice_id,
        transaction_index=index,
        status=status,
        payer_id=payment.payer_id[:80],
        payer_name=(payment.payer.name if payment.payer else "")[:60],
        payee_name=(payee.name if payee else "")[:60],
        payee_npi=(payee.npi if payee else "")[:10],
        payee_tax_id=(payee.tax_id if payee else "")[:20],
        trace_number=payment.trace_number[:50],
        payment_cents=cents_from_decimal(payment.payment_amount),
        payment_method=payment.payment_method[:3],
        payment_date=payment.payment_date,
        balanced=not errors,
        errors=list(errors)
        + [ErrorItem(message=w, segment="", position=None, segment_number=None) for w in payment.warnings],
        claim_count=len(payment.claims),
        **base,
    )


def _receive_payment(
    *, practice_id: int, payment: Payment835, index: int, text: str, base: dict[str, Any], actor: User | None
) -> tuple[EraFile, Summary]:
    found = imbalances(payment)
    errors = _imbalance_items(text, found)
    top_off = any(off.level == "transaction" for off in found)
    status = EraStatus.HELD if top_off else EraStatus.POSTED
    era = _payment_row(
        practice_id=practice_id, payment=payment, index=index, base=base, status=status, errors=errors
    )
    if not era.trace_number:
        era.status = EraStatus.REJECTED
        era.errors = [
            ErrorItem(
                message="TRN02 (the check or EFT trace number) is missing",
                segment="TRN",
                position=None,
                segment_number=None,
            )
        ]
        era.save()
        return era, summary(
            payment, status=era.status, matched=0, unmatched=0, balanced=False, errors=era.errors
        )
    existing = era_for_payment(practice_id=practice_id, payer_id=era.payer_id, trace_number=era.trace_number)
    if existing is None:
        try:
            with transaction.atomic():
                era.save()
        except IntegrityError:
            era.pk = None
            existing = era_for_payment(
                practice_id=practice_id, payer_id=era.payer_id, trace_number=era.trace_number
            )
            if existing is None:
                raise
    if existing is not None:  # R1: the same payment again adds nothing
        era.status = EraStatus.DUPLICATE
        era.duplicate_of = existing
        era.errors = [
            ErrorItem(
                message=f"this payment (payer {era.payer_id}, trace {era.trace_number}) was received already as ERA {existing.pk}",
                segment="TRN",
                position=None,
                segment_number=None,
            )
        ]
        era.save()
        return era, summary(
            payment, status=era.status, matched=0, unmatched=0, balanced=not found, errors=era.errors
        )
    if status == EraStatus.HELD:
        _record_unposted(era, payment)
        return era, summary(
            payment,
            status=era.status,
            matched=0,
            unmatched=len(payment.claims),
            balanced=False,
            errors=errors,
        )
    ctx = _context(practice_id=practice_id, era=era, payment=payment, actor_id=actor.pk if actor else None)
    _post_payment(ctx)
    _finish(era, ctx, actor)
    return era, summary(
        payment,
        status=era.status,
        matched=ctx.posted,
        unmatched=len(payment.claims) - ctx.posted,
        balanced=not found,
        errors=errors,
    )


def _context(*, practice_id: int, era: EraFile, payment: Payment835, actor_id: int | None) -> _Context:
    return _Context(
        practice_id=practice_id,
        era=era,
        payment=payment,
        occurred_on=payment.payment_date or timezone.localdate(),
        actor_id=actor_id,
        billed=Billed(),
        history=defaultdict(LineHistory),
        priors={},
    )


def _finish(era: EraFile, ctx: _Context, actor: User | None) -> None:
    era.matched_count = ctx.posted
    era.posted_at = timezone.now()
    era.posted_by = actor
    era.save(update_fields=["matched_count", "posted_at", "posted_by"])
    _handoff(era)


def era_post(
    *,
    practice_id: int,
    raw: bytes,
    source: str = EraSource.UPLOAD,
    actor: User | None = None,
    name: str = "",
    inbound_file_id: int | None = None,
) -> EraPostOutcome:
    """Receive and post an 835 file: every payment in it posts completely or not at all."""
    if source not in EraSource.values:
        raise ValidationFailed(f"Unknown ERA source {source!r}.")
    text = _decode(raw)
    remittance, error = read_835(text)
    base: dict[str, Any] = {
        "name": name[:200],
        "raw": raw,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "source": source,
        "inbound_file_id": inbound_file_id,
        "uploaded_by": actor,
        "received_at": timezone.now(),
    }
    outcome = EraPostOutcome()
    with transaction.atomic(durable=True):
        if remittance is None:
            assert error is not None  # noqa: S101 (read_835 returns one or the other)
            items = [_error_item(error)]
            era = EraFile.objects.create(
                practice_id=practice_id, status=EraStatus.REJECTED, errors=items, **base
            )
            outcome.era_ids.append(era.pk)
            outcome.summaries.append(
                summary(None, status=era.status, matched=0, unmatched=0, balanced=False, errors=items)
            )
            return outcome
        for index, payment in enumerate(remittance.transactions):
            era, result = _receive_payment(
                practice_id=practice_id, payment=payment, index=index, text=text, base=base, actor=actor
            )
            outcome.era_ids.append(era.pk)
            outcome.summaries.append(result)
    return outcome


def era_force_post(*, practice_id: int, era_id: int, actor: User, reason: str) -> EraPostOutcome:
    """Post a held (out of balance) ERA anyway: the biller checked the deposit against the
    payer's portal. The reason is kept on the ERA; the imbalance stays in its errors."""
    if not reason.strip():
        raise ValidationFailed(
            "Say why the ERA is posted although it does not balance.", field_errors={"reason": ["Required."]}
        )
    outcome = EraPostOutcome()
    with transaction.atomic(durable=True):
        era = EraFile.objects.select_for_update().filter(pk=era_id, practice_id=practice_id).first()
        if era is None:
            raise NotFound("No such ERA.")
        if era.status != EraStatus.HELD:
            raise Conflict("Only a held ERA can be posted anyway.")
        remittance, _ = read_835(_decode(bytes(era.raw)))
        assert remittance is not None  # noqa: S101 (a held file parsed)
        payment = remittance.transactions[era.transaction_index]
        EraLine.objects.filter(era_claim__era=era).delete()
        EraClaim.objects.filter(era=era).delete()
        era.status = EraStatus.POSTED
        era.force_reason = reason.strip()
        era.save(update_fields=["status", "force_reason"])
        ctx = _context(practice_id=practice_id, era=era, payment=payment, actor_id=actor.pk)
        _post_payment(ctx)
        _finish(era, ctx, actor)
        outcome.era_ids.append(era.pk)
        outcome.summaries.append(
            summary(
                payment,
                status=era.status,
                matched=ctx.posted,
                unmatched=len(payment.claims) - ctx.posted,
                balanced=False,
                errors=list(era.errors),
            )
        )
    return outcome


def era_withdraw(*, practice_id: int, era_id: int, actor: User, reason: str) -> None:
    """Set a held ERA aside (status rejected) so the payer's corrected file, with the same
    trace number, can be received."""
    if not reason.strip():
        raise ValidationFailed("Say why the ERA is withdrawn.", field_errors={"reason": ["Required."]})
    with transaction.atomic(durable=True):
        updated = EraFile.objects.filter(pk=era_id, practice_id=practice_id, status=EraStatus.HELD).update(
            status=EraStatus.REJECTED, force_reason=f"Withdrawn by {actor.get_username()}: {reason.strip()}"
        )
        if not updated:
            raise Conflict("Only a held ERA can be withdrawn.")


def era_payee(raw: bytes) -> tuple[str, str]:
    """The payee's NPI and tax ID of the file's first payment ("" when unreadable)."""
    remittance, _ = read_835(_decode(raw))
    if remittance is None or not remittance.transactions or remittance.transactions[0].payee is None:
        return "", ""
    payee = remittance.transactions[0].payee
    return payee.npi, payee.tax_id
