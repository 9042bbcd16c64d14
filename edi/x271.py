"""The 271 eligibility response (005010X279A1): typed models, parser and writer.

`parse_271(text)` reads every transaction set of a file into `Response271`, whose JSON form
(`response.as_json()`) is the `eligibility_parse_271` contract:

    {"transactions": [{"subscriber", "patient", "active", "plan_dates", "errors", "benefits", ...}]}

One entry per patient (a subscriber loop without dependents, or each dependent loop). Nothing is
dropped: every AAA at every level (information source, receiver, subscriber, dependent, benefit)
is kept with its loop, follow-up action and plain description; every EB becomes one benefit with
its MSG texts, DTP dates and related entities (LS/LE 2120 loop); unknown service type codes are
kept and flagged. Money is Decimal (JSON: "20.00"), percent a plain decimal (JSON: "0.2").

`edi.x271_write.write_271` writes the same models back to X12; the sandbox payer answers with it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from edi.codes import (
    ACTIVE_INFO,
    AT_RISK_INFO,
    FOLLOW_UP_ACTIONS,
    INACTIVE_INFO,
    REJECT_HINTS,
    REJECT_REASONS,
    SERVICE_TYPES,
    TRANSIENT_REJECT_REASONS,
)
from edi.errors import TraceMismatchError, X12StructureError
from edi.reader import Segment, Transaction, read_interchange
from edi.values import decimal_element as _decimal
from edi.values import parse_date as _parse_date
from edi.values import structure_error as _fail

DecimalText = Annotated[Decimal, PlainSerializer(str, return_type=str, when_used="json")]

LEVEL_SOURCE = "information_source"
LEVEL_RECEIVER = "information_receiver"
LEVEL_SUBSCRIBER = "subscriber"
LEVEL_DEPENDENT = "dependent"
LEVEL_BENEFIT = "benefit"
_HL_LEVELS = {"20": LEVEL_SOURCE, "21": LEVEL_RECEIVER, "22": LEVEL_SUBSCRIBER, "23": LEVEL_DEPENDENT}
_LOOPS = {
    (LEVEL_SOURCE, False): "2000A",
    (LEVEL_SOURCE, True): "2100A",
    (LEVEL_RECEIVER, False): "2000B",
    (LEVEL_RECEIVER, True): "2100B",
    (LEVEL_SUBSCRIBER, True): "2100C",
    (LEVEL_DEPENDENT, True): "2100D",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Entity(_Model):
    """A payer, provider or benefit-related entity (NM1)."""

    entity_code: str
    name: str
    first_name: str | None = None
    id_qualifier: str | None = None
    id: str | None = None


class Member(_Model):
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    member_id: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    relationship: str | None = None  # INS02: 18 self, 01 spouse, 19 child...
    group_number: str | None = None


class AaaError(_Model):
    code: str  # AAA03 reject reason
    message: str  # its description, plus the hint when there is one
    level: str  # information_source, information_receiver, subscriber, dependent, benefit
    loop: str  # 2000A, 2100A, 2000B, 2100B, 2100C, 2100D, 2110C, 2110D
    valid_request: bool | None = None  # AAA01
    follow_up_action: str | None = None  # AAA04
    follow_up_message: str | None = None
    transient: bool = False  # the payer could not answer now: retry, do not read as inactive


class DateRange(_Model):
    qualifier: str
    begin: date
    end: date | None = None


class PlanDates(_Model):
    plan_begin: date | None = None
    plan_end: date | None = None
    eligibility_begin: date | None = None
    eligibility_end: date | None = None
    other: list[DateRange] = Field(default_factory=list)


class Benefit(_Model):
    eb01: str
    service_types: list[str] = Field(default_factory=list)
    coverage_level: str | None = None
    in_network: bool | None = None
    amount: DecimalText | None = None
    percent: DecimalText | None = None
    time_period: str | None = None
    quantity: DecimalText | None = None
    quantity_qualifier: str | None = None
    auth_required: bool | None = None
    messages: list[str] = Field(default_factory=list)
    insurance_type: str | None = None  # EB04
    plan_description: str | None = None  # EB05
    unknown_service_types: list[str] = Field(default_factory=list)
    dates: list[DateRange] = Field(default_factory=list)
    related_entities: list[Entity] = Field(default_factory=list)


class EligibilityTransaction(_Model):
    subscriber: Member | None = None
    patient: Member | None = None
    active: bool | None = None
    plan_dates: PlanDates = Field(default_factory=PlanDates)
    errors: list[AaaError] = Field(default_factory=list)
    benefits: list[Benefit] = Field(default_factory=list)
    coverage_status: str = "unknown"  # active, at_risk, inactive, unknown
    trace_numbers: list[str] = Field(default_factory=list)
    payer: Entity | None = None
    provider: Entity | None = None
    control_number: str = ""


class Response271(_Model):
    transactions: list[EligibilityTransaction]

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# -- value helpers ------------------------------------------------------------------------------


def _date_range(segment: Segment) -> DateRange:
    """DTP*qualifier*D8*CCYYMMDD or DTP*qualifier*RD8*CCYYMMDD-CCYYMMDD."""
    qualifier, form, value = segment.get(1), segment.get(2), segment.get(3)
    if form == "D8":
        return DateRange(qualifier=qualifier, begin=_parse_date(segment, value, 3))
    if form == "RD8":
        begin, _, end = value.partition("-")
        if not end:
            raise _fail(segment, f"{value!r} is not a CCYYMMDD-CCYYMMDD range", 3)
        return DateRange(
            qualifier=qualifier, begin=_parse_date(segment, begin, 3), end=_parse_date(segment, end, 3)
        )
    raise _fail(segment, f"date format {form!r} is neither D8 nor RD8", 2)


def _yes_no(value: str) -> bool | None:
    return {"Y": True, "N": False}.get(value)


def _entity(segment: Segment) -> Entity:
    return Entity(
        entity_code=segment.get(1),
        name=segment.get(3),
        first_name=segment.get(4) or None,
        id_qualifier=segment.get(8) or None,
        id=segment.get(9) or None,
    )


def _aaa(segment: Segment, level: str, loop: str) -> AaaError:
    code = segment.get(3)
    description = REJECT_REASONS.get(code, f"Reject reason {code} (not in the 5010 list)")
    hint = REJECT_HINTS.get(code)
    follow_up = segment.get(4) or None
    return AaaError(
        code=code,
        message=f"{description}. {hint}" if hint else description,
        level=level,
        loop=loop,
        valid_request=_yes_no(segment.get(1)),
        follow_up_action=follow_up,
        follow_up_message=FOLLOW_UP_ACTIONS.get(follow_up) if follow_up else None,
        transient=code in TRANSIENT_REJECT_REASONS,
    )


# -- parsing ------------------------------------------------------------------------------------


class _BenefitDraft:
    def __init__(self, segment: Segment) -> None:
        self.segment = segment
        self.messages: list[str] = []
        self.dates: list[DateRange] = []
        self.entities: list[Entity] = []

    def build(self) -> Benefit:
        eb = self.segment
        codes = eb.repetitions(3)
        # A component separator inside EB03 (a malformed sender) still yields the codes.
        service_types = [part for code in codes for part in code.split(eb.delimiters.component) if part]
        return Benefit(
            eb01=eb.get(1),
            service_types=service_types,
            coverage_level=eb.get(2) or None,
            in_network=_yes_no(eb.get(12)),
            amount=_decimal(eb, 7, money=True),
            percent=_decimal(eb, 8, money=False),
            time_period=eb.get(6) or None,
            quantity=_decimal(eb, 10, money=False),
            quantity_qualifier=eb.get(9) or None,
            auth_required=_yes_no(eb.get(11)),
            messages=self.messages,
            insurance_type=eb.get(4) or None,
            plan_description=eb.get(5) or None,
            unknown_service_types=[code for code in service_types if code not in SERVICE_TYPES],
            dates=self.dates,
            related_entities=self.entities,
        )


class _MemberDraft:
    def __init__(self, level: str, hl: Segment) -> None:
        self.level = level
        self.hl = hl
        self.member: Member | None = None
        self.nm1: Segment | None = None
        self.traces: list[str] = []
        self.trn_segments: list[Segment] = []
        self.dates: list[DateRange] = []
        self.errors: list[AaaError] = []
        self.benefits: list[_BenefitDraft] = []
        self.dependents: list[_MemberDraft] = []
        self.relationship: str | None = None
        self.group_number: str | None = None
        self.birth_date: date | None = None
        self.gender: str | None = None

    def as_member(self) -> Member:
        nm1 = self.nm1
        return Member(
            last_name=(nm1.get(3) or None) if nm1 else None,
            first_name=(nm1.get(4) or None) if nm1 else None,
            middle_name=(nm1.get(5) or None) if nm1 else None,
            member_id=(nm1.get(9) or None) if nm1 else None,
            birth_date=self.birth_date,
            gender=self.gender,
            relationship=self.relationship,
            group_number=self.group_number,
        )


def _plan_dates(ranges: list[DateRange]) -> PlanDates:
    values: dict[str, date | None] = {}
    other: list[DateRange] = []
    for item in ranges:
        if item.qualifier in {"291", "307"}:
            prefix = "plan" if item.qualifier == "291" else "eligibility"
            values[f"{prefix}_begin"] = item.begin
            if item.end is not None:
                values[f"{prefix}_end"] = item.end
        elif item.qualifier in {"346", "356"}:
            values["plan_begin" if item.qualifier == "346" else "eligibility_begin"] = item.begin
        elif item.qualifier in {"347", "357"}:
            values["plan_end" if item.qualifier == "347" else "eligibility_end"] = item.begin
        else:
            other.append(item)
    return PlanDates(
        plan_begin=values.get("plan_begin"),
        plan_end=values.get("plan_end"),
        eligibility_begin=values.get("eligibility_begin"),
        eligibility_end=values.get("eligibility_end"),
        other=other,
    )


def coverage_status(benefits: list[Benefit]) -> str:
    codes = {benefit.eb01 for benefit in benefits}
    if codes & ACTIVE_INFO:
        return "active"
    if codes & AT_RISK_INFO:
        return "at_risk"
    if codes & INACTIVE_INFO:
        return "inactive"
    return "unknown"


def _active(status: str) -> bool | None:
    return {"active": True, "at_risk": True, "inactive": False}.get(status)


def _parse_transaction(transaction: Transaction) -> list[EligibilityTransaction]:
    if transaction.set_id != "271":
        raise _fail(transaction.header, f"a 271 was expected, this is a {transaction.set_id}", 1)
    source_errors: list[AaaError] = []
    payer: Entity | None = None
    provider: Entity | None = None
    subscribers: list[_MemberDraft] = []
    level = ""
    member: _MemberDraft | None = None
    benefit: _BenefitDraft | None = None
    in_2120 = False
    seen_nm1 = False
    hl_ids: dict[str, str] = {}
    for segment in transaction.segments:
        sid = segment.id
        if sid == "HL":
            code = segment.get(3)
            if code not in _HL_LEVELS:
                raise _fail(segment, f"unknown hierarchical level code {code!r}", 3)
            parent = segment.get(2)
            if parent and parent not in hl_ids:
                raise _fail(segment, f"parent HL {parent!r} does not precede this HL", 2)
            hl_ids[segment.get(1)] = code
            level = _HL_LEVELS[code]
            benefit, in_2120, seen_nm1 = None, False, False
            if level == LEVEL_SUBSCRIBER:
                member = _MemberDraft(level, segment)
                subscribers.append(member)
            elif level == LEVEL_DEPENDENT:
                if not subscribers:
                    raise _fail(segment, "a dependent level (23) before any subscriber level (22)", 3)
                member = _MemberDraft(level, segment)
                subscribers[-1].dependents.append(member)
            else:
                member = None
            continue
        if not level and sid not in {"BHT"}:
            raise _fail(segment, f"{sid} before the first HL")
        if sid == "LS":
            in_2120 = True
            continue
        if sid == "LE":
            in_2120 = False
            continue
        if in_2120:
            if sid == "NM1" and benefit is not None:
                benefit.entities.append(_entity(segment))
            continue
        if member is None:  # information source or receiver
            if sid == "NM1":
                seen_nm1 = True
                if level == LEVEL_SOURCE:
                    payer = _entity(segment)
                else:
                    provider = _entity(segment)
            elif sid == "AAA":
                source_errors.append(_aaa(segment, level, _LOOPS[(level, seen_nm1)]))
            continue
        if sid == "EB":
            benefit = _BenefitDraft(segment)
            member.benefits.append(benefit)
        elif benefit is not None:  # loop 2110C/D
            if sid == "MSG":
                benefit.messages.append(segment.get(1))
            elif sid == "DTP":
                benefit.dates.append(_date_range(segment))
            elif sid == "AAA":
                loop = "2110C" if member.level == LEVEL_SUBSCRIBER else "2110D"
                member.errors.append(_aaa(segment, LEVEL_BENEFIT, loop))
        elif sid == "TRN":
            member.traces.append(segment.get(2))
            member.trn_segments.append(segment)
        elif sid == "NM1":
            member.nm1 = segment
        elif sid == "REF" and segment.get(1) in {"6P", "IG", "18"} and member.group_number is None:
            member.group_number = segment.get(2)
        elif sid == "DMG":
            member.birth_date = _parse_date(segment, segment.get(2), 2) if segment.get(2) else None
            member.gender = segment.get(3) or None
        elif sid == "INS":
            member.relationship = segment.get(2) or None
        elif sid == "DTP":
            member.dates.append(_date_range(segment))
        elif sid == "AAA":
            loop = "2100C" if member.level == LEVEL_SUBSCRIBER else "2100D"
            member.errors.append(_aaa(segment, member.level, loop))
    if LEVEL_SOURCE not in {_HL_LEVELS[c] for c in hl_ids.values()}:
        raise _fail(transaction.header, "the 271 has no information source level (HL 20)")

    entries: list[EligibilityTransaction] = []
    for subscriber in subscribers:
        patients = subscriber.dependents or [subscriber]
        if subscriber.dependents and subscriber.benefits:
            patients = [subscriber, *subscriber.dependents]
        for patient in patients:
            benefits = [draft.build() for draft in patient.benefits]
            status = coverage_status(benefits)
            dates = list(subscriber.dates) if patient is not subscriber else []
            dates = [
                d for d in dates if d.qualifier not in {r.qualifier for r in patient.dates}
            ] + patient.dates
            errors = list(source_errors) + list(subscriber.errors)
            if patient is not subscriber:
                errors += patient.errors
            entries.append(
                EligibilityTransaction(
                    subscriber=subscriber.as_member(),
                    patient=patient.as_member(),
                    active=_active(status),
                    plan_dates=_plan_dates(dates),
                    errors=errors,
                    benefits=benefits,
                    coverage_status=status,
                    trace_numbers=list(dict.fromkeys(subscriber.traces + patient.traces)),
                    payer=payer,
                    provider=provider,
                    control_number=transaction.control_number,
                )
            )
    if not subscribers:
        entries.append(
            EligibilityTransaction(
                errors=source_errors,
                payer=payer,
                provider=provider,
                control_number=transaction.control_number,
            )
        )
    return entries


def _check_trace(transaction: Transaction, entries: list[EligibilityTransaction], expected: str) -> None:
    traces = [trace for entry in entries for trace in entry.trace_numbers]
    if traces:
        if expected not in traces:
            trn = next(s for s in transaction.segments if s.id == "TRN")
            raise TraceMismatchError(
                f"trace number {trn.get(2)!r} does not match the request's {expected!r}: "
                "this 271 answers another inquiry",
                segment_number=trn.number,
                segment_id="TRN",
                position=trn.position,
                element=2,
            )
        return
    bht = next((s for s in transaction.segments if s.id == "BHT"), None)
    if bht is None or bht.get(3) != expected:
        where = bht or transaction.header
        raise TraceMismatchError(
            f"no TRN, and BHT03 {where.get(3)!r} does not match the request's {expected!r}",
            segment_number=where.number,
            segment_id=where.id,
            position=where.position,
            element=3,
        )


def parse_271(text: str, *, expected_trace: str | None = None) -> Response271:
    """Parse every 271 transaction set in `text`. With `expected_trace`, a 271 that does not echo
    that trace number (TRN02, or BHT03 when the payer answered before the subscriber level)
    raises TraceMismatchError. Malformed input raises an X12Error naming segment and position."""
    interchange = read_interchange(text)
    if not interchange.transactions:
        raise X12StructureError("the file holds no transaction set")
    entries: list[EligibilityTransaction] = []
    for transaction in interchange.transactions:
        parsed = _parse_transaction(transaction)
        if expected_trace is not None:
            _check_trace(transaction, parsed, expected_trace)
        entries.extend(parsed)
    return Response271(transactions=entries)
