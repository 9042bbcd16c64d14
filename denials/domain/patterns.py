"""Repeat denials are a process problem (D8), and credentialing denials cluster by provider (D3).

`repeat_patterns`: the same payer + code + category at least `count` times within
`window_days` (PR excluded: the patient's share is not a denial), most money first.
`enrollment_gaps`: credentialing denials (B7 and kin) for one rendering provider and payer at
least `count` times in the window: a probable enrollment gap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from denials.domain.table import denial_table


@dataclass(frozen=True, slots=True)
class DenialPoint:
    payer_id: int
    payer_name: str
    group: str
    carc: str
    category: str
    provider_id: int | None
    provider_name: str
    opened_on: dt.date
    cents: int


@dataclass(frozen=True, slots=True)
class Pattern:
    payer_id: int
    payer_name: str
    code: str  # "CO-197"
    category: str
    count: int
    cents: int
    provider_id: int | None = None
    provider_name: str = ""
    message: str = ""


def _recent(points: list[DenialPoint], today: dt.date, window_days: int) -> list[DenialPoint]:
    start = today - dt.timedelta(days=window_days)
    return [p for p in points if start < p.opened_on <= today and p.group != "PR"]


def repeat_patterns(
    points: list[DenialPoint], *, today: dt.date, count: int | None = None, window_days: int | None = None
) -> list[Pattern]:
    table = denial_table()
    count = table.repeat_count if count is None else count
    window = table.repeat_window_days if window_days is None else window_days
    groups: dict[tuple[int, str, str], list[DenialPoint]] = defaultdict(list)
    for p in _recent(points, today, window):
        groups[(p.payer_id, f"{p.group}-{p.carc}", p.category)].append(p)
    found = [
        Pattern(
            payer_id=payer_id,
            payer_name=items[0].payer_name,
            code=code,
            category=category,
            count=len(items),
            cents=sum(p.cents for p in items),
            message=f"{items[0].payer_name} denied {len(items)} lines with {code} in {window} days: fix the cause, not the claims.",
        )
        for (payer_id, code, category), items in groups.items()
        if len(items) >= count
    ]
    return sorted(found, key=lambda p: (-p.cents, -p.count, p.payer_name, p.code))


def enrollment_gaps(
    points: list[DenialPoint], *, today: dt.date, count: int | None = None, window_days: int | None = None
) -> list[Pattern]:
    table = denial_table()
    count = table.repeat_count if count is None else count
    window = table.repeat_window_days if window_days is None else window_days
    groups: dict[tuple[int, int], list[DenialPoint]] = defaultdict(list)
    for p in _recent(points, today, window):
        if p.category == "credentialing" and p.provider_id is not None:
            groups[(p.provider_id, p.payer_id)].append(p)
    found = [
        Pattern(
            payer_id=payer_id,
            payer_name=items[0].payer_name,
            code=", ".join(sorted({f"{p.group}-{p.carc}" for p in items})),
            category="credentialing",
            count=len(items),
            cents=sum(p.cents for p in items),
            provider_id=provider_id,
            provider_name=items[0].provider_name,
            message=(
                f"Probable enrollment gap: {items[0].provider_name} with {items[0].payer_name} "
                f"({len(items)} credentialing denials in {window} days). Fix the enrollment before sending more claims."
            ),
        )
        for (provider_id, payer_id), items in groups.items()
        if len(items) >= count
    ]
    return sorted(found, key=lambda p: (-p.count, p.provider_name))
