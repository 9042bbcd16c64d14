"""Eligibility screens: the patient's eligibility, a check's record, "Verify now", and the
problems before upcoming sessions. Thin: capability first, one selector or service call."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from core.errors import ValidationFailed
from core.views import add_errors_to_form, app_errors
from eligibility import selectors, services
from eligibility.forms import EligibilitySettingsForm, SftpConnectionForm


@login_required
@app_errors
def patient_eligibility(request: HttpRequest, patient_id: int) -> HttpResponse:
    access = screen_access(request, Capability.COVERAGE_VIEW)
    panels = selectors.eligibility_panels_for_user(access=access, patient_id=patient_id)
    return render(
        request,
        "eligibility/patient.html",
        {
            "patient_id": patient_id,
            "panels": panels,
            "can_verify": access.can(Capability.COVERAGE_EDIT),
            "estimates": selectors.estimate_links(practice_id=access.practice_id, patient_id=patient_id)
            if access.can(Capability.BILLING_VIEW)
            else [],
            "show_history": True,
        },
    )


@login_required
@app_errors
def check_detail(request: HttpRequest, check_id: int) -> HttpResponse:
    access = screen_access(request, Capability.COVERAGE_VIEW)
    check = selectors.check_get_for_user(access=access, check_id=check_id)
    return render(
        request,
        "eligibility/check.html",
        {
            "check": check,
            "lines": selectors.check_summary_lines(check),
            "service_types": [selectors.service_type_label(c) for c in check.service_types],
            "clearinghouse": selectors.clearinghouse_label(check.clearinghouse),
        },
    )


def _verified(request: HttpRequest, check_status: str, created_message: str) -> None:
    messages.success(request, created_message if check_status == "queued" else "Eligibility check recorded.")


@require_POST
@login_required
@app_errors
def verify_coverage(request: HttpRequest, coverage_id: int) -> HttpResponse:
    access = screen_access(request, Capability.COVERAGE_EDIT)
    try:
        day = (
            dt.date.fromisoformat(request.POST.get("service_date", ""))
            if request.POST.get("service_date")
            else None
        )
    except ValueError:
        day = None
        messages.error(request, "The date of service is not a date; checked for today.")
    try:
        check = services.eligibility_verify_now(
            access=access, coverage_id=coverage_id, service_date=day, force=request.POST.get("force") == "1"
        )
    except ValidationFailed as error:
        messages.error(request, error.message)
        return redirect(request.POST.get("next") or "home")
    _verified(request, check.status, "Eligibility check queued.")
    return redirect("eligibility:patient", patient_id=check.patient_id)


@require_POST
@login_required
@app_errors
def verify_appointment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    access = screen_access(request, Capability.COVERAGE_EDIT)
    try:
        check = services.eligibility_verify_now(
            access=access, appointment_id=appointment_id, force=request.POST.get("force") == "1"
        )
    except ValidationFailed as error:
        messages.error(request, error.message)
        return redirect("scheduling:appointment_detail", appointment_id=appointment_id)
    _verified(request, check.status, "Eligibility check queued for the appointment's date.")
    return redirect("eligibility:patient", patient_id=check.patient_id)


@require_POST
@login_required
@app_errors
def verify_carve_out(request: HttpRequest, check_id: int) -> HttpResponse:
    """Pitfall E1: ask the administrator the plan's answer named (a second 270)."""
    access = screen_access(request, Capability.COVERAGE_EDIT)
    try:
        check = services.eligibility_carve_out_verify(access=access, check_id=check_id)
    except ValidationFailed as error:
        messages.error(request, error.message)
        return redirect("eligibility:check", check_id=check_id)
    _verified(request, check.status, "Eligibility check with the mental health administrator queued.")
    return redirect("eligibility:patient", patient_id=check.patient_id)


@login_required
@app_errors
def session_problems(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.COVERAGE_EDIT)
    rows = selectors.session_problems_for_user(access=access)
    return render(
        request,
        "eligibility/problems.html",
        {
            "rows": rows,
            "alerts": selectors.eligibility_alerts(practice_id=access.practice_id),
            "batches": selectors.recent_batches(practice_id=access.practice_id),
            "days": selectors.settings_for(practice_id=access.practice_id).days_ahead,
        },
    )


def _settings_page(
    request: HttpRequest,
    access: PracticeAccess,
    *,
    form: EligibilitySettingsForm | None = None,
    sftp_form: SftpConnectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    choices = selectors.clearinghouse_choices()
    if form is None:
        row = selectors.settings_for(practice_id=access.practice_id)
        form = EligibilitySettingsForm(
            initial={
                "clearinghouse": row.clearinghouse,
                "days_ahead": row.days_ahead,
                "reverify_after_days": row.reverify_after_days,
                "appointment_gap_days": row.appointment_gap_days,
            },
            clearinghouse_choices=choices,
        )
    connection = selectors.sftp_connection_for_admin(access=access)
    if sftp_form is None:
        sftp_form = SftpConnectionForm(initial=connection.initial if connection else None)
    return render(
        request,
        "eligibility/settings.html",
        {
            "form": form,
            "sftp_form": sftp_form,
            "sftp": selectors.sftp_connection_label(practice_id=access.practice_id),
            "sftp_connection": connection,
        },
        status=status,
    )


@login_required
@app_errors
def settings_view(request: HttpRequest) -> HttpResponse:
    """The practice's clearinghouse and the morning batch's rules (admins only: the capability
    is checked before the form is read)."""
    access = screen_access(request, Capability.PRACTICE_MANAGE)
    if request.method != "POST":
        return _settings_page(request, access)
    form = EligibilitySettingsForm(request.POST, clearinghouse_choices=selectors.clearinghouse_choices())
    if form.is_valid():
        try:
            services.eligibility_settings_save(access=access, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Eligibility settings saved.")
            return redirect("eligibility:settings")
    return _settings_page(request, access, form=form, status=400)


@require_POST
@login_required
@app_errors
def sftp_settings(request: HttpRequest) -> HttpResponse:
    """The SFTP connection (admins only). The key and passphrase are write-only."""
    access = screen_access(request, Capability.PRACTICE_MANAGE)
    form = SftpConnectionForm(request.POST)
    if form.is_valid():
        try:
            services.eligibility_sftp_connection_save(access=access, **form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "SFTP connection saved.")
            return redirect("eligibility:settings")
    data = request.POST.copy()  # never echo a secret back into the page
    data["private_key"] = ""
    data["passphrase"] = ""
    form.data = data
    return _settings_page(request, access, sftp_form=form, status=400)
