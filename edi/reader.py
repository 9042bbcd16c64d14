"""Tokenize X12 and read its envelopes.

The delimiters come from the ISA segment: the element separator is the character after "ISA",
the repetition separator is ISA11 (5010), the component separator is ISA16 and the segment
terminator is the character right after ISA16. Line breaks (CR, LF) between segments are
tolerated, and so is indentation after a line break (pretty-printed files), as is a UTF-8 byte
order mark or white space before the ISA.

Errors name the segment number (1-based, counting from the ISA) and the character position
where that segment starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from edi.errors import X12SyntaxError

ISA_ELEMENT_COUNT = 16
_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")
_LINE_BREAKS = "\r\n"


@dataclass(frozen=True, slots=True)
class Delimiters:
    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"

    def all(self) -> str:
        return self.element + self.component + self.repetition + self.segment


DEFAULT_DELIMITERS = Delimiters()


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: its id, its elements (index 1 is the first after the id), where it is."""

    id: str
    elements: tuple[str, ...]
    number: int
    position: int
    delimiters: Delimiters = DEFAULT_DELIMITERS

    def get(self, index: int) -> str:
        """Element `index` (1-based, as in "EB03"), or "" when absent."""
        if index < 1 or index > len(self.elements):
            return ""
        return self.elements[index - 1]

    def components(self, index: int) -> list[str]:
        value = self.get(index)
        return value.split(self.delimiters.component) if value else []

    def repetitions(self, index: int) -> list[str]:
        value = self.get(index)
        if not value:
            return []
        if not self.delimiters.repetition:
            return [value]
        return [part for part in value.split(self.delimiters.repetition) if part]


def detect_delimiters(text: str) -> tuple[Delimiters, int]:
    """The delimiters declared by the ISA that starts `text`, and the offset of that ISA."""
    start = len(text) - len(text.lstrip("\ufeff \t\r\n"))
    if text[start : start + 3] != "ISA":
        raise X12SyntaxError(
            "the file does not start with an ISA segment", segment_number=1, segment_id="ISA", position=start
        )
    if len(text) < start + 4:
        raise X12SyntaxError(
            "the ISA segment is truncated", segment_number=1, segment_id="ISA", position=start
        )
    element = text[start + 3]
    if element.isalnum() or element in " \r\n":
        raise X12SyntaxError(
            f"{element!r} cannot be the element separator", segment_number=1, segment_id="ISA", position=start
        )
    # Walk to the 16th element separator: ISA16 (one character) follows, then the terminator.
    cursor = start + 3  # the first element separator
    for _ in range(ISA_ELEMENT_COUNT - 1):
        cursor = text.find(element, cursor + 1)
        if cursor == -1:
            raise X12SyntaxError(
                "the ISA segment is truncated (fewer than 16 elements)",
                segment_number=1,
                segment_id="ISA",
                position=start,
            )
    if cursor + 2 >= len(text):
        raise X12SyntaxError(
            "the ISA segment is truncated", segment_number=1, segment_id="ISA", position=start
        )
    component = text[cursor + 1]
    terminator = text[cursor + 2]
    isa = text[start : cursor + 2].split(element)
    repetition = isa[11] if len(isa[11]) == 1 and not isa[11].isalnum() else ""
    if len({element, component, terminator} | ({repetition} if repetition else set())) != (
        4 if repetition else 3
    ):
        raise X12SyntaxError(
            "the ISA declares the same character for two delimiters",
            segment_number=1,
            segment_id="ISA",
            position=start,
        )
    return Delimiters(element, component, repetition, terminator), start


def tokenize(text: str) -> list[Segment]:
    """All segments of `text`, in order. Empty lines between segments are skipped."""
    delimiters, start = detect_delimiters(text)
    strip = _LINE_BREAKS.replace(delimiters.segment, "")
    segments: list[Segment] = []
    cursor = start
    end_of_text = len(text)
    while cursor < end_of_text:
        end = text.find(delimiters.segment, cursor)
        raw_end = end if end != -1 else end_of_text
        raw = text[cursor:raw_end]
        body = raw.strip(strip)
        after_spaces = raw.lstrip(" \t")[:1]
        # After a line break (spaces padding the line before it included: R18), indentation is
        # layout too.
        if after_spaces and after_spaces in strip:
            body = raw.lstrip(" \t").strip(strip).lstrip(" \t")
        offset = cursor + len(raw.rstrip(strip)) - len(body)
        if body.strip():
            number = len(segments) + 1
            if end == -1:
                raise X12SyntaxError(
                    "the file is truncated: this segment has no terminator "
                    f"{delimiters.segment!r} (is the file complete?)",
                    segment_number=number,
                    segment_id=body.split(delimiters.element, 1)[0][:3],
                    position=offset,
                )
            parts = body.split(delimiters.element)
            segment_id = parts[0]
            if not _SEGMENT_ID.fullmatch(segment_id):
                raise X12SyntaxError(
                    f"{segment_id[:10]!r} is not a segment identifier",
                    segment_number=number,
                    segment_id=segment_id[:3],
                    position=offset,
                )
            segments.append(Segment(segment_id, tuple(parts[1:]), number, offset, delimiters))
        if end == -1:
            break
        cursor = end + 1
    return segments


@dataclass(frozen=True, slots=True)
class Transaction:
    """One ST ... SE transaction set and the envelopes around it."""

    header: Segment  # ST
    segments: tuple[Segment, ...]  # between ST and SE
    trailer: Segment  # SE
    group: Segment  # GS
    interchange: Segment  # ISA

    @property
    def set_id(self) -> str:
        return self.header.get(1)

    @property
    def control_number(self) -> str:
        return self.header.get(2)


@dataclass(frozen=True, slots=True)
class Interchange:
    isa: Segment
    iea: Segment
    groups: tuple[tuple[Segment, Segment], ...]  # (GS, GE)
    transactions: tuple[Transaction, ...]
    delimiters: Delimiters
    segments: tuple[Segment, ...] = field(default=())


def _need(segment: Segment | None, expected: str, after: Segment) -> Segment:
    if segment is None:
        raise X12SyntaxError(
            f"the file is truncated: {expected} expected after this segment",
            segment_number=after.number,
            segment_id=after.id,
            position=after.position,
        )
    return segment


def _wrong(segment: Segment, message: str, element: int | None = None) -> X12SyntaxError:
    return X12SyntaxError(
        message,
        segment_number=segment.number,
        segment_id=segment.id,
        position=segment.position,
        element=element,
    )


def _count(segment: Segment, element: int, expected: int, what: str) -> None:
    value = segment.get(element)
    if not value.isdigit() or int(value) != expected:
        raise _wrong(segment, f"counts {value or 'nothing'} {what}, the file holds {expected}", element)


def read_interchange(text: str) -> Interchange:
    """Tokenize `text` and check its envelopes: every ISA/GS/ST closed by its IEA/GE/SE with the
    same control number and the right count. One interchange per file."""
    segments = tokenize(text)
    isa = segments[0]
    if len(isa.elements) != ISA_ELEMENT_COUNT:
        raise _wrong(isa, f"the ISA has {len(isa.elements)} elements, not 16")
    index = 1
    groups: list[tuple[Segment, Segment]] = []
    transactions: list[Transaction] = []

    def at(i: int) -> Segment | None:
        return segments[i] if i < len(segments) else None

    while True:
        segment = _need(at(index), "GS or IEA", segments[index - 1])
        if segment.id == "IEA":
            break
        if segment.id != "GS":
            raise _wrong(segment, f"GS or IEA expected, found {segment.id}")
        gs = segment
        index += 1
        sets_in_group = 0
        while True:
            segment = _need(at(index), "ST or GE", segments[index - 1])
            if segment.id == "GE":
                break
            if segment.id != "ST":
                raise _wrong(segment, f"ST or GE expected, found {segment.id}")
            st = segment
            index += 1
            body: list[Segment] = []
            while True:
                segment = _need(at(index), "SE", segments[index - 1])
                if segment.id == "SE":
                    break
                if segment.id in {"ST", "GE", "GS", "IEA", "ISA"}:
                    raise _wrong(segment, f"{segment.id} found before the SE that closes ST {st.get(2)}")
                body.append(segment)
                index += 1
            se = segment
            _count(se, 1, len(body) + 2, "segments (ST to SE)")
            if se.get(2) != st.get(2):
                raise _wrong(se, f"control number {se.get(2)!r} does not match ST02 {st.get(2)!r}", 2)
            transactions.append(Transaction(st, tuple(body), se, gs, isa))
            sets_in_group += 1
            index += 1
        ge = segment
        _count(ge, 1, sets_in_group, "transaction sets")
        if ge.get(2) != gs.get(6):
            raise _wrong(ge, f"control number {ge.get(2)!r} does not match GS06 {gs.get(6)!r}", 2)
        groups.append((gs, ge))
        index += 1
    iea = segment
    _count(iea, 1, len(groups), "functional groups")
    if iea.get(2) != isa.get(13):
        raise _wrong(iea, f"control number {iea.get(2)!r} does not match ISA13 {isa.get(13)!r}", 2)
    if index + 1 < len(segments):
        extra = segments[index + 1]
        raise _wrong(extra, "data after the IEA (one interchange per file)")
    return Interchange(isa, iea, tuple(groups), tuple(transactions), isa.delimiters, tuple(segments))
