"""Treatment plans: what a complete, measurable plan needs, its life cycle, and the review warning.

A plan is a tree: problems (each may name one of the patient's active diagnoses) → goals (with
the interventions used) → measurable objectives (what, how much, by when). Life cycle:

    draft ──sign──▶ draft, signed ──activate──▶ active ──(another plan activated)──▶ superseded

A signed plan can no longer be edited (the signature covers what was signed); write a new plan
instead. The signer is the plan's author or the author's supervisor on the day of signing; the
patient's (or guardian's) signature date is optional. Activating a plan supersedes the patient's
previous active plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from core.domain.problems import Problem, Severity
from core.formatting import date_label
from treatment_plans.domain.types import GoalDraft, ObjectiveDraft, PlanCode, PlanDraft, PlanStatus

# Payers expect a review at least yearly (many every 90 or 180 days): longer is a warning.
MAX_REVIEW_INTERVAL_DAYS = 365


def _blank(text: str) -> bool:
    return not text.strip()


def plan_date_problems(starts_on: date, review_on: date) -> list[Problem]:
    if review_on < starts_on:
        return [
            Problem(
                PlanCode.REVIEW_BEFORE_START, "The review date cannot be before the start date.", "review_on"
            )
        ]
    if (review_on - starts_on).days > MAX_REVIEW_INTERVAL_DAYS:
        return [
            Problem(
                PlanCode.REVIEW_INTERVAL_LONG,
                "Plans are usually reviewed at least once a year; check the review date.",
                "review_on",
                Severity.WARNING,
            )
        ]
    return []


def _objective_problems(objective: ObjectiveDraft, *, path: str, starts_on: date) -> list[Problem]:
    problems: list[Problem] = []
    if _blank(objective.description):
        problems.append(
            Problem(PlanCode.DESCRIPTION_REQUIRED, "Describe the objective.", f"{path}.description")
        )
    if _blank(objective.measure):
        problems.append(
            Problem(
                PlanCode.NOT_MEASURABLE,
                "Say how progress is measured (e.g. tantrums per week, PHQ-9 score).",
                f"{path}.measure",
            )
        )
    if _blank(objective.target):
        problems.append(
            Problem(
                PlanCode.NOT_MEASURABLE, "Give the target to reach (e.g. fewer than 2).", f"{path}.target"
            )
        )
    if objective.target_on is not None and objective.target_on < starts_on:
        problems.append(
            Problem(
                PlanCode.TARGET_BEFORE_START,
                "The target date cannot be before the plan starts.",
                f"{path}.target_on",
            )
        )
    return problems


def _goal_problems(goal: GoalDraft, *, path: str, starts_on: date) -> list[Problem]:
    problems: list[Problem] = []
    if _blank(goal.description):
        problems.append(Problem(PlanCode.DESCRIPTION_REQUIRED, "Describe the goal.", f"{path}.description"))
    if not goal.objectives:
        problems.append(
            Problem(
                PlanCode.NO_OBJECTIVES,
                "Give the goal at least one measurable objective.",
                f"{path}.objectives",
            )
        )
    for k, objective in enumerate(goal.objectives):
        problems.extend(_objective_problems(objective, path=f"{path}.objectives[{k}]", starts_on=starts_on))
    return problems


def plan_draft_problems(draft: PlanDraft, *, active_diagnosis_ids: Iterable[int]) -> list[Problem]:
    """Everything wrong with a plan's content. Field paths look like
    `problems[0].goals[1].objectives[0].measure`."""
    active = set(active_diagnosis_ids)
    problems = plan_date_problems(draft.starts_on, draft.review_on)
    if not draft.problems:
        problems.append(Problem(PlanCode.NO_PROBLEMS, "Add at least one problem to treat.", "problems"))
    for i, problem in enumerate(draft.problems):
        path = f"problems[{i}]"
        if _blank(problem.description):
            problems.append(
                Problem(PlanCode.DESCRIPTION_REQUIRED, "Describe the problem.", f"{path}.description")
            )
        if problem.diagnosis_id is not None and problem.diagnosis_id not in active:
            problems.append(
                Problem(
                    PlanCode.DIAGNOSIS_NOT_ACTIVE,
                    "Choose one of the patient's active diagnoses.",
                    f"{path}.diagnosis_id",
                )
            )
        if not problem.goals:
            problems.append(
                Problem(PlanCode.NO_GOALS, "Give the problem at least one goal.", f"{path}.goals")
            )
        for j, goal in enumerate(problem.goals):
            problems.extend(_goal_problems(goal, path=f"{path}.goals[{j}]", starts_on=draft.starts_on))
    return problems


def plan_edit_problems(*, status: PlanStatus, signed: bool) -> list[Problem]:
    if status is not PlanStatus.DRAFT or signed:
        return [
            Problem(
                PlanCode.NOT_EDITABLE,
                "Only an unsigned draft can be edited; write a new plan to change a signed one.",
                "plan",
            )
        ]
    return []


def plan_sign_problems(
    *,
    status: PlanStatus,
    signed: bool,
    signer_is_author: bool,
    signer_supervises_author: bool,
    patient_signed_on: date | None,
    today: date,
) -> list[Problem]:
    """Signing: an unsigned draft, by its author or the author's supervisor (on `today`)."""
    if status is not PlanStatus.DRAFT:
        return [Problem(PlanCode.NOT_DRAFT, "Only a draft plan can be signed.", "plan")]
    if signed:
        return [Problem(PlanCode.ALREADY_SIGNED, "This plan is already signed.", "plan")]
    problems: list[Problem] = []
    if not (signer_is_author or signer_supervises_author):
        problems.append(
            Problem(
                PlanCode.SIGNER_NOT_ALLOWED,
                "Only the plan's author or the author's supervisor can sign it.",
                "plan",
            )
        )
    if patient_signed_on is not None and patient_signed_on > today:
        problems.append(
            Problem(
                PlanCode.PATIENT_SIGNED_IN_FUTURE,
                "The patient's signature date cannot be in the future.",
                "patient_signed_on",
            )
        )
    return problems


def plan_activate_problems(*, status: PlanStatus, signed: bool) -> list[Problem]:
    if status is not PlanStatus.DRAFT:
        return [Problem(PlanCode.NOT_DRAFT, "Only a draft plan can be made active.", "plan")]
    if not signed:
        return [Problem(PlanCode.NOT_SIGNED, "Sign the plan before making it active.", "plan")]
    return []


def plan_review_overdue(review_on: date, today: date) -> Problem | None:
    """A warning once the review date has passed (the review day itself is not overdue)."""
    if today <= review_on:
        return None
    days = (today - review_on).days
    return Problem(
        PlanCode.REVIEW_OVERDUE,
        f"The treatment plan's review was due on {date_label(review_on)} "
        f"({days} day{'s' if days != 1 else ''} ago). Review and update the plan.",
        "review_on",
        Severity.WARNING,
    )
