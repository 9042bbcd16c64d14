"""Good Faith Estimate rules (No Surprises Act, 45 CFR 149.610) for uninsured and self-pay patients.

- When the GFE is due (`gfe_due_on`): scheduled at least 10 business days ahead, within 3 business
  days after scheduling; at least 3 business days ahead, within 1 business day after scheduling;
  less than 3 business days ahead, not required (none is due; the practice may still give one).
  Asked for by the patient: within 3 business days of the request.
- "Business days ahead" counts the business days after the scheduling date up to and including
  the date of service (scheduled Monday for Thursday: Tuesday, Wednesday, Thursday = 3).
- Business days are Monday to Friday except the `holidays` the caller passes.
- Dispute threshold (`billed_exceeds_estimate`): billed charges at least $400 more than the
  estimate for a provider let the patient start patient-provider dispute resolution.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

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
