"""Write a 277CA claim acknowledgment (005010X214): the sandbox clearinghouse's and the sandbox
payer's per-claim answers, and test samples. `read_277ca(write_277ca(...))` gives the same sender,
statuses, claim ids and payer claim numbers back (a tested property), and pyx12 validates it.

The HL chain is the guide's: 20 information source (the clearinghouse, NM1*AY, or the payer,
NM1*PR: pitfall K3), 21 information receiver (the submitter, with the file-level status and
accepted/rejected counts and amounts), 19 billing provider (its trace and the same status), PT one per claim (TRN*2 echoing CLM01,
STC, REF*1K payer claim number, REF*D9 clearinghouse trace, DTP*472 dates of service).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from edi.x270 import Envelope, SegmentWriter, d8, write_isa_gs
from edi.x837p import amount

IMPLEMENTATION = "005010X214"
ACCEPTED_CATEGORIES = {"A1", "A2", "A5"}


@dataclass(frozen=True, slots=True)
class StatusNote:
    """One STC: category (A1 received, A2 accepted, A3 returned, A7 rejected ...), claim status
    code, entity (PR payer, IL subscriber, 85 billing provider ...)."""

    category: str
    code: str
    entity: str = ""
    effective: date | None = None  # STC02 (defaults to the acknowledgement's processed date)
    amount: Decimal | None = None  # STC04, the claim's charge (defaults to it at claim level)
    free_text: str = ""  # STC12

    @property
    def accepted(self) -> bool:
        return self.category in ACCEPTED_CATEGORIES


@dataclass(frozen=True, slots=True)
class ClaimNote:
    claim_id: str  # CLM01 echoed in TRN02
    charge: Decimal
    patient_last: str
    patient_first: str
    member_id: str
    statuses: tuple[StatusNote, ...]
    service_from: date
    service_to: date | None = None
    payer_claim_number: str = ""  # REF*1K (a payer's acceptance)
    clearinghouse_trace: str = ""  # REF*D9

    @property
    def accepted(self) -> bool:
        return all(status.accepted for status in self.statuses)


@dataclass(frozen=True, slots=True)
class ProviderNote:
    name: str
    npi: str
    claims: tuple[ClaimNote, ...]


@dataclass(frozen=True, slots=True)
class Acknowledgement277:
    sender_name: str
    sender_qualifier: str  # AY clearinghouse, PR payer
    sender_id: str
    receiver_name: str  # the submitter
    receiver_id: str
    trace: str  # TRN*1 of the source
    batch_reference: str  # TRN*2 of the receiver: the 837's BHT03
    received: date  # DTP*050
    processed: date  # DTP*009
    providers: tuple[ProviderNote, ...]
    receiver_status: StatusNote | None = None  # defaults to A1:19 (received) for the file
    reference: str = ""  # BHT03 (defaults to the trace)


def write_277ca(
    acknowledgements: Sequence[Acknowledgement277],
    envelope: Envelope,
    *,
    created: datetime | None = None,
    line_breaks: bool = False,
) -> str:
    """One interchange, one GS*HN, one 277 per acknowledgement (ST02 counting up)."""
    if not acknowledgements:
        raise ValueError("a 277CA file holds at least one acknowledgement")
    writer = SegmentWriter(envelope.delimiters)
    write_isa_gs(writer, envelope, functional_id="HN", implementation=IMPLEMENTATION)
    made = created or envelope.created
    for offset, ack in enumerate(acknowledgements):
        control = f"{envelope.transaction_control_number + offset:04d}"
        start = len(writer.segments)
        writer.add("ST", "277", control, IMPLEMENTATION)
        _write_one(writer, ack, made)
        writer.add("SE", str(len(writer.segments) - start + 1), control)
    writer.add("GE", str(len(acknowledgements)), str(envelope.group_control_number))
    writer.add("IEA", "1", f"{envelope.interchange_control_number:09d}")
    return writer.text(line_breaks=line_breaks)


def _stc(writer: SegmentWriter, status: StatusNote, effective: date | None, charge: Decimal | None) -> None:
    """STC; `effective` None leaves STC02 out (the provider level: not used there)."""
    c = writer.delimiters.component
    composite = c.join(part for part in (status.category, status.code, status.entity) if part)
    value = status.amount if status.amount is not None else charge
    when = "" if effective is None else d8(status.effective or effective)
    writer.add("STC", composite, when, "WQ" if status.accepted else "U",
               "" if value is None else amount(value), "", "", "", "", "", "", "", status.free_text)  # fmt: skip


def _write_one(writer: SegmentWriter, ack: Acknowledgement277, made: datetime) -> None:
    writer.add("BHT", "0085", "08", ack.reference or ack.trace, made.strftime("%Y%m%d"), made.strftime("%H%M"),
               "TH")  # fmt: skip
    writer.add("HL", "1", "", "20", "1")
    writer.add("NM1", ack.sender_qualifier, "2", ack.sender_name, "", "", "", "", "46", ack.sender_id)
    writer.add("TRN", "1", ack.trace)
    writer.add("DTP", "050", "D8", d8(ack.received))
    writer.add("DTP", "009", "D8", d8(ack.processed))
    writer.add("HL", "2", "1", "21", "1" if ack.providers else "0")
    writer.add("NM1", "41", "2", ack.receiver_name, "", "", "", "", "46", ack.receiver_id)
    writer.add("TRN", "2", ack.batch_reference)
    claims = [claim for provider in ack.providers for claim in provider.claims]
    accepted = [claim for claim in claims if claim.accepted]
    rejected = [claim for claim in claims if not claim.accepted]
    total = sum((claim.charge for claim in claims), Decimal(0))
    _stc(writer, ack.receiver_status or StatusNote("A1", "19", "PR"), ack.processed, total)
    if accepted:
        writer.add("QTY", "90", str(len(accepted)))
    if rejected:
        writer.add("QTY", "AA", str(len(rejected)))
    if accepted:
        writer.add("AMT", "YU", amount(sum((claim.charge for claim in accepted), Decimal(0))))
    if rejected:
        writer.add("AMT", "YY", amount(sum((claim.charge for claim in rejected), Decimal(0))))
    hl = 2
    for provider in ack.providers:
        hl += 1
        provider_hl = hl
        writer.add("HL", str(provider_hl), "2", "19", "1" if provider.claims else "0")
        writer.add("NM1", "85", "2", provider.name, "", "", "", "", "XX", provider.npi)
        writer.add("TRN", "1", f"{ack.trace}-{provider_hl}")  # 2200C, required by the guide
        provider_total = sum((claim.charge for claim in provider.claims), Decimal(0))
        _stc(writer, ack.receiver_status or StatusNote("A1", "19", "PR"), None, provider_total)
        for claim in provider.claims:
            hl += 1
            writer.add("HL", str(hl), str(provider_hl), "PT")
            writer.add(
                "NM1", "QC", "1", claim.patient_last, claim.patient_first, "", "", "", "MI", claim.member_id
            )
            writer.add("TRN", "2", claim.claim_id)
            for status in claim.statuses:
                _stc(writer, status, ack.processed, claim.charge)
            if claim.payer_claim_number:
                writer.add("REF", "1K", claim.payer_claim_number)
            if claim.clearinghouse_trace:
                writer.add("REF", "D9", claim.clearinghouse_trace)
            if claim.service_to is not None and claim.service_to != claim.service_from:
                writer.add("DTP", "472", "RD8", f"{d8(claim.service_from)}-{d8(claim.service_to)}")
            else:
                writer.add("DTP", "472", "D8", d8(claim.service_from))
