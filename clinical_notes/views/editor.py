"""The note editor: the server-side Save (the page also autosaves through the notes API) and
signing with the attestation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import ChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from clinical_notes import selectors, services, view_models
from clinical_notes.domain.checks import documentation_report, format_icd10
from clinical_notes.domain.service_choices import service_choices_for
from clinical_notes.domain.templates import note_template_for
from clinical_notes.domain.transitions import SIGN_ATTESTATION, NoteState
from clinical_notes.forms import (
    NoteEditorForm,
    SignForm,
    draft_changed,
    editor_initial,
    stored_values,
)
from clinical_notes.scope_selectors import NotePayerScope, note_payer_scope
from clinical_notes.views.common import (
    access_for,
    app_errors,
    error_problems,
    is_editable_by,
)
from core.domain.service_types import service_type_choices
from core.errors import Conflict, ValidationFailed
from core.views import add_errors_to_form
from patients.selectors import diagnosis_list_for_user
from practice.selectors import practice_zone
from treatment_plans.selectors import active_plan_goal_choices

# --- the editor ---------------------------------------------------------------------------------


def _diagnosis_choices(access: PracticeAccess, note: Any) -> list[tuple[int, str]]:
    """The patient's active diagnoses, plus any the note already addresses (so none is dropped)."""
    choices = [
        (d.pk, f"{format_icd10(d.code)} {d.description}".strip())
        for d in diagnosis_list_for_user(access=access, patient_id=note.patient_id)
        if d.resolved_on is None
    ]
    offered = {pk for pk, _label in choices}
    for link in note.note_diagnoses.all():
        if link.diagnosis_id not in offered:
            label = f"{format_icd10(link.diagnosis.code)} {link.diagnosis.description} (resolved)"
            choices.append((link.diagnosis_id, label.strip()))
    return choices


def _goal_choices(access: PracticeAccess, note: Any) -> list[tuple[int, str]]:
    """The active treatment plan's goals, plus any the note already links."""
    choices = active_plan_goal_choices(practice_id=access.practice_id, patient_id=note.patient_id)
    offered = {pk for pk, _label in choices}
    choices.extend((g.goal_id, g.goal.description) for g in note.note_goals.all() if g.goal_id not in offered)
    return choices


def _payer_scope(note: Any) -> NotePayerScope:
    return note_payer_scope(
        patient_id=note.patient_id,
        day=note.date_of_service,
        credential=note.author.credential,
        service_type=note.service_type,
    )


def _editor_form(access: PracticeAccess, note: Any, data: Mapping[str, Any] | None = None) -> NoteEditorForm:
    zone = practice_zone(practice_id=access.practice_id)
    template = note_template_for(note.service_type)
    values = stored_values(note)
    form = NoteEditorForm(
        data,
        template=template,
        zone=zone,
        diagnosis_choices=_diagnosis_choices(access, note),
        goal_choices=_goal_choices(access, note),
        segment_rows=len(values["segments"]) + 1,
        initial=editor_initial(values, version=note.version, template=template, zone=zone),
    )
    scope = _payer_scope(note)
    field = form.fields["service_type"]
    if isinstance(field, ChoiceField):
        field.choices = service_choices_for(
            service_type_choices(), permitted=scope.permitted, payer_name=scope.payer_name
        )
    return form


def _carried(note: Any) -> dict[str, object]:
    """Content keys the current template does not show (kept when the form is saved)."""
    fields = note_template_for(note.service_type).fields
    return {k: v for k, v in (note.content or {}).items() if k not in fields}


def _render_editor(
    request: HttpRequest,
    access: PracticeAccess,
    note: Any,
    form: NoteEditorForm,
    *,
    sign_errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    zone = practice_zone(practice_id=access.practice_id)
    facts = selectors.note_facts_for(note, now=timezone.now())
    report = documentation_report(facts)
    scope = _payer_scope(note)
    page = view_models.editor_page(
        note=view_models.note_view(note, zone=zone, practice_name=access.practice_name),
        service_type=note.service_type,
        form=form,
        checks=view_models.checks_view(report, previous=facts.previous_note, content=facts.content),
        sign_errors=sign_errors or [],
        carried=_carried(note),
        attestation_text=SIGN_ATTESTATION,
        zone=zone,
        payer_warning=scope.warning,
        payer_fix_hint=scope.fix_hint,
        date_of_service=note.date_of_service,
        today=timezone.now().astimezone(zone).date(),
        due_days=settings.NOTE_DUE_DAYS,
    )
    return render(request, "clinical_notes/editor.html", {"page": page}, status=status)


def _save_if_changed(access: PracticeAccess, note: Any, form: NoteEditorForm) -> Any:
    """Save the posted draft when it differs from the stored one; return the current note.

    An unchanged form saves nothing (the version stays). A changed one is saved with the version
    the page holds, so a page older than the stored draft gets Conflict and overwrites nothing.
    """
    values = form.draft_values(_carried(note))
    if not draft_changed(values, stored_values(note)):
        return note
    services.note_draft_update(access=access, note_id=note.pk, version=form.cleaned_data["version"], **values)
    return selectors.note_detail_after_change(note_id=note.pk)


def _editable_note_or_redirect(
    request: HttpRequest, access: PracticeAccess, note: Any
) -> HttpResponse | None:
    """None when the viewer may edit the note. Otherwise: changing someone else's note is refused
    (403); opening it, or one's own signed note, leads to the note page."""
    if is_editable_by(access, note):
        return None
    if request.method == "POST" and note.author_id != access.provider_id:
        raise DjangoPermissionDenied
    if note.author_id == access.provider_id:
        messages.info(
            request,
            f"This note is {view_models.status_label(note.status).lower()}; it can no longer be edited.",
        )
    return redirect("clinical_notes:detail", note_id=note.pk)


@login_required
@require_http_methods(["GET", "POST"])
@app_errors
def note_edit(request: HttpRequest, note_id: int) -> HttpResponse:
    """The editor. POST is the server-side Save (the page also autosaves through the API)."""
    access = access_for(request, Capability.CLINICAL_VIEW)
    note = selectors.note_get(access=access, note_id=note_id)
    blocked = _editable_note_or_redirect(request, access, note)
    if blocked is not None:
        return blocked
    if request.method != "POST":
        return _render_editor(request, access, note, _editor_form(access, note))
    form = _editor_form(access, note, request.POST)
    if not form.is_valid():
        return _render_editor(request, access, note, form, status=400)
    try:
        _save_if_changed(access, note, form)
    except ValidationFailed as error:
        add_errors_to_form(form, _form_paths(error))
        return _render_editor(request, access, note, form, status=400)
    except Conflict as error:
        form.add_error(None, error.message)
        return _render_editor(request, access, note, form, status=409)
    for warning in form.time_warnings:
        messages.warning(request, warning)
    messages.success(request, "Draft saved.")
    return redirect("clinical_notes:edit", note_id=note_id)


def _form_paths(error: ValidationFailed) -> ValidationFailed:
    """Service field paths (content.plan, segments[0].ends_at) → the editor's field names."""
    fields: dict[str, list[str]] = {}
    for path, messages_ in error.field_errors.items():
        name = path
        if path.startswith("content."):
            key = path.split(".")[1]
            name = "participants-patient_present" if key == "participants" else f"content-{key}"
        elif path.startswith("segments[") and "]" in path:
            index = path[len("segments[") : path.index("]")]
            name = f"segment-{index}-end" if path.endswith("ends_at") else f"segment-{index}-start"
        elif path.startswith("diagnoses"):
            name = "diagnosis_ids"
        fields.setdefault(name, []).extend(messages_)
    return ValidationFailed(error.message, field_errors=fields)


@login_required
@require_POST
@app_errors
def note_sign(request: HttpRequest, note_id: int) -> HttpResponse:
    """Sign with the attestation. From the editor, the posted draft is saved first (when it
    changed) so nothing typed is lost; blocking problems are shown on the editor and the note's
    state does not change."""
    access = access_for(request, Capability.CLINICAL_VIEW)
    note = selectors.note_get(access=access, note_id=note_id)
    blocked = _editable_note_or_redirect(request, access, note)
    if blocked is not None:
        return blocked
    version: int | None
    if "service_type" in request.POST:  # the editor's form
        form = _editor_form(access, note, request.POST)
        if not form.is_valid():
            return _render_editor(request, access, note, form, status=400)
        try:
            note = _save_if_changed(access, note, form)
        except ValidationFailed as error:
            add_errors_to_form(form, _form_paths(error))
            return _render_editor(request, access, note, form, status=400)
        except Conflict as error:
            form.add_error(None, error.message)
            return _render_editor(request, access, note, form, status=409)
        version = note.version
    else:
        sign_form = SignForm(request.POST)
        version = sign_form.cleaned_data.get("version") if sign_form.is_valid() else None
    try:
        signed = services.note_sign(
            access=access, note_id=note_id, attested=bool(request.POST.get("attested")), version=version
        )
    except ValidationFailed as error:
        note = selectors.note_detail_after_change(note_id=note_id)
        return _render_editor(
            request, access, note, _editor_form(access, note), sign_errors=error_problems(error), status=400
        )
    scope = _payer_scope(note)
    if scope.warning:  # a warning, not a block: the author documents what happened
        messages.warning(request, f"{scope.warning} {scope.fix_hint}".strip())
    if signed.status == NoteState.FINAL:
        messages.success(request, "Signed. The note is final.")
    else:
        supervisor = view_models.provider_label(signed.supervisor)
        messages.success(request, f"Signed and sent to {supervisor} for co-signature.")
    return redirect("clinical_notes:detail", note_id=note_id)
