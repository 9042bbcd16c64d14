"""Typed values of treatment plans: the life-cycle status, the problem codes, and a plan draft
(problems → goals → measurable objectives) as the services and the rules take it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PlanStatus(StrEnum):
    """Mirrors `treatment_plans.models.TreatmentPlan.Status` (a test keeps the two equal)."""

    DRAFT = "draft"
    ACTIVE = "active"
    SUPERSEDED = "superseded"


class PlanCode(StrEnum):
    REVIEW_BEFORE_START = "plan_review_before_start"
    REVIEW_INTERVAL_LONG = "plan_review_interval_long"
    NO_PROBLEMS = "plan_no_problems"
    DESCRIPTION_REQUIRED = "plan_description_required"
    DIAGNOSIS_NOT_ACTIVE = "plan_diagnosis_not_active"
    NO_GOALS = "plan_no_goals"
    NO_OBJECTIVES = "plan_no_objectives"
    NOT_MEASURABLE = "plan_objective_not_measurable"
    TARGET_BEFORE_START = "plan_target_before_start"
    NOT_EDITABLE = "plan_not_editable"
    ALREADY_SIGNED = "plan_already_signed"
    PATIENT_SIGNED_IN_FUTURE = "plan_patient_signed_in_future"
    SIGNER_NOT_ALLOWED = "plan_signer_not_allowed"
    NOT_SIGNED = "plan_not_signed"
    NOT_DRAFT = "plan_not_draft"
    REVIEW_OVERDUE = "plan_review_overdue"


@dataclass(frozen=True, slots=True)
class ObjectiveDraft:
    description: str
    measure: str = ""
    target: str = ""
    target_on: date | None = None


@dataclass(frozen=True, slots=True)
class GoalDraft:
    description: str
    interventions: str = ""
    objectives: tuple[ObjectiveDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class ProblemDraft:
    description: str
    diagnosis_id: int | None = None
    goals: tuple[GoalDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanDraft:
    starts_on: date
    review_on: date
    problems: tuple[ProblemDraft, ...] = ()
