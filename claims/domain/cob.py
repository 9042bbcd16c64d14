"""Coordination of benefits and corrections (pure): what an earlier payer decided, as the 837P's
COB loops; whether a payer crossed the claim over; what a replacement may carry.

* `PriorPayer`/`PriorLine`: an earlier payer's adjudication of the claim (from
  `claims.ClaimAdjudication`/`ClaimLineAdjudication`), in integer cents.
* `cob_problems(lines, priors, ...)`: the edits clearinghouses apply to COB data (pitfalls C1,
  C2, C3, C4), each naming the loop and element: groups CO/CR/OA/PI/PR, at most 6 reasons per
  group (one CAS per group), no reason without an amount, no zero or negative paid amount,
  line charge − Σ CAS = paid (SVD02), claim charge − Σ adjustments = AMT*D, the earlier
  payer's claim control number (2330B REF*F8) and adjudication date (2430 DTP*573).
* `other_payer(prior)` / `line_adjudications(...)`: the `edi.x837p` values for 2320/2330 and
  2430. Only AMT*D (payer paid) is written: the deprecated COB amounts (AMT*A8, B6, F2, ...)
  are never produced (C4).
* `crossover(...)`: R15: the primary forwarded the claim itself (CLP02 19, 20 or 21; an
  NM1*TT crossover carrier; remark MA18 or N89): no secondary claim is created.
* `insurance_type(...)`: C3: SBR05 only when the payer is Medicare and not the primary.
* `secondary_filing_deadline(...)`: D2: a secondary's deadline counts from the date of
  service, or from the earlier payer's adjudication where the payer rule says so.
* `replacement_line_problems(...)`: C17: a replacement carries every line unless the payer
  takes partial replacements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.domain.problems import Problem
from core.money import decimal_from_cents
from edi import x837p

GROUPS = frozenset({"CO", "CR", "OA", "PI", "PR"})
MAX_REASONS_PER_GROUP = 6
# CLP02: processed as primary/secondary/tertiary and forwarded to the next payer (R15). 22 is a
# reversal, not a crossover.
CROSSOVER_STATUSES = frozenset({"19", "20", "21"})
# MOA/MIA remarks: "also forwarded to the supplemental insurer", "forwarded to more than one payer".
CROSSOVER_REMARKS = frozenset({"MA18", "N89"})
MEDICARE_SECONDARY_TYPES = frozenset({"12", "13", "14", "15", "16", "41", "42", "43", "47"})
NEXT_RESPONSIBILITY = {"P": "S", "S": "T"}
RESPONSIBILITY_WORDS = {"P": "primary", "S": "secondary", "T": "tertiary"}
COVERAGE_PRIORITY = {"P": 1, "S": 2, "T": 3}


class CobCode:
    GROUP = "cob_adjustment_group_invalid"
    TOO_MANY = "cob_adjustment_too_many"
    NO_REASON = "cob_adjustment_reason_missing"
    NO_AMOUNT = "cob_adjustment_amount_missing"
    NEGATIVE_PAID = "cob_paid_negative"
    UNBALANCED_LINE = "cob_line_unbalanced"
    UNBALANCED_CLAIM = "cob_claim_unbalanced"
    NO_CONTROL_NUMBER = "cob_payer_claim_number_missing"
    NO_DATE = "cob_adjudication_date_missing"
    LINE_NOT_ADJUDICATED = "cob_line_not_adjudicated"
    INSURANCE_TYPE = "cob_insurance_type"
    NO_PAYER_ID = "cob_payer_id_missing"


@dataclass(frozen=True, slots=True)
class CasRow:
    """One adjustment (CAS triplet) in cents."""

    group: str
    reason: str
    cents: int
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PriorLine:
    """An earlier payer's decision on one of our lines (SVC), by our line number."""

    line_number: int
    charge_cents: int
    paid_cents: int
    adjustments: tuple[CasRow, ...] = ()
    adjudicated_on: date | None = None
    units: int | None = None


@dataclass(frozen=True, slots=True)
class PriorPayer:
    """An earlier payer (2320/2330) and its adjudication of the claim (one CLP)."""

    name: str
    payer_id: str  # electronic payer id (2330B NM109)
    responsibility: str  # that payer's SBR01: P or S
    kind: str  # payers.Payer.Kind value ("medicare", ...)
    claim_filing: str  # SBR09
    member_id: str
    group_number: str
    subscriber_last_name: str
    subscriber_first_name: str
    relationship: str  # SBR02 for that coverage: "18" self, "01", "19", "G8"
    claim_control_number: str  # CLP07 (C2)
    claim_status_code: str  # CLP02
    charge_cents: int
    paid_cents: int
    patient_responsibility_cents: int
    adjudicated_on: date | None
    claim_adjustments: tuple[CasRow, ...] = ()
    lines: tuple[PriorLine, ...] = ()
    medicare_secondary_type: str = ""  # SBR05 when this payer is Medicare and not primary


@dataclass(frozen=True, slots=True)
class ClaimLineFacts:
    line_number: int
    charge_cents: int


@dataclass(frozen=True, slots=True)
class Crossover:
    carrier: str  # the payer the claim was forwarded to ("" when the 835 does not name it)
    reason: str  # what in the 835 said so

    @property
    def label(self) -> str:
        return f"Crossed over to {self.carrier}" if self.carrier else "Crossed over to the next payer"


def _problem(code: str, where: str, message: str, fix_hint: str = "") -> Problem:
    return Problem(code=code, message=f"{where}: {message}", field=where, fix_hint=fix_hint)


def adjustment_problems(where: str, adjustments: Sequence[CasRow]) -> list[Problem]:
    """C1/C4: valid group codes, a reason and a non-zero amount each, ≤ 6 reasons per group."""
    problems: list[Problem] = []
    counts: dict[str, int] = {}
    for index, row in enumerate(adjustments):
        if row.group not in GROUPS:
            problems.append(
                _problem(
                    CobCode.GROUP,
                    f"{where} CAS01",
                    f"{row.group!r} is not an adjustment group (CO, CR, OA, PI, PR).",
                )
            )
        if not row.reason.strip() or not row.reason.isalnum() or len(row.reason) > 5:
            problems.append(
                _problem(
                    CobCode.NO_REASON, f"{where} CAS02", f"adjustment {index + 1} has no valid reason code."
                )
            )
        if row.cents == 0:
            problems.append(
                _problem(
                    CobCode.NO_AMOUNT, f"{where} CAS03", f"adjustment {row.group}-{row.reason} has no amount."
                )
            )
        counts[row.group] = counts.get(row.group, 0) + 1
    for group, count in sorted(counts.items()):
        if count > MAX_REASONS_PER_GROUP:
            problems.append(
                _problem(
                    CobCode.TOO_MANY,
                    f"{where} CAS",
                    f"{count} {group} reasons; one CAS holds at most {MAX_REASONS_PER_GROUP}.",
                )
            )
    return problems


def _total(rows: Sequence[CasRow]) -> int:
    return sum(row.cents for row in rows)


def cob_problems(
    lines: Sequence[ClaimLineFacts],
    priors: Sequence[PriorPayer],
    *,
    responsibility: str,
    payer_kind: str,
    insurance_type_value: str,
) -> list[Problem]:
    """What stops a secondary/tertiary claim's COB data (each message names loop and element)."""
    problems: list[Problem] = []
    problems += insurance_type_problems(responsibility, payer_kind, insurance_type_value)
    if responsibility != "P" and not priors:
        problems.append(
            _problem(
                CobCode.LINE_NOT_ADJUDICATED,
                "2320",
                "a secondary claim needs the earlier payer's adjudication.",
            )
        )
    charge_total = sum(line.charge_cents for line in lines)
    for prior in priors:
        loop = f"2320/2330B ({prior.name})"
        if not prior.payer_id.strip():
            problems.append(
                _problem(CobCode.NO_PAYER_ID, f"{loop} NM109", "the earlier payer has no payer ID.")
            )
        if not prior.claim_control_number.strip():
            problems.append(
                _problem(
                    CobCode.NO_CONTROL_NUMBER,
                    f"{loop} REF*F8",
                    "the earlier payer's claim control number (CLP07) is missing (pitfall C2).",
                )
            )
        problems += adjustment_problems(f"2320 ({prior.name})", prior.claim_adjustments)
        problems += insurance_type_problems(
            prior.responsibility, prior.kind, prior.medicare_secondary_type, loop="2320 SBR05"
        )
        if prior.paid_cents < 0:
            problems.append(
                _problem(CobCode.NEGATIVE_PAID, f"2320 AMT*D ({prior.name})", "the paid amount is negative.")
            )
        by_number = {line.line_number: line for line in prior.lines}
        line_adjustments = 0
        line_paid = 0
        line_issues = False
        for line in lines:
            where = f"2430 line {line.line_number} ({prior.name})"
            decided = by_number.get(line.line_number)
            if decided is None:
                line_issues = True
                problems.append(
                    _problem(
                        CobCode.LINE_NOT_ADJUDICATED,
                        f"{where} SVD",
                        "the earlier payer's remittance has no decision for this line.",
                        "Post the remittance line (or match it) before billing the next payer.",
                    )
                )
                continue
            if decided.adjudicated_on is None and prior.adjudicated_on is None:
                problems.append(
                    _problem(CobCode.NO_DATE, f"{where} DTP*573", "the adjudication date is missing.")
                )
            if decided.paid_cents < 0:
                problems.append(
                    _problem(CobCode.NEGATIVE_PAID, f"{where} SVD02", "the paid amount is negative.")
                )
            problems += adjustment_problems(where, decided.adjustments)
            balance = decided.paid_cents + _total(decided.adjustments)
            if balance != line.charge_cents:
                line_issues = True
                problems.append(
                    _problem(
                        CobCode.UNBALANCED_LINE,
                        f"{where} SVD02",
                        f"paid {decimal_from_cents(decided.paid_cents)} plus adjustments "
                        f"{decimal_from_cents(_total(decided.adjustments))} is not the line charge "
                        f"{decimal_from_cents(line.charge_cents)}.",
                    )
                )
            line_adjustments += _total(decided.adjustments)
            line_paid += decided.paid_cents
        if line_issues:
            continue
        if line_paid != prior.paid_cents:
            problems.append(
                _problem(
                    CobCode.UNBALANCED_CLAIM,
                    f"2320 AMT*D ({prior.name})",
                    f"the lines' paid amounts {decimal_from_cents(line_paid)} are not the claim's "
                    f"{decimal_from_cents(prior.paid_cents)}.",
                )
            )
        elif line_paid + line_adjustments + _total(prior.claim_adjustments) != charge_total:
            problems.append(
                _problem(
                    CobCode.UNBALANCED_CLAIM,
                    f"2320 CAS ({prior.name})",
                    "the claim charge minus every adjustment is not what the earlier payer paid.",
                )
            )
    return problems


def insurance_type(responsibility: str, payer_kind: str, medicare_secondary_type: str) -> str:
    """SBR05 for a payer at `responsibility`: only Medicare when it is not the primary (C3)."""
    if responsibility == "P" or payer_kind != "medicare":
        return ""
    return medicare_secondary_type


def insurance_type_problems(
    responsibility: str, payer_kind: str, value: str, *, loop: str = "2000B SBR05"
) -> list[Problem]:
    if responsibility == "P" and value:
        return [_problem(CobCode.INSURANCE_TYPE, loop, "is never sent for the primary payer (pitfall C3).")]
    if responsibility != "P" and payer_kind == "medicare":
        if not value:
            return [
                _problem(
                    CobCode.INSURANCE_TYPE,
                    loop,
                    "Medicare as a secondary payer needs its insurance type code (pitfall C3).",
                    "Set the Medicare secondary payer type in the payer's rules (Corrections).",
                )
            ]
        if value not in MEDICARE_SECONDARY_TYPES:
            return [
                _problem(CobCode.INSURANCE_TYPE, loop, f"{value!r} is not a Medicare secondary payer type.")
            ]
    return []


def crossover(
    claim_status_code: str, *, carrier_name: str = "", remark_codes: Sequence[str] = (), flagged: bool = False
) -> Crossover | None:
    """R15: did the payer forward this claim to the next payer itself? `flagged`: the
    remittance's posting already found so (NM1*TT without its name kept)."""
    carrier = carrier_name.strip()
    if claim_status_code in CROSSOVER_STATUSES:
        return Crossover(carrier, f"CLP02 {claim_status_code}")
    if carrier:
        return Crossover(carrier, "NM1*TT crossover carrier")
    remarks = sorted(CROSSOVER_REMARKS & {code.strip().upper() for code in remark_codes})
    if remarks:
        return Crossover("", f"remark {remarks[0]}")
    if flagged:
        return Crossover("", "NM1*TT crossover carrier")
    return None


def secondary_filing_deadline(
    date_of_service: date, adjudicated_on: date | None, days: int | None, *, from_adjudication: bool
) -> date | None:
    """D2: the next payer's deadline: days from the date of service, or from the earlier payer's
    adjudication when the payer rule says the clock starts there."""
    if not days:
        return None
    start = adjudicated_on if from_adjudication and adjudicated_on is not None else date_of_service
    return start + timedelta(days=days)


def replacements_allowed(setting: bool | None, payer_kind: str) -> bool:
    """C7: None (the payer rule says nothing) is the payer kind's default: Medicare takes no
    frequency 7/8 claims (a correction there is a reopening)."""
    return setting if setting is not None else payer_kind != "medicare"


def replacement_line_problems(
    all_lines: Sequence[int], chosen: Sequence[int] | None, *, partial_allowed: bool
) -> list[Problem]:
    """C17: a replacement carries every line of the claim it replaces (a payer reads a missing
    line as withdrawn), unless the payer takes replacements of only the corrected lines."""
    if chosen is None or set(chosen) == set(all_lines):
        return []
    unknown = sorted(set(chosen) - set(all_lines))
    if unknown:
        return [
            Problem(
                code="replacement_line_unknown",
                message=f"Line {unknown[0]} is not on this claim.",
                field="lines",
            )
        ]
    if not chosen:
        return [
            Problem(
                code="replacement_no_lines", message="A replacement carries at least one line.", field="lines"
            )
        ]
    if not partial_allowed:
        return [
            Problem(
                code="replacement_all_lines",
                message=(
                    "This payer replaces the whole claim: a replacement carries every line of the original "
                    "(a line left out would be taken as withdrawn and its payment taken back)."
                ),
                field="lines",
                fix_hint="Send the replacement with every line, correcting the ones that were wrong.",
            )
        ]
    return []


# -- the 837's values ---------------------------------------------------------------------------


def _adjustment(row: CasRow) -> x837p.Adjustment:
    return x837p.Adjustment(row.group, row.reason, decimal_from_cents(row.cents), row.quantity)


def other_payer(prior: PriorPayer) -> x837p.OtherPayer:
    """2320/2330A/2330B for an earlier payer."""
    return x837p.OtherPayer(
        payer=x837p.Payer(name=prior.name.upper(), payer_id=prior.payer_id),
        subscriber=x837p.Subscriber(
            person=x837p.Person(prior.subscriber_last_name.upper(), prior.subscriber_first_name.upper()),
            member_id=prior.member_id,
            group_number=prior.group_number,
            claim_filing=prior.claim_filing or "CI",
        ),
        responsibility=prior.responsibility,
        relationship=prior.relationship or "18",
        claim_control_number=prior.claim_control_number,
        claim_adjustments=tuple(_adjustment(row) for row in prior.claim_adjustments),
        insurance_type=insurance_type(prior.responsibility, prior.kind, prior.medicare_secondary_type),
    )


def line_adjudications(line_number: int, priors: Sequence[PriorPayer]) -> tuple[x837p.LineAdjudication, ...]:
    """2430 for one of our lines: each earlier payer's SVD, CAS (one per group) and DTP*573."""
    found: list[x837p.LineAdjudication] = []
    for prior in priors:
        for decided in prior.lines:
            when = decided.adjudicated_on or prior.adjudicated_on
            if decided.line_number == line_number and when is not None:
                found.append(
                    x837p.LineAdjudication(
                        payer_id=prior.payer_id,
                        paid=decimal_from_cents(decided.paid_cents),
                        adjudicated=when,
                        adjustments=tuple(_adjustment(row) for row in decided.adjustments),
                        units=Decimal(decided.units) if decided.units else None,
                    )
                )
    return tuple(found)
