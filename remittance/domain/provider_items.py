"""Provider-level items (R10, R11): PLB money the payer moves between payments, tracked until a
later ERA offsets it. Pure: the service passes the ERA's PLB amounts and the payer's open items.

Which PLB adjustments open an item:
- FB (forward balance) always: a negative FB is a balance the payer carries to a future payment
  (typically an 835 with BPR02 0.00 whose claims net below zero); a positive FB takes it back.
- WO (overpayment recovery) and 72 (authorized return) when the reference names none of our
  claims: held as a provider-level receivable (R10). A WO whose reference starts with one of our
  CLM01s is on that claim's ledger and is not tracked here.
- L6 (interest) and every other reason post to the ledger only.

An item is offset when a later ERA from the same payer carries the same reason and reference
(compared without case or extra spaces) with the opposite amount (RFI 227: WO negative now,
positive later). Exact amounts only: a partial offset matches nothing and opens its own item, so
both stay visible on the screen. Oldest open item first when several are alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FORWARD_BALANCE = "FB"
TRACKED_WHEN_UNLINKED = frozenset({"WO", "72"})


@dataclass(frozen=True, slots=True)
class PlbAmount:
    """One PLB reason/amount pair of the ERA being posted."""

    reason: str  # PLB03-1
    reference: str  # PLB03-2
    amount_cents: int  # as sent in PLB04: positive is taken from the payment, negative adds to it
    linked_to_claim: bool  # the reference starts with one of our claims' CLM01


@dataclass(frozen=True, slots=True)
class OpenItem:
    item_id: int
    reason: str
    reference: str
    amount_cents: int


@dataclass(frozen=True, slots=True)
class ItemPlan:
    opened: tuple[PlbAmount, ...]
    offset_ids: tuple[int, ...]


def reference_key(reference: str) -> str:
    """The reference as compared: upper case, single spaces."""
    return " ".join(reference.upper().split())


def is_tracked(amount: PlbAmount) -> bool:
    if amount.amount_cents == 0:
        return False
    if amount.reason == FORWARD_BALANCE:
        return True
    return amount.reason in TRACKED_WHEN_UNLINKED and not amount.linked_to_claim


def plan_provider_items(amounts: Sequence[PlbAmount], open_items: Sequence[OpenItem]) -> ItemPlan:
    """Which of the ERA's PLB amounts offset an open item of the same payer and which open new
    items. `open_items` oldest first."""
    available = list(open_items)
    opened: list[PlbAmount] = []
    offset_ids: list[int] = []
    for amount in amounts:
        if not is_tracked(amount):
            continue
        key = reference_key(amount.reference)
        match = next(
            (
                item
                for item in available
                if item.reason == amount.reason
                and reference_key(item.reference) == key
                and item.amount_cents == -amount.amount_cents
            ),
            None,
        )
        if match is None:
            opened.append(amount)
        else:
            available.remove(match)
            offset_ids.append(match.item_id)
    return ItemPlan(tuple(opened), tuple(offset_ids))
