"""The note page (read-only, timeline, addenda), its PDF, and co-sign / return / addendum."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from clinical_notes import pdf, screen_selectors, selectors, services, view_models
from clinical_notes.domain.transitions import NoteState
from clinical_notes.forms import (
    AddendumForm,
    CosignForm,
    CosignManyForm,
    FullNoteOpenForm,
    ReturnForm,
)
from clinical_notes.views.common import (
    access_for,
    app_errors,
    error_problems,
    is_editable_by,
    safe_next,
)
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.views import add_errors_to_form
from practice.selectors import practice_zone


def _supervises(access: PracticeAccess, note: Any) -> bool:
    return screen_selectors.supervises_on(
        provider_id=access.provider_id, author_id=note.author_id, on=note.date_of_service
    )


def _render_detail(
    request: HttpRequest,
    access: PracticeAccess,
    read: selectors.NoteRead,
    *,
    addendum_form: AddendumForm | None = None,
    full_form: FullNoteOpenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    note = read.note
    zone = practice_zone(practice_id=access.practice_id)
    me = access.provider_id
    clinical = access.can(Capability.CLINICAL_VIEW) and me is not None
    awaiting = note.status == NoteState.AWAITING_COSIGN
    final = note.status == NoteState.FINAL
    may_supervise = clinical and (awaiting or final) and _supervises(access, note)
    actions = view_models.note_actions(
        note_id=note.pk,
        can_edit=is_editable_by(access, note),
        can_cosign=awaiting and may_supervise,
        can_add_addendum=final and clinical and (me in (note.author_id, note.supervisor_id) or may_supervise),
    )
    context = {
        "note": view_models.note_view(
            note,
            zone=zone,
            practice_name=access.practice_name,
            disclosure=read.disclosure,
            full_note_until=read.full_note_until,
        ),
        "actions": actions,
        "addendum_form": addendum_form or AddendumForm(),
        "full_form": full_form or FullNoteOpenForm(),
        "cosign_form": CosignForm(),
        "return_form": ReturnForm(),
    }
    return render(request, "clinical_notes/detail.html", context, status=status)


@login_required
@require_GET
@app_errors
def note_detail(request: HttpRequest, note_id: int) -> HttpResponse:
    access = access_for(request, Capability.CLINICAL_VIEW, Capability.BILLING_VIEW)
    return _render_detail(request, access, selectors.note_read(access=access, note_id=note_id))


@login_required
@require_GET
@app_errors
def note_pdf(request: HttpRequest, note_id: int) -> HttpResponse:
    """The note, its signatures and addenda as a PDF (records requests, appeals). Audited view."""
    access = access_for(request, Capability.CLINICAL_VIEW, Capability.BILLING_VIEW)
    read = selectors.note_read(access=access, note_id=note_id, purpose="pdf")
    note = read.note
    zone = practice_zone(practice_id=access.practice_id)
    view = view_models.note_view(
        note, zone=zone, practice_name=access.practice_name, disclosure=read.disclosure
    )
    document = pdf.note_pdf(
        view, generated_label=view_models.moment_label(timezone.now(), zone), generated_by=access.username
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="session-note-{note.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@app_errors
def note_open_full(request: HttpRequest, note_id: int) -> HttpResponse:
    """A billing reader opens the full note for a stated purpose (30 minutes, audited)."""
    access = access_for(request, Capability.BILLING_VIEW)
    form = FullNoteOpenForm(request.POST)
    try:  # the service checks permission before the purpose (403 before 400)
        services.note_full_open(
            access=access,
            note_id=note_id,
            purpose=request.POST.get("purpose", ""),
            detail=request.POST.get("detail", ""),
        )
    except ValidationFailed as error:
        if form.is_valid():  # the form's shape matches the rule; show the service's words otherwise
            add_errors_to_form(form, error)
        read = selectors.note_read(access=access, note_id=note_id)
        return _render_detail(request, access, read, full_form=form, status=400)
    messages.success(request, "The full note is open to you for 30 minutes.")
    return redirect("clinical_notes:detail", note_id=note_id)


# --- supervision --------------------------------------------------------------------------------


@login_required
@require_POST
@app_errors
def note_cosign(request: HttpRequest, note_id: int) -> HttpResponse:
    access = access_for(request, Capability.CLINICAL_VIEW)
    form = CosignForm(request.POST)
    back = safe_next(request, request.POST.get("next", ""), reverse("clinical_notes:detail", args=[note_id]))
    if not form.is_valid():
        messages.error(request, "Tick the attestation to co-sign; nothing was changed.")
        return redirect(back)
    try:
        services.note_cosign(access=access, note_id=note_id, attested=True)
    except ValidationFailed as error:
        messages.error(request, " ".join(p["message"] for p in error_problems(error)))
        return redirect(back)
    messages.success(request, f"Note {note_id} co-signed: it is final.")
    return redirect(back)


@login_required
@require_POST
@app_errors
def note_return(request: HttpRequest, note_id: int) -> HttpResponse:
    access = access_for(request, Capability.CLINICAL_VIEW)
    form = ReturnForm(request.POST)
    back = safe_next(request, request.POST.get("next", ""), reverse("clinical_notes:detail", args=[note_id]))
    if not form.is_valid():
        messages.error(request, "Say what the author should change; the note was not returned.")
        return redirect(back)
    try:
        services.note_return(access=access, note_id=note_id, comment=form.cleaned_data["comment"])
    except ValidationFailed as error:
        messages.error(request, " ".join(p["message"] for p in error_problems(error)))
        return redirect(back)
    messages.success(request, f"Note {note_id} returned to its author with your comment.")
    return redirect(back)


@login_required
@require_POST
@app_errors
def addendum_add(request: HttpRequest, note_id: int) -> HttpResponse:
    access = access_for(request, Capability.CLINICAL_VIEW)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.note_addendum_add(
                access=access,
                note_id=note_id,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationFailed as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, "Addendum added.")
            return redirect(f"{reverse('clinical_notes:detail', args=[note_id])}#addenda")
    read = selectors.note_read(access=access, note_id=note_id)
    return _render_detail(request, access, read, addendum_form=form, status=400)


@login_required
@require_POST
@app_errors
def note_cosign_many(request: HttpRequest) -> HttpResponse:
    """Co-sign several clean notes in one pass: each ticked box is that note's own attestation,
    and each note goes through `note_cosign` (its own event and audit record); a note that
    cannot be co-signed is named, and the others are still co-signed."""
    access = access_for(request, Capability.NOTE_COSIGN)
    back = safe_next(request, request.POST.get("next", ""), reverse("clinical_notes:cosign_queue"))
    form = CosignManyForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for texts in form.errors.values() for e in texts]
        messages.error(request, " ".join(errors) + " Nothing was changed.")
        return redirect(back)
    done: list[int] = []
    refused: list[str] = []
    for note_id in form.cleaned_data["note_ids"]:
        try:
            services.note_cosign(access=access, note_id=note_id, attested=True)
        except (ValidationFailed, Conflict, NotFound, PermissionDenied) as error:
            refused.append(f"note {note_id}: {error.message}")
            continue
        done.append(note_id)
    if done:
        messages.success(
            request, f"Co-signed {len(done)} note{'s' if len(done) != 1 else ''}: they are final."
        )
    if refused:
        messages.error(request, "Not co-signed — " + "; ".join(refused))
    return redirect(back)
