"""Write a 999 implementation acknowledgment (005010X231A1): the sandbox clearinghouse's answer to
an 837 file, and test samples. `read_999(write_999(...))` gives the same statuses, errors and
counts back (a tested property).

One 999 acknowledges one functional group: per transaction set (AK2) an IK5 status (A accepted,
E accepted with errors, R rejected) with its segment errors (IK3, CTX) and element errors (IK4);
AK9 sums them up: A all accepted, E all accepted and some with errors, P partially accepted
(pitfall K1), R none accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from edi.x270 import Envelope, SegmentWriter, write_isa_gs

IMPLEMENTATION = "005010X231A1"
ACCEPTED_STATUSES = {"A", "E"}
SET_STATUSES = {"A", "E", "M", "R", "W", "X"}


@dataclass(frozen=True, slots=True)
class ElementNote:
    """IK4: the element in error. `position` is "2" or "5:3" (element:component)."""

    position: str
    reference: str  # the data element number, e.g. "67" for an identification code
    code: str  # IK403: 1 required missing, 7 invalid code value, 8 invalid date ...
    bad_value: str = ""


@dataclass(frozen=True, slots=True)
class SegmentNote:
    """IK3: the segment in error, its position in the set (ST = 1), loop and error code."""

    segment_id: str
    position: int
    loop: str
    code: str  # IK304: 8 segment has data element errors, 3 mandatory segment missing ...
    elements: tuple[ElementNote, ...] = ()
    context: str = ""  # CTX01, e.g. "CLM01:CLM000002" (the claim the error is in)


@dataclass(frozen=True, slots=True)
class SetAcknowledgement:
    control_number: str  # the ST02 acknowledged
    status: str = "A"  # IK501
    errors: tuple[SegmentNote, ...] = ()
    codes: tuple[str, ...] = ()  # IK502..: 5 one or more segments in error ...
    set_id: str = "837"
    implementation: str = "005010X222A1"

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED_STATUSES


@dataclass(frozen=True, slots=True)
class GroupAcknowledgement:
    group_control_number: str  # the GS06 acknowledged
    sets: tuple[SetAcknowledgement, ...]
    functional_id: str = "HC"
    version: str = "005010X222A1"
    sets_included: int | None = None  # AK902: the GE01 received (defaults to len(sets))

    @property
    def accepted_count(self) -> int:
        return sum(1 for item in self.sets if item.accepted)

    @property
    def status(self) -> str:
        accepted = self.accepted_count
        if self.sets and accepted == len(self.sets):
            return "E" if any(item.status == "E" for item in self.sets) else "A"
        return "P" if accepted else "R"


def write_999(
    groups: Sequence[GroupAcknowledgement], envelope: Envelope, *, line_breaks: bool = False
) -> str:
    """One interchange, one functional group (GS*FA), one 999 per acknowledged group (ST02
    counting up from envelope.transaction_control_number)."""
    if not groups:
        raise ValueError("a 999 acknowledges at least one functional group")
    writer = SegmentWriter(envelope.delimiters)
    write_isa_gs(writer, envelope, functional_id="FA", implementation=IMPLEMENTATION)
    c = envelope.delimiters.component
    for offset, group in enumerate(groups):
        for item in group.sets:
            if item.status not in SET_STATUSES:
                raise ValueError(f"{item.status!r} is not an IK5 status")
        control = f"{envelope.transaction_control_number + offset:04d}"
        start = len(writer.segments)
        writer.add("ST", "999", control, IMPLEMENTATION)
        writer.add("AK1", group.functional_id, str(group.group_control_number), group.version)
        for item in group.sets:
            writer.add("AK2", item.set_id, item.control_number, item.implementation)
            for error in item.errors:
                writer.add("IK3", error.segment_id, str(error.position), error.loop, error.code)
                if error.context:
                    writer.add("CTX", error.context.replace(":", c))
                for element in error.elements:
                    writer.add("IK4", element.position.replace(":", c), element.reference, element.code,
                               element.bad_value)  # fmt: skip
            writer.add("IK5", item.status, *item.codes)
        included = group.sets_included if group.sets_included is not None else len(group.sets)
        writer.add("AK9", group.status, str(included), str(len(group.sets)), str(group.accepted_count))
        writer.add("SE", str(len(writer.segments) - start + 1), control)
    writer.add("GE", str(len(groups)), str(envelope.group_control_number))
    writer.add("IEA", "1", f"{envelope.interchange_control_number:09d}")
    return writer.text(line_breaks=line_breaks)
