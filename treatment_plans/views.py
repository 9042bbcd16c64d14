"""Treatment-plan screens: a patient's plans, a plan (with the review-overdue banner), the plan
form (create / edit an unsigned draft), sign and activate.

The plan form (treatment_plans.forms) is a tree of slots; empty slots are ignored, and service
errors show next to their slot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

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
from treatment_plans.domain.types import PlanStatus
from treatment_plans.forms import (
    Slot,
    Values,
    draft_from_values,
    form_key,
    slots_for,
    values_from_plan,
    values_from_post,
)

ViewFunc = Callable[..., HttpResponse]

PLANS_PER_PAGE = 25


_access = screen_access
_app_errors = app_errors


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
