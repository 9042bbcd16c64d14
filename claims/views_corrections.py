"""Correction screens: a claim's corrections panel (also included in the claim detail screen as
templates/claims/_claim_corrections.html), and the three actions behind its buttons:
"Correct and resubmit (replacement)", "Void" and "Create secondary/tertiary".

Thin: BILLING_VIEW to see, BILLING_EDIT to act (the services check it too); a refusal (the
payer has no claim number yet, a payer that takes no replacements, a crossover...) comes back
as a message on the same panel and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import screen_access
from accounts.domain.roles import Capability
from claims.selectors.corrections import claim_corrections_panel
from claims.services.corrections import LineChange, claim_replace, claim_void
from claims.services.secondary import claim_secondary_create
from core.errors import Conflict, ValidationFailed
from core.views import app_errors


def claim_url(claim_id: int) -> str:
    """The claim's detail screen when the claims screens are installed, else its corrections page."""
    try:
        return reverse("claims:detail", kwargs={"claim_id": claim_id})
    except NoReverseMatch:
        return reverse("claim_corrections:page", kwargs={"claim_id": claim_id})


def _refused(request: HttpRequest, claim_id: int, error: ValidationFailed | Conflict) -> HttpResponse:
    messages.error(request, error.message)
    for field_messages in getattr(error, "field_errors", {}).values():
        for message in field_messages:
            if message != error.message:
                messages.error(request, message)
    return redirect(claim_url(claim_id))


@login_required
@require_GET
@app_errors
def claim_corrections_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_VIEW)
    panel = claim_corrections_panel(access=access, claim_id=claim_id)
    return render(request, "claims/corrections.html", {"corrections": panel})


@login_required
@require_POST
@app_errors
def claim_replace_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    panel = claim_corrections_panel(access=access, claim_id=claim_id, audit=False)
    chosen: list[int] | None = None
    if panel.partial_replacement:
        chosen = [line.line_number for line in panel.lines if request.POST.get(f"include-{line.line_number}")]
    changes = {}
    for line in panel.lines:
        raw = request.POST.get(f"modifiers-{line.line_number}")
        if raw is not None and raw.strip() != line.modifiers:
            changes[line.line_number] = LineChange(modifiers=tuple(raw.replace(",", " ").split()))
    try:
        new = claim_replace(
            claim_id,
            actor=access,
            reason=request.POST.get("reason", ""),
            line_numbers=chosen,
            line_changes=changes,
        )
    except (ValidationFailed, Conflict) as error:
        return _refused(request, claim_id, error)
    messages.success(
        request,
        f"Replacement {new.patient_control_number} created: {new.get_status_display().lower()}"
        + ("." if new.error_count == 0 else f", {new.error_count} error(s) to fix."),
    )
    return redirect(claim_url(new.pk))


@login_required
@require_POST
@app_errors
def claim_void_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    try:
        new = claim_void(claim_id, actor=access, reason=request.POST.get("reason", ""))
    except (ValidationFailed, Conflict) as error:
        return _refused(request, claim_id, error)
    messages.success(
        request, f"Void {new.patient_control_number} created: {new.get_status_display().lower()}."
    )
    return redirect(claim_url(new.pk))


@login_required
@require_POST
@app_errors
def claim_secondary_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    access = screen_access(request, Capability.BILLING_EDIT)
    try:
        new = claim_secondary_create(claim_id, actor=access)
    except (ValidationFailed, Conflict) as error:
        return _refused(request, claim_id, error)
    messages.success(
        request,
        f"{new.get_responsibility_display()} claim {new.patient_control_number}: "
        f"{new.get_status_display().lower()}"
        + ("." if new.error_count == 0 else f", {new.error_count} error(s) to fix."),
    )
    return redirect(claim_url(new.pk))
