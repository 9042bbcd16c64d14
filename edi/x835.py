"""The 835 health care claim payment/advice (005010X221A1): typed models, parser, balancing.

`parse_835(text)` reads every 835 transaction set of an interchange into `Remittance835`:
per transaction the payment (BPR), trace (TRN), payer (N1*PR) and payee (N1*PE), the claims
(CLP, grouped under LX headers) with their people (NM1), MIA/MOA, claim-level CAS, AMT/QTY,
REF and DTM, their service lines (SVC with the original code when the payer changed it, line
CAS, REF*6R, DTM, AMT, LQ remarks) and the provider-level adjustments (PLB). Money is Decimal
to the cent; reversals (CLP02 22) keep the payer's negative amounts.

Malformed input raises an `X12Error` naming the segment number, its id, its character position
and the element; nothing else escapes (the property tests feed it thousands of mutated files).

Balancing is three pure functions that return what is off and by how much rather than raising:
`transaction_imbalance` (BPR02 = sum CLP04 - sum PLB), `claim_imbalance` (CLP03 = CLP04 + every
CAS of the claim and its lines) and `line_imbalance` (SVC02 = SVC03 + the line's CAS). AMT
(allowed amounts and the like) is informational and never part of the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from edi.errors import X12Error, X12StructureError
from edi.reader import Segment, Transaction, read_interchange
from edi.values import decimal_element, parse_date, structure_error

ZERO = Decimal("0.00")
# CAS01. OA is the 5010 "other adjustments" group; "OI" (an 837 segment, not a group) and CR
# (corrections, retired in 5010 but still sent) are read as sent, never refused.
GROUP_CODES = frozenset({"CO", "PR", "OA", "PI", "CR"})
STATUS_REVERSAL = "22"
STATUS_DENIED = "4"
# CLP02 claim status codes.
CLAIM_STATUSES = {
    "1": "Processed as primary",
    "2": "Processed as secondary",
    "3": "Processed as tertiary",
    "4": "Denied",
    "19": "Processed as primary, forwarded to another payer",
    "20": "Processed as secondary, forwarded to another payer",
    "21": "Processed as tertiary, forwarded to another payer",
    "22": "Reversal of previous payment",
    "23": "Not our claim, forwarded to another payer",
    "25": "Predetermination pricing only, no payment",
}
_CAS_TRIPLETS = 6
_PLB_PAIRS = 6


# -- models ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Party:
    """N1 loop (payer or payee), or an NM1 person/organisation."""

    entity_code: str
    name: str
    first_name: str = ""
    id_qualifier: str = ""
    id: str = ""
    npi: str = ""
    tax_id: str = ""
    references: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One CAS triplet: group (CO, PR, OA, PI, CR), reason (CARC), amount, quantity."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None
    segment_number: int


@dataclass(frozen=True, slots=True)
class DatedValue:
    qualifier: str
    value: date


@dataclass(frozen=True, slots=True)
class Amount:
    qualifier: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Quantity:
    qualifier: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class Procedure:
    """SVC01 or SVC06 composite: HC:90837:95 -> qualifier HC, code 90837, modifiers (95,)."""

    qualifier: str
    code: str
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceLine:
    procedure: Procedure
    charge: Decimal
    paid: Decimal
    revenue_code: str
    units: Decimal | None
    original_procedure: Procedure | None  # SVC06: what we billed, when the payer changed it
    original_units: Decimal | None
    adjustments: tuple[Adjustment, ...]
    control_number: str  # REF*6R, our line item control number from the 837
    references: tuple[tuple[str, str], ...]
    dates: tuple[DatedValue, ...]
    amounts: tuple[Amount, ...]
    quantities: tuple[Quantity, ...]
    remarks: tuple[str, ...]  # LQ*HE RARCs
    segment_number: int

    @property
    def billed_procedure(self) -> Procedure:
        return self.original_procedure or self.procedure

    @property
    def service_date(self) -> date | None:
        for wanted in ("472", "150"):
            for item in self.dates:
                if item.qualifier == wanted:
                    return item.value
        return None

    @property
    def allowed(self) -> Decimal | None:
        return next((a.amount for a in self.amounts if a.qualifier == "B6"), None)


@dataclass(frozen=True, slots=True)
class ClaimPayment:
    patient_control_number: str  # CLP01, our claim's id
    status: str  # CLP02
    charge: Decimal  # CLP03
    paid: Decimal  # CLP04
    patient_responsibility: Decimal | None  # CLP05
    filing_indicator: str  # CLP06
    payer_claim_control_number: str  # CLP07
    facility_code: str  # CLP08
    frequency_code: str  # CLP09
    header_number: str  # the LX this claim sits under ("" without LX)
    patient: Party | None
    insured: Party | None
    corrected_insured: Party | None  # NM1*74 (a new member ID, R16)
    rendering: Party | None
    crossover_carrier: Party | None  # NM1*TT (forwarded to the secondary, R15)
    other_people: tuple[Party, ...]
    inpatient_remarks: tuple[str, ...]  # MIA remark codes
    outpatient_remarks: tuple[str, ...]  # MOA remark codes
    adjustments: tuple[Adjustment, ...]  # claim-level CAS
    references: tuple[tuple[str, str], ...]
    dates: tuple[DatedValue, ...]
    amounts: tuple[Amount, ...]
    quantities: tuple[Quantity, ...]
    lines: tuple[ServiceLine, ...]
    segment_number: int

    @property
    def is_reversal(self) -> bool:
        return self.status == STATUS_REVERSAL

    @property
    def is_denied(self) -> bool:
        return self.status == STATUS_DENIED

    @property
    def remarks(self) -> tuple[str, ...]:
        return self.inpatient_remarks + self.outpatient_remarks


@dataclass(frozen=True, slots=True)
class ProviderAdjustment:
    """One PLB reason/amount pair. A positive amount is taken from the payment (a recoupment,
    WO overpayment recovery, FB forward balance); a negative one adds to it (L6 interest)."""

    provider_id: str
    fiscal_period_end: date | None
    reason: str
    reference: str
    amount: Decimal
    segment_number: int


@dataclass(frozen=True, slots=True)
class Payment835:
    control_number: str
    handling_code: str  # BPR01: I remittance with payment, H notification only...
    payment_amount: Decimal  # BPR02
    credit_debit: str  # BPR03
    payment_method: str  # BPR04: ACH, CHK, NON...
    payment_date: date | None  # BPR16
    trace_number: str  # TRN02 (check or EFT number)
    trace_originator: str  # TRN03
    production_date: date | None  # DTM*405
    warnings: tuple[str, ...]  # tolerated defects in informational fields (an impossible BPR16)
    payer: Party | None
    payee: Party | None
    claims: tuple[ClaimPayment, ...]
    provider_adjustments: tuple[ProviderAdjustment, ...]
    segment_number: int

    @property
    def payer_id(self) -> str:
        if self.payer is not None:
            for qualifier, value in self.payer.references:
                if qualifier == "2U":
                    return value
            if self.payer.id:
                return self.payer.id
        return self.trace_originator


@dataclass(frozen=True, slots=True)
class Remittance835:
    transactions: tuple[Payment835, ...]
    interchange_control_number: str


# -- parsing --------------------------------------------------------------------------------------


def _money(segment: Segment, element: int, *, required: bool = False) -> Decimal | None:
    value = decimal_element(segment, element, money=True)
    if value is None and required:
        raise structure_error(segment, "an amount is required here", element)
    return value


def _required_money(segment: Segment, element: int) -> Decimal:
    value = _money(segment, element, required=True)
    assert value is not None  # noqa: S101 (checked above)
    return value


def _quantity(segment: Segment, element: int) -> Decimal | None:
    return decimal_element(segment, element, money=False)


def _date(segment: Segment, element: int) -> date | None:
    text = segment.get(element)
    return parse_date(segment, text, element) if text else None


def _lenient_date(segment: Segment, element: int, warnings: list[str]) -> date | None:
    """An informational date: an impossible one becomes None and a located warning."""
    try:
        return _date(segment, element)
    except X12StructureError as error:
        warnings.append(str(error))
        return None


def _procedure(segment: Segment, element: int) -> Procedure | None:
    parts = segment.components(element)
    if not parts:
        return None
    if len(parts) == 1:  # a sender using another component separator than ISA16 declares
        for other in ":>^":
            if other in parts[0]:
                parts = parts[0].split(other)
                break
    if len(parts) < 2 or not parts[1]:
        raise structure_error(segment, "a procedure needs a qualifier and a code (HC:90837)", element)
    return Procedure(parts[0], parts[1], tuple(p for p in parts[2:6] if p))


def _adjustments(segment: Segment) -> list[Adjustment]:
    group = segment.get(1)
    if not group:
        raise structure_error(segment, "CAS01 (the adjustment group) is empty", 1)
    found: list[Adjustment] = []
    for index in range(_CAS_TRIPLETS):
        reason_at = 2 + index * 3
        reason = segment.get(reason_at)
        amount_text = segment.get(reason_at + 1)
        if not reason and not amount_text:
            continue
        if not reason:
            raise structure_error(segment, "an adjustment amount without its reason code", reason_at)
        amount = _money(segment, reason_at + 1, required=True)
        assert amount is not None  # noqa: S101
        found.append(Adjustment(group, reason, amount, _quantity(segment, reason_at + 2), segment.number))
    if not found:
        raise structure_error(segment, "a CAS without any reason and amount", 2)
    if len(segment.elements) > 1 + _CAS_TRIPLETS * 3:
        raise structure_error(segment, "more than six adjustments in one CAS", 20)
    return found


def _party_n1(segment: Segment) -> _PartyDraft:
    draft = _PartyDraft(segment.get(1), segment.get(2))
    draft.id_qualifier, draft.id = segment.get(3), segment.get(4)
    return draft


class _PartyDraft:
    __slots__ = ("entity_code", "first_name", "id", "id_qualifier", "name", "references")

    def __init__(self, entity_code: str, name: str) -> None:
        self.entity_code = entity_code
        self.name = name
        self.first_name = ""
        self.id_qualifier = ""
        self.id = ""
        self.references: list[tuple[str, str]] = []

    def build(self) -> Party:
        npi = self.id if self.id_qualifier == "XX" else ""
        tax_id = self.id if self.id_qualifier == "FI" else ""
        for qualifier, value in self.references:
            if qualifier == "TJ" and not tax_id:
                tax_id = value
            if qualifier == "HPI" and not npi:
                npi = value
        return Party(
            self.entity_code,
            self.name,
            self.first_name,
            self.id_qualifier,
            self.id,
            npi,
            tax_id,
            tuple(self.references),
        )


def _person(segment: Segment) -> Party:
    qualifier, value = segment.get(8), segment.get(9)
    return Party(
        entity_code=segment.get(1),
        name=segment.get(3),
        first_name=segment.get(4),
        id_qualifier=qualifier,
        id=value,
        npi=value if qualifier == "XX" else "",
        tax_id=value if qualifier == "FI" else "",
    )


class _LineDraft:
    def __init__(self, segment: Segment) -> None:
        self.segment = segment
        self.adjustments: list[Adjustment] = []
        self.control_number = ""
        self.references: list[tuple[str, str]] = []
        self.dates: list[DatedValue] = []
        self.amounts: list[Amount] = []
        self.quantities: list[Quantity] = []
        self.remarks: list[str] = []

    def build(self) -> ServiceLine:
        svc = self.segment
        procedure = _procedure(svc, 1)
        if procedure is None:
            raise structure_error(svc, "SVC01 (the procedure) is empty", 1)
        return ServiceLine(
            procedure=procedure,
            charge=_required_money(svc, 2),
            paid=_required_money(svc, 3),
            revenue_code=svc.get(4),
            units=_quantity(svc, 5),
            original_procedure=_procedure(svc, 6),
            original_units=_quantity(svc, 7),
            adjustments=tuple(self.adjustments),
            control_number=self.control_number,
            references=tuple(self.references),
            dates=tuple(self.dates),
            amounts=tuple(self.amounts),
            quantities=tuple(self.quantities),
            remarks=tuple(self.remarks),
            segment_number=svc.number,
        )


class _ClaimDraft:
    def __init__(self, segment: Segment, header_number: str) -> None:
        self.segment = segment
        self.header_number = header_number
        self.people: dict[str, Party] = {}
        self.other_people: list[Party] = []
        self.mia: list[str] = []
        self.moa: list[str] = []
        self.adjustments: list[Adjustment] = []
        self.references: list[tuple[str, str]] = []
        self.dates: list[DatedValue] = []
        self.amounts: list[Amount] = []
        self.quantities: list[Quantity] = []
        self.lines: list[_LineDraft] = []

    def build(self) -> ClaimPayment:
        clp = self.segment
        if not clp.get(1):
            raise structure_error(clp, "CLP01 (the patient control number) is empty", 1)
        if not clp.get(2):
            raise structure_error(clp, "CLP02 (the claim status) is empty", 2)
        return ClaimPayment(
            patient_control_number=clp.get(1),
            status=clp.get(2),
            charge=_required_money(clp, 3),
            paid=_required_money(clp, 4),
            patient_responsibility=_money(clp, 5),
            filing_indicator=clp.get(6),
            payer_claim_control_number=clp.get(7),
            facility_code=clp.get(8),
            frequency_code=clp.get(9),
            header_number=self.header_number,
            patient=self.people.get("QC"),
            insured=self.people.get("IL"),
            corrected_insured=self.people.get("74"),
            rendering=self.people.get("82"),
            crossover_carrier=self.people.get("TT"),
            other_people=tuple(self.other_people),
            inpatient_remarks=tuple(self.mia),
            outpatient_remarks=tuple(self.moa),
            adjustments=tuple(self.adjustments),
            references=tuple(self.references),
            dates=tuple(self.dates),
            amounts=tuple(self.amounts),
            quantities=tuple(self.quantities),
            lines=tuple(line.build() for line in self.lines),
            segment_number=clp.number,
        )


def _remark_codes(segment: Segment, elements: tuple[int, ...]) -> list[str]:
    return [segment.get(i) for i in elements if segment.get(i)]


_MIA_REMARKS = (5, 20, 21, 22, 23)
_MOA_REMARKS = (3, 4, 5, 6, 7)


def _plb(segment: Segment) -> list[ProviderAdjustment]:
    provider_id = segment.get(1)
    fiscal = _date(segment, 2)
    found: list[ProviderAdjustment] = []
    for index in range(_PLB_PAIRS):
        at = 3 + index * 2
        if not segment.get(at) and not segment.get(at + 1):
            continue
        parts = segment.components(at)
        reason = parts[0] if parts else ""
        if not reason:
            raise structure_error(segment, "a provider adjustment without its reason code", at)
        amount = _money(segment, at + 1, required=True)
        assert amount is not None  # noqa: S101
        reference = segment.delimiters.component.join(parts[1:]) if len(parts) > 1 else ""
        found.append(ProviderAdjustment(provider_id, fiscal, reason, reference, amount, segment.number))
    if not found:
        raise structure_error(segment, "a PLB without any adjustment", 3)
    return found


def _parse_transaction(transaction: Transaction) -> Payment835:
    if transaction.set_id != "835":
        raise structure_error(transaction.header, f"an 835 was expected, this is a {transaction.set_id}", 1)
    bpr: Segment | None = None
    trn: Segment | None = None
    production: date | None = None
    payer: _PartyDraft | None = None
    payee: _PartyDraft | None = None
    party: _PartyDraft | None = None  # the N1 loop being read (1000A/1000B)
    header = ""
    claims: list[_ClaimDraft] = []
    claim: _ClaimDraft | None = None
    line: _LineDraft | None = None
    plbs: list[ProviderAdjustment] = []
    warnings: list[str] = []
    for segment in transaction.segments:
        sid = segment.id
        if sid == "BPR":
            if bpr is not None:
                raise structure_error(segment, "a second BPR in one transaction")
            bpr = segment
        elif sid == "TRN":
            if trn is None:
                trn = segment
        elif sid == "PLB":
            plbs.extend(_plb(segment))
            claim, line = None, None
        elif sid == "N1" and claim is None:
            party = _party_n1(segment)
            first = {"PR": payer, "PE": payee}.get(party.entity_code)
            if first is not None:  # R18: a payer/payee repeated with a name variant
                warnings.append(
                    f"N1*{party.entity_code} repeated as {party.name!r}: the first, {first.name!r}, is kept"
                )
                party = first  # its REFs (2U, TJ) still belong to the one payer/payee
            elif party.entity_code == "PR":
                payer = party
            elif party.entity_code == "PE":
                payee = party
        elif sid == "LX":
            header = segment.get(1)
            claim, line, party = None, None, None
        elif sid == "CLP":
            if bpr is None:
                raise structure_error(segment, "a claim (CLP) before the payment (BPR)")
            claim = _ClaimDraft(segment, header)
            claims.append(claim)
            line, party = None, None
        elif claim is None:
            if sid == "REF" and party is not None:
                party.references.append((segment.get(1), segment.get(2)))
            elif sid == "DTM" and segment.get(1) == "405":
                production = _lenient_date(segment, 2, warnings)
            elif sid in {"CAS", "SVC", "NM1", "MIA", "MOA"}:
                raise structure_error(segment, f"{sid} outside a claim (no CLP before it)")
        elif sid == "SVC":
            line = _LineDraft(segment)
            claim.lines.append(line)
        elif sid == "CAS":
            (line.adjustments if line is not None else claim.adjustments).extend(_adjustments(segment))
        elif sid == "REF":
            pair = (segment.get(1), segment.get(2))
            if line is None:
                claim.references.append(pair)
            elif pair[0] == "6R":
                line.control_number = pair[1]
            else:
                line.references.append(pair)
        elif sid == "DTM":
            value = _date(segment, 2)
            if value is not None:
                target = line.dates if line is not None else claim.dates
                target.append(DatedValue(segment.get(1), value))
        elif sid == "AMT":
            amount = _required_money(segment, 2)
            (line.amounts if line is not None else claim.amounts).append(Amount(segment.get(1), amount))
        elif sid == "QTY":
            quantity = _quantity(segment, 2)
            if quantity is None:
                raise structure_error(segment, "a QTY without its quantity", 2)
            target_q = line.quantities if line is not None else claim.quantities
            target_q.append(Quantity(segment.get(1), quantity))
        elif sid == "LQ" and line is not None:
            if segment.get(1) == "HE" and segment.get(2):
                line.remarks.append(segment.get(2))
        elif sid == "NM1" and line is None:
            person = _person(segment)
            if person.entity_code in claim.people:
                claim.other_people.append(person)
            else:
                claim.people[person.entity_code] = person
        elif sid == "MIA" and line is None:
            claim.mia.extend(_remark_codes(segment, _MIA_REMARKS))
        elif sid == "MOA" and line is None:
            claim.moa.extend(_remark_codes(segment, _MOA_REMARKS))
    if bpr is None:
        raise structure_error(transaction.header, "the 835 has no BPR (financial information)")
    if trn is None:
        raise structure_error(transaction.header, "the 835 has no TRN (reassociation trace number)")
    if not trn.get(2):
        raise structure_error(trn, "TRN02 (the check or EFT trace number) is empty", 2)
    return Payment835(
        control_number=transaction.control_number,
        handling_code=bpr.get(1),
        payment_amount=_required_money(bpr, 2),
        credit_debit=bpr.get(3),
        payment_method=bpr.get(4),
        payment_date=_lenient_date(bpr, 16, warnings),
        trace_number=trn.get(2),
        trace_originator=trn.get(3),
        production_date=production,
        warnings=tuple(warnings),
        payer=payer.build() if payer else None,
        payee=payee.build() if payee else None,
        claims=tuple(draft.build() for draft in claims),
        provider_adjustments=tuple(plbs),
        segment_number=bpr.number,
    )


def parse_835(text: str) -> Remittance835:
    """Every 835 transaction set of `text`. Raises an X12Error naming segment and position."""
    try:
        interchange = read_interchange(text)
    except IndexError as exc:  # defensive: the reader is total, this keeps the contract if not
        raise X12StructureError(f"unreadable interchange ({exc})") from None
    if not interchange.transactions:
        raise X12StructureError(
            "the file holds no transaction set",
            segment_number=interchange.isa.number,
            segment_id="ISA",
            position=interchange.isa.position,
        )
    return Remittance835(
        transactions=tuple(_parse_transaction(t) for t in interchange.transactions),
        interchange_control_number=interchange.isa.get(13),
    )


def read_835(text: str) -> tuple[Remittance835 | None, X12Error | None]:
    """`parse_835` without raising: (remittance, None) or (None, the located error)."""
    try:
        return parse_835(text), None
    except X12Error as error:
        return None, error


# -- balancing ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Imbalance:
    """What does not add up: `expected` is what the rule computes, `actual` what was sent,
    `difference` = actual - expected."""

    level: str  # transaction, claim, line
    key: str  # trace number, CLP01, CLP01 + line index
    expected: Decimal
    actual: Decimal
    segment_number: int
    rule: str = ""
    line_index: int | None = None

    @property
    def difference(self) -> Decimal:
        return self.actual - self.expected


def _total(adjustments: tuple[Adjustment, ...]) -> Decimal:
    return sum((a.amount for a in adjustments), ZERO)


def transaction_imbalance(payment: Payment835) -> Imbalance | None:
    """BPR02 = sum CLP04 - sum PLB amounts."""
    expected = sum((c.paid for c in payment.claims), ZERO) - sum(
        (p.amount for p in payment.provider_adjustments), ZERO
    )
    if expected == payment.payment_amount:
        return None
    return Imbalance(
        "transaction",
        payment.trace_number,
        expected,
        payment.payment_amount,
        payment.segment_number,
        "BPR02 = sum of CLP04 - sum of PLB",
    )


def claim_imbalance(claim: ClaimPayment) -> Imbalance | None:
    """CLP03 (billed) = CLP04 (paid) + claim-level CAS + every line's CAS."""
    adjustments = _total(claim.adjustments) + sum((_total(line.adjustments) for line in claim.lines), ZERO)
    actual = claim.paid + adjustments
    if actual == claim.charge:
        return None
    return Imbalance(
        "claim",
        claim.patient_control_number,
        claim.charge,
        actual,
        claim.segment_number,
        "CLP03 = CLP04 + adjustments",
    )


def line_imbalance(claim: ClaimPayment, index: int) -> Imbalance | None:
    """SVC02 (charge) = SVC03 (paid) + the line's CAS."""
    line = claim.lines[index]
    actual = line.paid + _total(line.adjustments)
    if actual == line.charge:
        return None
    return Imbalance(
        "line",
        f"{claim.patient_control_number}#{index + 1}",
        line.charge,
        actual,
        line.segment_number,
        "SVC02 = SVC03 + adjustments",
        index,
    )


def imbalances(payment: Payment835) -> list[Imbalance]:
    """Every imbalance of one transaction: its total, each claim, each line."""
    found: list[Imbalance] = []
    top = transaction_imbalance(payment)
    if top is not None:
        found.append(top)
    for claim in payment.claims:
        off = claim_imbalance(claim)
        if off is not None:
            found.append(off)
        for index in range(len(claim.lines)):
            line_off = line_imbalance(claim, index)
            if line_off is not None:
                found.append(line_off)
    return found
