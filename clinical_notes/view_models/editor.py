"""The note editor: the generated form's fields grouped for the template, and the checks panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.forms import BoundField, Form
from django.urls import reverse

from clinical_notes.domain.checks import DocumentationReport, problem_to_dict
from clinical_notes.domain.templates import FieldKind, catalog
from clinical_notes.domain.timeliness import days_late
from clinical_notes.domain.types import PreviousNote
from clinical_notes.forms import (
    INTERVENTIONS,
    PARTICIPANTS_OTHERS,
    PARTICIPANTS_PRESENT,
    goal_name,
    goal_progress_name,
    measure_name,
    segment_name,
    text_name,
)
from clinical_notes.view_models.formatting import RISK_FIELDS, date_label, days_label, minutes_label
from clinical_notes.view_models.lists import Tab
from clinical_notes.view_models.note import EventView, NoteView
from clinical_notes.view_models.review import CloneView, FindingView, clone_view, finding_view
from core.domain.service_types import ServiceType

# ---------------------------------------------------------------------------------------------
# The editor


@dataclass(frozen=True, slots=True)
class FieldView:
    field: BoundField
    required: bool
    help: str
    many: bool = False  # a list of checkboxes (shown as a fieldset)


# What the billing codes come from besides the minutes: the E/M level and what supports it,
# interactive complexity (shown together, in the catalog's order).
CODING_KINDS = frozenset({FieldKind.CHOICE, FieldKind.CHOICES, FieldKind.MINUTES})
CODING_TEXT_FIELDS = frozenset({"em_decision_making"})


@dataclass(frozen=True, slots=True)
class SegmentRowView:
    number: int
    start: BoundField
    end: BoundField
    crisis: BoundField | None


@dataclass(frozen=True, slots=True)
class MeasureView:
    field: BoundField
    range_label: str


@dataclass(frozen=True, slots=True)
class GoalRowView:
    check: BoundField
    progress: BoundField


@dataclass(frozen=True, slots=True)
class ChecksView:
    """The documentation checks panel (as of the last save; the editor refreshes it live)."""

    errors: list[FindingView]
    warnings: list[FindingView]
    minutes_label: str
    clone: CloneView | None
    ready_to_sign: bool


def checks_view(
    report: DocumentationReport, *, previous: PreviousNote | None, content: Mapping[str, object]
) -> ChecksView:
    return ChecksView(
        errors=[finding_view(problem_to_dict(p)) for p in report.errors],
        warnings=[finding_view(problem_to_dict(p)) for p in report.warnings],
        minutes_label=minutes_label(report.minutes),
        clone=clone_view(content, previous),
        ready_to_sign=not report.errors,
    )


@dataclass
class EditorPage:
    note_id: int
    status_label: str
    status_css: str
    patient_name: str
    service_label: str
    date_label: str
    timezone: str
    template_label: str
    min_minutes_label: str
    risk_required: bool
    form: Form
    header: list[FieldView]
    participants_present: FieldView | None
    participants_others: FieldView | None
    interventions: FieldView | None
    narrative: list[FieldView]
    coding: list[FieldView]
    risk: list[FieldView]
    segments: list[SegmentRowView]
    measurements: list[MeasureView]
    measurements_open: bool
    diagnoses: FieldView
    has_diagnosis_choices: bool
    goals: list[GoalRowView]
    attested: BoundField
    attestation_text: str
    checks: ChecksView | None
    sign_errors: list[FindingView]
    form_errors: list[str]
    time_warnings: list[str]
    return_comment: str
    returned_by: str
    events: list[EventView]
    config: dict[str, Any]
    detail_url: str
    save_url: str
    sign_url: str
    tabs: list[Tab] = field(default_factory=list)
    payer_warning: str = ""  # the patient's payer will not pay this service for the author's credential
    payer_fix_hint: str = ""
    late_warning: str = ""  # shown before signing when the note is past its due date


def late_warning(date_of_service: dt.date, today: dt.date, due_days: int) -> str:
    """Tell the author, before they sign, that the signature will be late and by how much."""
    late = days_late(date_of_service, today, due_days)
    if not late:
        return ""
    return (
        f"Signed today, this note is {days_label(late)} late: notes are due within "
        f"{days_label(due_days)} of the session ({date_label(date_of_service)}). Payers and auditors "
        "may question late documentation; the co-signer will see it flagged."
    )


def _field_view(form: Form, name: str, *, required: bool = False) -> FieldView:
    bound = form[name]
    return FieldView(field=bound, required=required, help=str(bound.help_text or ""))


def editor_page(
    *,
    note: NoteView,
    service_type: str,
    form: Any,
    checks: ChecksView | None,
    sign_errors: Iterable[Mapping[str, str]],
    carried: Mapping[str, object],
    attestation_text: str,
    zone: ZoneInfo,
    payer_warning: str = "",
    payer_fix_hint: str = "",
    date_of_service: dt.date | None = None,
    today: dt.date | None = None,
    due_days: int = 3,
) -> EditorPage:
    template = catalog().templates[ServiceType(service_type)]
    names = set(form.fields)
    narrative: list[FieldView] = []
    coding: list[FieldView] = []
    risk: list[FieldView] = []
    for key, spec in catalog().fields.items():
        name = text_name(key)
        if key not in template.fields:
            continue
        if spec.kind in CODING_KINDS or key in CODING_TEXT_FIELDS:
            view = _field_view(form, name, required=template.requires(key))
            coding.append(
                FieldView(
                    field=view.field,
                    required=view.required,
                    help=view.help,
                    many=spec.kind is FieldKind.CHOICES,
                )
            )
            continue
        if spec.kind is not FieldKind.TEXT:
            continue
        view = _field_view(form, name, required=template.requires(key))
        (risk if key in RISK_FIELDS else narrative).append(view)
    segments = [
        SegmentRowView(
            number=i + 1,
            start=form[segment_name(i, "start")],
            end=form[segment_name(i, "end")],
            crisis=form[segment_name(i, "crisis")] if segment_name(i, "crisis") in names else None,
        )
        for i in range(form.segment_rows)
    ]
    instruments = catalog().instruments
    measurements = [
        MeasureView(field=form[measure_name(code)], range_label=f"{i.min_score}–{i.max_score}")
        for code, i in instruments.items()
    ]
    measured = any(form[measure_name(code)].value() not in (None, "") for code in instruments)
    goals = [
        GoalRowView(check=form[goal_name(g)], progress=form[goal_progress_name(g)]) for g in form.goal_ids
    ]
    sign_problems = [finding_view(p) for p in sign_errors]
    return EditorPage(
        note_id=note.note_id,
        status_label=note.status_label,
        status_css=note.status_css,
        patient_name=note.patient_name,
        service_label=note.service_label,
        date_label=note.date_label,
        timezone=zone.key,
        template_label=template.label,
        min_minutes_label=f"At least {minutes_label(template.min_minutes)} of face-to-face time."
        if template.timed and template.min_minutes
        else "",
        risk_required=template.risk_assessment_required,
        form=form,
        header=[
            _field_view(form, n, required=True)
            for n in ("service_type", "date_of_service", "place_of_service")
        ]
        + [_field_view(form, "telehealth")],
        participants_present=_field_view(
            form, PARTICIPANTS_PRESENT, required=template.requires("participants")
        )
        if PARTICIPANTS_PRESENT in names
        else None,
        participants_others=_field_view(form, PARTICIPANTS_OTHERS) if PARTICIPANTS_OTHERS in names else None,
        interventions=_field_view(form, INTERVENTIONS, required=template.requires("interventions"))
        if INTERVENTIONS in names
        else None,
        narrative=narrative,
        coding=coding,
        risk=risk,
        segments=segments,
        measurements=measurements,
        measurements_open=measured,
        diagnoses=_field_view(form, "diagnosis_ids", required=template.diagnosis_required),
        has_diagnosis_choices=bool(form.fields["diagnosis_ids"].choices),
        goals=goals,
        attested=form["attested"],
        attestation_text=attestation_text,
        checks=checks,
        sign_errors=sign_problems,
        form_errors=[str(e) for e in form.non_field_errors()],
        time_warnings=list(form.time_warnings),
        return_comment=note.return_comment,
        returned_by=note.returned_by,
        events=note.events,
        config={
            "noteId": note.note_id,
            "updateUrl": reverse("notes_api:update", args=[note.note_id]),
            "checksUrl": reverse("notes_api:checks", args=[note.note_id]),
            "timezone": zone.key,
            "carried": dict(carried),
            "templateFields": list(template.fields),
        },
        late_warning=late_warning(date_of_service, today, due_days)
        if date_of_service is not None and today is not None
        else "",
        detail_url=reverse("clinical_notes:detail", args=[note.note_id]),
        save_url=reverse("clinical_notes:edit", args=[note.note_id]),
        sign_url=reverse("clinical_notes:sign", args=[note.note_id]),
        payer_warning=payer_warning,
        payer_fix_hint=payer_fix_hint,
    )
