"""The 835 parser and its balancing, on synthetic samples written from the guide."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from edi.errors import X12Error
from edi.x835 import claim_imbalance, imbalances, line_imbalance, parse_835, read_835, transaction_imbalance
from tests.edi.samples_835 import DENIED, PAID, REVERSAL, envelope


def test_payment_trace_parties_and_plb():
    tx = parse_835(envelope(PAID)).transactions[0]
    assert (tx.payment_amount, tx.trace_number, tx.payment_method) == (Decimal("213.66"), "EFT1001", "ACH")
    assert tx.payment_date == date(2026, 12, 1)
    assert tx.production_date == date(2026, 11, 30)
    assert tx.payer is not None
    assert tx.payer.name == "SYNTHETIC HEALTH PLAN"
    assert tx.payer_id == "SYNPAYER1"
    assert tx.payee is not None
    assert (tx.payee.npi, tx.payee.tax_id) == ("1234567893", "123456789")
    assert [(p.reason, p.reference, p.amount) for p in tx.provider_adjustments] == [
        ("L6", "", Decimal("-3.66")),
        ("WO", "PCN999 20261001", Decimal("40.00")),
    ]
    assert imbalances(tx) == []


def test_claims_lines_people_and_adjustments():
    tx = parse_835(envelope(PAID)).transactions[0]
    first, changed, no_ref = tx.claims
    assert (first.patient_control_number, first.status, first.payer_claim_control_number) == (
        "PCN100",
        "1",
        "PAYERCCN1",
    )
    assert first.patient is not None
    assert first.patient.id == "MEM123"
    assert first.corrected_insured is not None
    assert first.corrected_insured.id == "MEMNEW9"
    assert first.rendering is not None
    assert first.rendering.npi == "1234567893"
    assert first.outpatient_remarks == ("MA01",)
    assert first.header_number == "1"
    line = first.lines[0]
    assert (line.procedure.code, line.procedure.modifiers, line.control_number) == ("90837", ("95",), "L1")
    assert [(a.group, a.reason, a.amount) for a in line.adjustments] == [
        ("CO", "45", Decimal("50.00")),
        ("PR", "2", Decimal("30.00")),
    ]
    assert line.allowed == Decimal("150.00")
    assert line.service_date == date(2026, 11, 1)
    # a quantity on the triplet
    assert [(a.group, a.reason, a.quantity) for a in first.lines[1].adjustments] == [
        ("CO", "45", Decimal("1")),
        ("PR", "2", None),
    ]
    assert changed.lines[0].procedure.code == "90834"
    assert changed.lines[0].original_procedure is not None
    assert changed.lines[0].billed_procedure.code == "90837"
    assert no_ref.lines[0].control_number == ""


def test_reversal_keeps_negative_amounts_and_balances():
    tx = parse_835(envelope(REVERSAL)).transactions[0]
    reversal, correction = tx.claims
    assert reversal.is_reversal
    assert reversal.paid == Decimal("-50.00")
    assert not correction.is_reversal
    assert imbalances(tx) == []


def test_several_transactions_per_interchange():
    remittance = parse_835(envelope(PAID, REVERSAL, DENIED))
    assert [t.trace_number for t in remittance.transactions] == ["EFT1001", "EFT2002", "CHK3003"]
    denied = remittance.transactions[2].claims[0]
    assert denied.is_denied
    assert denied.lines[0].remarks == ("M62",)


def _off(body: list[str], old: str, new: str) -> list[str]:
    return [new if segment == old else segment for segment in body]


@pytest.mark.parametrize(
    ("old", "new", "level", "difference"),
    [
        (
            "BPR*I*213.66*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261201",
            "BPR*I*213.67*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261201",
            "transaction",
            Decimal("0.01"),
        ),
        (
            "CLP*PCN200*1*150.00*90.00*0*12*PAYERCCN2*11*1",
            "CLP*PCN200*1*155.00*90.00*0*12*PAYERCCN2*11*1",
            "claim",
            Decimal("-5.00"),
        ),
    ],
)
def test_imbalance_reports_level_and_amount(old, new, level, difference):
    tx = parse_835(envelope(_off(PAID, old, new))).transactions[0]
    found = [i for i in imbalances(tx) if i.level == level]
    assert len(found) == 1
    assert found[0].difference == difference


def test_line_imbalance_names_the_line():
    body = _off(PAID, "SVC*HC:90785*100.00*40.00**1", "SVC*HC:90785*100.00*39.99**1")
    tx = parse_835(envelope(body)).transactions[0]
    off = line_imbalance(tx.claims[0], 1)
    assert off is not None
    assert off.difference == Decimal("-0.01")
    assert off.key == "PCN100#2"
    assert line_imbalance(tx.claims[0], 0) is None
    assert claim_imbalance(tx.claims[0]) is None
    assert transaction_imbalance(tx) is None


@pytest.mark.parametrize(
    ("old", "new", "element"),
    [
        ("CAS*CO*45*60.00", "CAS*CO*45*6O.00", "CAS03"),
        ("CAS*CO*45*60.00", "CAS**45*60.00", "CAS01"),
        ("CAS*CO*45*60.00", "CAS*NaN*45*60.00", "CAS01"),  # was read, then broke the posting's COPY
        ("CAS*CO*45*60.00", "CAS*CO**60.00", "CAS02"),
        ("DTM*472*20261102", "DTM*472*20261332", "DTM02"),
        ("SVC*HC:90834*150.00*90.00**1*HC:90837", "SVC*90834*150.00*90.00**1", "SVC01"),
        ("CLP*PCN200*1*150.00*90.00*0*12*PAYERCCN2*11*1", "CLP*PCN200*1**90.00", "CLP03"),
    ],
)
def test_malformed_values_give_located_errors(old, new, element):
    text = envelope(_off(PAID, old, new))
    result, error = read_835(text)
    assert result is None
    assert error is not None
    assert error.segment_number is not None
    assert error.position is not None
    assert f"({element})" in str(error)
    assert text[error.position :].startswith(new[:3])


def test_cas_with_more_than_six_triplets_is_refused():
    cas = "CAS*CO" + "*45*1.00*" * 6 + "*45*1.00"
    _, error = read_835(envelope(_off(PAID, "CAS*CO*45*60.00", cas)))
    assert error is not None
    assert error.segment_id == "CAS"


def test_six_triplets_are_read():
    cas = "CAS*CO" + "*45*10.00*" * 5 + "*45*10.00"
    tx = parse_835(envelope(_off(PAID, "CAS*CO*45*60.00", cas))).transactions[0]
    assert len(tx.claims[1].lines[0].adjustments) == 6


def test_not_an_835_is_refused():
    text = envelope(PAID).replace("ST*835*0001", "ST*271*0001")
    with pytest.raises(X12Error, match="an 835 was expected"):
        parse_835(text)


def test_impossible_payment_date_is_a_warning_not_a_refusal():
    body = [s.replace("*20261201", "*20262316") if s.startswith("BPR") else s for s in PAID]
    tx = parse_835(envelope(body)).transactions[0]
    assert tx.payment_date is None
    assert "BPR16" in tx.warnings[0]


def test_blank_lines_between_segments_are_tolerated():
    text = envelope(PAID).replace("~\n", "~\n\n")
    assert len(parse_835(text).transactions[0].claims) == 3


def test_claim_without_service_lines_balances_at_claim_level():
    tx = parse_835(envelope(DENIED)).transactions[0]
    assert tx.claims[1].lines == ()
    assert claim_imbalance(tx.claims[1]) is None


def test_r9_claim_payment_equals_the_lines_payments_less_the_claim_level_adjustments():
    """With service lines, CLP04 = the lines' SVC03 less the claim-level CAS (X12 RFI 1053, R9):
    a line the file lost (a mangled SVC) leaves CLP04 above what the lines pay, and is found."""
    from dataclasses import replace

    from edi.x835 import lines_imbalance

    claim = parse_835(envelope(PAID)).transactions[0].claims[0]
    assert len(claim.lines) == 2
    assert lines_imbalance(claim) is None
    lost = replace(claim, lines=claim.lines[:1])
    off = lines_imbalance(lost)
    assert off is not None
    assert off.difference == -claim.lines[1].paid
    assert [i.rule for i in imbalances(replace(parse_835(envelope(PAID)).transactions[0], claims=(lost,)))][
        -1:
    ] != []
    assert lines_imbalance(replace(claim, lines=())) is None  # no lines: the claim level alone
    # RFI 1053's case: a claim-level PR of 5.00 lowers CLP04 below what the lines pay
    from edi.x835 import Adjustment

    pr5 = Adjustment(group="PR", reason="1", amount=Decimal("5.00"), quantity=None, segment_number=0)
    with_claim_level = replace(claim, adjustments=(pr5,), paid=claim.paid - Decimal("5.00"))
    assert lines_imbalance(with_claim_level) is None
    assert lines_imbalance(replace(with_claim_level, paid=claim.paid)) is not None
