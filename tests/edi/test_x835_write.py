"""edi.x835_write: parse_835 reads back what was written (generated payments), the files pass
pyx12, a zero payment is a notification, and an unbalanced payment is written as asked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from edi.x835 import ClaimPayment, Payment835, ServiceLine, imbalances, parse_835
from edi.x835_write import (
    Cas,
    ClaimPaymentNote,
    Payment,
    ProviderAdjustmentNote,
    ServicePayment,
    money,
    write_835,
)
from tests.edi.pyx12_oracle import pyx12_validate
from tests.edi.strategies_835 import ENVELOPE, GROUPS_5010, remittances

D = Decimal


def _cas(items: tuple[Cas, ...]) -> list[tuple[str, str, Decimal, str]]:
    return sorted((a.group, a.reason, a.amount, str(a.quantity)) for a in items)


def _read_cas(line: ServiceLine | ClaimPayment) -> list[tuple[str, str, Decimal, str]]:
    return sorted((a.group, a.reason, a.amount, str(a.quantity)) for a in line.adjustments)


def _same_line(written: ServicePayment, read: ServiceLine) -> None:
    assert (read.procedure.code, read.procedure.modifiers) == (written.code, written.modifiers)
    assert (read.charge, read.paid, read.units) == (written.charge, written.paid, written.units)
    if written.original_code:
        assert read.original_procedure is not None
        assert (read.original_procedure.code, read.original_procedure.modifiers) == (
            written.original_code,
            written.original_modifiers,
        )
    else:
        assert read.original_procedure is None
    assert read.service_date == written.service_date
    assert _read_cas(read) == _cas(written.adjustments)
    assert read.control_number == written.control_number
    assert read.allowed == written.allowed
    assert read.remarks == written.remarks


def _same_payment(written: Payment, read: Payment835) -> None:
    assert read.trace_number == written.trace
    assert read.payment_amount == written.balanced_amount
    assert read.payer_id == written.payer_id
    assert read.payee is not None
    assert read.payee.npi == written.payee_npi
    assert read.payment_date == written.payment_date
    assert [(p.reason, p.reference, p.amount) for p in read.provider_adjustments] == [
        (p.reason, p.reference, p.amount) for p in written.provider_adjustments
    ]
    assert len(read.claims) == len(written.claims)
    for claim, parsed in zip(written.claims, read.claims, strict=True):
        assert (parsed.patient_control_number, parsed.status, parsed.charge, parsed.paid) == (
            claim.claim_id,
            claim.status,
            claim.charge,
            claim.paid,
        )
        assert parsed.patient_responsibility == claim.patient_responsibility
        assert parsed.payer_claim_control_number == claim.payer_claim_number
        assert parsed.patient is not None
        assert parsed.patient.id == claim.member_id
        assert _read_cas(parsed) == _cas(claim.adjustments)
        for line, parsed_line in zip(claim.lines, parsed.lines, strict=True):
            _same_line(line, parsed_line)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(remittances())
def test_parse_835_reads_back_what_was_written(payments: list[Payment]) -> None:
    remittance = parse_835(write_835(payments, ENVELOPE))
    assert remittance.interchange_control_number == "000000101"
    assert [t.control_number for t in remittance.transactions] == [
        f"{n:04d}" for n in range(1, len(payments) + 1)
    ]
    for written, read in zip(payments, remittance.transactions, strict=True):
        _same_payment(written, read)
        assert imbalances(read) == []


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(remittances(GROUPS_5010))
def test_generated_835s_pass_pyx12(payments: list[Payment]) -> None:
    ok, ack = pyx12_validate(write_835(payments, ENVELOPE))
    assert ok, ack


def _payment(**changes: object) -> Payment:
    claim = ClaimPaymentNote(
        claim_id="CLM1",
        status="1",
        charge=D("150.00"),
        paid=D("90.00"),
        patient_responsibility=D("20.00"),
        payer_claim_number="PAYER1",
        patient_last="RIVERA",
        patient_first="ANA",
        member_id="SBX1001",
        lines=(
            ServicePayment(
                "90837",
                D("150.00"),
                D("90.00"),
                ("95",),
                D(1),
                service_date=date(2026, 3, 10),
                adjustments=(Cas("CO", "45", D("40.00")), Cas("PR", "3", D("20.00"))),
                control_number="L1",
            ),  # fmt: skip
        ),
    )
    base = {"trace": "EFT1", "payer_name": "SANDBOX HEALTH", "payer_id": "SBXPAYER", "payee_name": "CALM WATERS",
            "payee_npi": "1234567893", "payment_date": date(2026, 3, 20), "claims": (claim,)}  # fmt: skip
    return Payment(**{**base, **changes})  # type: ignore[arg-type]


def test_a_zero_payment_is_a_notification_without_bank_details() -> None:
    claim = _payment().claims[0]
    denied = ClaimPaymentNote(**{**{f: getattr(claim, f) for f in ClaimPaymentNote.__dataclass_fields__},
                                 "status": "4", "paid": D(0), "patient_responsibility": D(0),
                                 "lines": (ServicePayment("90837", D("150.00"), D(0), units=D(1),
                                                          adjustments=(Cas("CO", "197", D("150.00")),)),)})  # fmt: skip
    text = write_835([_payment(claims=(denied,))], ENVELOPE)
    assert "BPR*H*0*C*NON" + "*" * 12 + "20260320~" in text  # no bank fields: BPR05-15 empty, BPR16 the date
    (payment,) = parse_835(text).transactions
    assert (payment.handling_code, payment.payment_amount, payment.payment_method) == ("H", D(0), "NON")
    assert pyx12_validate(text)[0]


def test_plb_is_subtracted_from_the_payment_and_an_explicit_amount_is_written_as_given() -> None:  # R8, R10
    payment = _payment(provider_adjustments=(ProviderAdjustmentNote("L6", D("-3.66")),
                                             ProviderAdjustmentNote("WO", D("40.00"), "CLM0 20261001")))  # fmt: skip
    (read,) = parse_835(write_835([payment], ENVELOPE)).transactions
    assert read.payment_amount == D("53.66")  # 90 - (-3.66 + 40)
    assert imbalances(read) == []
    (off,) = parse_835(write_835([_payment(amount=D("95.00"))], ENVELOPE)).transactions
    assert [(i.level, i.difference) for i in imbalances(off)] == [("transaction", D("5.00"))]


def test_money_is_written_without_trailing_zeros() -> None:
    assert [money(D(v)) for v in ("150.00", "40.25", "-3.50", "0.00", "0.004")] == [
        "150",
        "40.25",
        "-3.5",
        "0",
        "0",
    ]


def test_a_broken_835_fails_pyx12() -> None:  # the oracle is not a rubber stamp
    text = write_835([_payment()], ENVELOPE).replace("CAS*CO*45", "CAS*ZZ*45")
    assert not pyx12_validate(text)[0]
