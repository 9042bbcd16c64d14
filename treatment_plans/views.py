"""Treatment-plan screens: a patient's plans, a plan (with the review-overdue banner), the plan
form (create / edit an unsigned draft), sign and activate.

The plan form is a tree of slots named like `problems-0-goals-1-objectives-0-measure`. Empty
slots are ignored; after a save or an error the form shows what was kept plus one empty slot at
each level, so a plan grows as it is written. Service errors (paths like
`problems[0].goals[1].objectives[0].measure`) show next to their slot.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from core.views import app_errors
from practice.selectors import practice_today
from treatment_plans import selectors, services
from treatment_plans.domain.types import GoalDraft, ObjectiveDraft, PlanDraft, PlanStatus, ProblemDraft

ViewFunc = Callable[..., HttpResponse]

NEW_PLAN_PROBLEM_SLOTS = 2
BLANK_GOAL_SLOTS = 2
BLANK_OBJECTIVE_SLOTS = 2
PLANS_PER_PAGE = 25


_access = screen_access
_app_errors = app_errors


# --- the plan form: values ⇄ slots ⇄ draft -----------------------------------------------------


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


def values_from_plan(plan: selectors.PlanDetail) -> Values:
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


def _errors_by_key(error: ValidationFailed) -> dict[str, list[str]]:
    return {form_key(path): list(msgs) for path, msgs in error.field_errors.items()}


# --- screens -----------------------------------------------------------------------------------


@login_required
@_app_errors
def plan_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    access = _access(request, Capability.CLINICAL_VIEW)
    status = str(request.GET.get("status", ""))
    filters = selectors.PlanListFilters(
        status=PlanStatus(status) if status in {s.value for s in PlanStatus} else None
    )
    page = selectors.plan_list_for_patient(access=access, patient_id=patient_id, filters=filters)
    plans = Paginator(page.rows, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    kept: dict[str, str | int] = {"status": filters.status.value} if filters.status else {}
    context = {
        "page": page,
        "plans": plans,
        "status": filters.status.value if filters.status else "",
        "statuses": selectors.STATUS_LABELS,
        "previous_url": f"?{urlencode({**kept, 'page': plans.previous_page_number()})}"
        if plans.has_previous()
        else "",
        "next_url": f"?{urlencode({**kept, 'page': plans.next_page_number()})}" if plans.has_next() else "",
    }
    return render(request, "treatment_plans/list.html", context)


@login_required
@_app_errors
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    access = _access(request, Capability.CLINICAL_VIEW)
    plan = selectors.plan_get(access=access, plan_id=plan_id)
    return render(request, "treatment_plans/detail.html", {"plan": plan})


def _form_page(
    request: HttpRequest,
    access: PracticeAccess,
    *,
    patient_id: int,
    patient_name: str,
    values: Values,
    errors: Mapping[str, list[str]],
    new: bool,
    status: int,
    plan_id: int | None = None,
) -> HttpResponse:
    context = {
        "title": "New treatment plan" if new else "Edit treatment plan",
        "patient_id": patient_id,
        "patient_name": patient_name,
        "plan_id": plan_id,
        "starts_on": Slot("starts_on", values["starts_on"], list(errors.get("starts_on", []))),
        "review_on": Slot("review_on", values["review_on"], list(errors.get("review_on", []))),
        "problems": slots_for(values, errors, new=new),
        "problems_errors": list(errors.get("problems", [])) + list(errors.get("__all__", [])),
        "diagnoses": selectors.plan_diagnosis_choices(access=access, patient_id=patient_id),
    }
    return render(request, "treatment_plans/form.html", context, status=status)


@login_required
@_app_errors
def plan_create(request: HttpRequest, patient_id: int) -> HttpResponse:
    access = _access(request, Capability.TREATMENT_PLAN_EDIT)
    page = selectors.plan_list_for_patient(access=access, patient_id=patient_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = values_from_post(request.POST)
        draft, errors = draft_from_values(values)
        if draft is not None:
            try:
                plan = services.treatment_plan_create(access=access, patient_id=patient_id, draft=draft)
            except ValidationFailed as error:
                errors = _errors_by_key(error)
            else:
                messages.success(request, "Treatment plan saved as a draft.")
                return redirect("plans:detail", plan_id=plan.pk)
    else:
        start = practice_today(practice_id=access.practice_id)
        values = {"starts_on": start.isoformat(), "review_on": "", "problems": []}
    return _form_page(
        request,
        access,
        patient_id=page.patient_id,
        patient_name=page.patient_name,
        values=values,
        errors=errors,
        new=True,
        status=400 if errors else 200,
    )


@login_required
@_app_errors
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    access = _access(request, Capability.TREATMENT_PLAN_EDIT)
    plan = selectors.plan_get(access=access, plan_id=plan_id)
    if not plan.can_edit:
        messages.error(
            request, "Only an unsigned draft can be edited; write a new plan to change a signed one."
        )
        return redirect("plans:detail", plan_id=plan_id)
    errors: dict[str, list[str]] = {}
    values = values_from_plan(plan)
    if request.method == "POST":
        values = values_from_post(request.POST)
        draft, errors = draft_from_values(values)
        if draft is not None:
            try:
                services.treatment_plan_update(access=access, plan_id=plan_id, draft=draft)
            except ValidationFailed as error:
                errors = _errors_by_key(error)
            except Conflict as error:
                messages.error(request, error.message)
                return redirect("plans:detail", plan_id=plan_id)
            else:
                messages.success(request, "Treatment plan saved.")
                return redirect("plans:detail", plan_id=plan_id)
    return _form_page(
        request,
        access,
        patient_id=plan.patient_id,
        patient_name=plan.patient_name,
        values=values,
        errors=errors,
        new=False,
        status=400 if errors else 200,
        plan_id=plan_id,
    )


def _flash_errors(request: HttpRequest, error: ApplicationError) -> None:
    if isinstance(error, ValidationFailed) and error.field_errors:
        for msgs in error.field_errors.values():
            for message in msgs:
                messages.error(request, message)
    else:
        messages.error(request, error.message)


@require_POST
@login_required
@_app_errors
def plan_sign(request: HttpRequest, plan_id: int) -> HttpResponse:
    access = _access(request, Capability.TREATMENT_PLAN_EDIT)
    raw = str(request.POST.get("patient_signed_on", "")).strip()
    try:
        patient_signed_on = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, "Enter the patient's signature date as a valid date.")
        return redirect("plans:detail", plan_id=plan_id)
    try:
        services.treatment_plan_sign(access=access, plan_id=plan_id, patient_signed_on=patient_signed_on)
    except ApplicationError as error:
        if isinstance(error, NotFound | PermissionDenied):
            raise
        _flash_errors(request, error)
    else:
        messages.success(request, "Treatment plan signed.")
    return redirect("plans:detail", plan_id=plan_id)


@require_POST
@login_required
@_app_errors
def plan_activate(request: HttpRequest, plan_id: int) -> HttpResponse:
    access = _access(request, Capability.TREATMENT_PLAN_EDIT)
    try:
        services.treatment_plan_activate(access=access, plan_id=plan_id)
    except ApplicationError as error:
        if isinstance(error, NotFound | PermissionDenied):
            raise
        _flash_errors(request, error)
    else:
        messages.success(request, "Treatment plan is now active; the previous plan is superseded.")
    return redirect("plans:detail", plan_id=plan_id)
