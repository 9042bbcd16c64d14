"""Supervision: who may supervise whom, and who supervises a provider on a given day (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from core.domain.problems import Problem
from practice.domain.credentials import (
    CREDENTIAL_LABELS,
    Credential,
    credential_can_supervise,
    periods_overlap,
)
from practice.domain.types import ProviderFacts, SupervisionPeriod


def supervision_problems(
    *,
    supervisor: ProviderFacts,
    supervisee: ProviderFacts,
    starts_on: date,
    ends_on: date | None,
    existing: Sequence[SupervisionPeriod],
) -> list[Problem]:
    """Rules for a new supervision period.

    `existing` holds the periods already recorded between these two providers (either
    direction); others are ignored.
    """
    if supervisor.provider_id == supervisee.provider_id:
        return [Problem("supervision_self", "A provider cannot supervise themselves.", "supervisor_id")]
    problems: list[Problem] = []
    if supervisor.practice_id != supervisee.practice_id:
        problems.append(
            Problem(
                "supervision_other_practice",
                "The supervisor and supervisee must belong to the same practice.",
                "supervisor_id",
            )
        )
    if not credential_can_supervise(supervisor.credential):
        label = CREDENTIAL_LABELS.get(Credential(supervisor.credential), supervisor.credential)
        problems.append(
            Problem(
                "supervisor_credential",
                f"A {label.lower()} cannot supervise other providers.",
                "supervisor_id",
            )
        )
    if not supervisor.is_active:
        problems.append(
            Problem("supervisor_inactive", "The supervisor is no longer active.", "supervisor_id")
        )
    if ends_on is not None and ends_on < starts_on:
        problems.append(
            Problem("supervision_dates_order", "The end date cannot be before the start date.", "ends_on")
        )
        return problems
    for period in existing:
        if not periods_overlap(period.starts_on, period.ends_on, starts_on, ends_on):
            continue
        same_pair = (
            period.supervisor_id == supervisor.provider_id and period.supervisee_id == supervisee.provider_id
        )
        reversed_pair = (
            period.supervisor_id == supervisee.provider_id and period.supervisee_id == supervisor.provider_id
        )
        if same_pair:
            problems.append(
                Problem(
                    "supervision_overlap",
                    "This supervision overlaps one already recorded for the same two providers.",
                    "starts_on",
                    fix_hint="End the current supervision first, or start the new one after it ends.",
                )
            )
            break
        if reversed_pair:
            problems.append(
                Problem(
                    "supervision_cycle",
                    "The supervisee already supervises this supervisor during these dates.",
                    "supervisor_id",
                )
            )
            break
    return problems


def supervision_end_problems(*, period: SupervisionPeriod, ends_on: date) -> list[Problem]:
    if period.ends_on is not None:
        return [Problem("supervision_already_ended", "This supervision has already ended.", "ends_on")]
    if ends_on < period.starts_on:
        return [
            Problem("supervision_dates_order", "The end date cannot be before the start date.", "ends_on")
        ]
    return []


def supervisors_on(on: date, supervisions: Iterable[SupervisionPeriod]) -> list[int]:
    """Supervisor ids whose period covers `on`, most recently started first (ties: lowest id)."""
    covering = sorted(
        (p for p in supervisions if p.covers(on)),
        key=lambda p: (-p.starts_on.toordinal(), p.supervisor_id),
    )
    seen: list[int] = []
    for period in covering:
        if period.supervisor_id not in seen:
            seen.append(period.supervisor_id)
    return seen


def supervisor_on(on: date, supervisions: Iterable[SupervisionPeriod]) -> int | None:
    """The supervisor who co-signs for a supervisee's work on `on` (None when unsupervised).

    Pass the supervisee's own periods. When several overlap, the most recently started wins,
    then the lowest supervisor id, so the answer is stable.
    """
    ids = supervisors_on(on, supervisions)
    return ids[0] if ids else None
