"""Screens: the denial work queue (filters, days left, CSV), a denial's page (codes in words,
history, appeals, actions), the appeal letter PDF, the appeal list and denial analytics.

Reading needs BILLING_VIEW (billers, practice admins); acting needs BILLING_EDIT (billers);
writing off needs WRITE_OFF as well (the services check it too).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from core.errors import ValidationFailed
from core.money import cents_from_decimal, format_cents
from core.views import app_errors
from denials import selectors, services
from denials.domain.workflow import Operation, Outcome
from denials.forms import AnalyticsForm, NoteForm, OutcomeForm, QueueFilterForm, ReasonForm, SubmittedForm
from denials.pdf import appeal_letter_pdf
from payers.selectors import payer_choices
from practice.selectors import practice_today, provider_choices

ANALYTICS_DEFAULT_DAYS = 180
OPERATION_LABELS = {
    Operation.CORRECT_AND_RESUBMIT.value: "Correct and resubmit",
    Operation.APPEAL.value: "Appeal",
    Operation.TRANSFER_TO_PATIENT.value: "Transfer to the patient",
    Operation.WRITE_OFF.value: "Write off",
    Operation.RESOLVE.value: "Mark resolved (paid)",
}


def _csv(name: str, rows: Iterator[list[str]]) -> HttpResponse:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _queue_form(request: HttpRequest, access: PracticeAccess) -> QueueFilterForm:
    return QueueFilterForm(
        request.GET or None,
        payer_choices=payer_choices(access=access, active_only=False),
        provider_choices=provider_choices(access=access, active_only=False),
    )


def _filters(form: QueueFilterForm, access: PracticeAccess) -> selectors.QueueFilters:
    if not form.is_bound or not form.is_valid():
        return selectors.QueueFilters()
    data = form.cleaned_data
    return selectors.QueueFilters(
        status=data["status"] or "working",
        category=data["category"] or "",
        payer_id=data["payer"],
        provider_id=data["provider"],
        code=data["code"] or "",
        min_age_days=data["min_age"],
        min_cents=cents_from_decimal(data["min_amount"]) if data["min_amount"] is not None else None,
        max_cents=cents_from_decimal(data["max_amount"]) if data["max_amount"] is not None else None,
        assigned_to_id=access.user_id if data["mine"] else None,
    )


@login_required
@require_GET
@app_errors
def queue(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    form = _queue_form(request, access)
    today = practice_today(practice_id=access.practice_id)
    rows = selectors.denial_queue(access=access, filters=_filters(form, access), today=today)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "rows": rows,
        "patterns": selectors.denial_patterns(access=access, today=today)[:5],
        "total_amount": format_cents(sum(r.amount_cents for r in rows)),
        "export_url": f"{reverse('denials:export')}?{query}" if query else reverse("denials:export"),
    }
    return render(
        request, "denials/queue.html", context, status=400 if form.is_bound and form.errors else 200
    )


@login_required
@require_GET
@app_errors
def queue_export(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    form = _queue_form(request, access)
    if form.is_bound and not form.is_valid():
        return HttpResponse("The filters are not valid.", status=400, content_type="text/plain")
    today = practice_today(practice_id=access.practice_id)
    rows = selectors.denial_queue(access=access, filters=_filters(form, access), today=today)

    def lines() -> Iterator[list[str]]:
        yield [
            "denial", "claim", "patient", "account", "payer", "rendering", "service", "date of service",
            "codes", "meaning", "category", "recommended", "amount", "status", "deadline", "days left",
        ]  # fmt: skip
        for r in rows:
            yield [
                str(r.denial_id), r.claim_number, r.patient_name, r.account_number, r.payer_name, r.provider_name,
                r.service_code, r.service_date, r.codes, r.label, r.category_label, r.action_label, r.amount,
                r.status_label, r.deadline, "" if r.days_left is None else str(r.days_left),
            ]  # fmt: skip

    return _csv("denials.csv", lines())


def _detail_context(access: PracticeAccess, denial_id: int) -> dict[str, Any]:
    today = practice_today(practice_id=access.practice_id)
    detail = selectors.denial_get(access=access, denial_id=denial_id, today=today)
    return {
        "d": detail,
        "operations": [(op, OPERATION_LABELS[op]) for op in detail.operations],
        "note_form": NoteForm(),
        "reason_form": ReasonForm(),
        "outcome_form": OutcomeForm(initial={"outcome_on": today}),
        "submitted_form": SubmittedForm(initial={"submitted_on": today}),
        "can_edit": access.can(Capability.BILLING_EDIT),
        "assignees": selectors.assignee_choices(access=access) if access.can(Capability.BILLING_EDIT) else [],
    }


@login_required
@require_POST
@app_errors
def assign(request: HttpRequest, denial_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    raw = request.POST.get("user_id", "")
    user_id = int(raw) if raw.isdigit() else None
    try:
        services.denial_assign(access=access, denial_id=denial_id, user_id=user_id)
    except ValidationFailed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Assigned." if user_id else "Unassigned.")
    return redirect("denials:detail", denial_id=denial_id)


@login_required
@require_GET
@app_errors
def detail(request: HttpRequest, denial_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    return render(request, "denials/detail.html", _detail_context(access, denial_id))


@login_required
@require_POST
@app_errors(conflict_redirect="denials:queue")
def act(request: HttpRequest, denial_id: int, operation: str) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    text = (request.POST.get("reason") or request.POST.get("note") or "").strip()[:1000]
    try:
        if operation == Operation.CORRECT_AND_RESUBMIT:
            services.denial_correct_and_resubmit(access=access, denial_id=denial_id, note=text)
        elif operation == Operation.APPEAL:
            appeal = services.denial_appeal(access=access, denial_id=denial_id, note=text)
            messages.success(
                request, f"Appeal level {appeal.level} opened: download the letter, review and send it."
            )
            return redirect("denials:detail", denial_id=denial_id)
        elif operation == Operation.TRANSFER_TO_PATIENT:
            services.denial_transfer_to_patient(access=access, denial_id=denial_id, reason=text)
        elif operation == Operation.WRITE_OFF:
            services.denial_write_off(access=access, denial_id=denial_id, reason=text)
        elif operation == Operation.RESOLVE:
            services.denial_resolve(access=access, denial_id=denial_id, note=text)
        else:
            messages.error(request, "Unknown action.")
            return redirect("denials:detail", denial_id=denial_id)
    except ValidationFailed as error:
        context = _detail_context(access, denial_id)
        context["action_error"] = error.message
        return render(request, "denials/detail.html", context, status=400)
    messages.success(request, f"{OPERATION_LABELS.get(operation, operation)}: recorded.")
    return redirect("denials:detail", denial_id=denial_id)


@login_required
@require_GET
@app_errors
def appeal_letter(request: HttpRequest, appeal_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    letter = selectors.appeal_letter(
        access=access, appeal_id=appeal_id, today=practice_today(practice_id=access.practice_id)
    )
    document = appeal_letter_pdf({"letter": letter})
    if access.can(Capability.BILLING_EDIT):
        services.appeal_letter_generated(access=access, appeal_id=appeal_id)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="appeal-{appeal_id}.pdf"'
    return response


@login_required
@require_POST
@app_errors
def appeal_outcome(request: HttpRequest, appeal_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    denial_id = selectors.appeal_denial_id(access=access, appeal_id=appeal_id)
    form = OutcomeForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.appeal_outcome_record(
                access=access,
                appeal_id=appeal_id,
                outcome=form.cleaned_data["outcome"],
                recovered_cents=cents_from_decimal(form.cleaned_data["recovered"]),
                outcome_on=form.cleaned_data["outcome_on"],
            )
        except ValidationFailed as failure:
            error = failure.message
        else:
            messages.success(request, "Appeal outcome recorded.")
            return redirect("denials:detail", denial_id=denial_id)
    context = _detail_context(access, denial_id)
    context["outcome_form"] = form
    context["action_error"] = error or "Check the outcome: " + "; ".join(
        str(e) for errors in form.errors.values() for e in errors
    )
    return render(request, "denials/detail.html", context, status=400)


@login_required
@require_POST
@app_errors
def appeal_submitted(request: HttpRequest, appeal_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    denial_id = selectors.appeal_denial_id(access=access, appeal_id=appeal_id)
    form = SubmittedForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_submitted(
                access=access, appeal_id=appeal_id, submitted_on=form.cleaned_data["submitted_on"]
            )
        except ValidationFailed as failure:
            messages.error(request, failure.message)
        else:
            messages.success(request, "Recorded as sent.")
    else:
        messages.error(request, "Give the date the appeal was sent.")
    return redirect("denials:detail", denial_id=denial_id)


@login_required
@require_GET
@app_errors
def appeals(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    status = request.GET.get("status", "")
    if status not in {o.value for o in Outcome}:
        status = ""
    rows = selectors.appeal_list(access=access, status=status)
    tabs = [("", "All"), *((o.value, selectors.OUTCOME_LABELS[o]) for o in Outcome)]
    return render(request, "denials/appeals.html", {"rows": rows, "status": status, "tabs": tabs})


def _analytics(request: HttpRequest, access: PracticeAccess) -> tuple[AnalyticsForm, selectors.Analytics]:
    today = practice_today(practice_id=access.practice_id)
    form = AnalyticsForm(request.GET or None)
    start, end = today - dt.timedelta(days=ANALYTICS_DEFAULT_DAYS), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, selectors.denial_analytics(access=access, start=start, end=end, today=today)


@login_required
@require_GET
@app_errors
def analytics(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    form, data = _analytics(request, access)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "a": data,
        "sections": [
            ("by-payer", "By payer", data.by_payer, True),
            ("by-category", "By root cause", data.by_category, False),
            ("by-code", "Top codes", data.by_code[:10], False),
            ("by-provider", "By rendering provider", data.by_provider, True),
            ("by-month", "By month (trend)", data.by_month, True),
        ],
        "queue_url": reverse("denials:queue"),
        "export_url": f"{reverse('denials:analytics_export')}?{query}"
        if query
        else reverse("denials:analytics_export"),
    }
    return render(request, "denials/analytics.html", context)


@login_required
@require_GET
@app_errors
def analytics_export(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    _, data = _analytics(request, access)

    def lines() -> Iterator[list[str]]:
        yield ["dimension", "key", "label", "denials", "amount", "rate"]
        for name, rows in (
            ("payer", data.by_payer),
            ("category", data.by_category),
            ("code", data.by_code),
            ("provider", data.by_provider),
            ("month", data.by_month),
        ):
            for b in rows:
                yield [name, b.key, b.label, str(b.count), b.amount, b.rate]

    return _csv("denial-analytics.csv", lines())
