"""Read an 837P back into a small typed summary: what a clearinghouse (the sandbox) needs to
answer it, per transaction set and claim. Not a full 837 model: the envelope, submitter and
receiver, and per claim its billing provider, subscriber, payer, CLM, references and service
lines (SV1, DTP*472, REF*6R).

Raises an `X12Error` naming the segment on anything it cannot read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from edi.errors import X12StructureError
from edi.reader import Segment, Transaction, read_interchange
from edi.values import decimal_element, parse_date, structure_error


@dataclass(frozen=True, slots=True)
class Line837:
    number: int  # LX01
    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    units: Decimal
    service_date: date | None
    control_number: str  # REF*6R, "" when absent


@dataclass(frozen=True, slots=True)
class Claim837:
    claim_id: str  # CLM01
    charge: Decimal  # CLM02
    place_of_service: str
    frequency: str
    responsibility: str  # SBR01 of the destination payer
    claim_filing: str  # SBR09
    member_id: str  # NM1*IL NM109
    subscriber_last: str
    subscriber_first: str
    patient_last: str  # the patient (2010CA when present, else the subscriber)
    patient_first: str
    payer_name: str
    payer_id: str
    billing_name: str
    billing_npi: str
    prior_authorization: str  # REF*G1
    payer_claim_number: str  # REF*F8 on a replacement or void
    lines: tuple[Line837, ...]
    clm_position: int  # the CLM's position in its transaction set (ST = 1)
    subscriber_position: int  # the NM1*IL's position in its transaction set

    @property
    def first_date(self) -> date | None:
        dates = [line.service_date for line in self.lines if line.service_date is not None]
        return min(dates) if dates else None

    @property
    def last_date(self) -> date | None:
        dates = [line.service_date for line in self.lines if line.service_date is not None]
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class Transaction837:
    control_number: str  # ST02
    reference: str  # BHT03
    claims: tuple[Claim837, ...]


@dataclass(frozen=True, slots=True)
class File837:
    sender_qualifier: str
    sender_id: str  # ISA06
    receiver_qualifier: str
    receiver_id: str  # ISA08
    interchange_control_number: str  # ISA13
    group_control_number: str  # GS06
    created: datetime  # GS04/GS05
    usage: str  # ISA15
    submitter_name: str  # NM1*41
    submitter_id: str
    receiver_name: str  # NM1*40
    transactions: tuple[Transaction837, ...] = field(default=())

    @property
    def claims(self) -> tuple[Claim837, ...]:
        return tuple(claim for transaction in self.transactions for claim in transaction.claims)


class _ClaimDraft:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.clm: Segment | None = None
        self.subscriber_position = 0
        self.lines: list[Line837] = []
        self.line: dict[str, object] | None = None


def _line(draft: dict[str, object]) -> Line837:
    sv1 = draft.get("sv1")
    if not isinstance(sv1, Segment):
        raise X12StructureError(f"service line {draft['number']} has no SV1")
    parts = sv1.components(1)
    if len(parts) < 2 or not parts[1]:
        raise structure_error(sv1, "SV101 needs a qualifier and a code", 1)
    charge = decimal_element(sv1, 2, money=True)
    if charge is None:
        raise structure_error(sv1, "SV102 (the charge) is empty", 2)
    units = decimal_element(sv1, 4, money=False) or Decimal(1)
    service_date = draft.get("date")
    return Line837(
        number=int(str(draft["number"])),
        code=parts[1],
        modifiers=tuple(p for p in parts[2:6] if p),
        charge=charge,
        units=units,
        service_date=service_date if isinstance(service_date, date) else None,
        control_number=str(draft.get("6R", "")),
    )


def _claim(draft: _ClaimDraft) -> Claim837:
    clm = draft.clm
    assert clm is not None  # noqa: S101
    if draft.line is not None:
        draft.lines.append(_line(draft.line))
        draft.line = None
    if not clm.get(1):
        raise structure_error(clm, "CLM01 (the patient control number) is empty", 1)
    charge = decimal_element(clm, 2, money=True)
    if charge is None:
        raise structure_error(clm, "CLM02 (the total charge) is empty", 2)
    facility = clm.components(5)
    v = draft.values
    return Claim837(
        claim_id=clm.get(1),
        charge=charge,
        place_of_service=facility[0] if facility else "",
        frequency=facility[2] if len(facility) > 2 else "1",
        responsibility=v.get("sbr01", "P"),
        claim_filing=v.get("sbr09", ""),
        member_id=v.get("member_id", ""),
        subscriber_last=v.get("sub_last", ""),
        subscriber_first=v.get("sub_first", ""),
        patient_last=v.get("pat_last", v.get("sub_last", "")),
        patient_first=v.get("pat_first", v.get("sub_first", "")),
        payer_name=v.get("payer_name", ""),
        payer_id=v.get("payer_id", ""),
        billing_name=v.get("billing_name", ""),
        billing_npi=v.get("billing_npi", ""),
        prior_authorization=v.get("G1", ""),
        payer_claim_number=v.get("F8", ""),
        lines=tuple(draft.lines),
        clm_position=clm.number,
        subscriber_position=draft.subscriber_position,
    )


def _transaction(transaction: Transaction) -> tuple[Transaction837, tuple[str, str, str]]:
    if transaction.set_id != "837":
        raise structure_error(transaction.header, f"an 837 was expected, this is a {transaction.set_id}", 1)
    first = transaction.header.number
    reference = ""
    parties = ["", "", ""]  # submitter name, submitter id, receiver name
    billing: dict[str, str] = {}
    subscriber: dict[str, str] = {}
    patient: dict[str, str] = {}
    loop = ""  # the HL level being read: 20, 22, 23
    in_other_payer = False  # 2320/2330: SBR, NM1 of the other payers
    claims: list[Claim837] = []
    draft: _ClaimDraft | None = None
    for segment in transaction.segments:
        sid = segment.id
        position = segment.number - first + 1
        if sid == "BHT":
            reference = segment.get(3)
        elif sid == "HL":
            if draft is not None:
                claims.append(_claim(draft))
                draft = None
            loop = segment.get(3)
            in_other_payer = False
            if loop == "20":
                billing = {}
            if loop in {"20", "22"}:
                subscriber, patient = {}, {}
            if loop == "23":
                patient = {}
        elif loop == "" and sid == "NM1":
            if segment.get(1) == "41":
                parties[0], parties[1] = segment.get(3), segment.get(9)
            elif segment.get(1) == "40":
                parties[2] = segment.get(3)
        elif sid == "NM1" and loop == "20" and segment.get(1) == "85":
            billing = {"billing_name": segment.get(3), "billing_npi": segment.get(9)}
        elif sid == "SBR" and draft is None and loop == "22":
            subscriber["sbr01"], subscriber["sbr09"] = segment.get(1), segment.get(9)
        elif sid == "NM1" and draft is None and loop == "22":
            if segment.get(1) == "IL":
                subscriber.update(member_id=segment.get(9), sub_last=segment.get(3), sub_first=segment.get(4),
                                  position=str(position))  # fmt: skip
            elif segment.get(1) == "PR":
                subscriber.update(payer_name=segment.get(3), payer_id=segment.get(9))
        elif sid == "NM1" and draft is None and loop == "23" and segment.get(1) == "QC":
            patient.update(pat_last=segment.get(3), pat_first=segment.get(4))
        elif sid == "CLM":
            if draft is not None:
                claims.append(_claim(draft))
            if loop not in {"22", "23"}:
                raise structure_error(segment, "a claim (CLM) outside a subscriber or patient level")
            draft = _ClaimDraft()
            draft.clm = segment
            draft.values = {**billing, **subscriber, **patient}
            draft.subscriber_position = int(subscriber.get("position", "0"))
            in_other_payer = False
        elif draft is None:
            continue
        elif sid == "SBR":
            in_other_payer = True
        elif sid == "REF" and draft.line is None and not in_other_payer and segment.get(1) in {"G1", "F8"}:
            draft.values[segment.get(1)] = segment.get(2)
        elif sid == "LX":
            if draft.line is not None:
                draft.lines.append(_line(draft.line))
            draft.line = {"number": segment.get(1) if segment.get(1).isdigit() else len(draft.lines) + 2}
        elif draft.line is not None:
            if sid == "SV1":
                draft.line["sv1"] = segment
            elif sid == "DTP" and segment.get(1) == "472":
                text = segment.get(3).split("-")[0]
                draft.line["date"] = parse_date(segment, text, 3)
            elif sid == "REF" and segment.get(1) == "6R":
                draft.line["6R"] = segment.get(2)
    if draft is not None:
        claims.append(_claim(draft))
    return Transaction837(transaction.control_number, reference, tuple(claims)), (
        parties[0],
        parties[1],
        parties[2],
    )


def read_837p(text: str) -> File837:
    """The summary of every 837P transaction set in `text`. Raises X12Error."""
    interchange = read_interchange(text)
    if not interchange.transactions:
        raise X12StructureError("the file holds no transaction set", segment_number=1, segment_id="ISA")
    isa = interchange.isa
    gs = interchange.groups[0][0]
    read = [_transaction(transaction) for transaction in interchange.transactions]
    for parsed, _ in read:
        for claim in parsed.claims:
            if not claim.lines:
                raise X12StructureError(f"claim {claim.claim_id} has no service line (SV1)")
    submitter_name, submitter_id, receiver_name = read[0][1]
    try:
        created = datetime.strptime(gs.get(4) + gs.get(5)[:4], "%Y%m%d%H%M")  # noqa: DTZ007 (X12 local time)
    except ValueError:
        raise structure_error(gs, "GS04/GS05 is not a date and time", 4) from None
    return File837(
        sender_qualifier=isa.get(5),
        sender_id=isa.get(6).strip(),
        receiver_qualifier=isa.get(7),
        receiver_id=isa.get(8).strip(),
        interchange_control_number=isa.get(13),
        group_control_number=gs.get(6),
        created=created,
        usage=isa.get(15),
        submitter_name=submitter_name,
        submitter_id=submitter_id,
        receiver_name=receiver_name,
        transactions=tuple(parsed for parsed, _ in read),
    )
