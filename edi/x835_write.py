"""Write an 835 health care claim payment/advice (005010X221A1): the sandbox payer's remittances,
and test samples. `parse_835(write_835(...))` gives the same payments, claims, lines,
adjustments and provider-level adjustments back (a tested property), and the files pass pyx12.

Amounts are Decimal to the cent. `Payment.amount` defaults to the balanced BPR02
(sum CLP04 - sum PLB); give it to write a deliberately unbalanced file. A payment of zero is
written as a notification (BPR01 H, BPR04 NON) without bank details.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from edi.x270 import Envelope, SegmentWriter, d8, write_isa_gs

IMPLEMENTATION = "005010X221A1"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal) -> str:
    """An X12 amount to the cent, without trailing zeros ("150", "40.25", "-3.5")."""
    text = format(value.quantize(CENT), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


def _quantity(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True, slots=True)
class Cas:
    group: str  # CO, PR, OA, PI, CR
    reason: str  # CARC
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ServicePayment:
    code: str
    charge: Decimal  # SVC02
    paid: Decimal  # SVC03
    modifiers: tuple[str, ...] = ()
    units: Decimal | None = None  # SVC05
    original_code: str = ""  # SVC06: what was billed, when the payer changed the code or modifiers
    original_modifiers: tuple[str, ...] = ()
    service_date: date | None = None  # DTM*472
    adjustments: tuple[Cas, ...] = ()
    control_number: str = ""  # REF*6R (the 837's line item control number)
    allowed: Decimal | None = None  # AMT*B6 (informational)
    remarks: tuple[str, ...] = ()  # LQ*HE RARCs


@dataclass(frozen=True, slots=True)
class ClaimPaymentNote:
    claim_id: str  # CLP01, the 837's CLM01
    status: str  # CLP02: 1 primary, 2 secondary, 4 denied, 19 forwarded, 22 reversal ...
    charge: Decimal  # CLP03
    paid: Decimal  # CLP04
    patient_responsibility: Decimal | None  # CLP05
    payer_claim_number: str  # CLP07
    patient_last: str
    patient_first: str
    member_id: str
    filing_indicator: str = "12"  # CLP06
    facility_code: str = "11"  # CLP08, the place of service
    frequency: str = "1"  # CLP09
    adjustments: tuple[Cas, ...] = ()  # claim-level CAS
    corrected_member_id: str = ""  # NM1*74: the member ID the payer corrected (R16)
    crossover_name: str = ""  # NM1*TT: forwarded to this payer (CLP02 19)
    crossover_id: str = ""
    remarks: tuple[str, ...] = ()  # MOA remark codes
    statement_from: date | None = None  # DTM*232
    statement_to: date | None = None  # DTM*233
    received: date | None = None  # DTM*050
    lines: tuple[ServicePayment, ...] = ()


@dataclass(frozen=True, slots=True)
class ProviderAdjustmentNote:
    reason: str  # PLB03-1: L6 interest, WO overpayment recovery, FB forward balance, 72 ...
    amount: Decimal  # positive: taken from the payment; negative: added to it
    reference: str = ""  # PLB03-2


@dataclass(frozen=True, slots=True)
class Payment:
    trace: str  # TRN02, the check or EFT number
    payer_name: str
    payer_id: str  # REF*2U and TRN03's company (a 10-character originator id is made from it)
    payee_name: str
    payee_npi: str
    payment_date: date  # BPR16
    claims: tuple[ClaimPaymentNote, ...]
    provider_adjustments: tuple[ProviderAdjustmentNote, ...] = ()
    fiscal_period_end: date | None = None  # PLB02 (defaults to Dec 31 of the payment year)
    amount: Decimal | None = None  # BPR02; None: the balanced amount
    payee_tax_id: str = ""
    production_date: date | None = None  # DTM*405 (defaults to the payment date)
    originator: str = "1999999999"  # TRN03: "1" + the payer's EIN

    @property
    def balanced_amount(self) -> Decimal:
        return sum((claim.paid for claim in self.claims), ZERO) - sum(
            (item.amount for item in self.provider_adjustments), ZERO
        )


def _cas(writer: SegmentWriter, adjustments: Sequence[Cas]) -> None:
    """One CAS per group (in first-seen order), at most six reasons each."""
    groups: dict[str, list[Cas]] = {}
    for item in adjustments:
        groups.setdefault(item.group, []).append(item)
    for group, items in groups.items():
        for start in range(0, len(items), 6):
            elements = [group]
            for item in items[start : start + 6]:
                elements += [item.reason, money(item.amount),
                             "" if item.quantity is None else _quantity(item.quantity)]  # fmt: skip
            writer.add("CAS", *elements)


def _procedure(writer: SegmentWriter, code: str, modifiers: Sequence[str]) -> str:
    return writer.delimiters.component.join(["HC", code, *modifiers])


def _bpr(writer: SegmentWriter, payment: Payment, total: Decimal) -> None:
    when = d8(payment.payment_date)
    if total == 0:
        writer.add("BPR", "H", "0", "C", "NON", "", "", "", "", "", "", "", "", "", "", "", when)
        return
    writer.add("BPR", "I", money(abs(total)), "C" if total > 0 else "D", "ACH", "CCP", "01", "999999999", "DA",
               "123456", payment.originator, "", "01", "999988880", "DA", "98765", when)  # fmt: skip


def _claim(writer: SegmentWriter, claim: ClaimPaymentNote) -> None:
    writer.add("CLP", claim.claim_id, claim.status, money(claim.charge), money(claim.paid),
               "" if claim.patient_responsibility is None else money(claim.patient_responsibility),
               claim.filing_indicator, claim.payer_claim_number, claim.facility_code, claim.frequency)  # fmt: skip
    _cas(writer, claim.adjustments)
    writer.add("NM1", "QC", "1", claim.patient_last, claim.patient_first, "", "", "", "MI", claim.member_id)
    if claim.corrected_member_id:
        writer.add("NM1", "74", "1", claim.patient_last, claim.patient_first, "", "", "", "C",
                   claim.corrected_member_id)  # fmt: skip
    if claim.crossover_name:
        writer.add("NM1", "TT", "2", claim.crossover_name, "", "", "", "", "PI", claim.crossover_id)
    if claim.remarks:
        writer.add("MOA", "", "", *claim.remarks[:5])
    if claim.statement_from is not None:
        writer.add("DTM", "232", d8(claim.statement_from))
    if claim.statement_to is not None:
        writer.add("DTM", "233", d8(claim.statement_to))
    if claim.received is not None:
        writer.add("DTM", "050", d8(claim.received))
    for line in claim.lines:
        original = (
            _procedure(writer, line.original_code, line.original_modifiers) if line.original_code else ""
        )
        units = "" if line.units is None else _quantity(line.units)
        writer.add("SVC", _procedure(writer, line.code, line.modifiers), money(line.charge), money(line.paid), "",
                   units, original)  # fmt: skip
        if line.service_date is not None:
            writer.add("DTM", "472", d8(line.service_date))
        _cas(writer, line.adjustments)
        if line.control_number:
            writer.add("REF", "6R", line.control_number)
        if line.allowed is not None:
            writer.add("AMT", "B6", money(line.allowed))
        for remark in line.remarks:
            writer.add("LQ", "HE", remark)


def _plb(writer: SegmentWriter, payment: Payment) -> None:
    c = writer.delimiters.component
    period = payment.fiscal_period_end or date(payment.payment_date.year, 12, 31)
    items = payment.provider_adjustments
    for start in range(0, len(items), 6):
        elements = [payment.payee_npi, d8(period)]
        for item in items[start : start + 6]:
            reason = f"{item.reason}{c}{item.reference}" if item.reference else item.reason
            elements += [reason, money(item.amount)]
        writer.add("PLB", *elements)


def write_835(payments: Sequence[Payment], envelope: Envelope, *, line_breaks: bool = False) -> str:
    """One interchange, one GS*HP, one 835 per payment (ST02 counting up)."""
    if not payments:
        raise ValueError("an 835 file holds at least one payment")
    writer = SegmentWriter(envelope.delimiters)
    write_isa_gs(writer, envelope, functional_id="HP", implementation=IMPLEMENTATION)
    for offset, payment in enumerate(payments):
        control = f"{envelope.transaction_control_number + offset:04d}"
        start = len(writer.segments)
        total = payment.amount if payment.amount is not None else payment.balanced_amount
        writer.add("ST", "835", control)  # pyx12's 005010X221A1 map: ST03 not used
        _bpr(writer, payment, total)
        writer.add("TRN", "1", payment.trace, payment.originator)
        writer.add("DTM", "405", d8(payment.production_date or payment.payment_date))
        writer.add("N1", "PR", payment.payer_name)
        writer.add("N3", "1 SANDBOX WAY")
        writer.add("N4", "SPRINGFIELD", "IL", "62701")
        writer.add("REF", "2U", payment.payer_id)
        writer.add("PER", "BL", "PROVIDER SERVICES", "TE", "8005550100")
        writer.add("N1", "PE", payment.payee_name, "XX", payment.payee_npi)
        if payment.payee_tax_id:
            writer.add("REF", "TJ", payment.payee_tax_id)
        if payment.claims:
            writer.add("LX", "1")
            for claim in payment.claims:
                _claim(writer, claim)
        if payment.provider_adjustments:
            _plb(writer, payment)
        writer.add("SE", str(len(writer.segments) - start + 1), control)
    writer.add("GE", str(len(payments)), str(envelope.group_control_number))
    writer.add("IEA", "1", f"{envelope.interchange_control_number:09d}")
    return writer.text(line_breaks=line_breaks)
