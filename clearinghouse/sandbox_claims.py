"""The sandbox clearinghouse for claims: answers 837P files like a real clearinghouse and payer.

SANDBOX ONLY: synthetic test members, never real payers. The scenario of each claim comes from
the prefix of its subscriber's member ID (`CLAIM_SCENARIO_PREFIXES`, longest prefix first; any
other member ID is paid in full; `CLAIM_SCENARIO_LABELS` says what each answers, and the README's
"Sandbox clearinghouse" section lists them). Every 837 gets, in stages:

1. a 999 per functional group: each transaction set accepted, or rejected when it holds a claim
   of the `x12_reject` scenario (IK3/IK4 at that claim's NM1*IL, loop 2010; a partial AK9*P when other sets
   pass: pitfall K1);
2. the clearinghouse's 277CA (NM1*AY): A1 for every claim of an accepted set, or A7:164:IL for
   the `clearinghouse_reject` scenario (invalid member ID);
3. the payer's 277CA (NM1*PR): A2 with the payer claim number (REF*1K), or A7:562:85 for the
   `payer_reject` scenario (pitfall K3: only this one is the payer's acceptance);
4. the 835 per payer and billing provider: paid, partially paid or denied by scenario, CLP01 the
   CLM01 (cut short for `unmatched_claim`), REF*6R per line (none for `no_line_control` and
   `unmatched_line`), balanced (BPR02 = sum CLP04 - sum PLB; per claim billed = paid +
   adjustments) except the `unbalanced` scenario;
5. only when a `reversal` or `reprocessed` claim is in the file: a second 835 reversing its
   payment (CLP02 22) and paying the re-adjudicated amounts, or paying the earlier denial
   without a reversal (R3).

Each `collect_responses()` releases the next stage of every submission with stages left
(deterministic; the claims side and the demo call collect repeatedly). A `silent` claim gets no
277CA and no 835 (a file of silent claims gets no 999 either: pitfall K7). A file the reader
cannot read at all is refused at upload (`PermanentClearinghouseError`: a failed file, K2).

Payer claim numbers are derived from CLM01 (`payer_claim_number`); the documents' dates are the
837's creation date and their control numbers come from the submission's sequence, so the same
submissions in the same order always give the same files.

The mailbox (`SandboxClaimsClearinghouse(directory)`) keeps its state in files so the web process
and the Celery workers share it: `submissions/NAME.json` (the receipt, the stages and how many
are released), `received/NAME` (the 837 as received), `pending/` (documents not yet released),
`inbox/` (released, not yet archived) and `archive/`. Every write is a temporary file renamed
into place; submit and collect hold an exclusive `flock` on `.lock`, so two workers collecting
at once each release one stage, one after the other.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path

from clearinghouse.interface import (
    DOCUMENT_KINDS,
    DocumentKind,
    InboundDocument,
    PermanentClearinghouseError,
    SubmissionReceipt,
    TransientClearinghouseError,
)
from edi.errors import X12Error
from edi.x270 import Envelope
from edi.x277ca_write import Acknowledgement277, ClaimNote, ProviderNote, StatusNote, write_277ca
from edi.x835_write import (
    Cas,
    ClaimPaymentNote,
    Payment,
    ProviderAdjustmentNote,
    ServicePayment,
    write_835,
)
from edi.x837p_read import Claim837, File837, Line837, Transaction837, read_837p
from edi.x999_write import (
    ElementNote,
    GroupAcknowledgement,
    SegmentNote,
    SetAcknowledgement,
    write_999,
)

SANDBOX_CLAIMS_NAME = "Sandbox clearinghouse (test members only)"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class ClaimScenario(StrEnum):
    PAID = "paid"
    PARTIAL = "partial"
    DEDUCTIBLE = "deductible"
    NO_AUTHORIZATION = "no_authorization"
    MEDICAL_NECESSITY = "medical_necessity"
    MISSING_INFORMATION = "missing_information"
    TIMELY_FILING = "timely_filing"
    DUPLICATE = "duplicate"
    COVERAGE_TERMINATED = "coverage_terminated"
    MODIFIER = "modifier"
    DIAGNOSIS = "diagnosis"
    BENEFIT_MAXIMUM = "benefit_maximum"
    OTHER_PAYER_PRIMARY = "other_payer_primary"
    CONTRACT_ZERO = "contract_zero"
    NOT_ENROLLED = "not_enrolled"
    NOT_COVERED = "not_covered"
    NO_LINE_CONTROL = "no_line_control"
    RECODED = "recoded"
    UNMATCHED_LINE = "unmatched_line"
    UNMATCHED_CLAIM = "unmatched_claim"
    PROVIDER_ADJUSTMENT = "provider_adjustment"
    REVERSAL = "reversal"
    UNBALANCED = "unbalanced"
    REPROCESSED = "reprocessed"
    FORWARD_BALANCE = "forward_balance"
    SPLIT = "split"
    CORRECTED_MEMBER = "corrected_member"
    UNKNOWN_CODE = "unknown_code"
    CROSSOVER = "crossover"
    X12_REJECT = "x12_reject"
    CLEARINGHOUSE_REJECT = "clearinghouse_reject"
    PAYER_REJECT = "payer_reject"
    SILENT = "silent"


# Member ID prefix -> scenario (sandbox test members; matched longest prefix first).
CLAIM_SCENARIO_PREFIXES: dict[str, ClaimScenario] = {
    "SBCPAID": ClaimScenario.PAID,
    "SBCPART": ClaimScenario.PARTIAL,
    "SBCDEDUCT": ClaimScenario.DEDUCTIBLE,
    "SBCAUTH": ClaimScenario.NO_AUTHORIZATION,
    "SBCNECESSITY": ClaimScenario.MEDICAL_NECESSITY,
    "SBCINFO": ClaimScenario.MISSING_INFORMATION,
    "SBCLATE": ClaimScenario.TIMELY_FILING,
    "SBCDUP": ClaimScenario.DUPLICATE,
    "SBCTERM": ClaimScenario.COVERAGE_TERMINATED,
    "SBCMODIFIER": ClaimScenario.MODIFIER,
    "SBCDIAG": ClaimScenario.DIAGNOSIS,
    "SBCMAX": ClaimScenario.BENEFIT_MAXIMUM,
    "SBCCOB": ClaimScenario.OTHER_PAYER_PRIMARY,
    "SBCZERO": ClaimScenario.CONTRACT_ZERO,
    "SBCENROLL": ClaimScenario.NOT_ENROLLED,
    "SBCNOTCOV": ClaimScenario.NOT_COVERED,
    "SBCNO6R": ClaimScenario.NO_LINE_CONTROL,
    "SBCRECODE": ClaimScenario.RECODED,
    "SBCNOMATCH": ClaimScenario.UNMATCHED_LINE,
    "SBCNOCLAIM": ClaimScenario.UNMATCHED_CLAIM,
    "SBCPLB": ClaimScenario.PROVIDER_ADJUSTMENT,
    "SBCREVERSE": ClaimScenario.REVERSAL,
    "SBCOFF": ClaimScenario.UNBALANCED,
    "SBCREPROC": ClaimScenario.REPROCESSED,
    "SBCFWD": ClaimScenario.FORWARD_BALANCE,
    "SBCSPLIT": ClaimScenario.SPLIT,
    "SBCNEWID": ClaimScenario.CORRECTED_MEMBER,
    "SBCCARC": ClaimScenario.UNKNOWN_CODE,
    "SBCCROSS": ClaimScenario.CROSSOVER,
    "SBCX12": ClaimScenario.X12_REJECT,
    "SBCCHREJ": ClaimScenario.CLEARINGHOUSE_REJECT,
    "SBCPAYREJ": ClaimScenario.PAYER_REJECT,
    "SBCSILENT": ClaimScenario.SILENT,
}
_PREFIXES = sorted(CLAIM_SCENARIO_PREFIXES, key=len, reverse=True)

CLAIM_SCENARIO_LABELS: dict[ClaimScenario, str] = {
    ClaimScenario.PAID: "Paid in full (any other member ID too)",
    ClaimScenario.PARTIAL: "Partly paid: CO-45 contractual, PR-1 deductible, PR-2 coinsurance, PR-3 copay",
    ClaimScenario.DEDUCTIBLE: "Processed, paid $0: the allowed amount went to the deductible (PR-1)",
    ClaimScenario.NO_AUTHORIZATION: "Denied CO-197: no prior authorization",
    ClaimScenario.MEDICAL_NECESSITY: "Denied CO-50: not medically necessary",
    ClaimScenario.MISSING_INFORMATION: "Denied CO-16 with remark M51: information missing",
    ClaimScenario.TIMELY_FILING: "Denied CO-29: filed too late",
    ClaimScenario.DUPLICATE: "Denied CO-18: duplicate claim",
    ClaimScenario.COVERAGE_TERMINATED: "Denied CO-27: coverage ended before the service",
    ClaimScenario.MODIFIER: "Denied CO-4: modifier inconsistent with the code",
    ClaimScenario.DIAGNOSIS: "Denied CO-11: diagnosis inconsistent with the procedure",
    ClaimScenario.BENEFIT_MAXIMUM: "Denied CO-119: benefit maximum reached",
    ClaimScenario.OTHER_PAYER_PRIMARY: "Denied CO-22: another payer may be primary",
    ClaimScenario.CONTRACT_ZERO: "Processed, paid $0: the contract allows nothing for it (CO-45, the whole charge)",
    ClaimScenario.NOT_ENROLLED: "Denied CO-B7: the provider is not enrolled for the service on that date",
    ClaimScenario.NOT_COVERED: "Denied PR-204: not covered by the plan, the patient owes it",
    ClaimScenario.NO_LINE_CONTROL: "Paid at the contracted rate, lines without REF*6R",
    ClaimScenario.RECODED: "Paid with the modifier dropped or the code changed (original in SVC06)",
    ClaimScenario.UNMATCHED_LINE: "Paid, the first line's code changed without SVC06 and no REF*6R: it matches no billed line",
    ClaimScenario.UNMATCHED_CLAIM: "Paid, but CLP01 lost its last character: it matches no claim",
    ClaimScenario.PROVIDER_ADJUSTMENT: "Paid, with provider-level adjustments (PLB: L6 interest, WO recovery)",
    ClaimScenario.REVERSAL: "Paid, then reversed (CLP02 22) and re-adjudicated in a later 835",
    ClaimScenario.UNBALANCED: "Paid, but the claim does not balance (CLP04 off by $5.00)",
    ClaimScenario.REPROCESSED: "Denied CO-50, then paid in full in a later 835 without a reversal",
    ClaimScenario.FORWARD_BALANCE: "Paid in full, all of it withheld as a forward balance (PLB FB): a $0 835",
    ClaimScenario.SPLIT: "Split by the payer: one CLP per line, each with its own payer claim number",
    ClaimScenario.CORRECTED_MEMBER: "Paid in full, with a corrected member ID (NM1*74)",
    ClaimScenario.UNKNOWN_CODE: "Paid at the allowed amount, the rest adjusted with a CARC no list knows (CO-Z99)",
    ClaimScenario.CROSSOVER: "Processed as primary and forwarded to the secondary (CLP02 19, NM1*TT)",
    ClaimScenario.X12_REJECT: "Rejected in the 999: its transaction set (IK5 R)",
    ClaimScenario.CLEARINGHOUSE_REJECT: "Rejected by the clearinghouse 277CA: invalid member ID (A7:164:IL)",
    ClaimScenario.PAYER_REJECT: "Rejected by the payer 277CA: billing provider NPI (A7:562:85)",
    ClaimScenario.SILENT: "Never acknowledged (no 277CA, no 835; a file of these gets no 999)",
}

# scenario -> (group, CARC, RARCs): the whole charge adjusted, nothing paid (CLP02 4).
DENIALS: dict[ClaimScenario, tuple[str, str, tuple[str, ...]]] = {
    ClaimScenario.NO_AUTHORIZATION: ("CO", "197", ()),
    ClaimScenario.MEDICAL_NECESSITY: ("CO", "50", ()),
    ClaimScenario.MISSING_INFORMATION: ("CO", "16", ("M51",)),
    ClaimScenario.TIMELY_FILING: ("CO", "29", ()),
    ClaimScenario.DUPLICATE: ("CO", "18", ()),
    ClaimScenario.COVERAGE_TERMINATED: ("CO", "27", ()),
    ClaimScenario.MODIFIER: ("CO", "4", ()),
    ClaimScenario.DIAGNOSIS: ("CO", "11", ()),
    ClaimScenario.BENEFIT_MAXIMUM: ("CO", "119", ()),
    ClaimScenario.OTHER_PAYER_PRIMARY: ("CO", "22", ()),
    ClaimScenario.CONTRACT_ZERO: ("CO", "45", ()),
    ClaimScenario.NOT_ENROLLED: ("CO", "B7", ()),
    ClaimScenario.NOT_COVERED: ("PR", "204", ()),
}
CONTRACT_RATE = Decimal("0.70")  # allowed = 70% of the charge (CO-45 the rest)
CORRECTED_RATE = Decimal("0.80")  # the re-adjudication after a reversal
COPAY = Decimal("20.00")
DEDUCTIBLE = Decimal("50.00")
COINSURANCE = Decimal("0.20")
INTEREST = Decimal("-1.25")  # PLB L6: negative, adds to the payment
RECOVERY = Decimal("25.00")  # PLB WO: taken from the payment
UNBALANCED_BY = Decimal("5.00")
UNKNOWN_CARC = "Z99"
CROSSOVER_NAME = "SANDBOX SECONDARY MUTUAL"
CROSSOVER_ID = "SBXSEC01"
# CLP06 (835) codes; an 837 filing code without an 835 twin (CI, BL, 11, FI) is remitted as 12.
_FILING_CODES = {"12", "13", "14", "15", "16", "17", "AM", "CH", "DS", "HM", "LM", "MA", "MB", "MC", "OF", "TV",
                 "VA", "WC", "ZZ"}  # fmt: skip


def claim_scenario(member_id: str) -> ClaimScenario:
    value = member_id.strip().upper()
    for prefix in _PREFIXES:
        if value.startswith(prefix):
            return CLAIM_SCENARIO_PREFIXES[prefix]
    return ClaimScenario.PAID


def payer_claim_number(claim_id: str, adjudication: int = 1) -> str:
    """The sandbox payer's claim control number (CLP07, REF*1K): derived from CLM01."""
    digest = int(hashlib.sha256(claim_id.encode()).hexdigest(), 16) % 10**12
    return f"SBX{digest:012d}{adjudication:02d}"


# -- the answers, pure -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StagedDocument:
    kind: DocumentKind
    name: str
    text: str


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _contracted(line: Line837, rate: Decimal) -> tuple[Decimal, Decimal, list[Cas]]:
    allowed = _q(line.charge * rate)
    cas = [Cas("CO", "45", line.charge - allowed)] if line.charge != allowed else []
    return allowed, allowed, cas


def _partial(line: Line837, first: bool) -> tuple[Decimal, Decimal, list[Cas]]:
    allowed = _q(line.charge * CONTRACT_RATE)
    cas = [Cas("CO", "45", line.charge - allowed)] if line.charge != allowed else []
    copay = min(COPAY, allowed)
    rest = allowed - copay
    deductible = min(DEDUCTIBLE, rest) if first else ZERO
    rest -= deductible
    coinsurance = _q(rest * COINSURANCE)
    paid = rest - coinsurance
    for reason, value in (("1", deductible), ("2", coinsurance), ("3", copay)):
        if value:
            cas.append(Cas("PR", reason, value))
    return allowed, paid, cas


def _service(
    line: Line837, scenario: ClaimScenario, index: int, *, rate: Decimal = CONTRACT_RATE
) -> ServicePayment:
    without = {ClaimScenario.NO_LINE_CONTROL, ClaimScenario.UNMATCHED_LINE}
    control = "" if scenario in without else line.control_number
    base = ServicePayment(code=line.code, charge=line.charge, paid=line.charge, modifiers=line.modifiers,
                          units=line.units, service_date=line.service_date, control_number=control,
                          allowed=line.charge)  # fmt: skip
    if scenario in DENIALS:
        group, reason, remarks = DENIALS[scenario]
        return replace(
            base, paid=ZERO, adjustments=(Cas(group, reason, line.charge),), remarks=remarks, allowed=None
        )
    if scenario in {ClaimScenario.PARTIAL, ClaimScenario.CROSSOVER}:
        allowed, paid, cas = _partial(line, index == 0)
    elif scenario is ClaimScenario.DEDUCTIBLE:
        allowed = _q(line.charge * CONTRACT_RATE)
        paid, cas = ZERO, [Cas("CO", "45", line.charge - allowed), Cas("PR", "1", allowed)]
    elif scenario in {
        ClaimScenario.NO_LINE_CONTROL,
        ClaimScenario.RECODED,
        ClaimScenario.UNMATCHED_LINE,
        ClaimScenario.UNMATCHED_CLAIM,
        ClaimScenario.UNBALANCED,
        ClaimScenario.REVERSAL,
        ClaimScenario.UNKNOWN_CODE,
    }:
        allowed, paid, cas = _contracted(line, rate)
        if scenario is ClaimScenario.UNKNOWN_CODE:
            cas = [replace(item, reason=UNKNOWN_CARC) for item in cas]
    else:  # paid in full (PAID, PROVIDER_ADJUSTMENT, anything else that reaches an 835)
        return base
    service = replace(base, paid=paid, adjustments=tuple(cas), allowed=allowed)
    if scenario is ClaimScenario.RECODED:
        if line.modifiers:  # the payer dropped the modifiers
            service = replace(
                service, modifiers=(), original_code=line.code, original_modifiers=line.modifiers
            )
        else:  # the payer changed the code
            service = replace(service, code=_changed_code(line.code), original_code=line.code)
    elif scenario is ClaimScenario.UNMATCHED_LINE and index == 0:  # R7: no SVC06, no REF*6R
        service = replace(service, code=_changed_code(line.code))
    return service


def _changed_code(code: str) -> str:
    return "90834" if code != "90834" else "90832"


def _claim_payment(claim: Claim837, scenario: ClaimScenario, received: date) -> ClaimPaymentNote:
    rate = CONTRACT_RATE
    lines = tuple(_service(line, scenario, index, rate=rate) for index, line in enumerate(claim.lines))
    paid = sum((line.paid for line in lines), ZERO)
    responsibility = sum(
        (cas.amount for line in lines for cas in line.adjustments if cas.group == "PR"), ZERO
    )
    status = {"P": "1", "S": "2", "T": "3"}.get(claim.responsibility, "1")
    if scenario in DENIALS:
        status = "4"
    elif scenario is ClaimScenario.CROSSOVER and status == "1":
        status = "19"
    if scenario is ClaimScenario.UNBALANCED:
        paid += UNBALANCED_BY  # deliberately: CLP03 != CLP04 + adjustments
    corrected = f"N{claim.member_id}"[:30] if scenario is ClaimScenario.CORRECTED_MEMBER else ""
    return ClaimPaymentNote(
        claim_id=claim.claim_id[:-1] if scenario is ClaimScenario.UNMATCHED_CLAIM else claim.claim_id,
        status=status,
        charge=claim.charge,
        paid=paid,
        patient_responsibility=responsibility,
        payer_claim_number=payer_claim_number(claim.claim_id),
        patient_last=claim.patient_last,
        patient_first=claim.patient_first,
        member_id=claim.member_id,
        filing_indicator=claim.claim_filing if claim.claim_filing in _FILING_CODES else "12",
        facility_code=claim.place_of_service or "11",
        frequency=claim.frequency or "1",
        crossover_name=CROSSOVER_NAME if status == "19" else "",
        crossover_id=CROSSOVER_ID if status == "19" else "",
        statement_from=claim.first_date,
        statement_to=claim.last_date,
        received=received,
        lines=lines,
        corrected_member_id=corrected,
    )


def _split(note: ClaimPaymentNote) -> list[ClaimPaymentNote]:
    """R13: one claim payment per line, the first keeping the payer claim number."""
    if len(note.lines) < 2:
        return [note]
    return [
        replace(
            note,
            charge=line.charge,
            paid=line.paid,
            patient_responsibility=sum((a.amount for a in line.adjustments if a.group == "PR"), ZERO),
            payer_claim_number=payer_claim_number(note.claim_id, 1 if index == 0 else 10 + index),
            statement_from=line.service_date,
            statement_to=line.service_date,
            lines=(line,),
        )  # fmt: skip
        for index, line in enumerate(note.lines)
    ]


def _first_notes(claim: Claim837, day: date) -> list[ClaimPaymentNote]:
    """What the first 835 says of a claim."""
    scenario = claim_scenario(claim.member_id)
    if scenario is ClaimScenario.REPROCESSED:
        return [_claim_payment(claim, ClaimScenario.MEDICAL_NECESSITY, day)]
    note = _claim_payment(claim, scenario, day)
    return _split(note) if scenario is ClaimScenario.SPLIT else [note]


def _later_notes(claim: Claim837, day: date) -> list[ClaimPaymentNote]:
    """What the later 835 says: a reversal and re-adjudication, or a denial paid without one (R3)."""
    if claim_scenario(claim.member_id) is ClaimScenario.REPROCESSED:
        paid = _claim_payment(claim, ClaimScenario.PAID, day)
        return [replace(paid, payer_claim_number=payer_claim_number(claim.claim_id, 2))]
    return [_negated(_claim_payment(claim, ClaimScenario.REVERSAL, day)), _corrected(claim, day)]


def _negated(claim: ClaimPaymentNote) -> ClaimPaymentNote:
    def cas(items: Sequence[Cas]) -> tuple[Cas, ...]:
        return tuple(replace(item, amount=-item.amount) for item in items)

    return replace(
        claim,
        status="22",
        charge=-claim.charge,
        paid=-claim.paid,
        patient_responsibility=-(claim.patient_responsibility or ZERO),
        adjustments=cas(claim.adjustments),
        lines=tuple(
            replace(
                line,
                charge=-line.charge,
                paid=-line.paid,
                adjustments=cas(line.adjustments),
                allowed=None if line.allowed is None else -line.allowed,
            )  # fmt: skip
            for line in claim.lines
        ),
    )


def _corrected(claim: Claim837, received: date) -> ClaimPaymentNote:
    lines = tuple(
        _service(line, ClaimScenario.REVERSAL, i, rate=CORRECTED_RATE) for i, line in enumerate(claim.lines)
    )
    original = _claim_payment(claim, ClaimScenario.REVERSAL, received)
    return replace(
        original,
        paid=sum((line.paid for line in lines), ZERO),
        payer_claim_number=payer_claim_number(claim.claim_id, 2),
        lines=lines,
    )


@dataclass(frozen=True, slots=True)
class _Envelopes:
    file: File837
    sequence: int

    def envelope(self, stage: int) -> Envelope:
        number = self.sequence * 10 + stage
        return Envelope(
            sender_id=self.file.receiver_id or "SBXCH",
            receiver_id=self.file.sender_id or "SUBMITTER",
            interchange_control_number=number,
            group_control_number=number,
            created=self.file.created,
            transaction_control_number=1,
            usage=self.file.usage if self.file.usage in {"T", "P"} else "T",
            sender_qualifier=self.file.receiver_qualifier or "ZZ",
            receiver_qualifier=self.file.sender_qualifier or "ZZ",
        )


def _set_acknowledgement(transaction: Transaction837) -> SetAcknowledgement:
    bad = [
        claim for claim in transaction.claims if claim_scenario(claim.member_id) is ClaimScenario.X12_REJECT
    ]
    if not bad:
        return SetAcknowledgement(transaction.control_number)
    errors = tuple(
        SegmentNote(
            "NM1",
            claim.subscriber_position,
            "2010",
            "8",
            (ElementNote("9", "67", "7", claim.member_id),),
            context=f"CLM01:{claim.claim_id}",
        )  # fmt: skip
        for claim in bad
    )
    return SetAcknowledgement(transaction.control_number, "R", errors, ("5",))


def _providers(
    claims: Sequence[tuple[Claim837, tuple[StatusNote, ...], str, str]],
) -> tuple[ProviderNote, ...]:
    by_provider: dict[tuple[str, str], list[ClaimNote]] = {}
    for claim, statuses, payer_number, trace in claims:
        by_provider.setdefault((claim.billing_name, claim.billing_npi), []).append(
            ClaimNote(
                claim_id=claim.claim_id,
                charge=claim.charge,
                patient_last=claim.patient_last,
                patient_first=claim.patient_first,
                member_id=claim.member_id,
                statuses=statuses,
                service_from=claim.first_date or date(1900, 1, 1),
                service_to=claim.last_date,
                payer_claim_number=payer_number,
                clearinghouse_trace=trace,
            )  # fmt: skip
        )
    return tuple(ProviderNote(name, npi, tuple(notes)) for (name, npi), notes in by_provider.items())


def answer_837(text: str, submission_id: str, sequence: int) -> list[list[StagedDocument]]:
    """Every stage of the sandbox's answer to one 837P file (see the module docstring).
    Raises PermanentClearinghouseError for a file that cannot be read (refused at upload)."""
    try:
        parsed = read_837p(text)
    except X12Error as error:
        raise PermanentClearinghouseError(
            f"The sandbox clearinghouse refused the file (no claim in it was submitted): {error}"
        ) from error
    envelopes = _Envelopes(parsed, sequence)
    day = parsed.created.date()
    if all(claim_scenario(claim.member_id) is ClaimScenario.SILENT for claim in parsed.claims):
        return [[], [], [], []]  # K7: never acknowledged
    stages: list[list[StagedDocument]] = []

    def name(stage: int, kind: DocumentKind) -> str:
        return f"{submission_id}.{stage}.{kind}.x12"

    # 1. the 999
    sets = tuple(_set_acknowledgement(transaction) for transaction in parsed.transactions)
    group = GroupAcknowledgement(parsed.group_control_number, sets)
    stages.append([StagedDocument("999", name(1, "999"), write_999([group], envelopes.envelope(1)))])
    accepted_sets = {item.control_number for item in sets if item.accepted}
    passed = [
        claim
        for transaction in parsed.transactions
        if transaction.control_number in accepted_sets
        for claim in transaction.claims
        if claim_scenario(claim.member_id) is not ClaimScenario.SILENT
    ]
    if not passed:
        return stages
    traces = {claim.claim_id: f"{submission_id}-{index:04d}" for index, claim in enumerate(passed, start=1)}
    reference = parsed.transactions[0].reference or submission_id
    receiver = (parsed.submitter_name or "SUBMITTER", parsed.submitter_id or parsed.sender_id)

    # 2. the clearinghouse's 277CA
    rows = []
    for claim in passed:
        if claim_scenario(claim.member_id) is ClaimScenario.CLEARINGHOUSE_REJECT:
            status = StatusNote("A7", "164", "IL", free_text="INVALID MEMBER ID")
        else:
            status = StatusNote("A1", "19", "PR")
        rows.append((claim, (status,), "", traces[claim.claim_id]))
    clearinghouse = Acknowledgement277(
        sender_name=(parsed.receiver_name or "SANDBOX CLEARINGHOUSE"), sender_qualifier="AY",
        sender_id=parsed.receiver_id or "SBXCH", receiver_name=receiver[0], receiver_id=receiver[1],
        trace=f"{submission_id}-CH", batch_reference=reference, received=day, processed=day,
        providers=_providers(rows), reference=f"{submission_id}CH",
    )  # fmt: skip
    stages.append(
        [StagedDocument("277CA", name(2, "277CA"), write_277ca([clearinghouse], envelopes.envelope(2)))]
    )
    to_payer = [c for c in passed if claim_scenario(c.member_id) is not ClaimScenario.CLEARINGHOUSE_REJECT]
    if not to_payer:
        return stages

    # 3. the payers' 277CAs (one transaction per payer)
    by_payer: dict[tuple[str, str], list[Claim837]] = {}
    for claim in to_payer:
        by_payer.setdefault((claim.payer_name, claim.payer_id), []).append(claim)
    acks = []
    for index, ((payer_name, payer_id), claims) in enumerate(by_payer.items(), start=1):
        rows = []
        for claim in claims:
            if claim_scenario(claim.member_id) is ClaimScenario.PAYER_REJECT:
                rows.append((claim, (StatusNote("A7", "562", "85", free_text="BILLING PROVIDER NPI NOT ENROLLED"),),
                             "", traces[claim.claim_id]))  # fmt: skip
            else:
                rows.append((claim, (StatusNote("A2", "20", "PR"),), payer_claim_number(claim.claim_id),
                             traces[claim.claim_id]))  # fmt: skip
        acks.append(Acknowledgement277(
            sender_name=payer_name or "SANDBOX PAYER", sender_qualifier="PR", sender_id=payer_id or "SBXPAYER",
            receiver_name=receiver[0], receiver_id=receiver[1], trace=f"{submission_id}-PY{index}",
            batch_reference=reference, received=day, processed=day, providers=_providers(rows),
            reference=f"{submission_id}PY{index}",
        ))  # fmt: skip
    stages.append([StagedDocument("277CA", name(3, "277CA"), write_277ca(acks, envelopes.envelope(3)))])
    adjudicated = [c for c in to_payer if claim_scenario(c.member_id) is not ClaimScenario.PAYER_REJECT]
    if not adjudicated:
        return stages

    # 4. the 835s (one payment per payer and billing provider)
    payments = _payments(adjudicated, submission_id, day, "P", lambda claim: _first_notes(claim, day))
    stages.append([StagedDocument("835", name(4, "835"), write_835(payments, envelopes.envelope(4)))])

    # 5. the reversal and re-adjudication, the denial paid later
    later = [
        c
        for c in adjudicated
        if claim_scenario(c.member_id) in {ClaimScenario.REVERSAL, ClaimScenario.REPROCESSED}
    ]
    if later:
        payments = _payments(later, submission_id, day, "R", lambda claim: _later_notes(claim, day))
        stages.append([StagedDocument("835", name(5, "835"), write_835(payments, envelopes.envelope(5)))])
    return stages


def _payments(
    claims: Sequence[Claim837],
    submission_id: str,
    day: date,
    tag: str,
    notes: Callable[[Claim837], list[ClaimPaymentNote]],
) -> list[Payment]:
    groups: dict[tuple[str, str, str, str], list[Claim837]] = {}
    for claim in claims:
        groups.setdefault(
            (claim.payer_name, claim.payer_id, claim.billing_name, claim.billing_npi), []
        ).append(claim)
    payments = []
    for index, ((payer_name, payer_id, billing_name, billing_npi), members) in enumerate(
        groups.items(), start=1
    ):
        paid_claims = tuple(note for claim in members for note in notes(claim))
        adjustments: list[ProviderAdjustmentNote] = []
        plb = [c for c in members if claim_scenario(c.member_id) is ClaimScenario.PROVIDER_ADJUSTMENT]
        if plb and tag == "P":
            total = sum((note.paid for note in paid_claims), ZERO)
            adjustments.append(ProviderAdjustmentNote("L6", INTEREST))
            recovery = min(RECOVERY, total)
            if recovery > 0:
                adjustments.append(ProviderAdjustmentNote("WO", recovery, plb[0].claim_id))
        forward = [c for c in members if claim_scenario(c.member_id) is ClaimScenario.FORWARD_BALANCE]
        if forward and tag == "P":  # R11: the whole payment of these claims withheld
            withheld = sum((n.paid for n in paid_claims if n.claim_id in {c.claim_id for c in forward}), ZERO)
            if withheld > 0:
                adjustments.append(ProviderAdjustmentNote("FB", withheld, forward[0].claim_id))
        payments.append(Payment(
            trace=f"{submission_id}-{tag}{index}", payer_name=payer_name or "SANDBOX PAYER",
            payer_id=payer_id or "SBXPAYER", payee_name=billing_name or "PROVIDER", payee_npi=billing_npi,
            payment_date=day, claims=paid_claims, provider_adjustments=tuple(adjustments),
        ))  # fmt: skip
    return payments


# -- the mailbox ---------------------------------------------------------------------------------------

_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _receipt_json(receipt: SubmissionReceipt) -> dict[str, str]:
    return {
        "file_name": receipt.file_name,
        "submission_id": receipt.submission_id,
        "sha256": receipt.sha256,
        "received_at": receipt.received_at.isoformat(),
    }


@dataclass
class SandboxClaimsClearinghouse:
    """The sandbox `ClaimsAdapter`: a mailbox directory shared by every process of the deployment.
    `latency_ms` simulates the clearinghouse's answer time on every call."""

    directory: Path
    latency_ms: int = 0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    lock_timeout_seconds: float = 30.0
    name: str = "sandbox"
    is_sandbox: bool = True

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)

    # -- files and the lock -------------------------------------------------------------------

    def _dir(self, name: str) -> Path:
        path = self.directory / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / ".lock", "a+b") as handle:
            deadline = time.monotonic() + self.lock_timeout_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TransientClearinghouseError("The sandbox mailbox is busy; try again.") from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _simulate_latency(self) -> None:
        if self.latency_ms > 0:
            self.sleep(self.latency_ms / 1000)

    # -- the ClaimsAdapter protocol -------------------------------------------------------------

    def submit_claims(self, file_name: str, x12: str) -> SubmissionReceipt:
        if not _FILE_NAME.fullmatch(file_name):
            raise PermanentClearinghouseError(f"{file_name!r} is not a file name the clearinghouse takes.")
        try:
            data = x12.encode("ascii")
        except UnicodeEncodeError as error:
            raise PermanentClearinghouseError("An X12 file is ASCII text.", request_x12=x12) from error
        self._simulate_latency()
        with self._locked():
            record = self._dir("submissions") / f"{file_name}.json"
            if record.exists():
                stored = json.loads(record.read_text())["receipt"]
                return SubmissionReceipt(stored["file_name"], stored["submission_id"], stored["sha256"],
                                         datetime.fromisoformat(stored["received_at"]), already_submitted=True)  # fmt: skip
            sequence = sum(1 for _ in self._dir("submissions").glob("*.json")) + 1
            submission_id = f"SBX{sequence:06d}"
            try:
                stages = answer_837(x12, submission_id, sequence)
            except PermanentClearinghouseError as error:
                error.request_x12 = x12
                raise
            receipt = SubmissionReceipt(
                file_name, submission_id, hashlib.sha256(data).hexdigest(), self.clock()
            )
            _write_atomic(self._dir("received") / file_name, data)
            pending = self._dir("pending")
            for stage in stages:
                for document in stage:
                    _write_atomic(pending / document.name, document.text.encode("ascii"))
            state = {
                "receipt": _receipt_json(receipt),
                "released": 0,
                "stages": [[[d.kind, d.name] for d in stage] for stage in stages],
            }
            _write_atomic(record, json.dumps(state, indent=1).encode())  # the commit point
            return receipt

    def collect_responses(self) -> list[InboundDocument]:
        """Release the next stage of every submission with stages left, then return every
        document in the inbox (released and not archived), oldest first."""
        self._simulate_latency()
        with self._locked():
            pending, inbox = self._dir("pending"), self._dir("inbox")
            owners: dict[str, str] = {}
            for record in sorted(self._dir("submissions").glob("*.json")):
                state = json.loads(record.read_text())
                stages: list[list[list[str]]] = state["stages"]
                for stage in stages:
                    for _, doc_name in stage:
                        owners[doc_name] = state["receipt"]["file_name"]
                if state["released"] < len(stages):
                    state["released"] += 1
                    _write_atomic(record, json.dumps(state, indent=1).encode())
                for stage in stages[: state["released"]]:  # also finishes a release cut short
                    for _, doc_name in stage:
                        if (pending / doc_name).exists():
                            os.replace(pending / doc_name, inbox / doc_name)
            documents = []
            for path in sorted(inbox.iterdir()):
                if path.name.startswith(".") or not path.is_file():
                    continue
                kind = _kind(path.name)
                if kind is None:
                    continue
                documents.append(
                    InboundDocument(kind, path.name, path.read_text("ascii"), owners.get(path.name, ""))
                )
            return documents

    def archive(self, name: str) -> None:
        """Move a handled document out of the inbox. Archiving twice is harmless."""
        with self._locked():
            source = self._dir("inbox") / name
            target = self._dir("archive") / name
            if source.exists():
                os.replace(source, target)
            elif not target.exists():
                raise PermanentClearinghouseError(f"No document {name!r} in the sandbox mailbox.")

    # -- for screens and tests ---------------------------------------------------------------------

    def pending_stages(self, file_name: str) -> int:
        """How many stages of a submission are still to be released (0 when all are)."""
        record = self.directory / "submissions" / f"{file_name}.json"
        if not record.exists():
            raise PermanentClearinghouseError(f"No submission named {file_name!r}.")
        state = json.loads(record.read_text())
        return len(state["stages"]) - int(state["released"])


def _kind(name: str) -> DocumentKind | None:
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2] in DOCUMENT_KINDS:
        kind: DocumentKind = parts[-2]  # type: ignore[assignment]
        return kind
    return None


def sandbox_claims_adapter(
    directory: str | Path, *, debug: bool, allowed: bool, latency_ms: int = 0
) -> SandboxClaimsClearinghouse:
    """The sandbox for a deployment (settings CLAIMS_SANDBOX_DIR, DEBUG, CLAIMS_SANDBOX_ALLOWED,
    CLAIMS_SANDBOX_LATENCY_MS): refused with DEBUG off unless a demo allows it, like the
    eligibility sandbox (the system check eligibility.E002 says so at start-up too)."""
    if not (debug or allowed):
        raise PermanentClearinghouseError(
            "The sandbox clearinghouse is refused in production (it answers claims of test members only)."
        )
    return SandboxClaimsClearinghouse(Path(directory), latency_ms=latency_ms)
