"""Screens: ERA upload (with progress), ERA list and detail (per claim and line what was paid,
adjusted and why it matched: U3), the exceptions queue with manual match, and and the actions on a
held (out of balance) ERA. A patient's ledger is the patient billing screen (`ledger`).

Reading needs BILLING_VIEW (billers, practice admins); uploading, matching and dismissing need
BILLING_EDIT (the services check it too). Reads naming patients are audited by the selectors.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import screen_access
from accounts.domain.roles import Capability
from core.errors import ValidationFailed
from core.formatting import date_label
from core.money import format_cents
from core.views import app_errors
from remittance import selectors
from remittance.domain.codes import carc, rarc
from remittance.forms import EraUploadForm, ExceptionDismissForm, ExceptionLinesMatchForm, ExceptionMatchForm
from remittance.models import EraSource
from remittance.services.matching import exception_dismiss, exception_lines_match, exception_match
from remittance.services.posting import era_force_post, era_post, era_withdraw


def _money(cents: int | None) -> str:
    return "—" if cents is None else format_cents(cents)


def _adjustments(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "code": f"{a['group']}-{a['reason']}",
            "amount": format_cents(int(a["cents"])),
            "label": carc(str(a["reason"])).label,
        }
        for a in items
    ]


@login_required
@app_errors
def era_list(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    rows = [
        {
            "id": era.pk,
            "received": date_label(era.received_at.date()),
            "payer": era.payer_name or era.payer_id or "—",
            "trace": era.trace_number or "—",
            "amount": format_cents(era.payment_cents),
            "status": era.get_status_display(),
            "claims": f"{era.matched_count} of {era.claim_count} posted",
            "name": era.name,
        }
        for era in selectors.era_list_for_user(access=access)
    ]
    return render(
        request, "remittance/era_list.html", {"rows": rows, "can_upload": access.can(Capability.BILLING_EDIT)}
    )


@login_required
@app_errors
def era_upload(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    form = EraUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES.get("file")
        outcome = era_post(
            practice_id=access.practice_id,
            raw=form.cleaned_data["file"],
            source=EraSource.UPLOAD,
            actor=request.user,  # type: ignore[arg-type]
            name=str(getattr(upload, "name", "") or ""),
        )
        target = reverse("remittance:era_detail", kwargs={"era_id": outcome.era_ids[0]})
        summary = outcome.summaries[0]
        status = summary["status"]
        if status == "posted" and summary["unmatched"]:
            status = "posted with exceptions"
        text = (
            f"ERA {status}: {summary['matched']} of {summary['claims']} claims posted, "
            f"{summary['unmatched']} in the exceptions queue."
        )
        (messages.error if outcome.rejected else messages.success)(request, text)  # shown on the ERA
        if request.headers.get("x-requested-with") == "fetch":  # the upload page's script
            return JsonResponse({"redirect": target, "message": text})
        return redirect(target)
    return render(request, "remittance/era_upload.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@app_errors
def era_detail(request: HttpRequest, era_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    detail = selectors.era_get_for_user(access=access, era_id=era_id)
    era = detail.era
    claims = []
    for c in detail.claims:
        claims.append(
            {
                "pcn": c.patient_control_number,
                "claim_id": c.claim_id,
                "patient": c.patient_name or "—",
                "status": c.status_code,
                "state": c.get_state_display(),
                "billed": _money(c.charge_cents),
                "paid": _money(c.paid_cents),
                "patient_share": _money(c.patient_responsibility_cents),
                "why": c.match_reason or "not matched",
                "reversal": c.is_reversal,
                "variance": format_cents(c.variance_cents) if c.variance_cents else "",
                "crossover": c.crossover,
                "corrected_member_id": c.corrected_member_id,
                "adjustments": _adjustments(c.adjustments),
                "remarks": [f"{code}: {rarc(code).label}" for code in c.remarks],
                "exceptions": [e.message for e in c.exceptions.all()],
                "lines": [
                    {
                        "code": "-".join(x for x in (line.code, line.modifiers) if x),
                        "billed_code": line.original_code,
                        "date": date_label(line.service_date) if line.service_date else "—",
                        "billed": _money(line.charge_cents),
                        "paid": _money(line.paid_cents),
                        "allowed": _money(line.allowed_cents),
                        "adjustments": _adjustments(line.adjustments),
                        "remarks": [f"{code}: {rarc(code).label}" for code in line.remarks],
                        "why": line.match_reason or "not matched",
                    }
                    for line in c.lines.all()
                ],
            }
        )
    open_exceptions = sum(1 for c in detail.claims if c.state == "exception")
    context = {
        "era": {
            "id": era.pk,
            "payer": era.payer_name or era.payer_id,
            "trace": era.trace_number or "—",
            "amount": format_cents(era.payment_cents),
            "date": date_label(era.payment_date) if era.payment_date else "—",
            "status": era.get_status_display() + (" with exceptions" if open_exceptions else ""),
            "open_exceptions": open_exceptions,
            "source": era.get_source_display(),
            "balanced": era.balanced,
            "errors": era.errors,
            "force_reason": era.force_reason,
            "held": era.status == "held",
        },
        "claims": claims,
        "can_edit": access.can(Capability.BILLING_EDIT),
    }
    return render(request, "remittance/era_detail.html", context)


@login_required
@app_errors
def exception_queue(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    rows = [
        {
            "id": e.pk,
            "kind": e.get_kind_display(),
            "message": e.message,
            "pcn": e.era_claim.patient_control_number,
            "patient": e.era_claim.patient_name or "—",
            "paid": format_cents(e.era_claim.paid_cents),
            "era_id": e.era_id,
            "trace": e.era.trace_number,
            "age": date_label(e.created_at.date()),
            "matchable": e.kind == "unmatched_claim",
            "lines_matchable": e.kind in {"unmatched_line", "ambiguous_line"},
        }
        for e in selectors.exception_queue_for_user(access=access)
    ]
    return render(
        request,
        "remittance/exceptions.html",
        {"rows": rows, "can_edit": access.can(Capability.BILLING_EDIT)},
    )


@login_required
@app_errors
def exception_match_view(request: HttpRequest, exception_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    query = request.GET.get("q", request.POST.get("q", ""))[:17]
    choices = selectors.claim_choices_for_match(practice_id=access.practice_id, patient_control_number=query)
    form = ExceptionMatchForm(request.POST or None, claim_choices=choices)
    lines_url = ""
    if request.method == "POST" and form.is_valid():
        try:
            exception_match(
                access=access,
                exception_id=exception_id,
                claim_id=form.cleaned_data["claim_id"],
                note=form.cleaned_data["note"],
            )
        except ValidationFailed as error:
            form.add_error(None, error.message)
            if error.code == "match_failed":  # the claim is right, its lines are not: match them
                lines_url = reverse("remittance:exception_lines_match", kwargs={"exception_id": exception_id})
                lines_url += f"?claim_id={form.cleaned_data['claim_id']}"
        else:
            messages.success(request, "Matched and posted.")
            return redirect("remittance:exceptions")
    return render(
        request,
        "remittance/exception_match.html",
        {"form": form, "query": query, "exception_id": exception_id, "lines_url": lines_url},
        status=400 if form.errors else 200,
    )


def _billed_label(line: Any) -> str:
    code = "-".join(x for x in (line.code, *line.modifiers) if x)
    when = date_label(line.service_date) if line.service_date else "no date"
    return f"{code} · {format_cents(line.charge_cents)} · {when} · {line.control_number or 'no line number'}"


@login_required
@app_errors(conflict_redirect="remittance:exceptions")
def exception_lines_match_view(request: HttpRequest, exception_id: int) -> HttpResponse:
    """Match each ERA service line of an exception's ERA claim to one of our billed lines (R17, R13)."""
    access = screen_access(request, Capability.BILLING_EDIT)
    raw_claim = request.POST.get("claim_id") or request.GET.get("claim_id") or ""
    screen = selectors.line_match_for_user(
        access=access, exception_id=exception_id, claim_id=int(raw_claim) if raw_claim.isdigit() else None
    )
    form = ExceptionLinesMatchForm(
        request.POST or None,
        era_line_ids=[line.pk for line in screen.era_lines],
        line_choices=[(b.line_id, _billed_label(b)) for b in screen.billed],
        guesses=screen.guesses,
        initial={"claim_id": screen.claim_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            exception_lines_match(
                access=access,
                exception_id=exception_id,
                assignment=form.assignment(),
                claim_id=screen.claim_id,
                note=form.cleaned_data["note"],
            )
        except ValidationFailed as error:
            form.add_error(None, error.message)
            for name, problems in error.field_errors.items():
                key = name.replace("lines.", "line_")
                for problem in problems:
                    form.add_error(key if key in form.fields else None, problem)
        else:
            messages.success(request, f"Matched line by line and posted to claim {screen.claim_pcn}.")
            return redirect("remittance:exceptions")
    era_claim = screen.exception.era_claim
    rows = [
        {
            "code": "-".join(x for x in (line.code, line.modifiers) if x),
            "billed_code": "-".join(x for x in (line.original_code, line.original_modifiers) if x),
            "date": date_label(line.service_date) if line.service_date else "—",
            "charge": format_cents(line.charge_cents),
            "paid": format_cents(line.paid_cents),
            "adjustments": _adjustments(line.adjustments),
            "control": line.control_number,
            "field": form[f"line_{line.pk}"],
        }
        for line in screen.era_lines
    ]
    context = {
        "form": form,
        "rows": rows,
        "exception": {
            "id": exception_id,
            "kind": screen.exception.get_kind_display(),
            "message": screen.exception.message,
        },
        "era_claim": {
            "pcn": era_claim.patient_control_number,
            "patient": era_claim.patient_name or "—",
            "paid": format_cents(era_claim.paid_cents),
        },
        "claim_pcn": screen.claim_pcn,
        "claim_known": screen.claim_id is not None,
    }
    return render(request, "remittance/exception_lines.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@app_errors(conflict_redirect="remittance:exceptions")
def exception_dismiss_view(request: HttpRequest, exception_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    form = ExceptionDismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the exception is dismissed.")
        return redirect("remittance:exceptions")
    exception_dismiss(access=access, exception_id=exception_id, reason=form.cleaned_data["reason"])
    messages.success(request, "Dismissed.")
    return redirect("remittance:exceptions")


@login_required
@require_POST
@app_errors(conflict_redirect="remittance:era_list")
def era_held_action(request: HttpRequest, era_id: int, action: str) -> HttpResponse:
    """A held (out of balance) ERA: post it anyway, or withdraw it for a corrected file (decision 0039)."""
    access = screen_access(request, Capability.BILLING_EDIT)
    form = ExceptionDismissForm(request.POST)  # one required "reason" field
    if not form.is_valid():
        messages.error(request, "Say why.")
        return redirect("remittance:era_detail", era_id=era_id)
    reason = form.cleaned_data["reason"]
    if action == "post":
        era_force_post(practice_id=access.practice_id, era_id=era_id, actor=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, "Posted although it does not balance; the reason is kept.")
    else:
        era_withdraw(practice_id=access.practice_id, era_id=era_id, actor=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, "Withdrawn: the payer's corrected file can now be received.")
    return redirect("remittance:era_detail", era_id=era_id)


def era_force_post_view(request: HttpRequest, era_id: int) -> HttpResponse:
    return era_held_action(request, era_id, "post")


def era_withdraw_view(request: HttpRequest, era_id: int) -> HttpResponse:
    return era_held_action(request, era_id, "withdraw")
