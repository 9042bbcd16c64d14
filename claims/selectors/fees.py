"""Reads of the fee schedule (billed fees) and the payers' contracted (allowed) amounts.

Reference data, no PHI: no audit event. `allowed_amount` picks the row the same way billed fees
are picked (`claims.domain.capture.fee_for`: the exact modifiers first, then the code with any
modifiers; the latest start date among the rows in effect on the date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from claims.domain.capture import FeeEntry, fee_for
from claims.models import ContractedRate, FeeScheduleEntry
from core.money import decimal_from_cents


@dataclass(frozen=True, slots=True)
class FeeRowView:
    kind: str  # "billed" or "allowed"
    payer_name: str  # "" for the default schedule
    code: str
    modifiers: str  # "HO 95"
    amount: Decimal
    effective_from: date
    effective_to: date | None


def contracted_entries(*, practice_id: int, payer_id: int, code: str) -> tuple[FeeEntry, ...]:
    rows = ContractedRate.objects.filter(practice_id=practice_id, payer_id=payer_id, code=code)
    return tuple(
        FeeEntry(
            payer_id=row.payer_id,
            code=row.code,
            modifiers_key=row.modifiers_key,
            amount_cents=row.amount_cents,
            effective_from=row.effective_from,
            effective_to=row.effective_to,
        )
        for row in rows
    )


def allowed_amount(
    *, practice_id: int, payer_id: int, code: str, modifiers: tuple[str, ...] = (), on: date
) -> Decimal | None:
    """The payer's contracted amount for the code and modifiers on `on`, or None."""
    fee = fee_for(
        contracted_entries(practice_id=practice_id, payer_id=payer_id, code=code),
        payer_id=payer_id,
        code=code,
        modifiers=modifiers,
        on=on,
    )
    return decimal_from_cents(fee.unit_cents) if fee.entry is not None else None


def billed_fee(*, practice_id: int, code: str, modifiers: tuple[str, ...] = (), on: date) -> Decimal | None:
    """The practice's default (self-pay) fee for the code on `on`, or None."""
    rows = FeeScheduleEntry.objects.filter(practice_id=practice_id, payer__isnull=True, code=code)
    entries = [
        FeeEntry(None, r.code, r.modifiers_key, r.amount_cents, r.effective_from, r.effective_to)
        for r in rows
    ]
    fee = fee_for(entries, payer_id=None, code=code, modifiers=modifiers, on=on)
    return decimal_from_cents(fee.unit_cents) if fee.entry is not None else None


def fee_table(*, practice_id: int) -> list[FeeRowView]:
    """Billed fees and allowed amounts side by side, by code, then payer, then start date."""
    rows: list[FeeRowView] = []
    for fee in FeeScheduleEntry.objects.filter(practice_id=practice_id).select_related("payer"):
        rows.append(
            FeeRowView(
                "billed",
                fee.payer.name if fee.payer else "",
                fee.code,
                fee.modifiers_key.replace(",", " "),
                decimal_from_cents(fee.amount_cents),
                fee.effective_from,
                fee.effective_to,
            )
        )
    for rate in ContractedRate.objects.filter(practice_id=practice_id).select_related("payer"):
        rows.append(
            FeeRowView(
                "allowed",
                rate.payer.name,
                rate.code,
                rate.modifiers_key.replace(",", " "),
                decimal_from_cents(rate.amount_cents),
                rate.effective_from,
                rate.effective_to,
            )
        )
    rows.sort(key=lambda r: (r.code, r.modifiers, r.payer_name, r.kind, r.effective_from))
    return rows
