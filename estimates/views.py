"""Screens: fees (billed and allowed side by side, add an allowed amount, import a CSV), the
patient-responsibility estimate of an appointment, and Good Faith Estimates (list, make, view,
mark given, PDF).

Reading needs BILLING_VIEW (billers, practice admins); changing fees needs BILLING_EDIT or
PRACTICE_MANAGE (the services check it too); making and giving GFEs needs BILLING_EDIT.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from claims.selectors.fees import fee_table
from claims.services import FeeKind, contracted_rate_set, fees_import
from core.errors import PermissionDenied, ValidationFailed
from core.formatting import date_label
from core.money import cents_from_decimal, format_cents
from core.views import add_errors_to_form, app_errors
from estimates import selectors, services
from estimates.forms import AllowedAmountForm, FeeImportForm, GoodFaithEstimateForm
from estimates.models import GoodFaithEstimate, GoodFaithEstimateItem
from estimates.pdf import gfe_pdf
from patients.selectors import patient_list_for_user
from payers.selectors import payer_choices
from practice.selectors import location_list, practice_today, practice_zone, provider_choices

PICKER_LIMIT = 200


def _can_edit_fees(access: PracticeAccess) -> bool:
    return access.can(Capability.BILLING_EDIT) or access.can(Capability.PRACTICE_MANAGE)


def _fee_editor(request: HttpRequest) -> PracticeAccess:
    access = screen_access(request, Capability.BILLING_VIEW)
    if not _can_edit_fees(access):
        raise PermissionDenied()
    return access


# ---- fees -----------------------------------------------------------------------------------------


@login_required
@app_errors
def fee_list(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    rows = fee_table(practice_id=access.practice_id)
    context = {
        "rows": [
            {
                "kind": "Allowed (contract)" if r.kind == "allowed" else "Billed",
                "payer": r.payer_name or "Default (self-pay)",
                "code": r.code,
                "modifiers": r.modifiers or "—",
                "amount": format_cents(cents_from_decimal(r.amount)),
                "dates": f"{date_label(r.effective_from)} to {date_label(r.effective_to) if r.effective_to else 'open'}",
            }
            for r in rows
        ],
        "can_edit": _can_edit_fees(access),
    }
    return render(request, "estimates/fees.html", context)


@login_required
@app_errors
def allowed_amount_add(request: HttpRequest) -> HttpResponse:
    access = _fee_editor(request)
    form = AllowedAmountForm(request.POST or None, payer_choices=payer_choices(access=access))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contracted_rate_set(
                access=access,
                payer_id=data["payer_id"],
                code=data["code"],
                modifiers=data["modifiers"],
                amount_cents=cents_from_decimal(data["amount"]),
                effective_from=data["effective_from"],
                effective_to=data["effective_to"],
            )
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Allowed amount saved.")
            return redirect("estimates:fees")
    context = {"form": form, "title": "Add a contracted (allowed) amount", "multipart": False}
    return render(request, "estimates/form.html", context, status=400 if form.errors else 200)


@login_required
@app_errors
def fee_import(request: HttpRequest) -> HttpResponse:
    access = _fee_editor(request)
    form = FeeImportForm(
        request.POST or None, request.FILES or None, payer_choices=payer_choices(access=access)
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = fees_import(
                access=access, kind=FeeKind(data["kind"]), payer_id=data["payer_id"], text=data["file"]
            )
        except ValidationFailed as error:
            problems = [str(p["message"]) for p in error.extra.get("problems", [])] or [error.message]
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Imported {changed} row(s).")
            return redirect("estimates:fees")
    context = {"form": form, "title": "Import fees from a CSV file", "multipart": True, "problems": problems}
    return render(request, "estimates/form.html", context, status=400 if form.errors else 200)


# ---- the estimate of an appointment ---------------------------------------------------------------


@login_required
@app_errors
def appointment_estimate(request: HttpRequest, appointment_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    code = request.GET.get("code", "")[:5]
    # The benefits come from the coverage's latest finished eligibility check (its parsed 271).
    estimate = selectors.appointment_estimate(access=access, appointment_id=appointment_id, code=code or None)
    result = estimate.result
    context = {
        "estimate": estimate,
        "result": result,
        "owes": format_cents(cents_from_decimal(result.patient_owes))
        if result.patient_owes is not None
        else "",
        "plan_pays": format_cents(cents_from_decimal(result.plan_pays))
        if result.plan_pays is not None
        else "",
    }
    return render(request, "estimates/appointment_estimate.html", context)


# ---- Good Faith Estimates -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GfeRow:
    estimate_id: int
    patient_name: str
    service_on: str
    total: str
    due: str
    status: str
    status_css: str


def _status(gfe: GoodFaithEstimate, today: Any) -> tuple[str, str]:
    if gfe.issued_at is not None:
        given_on = gfe.issued_at.astimezone(practice_zone(practice_id=gfe.practice_id)).date()
        late = gfe.due_on is not None and given_on > gfe.due_on
        return ("Given late" if late else "Given", "warn" if late else "ok")
    if gfe.due_on is None:
        return ("Not required; not given yet", "")
    if today > gfe.due_on:
        return ("Overdue", "bad")
    return ("Due", "warn")


def _row(gfe: GoodFaithEstimate, today: Any) -> GfeRow:
    label, css = _status(gfe, today)
    return GfeRow(
        estimate_id=gfe.pk,
        patient_name=gfe.patient_name,
        service_on=date_label(gfe.service_on) if gfe.service_on else "—",
        total=format_cents(gfe.total_cents),
        due=date_label(gfe.due_on) if gfe.due_on else "—",
        status=label,
        status_css=css,
    )


def _item(i: GoodFaithEstimateItem) -> dict[str, Any]:
    return {
        "code": i.code,
        "modifiers": i.modifiers_key.replace(",", " "),
        "description": i.description,
        "quantity": i.quantity,
        "unit": format_cents(i.unit_cents),
        "total": format_cents(i.total_cents),
    }


def _detail_context(gfe: GoodFaithEstimate, today: Any) -> dict[str, Any]:
    own = [i for i in gfe.items.all() if i.party_id is None]
    return {
        "gfe": gfe,
        "row": _row(gfe, today),
        "items": [_item(i) for i in own],
        "own_total": format_cents(sum(i.total_cents for i in own)),
        "parties": [
            {
                "party": p,
                "items": [_item(i) for i in p.items.all()],
                "total": format_cents(sum(i.total_cents for i in p.items.all())),
            }
            for p in gfe.parties.all()
        ],
        "diagnoses": ", ".join(gfe.diagnosis_codes) or "None listed",
    }


@login_required
@app_errors
def gfe_list(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    today = practice_today(practice_id=access.practice_id)
    rows = [_row(g, today) for g in selectors.good_faith_estimate_list(access=access)]
    return render(
        request, "estimates/gfe_list.html", {"rows": rows, "can_edit": access.can(Capability.BILLING_EDIT)}
    )


@login_required
@app_errors
def gfe_create(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    page = patient_list_for_user(access=access, include_inactive=False, limit=PICKER_LIMIT)
    form = GoodFaithEstimateForm(
        request.POST or None,
        patient_choices=[
            (p.pk, f"{p.last_name}, {p.first_name} ({p.account_number})") for p in page.patients
        ],
        provider_choices=provider_choices(access=access),
        location_choices=[(loc.pk, loc.name) for loc in location_list(access=access, active_only=True)],
    )
    if request.method == "POST" and form.is_valid():
        try:
            gfe = services.good_faith_estimate_create(access=access, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)  # an item's problem ("Item 2: ...") shows above the form
        else:
            messages.success(request, "Good Faith Estimate made.")
            return redirect("estimates:gfe_detail", estimate_id=gfe.pk)
    context = {"form": form, "title": "Make a Good Faith Estimate", "multipart": False}
    return render(request, "estimates/form.html", context, status=400 if form.errors else 200)


@login_required
@app_errors
def gfe_detail(request: HttpRequest, estimate_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    gfe = selectors.good_faith_estimate_get(access=access, estimate_id=estimate_id)
    today = practice_today(practice_id=access.practice_id)
    check = selectors.billed_against_estimate(estimate=gfe)
    context = _detail_context(gfe, today)
    context.update(
        {
            "can_edit": access.can(Capability.BILLING_EDIT),
            "billed": format_cents(cents_from_decimal(check.billed)) if check else "",
            "billed_over": format_cents(cents_from_decimal(check.difference)) if check else "",
            "exceeds": bool(check and check.exceeds),
        }
    )
    return render(request, "estimates/gfe_detail.html", context)


@login_required
@require_POST
@app_errors
def gfe_issue(request: HttpRequest, estimate_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    services.good_faith_estimate_issue(access=access, estimate_id=estimate_id, at=timezone.now())
    messages.success(request, "Recorded as given to the patient.")
    return redirect("estimates:gfe_detail", estimate_id=estimate_id)


@login_required
@app_errors
def gfe_pdf_download(request: HttpRequest, estimate_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    gfe = selectors.good_faith_estimate_get(access=access, estimate_id=estimate_id, purpose="pdf")
    document = gfe_pdf(_detail_context(gfe, practice_today(practice_id=access.practice_id)))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="good-faith-estimate-{gfe.pk}.pdf"'
    return response
