"""The 277CA claim acknowledgment (005010X214): typed reader.

Per claim (HL level PT): the echoed patient control number (TRN02), the payer's claim control
number (REF*1K), the clearinghouse trace (REF*D9), every STC status (category:code:entity), the
charge and dates. Statuses at the source, receiver and provider levels are kept too (a file-level
rejection has no claim loop). Whether the sender is the clearinghouse or the payer comes from
2100A (NM1*PR, or AY for a clearinghouse; pitfall K3).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from edi.errors import X12StructureError
from edi.reader import Segment, read_interchange

ACCEPTED_CATEGORIES = {"A1", "A2", "A5"}  # received, accepted into adjudication, split
REJECTED_CATEGORIES = {"A3", "A4", "A6", "A7", "A8"}


@dataclass(frozen=True, slots=True)
class Status:
    category: str  # STC01-1, e.g. A1, A3, A7
    code: str  # STC01-2, claim status code (e.g. 562)
    entity: str  # STC01-3, entity identifier (e.g. 85 billing provider)
    effective: str  # STC02, CCYYMMDD
    action: str  # STC03, WQ accepted / U rejected
    amount: Decimal | None  # STC04
    free_text: str  # STC12
    extra: tuple[tuple[str, str, str], ...]  # STC10 / STC11 further statuses
    segment_number: int

    @property
    def accepted(self) -> bool:
        return self.category in ACCEPTED_CATEGORIES

    @property
    def rejected(self) -> bool:
        return self.category in REJECTED_CATEGORIES


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    claim_id: str  # TRN02, our CLM01 echoed
    payer_claim_control_number: str  # REF*1K
    clearinghouse_trace: str  # REF*D9
    statuses: tuple[Status, ...]
    charge: Decimal | None
    patient_last_name: str
    segment_number: int  # the HL of the claim

    @property
    def rejected(self) -> bool:
        return any(status.rejected for status in self.statuses)


@dataclass(frozen=True, slots=True)
class Ack277CA:
    sender_name: str
    sender_qualifier: str  # NM1 entity of 2100A: PR payer, AY clearinghouse, 41 submitter
    sender_id: str
    level_statuses: tuple[tuple[str, Status], ...]  # (HL level code, status) above the claims
    claims: tuple[ClaimStatus, ...]

    @property
    def from_clearinghouse(self) -> bool:
        return self.sender_qualifier == "AY"


def _decimal(segment: Segment, index: int) -> Decimal | None:
    value = segment.get(index)
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise X12StructureError(f"{value!r} is not an amount", segment_number=segment.number,
                                segment_id=segment.id, position=segment.position, element=index) from None  # fmt: skip


def _status(segment: Segment) -> Status:
    parts = segment.components(1)
    if len(parts) < 2 or not parts[0]:
        raise X12StructureError("STC01 needs a category and a status code", segment_number=segment.number,
                                segment_id="STC", position=segment.position, element=1)  # fmt: skip
    extra = []
    for index in (10, 11):
        more = segment.components(index)
        if more:
            extra.append((more[0], more[1] if len(more) > 1 else "", more[2] if len(more) > 2 else ""))
    return Status(parts[0], parts[1], parts[2] if len(parts) > 2 else "", segment.get(2), segment.get(3),
                  _decimal(segment, 4), segment.get(12), tuple(extra), segment.number)  # fmt: skip


def read_277ca(text: str) -> list[Ack277CA]:
    interchange = read_interchange(text)
    result = []
    for transaction in interchange.transactions:
        if transaction.set_id != "277":
            raise X12StructureError(f"a 277 was expected, this is a {transaction.set_id}",
                                    segment_number=transaction.header.number, segment_id="ST",
                                    position=transaction.header.position)  # fmt: skip
        result.append(_read_one(transaction.segments))
    return result


def _read_one(segments: tuple[Segment, ...]) -> Ack277CA:
    sender: Segment | None = None
    level = ""
    level_statuses: list[tuple[str, Status]] = []
    claims: list[ClaimStatus] = []
    current: dict[str, object] | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            hl = current["hl"]
            if not isinstance(hl, Segment):  # pragma: no cover (always the HL)
                raise TypeError(hl)
            if not current["claim_id"]:
                raise X12StructureError("the claim level has no TRN*2 (the claim id echo)",
                                        segment_number=hl.number, segment_id="HL", position=hl.position)  # fmt: skip
            claims.append(ClaimStatus(str(current["claim_id"]), str(current["1K"]), str(current["D9"]),
                                      tuple(current["statuses"]), current["charge"],  # type: ignore[arg-type]
                                      str(current["last"]), hl.number))  # fmt: skip
        current = None

    for segment in segments:
        if segment.id == "HL":
            close()
            level = segment.get(3)
            if level == "PT":
                current = {"hl": segment, "claim_id": "", "1K": "", "D9": "", "statuses": [], "charge": None,
                           "last": ""}  # fmt: skip
        elif segment.id == "NM1" and level == "20" and sender is None:
            sender = segment
        elif current is not None:
            if segment.id == "TRN":
                current["claim_id"] = segment.get(2)
            elif segment.id == "STC":
                status = _status(segment)
                current["statuses"].append(status)  # type: ignore[attr-defined]
                if current["charge"] is None:
                    current["charge"] = status.amount
            elif segment.id == "REF" and segment.get(1) in {"1K", "D9"}:
                current[segment.get(1)] = segment.get(2)
            elif segment.id == "NM1" and segment.get(1) == "QC":
                current["last"] = segment.get(3)
        elif segment.id == "STC":
            level_statuses.append((level, _status(segment)))
    close()
    if sender is None:
        raise X12StructureError("the 277CA has no information source (HL 20 NM1)")
    return Ack277CA(sender.get(3), sender.get(1), sender.get(9), tuple(level_statuses), tuple(claims))
