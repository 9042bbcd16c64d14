"""Time rules: psychotherapy time bands, crisis units, family minimum, and units of time.

Thresholds are from DOMAIN-coding-facts.md section 1 (CPT time rule, AAPC, BCBSIL) and
section 2 (CPT midpoint vs CMS 8-minute rule). Each function is total over int minutes >= 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

PSYCHOTHERAPY_MIN_MINUTES = 16
CRISIS_MIN_MINUTES = 30  # below this, crisis time is reported as psychotherapy (90832)
CRISIS_ADD_ON_FROM = 75  # the first +90840 ("beyond 74 minutes")
CRISIS_ADD_ON_STEP = 30  # each further 30 minutes: another +90840 (derived; DOMAIN marks it UNCONFIRMED)
FAMILY_MIN_MINUTES = 26  # midpoint of the 50-minute family codes


@dataclass(frozen=True, slots=True)
class PsychotherapyBand:
    low: int
    high: int | None  # inclusive; None = no upper bound
    code: str
    with_em_code: str

    def label(self) -> str:
        return f"{self.low}-{self.high}" if self.high is not None else f"{self.low} or more"


PSYCHOTHERAPY_BANDS: tuple[PsychotherapyBand, ...] = (
    PsychotherapyBand(16, 37, "90832", "90833"),
    PsychotherapyBand(38, 52, "90834", "90836"),
    PsychotherapyBand(53, None, "90837", "90838"),
)


def psychotherapy_band(minutes: int) -> PsychotherapyBand | None:
    """The time band for `minutes` of psychotherapy, or None under 16 minutes (not reportable)."""
    for band in PSYCHOTHERAPY_BANDS:
        if minutes >= band.low and (band.high is None or minutes <= band.high):
            return band
    return None


def crisis_add_on_units(minutes: int) -> int:
    """Units of +90840 for `minutes` of crisis time on a date: 0 under 75, then 1 per 30 minutes."""
    if minutes < CRISIS_ADD_ON_FROM:
        return 0
    return 1 + (minutes - CRISIS_ADD_ON_FROM) // CRISIS_ADD_ON_STEP


def midpoint_units(minutes: int, unit_minutes: int = 15) -> int:
    """Units of a timed code by the CPT midpoint rule: a unit is attained once its midpoint is passed.

    For 15-minute codes this is `0 if m < 8 else (m + 7) // 15` (0-7 -> 0, 8-22 -> 1, 23-37 -> 2);
    for 30-minute codes 16-45 -> 1, 46-75 -> 2 (DOMAIN 2, Premera's table).
    """
    if minutes <= 0:
        return 0
    return (minutes + (unit_minutes - 1) // 2) // unit_minutes


def allocate_units(
    total_units: int, minutes: Sequence[tuple[K, int]], unit_minutes: int = 15
) -> dict[K, int]:
    """Share `total_units` among keys by their minutes, most minutes first (CMS allocation).

    Each key first gets its whole units (minutes // unit); the units left go one each to the keys
    with the most minutes left over, ties to the key with more minutes, then to the earlier key.
    Example (CMS): 33 min of A + 7 min of B = 40 min = 3 units -> A 2, B 1.
    """
    result = {key: m // unit_minutes for key, m in minutes}
    left = total_units - sum(result.values())
    order = sorted(
        range(len(minutes)),
        key=lambda i: (-(minutes[i][1] % unit_minutes), -minutes[i][1], i),
    )
    for index in order:
        if left <= 0:
            break
        key = minutes[index][0]
        result[key] += 1
        left -= 1
    return result


def cms_8_minute_units(minutes_by_code: Mapping[K, int]) -> dict[K, int]:
    """CMS 8-minute rule: units from the day's total timed minutes, allocated most-minutes-first.

    Example (DOMAIN 2): 7 min of X + 7 min of Y = 14 min -> 1 unit, to X (first of the tie).
    """
    items = list(minutes_by_code.items())
    total = midpoint_units(sum(m for _, m in items))
    return allocate_units(total, items)


def cpt_midpoint_units(minutes_by_code: Mapping[K, int]) -> dict[K, int]:
    """CPT rule: each code's own minutes on the date; under 8 minutes a code is not billed."""
    return {code: midpoint_units(m) for code, m in minutes_by_code.items()}
