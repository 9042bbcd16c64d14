"""The import summary of one 835 payment (issue #12), from the parsed transaction and what
posting did. Money as strings with two decimals."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from core.money import decimal_from_cents
from edi.x835 import ClaimPayment, Payment835

ZERO = Decimal("0.00")


class ErrorItem(TypedDict):
    message: str
    segment: str
    position: int | None
    segment_number: int | None


class Summary(TypedDict):
    status: str
    trace_number: str
    payment_amount: str
    claims: int
    matched: int
    unmatched: int
    paid_total: str
    adjustment_totals: dict[str, str]
    denied_claims: int
    balanced: bool
    errors: list[ErrorItem]


def money(value: Decimal | int) -> str:
    amount = decimal_from_cents(value) if isinstance(value, int) else value
    return f"{amount:.2f}"


def is_denied_claim(claim: ClaimPayment) -> bool:
    """CLP02 4, or nothing paid with a non-patient adjustment (paid $0 with only PR, the
    deductible, is not a denial: R14). A reversal is never a denial."""
    if claim.is_reversal:
        return False
    if claim.is_denied:
        return True
    adjustments = list(claim.adjustments) + [a for line in claim.lines for a in line.adjustments]
    return claim.paid == ZERO and any(a.group != "PR" and a.amount > 0 for a in adjustments)


def adjustment_totals(payment: Payment835) -> dict[str, str]:
    totals: dict[str, Decimal] = {}
    for claim in payment.claims:
        for adjustment in list(claim.adjustments) + [a for line in claim.lines for a in line.adjustments]:
            totals[adjustment.group] = totals.get(adjustment.group, ZERO) + adjustment.amount
    return {group: money(total) for group, total in sorted(totals.items())}


def summary(
    payment: Payment835 | None,
    *,
    status: str,
    matched: int,
    unmatched: int,
    balanced: bool,
    errors: list[ErrorItem],
) -> Summary:
    if payment is None:
        return Summary(
            status=status,
            trace_number="",
            payment_amount=money(ZERO),
            claims=0,
            matched=0,
            unmatched=0,
            paid_total=money(ZERO),
            adjustment_totals={},
            denied_claims=0,
            balanced=False,
            errors=errors,
        )
    return Summary(
        status=status,
        trace_number=payment.trace_number,
        payment_amount=money(payment.payment_amount),
        claims=len(payment.claims),
        matched=matched,
        unmatched=unmatched,
        paid_total=money(sum((c.paid for c in payment.claims), ZERO)),
        adjustment_totals=adjustment_totals(payment),
        denied_claims=sum(1 for c in payment.claims if is_denied_claim(c)),
        balanced=balanced,
        errors=errors,
    )
