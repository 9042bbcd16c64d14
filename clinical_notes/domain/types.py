"""Typed inputs for the note rules: facts gathered by selectors, inputs given by callers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from core.domain.service_types import ServiceType


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of face-to-face time: aware datetimes (any zone; compared in UTC)."""

    starts_at: datetime
    ends_at: datetime
    is_crisis: bool = False


@dataclass(frozen=True, slots=True)
class Measurement:
    instrument: str
    score: int


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goal_id: int
    progress: str = ""


@dataclass(frozen=True, slots=True)
class DiagnosisFact:
    """A diagnosis on the patient's problem list, with its active period."""

    diagnosis_id: int
    code: str
    onset_on: date | None = None
    resolved_on: date | None = None

    def active_on(self, day: date) -> bool:
        """Active from onset (when known) through the day it was resolved (inclusive)."""
        if self.onset_on is not None and day < self.onset_on:
            return False
        return self.resolved_on is None or day <= self.resolved_on


@dataclass(frozen=True, slots=True)
class NoteDiagnosisLine:
    """A diagnosis a note addresses, as the note says it: as signed once the note is signed."""

    diagnosis_id: int
    position: int
    code: str  # ICD-10-CM without the dot
    description: str


@dataclass(frozen=True, slots=True)
class OtherSession:
    """Another documented session (note) that may overlap this one in time."""

    note_id: int
    provider_id: int
    patient_id: int
    service_type: ServiceType
    segments: tuple[Segment, ...]
    group_session_id: int | None = None


@dataclass(frozen=True, slots=True)
class PreviousNote:
    note_id: int
    date_of_service: date
    content: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class PlanReview:
    plan_id: int
    review_on: date


@dataclass(frozen=True, slots=True)
class NoteFacts:
    """Everything the documentation checks need, gathered by `selectors.note_facts_for`.

    `timezone` is the practice's zone: dates of service and midnight are decided there.
    `now` is passed in (the rules never read the clock).
    """

    patient_id: int
    provider_id: int
    service_type: ServiceType
    date_of_service: date
    timezone: tzinfo
    now: datetime
    note_id: int | None = None
    content: Mapping[str, object] = field(default_factory=dict)
    segments: tuple[Segment, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    diagnosis_ids: tuple[int, ...] = ()
    patient_diagnoses: tuple[DiagnosisFact, ...] = ()
    goal_ids: tuple[int, ...] = ()
    other_sessions: tuple[OtherSession, ...] = ()
    previous_note: PreviousNote | None = None
    treatment_plan: PlanReview | None = None
    group_session_id: int | None = None
