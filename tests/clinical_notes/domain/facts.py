"""Builders for NoteFacts in pure-rule tests (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from clinical_notes.domain.types import DiagnosisFact, NoteFacts, Segment
from core.domain.service_types import ServiceType
from tests.factories.clinical_content import complete_content_for

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
DOS = dt.date(2026, 3, 9)
NOW = dt.datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
DIAGNOSIS = DiagnosisFact(diagnosis_id=11, code="F411", onset_on=dt.date(2025, 1, 1))


def local(year: int, month: int, day: int, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY, fold=fold)


def seg(start: dt.datetime, minutes: int | None = None, *, end: dt.datetime | None = None) -> Segment:
    if end is None:
        assert minutes is not None
        end = start + dt.timedelta(minutes=minutes)
    return Segment(starts_at=start, ends_at=end)


def make_facts(
    service_type: ServiceType | str = ServiceType.INDIVIDUAL_PSYCHOTHERAPY,
    *,
    minutes: int = 53,
    content: dict[str, Any] | None = None,
    drop: tuple[str, ...] = (),
    **overrides: Any,
) -> NoteFacts:
    """A complete, valid note of `service_type` on 2026-03-09 10:00 New York time, unless overridden."""
    service = ServiceType(service_type)
    body = dict(content) if content is not None else complete_content_for(service, seed=1)
    for key in drop:
        body.pop(key, None)
    facts = NoteFacts(
        note_id=1,
        patient_id=100,
        provider_id=200,
        service_type=service,
        date_of_service=DOS,
        timezone=NY,
        now=NOW,
        content=body,
        segments=(seg(local(2026, 3, 9, 10), minutes),),
        diagnosis_ids=(DIAGNOSIS.diagnosis_id,),
        patient_diagnoses=(DIAGNOSIS,),
    )
    return dataclasses.replace(facts, **overrides)


def codes(problems: list[Any]) -> list[str]:
    return [str(p.code) for p in problems]
