"""Payer screens: the list (billers and admins), create and edit, enrolment (admins)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access import screen_access
from accounts.domain.roles import Capability
from core.errors import ValidationFailed
from core.formatting import date_label
from core.pagination import page_window, pager
from core.views import add_errors_to_form, app_errors
from payers import selectors, services
from payers.forms import EnrollmentForm, PayerEditForm, PayerForm
from practice import selectors as practice_selectors

ViewFunc = Callable[..., HttpResponse]

PAYER_FIELDS = tuple(PayerEditForm.base_fields)


_access = screen_access
_app_errors = app_errors


@dataclass(frozen=True, slots=True)
class PayerRow:
    payer_pk: int
    name: str
    kind: str
    payer_id: str
    claim_filing: str
    timely_filing: str
    appeal_window: str
    enrolled: str
    era: str
    is_active: bool
    edit_url: str
    detail_url: str


def _row(p: selectors.PayerSummary) -> PayerRow:
    return PayerRow(
        payer_pk=p.payer_pk,
        name=p.name,
        kind=p.kind_label,
        payer_id=p.payer_id or "—",
        claim_filing=f"{p.claim_filing_indicator} · {p.claim_filing_indicator_label}",
        timely_filing=f"{p.timely_filing_days} days",
        appeal_window=f"{p.appeal_window_days} days",
        enrolled=f"{p.enrolled_count} provider{'s' if p.enrolled_count != 1 else ''}",
        era=f"{p.era_enrollment_label} · last ERA {date_label(p.last_era_on, weekday=False) or 'none received'}",
        is_active=p.is_active,
        edit_url=reverse("payers:edit", args=[p.payer_pk]),
        detail_url=reverse("payers:detail", args=[p.payer_pk]),
    )


@login_required
@_app_errors
def payer_list(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.PAYER_VIEW)
    window = page_window(request.GET)
    page = selectors.payer_page(access=access, offset=window.offset, limit=window.size)
    context = {
        "rows": [_row(p) for p in page.payers],
        "pager": pager(params=request.GET, window=window, total=page.total, shown=len(page.payers)),
        "can_manage": access.can(Capability.PRACTICE_MANAGE),
    }
    return render(request, "payers/list.html", context)


@login_required
@_app_errors
def payer_create(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    form = PayerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payer_create(access=access, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Payer added.")
            return redirect("payers:list")
    context = {"form": form, "title": "Add a payer", "enrollments": []}
    return render(request, "payers/form.html", context, status=400 if form.errors else 200)


@dataclass(frozen=True, slots=True)
class EnrollmentRow:
    provider_name: str
    status_label: str
    css: str
    edit_url: str


@login_required
@_app_errors
def payer_edit(request: HttpRequest, payer_pk: int) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    payer = selectors.payer_get(access=access, payer_pk=payer_pk)
    form = PayerEditForm(request.POST or None, initial={name: getattr(payer, name) for name in PAYER_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.payer_update(access=access, payer_pk=payer_pk, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Payer saved.")
            return redirect("payers:list")
    enrollment_url = reverse("payers:enrollment_set")
    enrollments = [
        EnrollmentRow(
            provider_name=e.provider.full_name,
            status_label=e.get_status_display(),
            css={"enrolled": "ok", "pending": "warn", "denied": "bad", "terminated": "bad"}.get(e.status, ""),
            edit_url=f"{enrollment_url}?provider={e.provider_id}&payer={payer.pk}",
        )
        for e in selectors.enrollment_list_for_payer(access=access, payer_pk=payer.pk)
    ]
    context = {"form": form, "title": f"Edit {payer.name}", "enrollments": enrollments}
    return render(request, "payers/form.html", context, status=400 if form.errors else 200)


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else None


@login_required
@_app_errors
def enrollment_set(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.PRACTICE_MANAGE)
    provider_id = _int_param(request, "provider")
    payer_pk = _int_param(request, "payer")
    initial: dict[str, Any] = {"provider_id": provider_id, "payer": payer_pk}
    if provider_id is not None and payer_pk is not None:
        current = selectors.enrollment_get(access=access, provider_id=provider_id, payer_pk=payer_pk)
        if current is not None:
            initial.update(
                status=current.status,
                effective_on=current.effective_on,
                ends_on=current.ends_on,
                payer_provider_id=current.payer_provider_id,
            )
    form = EnrollmentForm(
        request.POST or None,
        initial=initial,
        provider_choices=practice_selectors.provider_choices(access=access),
        payer_choices=selectors.payer_choices(access=access),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen_payer = data.pop("payer")
        try:
            enrollment = services.enrollment_set(access=access, payer_pk=chosen_payer, **data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Enrolment saved.")
            return redirect("practice:provider_detail", provider_id=enrollment.provider_id)
    context = {"form": form, "title": "Set a payer enrolment"}
    return render(request, "payers/enrollment_form.html", context, status=400 if form.errors else 200)
