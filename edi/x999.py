"""The 999 implementation acknowledgment (005010X231A1): typed reader.

Per transaction set (AK2/IK5): accepted, accepted with errors, or rejected, with every IK3
segment error and its IK4 element errors (pitfall K1: a partial AK9*P is per set, never
all-or-nothing). Each result keeps the segment number of the 999 segment it came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from edi.errors import X12StructureError
from edi.reader import Segment, read_interchange

ACCEPTED = {"A", "E"}  # IK5/AK9: A accepted, E accepted with errors noted
SET_STATUS = {"A": "accepted", "E": "accepted with errors", "R": "rejected", "M": "rejected (MAC failed)",
              "W": "rejected (assurance failed)", "X": "rejected (content after decryption)"}  # fmt: skip
GROUP_STATUS = {"A": "accepted", "E": "accepted with errors", "P": "partially accepted", "R": "rejected",
                "M": "rejected (MAC failed)", "W": "rejected (assurance failed)", "X": "rejected"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ElementError:
    position: str  # IK401, as "2" or "5:3" (element:component)
    reference: str  # IK402, the data element number
    code: str  # IK403
    bad_value: str  # IK404
    segment_number: int


@dataclass(frozen=True, slots=True)
class SegmentError:
    segment_id: str  # IK301
    position: int  # IK302, the segment's position in the transaction set (ST = 1)
    loop: str  # IK303
    code: str  # IK304
    elements: tuple[ElementError, ...]
    segment_number: int


@dataclass(frozen=True, slots=True)
class SetResult:
    set_id: str  # AK201
    control_number: str  # AK202, the ST02 of the acknowledged set
    status: str  # IK501
    codes: tuple[str, ...]  # IK502..
    errors: tuple[SegmentError, ...]
    segment_number: int

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED

    @property
    def status_label(self) -> str:
        return SET_STATUS.get(self.status, self.status)


@dataclass(frozen=True, slots=True)
class Ack999:
    functional_id: str  # AK101
    group_control_number: str  # AK102, the GS06 acknowledged
    version: str  # AK103
    group_status: str  # AK901
    included: int
    received: int
    accepted_count: int
    sets: tuple[SetResult, ...]

    def rejected_sets(self) -> tuple[SetResult, ...]:
        return tuple(result for result in self.sets if not result.accepted)


def _int(segment: Segment, index: int) -> int:
    value = segment.get(index)
    if not value.isdigit():
        raise X12StructureError(f"{value!r} is not a count", segment_number=segment.number,
                                segment_id=segment.id, position=segment.position, element=index)  # fmt: skip
    return int(value)


def _missing(what: str, segment: Segment) -> X12StructureError:
    return X12StructureError(f"{what} expected", segment_number=segment.number, segment_id=segment.id,
                             position=segment.position)  # fmt: skip


def read_999(text: str) -> list[Ack999]:
    """Every 999 transaction set of the file (one per acknowledged functional group)."""
    interchange = read_interchange(text)
    acks: list[Ack999] = []
    for transaction in interchange.transactions:
        if transaction.set_id != "999":
            raise X12StructureError(f"a 999 was expected, this is a {transaction.set_id}",
                                    segment_number=transaction.header.number, segment_id="ST",
                                    position=transaction.header.position)  # fmt: skip
        acks.append(_read_one(transaction.segments, transaction.trailer))
    return acks


def _read_one(segments: tuple[Segment, ...], trailer: Segment) -> Ack999:
    ak1: Segment | None = None
    ak9: Segment | None = None
    sets: list[SetResult] = []
    ak2: Segment | None = None
    errors: list[SegmentError] = []
    ik3: Segment | None = None
    elements: list[ElementError] = []

    def close_segment() -> None:
        nonlocal ik3, elements
        if ik3 is not None:
            position = ik3.get(2)
            errors.append(SegmentError(ik3.get(1), int(position) if position.isdigit() else 0, ik3.get(3),
                                       ik3.get(4), tuple(elements), ik3.number))  # fmt: skip
        ik3, elements = None, []

    for segment in segments:
        if segment.id == "AK1":
            ak1 = segment
        elif segment.id == "AK2":
            if ak2 is not None:
                raise _missing("IK5 closing this AK2", ak2)
            ak2, errors = segment, []
        elif segment.id == "IK3":
            close_segment()
            ik3 = segment
        elif segment.id == "IK4":
            if ik3 is None:
                raise _missing("IK3 before this IK4", segment)
            elements.append(ElementError(segment.get(1), segment.get(2), segment.get(3), segment.get(4),
                                         segment.number))  # fmt: skip
        elif segment.id == "IK5":
            close_segment()
            if ak2 is None:
                raise _missing("AK2 before this IK5", segment)
            codes = tuple(v for v in segment.elements[1:] if v)
            sets.append(SetResult(ak2.get(1), ak2.get(2), segment.get(1), codes, tuple(errors), ak2.number))
            ak2 = None
        elif segment.id == "AK9":
            ak9 = segment
    if ak1 is None:
        raise _missing("AK1", trailer)
    if ak9 is None:
        raise _missing("AK9", trailer)
    if ak2 is not None:
        raise _missing("IK5 closing this AK2", ak2)
    return Ack999(ak1.get(1), ak1.get(2), ak1.get(3), ak9.get(1), _int(ak9, 2), _int(ak9, 3), _int(ak9, 4),
                  tuple(sets))  # fmt: skip
