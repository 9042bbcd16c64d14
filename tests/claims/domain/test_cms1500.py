"""claims.domain.cms1500: the CMS-1500 (02/12) boxes from the 837P's typed claim, box by box."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from claims.domain.cms1500 import cms1500_boxes, cms1500_pages
from edi.x837p import Claim, Subscriber
from tests.edi.samples837 import (
    ANA,
    FACILITY,
    LEO,
    RENDERING,
    SUPERVISOR,
    claim,
    line,
    secondary_claim,
)

SIGNED = date(2026, 3, 12)
DX = ("F33.1", "F41.1", "F43.10", "F90.2", "Z63.0", "F32.9", "F40.10", "F42.2", "F50.00", "F51.01",
      "F60.3", "F63.81")  # fmt: skip

CASES: list[tuple[str, Claim, dict[str, str | None]]] = [
    (
        "original, patient is the insured",
        claim(),
        {
            "carrier.name": "SANDBOX HEALTH",
            "1": "Group Health Plan",
            "1a": "SBX1001",
            "2": "RIVERA, ANA",
            "3.dob": "04 02 1985",
            "3.sex": "F",
            "4": "RIVERA, ANA",
            "5.street": "12 ELM ST",
            "5.city": "SPRINGFIELD",
            "5.state": "IL",
            "5.zip": "62702",
            "6": "Self",
            "7.street": "12 ELM ST",
            "10a": "NO",
            "11": "GRP44",
            "11a.dob": "04 02 1985",
            "11c": "SANDBOX HEALTH",
            "11d": "NO",
            "12": "SIGNATURE ON FILE",
            "12.date": "03 12 26",
            "13": "SIGNATURE ON FILE",
            "21.ind": "0",
            "21A": "F331",
            "23": "",
            "24A.1.from": "03 10 26",
            "24A.1.to": "03 10 26",
            "24B.1": "11",
            "24D.1": "90837",
            "24D.1.modifiers": "",
            "24E.1": "A",
            "24F.1": "150.00",
            "24G.1": "1",
            "24I.1": "NPI",
            "24J.1": RENDERING.npi,
            "25": "123456789",
            "25.type": "EIN",
            "26": "CLM000001",
            "27": "YES",
            "28": "150.00",
            "29": "",
            "31": "LEE, JORDAN",
            "31.date": "03 12 26",
            "32": "CALM WATERS COUNSELING",
            "32a": "1234567893",
            "33": "CALM WATERS COUNSELING",
            "33.street": "100 MAIN ST",
            "33.zip": "62701-1234",
            "33a": "1234567893",
            "33b": "ZZ101YM0800X",
            "page": "1 of 1",
        },
    ),
    (
        "child patient: insured is the parent",
        claim(patient=LEO, patient_relationship="19"),
        {
            "2": "RIVERA, LEO",
            "3.dob": "09 30 2014",
            "3.sex": "M",
            "4": "RIVERA, ANA",
            "6": "Child",
            "11a.dob": "04 02 1985",
            "11a.sex": "F",
        },  # fmt: skip
    ),
    ("spouse", claim(patient=LEO, patient_relationship="01"), {"6": "Spouse"}),
    ("other relationship", claim(patient=LEO, patient_relationship="G8"), {"6": "Other"}),
    ("Medicare", claim(subscriber=Subscriber(ANA, "1EG4TE5MK72", claim_filing="MB")), {"1": "Medicare"}),
    ("Medicaid", claim(subscriber=Subscriber(ANA, "MCD123", claim_filing="MC")), {"1": "Medicaid"}),
    ("TRICARE", claim(subscriber=Subscriber(ANA, "TRI123", claim_filing="CH")), {"1": "TRICARE"}),
    ("workers' comp is Other", claim(subscriber=Subscriber(ANA, "WC123", claim_filing="WC")), {"1": "Other"}),
    (
        "supervised technician: box 17 with qualifier DQ",
        claim(supervising=SUPERVISOR, lines=(line(modifiers=("HN", "GT")),)),
        {"17.qualifier": "DQ", "17": "STONE, MARIA", "17b": SUPERVISOR.npi, "24D.1.modifiers": "HN GT"},
    ),
    (
        "secondary: other insured 9/9a/9d, 11d yes, amount paid",
        secondary_claim(),
        {
            "9": "RIVERA, ANA",
            "9a": "GRP44",
            "9d": "SANDBOX HEALTH",
            "11d": "YES",
            "1a": "SEC2002",
            "11c": "SECOND MUTUAL",
            "29": "90.00",
        },  # fmt: skip
    ),
    (
        "replacement: resubmission code 7 and the payer's original reference",
        claim(frequency="7", payer_claim_control_number="payer123"),
        {"22.code": "7", "22.original": "PAYER123"},
    ),
    (
        "void: code 8",
        claim(frequency="8", payer_claim_control_number="P9"),
        {"22.code": "8", "22.original": "P9"},
    ),
    ("original: box 22 empty", claim(), {"22.code": None, "22.original": None}),
    ("prior authorization", claim(prior_authorization="AUTH77"), {"23": "AUTH77"}),
    (
        "service facility elsewhere: box 32",
        claim(service_facility=FACILITY),
        {"32": "CALM WATERS ANNEX", "32.street": "200 OAK ST", "32.zip": "62703", "32a": ""},
    ),
    (
        "twelve diagnoses A-L without the decimal point; pointers as letters",
        claim(diagnoses=DX, lines=(line(diagnosis_pointers=(12, 1, 3, 10)),)),
        {"21A": "F331", "21C": "F4310", "21L": "F6381", "24E.1": "LACJ"},
    ),
    (
        "telehealth: line place of service and units with a fraction",
        claim(place_of_service="10", lines=(line(place_of_service="02", units=Decimal("1.5")),)),
        {"24B.1": "02", "24G.1": "1.5"},
    ),
    ("not assigned", claim(assignment="C"), {"27": "NO"}),
    ("no patient release on file", claim(release_of_information="I"), {"12": "", "12.date": ""}),
]


@pytest.mark.parametrize(("name", "subject", "expected"), CASES, ids=[c[0] for c in CASES])
def test_boxes(name: str, subject: Claim, expected: dict[str, str | None]) -> None:
    boxes = cms1500_boxes(subject, signed_on=SIGNED)
    for box, value in expected.items():
        if value is None:
            assert box not in boxes, f"box {box} should be empty"
        else:
            assert boxes.get(box) == value, f"box {box}: {boxes.get(box)!r} != {value!r}"


def test_no_rendering_clinician_leaves_24j_empty_and_signs_as_the_provider() -> None:
    boxes = cms1500_boxes(
        claim(rendering=None, billing_provider=replace(claim().billing_provider, first_name="SAM")),
        signed_on=SIGNED,
    )
    assert "24J.1" not in boxes
    assert boxes["33"] == "CALM WATERS COUNSELING, SAM"
    assert boxes["31"] == "CALM WATERS COUNSELING"


def test_more_than_six_lines_print_on_pages_with_the_total_on_the_last() -> None:
    lines = tuple(line(control_number=f"L{n}", charge=Decimal(100 + n)) for n in range(1, 9))
    pages = cms1500_pages(claim(lines=lines), signed_on=SIGNED)
    assert [p["page"] for p in pages] == ["1 of 2", "2 of 2"]
    assert pages[0]["28"] == "CONTINUED"
    assert pages[1]["28"] == f"{sum(100 + n for n in range(1, 9))}.00"
    assert pages[0]["24F.6"] == "106.00"
    assert "24F.1" in pages[1]
    assert "24F.3" not in pages[1]
    assert pages[1]["24F.2"] == "108.00"
    assert pages[1]["26"] == pages[0]["26"] == "CLM000001"  # the header repeats
