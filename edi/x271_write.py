"""Write `EligibilityTransaction` models (edi.x271) as a 271: the sandbox payer's answers, and
test samples. `parse_271(write_271(entries, ...))` gives the entries back (a tested property)."""

from __future__ import annotations

from decimal import Decimal

from edi.x270 import IMPLEMENTATION, Envelope, SegmentWriter, close_envelope, d8, write_isa_gs
from edi.x271 import (
    LEVEL_BENEFIT,
    LEVEL_DEPENDENT,
    LEVEL_RECEIVER,
    LEVEL_SOURCE,
    LEVEL_SUBSCRIBER,
    AaaError,
    Benefit,
    DateRange,
    EligibilityTransaction,
    Entity,
    Member,
    PlanDates,
)


def _number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _yn(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def _write_aaa(writer: SegmentWriter, error: AaaError) -> None:
    writer.add("AAA", _yn(error.valid_request), "", error.code, error.follow_up_action or "")


def _write_dates(writer: SegmentWriter, dates: PlanDates) -> None:
    pairs = (
        ("346", dates.plan_begin),
        ("347", dates.plan_end),
        ("356", dates.eligibility_begin),
        ("357", dates.eligibility_end),
    )
    for qualifier, value in pairs:
        if value is not None:
            writer.add("DTP", qualifier, "D8", d8(value))
    for item in dates.other:
        _write_range(writer, item)


def _write_range(writer: SegmentWriter, item: DateRange) -> None:
    if item.end is None:
        writer.add("DTP", item.qualifier, "D8", d8(item.begin))
    else:
        writer.add("DTP", item.qualifier, "RD8", f"{d8(item.begin)}-{d8(item.end)}")


def _write_name(writer: SegmentWriter, entity: str, member: Member) -> None:
    writer.add(
        "NM1",
        entity,
        "1",
        member.last_name or "",
        member.first_name or "",
        member.middle_name or "",
        "",
        "",
        "MI" if member.member_id else "",
        member.member_id or "",
    )
    if member.group_number:
        writer.add("REF", "6P", member.group_number)


def _write_demographics(writer: SegmentWriter, member: Member) -> None:
    if member.birth_date is not None or member.gender:
        writer.add("DMG", "D8", d8(member.birth_date) if member.birth_date else "", member.gender or "")
    if member.relationship:
        writer.add("INS", "Y" if member.relationship == "18" else "N", member.relationship)


def _write_benefit(writer: SegmentWriter, benefit: Benefit) -> None:
    d = writer.delimiters
    writer.add(
        "EB",
        benefit.eb01,
        benefit.coverage_level or "",
        d.repetition.join(benefit.service_types),
        benefit.insurance_type or "",
        benefit.plan_description or "",
        benefit.time_period or "",
        _number(benefit.amount),
        _number(benefit.percent),
        benefit.quantity_qualifier or "",
        _number(benefit.quantity),
        _yn(benefit.auth_required),
        _yn(benefit.in_network),
    )
    for item in benefit.dates:
        _write_range(writer, item)
    for message in benefit.messages:
        writer.add("MSG", message)
    if benefit.related_entities:
        writer.add("LS", "2120")
        for entity in benefit.related_entities:
            writer.add(
                "NM1",
                entity.entity_code,
                "1" if entity.first_name else "2",
                entity.name,
                entity.first_name or "",
                "",
                "",
                "",
                entity.id_qualifier or "",
                entity.id or "",
            )
        writer.add("LE", "2120")


def write_271(
    entries: list[EligibilityTransaction],
    envelope: Envelope,
    *,
    reference: str,
    trace_originator: str = "9SANDBOXPY",
    line_breaks: bool = False,
) -> str:
    """One 271 transaction set answering `entries` (same payer and provider). Errors at the
    information source or receiver level are written at that level; an entry without a
    subscriber stands for a rejection before the subscriber level. `reference` is BHT03 (the
    inquiry's reference, echoed)."""
    if not entries:
        raise ValueError("write_271 needs at least one entry")
    first = entries[0]
    writer = SegmentWriter(envelope.delimiters)
    write_isa_gs(writer, envelope, functional_id="HB")
    st_index = len(writer.segments)
    writer.add("ST", "271", f"{envelope.transaction_control_number:04d}", IMPLEMENTATION)
    created = envelope.created
    writer.add("BHT", "0022", "11", reference, created.strftime("%Y%m%d"), created.strftime("%H%M"))
    with_members = [entry for entry in entries if entry.subscriber is not None]
    source_errors = [e for e in first.errors if e.level == LEVEL_SOURCE]
    receiver_errors = [e for e in first.errors if e.level == LEVEL_RECEIVER]
    payer = first.payer or Entity(entity_code="PR", name="UNKNOWN PAYER")
    writer.add("HL", "1", "", "20", "1" if (with_members or first.provider) else "0")
    writer.add("NM1", "PR", "2", payer.name, "", "", "", "", payer.id_qualifier or "", payer.id or "")
    for error in source_errors:
        _write_aaa(writer, error)
    if first.provider is None:
        close_envelope(writer, envelope, st_index=st_index)
        return writer.text(line_breaks=line_breaks)
    provider = first.provider
    writer.add("HL", "2", "1", "21", "1" if with_members else "0")
    writer.add(
        "NM1",
        provider.entity_code,
        "1" if provider.first_name else "2",
        provider.name,
        provider.first_name or "",
        "",
        "",
        "",
        provider.id_qualifier or "",
        provider.id or "",
    )
    for error in receiver_errors:
        _write_aaa(writer, error)
    hl = 2
    for entry in with_members:
        assert entry.subscriber is not None  # noqa: S101 (filtered above)
        patient_is_subscriber = entry.patient is None or entry.patient == entry.subscriber
        hl += 1
        subscriber_hl = hl
        writer.add("HL", str(hl), "2", "22", "0" if patient_is_subscriber else "1")
        member_errors = [
            e for e in entry.errors if e.level in {LEVEL_SUBSCRIBER, LEVEL_DEPENDENT, LEVEL_BENEFIT}
        ]
        if patient_is_subscriber:
            _write_patient(writer, "IL", entry.subscriber, entry, trace_originator, member_errors)
            continue
        _write_name(writer, "IL", entry.subscriber)
        for error in member_errors:
            if error.level == LEVEL_SUBSCRIBER:
                _write_aaa(writer, error)
        _write_demographics(writer, entry.subscriber)
        hl += 1
        writer.add("HL", str(hl), str(subscriber_hl), "23", "0")
        assert entry.patient is not None  # noqa: S101 (patient_is_subscriber is False)
        _write_patient(
            writer,
            "03",
            entry.patient,
            entry,
            trace_originator,
            [e for e in member_errors if e.level != LEVEL_SUBSCRIBER],
        )
    close_envelope(writer, envelope, st_index=st_index)
    return writer.text(line_breaks=line_breaks)


def _write_patient(
    writer: SegmentWriter,
    entity: str,
    member: Member,
    entry: EligibilityTransaction,
    trace_originator: str,
    errors: list[AaaError],
) -> None:
    for trace in entry.trace_numbers:
        writer.add("TRN", "2", trace, trace_originator)
    _write_name(writer, entity, member)
    for error in errors:
        if error.level != LEVEL_BENEFIT:
            _write_aaa(writer, error)
    _write_demographics(writer, member)
    _write_dates(writer, entry.plan_dates)
    for benefit in entry.benefits:
        _write_benefit(writer, benefit)
