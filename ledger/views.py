"""Patient billing screens (mounted at /billing/patients/): the patient A/R list and the credit-
balance worklist (CSV too), a patient's account (visits with insurance pending and patient due
apart, payments, credits, statements), taking a payment (also opened from an appointment,
prefilled for its copay), applying a credit, refunding one, and statements as PDF.

Reading needs BILLING_VIEW (billers, practice admins); money changes need BILLING_EDIT (billers).
Each read of a patient's account or statement is an audited PHI access (category billing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.services import audit_event_record
from core.csv_export import csv_response
from core.errors import NotFound, ValidationFailed
from core.formatting import date_label
from core.money import cents_from_decimal, decimal_from_cents, format_cents
from core.views import add_errors_to_form, app_errors
from estimates.selectors import appointment_copay
from ledger import billing_selectors as selectors
from ledger import patient_billing as services
from ledger.forms import ApplyCreditForm, PaymentForm, RefundForm, StatementForm
from ledger.models import PatientStatement
from ledger.pdf import statement_pdf
from patients.selectors import patient_directory_labels
from practice.selectors import practice_today

LIST_LIMIT = 200


def _audit(
    access: PracticeAccess,
    *,
    action: str,
    patient_id: int | None,
    object_type: str,
    object_id: int | str = "",
    detail: str = "",
    shown: list[int] | None = None,
) -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.BILLING,
        practice_id=access.practice_id,
        patient_id=patient_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        shown_patient_ids=shown or (),
    )


def _patient_or_404(access: PracticeAccess, patient_id: int) -> None:
    """The server-side guard of every patient-billing URL (U5): the patient must be this
    practice's, so nothing can be read or saved under another or an empty patient."""
    if patient_id not in patient_directory_labels(access.practice_id, [patient_id]):
        raise NotFound()


def _patient_access(request: HttpRequest, patient_id: int, capability: Capability) -> PracticeAccess:
    """The capability, then the patient guard (`_patient_or_404`)."""
    access = screen_access(request, capability)
    _patient_or_404(access, patient_id)
    return access


@login_required
@require_GET
@app_errors
def patient_ar(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    only = request.GET.get("only", "")
    only = only if only in ("due", "credit") else ""
    want_csv = request.GET.get("format") == "csv"
    rows, count = selectors.patient_ar_rows(
        practice_id=access.practice_id, only=only, limit=None if want_csv else LIST_LIMIT
    )
    _audit(
        access,
        action="list",
        patient_id=None,
        object_type="patient_account",
        detail=f"only={only};results={count}",
        shown=[row.patient_id for row in rows],
    )
    if want_csv:
        return csv_response(
            f"patient-ar{'-' + only if only else ''}.csv",
            ["Patient", "Account", "Insurance pending", "Patient due", "Credit"],
            [
                [
                    row.patient_name,
                    row.patient_id,
                    decimal_from_cents(row.insurance_pending_cents),
                    decimal_from_cents(row.patient_due_cents),
                    decimal_from_cents(row.credit_cents),
                ]
                for row in rows
            ],
        )
    context = {
        "rows": [
            {
                "row": row,
                "url": reverse("patient_billing:account", args=[row.patient_id]),
                "insurance": format_cents(row.insurance_pending_cents),
                "due": format_cents(row.patient_due_cents),
                "credit": format_cents(row.credit_cents) if row.credit_cents else "",
            }
            for row in rows
        ],
        "count": count,
        "limit": LIST_LIMIT,
        "only": only,
        "csv_url": f"{reverse('patient_billing:ar')}?{request.GET.urlencode() + '&' if request.GET else ''}format=csv",
        "can_edit": access.can(Capability.BILLING_EDIT),
        "today": practice_today(practice_id=access.practice_id).isoformat(),
        "pending_help": selectors.PENDING_HELP,
    }
    return render(request, "ledger/patient_ar.html", context)


def _claim_choices(account: selectors.PatientAccount) -> list[tuple[int | str, str]]:
    return [
        (row.claim_id, f"{date_label(row.date_from, weekday=False)} · {row.payer_name} · {row.status_label}")
        for row in account.claims
    ]


@login_required
@require_GET
@app_errors
def account(request: HttpRequest, patient_id: int) -> HttpResponse:
    access = _patient_access(request, patient_id, Capability.BILLING_VIEW)
    return _account_page(request, access, patient_id)


def _account_page(
    request: HttpRequest,
    access: PracticeAccess,
    patient_id: int,
    *,
    payment_initial: dict[str, object] | None = None,
    payment_note: str = "",
    **forms: object,
) -> HttpResponse:
    data = selectors.patient_account(practice_id=access.practice_id, patient_id=patient_id)
    _audit(
        access,
        action="view",
        patient_id=patient_id,
        object_type="patient_account",
        object_id=patient_id,
    )
    today = practice_today(practice_id=access.practice_id)
    choices = _claim_choices(data)
    owed_choices = [
        (row.claim_id, label)
        for (row, (_pk, label)) in zip(data.claims, choices, strict=True)
        if row.patient_due_cents > 0
    ]
    context = {
        "account": data,
        "claims": [
            {
                "row": row,
                "date": date_label(row.date_from, weekday=False),
                "billed": format_cents(row.billed_cents),
                "insurance_paid": format_cents(row.insurance_paid_cents),
                "adjusted": format_cents(row.adjusted_cents),
                "insurance": format_cents(row.insurance_cents),
                "share": "—" if row.pending else format_cents(row.patient_responsibility_cents),
                "paid": format_cents(row.patient_paid_cents),
                "due": format_cents(row.patient_due_cents),
                "credit": format_cents(-row.patient_cents) if row.patient_cents < 0 else "",
            }
            for row in data.claims
        ],
        "payments": [
            {
                "row": p,
                "date": date_label(p.received_on, weekday=False),
                "amount": format_cents(p.amount_cents),
                "unapplied": format_cents(p.unapplied_cents) if p.unapplied_cents else "",
            }
            for p in data.payments
        ],
        "insurance_pending": format_cents(data.insurance_pending_cents),
        "patient_due": format_cents(data.patient_due_cents),
        "credit": format_cents(data.credit_cents) if data.credit_cents else "",
        "unapplied": format_cents(data.unapplied_cents) if data.unapplied_cents else "",
        "statements": [
            {
                "statement": s,
                "date": date_label(s.statement_date, weekday=False),
                "due": format_cents(s.amount_due_cents),
                "credit": format_cents(s.credit_cents) if s.credit_cents else "",
            }
            for s in selectors.statement_list(practice_id=access.practice_id, patient_id=patient_id)
        ],
        "can_edit": access.can(Capability.BILLING_EDIT),
        "pending_help": selectors.PENDING_HELP,
        "payment_form": forms.get("payment_form")
        or PaymentForm(
            initial=payment_initial or {"received_on": today, "method": "card"}, claim_choices=choices
        ),
        "payment_note": payment_note,
        "apply_form": forms.get("apply_form")
        or (ApplyCreditForm(claim_choices=owed_choices) if owed_choices and data.unapplied_cents else None),
        "refund_form": forms.get("refund_form")
        or (
            RefundForm(initial={"amount": decimal_from_cents(data.credit_cents)})
            if data.credit_cents
            else None
        ),
        "statement_form": StatementForm(initial={"statement_date": today}),
    }
    return render(request, "ledger/account.html", context)


def _account_post(
    request: HttpRequest,
    access: PracticeAccess,
    patient_id: int,
    *,
    form: Form,
    form_name: str,
    act: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """A money change on the account page: a valid form runs `act(cleaned_data)` (one service
    call, returning the success message) and goes back to the account; a refusal (or an invalid
    form) shows the page again with the errors on `form` (passed to the page as `form_name`)."""
    if form.is_valid():
        try:
            message = act(form.cleaned_data)
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, message)
            return redirect("patient_billing:account", patient_id=patient_id)
    shown: dict[str, Any] = {form_name: form}
    return _account_page(request, access, patient_id, **shown)


@login_required
@require_GET
@app_errors
def appointment_payment(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The patient's account with the payment form prefilled for the appointment (the "Record
    payment" button of the appointment screen): its date, the copay the latest eligibility
    response gives (when known), marked as collected at the visit. Saving posts to `payment_add`."""
    access = screen_access(request, Capability.BILLING_EDIT)
    visit = appointment_copay(access=access, appointment_id=appointment_id)
    _patient_or_404(access, visit.patient_id)
    initial: dict[str, object] = {
        "received_on": visit.date_of_service,
        "method": "card",
        "at_time_of_service": True,
        "reference": "Copay at check-in",
    }
    day = date_label(visit.date_of_service)
    if visit.copay is not None:
        initial["amount"] = visit.copay
        note = f"Visit of {day}: the expected copay is {format_cents(cents_from_decimal(visit.copay))} ({visit.payer_name}, latest eligibility response)."
    else:
        note = f"Visit of {day}: no copay known from an eligibility response; enter the amount collected."
    return _account_page(request, access, visit.patient_id, payment_initial=initial, payment_note=note)


@login_required
@require_POST
@app_errors
def payment_add(request: HttpRequest, patient_id: int) -> HttpResponse:
    access = _patient_access(request, patient_id, Capability.BILLING_EDIT)
    data = selectors.patient_account(practice_id=access.practice_id, patient_id=patient_id)

    def take(cleaned: dict[str, Any]) -> str:
        taken = services.patient_payment_take(
            practice_id=access.practice_id,
            patient_id=patient_id,
            amount_cents=cents_from_decimal(cleaned["amount"]),
            method=cleaned["method"],
            received_on=cleaned["received_on"],
            claim_id=cleaned["claim"],
            at_time_of_service=cleaned["at_time_of_service"],
            reference=cleaned["reference"],
            actor_id=access.user_id,
        )
        return (
            f"Payment recorded: {format_cents(taken.applied_cents)} applied, "
            f"{format_cents(taken.unapplied_cents)} kept as a credit."
        )

    form = PaymentForm(request.POST, claim_choices=_claim_choices(data))
    return _account_post(request, access, patient_id, form=form, form_name="payment_form", act=take)


@login_required
@require_POST
@app_errors
def credit_apply(request: HttpRequest, patient_id: int) -> HttpResponse:
    access = _patient_access(request, patient_id, Capability.BILLING_EDIT)
    data = selectors.patient_account(practice_id=access.practice_id, patient_id=patient_id)

    def apply(cleaned: dict[str, Any]) -> str:
        applied = services.credit_apply(
            practice_id=access.practice_id,
            patient_id=patient_id,
            claim_id=cleaned["claim"],
            on=practice_today(practice_id=access.practice_id),
            actor_id=access.user_id,
        )
        return f"Applied {format_cents(applied)} of the credit."

    form = ApplyCreditForm(request.POST, claim_choices=_claim_choices(data))
    return _account_post(request, access, patient_id, form=form, form_name="apply_form", act=apply)


@login_required
@require_POST
@app_errors
def refund(request: HttpRequest, patient_id: int) -> HttpResponse:
    access = _patient_access(request, patient_id, Capability.BILLING_EDIT)

    def pay_back(cleaned: dict[str, Any]) -> str:
        cents = services.credit_refund(
            practice_id=access.practice_id,
            patient_id=patient_id,
            amount_cents=cents_from_decimal(cleaned["amount"]),
            reason=cleaned["reason"],
            on=practice_today(practice_id=access.practice_id),
            actor_id=access.user_id,
        )
        return f"Refund of {format_cents(cents)} recorded."

    form = RefundForm(request.POST)
    return _account_post(request, access, patient_id, form=form, form_name="refund_form", act=pay_back)


@login_required
@require_POST
@app_errors
def statement_create(request: HttpRequest, patient_id: int) -> HttpResponse:
    access = _patient_access(request, patient_id, Capability.BILLING_EDIT)
    form = StatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the statement date.")
        return redirect("patient_billing:account", patient_id=patient_id)
    statement = services.statement_generate(
        practice_id=access.practice_id,
        patient_id=patient_id,
        statement_date=form.cleaned_data["statement_date"],
        actor_id=access.user_id,
    )
    messages.success(request, f"Statement of {date_label(statement.statement_date, weekday=False)} ready.")
    return redirect("patient_billing:account", patient_id=patient_id)


@login_required
@require_POST
@app_errors
def statements_run(request: HttpRequest) -> HttpResponse:
    """Statements for every patient who owes or has a credit: one durable job each."""
    access = screen_access(request, Capability.BILLING_EDIT)
    form = StatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the statement date.")
        return redirect("patient_billing:ar")
    count = services.statements_request(
        practice_id=access.practice_id, statement_date=form.cleaned_data["statement_date"]
    )
    messages.success(request, f"{count} statements queued; they appear on each account when made.")
    return redirect("patient_billing:ar")


@login_required
@require_GET
@app_errors
def statement_pdf_view(request: HttpRequest, patient_id: int, statement_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    statement = PatientStatement.objects.filter(
        practice_id=access.practice_id, patient_id=patient_id, pk=statement_id
    ).first()
    if statement is None:
        raise NotFound()
    _audit(
        access,
        action="export",
        patient_id=patient_id,
        object_type="patient_statement",
        object_id=statement.pk,
        detail="pdf",
    )
    response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{statement.pk}.pdf"'
    return response
