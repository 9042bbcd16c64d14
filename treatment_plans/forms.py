"""The plan form, shape only: a tree of slots named like `problems-0-goals-1-objectives-0-measure`.

Posted values become a draft (`draft_from_values`, format errors by slot) for the services to
check; a plan's values fill the slots back (`values_from_plan`), with one empty slot at each
level so a plan grows as it is written. Service errors (paths like
`problems[0].goals[1].objectives[0].measure`) map onto their slot with `form_key`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from treatment_plans.domain.types import GoalDraft, ObjectiveDraft, PlanDraft, ProblemDraft
from treatment_plans.selectors import PlanDetail

NEW_PLAN_PROBLEM_SLOTS = 2
BLANK_GOAL_SLOTS = 2
BLANK_OBJECTIVE_SLOTS = 2


def form_key(path: str) -> str:
    """`problems[0].goals[1].measure` → `problems-0-goals-1-measure`."""
    return re.sub(r"\[(\d+)\]", r"-\1", path).replace(".", "-")


@dataclass
class Slot:
    name: str
    value: str
    errors: list[str] = field(default_factory=list)


@dataclass
class ObjectiveSlot:
    description: Slot
    measure: Slot
    target: Slot
    target_on: Slot


@dataclass
class GoalSlot:
    description: Slot
    interventions: Slot
    objectives: list[ObjectiveSlot]
    errors: list[str]


@dataclass
class ProblemSlot:
    number: int
    description: Slot
    diagnosis_id: Slot
    goals: list[GoalSlot]
    errors: list[str]


# Values: {"starts_on": str, "review_on": str, "problems": [{"description", "diagnosis_id",
#          "goals": [{"description", "interventions", "objectives": [{...4 strings}]}]}]}
Values = dict[str, Any]

OBJECTIVE_FIELDS = ("description", "measure", "target", "target_on")


def _indices(post: Mapping[str, Any], prefix: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-")
    return sorted({int(m.group(1)) for key in post for m in [pattern.match(key)] if m})


def values_from_post(post: Mapping[str, Any]) -> Values:
    """The non-empty slots of a posted plan form, renumbered from 0 (empty ones dropped)."""

    def get(key: str) -> str:
        return str(post.get(key, "")).strip()

    problems = []
    for i in _indices(post, "problems"):
        p = f"problems-{i}"
        goals = []
        for j in _indices(post, f"{p}-goals"):
            g = f"{p}-goals-{j}"
            objectives = []
            for k in _indices(post, f"{g}-objectives"):
                o = f"{g}-objectives-{k}"
                objective = {name: get(f"{o}-{name}") for name in OBJECTIVE_FIELDS}
                if any(objective.values()):
                    objectives.append(objective)
            goal = {"description": get(f"{g}-description"), "interventions": get(f"{g}-interventions")}
            if goal["description"] or goal["interventions"] or objectives:
                goals.append({**goal, "objectives": objectives})
        problem = {"description": get(f"{p}-description"), "diagnosis_id": get(f"{p}-diagnosis_id")}
        if problem["description"] or problem["diagnosis_id"] or goals:
            problems.append({**problem, "goals": goals})
    return {"starts_on": get("starts_on"), "review_on": get("review_on"), "problems": problems}


def values_from_plan(plan: PlanDetail) -> Values:
    return {
        "starts_on": plan.starts_on.isoformat(),
        "review_on": plan.review_on.isoformat(),
        "problems": [
            {
                "description": p.description,
                "diagnosis_id": str(p.diagnosis_id or ""),
                "goals": [
                    {
                        "description": g.description,
                        "interventions": g.interventions,
                        "objectives": [
                            {
                                "description": o.description,
                                "measure": o.measure,
                                "target": o.target,
                                "target_on": o.target_on.isoformat() if o.target_on else "",
                            }
                            for o in g.objectives
                        ],
                    }
                    for g in p.goals
                ],
            }
            for p in plan.problems
        ],
    }


def _date(value: str, key: str, errors: dict[str, list[str]], *, required: bool) -> dt.date | None:
    if not value:
        if required:
            errors.setdefault(key, []).append("This field is required.")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.setdefault(key, []).append("Enter a valid date.")
        return None


def draft_from_values(values: Values) -> tuple[PlanDraft | None, dict[str, list[str]]]:
    """The plan draft, or the format errors (by form key) that stop us building one."""
    errors: dict[str, list[str]] = {}
    starts_on = _date(values["starts_on"], "starts_on", errors, required=True)
    review_on = _date(values["review_on"], "review_on", errors, required=True)
    problems = []
    for i, p in enumerate(values["problems"]):
        goals = []
        for j, g in enumerate(p["goals"]):
            objectives = []
            for k, o in enumerate(g["objectives"]):
                key = f"problems-{i}-goals-{j}-objectives-{k}-target_on"
                objectives.append(
                    ObjectiveDraft(
                        description=o["description"],
                        measure=o["measure"],
                        target=o["target"],
                        target_on=_date(o["target_on"], key, errors, required=False),
                    )
                )
            goals.append(
                GoalDraft(
                    description=g["description"],
                    interventions=g["interventions"],
                    objectives=tuple(objectives),
                )
            )
        diagnosis_id: int | None = None
        if p["diagnosis_id"]:
            try:
                diagnosis_id = int(p["diagnosis_id"])
            except ValueError:
                errors.setdefault(f"problems-{i}-diagnosis_id", []).append(
                    "Choose a diagnosis from the list."
                )
        problems.append(
            ProblemDraft(description=p["description"], diagnosis_id=diagnosis_id, goals=tuple(goals))
        )
    if errors or starts_on is None or review_on is None:
        return None, errors
    return PlanDraft(starts_on=starts_on, review_on=review_on, problems=tuple(problems)), {}


def _blank_objective() -> dict[str, str]:
    return dict.fromkeys(OBJECTIVE_FIELDS, "")


def _blank_goal() -> dict[str, Any]:
    return {
        "description": "",
        "interventions": "",
        "objectives": [_blank_objective() for _ in range(BLANK_OBJECTIVE_SLOTS)],
    }


def slots_for(values: Values, errors: Mapping[str, list[str]], *, new: bool) -> list[ProblemSlot]:
    """Slots for the template: the kept items plus empty ones to grow the plan."""
    problems = [
        {
            **p,
            "goals": [{**g, "objectives": [*g["objectives"], _blank_objective()]} for g in p["goals"]]
            + [_blank_goal()],
        }
        for p in values["problems"]
    ]
    extra = max(NEW_PLAN_PROBLEM_SLOTS - len(problems), 1) if new else 1
    problems += [
        {"description": "", "diagnosis_id": "", "goals": [_blank_goal() for _ in range(BLANK_GOAL_SLOTS)]}
        for _ in range(extra)
    ]

    def slot(key: str, value: str) -> Slot:
        return Slot(name=key, value=value, errors=list(errors.get(key, [])))

    result = []
    for i, p in enumerate(problems):
        pk = f"problems-{i}"
        goals = []
        for j, g in enumerate(p["goals"]):
            gk = f"{pk}-goals-{j}"
            goals.append(
                GoalSlot(
                    description=slot(f"{gk}-description", g["description"]),
                    interventions=slot(f"{gk}-interventions", g["interventions"]),
                    objectives=[
                        ObjectiveSlot(
                            *(slot(f"{gk}-objectives-{k}-{name}", o[name]) for name in OBJECTIVE_FIELDS)
                        )
                        for k, o in enumerate(g["objectives"])
                    ],
                    errors=list(errors.get(f"{gk}-objectives", [])),
                )
            )
        result.append(
            ProblemSlot(
                number=i + 1,
                description=slot(f"{pk}-description", p["description"]),
                diagnosis_id=slot(f"{pk}-diagnosis_id", p["diagnosis_id"]),
                goals=goals,
                errors=list(errors.get(f"{pk}-goals", [])),
            )
        )
    return result
