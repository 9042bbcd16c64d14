"""The 270 eligibility inquiry (005010X279A1): typed request, builder and reader.

One inquiry per transaction: information source (payer, HL 20) → information receiver
(provider, HL 21) → subscriber (HL 22) → dependent (HL 23, only when the patient is not the
subscriber and has no member ID of their own). The patient's loop carries the TRN trace number,
DMG, the date of service (DTP*291, the appointment's date, never "today") and one EQ per service
type. Control numbers are passed in by the caller (a counter in the database); nothing here
invents them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from core.domain.identifiers import member_id_problems
from edi.codes import SERVICE_TYPES
from edi.errors import MemberIdError, X12StructureError, X12ValueError
from edi.reader import DEFAULT_DELIMITERS, Delimiters, Segment, Transaction, read_interchange

IMPLEMENTATION = "005010X279A1"
_TRACE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{0,49}")
_ORIGINATOR_RE = re.compile(r"[19][A-Za-z0-9]{9}")
_ID_RE = re.compile(r"[A-Za-z0-9 \-]{1,15}")
_PRINTABLE = re.compile(r"[ -~]*")  # X12 basic and extended character sets: printable ASCII
GENDERS = {"", "M", "F", "U"}


@dataclass(frozen=True, slots=True)
class Person:
    """A subscriber or a dependent as the payer knows them."""

    last_name: str
    first_name: str = ""
    member_id: str = ""
    birth_date: date | None = None
    gender: str = ""  # M, F, U or "" (not sent)
    group_number: str = ""  # REF*6P, when the card shows one


@dataclass(frozen=True, slots=True)
class Payer:
    name: str
    payer_id: str  # NM109 with qualifier PI


@dataclass(frozen=True, slots=True)
class Provider:
    """The information receiver: an organization (first_name empty) or a person, by NPI."""

    name: str
    npi: str
    first_name: str = ""


@dataclass(frozen=True, slots=True)
class EligibilityRequest:
    payer: Payer
    provider: Provider
    subscriber: Person
    service_date: date  # the appointment's date of service
    trace_number: str  # TRN02, echoed back in the 271
    service_types: tuple[str, ...] = ("30",)
    dependent: Person | None = None  # the patient, when not the subscriber
    originator_id: str = "9PARITYEHR"  # TRN03: "1" + EIN or "9" + a 9-character id

    @property
    def patient(self) -> Person:
        return self.dependent if self.dependent is not None else self.subscriber


@dataclass(frozen=True, slots=True)
class Envelope:
    sender_id: str
    receiver_id: str
    interchange_control_number: int
    group_control_number: int
    created: datetime
    transaction_control_number: int = 1
    usage: str = "T"  # T test, P production
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    delimiters: Delimiters = field(default=DEFAULT_DELIMITERS)


def place_patient(*, patient: Person, subscriber: Person | None) -> tuple[Person, Person | None]:
    """Where the patient goes in the 270 (pitfall E10): as the subscriber when they are the
    subscriber or have a member ID of their own; otherwise as a dependent without an ID."""
    if subscriber is None or patient.member_id.strip():
        return patient, None
    return subscriber, replace(patient, member_id="")


def _upper(value: str) -> str:
    return " ".join(value.split()).upper()


def _normal_person(person: Person) -> Person:
    return replace(
        person,
        last_name=_upper(person.last_name),
        first_name=_upper(person.first_name),
        member_id=person.member_id.strip().upper(),
        group_number=_upper(person.group_number),
        gender=person.gender if person.birth_date is not None and person.gender in {"M", "F"} else "",
    )


def normalize_request(request: EligibilityRequest) -> EligibilityRequest:
    """The request as the 270 carries it: names upper case, white space collapsed, and no gender
    without a birth date (DMG is sent only when the birth date is known), U (unknown) not sent:
    the 270's DMG03 is F or M."""
    return replace(
        request,
        payer=replace(request.payer, name=_upper(request.payer.name)),
        provider=replace(
            request.provider,
            name=_upper(request.provider.name),
            first_name=_upper(request.provider.first_name),
        ),
        subscriber=_normal_person(request.subscriber),
        dependent=_normal_person(request.dependent) if request.dependent is not None else None,
    )


# -- validation ---------------------------------------------------------------------------------


_CARRIED: dict[Delimiters, re.Pattern[str]] = {}


def _carried(delimiters: Delimiters) -> re.Pattern[str]:
    """Printable ASCII without the separators of `delimiters` (compiled once per set)."""
    if delimiters is DEFAULT_DELIMITERS:
        return _CARRIED_DEFAULT
    found = _CARRIED.get(delimiters)
    if found is None:
        separators = delimiters.all()
        allowed = "".join(re.escape(chr(code)) for code in range(32, 127) if chr(code) not in separators)
        found = _CARRIED[delimiters] = re.compile(f"[{allowed}]*")
    return found


_CARRIED_DEFAULT = _carried(Delimiters())


def _text(value: str, what: str, delimiters: Delimiters, *, max_length: int) -> str:
    clean = " ".join(value.split()).upper()
    if len(clean) <= max_length and _carried(delimiters).fullmatch(clean):
        return clean  # the common case in one match; otherwise the checks below name the fault
    if not _PRINTABLE.fullmatch(clean):
        raise X12ValueError(
            f"{what} {value!r} holds characters X12 cannot carry (letters, digits, punctuation)"
        )
    separators = delimiters.all()
    bad = sorted({char for char in clean if char in separators})
    if bad:
        raise X12ValueError(f"{what} {value!r} holds {' '.join(bad)}, which separates X12 elements")
    if len(clean) > max_length:
        raise X12ValueError(f"{what} {value!r} is longer than {max_length} characters")
    return clean


def _member_id(value: str, what: str) -> str:
    problems = member_id_problems(value)
    if problems:
        raise MemberIdError(f"{what} {value!r}: {problems[0].message}")
    return value.strip().upper()


def validate_request(request: EligibilityRequest, delimiters: Delimiters = DEFAULT_DELIMITERS) -> None:
    """Raise X12ValueError (MemberIdError for member IDs) on the first value a 270 cannot carry."""
    _text(request.payer.name, "The payer name", delimiters, max_length=60)
    if not _ID_RE.fullmatch(request.payer.payer_id) or not request.payer.payer_id.strip():
        raise X12ValueError(f"The payer ID {request.payer.payer_id!r} is 1 to 15 letters or digits")
    _text(request.provider.name, "The provider name", delimiters, max_length=60)
    _text(request.provider.first_name, "The provider first name", delimiters, max_length=35)
    if not (len(request.provider.npi) == 10 and request.provider.npi.isdigit()):
        raise X12ValueError(f"The provider NPI {request.provider.npi!r} is 10 digits")
    _member_id(request.subscriber.member_id, "The subscriber's member ID")
    for who, person in (("subscriber", request.subscriber), ("dependent", request.dependent)):
        if person is None:
            continue
        if not person.last_name.strip():
            raise X12ValueError(f"The {who}'s last name is required")
        _text(person.last_name, f"The {who}'s last name", delimiters, max_length=60)
        _text(person.first_name, f"The {who}'s first name", delimiters, max_length=35)
        _text(person.group_number, f"The {who}'s group number", delimiters, max_length=50)
        if person.gender not in GENDERS:
            raise X12ValueError(f"The {who}'s gender {person.gender!r} is M, F or U")
        if person.birth_date is not None and person.birth_date > request.service_date:
            raise X12ValueError(f"The {who}'s birth date follows the date of service")
    if not request.patient.first_name.strip():
        raise X12ValueError("The patient's first name is required (payers match on name, birth date and ID)")
    if request.dependent is not None and request.dependent.member_id.strip():
        raise MemberIdError(
            "A dependent with a member ID of their own is sent as the subscriber (see place_patient)"
        )
    if not _TRACE_RE.fullmatch(request.trace_number):
        raise X12ValueError(
            f"The trace number {request.trace_number!r} is 1 to 50 letters, digits or hyphens"
        )
    if not _ORIGINATOR_RE.fullmatch(request.originator_id):
        raise X12ValueError(
            f"The trace originator {request.originator_id!r} is '1' or '9' and 9 more characters"
        )
    if not request.service_types:
        raise X12ValueError("At least one service type code is required")
    unknown = [code for code in request.service_types if code not in SERVICE_TYPES]
    if unknown:
        raise X12ValueError(f"Unknown service type code(s): {', '.join(unknown)}")
    if len(set(request.service_types)) != len(request.service_types):
        raise X12ValueError("A service type code is repeated")


def _validate_envelope(envelope: Envelope) -> None:
    for what, value in (("sender", envelope.sender_id), ("receiver", envelope.receiver_id)):
        if not _ID_RE.fullmatch(value):
            raise X12ValueError(f"The {what} ID {value!r} is 1 to 15 letters, digits or spaces")
    if not 1 <= envelope.interchange_control_number <= 999_999_999:
        raise X12ValueError("The interchange control number is 1 to 999999999")
    if not 1 <= envelope.group_control_number <= 999_999_999:
        raise X12ValueError("The group control number is 1 to 999999999")
    if not 1 <= envelope.transaction_control_number <= 9999:
        raise X12ValueError("The transaction set control number is 1 to 9999")
    if envelope.usage not in {"T", "P"}:
        raise X12ValueError("The usage indicator is T (test) or P (production)")


# -- writing ------------------------------------------------------------------------------------


class SegmentWriter:
    """Joins elements with the delimiters, dropping trailing empty elements, and counts."""

    def __init__(self, delimiters: Delimiters) -> None:
        self.delimiters = delimiters
        self.segments: list[str] = []

    def add(self, segment_id: str, *elements: str) -> None:
        end = len(elements)
        while end and elements[end - 1] == "":
            end -= 1
        self.segments.append(self.delimiters.element.join((segment_id, *elements[:end])))

    def text(self, *, line_breaks: bool = False) -> str:
        end = self.delimiters.segment + ("\n" if line_breaks else "")
        return end.join(self.segments) + end


def write_isa_gs(
    writer: SegmentWriter, envelope: Envelope, *, functional_id: str, implementation: str = IMPLEMENTATION
) -> None:
    d = envelope.delimiters
    created = envelope.created
    writer.add(
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        envelope.sender_qualifier,
        envelope.sender_id.ljust(15),
        envelope.receiver_qualifier,
        envelope.receiver_id.ljust(15),
        created.strftime("%y%m%d"),
        created.strftime("%H%M"),
        d.repetition,
        "00501",
        f"{envelope.interchange_control_number:09d}",
        "0",
        envelope.usage,
        d.component,
    )
    writer.add(
        "GS",
        functional_id,
        envelope.sender_id.strip(),
        envelope.receiver_id.strip(),
        created.strftime("%Y%m%d"),
        created.strftime("%H%M"),
        str(envelope.group_control_number),
        "X",
        implementation,
    )


def close_envelope(writer: SegmentWriter, envelope: Envelope, *, st_index: int) -> None:
    """Write SE (counting from the ST at `st_index`), GE and IEA."""
    count = len(writer.segments) - st_index + 1
    writer.add("SE", str(count), f"{envelope.transaction_control_number:04d}")
    writer.add("GE", "1", str(envelope.group_control_number))
    writer.add("IEA", "1", f"{envelope.interchange_control_number:09d}")


@functools.lru_cache(maxsize=4096)  # an 837 of 10,000 claims writes ~35,000 dates, few distinct
def d8(value: date) -> str:
    return value.strftime("%Y%m%d")


def _person(writer: SegmentWriter, entity: str, person: Person, *, with_id: bool) -> None:
    d = writer.delimiters
    last = _text(person.last_name, "last name", d, max_length=60)
    first = _text(person.first_name, "first name", d, max_length=35)
    if with_id:
        writer.add("NM1", entity, "1", last, first, "", "", "", "MI", person.member_id.strip().upper())
    else:
        writer.add("NM1", entity, "1", last, first)
    if person.group_number.strip():
        writer.add("REF", "6P", _text(person.group_number, "group number", d, max_length=50))
    if person.birth_date is not None:  # DMG01/DMG02 go together; gender rides with them
        writer.add("DMG", "D8", d8(person.birth_date), person.gender if person.gender in {"M", "F"} else "")


def build_270(request: EligibilityRequest, envelope: Envelope, *, line_breaks: bool = False) -> str:
    """The 270 for `request`, in one interchange/group/transaction. Raises X12ValueError."""
    validate_request(request, envelope.delimiters)
    _validate_envelope(envelope)
    d = envelope.delimiters
    writer = SegmentWriter(d)
    write_isa_gs(writer, envelope, functional_id="HS")
    st_index = len(writer.segments)
    writer.add("ST", "270", f"{envelope.transaction_control_number:04d}", IMPLEMENTATION)
    writer.add(
        "BHT",
        "0022",
        "13",
        request.trace_number,
        envelope.created.strftime("%Y%m%d"),
        envelope.created.strftime("%H%M"),
    )
    writer.add("HL", "1", "", "20", "1")
    writer.add(
        "NM1",
        "PR",
        "2",
        _text(request.payer.name, "payer name", d, max_length=60),
        "",
        "",
        "",
        "",
        "PI",
        request.payer.payer_id,
    )
    writer.add("HL", "2", "1", "21", "1")
    provider = request.provider
    if provider.first_name.strip():
        writer.add(
            "NM1",
            "1P",
            "1",
            _text(provider.name, "provider name", d, max_length=60),
            _text(provider.first_name, "provider first name", d, max_length=35),
            "",
            "",
            "",
            "XX",
            provider.npi,
        )
    else:
        writer.add(
            "NM1",
            "1P",
            "2",
            _text(provider.name, "provider name", d, max_length=60),
            "",
            "",
            "",
            "",
            "XX",
            provider.npi,
        )
    has_dependent = request.dependent is not None
    writer.add("HL", "3", "2", "22", "1" if has_dependent else "0")
    trn = ("TRN", "1", request.trace_number, request.originator_id)
    if not has_dependent:
        writer.add(*trn)
    _person(writer, "IL", request.subscriber, with_id=True)
    if request.dependent is not None:
        writer.add("HL", "4", "3", "23", "0")
        writer.add(*trn)
        _person(writer, "03", request.dependent, with_id=False)
    writer.add("DTP", "291", "D8", d8(request.service_date))
    for code in request.service_types:
        writer.add("EQ", code)
    close_envelope(writer, envelope, st_index=st_index)
    return writer.text(line_breaks=line_breaks)


# -- reading ------------------------------------------------------------------------------------


def _date(segment: Segment, index: int) -> date:
    value = segment.get(index)
    try:
        return datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007 (a calendar date, no time)
    except ValueError:
        raise X12StructureError(
            f"{value!r} is not a CCYYMMDD date",
            segment_number=segment.number,
            segment_id=segment.id,
            position=segment.position,
            element=index,
        ) from None


def _read_person(segments: list[Segment]) -> Person:
    nm1 = segments[0]
    person = Person(last_name=nm1.get(3), first_name=nm1.get(4), member_id=nm1.get(9))
    for segment in segments[1:]:
        if segment.id == "REF" and segment.get(1) == "6P":
            person = replace(person, group_number=segment.get(2))
        elif segment.id == "DMG":
            birth = _date(segment, 2) if segment.get(2) else None
            person = replace(person, birth_date=birth, gender=segment.get(3))
    return person


def read_270(text: str) -> tuple[EligibilityRequest, Transaction]:
    """Read back a 270 holding one inquiry (the shape `build_270` writes)."""
    interchange = read_interchange(text)
    if len(interchange.transactions) != 1:
        raise X12StructureError(f"one transaction set expected, found {len(interchange.transactions)}")
    transaction = interchange.transactions[0]
    if transaction.set_id != "270":
        raise X12StructureError(
            f"a 270 was expected, this is a {transaction.set_id}",
            segment_number=transaction.header.number,
            segment_id="ST",
            position=transaction.header.position,
        )
    levels: dict[str, list[Segment]] = {}
    current = ""
    for segment in transaction.segments:
        if segment.id == "HL":
            current = segment.get(3)
            if current in levels:
                raise X12StructureError(
                    f"more than one HL level {current} (one inquiry per 270 here)",
                    segment_number=segment.number,
                    segment_id="HL",
                    position=segment.position,
                )
            levels[current] = []
        elif current:
            levels[current].append(segment)
    for level in ("20", "21", "22"):
        if level not in levels:
            raise X12StructureError(
                f"the 270 has no HL level {level}", segment_number=transaction.header.number
            )

    def first(level: str, segment_id: str) -> Segment:
        for segment in levels.get(level, []):
            if segment.id == segment_id:
                return segment
        raise X12StructureError(
            f"HL level {level} has no {segment_id}", segment_number=transaction.header.number
        )

    patient_level = "23" if "23" in levels else "22"
    payer_nm1 = first("20", "NM1")
    provider_nm1 = first("21", "NM1")
    trn = first(patient_level, "TRN")
    dtp = first(patient_level, "DTP")
    subscriber_segments = [s for s in levels["22"] if s.id in {"NM1", "REF", "DMG"}]
    dependent_segments = [s for s in levels.get("23", []) if s.id in {"NM1", "REF", "DMG"}]
    provider_is_person = provider_nm1.get(2) == "1"
    request = EligibilityRequest(
        payer=Payer(name=payer_nm1.get(3), payer_id=payer_nm1.get(9)),
        provider=Provider(
            name=provider_nm1.get(3),
            npi=provider_nm1.get(9),
            first_name=provider_nm1.get(4) if provider_is_person else "",
        ),
        subscriber=_read_person(subscriber_segments),
        dependent=_read_person(dependent_segments) if dependent_segments else None,
        service_date=_date(dtp, 3),
        trace_number=trn.get(2),
        originator_id=trn.get(3),
        service_types=tuple(s.get(1) for s in levels[patient_level] if s.id == "EQ"),
    )
    return request, transaction
