"""The 837P professional claim (005010X222A1): typed claim models and the builder.

One interchange, one functional group (GS*HC), and one transaction set per `max_per_transaction`
claims (the guide recommends at most 5,000 CLM per ST). Claims that share a billing provider (and
pay-to address) in a row share one 2000A; each claim has its own 2000B subscriber level and, when
the patient is not the subscriber, a 2000C patient level. Control numbers (ISA13, GS06, ST02) are
passed in through `edi.x270.Envelope`; nothing here invents them.

Missing or malformed data raises `ClaimDataError` naming the field (as "claims[3].lines[1].charge")
before a single segment is written: the builder never produces a broken or half-filled file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.domain.identifiers import (
    member_id_problems,
    npi_problems,
    street_address_problems,
    tax_id_problems,
)
from edi.errors import X12ValueError
from edi.reader import Delimiters
from edi.x270 import Envelope, SegmentWriter, _text, _validate_envelope, d8, write_isa_gs

IMPLEMENTATION = "005010X222A1"
MAX_DIAGNOSES = 12
MAX_MODIFIERS = 4
MAX_POINTERS = 4
MAX_LINES = 50
MAX_PCN_LENGTH = 17  # X12 allows 20; payers truncate beyond 17 (pitfall C6)
MAX_LINE_CONTROL_LENGTH = 30
FREQUENCIES = {"1": "original", "7": "replacement", "8": "void"}
RESPONSIBILITY = {"P": "primary", "S": "secondary", "T": "tertiary"}
# PAT01 / SBR02 individual relationship codes used for a patient who is not the subscriber.
RELATIONSHIPS = {"01": "spouse", "19": "child", "20": "employee", "21": "unknown", "39": "organ donor",
                 "40": "cadaver donor", "53": "life partner", "G8": "other relationship"}  # fmt: skip
CLAIM_FILING = {"11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI", "HM",
                "LM", "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ"}  # fmt: skip
INSURANCE_TYPES = {"12", "13", "14", "15", "16", "41", "42", "43", "47"}
_ECHOED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")  # CLM01, REF*6R: echoed back, written as given
ADJUSTMENT_GROUPS = {"CO", "CR", "OA", "PI", "PR"}
MAX_CAS_PER_SEGMENT = 6


class ClaimDataError(X12ValueError):
    """A claim the 837P cannot carry. `field` names the input, e.g. "claims[0].subscriber.member_id"."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        self.message = message
        super().__init__(f"{field_name}: {message}")


# -- models -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    city: str
    state: str  # two letters
    postal_code: str  # 5 or 9 digits (the billing provider needs 9)
    line2: str = ""


@dataclass(frozen=True, slots=True)
class Party:
    """Submitter (1000A) or receiver (1000B): an organization with the id the receiver knows."""

    name: str
    identifier: str
    contact_name: str = ""
    contact_phone: str = ""  # digits only


@dataclass(frozen=True, slots=True)
class BillingProvider:
    name: str  # organization name, or a person's last name when first_name is given
    npi: str
    tax_id: str  # EIN, 9 digits (hyphen allowed)
    address: Address  # a street address, never a PO box (pitfall C8)
    taxonomy: str = ""  # sent as PRV*BI when given (pitfall C9)
    first_name: str = ""
    pay_to: Address | None = None  # 2010AB, e.g. a PO box


@dataclass(frozen=True, slots=True)
class Person:
    last_name: str
    first_name: str
    birth_date: date | None = None
    gender: str = "U"  # F, M or U
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class Payer:
    name: str
    payer_id: str
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class Subscriber:
    person: Person
    member_id: str
    group_number: str = ""
    claim_filing: str = "CI"  # SBR09: CI commercial, MB Medicare B, MC Medicaid, BL Blue Cross ...


@dataclass(frozen=True, slots=True)
class Clinician:
    """A rendering (2310B) or supervising (2310D) provider: always a person with an NPI."""

    last_name: str
    first_name: str
    npi: str
    taxonomy: str = ""


@dataclass(frozen=True, slots=True)
class Facility:
    name: str
    address: Address
    npi: str = ""


@dataclass(frozen=True, slots=True)
class Adjustment:
    group: str  # CO, PR, OA, PI, CR
    reason: str  # CARC
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LineAdjudication:
    """What an earlier payer did with one line (2430): paid amount, adjustments, date."""

    payer_id: str  # must match an other payer's payer_id (2330B NM109)
    paid: Decimal
    adjudicated: date
    adjustments: tuple[Adjustment, ...] = ()
    units: Decimal | None = None  # defaults to the line's units


@dataclass(frozen=True, slots=True)
class ServiceLine:
    procedure: str  # CPT/HCPCS
    charge: Decimal
    service_date: date
    diagnosis_pointers: tuple[int, ...] = (1,)  # 1-based into Claim.diagnoses
    modifiers: tuple[str, ...] = ()
    units: Decimal = Decimal(1)
    place_of_service: str = ""  # only when it differs from the claim's
    control_number: str = ""  # REF*6R, echoed on the 835
    adjudications: tuple[LineAdjudication, ...] = ()


@dataclass(frozen=True, slots=True)
class OtherPayer:
    """An earlier payer on a secondary/tertiary claim (2320/2330A/2330B)."""

    payer: Payer
    subscriber: Subscriber
    responsibility: str = "P"  # that payer's SBR01
    relationship: str = "18"  # the patient's relationship to that subscriber (SBR02)
    claim_control_number: str = ""  # the earlier payer's CLP07, REF*F8 in 2330B (pitfall C2)
    claim_adjustments: tuple[Adjustment, ...] = ()
    insurance_type: str = ""  # SBR05


@dataclass(frozen=True, slots=True)
class Claim:
    claim_id: str  # CLM01, the patient control number
    billing_provider: BillingProvider
    subscriber: Subscriber
    payer: Payer
    diagnoses: tuple[str, ...]  # ICD-10-CM, with or without the dot; the first is the principal
    lines: tuple[ServiceLine, ...]
    place_of_service: str = "11"
    frequency: str = "1"  # 1 original, 7 replacement, 8 void
    payer_claim_control_number: str = ""  # REF*F8, required for 7/8 (pitfall C7)
    prior_authorization: str = ""  # REF*G1
    patient: Person | None = None  # 2000C when the patient is not the subscriber
    patient_relationship: str = "19"  # PAT01 when `patient` is given
    responsibility: str = "P"  # SBR01 of the destination payer
    insurance_type: str = ""  # SBR05: never on a primary claim (pitfall C3)
    provider_signature: bool = True  # CLM06
    assignment: str = "A"  # CLM07: A assigned, B lab only, C not assigned (pitfall C10)
    benefits_assigned: bool = True  # CLM08 Y/N
    release_of_information: str = "Y"  # CLM09: Y or I
    rendering: Clinician | None = None
    service_facility: Facility | None = None
    supervising: Clinician | None = None
    other_payers: tuple[OtherPayer, ...] = ()

    @property
    def total_charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal(0))


@dataclass(frozen=True, slots=True)
class Batch:
    submitter: Party
    receiver: Party
    claims: tuple[Claim, ...]
    reference: str  # BHT03, the originator's batch id
    max_per_transaction: int = 5000


# -- value helpers ------------------------------------------------------------------------------


def amount(value: Decimal) -> str:
    """An X12 R (decimal) value: no trailing zeros, no exponent ("150", "40.25", "0.5")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def icd(code: str) -> str:
    return code.replace(".", "").strip().upper()


class _Checker:
    def __init__(self, delimiters: Delimiters) -> None:
        self.delimiters = delimiters

    def text(self, where: str, value: str, *, max_length: int, required: bool = True) -> str:
        if required and not value.strip():
            raise ClaimDataError(where, "is required")
        try:
            return _text(value, "the value", self.delimiters, max_length=max_length)
        except X12ValueError as error:
            raise ClaimDataError(where, error.reason) from None

    def npi(self, where: str, value: str) -> str:
        problems = npi_problems(value)
        if problems:
            raise ClaimDataError(where, problems[0].message)
        return value.strip()

    def address(self, where: str, address: Address, *, street: bool = False, zip9: bool = False) -> None:
        if street:
            problems = street_address_problems(address.line1)
            if problems:
                raise ClaimDataError(f"{where}.line1", problems[0].message)
        self.text(f"{where}.line1", address.line1, max_length=55)
        self.text(f"{where}.line2", address.line2, max_length=55, required=False)
        self.text(f"{where}.city", address.city, max_length=30)
        if not (len(address.state) == 2 and address.state.isalpha()):
            raise ClaimDataError(f"{where}.state", "is two letters")
        digits = address.postal_code.replace("-", "")
        lengths = {9} if zip9 else {5, 9}
        if not digits.isdigit() or len(digits) not in lengths:
            raise ClaimDataError(
                f"{where}.postal_code", "is the 9-digit ZIP+4" if zip9 else "is 5 or 9 digits"
            )

    def amount(self, where: str, value: Decimal, *, positive: bool = False) -> None:
        if value < 0 or (positive and value == 0):
            raise ClaimDataError(where, "must be more than zero" if positive else "cannot be negative")
        if value != value.quantize(Decimal("0.01")):
            raise ClaimDataError(where, "has more than two decimals")

    def taxonomy(self, where: str, value: str) -> None:
        if value and not (len(value) == 10 and value.endswith("X") and value.isalnum()):
            raise ClaimDataError(where, "a taxonomy code is 10 characters ending in X")

    def person(self, where: str, person: Person, *, demographics: bool) -> None:
        self.text(f"{where}.last_name", person.last_name, max_length=60)
        self.text(f"{where}.first_name", person.first_name, max_length=35)
        if demographics:
            if person.birth_date is None:
                raise ClaimDataError(f"{where}.birth_date", "is required for the patient")
            if person.address is None:
                raise ClaimDataError(f"{where}.address", "is required for the patient")
            self.address(f"{where}.address", person.address)
        if person.gender not in {"F", "M", "U"}:
            raise ClaimDataError(f"{where}.gender", "is F, M or U")

    def subscriber(self, where: str, subscriber: Subscriber, *, is_patient: bool) -> None:
        self.person(f"{where}.person", subscriber.person, demographics=is_patient)
        problems = member_id_problems(subscriber.member_id)
        if problems:
            raise ClaimDataError(f"{where}.member_id", problems[0].message)
        self.text(f"{where}.group_number", subscriber.group_number, max_length=50, required=False)
        if subscriber.claim_filing not in CLAIM_FILING:
            raise ClaimDataError(f"{where}.claim_filing", f"{subscriber.claim_filing!r} is not a filing code")

    def payer(self, where: str, payer: Payer) -> None:
        self.text(f"{where}.name", payer.name, max_length=60)
        if not payer.payer_id.strip() or not payer.payer_id.isalnum() or len(payer.payer_id) > 80:
            raise ClaimDataError(f"{where}.payer_id", "is required (letters and digits)")
        if payer.address is not None:
            self.address(f"{where}.address", payer.address)

    def clinician(self, where: str, clinician: Clinician) -> None:
        self.text(f"{where}.last_name", clinician.last_name, max_length=60)
        self.text(f"{where}.first_name", clinician.first_name, max_length=35)
        self.npi(f"{where}.npi", clinician.npi)
        self.taxonomy(f"{where}.taxonomy", clinician.taxonomy)

    def adjustments(self, where: str, adjustments: Sequence[Adjustment]) -> None:
        for index, adjustment in enumerate(adjustments):
            here = f"{where}[{index}]"
            if adjustment.group not in ADJUSTMENT_GROUPS:
                raise ClaimDataError(f"{here}.group", "is CO, CR, OA, PI or PR")
            if not adjustment.reason.strip() or not adjustment.reason.isalnum() or len(adjustment.reason) > 5:
                raise ClaimDataError(f"{here}.reason", "an adjustment needs its reason code (pitfall C4)")
            if adjustment.amount == 0:
                raise ClaimDataError(f"{here}.amount", "an adjustment needs a non-zero amount (pitfall C4)")
            if adjustment.amount != adjustment.amount.quantize(Decimal("0.01")):
                raise ClaimDataError(f"{here}.amount", "has more than two decimals")
        for group in {a.group for a in adjustments}:
            if sum(1 for a in adjustments if a.group == group) > MAX_CAS_PER_SEGMENT:
                raise ClaimDataError(where, f"more than {MAX_CAS_PER_SEGMENT} {group} adjustments")


# What `validate_claim` found for each party many claims share (billing provider, payer,
# clinicians), keyed by the party's value; the fault is kept without its claim's path.
Checked = dict[tuple[str, object], "ClaimDataError | None"]


def _once(checked: Checked | None, where: str, key: tuple[str, object], check: Callable[[str], None]) -> None:
    """`check(where)`, run once per `key` when `checked` is given: a later claim naming the same
    party gets the same fault under its own path (the parties are frozen values)."""
    if checked is None:
        check(where)
        return
    if key not in checked:
        try:
            check("")
        except ClaimDataError as found:
            checked[key] = found
        else:
            checked[key] = None
    fault = checked[key]
    if fault is not None:
        raise ClaimDataError(where + fault.field, fault.message)


def _billing_provider(check: _Checker, where: str, provider: BillingProvider) -> None:
    check.text(f"{where}.billing_provider.name", provider.name, max_length=60)
    check.text(f"{where}.billing_provider.first_name", provider.first_name, max_length=35, required=False)
    check.npi(f"{where}.billing_provider.npi", provider.npi)
    if tax_id_problems(provider.tax_id):
        raise ClaimDataError(f"{where}.billing_provider.tax_id", "a tax ID (EIN) is 9 digits")
    check.address(f"{where}.billing_provider.address", provider.address, street=True, zip9=True)
    check.taxonomy(f"{where}.billing_provider.taxonomy", provider.taxonomy)
    if provider.pay_to is not None:
        check.address(f"{where}.billing_provider.pay_to", provider.pay_to)


def validate_claim(
    claim: Claim, delimiters: Delimiters, where: str = "claim", *, checked: Checked | None = None
) -> None:
    """Raise ClaimDataError naming the first field the 837P cannot carry. With `checked` (one
    dict per set of delimiters, e.g. per batch) the parties claims share are checked once."""
    check = _Checker(delimiters)
    if not _ECHOED_ID.fullmatch(claim.claim_id) or len(claim.claim_id) > MAX_PCN_LENGTH:
        raise ClaimDataError(
            f"{where}.claim_id", f"is 1 to {MAX_PCN_LENGTH} letters, digits or hyphens (pitfall C6)"
        )
    provider = claim.billing_provider
    _once(checked, where, ("billing", provider), lambda at: _billing_provider(check, at, provider))
    check.subscriber(f"{where}.subscriber", claim.subscriber, is_patient=claim.patient is None)
    _once(checked, where, ("payer", claim.payer), lambda at: check.payer(f"{at}.payer", claim.payer))
    if claim.patient is not None:
        check.person(f"{where}.patient", claim.patient, demographics=True)
        if claim.patient_relationship not in RELATIONSHIPS:
            raise ClaimDataError(f"{where}.patient_relationship", "is not a relationship code")
    if claim.responsibility not in RESPONSIBILITY:
        raise ClaimDataError(f"{where}.responsibility", "is P, S or T")
    if claim.responsibility == "P" and claim.insurance_type:
        raise ClaimDataError(f"{where}.insurance_type", "is never sent to the primary payer (pitfall C3)")
    if claim.insurance_type and claim.insurance_type not in INSURANCE_TYPES:
        raise ClaimDataError(f"{where}.insurance_type", f"{claim.insurance_type!r} is not an insurance type")
    if claim.responsibility != "P" and not claim.other_payers:
        raise ClaimDataError(
            f"{where}.other_payers", "a secondary or tertiary claim needs the earlier payers"
        )
    if claim.frequency not in FREQUENCIES:
        raise ClaimDataError(f"{where}.frequency", "a professional claim is 1, 7 or 8 (pitfall C7)")
    if claim.frequency in {"7", "8"} and not claim.payer_claim_control_number.strip():
        raise ClaimDataError(
            f"{where}.payer_claim_control_number",
            "a replacement or void needs the payer's claim control number (pitfall C7)",
        )
    check.text(
        f"{where}.payer_claim_control_number", claim.payer_claim_control_number, max_length=50, required=False
    )
    check.text(f"{where}.prior_authorization", claim.prior_authorization, max_length=50, required=False)
    if not (len(claim.place_of_service) == 2 and claim.place_of_service.isdigit()):
        raise ClaimDataError(f"{where}.place_of_service", "is two digits")
    if claim.assignment not in {"A", "B", "C"}:
        raise ClaimDataError(f"{where}.assignment", "is A, B or C")
    if claim.release_of_information not in {"Y", "I"}:
        raise ClaimDataError(f"{where}.release_of_information", "is Y or I")
    if not claim.diagnoses:
        raise ClaimDataError(f"{where}.diagnoses", "at least one diagnosis is required")
    if len(claim.diagnoses) > MAX_DIAGNOSES:
        raise ClaimDataError(f"{where}.diagnoses", f"at most {MAX_DIAGNOSES} diagnoses")
    for index, code in enumerate(claim.diagnoses):
        value = icd(code)
        if not (3 <= len(value) <= 7 and value[0].isalpha() and value.isalnum()):
            raise ClaimDataError(f"{where}.diagnoses[{index}]", f"{code!r} is not an ICD-10-CM code")
    if len({icd(code) for code in claim.diagnoses}) != len(claim.diagnoses):
        raise ClaimDataError(f"{where}.diagnoses", "a diagnosis is repeated")
    rendering, supervising = claim.rendering, claim.supervising
    if rendering is not None:
        _once(
            checked, where, ("rendering", rendering), lambda at: check.clinician(f"{at}.rendering", rendering)
        )
    elif not provider.first_name.strip():
        raise ClaimDataError(
            f"{where}.rendering",
            "a group (organization) billing NPI needs the rendering clinician (pitfall C8)",
        )
    if supervising is not None:
        _once(
            checked,
            where,
            ("supervising", supervising),
            lambda at: check.clinician(f"{at}.supervising", supervising),
        )
    if claim.service_facility is not None:
        check.text(f"{where}.service_facility.name", claim.service_facility.name, max_length=60)
        check.address(f"{where}.service_facility.address", claim.service_facility.address, street=True)
        if claim.service_facility.npi:
            check.npi(f"{where}.service_facility.npi", claim.service_facility.npi)
    payer_ids = set()
    for index, other in enumerate(claim.other_payers):
        here = f"{where}.other_payers[{index}]"
        check.payer(f"{here}.payer", other.payer)
        check.subscriber(f"{here}.subscriber", other.subscriber, is_patient=False)
        if other.responsibility not in RESPONSIBILITY or other.responsibility == claim.responsibility:
            raise ClaimDataError(f"{here}.responsibility", "is P, S or T and differs from the claim's")
        if other.relationship not in RELATIONSHIPS and other.relationship != "18":
            raise ClaimDataError(f"{here}.relationship", "is not a relationship code")
        check.text(f"{here}.claim_control_number", other.claim_control_number, max_length=50, required=False)
        check.adjustments(f"{here}.claim_adjustments", other.claim_adjustments)
        if other.insurance_type and other.insurance_type not in INSURANCE_TYPES:
            raise ClaimDataError(f"{here}.insurance_type", "is not an insurance type")
        payer_ids.add(other.payer.payer_id)
    if not claim.lines:
        raise ClaimDataError(f"{where}.lines", "at least one service line is required")
    if len(claim.lines) > MAX_LINES:
        raise ClaimDataError(f"{where}.lines", f"at most {MAX_LINES} lines on a professional claim")
    controls: set[str] = set()
    for index, line in enumerate(claim.lines):
        here = f"{where}.lines[{index}]"
        _validate_line(check, here, line, claim, payer_ids)
        if line.control_number:
            if line.control_number in controls:
                raise ClaimDataError(f"{here}.control_number", "line control numbers are unique (pitfall C5)")
            controls.add(line.control_number)
    check.amount(f"{where}.total_charge", claim.total_charge, positive=True)


def _validate_line(check: _Checker, where: str, line: ServiceLine, claim: Claim, payer_ids: set[str]) -> None:
    code = line.procedure.strip()
    if not (len(code) == 5 and code.isalnum()):
        raise ClaimDataError(f"{where}.procedure", "is a 5-character CPT or HCPCS code")
    if len(line.modifiers) > MAX_MODIFIERS:
        raise ClaimDataError(f"{where}.modifiers", f"at most {MAX_MODIFIERS} modifiers")
    for modifier in line.modifiers:
        if not (len(modifier) == 2 and modifier.isalnum()):
            raise ClaimDataError(f"{where}.modifiers", f"{modifier!r} is not a 2-character modifier")
    if len(set(line.modifiers)) != len(line.modifiers):
        raise ClaimDataError(f"{where}.modifiers", "a modifier is repeated")
    check.amount(f"{where}.charge", line.charge, positive=True)
    if line.units <= 0 or line.units != line.units.quantize(Decimal("0.001")):
        raise ClaimDataError(f"{where}.units", "is more than zero, with at most three decimals")
    if not line.diagnosis_pointers or len(line.diagnosis_pointers) > MAX_POINTERS:
        raise ClaimDataError(f"{where}.diagnosis_pointers", f"1 to {MAX_POINTERS} pointers")
    for pointer in line.diagnosis_pointers:
        if not 1 <= pointer <= len(claim.diagnoses):
            raise ClaimDataError(f"{where}.diagnosis_pointers", f"{pointer} points at no diagnosis")
    if len(set(line.diagnosis_pointers)) != len(line.diagnosis_pointers):
        raise ClaimDataError(f"{where}.diagnosis_pointers", "a pointer is repeated")
    if line.place_of_service and not (len(line.place_of_service) == 2 and line.place_of_service.isdigit()):
        raise ClaimDataError(f"{where}.place_of_service", "is two digits")
    if line.control_number and (
        not _ECHOED_ID.fullmatch(line.control_number) or len(line.control_number) > MAX_LINE_CONTROL_LENGTH
    ):
        raise ClaimDataError(
            f"{where}.control_number", "is at most 30 letters, digits or hyphens (pitfall C5)"
        )
    for index, adjudication in enumerate(line.adjudications):
        here = f"{where}.adjudications[{index}]"
        if adjudication.payer_id not in payer_ids:
            raise ClaimDataError(f"{here}.payer_id", "names no other payer of this claim")
        check.amount(f"{here}.paid", adjudication.paid)  # never negative (pitfall C4)
        check.adjustments(f"{here}.adjustments", adjudication.adjustments)
        balance = adjudication.paid + sum((a.amount for a in adjudication.adjustments), Decimal(0))
        if balance != line.charge:
            raise ClaimDataError(
                here,
                f"paid {adjudication.paid} plus adjustments is {balance}, not the line charge {line.charge}",
            )


# -- writing ------------------------------------------------------------------------------------


def _cas(writer: SegmentWriter, adjustments: Iterable[Adjustment]) -> None:
    """One CAS per group code, its reasons in triplets (pitfall C1)."""
    by_group: dict[str, list[Adjustment]] = {}
    for adjustment in adjustments:
        by_group.setdefault(adjustment.group, []).append(adjustment)
    for group, items in by_group.items():
        elements: list[str] = [group]
        for item in items:
            quantity = "" if item.quantity is None else amount(item.quantity)
            elements += [item.reason, amount(item.amount), quantity]
        writer.add("CAS", *elements)


def _address(writer: SegmentWriter, address: Address) -> None:
    d = writer.delimiters
    line1 = _text(address.line1, "address", d, max_length=55)
    line2 = _text(address.line2, "address", d, max_length=55)
    writer.add("N3", line1, line2)
    writer.add("N4", _text(address.city, "city", d, max_length=30), address.state.upper(),
               address.postal_code.replace("-", ""))  # fmt: skip


def _upper(writer: SegmentWriter, value: str, max_length: int) -> str:
    return _text(value, "value", writer.delimiters, max_length=max_length)


def _person_nm1(
    writer: SegmentWriter, entity: str, last: str, first: str, qualifier: str, ident: str
) -> None:
    writer.add(
        "NM1", entity, "1", _upper(writer, last, 60), _upper(writer, first, 35), "", "", "", qualifier, ident
    )


def _org_nm1(writer: SegmentWriter, entity: str, name: str, qualifier: str, ident: str) -> None:
    writer.add("NM1", entity, "2", _upper(writer, name, 60), "", "", "", "", qualifier, ident)


def _dmg(writer: SegmentWriter, person: Person) -> None:
    if person.birth_date is not None:
        writer.add("DMG", "D8", d8(person.birth_date), person.gender)


def _write_claim(writer: SegmentWriter, claim: Claim, hl: int, parent: int) -> int:
    """Write 2000B..2400 for `claim` under billing HL `parent`; return the last HL number used."""
    d = writer.delimiters
    subscriber = claim.subscriber
    is_patient = claim.patient is None
    subscriber_hl = hl + 1
    writer.add("HL", str(subscriber_hl), str(parent), "22", "0" if is_patient else "1")
    writer.add(
        "SBR",
        claim.responsibility,
        "18" if is_patient else "",
        _upper(writer, subscriber.group_number, 50),
        "",
        claim.insurance_type,
        "",
        "",
        "",
        subscriber.claim_filing,
    )
    _person_nm1(writer, "IL", subscriber.person.last_name, subscriber.person.first_name, "MI",
                subscriber.member_id.strip().upper())  # fmt: skip
    if subscriber.person.address is not None:
        _address(writer, subscriber.person.address)
    if is_patient:
        _dmg(writer, subscriber.person)
    _org_nm1(writer, "PR", claim.payer.name, "PI", claim.payer.payer_id)
    if claim.payer.address is not None:
        _address(writer, claim.payer.address)
    last_hl = subscriber_hl
    if claim.patient is not None:
        last_hl = subscriber_hl + 1
        writer.add("HL", str(last_hl), str(subscriber_hl), "23", "0")
        writer.add("PAT", claim.patient_relationship)
        writer.add("NM1", "QC", "1", _upper(writer, claim.patient.last_name, 60),
                   _upper(writer, claim.patient.first_name, 35))  # fmt: skip
        if claim.patient.address is not None:  # always, once validated
            _address(writer, claim.patient.address)
        _dmg(writer, claim.patient)
    # 2300
    c = d.component
    writer.add(
        "CLM",
        claim.claim_id,  # as given: the 277CA and the 835 echo it
        amount(claim.total_charge),
        "",
        "",
        f"{claim.place_of_service}{c}B{c}{claim.frequency}",
        "Y" if claim.provider_signature else "N",
        claim.assignment,
        "Y" if claim.benefits_assigned else "N",
        claim.release_of_information,
    )
    if claim.prior_authorization:
        writer.add("REF", "G1", _upper(writer, claim.prior_authorization, 50))
    if claim.frequency in {"7", "8"}:
        writer.add("REF", "F8", _upper(writer, claim.payer_claim_control_number, 50))
    codes = [icd(code) for code in claim.diagnoses]
    writer.add("HI", f"ABK{c}{codes[0]}", *(f"ABF{c}{code}" for code in codes[1:]))
    if claim.rendering is not None:
        r = claim.rendering
        _person_nm1(writer, "82", r.last_name, r.first_name, "XX", r.npi)
        if r.taxonomy:
            writer.add("PRV", "PE", "PXC", r.taxonomy)
    if claim.service_facility is not None and not _same_place(claim.service_facility, claim.billing_provider):
        f = claim.service_facility
        writer.add("NM1", "77", "2", _upper(writer, f.name, 60), "", "", "", "", "XX" if f.npi else "", f.npi)
        _address(writer, f.address)
    if claim.supervising is not None:
        s = claim.supervising
        _person_nm1(writer, "DQ", s.last_name, s.first_name, "XX", s.npi)
    for other in claim.other_payers:
        _write_other_payer(writer, claim, other)
    for number, line in enumerate(claim.lines, start=1):
        _write_line(writer, claim, line, number)
    return last_hl


def _same_place(facility: Facility, provider: BillingProvider) -> bool:
    """The service facility is the billing provider's own address: no 2310C (pitfall C8)."""
    return facility.address == provider.address and facility.npi in {"", provider.npi}


def _write_other_payer(writer: SegmentWriter, claim: Claim, other: OtherPayer) -> None:
    writer.add("SBR", other.responsibility, other.relationship, _upper(writer, other.subscriber.group_number, 50),
               "", other.insurance_type, "", "", "", other.subscriber.claim_filing)  # fmt: skip
    _cas(writer, other.claim_adjustments)
    paid = sum(
        (a.paid for line in claim.lines for a in line.adjudications if a.payer_id == other.payer.payer_id),
        Decimal(0),
    )
    writer.add("AMT", "D", amount(paid))
    writer.add("OI", "", "", "Y" if claim.benefits_assigned else "N", "", "", claim.release_of_information)
    person = other.subscriber.person
    _person_nm1(
        writer, "IL", person.last_name, person.first_name, "MI", other.subscriber.member_id.strip().upper()
    )
    if person.address is not None:
        _address(writer, person.address)
    _org_nm1(writer, "PR", other.payer.name, "PI", other.payer.payer_id)
    if other.payer.address is not None:
        _address(writer, other.payer.address)
    if other.claim_control_number:
        writer.add("REF", "F8", _upper(writer, other.claim_control_number, 50))


def _write_line(writer: SegmentWriter, claim: Claim, line: ServiceLine, number: int) -> None:
    c = writer.delimiters.component
    procedure = c.join(["HC", line.procedure.upper(), *(m.upper() for m in line.modifiers)])
    place = line.place_of_service if line.place_of_service != claim.place_of_service else ""
    writer.add("LX", str(number))
    writer.add("SV1", procedure, amount(line.charge), "UN", amount(line.units), place, "",
               c.join(str(p) for p in line.diagnosis_pointers))  # fmt: skip
    writer.add("DTP", "472", "D8", d8(line.service_date))
    if line.control_number:
        writer.add("REF", "6R", line.control_number)  # as given: the 835 echoes it
    for adjudication in line.adjudications:
        units = adjudication.units if adjudication.units is not None else line.units
        writer.add("SVD", adjudication.payer_id, amount(adjudication.paid), procedure, "", amount(units))
        _cas(writer, adjudication.adjustments)
        writer.add("DTP", "573", "D8", d8(adjudication.adjudicated))


def _write_billing(writer: SegmentWriter, provider: BillingProvider, hl: int) -> None:
    writer.add("HL", str(hl), "", "20", "1")
    if provider.taxonomy:
        writer.add("PRV", "BI", "PXC", provider.taxonomy)
    if provider.first_name.strip():
        _person_nm1(writer, "85", provider.name, provider.first_name, "XX", provider.npi)
    else:
        _org_nm1(writer, "85", provider.name, "XX", provider.npi)
    _address(writer, provider.address)
    writer.add("REF", "EI", provider.tax_id.replace("-", "").strip())
    if provider.pay_to is not None:
        writer.add("NM1", "87", "2")
        _address(writer, provider.pay_to)


def validate_batch(batch: Batch, envelope: Envelope) -> None:
    _validate_envelope(envelope)
    check = _Checker(envelope.delimiters)
    for who, party in (("submitter", batch.submitter), ("receiver", batch.receiver)):
        check.text(f"batch.{who}.name", party.name, max_length=60)
        check.text(f"batch.{who}.identifier", party.identifier, max_length=80)
    check.text("batch.submitter.contact_name", batch.submitter.contact_name, max_length=60)
    phone = batch.submitter.contact_phone
    if not (phone.isdigit() and len(phone) == 10):
        raise ClaimDataError("batch.submitter.contact_phone", "is 10 digits")
    if not batch.reference.strip() or not batch.reference.isalnum() or len(batch.reference) > 30:
        raise ClaimDataError("batch.reference", "is 1 to 30 letters or digits")
    if not batch.claims:
        raise ClaimDataError("batch.claims", "at least one claim is required")
    if not 1 <= batch.max_per_transaction <= 5000:
        raise ClaimDataError("batch.max_per_transaction", "is 1 to 5000")
    chunks = -(-len(batch.claims) // batch.max_per_transaction)
    if envelope.transaction_control_number + chunks - 1 > 999_999_999:
        raise ClaimDataError("envelope.transaction_control_number", "too high for this many transactions")
    seen: set[str] = set()
    checked: Checked = {}
    for index, claim in enumerate(batch.claims):
        validate_claim(claim, envelope.delimiters, f"claims[{index}]", checked=checked)
        if claim.claim_id in seen:
            raise ClaimDataError(f"claims[{index}].claim_id", "is already in this file (pitfall C6)")
        seen.add(claim.claim_id)


def build_837p(batch: Batch, envelope: Envelope, *, line_breaks: bool = False) -> str:
    """The 837P file for `batch`: ST02 counts up from envelope.transaction_control_number."""
    validate_batch(batch, envelope)
    writer = SegmentWriter(envelope.delimiters)
    write_isa_gs(writer, envelope, functional_id="HC", implementation=IMPLEMENTATION)
    step = batch.max_per_transaction
    chunks = [batch.claims[i : i + step] for i in range(0, len(batch.claims), step)]
    created = envelope.created
    for offset, chunk in enumerate(chunks):
        control = f"{envelope.transaction_control_number + offset:04d}"
        st_index = len(writer.segments)
        writer.add("ST", "837", control, IMPLEMENTATION)
        writer.add(
            "BHT", "0019", "00", batch.reference, created.strftime("%Y%m%d"), created.strftime("%H%M"), "CH"
        )
        sub, rec = batch.submitter, batch.receiver
        _org_nm1(writer, "41", sub.name, "46", sub.identifier)
        writer.add("PER", "IC", _upper(writer, sub.contact_name, 60), "TE", sub.contact_phone)
        _org_nm1(writer, "40", rec.name, "46", rec.identifier)
        hl = 0
        current: BillingProvider | None = None
        billing_hl = 0
        for claim in chunk:
            if claim.billing_provider != current:
                current = claim.billing_provider
                hl += 1
                billing_hl = hl
                _write_billing(writer, current, hl)
            hl = _write_claim(writer, claim, hl, billing_hl)
        writer.add("SE", str(len(writer.segments) - st_index + 1), control)
    writer.add("GE", str(len(chunks)), str(envelope.group_control_number))
    writer.add("IEA", "1", f"{envelope.interchange_control_number:09d}")
    return writer.text(line_breaks=line_breaks)
