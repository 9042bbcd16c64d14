"""Charge screens for billers: the list (filters, counts by status) and one note's charges (lines,
the "why", the scrubber's findings with fix hints, an override form per line, mark reviewed,
re-scrub).

Thin: each view checks the capability, reads through claims.selectors (scoped and audited),
changes through claims.services and hands the template a view model (claims.view_models).
A service's ValidationFailed shows on the form (status 400); nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.access import PracticeAccess, screen_access
from accounts.domain.roles import Capability
from claims import selectors, services, view_models
from claims.forms import SELF_PAY, ChargeFilterForm, ChargeLineAddForm, ChargeOverrideForm, override_initial
from coding.selectors import icd10_description
from core.errors import Conflict, NotFound, ValidationFailed
from core.pagination import page_window, pager
from core.views import add_errors_to_form, app_errors
from practice.selectors import practice_zone

ViewFunc = Callable[..., HttpResponse]
PAGE_SIZE = 50


_access = screen_access
_app_errors = app_errors(conflict_redirect="charges:list")


def _filters(form: ChargeFilterForm) -> selectors.ChargeFilters:
    data = form.cleaned_data
    payer = data.get("payer") or ""
    provider = data.get("provider") or ""
    return selectors.ChargeFilters(
        status=data.get("status") or "",
        has_errors={"yes": True, "no": False}.get(data.get("has_errors") or ""),
        payer_id=int(payer) if payer.isdigit() else None,
        self_pay=payer == SELF_PAY,
        provider_id=int(provider) if provider.isdigit() else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        reason=data.get("reason") or "",
        filing_due_within=data.get("filing_due"),
    )


@login_required
@require_GET
@_app_errors
def charge_list(request: HttpRequest) -> HttpResponse:
    access = _access(request, Capability.BILLING_VIEW)
    form = ChargeFilterForm(
        request.GET or None,
        payer_choices=selectors.payer_choices(access=access),
        provider_choices=selectors.provider_choices(access=access),
    )
    filters = _filters(form) if form.is_valid() else selectors.ChargeFilters()
    window = page_window(request.GET, size=PAGE_SIZE)
    try:
        page = selectors.charge_list(access=access, filters=filters, limit=window.size, offset=window.offset)
    except ValidationFailed as error:
        add_errors_to_form(form, error)
        page = selectors.charge_list(access=access, limit=PAGE_SIZE)
    query = {key: str(value) for key, value in request.GET.items() if key != "page"}
    base = reverse("charges:list")
    links = pager(params=request.GET, window=window, total=page.total, shown=len(page.charge_sets), base=base)
    context = {
        "page": view_models.charge_list_page(page=page, form=form, query=query, base_url=base, pager=links)
    }
    return render(request, "claims/list.html", context, status=400 if form.errors else 200)


def _detail_page(
    request: HttpRequest,
    access: PracticeAccess,
    charge_set: Any,
    *,
    bound: Mapping[int, Form] | None = None,
    open_line: int | None = None,
    status: int = 200,
    add_form: Form | None = None,
) -> HttpResponse:
    bound = bound or {}
    forms = {
        line.pk: bound.get(line.pk)
        or ChargeOverrideForm(initial=override_initial(line), prefix=f"line-{line.pk}")
        for line in charge_set.lines.all()
    }
    page = view_models.charge_set_page(
        charge_set=charge_set,
        zone=practice_zone(practice_id=access.practice_id),
        can_edit=access.can(Capability.BILLING_EDIT),
        forms=forms,
        open_line=open_line,
        diagnosis_labels={code: icd10_description(code) or "" for code in charge_set.claim_diagnoses},
        add_form=add_form or ChargeLineAddForm(initial=_add_initial(charge_set), prefix=ADD_PREFIX),
        add_open=add_form is not None,
    )
    return render(request, "claims/detail.html", {"page": page}, status=status)


@login_required
@require_GET
@_app_errors
def charge_set_detail(request: HttpRequest, charge_set_id: int) -> HttpResponse:
    access = _access(request, Capability.BILLING_VIEW)
    charge_set = selectors.charge_set_get(access=access, charge_set_id=charge_set_id)
    return _detail_page(request, access, charge_set)


@login_required
@require_GET
@_app_errors
def charges_for_note(request: HttpRequest, note_id: int) -> HttpResponse:
    access = _access(request, Capability.BILLING_VIEW)
    charge_set = selectors.charge_set_for_note(access=access, note_id=note_id)
    return redirect("charges:detail", charge_set_id=charge_set.pk)


@login_required
@require_POST
@_app_errors
def charge_override(request: HttpRequest, charge_id: int) -> HttpResponse:
    access = _access(request, Capability.BILLING_EDIT)
    form = ChargeOverrideForm(request.POST, prefix=f"line-{charge_id}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            charge_set = services.charge_override(
                access=access,
                charge_id=charge_id,
                code=data["code"],
                units=data["units"],
                modifiers=data["modifiers"],
                place_of_service=data["pos"],
                diagnosis_pointers=data["diagnosis_pointers"],
                reason=data["reason"],
            )
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(
                request,
                "Line changed and re-scrubbed: "
                + (
                    f"{charge_set.error_count} error(s) remain."
                    if charge_set.error_count
                    else "no errors remain."
                ),
            )
            return redirect("charges:detail", charge_set_id=charge_set.pk)
    # Refused: say so at the top (the line's form below shows each field's message).
    problems = [str(e) for texts in form.errors.values() for e in texts]
    messages.error(request, "The line was not changed: " + " ".join(problems))
    charge_set = selectors.charge_set_get(
        access=access, charge_set_id=selectors.charge_set_id_for_line(access=access, charge_id=charge_id)
    )
    return _detail_page(request, access, charge_set, bound={charge_id: form}, open_line=charge_id, status=400)


ADD_PREFIX = "add"


def _add_initial(charge_set: Any) -> dict[str, Any]:
    first = next(iter(charge_set.lines.all()), None)
    return {
        "units": 1,
        "pos": first.place_of_service if first is not None else "",
        "diagnosis_pointers": "1" if charge_set.claim_diagnoses else "",
    }


@login_required
@require_POST
@_app_errors
def charge_line_add(request: HttpRequest, charge_set_id: int) -> HttpResponse:
    access = _access(request, Capability.BILLING_EDIT)
    form = ChargeLineAddForm(request.POST, prefix=ADD_PREFIX)
    if form.is_valid():
        data = form.cleaned_data
        try:
            charge_set = services.charge_line_add(
                access=access,
                charge_set_id=charge_set_id,
                code=data["code"],
                units=data["units"],
                modifiers=data["modifiers"],
                place_of_service=data["pos"],
                diagnosis_pointers=data["diagnosis_pointers"],
                reason=data["reason"],
            )
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(
                request,
                "Line added and re-scrubbed: "
                + (
                    f"{charge_set.error_count} error(s) remain."
                    if charge_set.error_count
                    else "no errors remain."
                ),
            )
            return redirect("charges:detail", charge_set_id=charge_set.pk)
    charge_set = selectors.charge_set_get(access=access, charge_set_id=charge_set_id)
    return _detail_page(request, access, charge_set, add_form=form, status=400)


@login_required
@require_POST
@_app_errors
def charge_set_review(request: HttpRequest, charge_set_id: int) -> HttpResponse:
    access = _access(request, Capability.BILLING_EDIT)
    try:
        services.charge_set_mark_reviewed(access=access, charge_set_id=charge_set_id)
    except ValidationFailed as error:
        for messages_ in error.field_errors.values():
            for message in messages_:
                messages.error(request, message)
    else:
        messages.success(request, "Charges marked reviewed.")
    return redirect("charges:detail", charge_set_id=charge_set_id)


@login_required
@require_POST
@_app_errors
def charge_set_scrub(request: HttpRequest, charge_set_id: int) -> HttpResponse:
    access = _access(request, Capability.BILLING_EDIT)
    charge_set = services.charge_set_scrub(access=access, charge_set_id=charge_set_id)
    messages.success(
        request,
        f"Scrubbed: {charge_set.error_count} error(s), {charge_set.warning_count} warning(s).",
    )
    return redirect("charges:detail", charge_set_id=charge_set_id)


REVIEW_MANY_LIMIT = 50


@login_required
@require_POST
@_app_errors
def charge_set_review_many(request: HttpRequest) -> HttpResponse:
    """Mark several clean charge sets reviewed in one pass: each goes through
    `charge_set_mark_reviewed` (its own event and audit record); one that cannot be is named."""
    access = _access(request, Capability.BILLING_EDIT)
    back = request.POST.get("next", "")
    if not (back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
        back = reverse("charges:list")
    ids = [int(v) for v in request.POST.getlist("charge_set_ids") if v.isdigit() and len(v) <= 12]
    if not ids:
        messages.error(request, "Tick the charges to mark reviewed; nothing was changed.")
        return redirect(back)
    if len(ids) > REVIEW_MANY_LIMIT:
        messages.error(request, f"Mark at most {REVIEW_MANY_LIMIT} at once; nothing was changed.")
        return redirect(back)
    done, refused = 0, []
    for charge_set_id in ids:
        try:
            services.charge_set_mark_reviewed(access=access, charge_set_id=charge_set_id)
        except (ValidationFailed, Conflict, NotFound) as error:
            refused.append(f"charges {charge_set_id}: {error.message}")
            continue
        done += 1
    if done:
        messages.success(request, f"Marked {done} set{'s' if done != 1 else ''} of charges reviewed.")
    if refused:
        messages.error(request, "Not marked reviewed — " + "; ".join(refused))
    return redirect(back)
