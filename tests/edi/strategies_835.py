"""Hypothesis strategies for 835 payments (edi.x835_write models), written by edi.x835_write.

One generator for every 835 property test: the parser's (tests/edi/test_x835_properties.py) and
the writer's round trip (tests/edi/test_x835_write.py). Every generated payment balances at the
three levels (line, claim, transaction); a reversal (CLP02 22) negates every amount, and a
transaction whose claims net below zero carries the shortfall as a PLB FB forward balance, as
payers do (R11), so BPR02 is never negative.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from hypothesis import strategies as st

from edi.x270 import Envelope
from edi.x835_write import Cas, ClaimPaymentNote, Payment, ProviderAdjustmentNote, ServicePayment, write_835

GROUPS = ("CO", "PR", "OA", "PI", "CR")
GROUPS_5010 = ("CO", "PR", "OA", "PI")  # CR was retired in 5010: real files still send it, pyx12 refuses it
REASONS = ["45", "1", "2", "3", "197", "50", "253", "243", "B7", "999"]
CODES = ["90837", "90834", "90791", "90785"]


# Generation speed (decision record 0052): the strategies are built once, and the parts of a file
# are drawn by plain functions, not nested @st.composite strategies. A strategy made inside each
# draw is validated and labelled again every time; that cost half of the generation time. The
# same choices still make the same files.
_REASON = st.sampled_from(REASONS)
_QUANTITY = st.sampled_from([None, Decimal(1), Decimal("2.5")])
_PARTS = st.integers(1, 8)
_GROUP: dict[tuple[str, ...], st.SearchStrategy[str]] = {g: st.sampled_from(g) for g in (GROUPS, GROUPS_5010)}
_CODE = st.sampled_from(CODES)
_MODIFIERS = st.sampled_from([(), ("95",), ("HO", "95")])
_UNITS = st.sampled_from([None, Decimal(1), Decimal(4)])
_DAY = st.integers(1, 28)
_REMARKS = st.lists(st.sampled_from(["M51", "N130", "MA130"]), max_size=2)
_STATUS = st.sampled_from(["1", "2", "4", "19"])
_AMOUNT = st.integers(0, 500_000)
_CLAIM_COUNT = st.integers(0, 4)
_LINE_COUNT = st.integers(0, 3)
_PLB_AMOUNTS = st.lists(st.integers(-10_000, 10_000), max_size=3)
_PAYMENT_COUNT = st.integers(1, 3)


def cents(value: int) -> Decimal:
    return Decimal(value) / 100


def _adjustments(draw: st.DrawFn, total: int, groups: tuple[str, ...]) -> list[Cas]:
    """CAS triplets whose amounts add up to `total` cents (none when it is zero)."""
    if total == 0:
        return []
    parts = draw(_PARTS)
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    amounts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    group = _GROUP[groups] if groups in _GROUP else st.sampled_from(groups)
    return [Cas(draw(group), draw(_REASON), cents(amount), draw(_QUANTITY)) for amount in amounts]


def _negate(adjustment: Cas) -> Cas:
    return Cas(adjustment.group, adjustment.reason, -adjustment.amount, adjustment.quantity)


def _service_line(draw: st.DrawFn, claim_index: int, number: int, groups: tuple[str, ...]) -> ServicePayment:
    charge = draw(_AMOUNT)
    paid = draw(st.integers(0, charge))
    changed = draw(st.booleans())
    return ServicePayment(
        code=draw(_CODE),
        charge=cents(charge),
        paid=cents(paid),
        modifiers=draw(_MODIFIERS),
        units=Decimal(1) if changed else draw(_UNITS),
        original_code="90837" if changed else "",
        service_date=date(2026, 11, draw(_DAY)),
        adjustments=tuple(_adjustments(draw, charge - paid, groups)),
        control_number=f"L{claim_index}-{number}" if draw(st.booleans()) else "",
        allowed=cents(paid) if draw(st.booleans()) else None,
        remarks=tuple(draw(_REMARKS)),
    )


def _reversed(claim: ClaimPaymentNote) -> ClaimPaymentNote:
    lines = tuple(
        ServicePayment(
            code=line.code,
            charge=-line.charge,
            paid=-line.paid,
            modifiers=line.modifiers,
            units=line.units,
            original_code=line.original_code,
            original_modifiers=line.original_modifiers,
            service_date=line.service_date,
            adjustments=tuple(_negate(a) for a in line.adjustments),
            control_number=line.control_number,
            allowed=None if line.allowed is None else -line.allowed,
            remarks=line.remarks,
        )  # fmt: skip
        for line in claim.lines
    )
    return ClaimPaymentNote(
        claim_id=claim.claim_id, status="22", charge=-claim.charge, paid=-claim.paid,
        patient_responsibility=None, payer_claim_number=claim.payer_claim_number,
        patient_last=claim.patient_last, patient_first=claim.patient_first, member_id=claim.member_id,
        adjustments=tuple(_negate(a) for a in claim.adjustments), lines=lines,
    )  # fmt: skip


def _claim(draw: st.DrawFn, index: int, groups: tuple[str, ...]) -> ClaimPaymentNote:
    count = draw(_LINE_COUNT)
    lines = tuple(_service_line(draw, index, n, groups) for n in range(count))
    if lines:
        charge = sum((line.charge for line in lines), Decimal(0))
        paid = sum((line.paid for line in lines), Decimal(0))
        claim_cas: list[Cas] = []
    else:
        charge_cents = draw(_AMOUNT)
        paid_cents = draw(st.integers(0, charge_cents))
        charge, paid = cents(charge_cents), cents(paid_cents)
        claim_cas = _adjustments(draw, charge_cents - paid_cents, groups)
    responsibility = sum(
        (a.amount for line in lines for a in line.adjustments if a.group == "PR"), Decimal(0)
    )
    claim = ClaimPaymentNote(
        claim_id=f"PCN{index}",
        status=draw(_STATUS),
        charge=charge,
        paid=paid,
        patient_responsibility=responsibility if draw(st.booleans()) else None,
        payer_claim_number=f"CCN{index}",
        patient_last="DOE",
        patient_first=f"PAT{index}",
        member_id=f"M{index}",
        adjustments=tuple(claim_cas),
        lines=lines,
    )
    return _reversed(claim) if draw(st.booleans()) else claim


def _payment(draw: st.DrawFn, trace: str, groups: tuple[str, ...] = GROUPS) -> Payment:
    items = tuple(_claim(draw, index, groups) for index in range(draw(_CLAIM_COUNT)))
    plb = [
        ProviderAdjustmentNote(reason, cents(amount), f"REF{n}")
        for n, (reason, amount) in enumerate(zip(["L6", "WO", "72"], draw(_PLB_AMOUNTS), strict=False))
    ]
    payment = Payment(trace=trace, payer_name="SYNTHETIC HEALTH PLAN", payer_id="SYNPAYER1",
                      payee_name="CALM MINDS THERAPY", payee_npi="1234567893", payment_date=date(2026, 12, 1),
                      claims=items, provider_adjustments=tuple(plb), payee_tax_id="123456789")  # fmt: skip
    shortfall = payment.balanced_amount
    if shortfall < 0:  # R11: the payer carries it forward rather than send a negative payment
        plb.append(ProviderAdjustmentNote("FB", shortfall, "FORWARD"))
        payment = replace(payment, provider_adjustments=tuple(plb))
    return payment


ENVELOPE = Envelope(
    sender_id="PAYERSENDER",
    receiver_id="PARITYRCV",
    interchange_control_number=101,
    group_control_number=7,
    created=datetime(2026, 12, 1, 12, 0),  # noqa: DTZ001 (the envelope shows local time)
)


@st.composite
def remittances(draw: st.DrawFn, groups: tuple[str, ...] = GROUPS) -> list[Payment]:
    return [_payment(draw, f"TRACE{n}", groups) for n in range(draw(_PAYMENT_COUNT))]


@st.composite
def files(draw: st.DrawFn) -> str:
    return write_835(draw(remittances()), ENVELOPE, line_breaks=draw(st.booleans()))
