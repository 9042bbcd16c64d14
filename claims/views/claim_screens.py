"""Claim screens for billers (mounted at /claims/): the list (filters, counts per state, CSV),
one claim (header, lines, findings, the 837P preview, history, acknowledgements, ERA lines, the
CMS-1500 PDF), batch submission with progress, and the rejection queue.

Thin: each view checks the capability, reads through claims.selectors.claim_screens (scoped and
audited) and acts through claims.claim_actions (the owning services). Billers read and act;
practice admins read; clinical roles and compliance get 403.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from claims import claim_actions
from claims import claim_view_models as vm
from claims.domain.claim_preview import claim_segments
from claims.domain.cms1500 import cms1500_pages
from claims.forms import BatchSubmitForm, ClaimFilterForm
from claims.pdf_cms1500 import cms1500_pdf
from claims.selectors import claim_screens as selectors
from claims.selectors import payer_choices, provider_choices
from claims.selectors.x837 import claim_837
from core.errors import Conflict, ValidationFailed
from core.money import cents_from_decimal
from core.pagination import page_window, pager
from core.views import add_errors_to_form, app_errors
from practice.selectors import practice_today, practice_zone

PAGE_SIZE = 50
_app_errors = app_errors(conflict_redirect="claims:list")


def _filters(form: ClaimFilterForm) -> selectors.ClaimFilters:
    data = form.cleaned_data
    payer, provider = data.get("payer") or "", data.get("provider") or ""
    low, high = data.get("min_amount"), data.get("max_amount")
    return selectors.ClaimFilters(
        status=data.get("status") or "",
        payer_id=int(payer) if payer.isdigit() else None,
        provider_id=int(provider) if provider.isdigit() else None,
        age=data.get("age") or "",
        min_cents=cents_from_decimal(low) if low is not None else None,
        max_cents=cents_from_decimal(high) if high is not None else None,
    )


def _filter_form(request: HttpRequest, access: PracticeAccess) -> ClaimFilterForm:
    return ClaimFilterForm(
        request.GET or None,
        payer_choices=payer_choices(access=access),
        provider_choices=provider_choices(access=access),
    )


@login_required
@require_GET
@_app_errors
def claim_list(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    form = _filter_form(request, access)
    filters = _filters(form) if form.is_valid() else selectors.ClaimFilters()
    window = page_window(request.GET, size=PAGE_SIZE)
    try:
        page = selectors.claim_list(access=access, filters=filters, limit=window.size, offset=window.offset)
    except ValidationFailed as error:
        add_errors_to_form(form, error)
        page = selectors.claim_list(access=access, limit=PAGE_SIZE)
    query = {key: str(value) for key, value in request.GET.items() if key != "page"}
    base = reverse("claims:list")
    links = pager(params=request.GET, window=window, total=page.total, shown=len(page.claims), base=base)
    today = practice_today(practice_id=access.practice_id)
    context = {
        "page": vm.claim_list_page(page=page, form=form, query=query, base_url=base, pager=links, today=today)
    }
    return render(request, "claims/claim_list.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
@_app_errors
def claim_export(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    form = _filter_form(request, access)
    if request.GET and not form.is_valid():
        return HttpResponse(
            "Check the filters: " + form.errors.as_text(), status=400, content_type="text/plain"
        )
    try:
        claims = selectors.claim_export_rows(access=access, filters=_filters(form) if request.GET else None)
    except ValidationFailed as error:
        return HttpResponse(f"Check the filters: {error.message}", status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(vm.CSV_HEADER)
    writer.writerows(vm.csv_rows(claims))
    response["Content-Disposition"] = 'attachment; filename="claims.csv"'
    return response


@login_required
@require_GET
@_app_errors
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    claim = selectors.claim_get(access=access, claim_id=claim_id)
    page = vm.claim_detail_page(
        claim=claim,
        today=practice_today(practice_id=access.practice_id),
        zone=practice_zone(practice_id=access.practice_id),
        preview=claim_segments(claim_837(claim)),
        can_edit=access.can(Capability.BILLING_EDIT),
    )
    return render(request, "claims/claim_detail.html", {"page": page})


@login_required
@require_GET
@_app_errors
def claim_pdf(request: HttpRequest, claim_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    claim = selectors.claim_get(access=access, claim_id=claim_id, purpose="pdf")
    typed = claim_837(claim)
    problem = claim_segments(typed).problem
    if problem:
        messages.error(request, f"The CMS-1500 cannot be printed yet: {problem}")
        return redirect("claims:detail", claim_id=claim.pk)
    document = cms1500_pdf(cms1500_pages(typed, signed_on=practice_today(practice_id=access.practice_id)))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cms1500-{claim.patient_control_number}.pdf"'
    return response


def _batch_page(
    request: HttpRequest, access: PracticeAccess, form: BatchSubmitForm | None = None, status: int = 200
) -> HttpResponse:
    ready = selectors.claims_ready(access=access)
    zone = practice_zone(practice_id=access.practice_id)
    today = practice_today(practice_id=access.practice_id)
    context = {
        "ready": [vm.claim_row(c, today) for c in ready],
        "batches": [vm.batch_row(b, zone) for b in selectors.batch_list(access=access)],
        "form": form,
        "can_submit": access.can(Capability.BILLING_EDIT),
    }
    return render(request, "claims/batches.html", context, status=status)


@login_required
@require_GET
@_app_errors
def batch_list(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    return _batch_page(request, access)


@login_required
@require_POST
@_app_errors
def batch_submit(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    ready_ids = [c.pk for c in selectors.claims_ready(access=access)]
    form = BatchSubmitForm(request.POST, claim_choices=ready_ids)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _batch_page(request, access, form, status=400)
    try:
        batch_id = claim_actions.batch_submit(access=access, claim_ids=form.cleaned_data["claim_ids"])
    except ValidationFailed as error:
        messages.error(request, f"The batch was not queued: {error.message}")
        return _batch_page(request, access, form, status=400)
    except Conflict as error:  # a lost race: the claims moved on meanwhile
        messages.error(request, f"The batch was not queued: {error.message}")
        return redirect("claims:batches")
    count = len(form.cleaned_data["claim_ids"])
    messages.success(
        request, f"Batch {batch_id} queued: {count} claim{'s' if count != 1 else ''} on the way."
    )
    return redirect(reverse("claims:batches") + f"#batch-{batch_id}")


@login_required
@require_GET
@_app_errors
def batch_progress(request: HttpRequest) -> JsonResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    raw = request.GET.get("ids", "")
    ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
    progress = selectors.batch_progress(access=access, batch_ids=ids)
    return JsonResponse({"batches": [vm.batch_json(p) for p in progress]})


@login_required
@require_GET
@_app_errors
def rejection_list(request: HttpRequest) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    rows = [vm.rejection_row(r) for r in selectors.rejection_list(access=access)]
    return render(
        request, "claims/rejections.html", {"rows": rows, "can_resubmit": access.can(Capability.BILLING_EDIT)}
    )


@login_required
@require_POST
@_app_errors
def claim_resubmit(request: HttpRequest, claim_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    try:
        claim_id, status = claim_actions.rejection_resubmit(access=access, claim_id=claim_id)
    except (ValidationFailed, Conflict) as error:
        messages.error(request, f"The claim was not resubmitted: {error.message}")
        return redirect("claims:rejections")
    if status == "ready":
        messages.success(request, "Re-scrubbed with no errors: the claim is ready for the next batch.")
    else:
        messages.error(request, "Re-scrubbed: errors remain (below). Fix them, then resubmit again.")
    return redirect("claims:detail", claim_id=claim_id)
