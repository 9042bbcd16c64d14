"""Burn-down, exhaustion forecast, alert conditions and status of a prior authorization (pure).

* `burn_down(authorized=, used=, planned=)`: used (charges), planned (scheduled appointments)
  and remaining, with whole-percent shares for a stacked progress bar.
* `usage_daily_rate(usages, start_on=, today=)`: units a day over the recent history.
* `exhaustion_forecast(remaining, planned_by_date, daily_rate_from_history, today=, until=)`:
  the date the last unit goes, or None when it will not run out by `until` (the end date).
* `alert_conditions(...)`: 20% or less left, or 14 days or fewer to the end date.
* `effective_status(...)`: cancelled, expired, exhausted or active on a date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from authorizations.domain.types import AlertKind, AuthStatus, AuthUsage, UnitKind
from core.formatting import date_label

LOW_REMAINING_PERCENT = 20  # alert when this share or less is left (inclusive: exactly 20% alerts)
EXPIRY_ALERT_DAYS = 14  # alert when the end date is this many days away or nearer (inclusive)
RATE_WINDOW_DAYS = 28  # history window for the daily rate


@dataclass(frozen=True, slots=True)
class BurnDown:
    authorized: int
    used: int
    planned: int

    @property
    def remaining(self) -> int:
        """Left after what charges used (negative when charges went over)."""
        return self.authorized - self.used

    @property
    def remaining_after_planned(self) -> int:
        return self.authorized - self.used - self.planned

    @property
    def over_planned(self) -> bool:
        """The schedule already books more than is left."""
        return self.remaining_after_planned < 0

    @property
    def used_percent(self) -> int:
        return min(self.used, self.authorized) * 100 // self.authorized if self.authorized > 0 else 100

    @property
    def planned_percent(self) -> int:
        if self.authorized <= 0:
            return 0
        return min(self.planned, max(self.remaining, 0)) * 100 // self.authorized

    @property
    def remaining_percent(self) -> int:
        """The rest of the bar (the three shares add up to 100)."""
        return 100 - self.used_percent - self.planned_percent


def burn_down(*, authorized: int, used: Sequence[AuthUsage], planned: Sequence[AuthUsage]) -> BurnDown:
    return BurnDown(
        authorized=authorized,
        used=sum(u.units for u in used),
        planned=sum(p.units for p in planned),
    )


def usage_daily_rate(
    usages: Sequence[AuthUsage], *, start_on: date, today: date, window_days: int = RATE_WINDOW_DAYS
) -> Decimal:
    """Units a day over the last `window_days` days up to today (or since the start, if later)."""
    since = max(start_on, today - timedelta(days=window_days - 1))
    if since > today:
        return Decimal(0)
    units = sum(u.units for u in usages if since <= u.date <= today)
    return Decimal(units) / Decimal((today - since).days + 1)


def exhaustion_forecast(
    remaining: int,
    planned_by_date: Mapping[date, int],
    daily_rate_from_history: Decimal | None,
    *,
    today: date,
    until: date | None = None,
) -> date | None:
    """When the authorization runs out, or None if it will not by `until`.

    The scheduled appointments are counted first, in date order (the day one of them takes the
    last unit is the answer); after the last one, the history's daily rate goes on. Nothing left
    today: today. No schedule left and no usage history (rate 0 or None): None.
    """
    left = remaining
    if left <= 0:
        return today
    last = today
    for day in sorted(planned_by_date):
        if day < today:
            continue
        left -= planned_by_date[day]
        last = day
        if left <= 0:
            return day if until is None or day <= until else None
    if daily_rate_from_history is None or daily_rate_from_history <= 0:
        return None
    days = int((Decimal(left) / daily_rate_from_history).to_integral_value(rounding=ROUND_CEILING))
    day = last + timedelta(days=days)
    return day if until is None or day <= until else None


@dataclass(frozen=True, slots=True)
class AlertCondition:
    kind: AlertKind
    remaining: int
    days_left: int
    message: str


def alert_conditions(
    *, authorized: int, used: int, end_on: date, today: date, status: AuthStatus, unit_kind: UnitKind
) -> tuple[AlertCondition, ...]:
    """Why a live authorization needs attention today: little left, or the end date is near.

    "Little left" is 20% or less of the authorized amount (exactly 20% alerts); "near" is 14 days
    or fewer (exactly 14 alerts; the last day, 0 days, too). Cancelled and expired ones never alert.
    """
    if status in (AuthStatus.CANCELLED, AuthStatus.EXPIRED):
        return ()
    remaining = authorized - used
    days_left = (end_on - today).days
    what = "units" if unit_kind is UnitKind.UNITS else "visits"
    conditions: list[AlertCondition] = []
    if remaining * 100 <= authorized * LOW_REMAINING_PERCENT:
        conditions.append(
            AlertCondition(
                kind=AlertKind.LOW_REMAINING,
                remaining=remaining,
                days_left=days_left,
                message=f"{max(remaining, 0)} of {authorized} {what} left.",
            )
        )
    if 0 <= days_left <= EXPIRY_ALERT_DAYS:
        conditions.append(
            AlertCondition(
                kind=AlertKind.EXPIRING,
                remaining=remaining,
                days_left=days_left,
                message=f"Ends on {date_label(end_on)} ({days_left} day{'s' if days_left != 1 else ''}).",
            )
        )
    return tuple(conditions)


def effective_status(
    *, stored: AuthStatus, authorized: int, used: int, end_on: date, today: date
) -> AuthStatus:
    """The status on `today`: cancelled stays cancelled; past the end date it is expired; with
    nothing left it is exhausted; otherwise active."""
    if stored is AuthStatus.CANCELLED:
        return AuthStatus.CANCELLED
    if today > end_on:
        return AuthStatus.EXPIRED
    if used >= authorized:
        return AuthStatus.EXHAUSTED
    return AuthStatus.ACTIVE
