"""The posting plan of an 835: what matches what (and why), what goes to the exceptions queue,
the ledger entries in integer cents, the denials and the underpayments. Pure: the caller passes
our billed claims as plain dataclasses and writes the plan in one transaction.

Rules (pitfalls in /work/shared/DOMAIN-rcm-pitfalls.md, section 4-5):
- Claims match by CLP01 (our patient control number). Several CLPs for one claim (a payer split,
  R13) all post to it. A CLP matching nothing goes to the exceptions queue (R17).
- Lines match by REF*6R first (R7); then by the billed code (SVC06 when the payer changed it,
  else SVC01), modifiers, date and charge; then without modifiers (a payer dropping 95, R6).
  Two candidates are ambiguous: exceptions, never pooled onto one line (R6).
- A claim or line out of balance is held in the exceptions queue; the others post (R8).
- CO-45 and other contractual CARCs are written off; any other CO amount is a denial pending a
  decision, never written off nor moved to the patient (R4, D6). PR goes to the patient.
- Paid $0 with only PR adjustments (the deductible) is not a denial (R14).
- Reversals (CLP02 22) post the payer's negative amounts, flagged as reversals (R2).
- PLB posts at provider level with its reason and reference; L6 interest (negative) adds (R10).
  When the reference starts with one of our patient control numbers the entry names that claim.
- A claim the payer forwarded (CLP02 19-21 or NM1*TT) is listed in `crossovers`: wait for the
  next payer's ERA rather than billing it (R15).
- A claim-level CAS on a claim with lines stays at claim level (line None): we do not guess
  which line it belongs to (R9).
- A biller's line-by-line match (`forced`) replaces line matching for that one CLP; several SVCs
  may go to one billed line (a payer's line split, R13), whose underpayment is judged on their sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from core.money import cents_from_decimal
from edi.x835 import (
    Adjustment,
    ClaimPayment,
    Payment835,
    ServiceLine,
    claim_imbalance,
    line_imbalance,
    transaction_imbalance,
)
from remittance.domain.codes import carc

PAYMENT = "payment"
REVERSAL = "reversal"
CONTRACTUAL = "contractual_writeoff"
PATIENT = "patient_responsibility"
DENIAL_PENDING = "denial_pending"
OTHER = "other_adjustment"
PAYER_REDUCTION = "payer_reduction"
CORRECTION = "correction"
PROVIDER = "provider_adjustment"
CROSSOVER_STATUSES = frozenset({"19", "20", "21"})


@dataclass(frozen=True, slots=True)
class BilledLine:
    line_id: str
    control_number: str  # the REF*6R we sent
    code: str
    modifiers: tuple[str, ...]
    service_date: date | None
    charge_cents: int
    contracted_cents: int | None = None  # from the fee schedule


@dataclass(frozen=True, slots=True)
class BilledClaim:
    claim_id: str
    patient_control_number: str
    lines: tuple[BilledLine, ...]


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    patient_control_number: str
    claim_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class LineMatch:
    claim_id: str
    line_index: int
    line_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class PostingException:
    kind: str  # unmatched_claim, unmatched_line, ambiguous_line, out_of_balance
    patient_control_number: str
    line_index: int | None
    message: str


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    kind: str
    cents: int  # money received is positive
    claim_id: str | None
    line_id: str | None
    group: str = ""
    reason_code: str = ""
    reference: str = ""
    reversal: bool = False
    trace_number: str = ""
    payer_id: str = ""


@dataclass(frozen=True, slots=True)
class Denial:
    claim_id: str
    line_id: str | None
    carcs: tuple[str, ...]
    rarcs: tuple[str, ...]
    cents: int
    category: str
    label: str
    action: str


@dataclass(frozen=True, slots=True)
class Underpayment:
    claim_id: str
    line_id: str
    expected_cents: int  # contracted minus the patient's share
    paid_cents: int

    @property
    def difference_cents(self) -> int:
        return self.expected_cents - self.paid_cents


@dataclass(slots=True)
class PostingPlan:
    trace_number: str
    balanced: bool
    claim_matches: list[ClaimMatch] = field(default_factory=list)
    line_matches: list[LineMatch] = field(default_factory=list)
    exceptions: list[PostingException] = field(default_factory=list)
    entries: list[LedgerEntry] = field(default_factory=list)
    denials: list[Denial] = field(default_factory=list)
    underpayments: list[Underpayment] = field(default_factory=list)
    crossovers: list[str] = field(default_factory=list)  # claim ids forwarded to the next payer (R15)


def _adjustment_kind(adjustment: Adjustment) -> str:
    group = adjustment.group
    if group == "PR":
        return PATIENT
    if group == "CO":
        return CONTRACTUAL if carc(adjustment.reason).category == "contractual" else DENIAL_PENDING
    if group == "PI":
        return PAYER_REDUCTION
    if group == "CR":
        return CORRECTION
    return OTHER


def _service_date(claim: ClaimPayment, line: ServiceLine) -> date | None:
    if line.service_date is not None:
        return line.service_date
    return next((d.value for d in claim.dates if d.qualifier == "232"), None)


def match_line(
    claim: ClaimPayment, index: int, billed: BilledClaim, taken: set[str]
) -> tuple[BilledLine | None, str]:
    """The billed line for service line `index`, and why (or why none)."""
    line = claim.lines[index]
    if line.control_number:
        for candidate in billed.lines:
            if candidate.control_number == line.control_number:
                return candidate, f"line control number (REF*6R) {line.control_number}"
    procedure = line.billed_procedure
    when = _service_date(claim, line)
    charge = cents_from_decimal(line.charge)
    if claim.is_reversal:  # a reversal repeats the original line with negative amounts (R2)
        charge = abs(charge)
    base = [
        c
        for c in billed.lines
        if c.line_id not in taken
        and c.code == procedure.code
        and c.charge_cents == charge
        and (when is None or c.service_date == when)
    ]
    changed = " (the payer changed the code; matched on the billed code)" if line.original_procedure else ""
    exact = [c for c in base if tuple(c.modifiers) == procedure.modifiers]
    if len(exact) == 1:
        return exact[0], f"code {procedure.code}, modifiers, date and charge{changed}"
    if len(exact) > 1:
        return None, "ambiguous: several billed lines have this code, modifiers, date and charge"
    if len(base) == 1:
        return base[0], (
            f"code {procedure.code}, date and charge; modifiers differ "
            f"(billed {'-'.join(base[0].modifiers) or 'none'}, returned {'-'.join(procedure.modifiers) or 'none'})"
            f"{changed}"
        )
    if len(base) > 1:
        return None, "ambiguous: several billed lines have this code, date and charge"
    return None, "no billed line has this control number, code, date and charge"


def _denial(
    claim_id: str, line_id: str | None, adjustments: tuple[Adjustment, ...], rarcs: tuple[str, ...]
) -> Denial:
    denied = [a for a in adjustments if a.group != "PR"]
    main = max(denied, key=lambda a: a.amount) if denied else None
    info = carc(main.reason) if main else carc("")
    return Denial(
        claim_id=claim_id,
        line_id=line_id,
        carcs=tuple(dict.fromkeys(f"{a.group}-{a.reason}" for a in denied)),
        rarcs=tuple(dict.fromkeys(rarcs)),
        cents=sum(cents_from_decimal(a.amount) for a in denied),
        category=info.category,
        label=info.label,
        action=info.action,
    )


def _is_denied(claim: ClaimPayment, paid_cents: int, adjustments: tuple[Adjustment, ...]) -> bool:
    if claim.is_reversal:
        return False
    if claim.is_denied:
        return True
    return paid_cents == 0 and any(a.group != "PR" and a.amount > 0 for a in adjustments)


def _post_amounts(
    plan: PostingPlan,
    payment: Payment835,
    claim: ClaimPayment,
    claim_id: str,
    line_id: str | None,
    paid: int,
    adjustments: tuple[Adjustment, ...],
) -> None:
    common = {
        "trace_number": payment.trace_number,
        "payer_id": payment.payer_id,
        "reversal": claim.is_reversal,
    }
    if paid or not adjustments:
        kind = REVERSAL if claim.is_reversal else PAYMENT
        plan.entries.append(LedgerEntry(kind, paid, claim_id, line_id, **common))  # type: ignore[arg-type]
    for adjustment in adjustments:
        plan.entries.append(
            LedgerEntry(
                _adjustment_kind(adjustment),
                cents_from_decimal(adjustment.amount),
                claim_id,
                line_id,
                group=adjustment.group,
                reason_code=adjustment.reason,
                **common,  # type: ignore[arg-type]
            )
        )


def _plan_claim(
    plan: PostingPlan,
    payment: Payment835,
    claim: ClaimPayment,
    billed: BilledClaim,
    forced: Mapping[int, tuple[str, str]] | None = None,
) -> None:
    pcn = claim.patient_control_number
    off = claim_imbalance(claim)
    line_offs = [x for i in range(len(claim.lines)) if (x := line_imbalance(claim, i)) is not None]
    if off is not None or line_offs:
        worst = off or line_offs[0]
        plan.exceptions.append(
            PostingException(
                "out_of_balance",
                pcn,
                worst.line_index,
                f"out of balance: {abs(worst.difference):.2f} ({worst.rule})",
            )
        )
        return
    matched: list[tuple[int, BilledLine]] = []
    taken: set[str] = set()
    by_id = {line.line_id: line for line in billed.lines}
    for index in range(len(claim.lines)):
        if forced is not None:  # a biller's line-by-line match; splits allowed (R13)
            line_id, why = forced[index]
            billed_line: BilledLine | None = by_id[line_id]
        else:
            billed_line, why = match_line(claim, index, billed, taken)
        if billed_line is None:
            kind = "ambiguous_line" if why.startswith("ambiguous") else "unmatched_line"
            plan.exceptions.append(PostingException(kind, pcn, index, why))
            continue
        taken.add(billed_line.line_id)
        matched.append((index, billed_line))
        plan.line_matches.append(LineMatch(billed.claim_id, index, billed_line.line_id, why))
    if len(matched) != len(claim.lines):
        return  # held whole: a claim is posted completely or not at all
    plan.claim_matches.append(ClaimMatch(pcn, billed.claim_id, "patient control number (CLP01)"))
    if claim.status in CROSSOVER_STATUSES or claim.crossover_carrier is not None:
        plan.crossovers.append(billed.claim_id)
    paid_on: dict[str, list[int]] = {}  # billed line id -> [paid, patient share] over its SVCs (R13)
    for index, billed_line in matched:
        line = claim.lines[index]
        paid = cents_from_decimal(line.paid)
        _post_amounts(plan, payment, claim, billed.claim_id, billed_line.line_id, paid, line.adjustments)
        if _is_denied(claim, paid, line.adjustments):
            plan.denials.append(
                _denial(billed.claim_id, billed_line.line_id, line.adjustments, line.remarks + claim.remarks)
            )
        elif billed_line.contracted_cents is not None and not claim.is_reversal:
            patient = sum(cents_from_decimal(a.amount) for a in line.adjustments if a.group == "PR")
            total = paid_on.setdefault(billed_line.line_id, [0, 0])
            total[0] += paid
            total[1] += patient
    for line_id, (paid, patient) in paid_on.items():
        expected = (by_id[line_id].contracted_cents or 0) - patient
        if paid < expected:
            plan.underpayments.append(Underpayment(billed.claim_id, line_id, expected, paid))
    claim_paid = 0 if claim.lines else cents_from_decimal(claim.paid)
    if claim.adjustments or not claim.lines:
        _post_amounts(plan, payment, claim, billed.claim_id, None, claim_paid, claim.adjustments)
    if not claim.lines and _is_denied(claim, claim_paid, claim.adjustments):
        plan.denials.append(_denial(billed.claim_id, None, claim.adjustments, claim.remarks))


def plan_posting(
    payment: Payment835,
    billed_claims: list[BilledClaim],
    forced: Mapping[int, tuple[str, str]] | None = None,
) -> PostingPlan:
    """The posting plan of one 835 transaction against our billed claims. `forced` (a biller's
    manual match of a one-claim payment): per service line index, the billed line id and why."""
    plan = PostingPlan(payment.trace_number, transaction_imbalance(payment) is None)
    by_pcn = {claim.patient_control_number: claim for claim in billed_claims}
    for claim in payment.claims:
        billed = by_pcn.get(claim.patient_control_number)
        if billed is None:
            plan.exceptions.append(
                PostingException(
                    "unmatched_claim",
                    claim.patient_control_number,
                    None,
                    "no claim of ours has this patient control number",
                )
            )
            continue
        _plan_claim(plan, payment, claim, billed, forced)
    for adjustment in payment.provider_adjustments:
        words = adjustment.reference.split()
        linked = by_pcn.get(words[0]) if words else None  # a WO/FB reference naming our claim
        plan.entries.append(
            LedgerEntry(
                PROVIDER,
                -cents_from_decimal(adjustment.amount),
                linked.claim_id if linked else None,
                None,
                reason_code=adjustment.reason,
                reference=adjustment.reference,
                trace_number=payment.trace_number,
                payer_id=payment.payer_id,
            )
        )
    return plan
