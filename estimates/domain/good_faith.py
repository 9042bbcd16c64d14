"""Good Faith Estimate rules (No Surprises Act, 45 CFR 149.610) for uninsured and self-pay patients.

- When the GFE is due (`gfe_due_on`): scheduled at least 10 business days ahead, within 3 business
  days after scheduling; at least 3 business days ahead, within 1 business day after scheduling;
  less than 3 business days ahead, not required (none is due; the practice may still give one).
  Asked for by the patient: within 3 business days of the request.
- "Business days ahead" counts the business days after the scheduling date up to and including
  the date of service (scheduled Monday for Thursday: Tuesday, Wednesday, Thursday = 3).
- Business days are Monday to Friday except the `holidays` the caller passes.
- Business days skip the federal holidays (`estimates/data/federal_holidays.json`, passed in by
  the caller as `holidays`).
- Dispute threshold (`billed_exceeds_estimate`): billed charges at least $400 more than the
  estimate for a provider let the patient start patient-provider dispute resolution.
- Co-providers and co-facilities (`parse_co_providers`): the convening provider's GFE includes
  their expected items with their name, NPI, TIN and location, one line each:
  `provider | Name | NPI | TIN | location | 90792 x 1 @ 250.00; 96127 x 2 @ 10.00`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.domain.identifiers import normalize_tax_id, npi_problems, tax_id_problems

DISPUTE_THRESHOLD = Decimal("400.00")


def is_business_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_business_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            days -= 1
    return day


def business_days_ahead(scheduled_on: date, service_on: date, holidays: Collection[date] = ()) -> int:
    count, day = 0, scheduled_on
    while day < service_on:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class GfeDeadline:
    due_on: date | None  # None: not required
    rule: str  # the rule applied, in plain words


def gfe_due_on(
    *,
    scheduled_on: date | None = None,
    service_on: date | None = None,
    requested_on: date | None = None,
    holidays: Collection[date] = (),
) -> GfeDeadline:
    """The GFE's deadline. A request by the patient and a scheduled service can both apply: the
    earlier deadline wins."""
    found: list[GfeDeadline] = []
    if requested_on is not None:
        found.append(
            GfeDeadline(
                add_business_days(requested_on, 3, holidays),
                "Requested by the patient: due within 3 business days of the request.",
            )
        )
    if scheduled_on is not None and service_on is not None:
        ahead = business_days_ahead(scheduled_on, service_on, holidays)
        if ahead >= 10:
            found.append(
                GfeDeadline(
                    add_business_days(scheduled_on, 3, holidays),
                    f"Scheduled {ahead} business days ahead (10 or more): due within 3 business days.",
                )
            )
        elif ahead >= 3:
            found.append(
                GfeDeadline(
                    add_business_days(scheduled_on, 1, holidays),
                    f"Scheduled {ahead} business days ahead (3 to 9): due within 1 business day.",
                )
            )
    dated = [d for d in found if d.due_on is not None]
    if dated:
        return min(dated, key=lambda d: d.due_on or date.max)
    return GfeDeadline(None, "Scheduled less than 3 business days ahead and not requested: not required.")


def billed_exceeds_estimate(*, billed: Decimal, estimated: Decimal) -> bool:
    """True when the billed charges are at least $400 more than the estimate (dispute eligible)."""
    return billed - estimated >= DISPUTE_THRESHOLD


MAX_CO_QUANTITY = 60
_CO_ITEM = re.compile(
    r"(?P<code>[A-Za-z0-9]{5})(?:\s*[xX]\s*(?P<quantity>\d{1,3}))?\s*@\s*\$?(?P<unit>\d{1,7}(?:\.\d{1,2})?)"
)
_KINDS = {
    "provider": "provider",
    "co-provider": "provider",
    "facility": "facility",
    "co-facility": "facility",
}


@dataclass(frozen=True, slots=True)
class CoItem:
    code: str
    quantity: int
    unit: Decimal  # the charge the co-provider gave, per unit


@dataclass(frozen=True, slots=True)
class CoProviderInput:
    kind: str  # provider | facility
    name: str
    npi: str
    tin: str
    location: str
    items: tuple[CoItem, ...]


def parse_co_providers(text: str) -> tuple[list[CoProviderInput], list[str]]:
    """The co-providers and co-facilities typed one per line (see the module docstring), and
    every problem found ("Line 2: ..."); the parties are only good when there is no problem."""
    parties: list[CoProviderInput] = []
    problems: list[str] = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 6:
            problems.append(
                f"Line {number}: give 6 parts separated by |: kind | name | NPI | TIN | location | items."
            )
            continue
        kind_text, name, npi, tin, location, items_text = parts
        kind = _KINDS.get(kind_text.lower())
        here = len(problems)
        if kind is None:
            problems.append(f"Line {number}: the kind is provider or facility, not {kind_text!r}.")
        if not name:
            problems.append(f"Line {number}: give the co-provider's name.")
        problems.extend(f"Line {number}: {p.message}" for p in npi_problems(npi))
        problems.extend(f"Line {number}: {p.message}" for p in tax_id_problems(tin))
        if not location:
            problems.append(f"Line {number}: give where the service is given.")
        items: list[CoItem] = []
        for piece in (p.strip() for p in items_text.split(";")):
            if not piece:
                continue
            match = _CO_ITEM.fullmatch(piece)
            if match is None:
                problems.append(
                    f"Line {number}: {piece!r} is not a code, count and charge (90792 x 1 @ 250.00)."
                )
                continue
            quantity = int(match["quantity"] or 1)
            if not 1 <= quantity <= MAX_CO_QUANTITY:
                problems.append(f"Line {number}: {match['code']} count must be 1 to {MAX_CO_QUANTITY}.")
                continue
            items.append(
                CoItem(match["code"].upper(), quantity, Decimal(match["unit"]).quantize(Decimal("0.01")))
            )
        if not items and not any(p.startswith(f"Line {number}: ") and "is not a code" in p for p in problems):
            problems.append(f"Line {number}: list the co-provider's expected items.")
        if len(problems) == here and kind is not None:
            parties.append(
                CoProviderInput(kind, name, npi.strip(), normalize_tax_id(tin), location, tuple(items))
            )
    return parties, problems
