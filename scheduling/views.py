"""Schedule screens: day and week lists (per provider, per location), booking, detail with status
buttons, rescheduling, group sessions with a roster picker.

Thin: each view checks the capability, calls selectors/services and hands the template
ready-made values (labels, links, flags). Errors from services show on the form; nothing is
written when they do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from core.domain.problems import Problem
from core.errors import ValidationFailed
from core.views import add_errors_to_form, app_errors
from practice.selectors import practice_today
from scheduling import selectors, services
from scheduling.forms import (
    SERVICE_FIELDS,
    AppointmentForm,
    FilterForm,
    GroupSessionForm,
    RescheduleForm,
    RosterAddForm,
    RosterRemoveForm,
    StatusForm,
)

ViewFunc = Callable[..., HttpResponse]


_access = screen_access
_app_errors = app_errors(conflict_redirect="scheduling:day")


def _form_error(form: Any, error: ValidationFailed) -> None:
    """Service field names (starts_at...) → the form's (start_time...)."""
    fields = {SERVICE_FIELDS.get(k, k): v for k, v in error.field_errors.items()}
    add_errors_to_form(form, ValidationFailed(error.message, field_errors=fields))


def _warn(request: HttpRequest, warnings: tuple[Problem, ...]) -> None:
    for warning in warnings:
        messages.warning(request, warning.message)


# --- day and week -------------------------------------------------------------------------------


def _schedule_page(request: HttpRequest, *, span: str) -> HttpResponse:
    access = _access(request, Capability.SCHEDULE_VIEW)
    options = selectors.schedule_options(access=access)
    form = FilterForm(request.GET, providers=options.providers, locations=options.locations)
    form.is_valid()
    data = form.cleaned_data
    provider_id = data.get("provider")
    location_id = data.get("location")
    if "provider" not in request.GET and location_id is None and access.provider_id is not None:
        provider_id = access.provider_id  # a provider's first look is their own schedule
    day = data.get("date") or practice_today(practice_id=access.practice_id)
    step = dt.timedelta(days=1 if span == "day" else 7)
    if span == "day":
        days = [
            selectors.schedule_day(access=access, day=day, provider_id=provider_id, location_id=location_id)
        ]
    else:
        days = selectors.schedule_week(
            access=access, day=day, provider_id=provider_id, location_id=location_id
        )

    def link(name: str, when: dt.date) -> str:
        params = {"date": when.isoformat(), "provider": provider_id or "", "location": location_id or ""}
        return f"{reverse(name)}?{urlencode(params)}"

    providers = dict(options.providers)
    locations = dict(options.locations)
    who = [
        providers.get(provider_id, "") if provider_id else "",
        locations.get(location_id, "") if location_id else "",
    ]
    context = {
        "span": span,
        "form": FilterForm(
            {"provider": provider_id or "", "location": location_id or "", "date": day.isoformat()},
            providers=options.providers,
            locations=options.locations,
        ),
        "days": days,
        "heading": " · ".join(w for w in who if w) or "Whole practice",
        "period_label": days[0].label if span == "day" else f"Week of {days[0].label}",
        "prev_url": link(f"scheduling:{span}", day - step),
        "next_url": link(f"scheduling:{span}", day + step),
        "today_url": link(f"scheduling:{span}", practice_today(practice_id=access.practice_id)),
        "day_url": link("scheduling:day", day),
        "week_url": link("scheduling:week", day),
        "can_edit": access.can(Capability.SCHEDULE_EDIT),
        "show_provider": provider_id is None,
    }
    return render(request, "scheduling/schedule.html", context)


@login_required
@_app_errors
def day(request: HttpRequest) -> HttpResponse:
    return _schedule_page(request, span="day")


@login_required
@_app_errors
def week(request: HttpRequest) -> HttpResponse:
    return _schedule_page(request, span="week")


# --- one appointment ----------------------------------------------------------------------------


@login_required
@_app_errors
def appointment_create(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.SCHEDULE_EDIT)
    options = selectors.schedule_options(access=access)
    initial: dict[str, Any] = {
        "date": request.GET.get("date") or practice_today(practice_id=access.practice_id),
        "provider_id": request.GET.get("provider") or access.provider_id,
        "patient_id": request.GET.get("patient"),
    }
    form = AppointmentForm(
        request.POST or None,
        patients=selectors.patient_choices(access=access),
        providers=options.providers,
        locations=options.locations,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.wall_times()
        data = form.cleaned_data
        try:
            outcome = services.appointment_schedule(
                access=access,
                patient_id=data["patient_id"],
                provider_id=data["provider_id"],
                service_type=data["service_type"],
                starts_at=starts_at,
                ends_at=ends_at,
                location_id=data["location_id"],
                telehealth=data["telehealth"],
                patient_at_home=data["patient_at_home"],
            )
        except ValidationFailed as error:
            _form_error(form, error)
        else:
            messages.success(request, "Appointment booked.")
            _warn(request, outcome.warnings)
            return redirect("scheduling:appointment_detail", appointment_id=outcome.appointment.pk)
    context = {"form": form, "title": "Book an appointment", "submit": "Book"}
    return render(request, "scheduling/appointment_form.html", context, status=400 if form.errors else 200)


def _render_detail(request: HttpRequest, access: PracticeAccess, appointment_id: int) -> HttpResponse:
    detail = selectors.appointment_get(access=access, appointment_id=appointment_id)
    plans_url = (
        reverse("plans:list", args=[detail.appointment.patient_id])
        if access.can(Capability.CLINICAL_VIEW)
        else ""
    )
    context = {
        "detail": detail,
        "a": detail.appointment,
        "plans_url": plans_url,
        "can_view_eligibility": access.can(Capability.COVERAGE_VIEW),
        "can_verify_eligibility": access.can(Capability.COVERAGE_EDIT),
        "can_estimate": access.can(Capability.BILLING_VIEW),
        "can_record_payment": access.can(Capability.BILLING_EDIT),
    }
    return render(request, "scheduling/appointment_detail.html", context)


@login_required
@_app_errors
def appointment_detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    access = _access(request, Capability.SCHEDULE_VIEW)
    return _render_detail(request, access, appointment_id)


@require_POST
@login_required
@_app_errors
def appointment_status(request: HttpRequest, appointment_id: int) -> HttpResponse:
    access = _access(request, Capability.SCHEDULE_VIEW)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            appointment = services.appointment_set_status(
                access=access,
                appointment_id=appointment_id,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as error:
            for messages_ in error.field_errors.values():
                for message in messages_:
                    messages.error(request, message)
        else:
            messages.success(request, f"Appointment marked {appointment.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose a status.")
    return redirect("scheduling:appointment_detail", appointment_id=appointment_id)


@login_required
@_app_errors
def appointment_reschedule(request: HttpRequest, appointment_id: int) -> HttpResponse:
    access = _access(request, Capability.SCHEDULE_EDIT)
    detail = selectors.appointment_get(access=access, appointment_id=appointment_id)
    a = detail.appointment
    options = selectors.schedule_options(access=access)
    form = RescheduleForm(
        request.POST or None,
        providers=options.providers,
        locations=options.locations,
        initial={
            "date": a.starts_local.date(),
            "start_time": a.starts_local.time(),
            "end_time": a.ends_local.time(),
            "provider_id": a.provider_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.wall_times()
        try:
            outcome = services.appointment_reschedule(
                access=access,
                appointment_id=appointment_id,
                starts_at=starts_at,
                ends_at=ends_at,
                provider_id=form.cleaned_data["provider_id"],
                location_id=form.cleaned_data["location_id"],
            )
        except ValidationFailed as error:
            _form_error(form, error)
        else:
            messages.success(request, "Appointment rescheduled.")
            _warn(request, outcome.warnings)
            return redirect("scheduling:appointment_detail", appointment_id=appointment_id)
    context = {"form": form, "title": "Reschedule", "submit": "Reschedule", "a": a}
    return render(request, "scheduling/appointment_form.html", context, status=400 if form.errors else 200)


# --- group sessions -----------------------------------------------------------------------------


@login_required
@_app_errors
def group_create(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.SCHEDULE_EDIT)
    options = selectors.schedule_options(access=access)
    form = GroupSessionForm(
        request.POST or None,
        patients=selectors.patient_choices(access=access),
        providers=options.providers,
        locations=options.locations,
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.wall_times()
        data = form.cleaned_data
        try:
            outcome = services.group_session_create(
                access=access,
                provider_id=data["provider_id"],
                title=data["title"],
                service_type=data["service_type"],
                starts_at=starts_at,
                ends_at=ends_at,
                location_id=data["location_id"],
                telehealth=data["telehealth"],
                patient_ids=data["patient_ids"],
            )
        except ValidationFailed as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Group session booked for {len(outcome.appointments)} patients.")
            _warn(request, outcome.warnings)
            return redirect("scheduling:group_detail", group_session_id=outcome.group_session.pk)
    context = {"form": form, "title": "Book a group session"}
    return render(request, "scheduling/group_form.html", context, status=400 if form.errors else 200)


def _render_group(
    request: HttpRequest,
    access: PracticeAccess,
    group_session_id: int,
    *,
    add_form: RosterAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    group = selectors.group_session_get(access=access, group_session_id=group_session_id)
    context: dict[str, Any] = {"group": group}
    if group.can_edit:
        on_roster = {r.patient_id for r in group.roster if r.status != "cancelled"}
        choices = [c for c in selectors.patient_choices(access=access) if c[0] not in on_roster]
        context["add_form"] = add_form or RosterAddForm(patients=choices)
    return render(request, "scheduling/group_detail.html", context, status=status)


@login_required
@_app_errors
def group_detail(request: HttpRequest, group_session_id: int) -> HttpResponse:
    access = _access(request, Capability.SCHEDULE_VIEW)
    return _render_group(request, access, group_session_id)


@require_POST
@login_required
@_app_errors
def group_roster_add(request: HttpRequest, group_session_id: int) -> HttpResponse:
    access = _access(request, Capability.SCHEDULE_EDIT)
    form = RosterAddForm(request.POST, patients=selectors.patient_choices(access=access))
    if form.is_valid():
        try:
            outcome = services.group_roster_add(
                access=access, group_session_id=group_session_id, patient_id=form.cleaned_data["patient_id"]
            )
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Added to the roster.")
            _warn(request, outcome.warnings)
            return redirect("scheduling:group_detail", group_session_id=group_session_id)
    return _render_group(request, access, group_session_id, add_form=form, status=400)


@require_POST
@login_required
@_app_errors
def group_roster_remove(request: HttpRequest, group_session_id: int) -> HttpResponse:
    access = _access(request, Capability.SCHEDULE_EDIT)
    form = RosterRemoveForm(request.POST)
    if form.is_valid():
        try:
            services.group_roster_remove(
                access=access,
                group_session_id=group_session_id,
                patient_id=form.cleaned_data["patient_id"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as error:
            for messages_ in error.field_errors.values():
                for message in messages_:
                    messages.error(request, message)
        else:
            messages.success(request, "Taken off the roster.")
    return redirect("scheduling:group_detail", group_session_id=group_session_id)
