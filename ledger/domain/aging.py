"""A/R aging (pure): the five buckets and the date basis a balance is aged by (U1,
docs/decisions "aging basis")."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class AgingBasis(StrEnum):
    SERVICE = "service"  # date of service (the default: timely filing runs from it)
    SUBMISSION = "submission"  # the claim's first submission to the payer
    ACTIVITY = "activity"  # the claim's last status change


AGING_BASIS_LABELS: dict[AgingBasis, str] = {
    AgingBasis.SERVICE: "Date of service",
    AgingBasis.SUBMISSION: "First submission",
    AgingBasis.ACTIVITY: "Last activity",
}

# (key, label, lowest age in days, highest age or None)
BUCKETS: tuple[tuple[str, str, int, int | None], ...] = (
    ("0_30", "0–30", 0, 30),
    ("31_60", "31–60", 31, 60),
    ("61_90", "61–90", 61, 90),
    ("91_120", "91–120", 91, 120),
    ("120_plus", "120+", 121, None),
)
BUCKET_KEYS: tuple[str, ...] = tuple(key for key, *_ in BUCKETS)
BUCKET_LABELS: dict[str, str] = {key: label for key, label, *_ in BUCKETS}


def aging_basis(value: str | None) -> AgingBasis:
    """The basis named in a query string; anything else is the default (date of service)."""
    try:
        return AgingBasis(value or AgingBasis.SERVICE)
    except ValueError:
        return AgingBasis.SERVICE


def age_in_days(since: date, as_of: date) -> int:
    """Days from `since` to `as_of`; a date after `as_of` counts as 0 (not yet aged)."""
    return max((as_of - since).days, 0)


def bucket_for(age_days: int) -> str:
    for key, _label, low, high in BUCKETS:
        if age_days >= low and (high is None or age_days <= high):
            return key
    return BUCKET_KEYS[0]  # a negative age (not possible after age_in_days) is current


def days_in_ar(*, ar_cents: int, charges_cents: int, period_days: int) -> float | None:
    """Days in A/R: what is owed divided by the average day's charges over the period; None
    when nothing was charged in it (no meaningful figure)."""
    if charges_cents <= 0 or period_days <= 0:
        return None
    return round(ar_cents / (charges_cents / period_days), 1)


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None for an empty whole."""
    if whole <= 0:
        return None
    return round(100 * part / whole, 1)
