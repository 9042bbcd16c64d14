"""The CMS-1500 (02/12) paper claim, box by box, from the same typed claim the 837P is built from.

`cms1500_pages(claim, signed_on=...)` returns one dict of box values per printed page: the form
holds six service lines, so a claim with more lines prints on several pages, each repeating the
header boxes; the total charge (box 28) is printed on the last page only and the others say
"CONTINUED" (as the NUCC instructions ask). Keys are the box numbers ("1", "1a", "21A", "24D.3"),
with a suffix where one box holds several values ("3.dob", "3.sex", "5.city", "24A.1.from").

The input is `edi.x837p.Claim` on purpose: the paper and the electronic claim come from one
mapping, so they never disagree. Dates on the form are the form's own ("MM DD YYYY" for birth
dates, "MM DD YY" for service dates), not the screens' date_label. Values follow the NUCC 1500
reference instructions (in our words): names "LAST, FIRST", ICD-10-CM without the decimal point
and the ICD indicator 0, the supervising provider in box 17 with the qualifier DQ, the
resubmission code 7 or 8 with the payer's original reference in box 22.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from edi.x837p import Address, Claim, Person, ServiceLine, icd

LINES_PER_PAGE = 6
DIAGNOSIS_LETTERS = "ABCDEFGHIJKL"
SIGNATURE_ON_FILE = "SIGNATURE ON FILE"

# Box 1 from the claim filing indicator (SBR09) of the payer the claim goes to.
INSURANCE_TYPE = {
    "MA": "Medicare",
    "MB": "Medicare",
    "MC": "Medicaid",
    "CH": "TRICARE",
    "VA": "CHAMPVA",
    "BL": "Group Health Plan",
    "CI": "Group Health Plan",
    "HM": "Group Health Plan",
    "12": "Group Health Plan",
    "13": "Group Health Plan",
    "14": "Group Health Plan",
    "15": "Group Health Plan",
    "16": "Group Health Plan",
    "FI": "Group Health Plan",
}
OTHER_INSURANCE = "Other"
# Box 6 from PAT01 (the patient's relationship to the insured); "Self" when the patient is the insured.
RELATIONSHIP = {"01": "Spouse", "19": "Child"}
OTHER_RELATIONSHIP = "Other"
RESUBMISSION = {"7": "7", "8": "8"}  # replacement, void; an original claim leaves box 22 empty

Boxes = dict[str, str]


def form_name(last: str, first: str) -> str:
    return f"{last.strip().upper()}, {first.strip().upper()}".strip(", ")


def form_birth_date(day: date | None) -> str:
    return "" if day is None else f"{day:%m %d %Y}"


def form_service_date(day: date) -> str:
    return f"{day:%m %d %y}"


def form_money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):.2f}"


def form_units(value: Decimal) -> str:
    return format(value.normalize(), "f")


def form_zip(postal_code: str) -> str:
    digits = postal_code.replace("-", "")
    return f"{digits[:5]}-{digits[5:]}" if len(digits) == 9 else digits


def _address(boxes: Boxes, box: str, address: Address | None) -> None:
    if address is None:
        return
    street = address.line1.upper() + (f" {address.line2.upper()}" if address.line2 else "")
    boxes[f"{box}.street"] = street
    boxes[f"{box}.city"] = address.city.upper()
    boxes[f"{box}.state"] = address.state.upper()
    boxes[f"{box}.zip"] = form_zip(address.postal_code)


def _person(boxes: Boxes, name_box: str, person: Person) -> None:
    boxes[name_box] = form_name(person.last_name, person.first_name)


def _sex(gender: str) -> str:
    return gender if gender in {"F", "M"} else ""


def _header(claim: Claim, signed_on: date) -> Boxes:
    """Every box outside the service lines and the totals."""
    boxes: Boxes = {}
    subscriber = claim.subscriber
    patient = claim.patient or subscriber.person
    # Carrier block (top right): where the paper goes.
    boxes["carrier.name"] = claim.payer.name.upper()
    _address(boxes, "carrier", claim.payer.address)
    boxes["1"] = INSURANCE_TYPE.get(subscriber.claim_filing, OTHER_INSURANCE)
    boxes["1a"] = subscriber.member_id.strip().upper()
    _person(boxes, "2", patient)
    boxes["3.dob"] = form_birth_date(patient.birth_date)
    boxes["3.sex"] = _sex(patient.gender)
    _person(boxes, "4", subscriber.person)
    _address(boxes, "5", patient.address)
    boxes["6"] = (
        "Self" if claim.patient is None else RELATIONSHIP.get(claim.patient_relationship, OTHER_RELATIONSHIP)
    )
    _address(boxes, "7", subscriber.person.address)
    # 9, 9a, 9d: the other insured (on a secondary or tertiary claim, the payer before this one).
    if claim.other_payers:
        other = claim.other_payers[-1]
        _person(boxes, "9", other.subscriber.person)
        boxes["9a"] = (other.subscriber.group_number or other.subscriber.member_id).strip().upper()
        boxes["9d"] = other.payer.name.upper()
    boxes["10a"] = "NO"  # condition related to employment
    boxes["10b"] = "NO"  # auto accident
    boxes["10c"] = "NO"  # other accident
    boxes["11"] = subscriber.group_number.strip().upper()
    boxes["11a.dob"] = form_birth_date(subscriber.person.birth_date)
    boxes["11a.sex"] = _sex(subscriber.person.gender)
    boxes["11c"] = claim.payer.name.upper()
    boxes["11d"] = "YES" if claim.other_payers else "NO"
    boxes["12"] = SIGNATURE_ON_FILE if claim.release_of_information == "Y" else ""
    boxes["12.date"] = form_service_date(signed_on) if boxes["12"] else ""
    boxes["13"] = SIGNATURE_ON_FILE if claim.benefits_assigned else ""
    if claim.supervising is not None:
        boxes["17.qualifier"] = "DQ"
        boxes["17"] = form_name(claim.supervising.last_name, claim.supervising.first_name)
        boxes["17b"] = claim.supervising.npi
    boxes["20"] = "NO"  # outside lab
    boxes["21.ind"] = "0"  # ICD-10-CM
    for letter, code in zip(DIAGNOSIS_LETTERS, claim.diagnoses, strict=False):
        boxes[f"21{letter}"] = icd(code)
    if claim.frequency in RESUBMISSION:
        boxes["22.code"] = RESUBMISSION[claim.frequency]
        boxes["22.original"] = claim.payer_claim_control_number.strip().upper()
    boxes["23"] = claim.prior_authorization.strip().upper()
    provider = claim.billing_provider
    boxes["25"] = provider.tax_id.replace("-", "").strip()
    boxes["25.type"] = "EIN"
    boxes["26"] = claim.claim_id
    boxes["27"] = "YES" if claim.assignment in {"A", "B"} else "NO"
    signer = claim.rendering
    if claim.provider_signature:
        boxes["31"] = (
            form_name(signer.last_name, signer.first_name) if signer is not None else provider.name.upper()
        )
        boxes["31.date"] = form_service_date(signed_on)
    facility = claim.service_facility
    if facility is not None:
        boxes["32"] = facility.name.upper()
        _address(boxes, "32", facility.address)
        boxes["32a"] = facility.npi
    else:  # the billing provider's own office
        boxes["32"] = provider.name.upper()
        _address(boxes, "32", provider.address)
        boxes["32a"] = provider.npi
    boxes["33"] = (
        form_name(provider.name, provider.first_name)
        if provider.first_name.strip()
        else provider.name.upper()
    )
    _address(boxes, "33", provider.address)
    boxes["33a"] = provider.npi
    boxes["33b"] = f"ZZ{provider.taxonomy}" if provider.taxonomy else ""
    return boxes


def _line(boxes: Boxes, row: int, claim: Claim, line: ServiceLine) -> None:
    boxes[f"24A.{row}.from"] = form_service_date(line.service_date)
    boxes[f"24A.{row}.to"] = form_service_date(line.service_date)
    boxes[f"24B.{row}"] = line.place_of_service or claim.place_of_service
    boxes[f"24D.{row}"] = line.procedure.upper()
    boxes[f"24D.{row}.modifiers"] = " ".join(m.upper() for m in line.modifiers)
    boxes[f"24E.{row}"] = "".join(DIAGNOSIS_LETTERS[p - 1] for p in line.diagnosis_pointers)
    boxes[f"24F.{row}"] = form_money(line.charge)
    boxes[f"24G.{row}"] = form_units(line.units)
    if claim.rendering is not None:
        boxes[f"24I.{row}"] = "NPI"
        boxes[f"24J.{row}"] = claim.rendering.npi


def _paid_by_others(claim: Claim) -> Decimal:
    return sum((adjudication.paid for line in claim.lines for adjudication in line.adjudications), Decimal(0))


def cms1500_pages(claim: Claim, *, signed_on: date) -> list[Boxes]:
    """The box values of each printed page of `claim` (six service lines a page).

    `signed_on` is the date printed beside the signatures (boxes 12 and 31): the day the form is
    made. The claim is assumed valid for the 837P (edi.x837p.validate_claim): the caller builds it
    through the same mapping as the electronic claim.
    """
    header = _header(claim, signed_on)
    chunks = [claim.lines[i : i + LINES_PER_PAGE] for i in range(0, len(claim.lines), LINES_PER_PAGE)]
    pages: list[Boxes] = []
    for number, chunk in enumerate(chunks, start=1):
        boxes = dict(header)
        boxes["page"] = f"{number} of {len(chunks)}"
        for row, line in enumerate(chunk, start=1):
            _line(boxes, row, claim, line)
        if number == len(chunks):
            boxes["28"] = form_money(claim.total_charge)
            paid = _paid_by_others(claim)
            boxes["29"] = form_money(paid) if claim.other_payers else ""
        else:
            boxes["28"] = "CONTINUED"
            boxes["29"] = ""
        pages.append(boxes)
    return pages


def cms1500_boxes(claim: Claim, *, signed_on: date) -> Boxes:
    """The first page's boxes (the whole claim when it has six lines or fewer)."""
    return cms1500_pages(claim, signed_on=signed_on)[0]
