"""Prior-authorization screens: the list with burn-down bars, one authorization, create and edit.

Reading needs BILLING_VIEW (billers, admins); create and edit need AUTHORIZATION_EDIT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from authorizations import selectors, services
from authorizations.domain.rules import caps_as_text
from authorizations.domain.types import AlertKind, AuthStatus, UnitKind, usage_ref_label
from authorizations.forms import AuthorizationEditForm, AuthorizationForm, FilterForm
from core.errors import ValidationFailed
from core.formatting import date_label
from core.pagination import page_window, pager
from core.views import add_errors_to_form, app_errors
from patients.selectors import patient_list_for_user
from payers.selectors import payer_choices
from practice.selectors import provider_choices

ViewFunc = Callable[..., HttpResponse]
PICKER_LIMIT = 200
STATUS_CSS = {
    AuthStatus.ACTIVE: "ok",
    AuthStatus.EXHAUSTED: "bad",
    AuthStatus.EXPIRED: "",
    AuthStatus.CANCELLED: "",
}
ALERT_LABELS = {AlertKind.LOW_REMAINING: "Little left", AlertKind.EXPIRING: "Ending soon"}


_access = screen_access
_app_errors = app_errors


# ---- view models -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Badge:
    label: str
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class CapView:
    """A cap's burn-down, shaped like AuthView's bar fields (for _bar.html)."""

    label: str
    authorized: int
    used: int
    planned: int
    remaining: int
    used_pct: int
    planned_pct: int
    remaining_pct: int
    bar_label: str
    over_planned: bool
    forecast: str


@dataclass(frozen=True, slots=True)
class AuthView:
    authorization_id: int
    number: str
    patient_name: str
    payer_name: str
    codes: str
    period: str
    what: str  # "units" / "visits"
    authorized: int
    used: int
    planned: int
    remaining: int
    used_pct: int
    planned_pct: int
    remaining_pct: int
    bar_label: str
    over_planned: bool
    status_label: str
    status_css: str
    alerts: tuple[Badge, ...]
    forecast: str
    provider: str
    notes: str
    url: str
    edit_url: str
    caps: tuple[CapView, ...] = ()

    @property
    def caps_text(self) -> str:
        return "; ".join(f"{c.label}: at most {c.authorized}" for c in self.caps)


def _forecast_text(exhausted_on: date | None, row: selectors.AuthorizationRow) -> str:
    """When the units (of the authorization or of one cap) run out at the current pace, in words."""
    if exhausted_on is not None:
        return f"Runs out about {date_label(exhausted_on)}"
    if row.status in (AuthStatus.ACTIVE, AuthStatus.EXHAUSTED):
        return f"Lasts until {date_label(row.end_on)} at the current pace"
    return "—"


def _cap_view(cap: selectors.CapRow, *, what: str, row: selectors.AuthorizationRow) -> CapView:
    burn = cap.burn
    forecast = _forecast_text(cap.forecast_exhausted_on, row)
    return CapView(
        label=cap.label,
        authorized=burn.authorized,
        used=burn.used,
        planned=burn.planned,
        remaining=burn.remaining,
        used_pct=burn.used_percent,
        planned_pct=burn.planned_percent,
        remaining_pct=burn.remaining_percent,
        bar_label=f"{cap.label}: {burn.used} used, {burn.planned} planned, {burn.remaining} left of "
        f"{burn.authorized} {what}",
        over_planned=burn.over_planned,
        forecast=forecast,
    )


def _view(row: selectors.AuthorizationRow) -> AuthView:
    what = "units" if row.unit_kind is UnitKind.UNITS else "visits"
    burn = row.burn
    first_cap = min(
        (c for c in row.caps if c.forecast_exhausted_on is not None),
        key=lambda c: c.forecast_exhausted_on or row.end_on,
        default=None,
    )
    cap_day = first_cap.forecast_exhausted_on if first_cap is not None else None
    if first_cap is not None and cap_day is not None and cap_day == row.exhausted_on:
        forecast = f"The {first_cap.label} cap runs out about {date_label(cap_day)}"
    else:
        forecast = _forecast_text(row.forecast_exhausted_on, row)
    return AuthView(
        authorization_id=row.authorization_id,
        number=row.number,
        patient_name=row.patient_name,
        payer_name=row.payer_name,
        codes=", ".join(row.codes),
        period=f"{date_label(row.start_on)} to {date_label(row.end_on)}",
        what=what,
        authorized=row.authorized,
        used=burn.used,
        planned=burn.planned,
        remaining=burn.remaining,
        used_pct=burn.used_percent,
        planned_pct=burn.planned_percent,
        remaining_pct=burn.remaining_percent,
        bar_label=(
            f"{burn.used} used, {burn.planned} planned, {burn.remaining} left of {row.authorized} {what}"
        ),
        over_planned=burn.over_planned,
        status_label=selectors.STATUS_LABELS[row.status],
        status_css=STATUS_CSS[row.status],
        alerts=tuple(
            Badge(
                label=ALERT_LABELS[a.kind],
                css="bad" if a.kind is AlertKind.LOW_REMAINING else "warn",
                title=a.message,
            )
            for a in row.alerts
        ),
        forecast=forecast,
        provider=row.rendering_provider_name or "Any provider",
        notes=row.notes,
        url=reverse("authorizations:detail", args=[row.authorization_id]),
        edit_url=reverse("authorizations:edit", args=[row.authorization_id]),
        caps=tuple(_cap_view(c, what=what, row=row) for c in row.caps),
    )


@dataclass(frozen=True, slots=True)
class UsageView:
    date: str
    code: str
    units: int
    ref: str


def _usage_views(entries: tuple[selectors.UsageEntry, ...]) -> list[UsageView]:
    return [
        UsageView(
            date=date_label(e.usage.date),
            code=e.usage.code or "—",
            units=e.usage.units,
            ref=usage_ref_label(e.usage.ref),
        )
        for e in entries
    ]


def _patient_choices(access: PracticeAccess) -> list[tuple[int, str]]:
    page = patient_list_for_user(access=access, include_inactive=False, limit=PICKER_LIMIT)
    return [(p.pk, f"{p.last_name}, {p.first_name} ({p.account_number})") for p in page.patients]


# ---- screens ---------------------------------------------------------------------------------------


@login_required
@_app_errors
def authorization_list(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.BILLING_VIEW)
    form = FilterForm(
        request.GET or None,
        patient_choices=_patient_choices(access),
        payer_choices=payer_choices(access=access),
    )
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "patient_id": form.cleaned_data["patient"],
            "payer_id": form.cleaned_data["payer"],
            "status": form.cleaned_data["status"],
            "alerting": form.cleaned_data["alerting"],
        }
    window = page_window(request.GET)
    page = selectors.authorization_list(access=access, offset=window.offset, limit=window.size, **filters)
    context = {
        "form": form,
        "rows": [_view(r) for r in page.rows],
        "pager": pager(params=request.GET, window=window, total=page.total, shown=len(page.rows)),
        "can_edit": access.can(Capability.AUTHORIZATION_EDIT),
    }
    return render(request, "authorizations/list.html", context)


@login_required
@_app_errors
def authorization_detail(request: HttpRequest, authorization_id: int) -> HttpResponse:
    access = _access(request, Capability.BILLING_VIEW)
    detail = selectors.authorization_get(access=access, authorization_id=authorization_id)
    context = {
        "auth": _view(detail.row),
        "used": _usage_views(detail.used),
        "planned": _usage_views(detail.planned),
        "alerts": detail.alert_history,
        "daily_rate": detail.daily_rate,
        "can_edit": access.can(Capability.AUTHORIZATION_EDIT),
    }
    return render(request, "authorizations/detail.html", context)


@login_required
@_app_errors
def authorization_create(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.AUTHORIZATION_EDIT)
    patient = request.GET.get("patient", "")
    form = AuthorizationForm(
        request.POST or None,
        initial={"patient_id": int(patient) if patient.isdigit() else None, "unit_kind": "units"},
        patient_choices=_patient_choices(access),
        payer_choices=payer_choices(access=access),
        provider_choices=provider_choices(access=access),
    )
    if request.method == "POST" and form.is_valid():
        try:
            auth = services.authorization_create(access=access, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Authorization saved.")
            return redirect("authorizations:detail", authorization_id=auth.pk)
    context = {
        "form": form,
        "title": "Record a prior authorization",
        "cancel_url": reverse("authorizations:list"),
    }
    return render(request, "authorizations/form.html", context, status=400 if form.errors else 200)


@login_required
@_app_errors
def authorization_edit(request: HttpRequest, authorization_id: int) -> HttpResponse:
    access = _access(request, Capability.AUTHORIZATION_EDIT)
    auth = selectors.authorization_for_edit(access=access, authorization_id=authorization_id)
    form = AuthorizationEditForm(
        request.POST or None,
        initial={
            "number": auth.number,
            "codes": ", ".join(selectors.authorization_codes(auth)),
            "caps": caps_as_text(selectors.authorization_caps(auth)),
            "unit_kind": auth.unit_kind,
            "authorized": auth.authorized,
            "start_on": auth.start_on,
            "end_on": auth.end_on,
            "rendering_provider_id": auth.rendering_provider_id,
            "notes": auth.notes,
            "status": "cancelled" if auth.status == AuthStatus.CANCELLED else "active",
        },
        provider_choices=provider_choices(access=access),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.authorization_update(access=access, authorization_id=auth.pk, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Authorization saved.")
            return redirect("authorizations:detail", authorization_id=auth.pk)
    context = {
        "form": form,
        "title": f"Edit authorization {auth.number}",
        "cancel_url": reverse("authorizations:detail", args=[auth.pk]),
    }
    return render(request, "authorizations/form.html", context, status=400 if form.errors else 200)
