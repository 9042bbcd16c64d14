"""Synthetic 837P claims for the tests and the benchmark (all data invented)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from core.domain.identifiers import npi_with_check_digit
from edi.x270 import Envelope
from edi.x837p import (
    Address,
    Adjustment,
    Batch,
    BillingProvider,
    Claim,
    Clinician,
    Facility,
    LineAdjudication,
    OtherPayer,
    Party,
    Payer,
    Person,
    ServiceLine,
    Subscriber,
)

DOS = date(2026, 3, 10)
STREET = Address("100 MAIN ST", "SPRINGFIELD", "IL", "627011234")
HOME = Address("12 ELM ST", "SPRINGFIELD", "IL", "62702")
BILLING = BillingProvider(
    name="CALM WATERS COUNSELING",
    npi="1234567893",
    tax_id="12-3456789",
    address=STREET,
    taxonomy="101YM0800X",
)
ANA = Person("RIVERA", "ANA", date(1985, 4, 2), "F", HOME)
LEO = Person("RIVERA", "LEO", date(2014, 9, 30), "M", HOME)
SUBSCRIBER = Subscriber(ANA, "SBX1001", group_number="GRP44")
PRIMARY = Payer("SANDBOX HEALTH", "SBXPAYER")
SECONDARY = Payer("SECOND MUTUAL", "SECPAYER")
RENDERING = Clinician("LEE", "JORDAN", npi_with_check_digit("123456780"), "101YM0800X")
SUPERVISOR = Clinician("STONE", "MARIA", npi_with_check_digit("123456781"), "103T00000X")


def line(**overrides: object) -> ServiceLine:
    base = ServiceLine(
        procedure="90837",
        charge=Decimal("150.00"),
        service_date=DOS,
        diagnosis_pointers=(1,),
        control_number="L1",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def claim(**overrides: object) -> Claim:
    base = Claim(
        claim_id="CLM000001",
        billing_provider=BILLING,
        subscriber=SUBSCRIBER,
        payer=PRIMARY,
        diagnoses=("F33.1",),
        lines=(line(),),
        rendering=RENDERING,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def secondary_claim() -> Claim:
    adjudication = LineAdjudication(
        payer_id=PRIMARY.payer_id,
        paid=Decimal("90.00"),
        adjudicated=date(2026, 3, 30),
        adjustments=(
            Adjustment("CO", "45", Decimal("20.00")),
            Adjustment("PR", "1", Decimal("30.00")),
            Adjustment("PR", "2", Decimal("10.00")),
        ),
    )
    return claim(
        claim_id="CLM000002",
        payer=SECONDARY,
        subscriber=Subscriber(ANA, "SEC2002", claim_filing="CI"),
        responsibility="S",
        insurance_type="",
        lines=(line(adjudications=(adjudication,)),),
        other_payers=(OtherPayer(PRIMARY, SUBSCRIBER, claim_control_number="ABC123"),),
    )


def batch(*claims: Claim, **overrides: object) -> Batch:
    base = Batch(
        submitter=Party("CALM WATERS COUNSELING", "PARITY", "BILLING OFFICE", "2175550100"),
        receiver=Party("SANDBOX CLEARINGHOUSE", "SBXCH"),
        claims=claims or (claim(),),
        reference="B000001",
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def envelope(**overrides: object) -> Envelope:
    base = Envelope(
        sender_id="PARITY",
        receiver_id="SBXCH",
        interchange_control_number=17,
        group_control_number=23,
        created=datetime(2026, 3, 11, 9, 30),  # noqa: DTZ001 (the envelope shows local time)
        transaction_control_number=1,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


FACILITY = Facility("CALM WATERS ANNEX", Address("200 OAK ST", "SPRINGFIELD", "IL", "62703"))


THIRD = Payer("THIRD STATE PLAN", "THIRDPAY")


def tertiary_claim() -> Claim:
    """After the primary (paid 90) and the secondary (paid 40 of the 60 left), to a third payer."""
    primary = secondary_claim()
    first = primary.lines[0].adjudications[0]
    second = LineAdjudication(
        payer_id=SECONDARY.payer_id,
        paid=Decimal("40.00"),
        adjudicated=date(2026, 4, 20),
        adjustments=(Adjustment("CO", "45", Decimal("20.00")), Adjustment("PR", "3", Decimal("90.00"))),
    )
    return replace(
        primary,
        claim_id="CLM000003",
        payer=THIRD,
        subscriber=Subscriber(ANA, "TRD3003", claim_filing="MC"),
        responsibility="T",
        lines=(replace(primary.lines[0], adjudications=(first, second)),),
        other_payers=(
            *primary.other_payers,
            OtherPayer(
                SECONDARY, Subscriber(ANA, "SEC2002"), responsibility="S", claim_control_number="SEC-77"
            ),
        ),
    )
