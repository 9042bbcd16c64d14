"""One note, read-only: the note page and the PDF."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse

from clinical_notes.domain.checks import format_icd10, segment_minutes, session_minutes
from clinical_notes.domain.disclosure import FULL, Disclosure, disclosed_content
from clinical_notes.domain.templates import FieldKind, FieldSpec, NoteTemplate, catalog
from clinical_notes.domain.transitions import NoteState
from clinical_notes.domain.types import Segment
from clinical_notes.selectors import note_diagnosis_lines
from clinical_notes.view_models.formatting import (
    TELEHEALTH_LABELS,
    date_label,
    minutes_label,
    moment_label,
    patient_label,
    provider_label,
    service_label,
    span_label,
    status_css,
    status_label,
    user_label,
)
from clinical_notes.view_models.review import FindingView, finding_view
from core.domain.service_types import ServiceType
from practice.domain.place_of_service import place_of_service_label

# ---------------------------------------------------------------------------------------------
# One note, read-only (the note page and the PDF)


@dataclass(frozen=True, slots=True)
class SegmentView:
    number: int
    span_label: str
    minutes_label: str
    crisis: bool


@dataclass(frozen=True, slots=True)
class SectionView:
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class MeasurementView:
    label: str
    score: int
    range_label: str


@dataclass(frozen=True, slots=True)
class GoalView:
    description: str
    progress: str


@dataclass(frozen=True, slots=True)
class EventView:
    who: str
    when_label: str
    change_label: str  # "Draft → Awaiting co-signature"
    comment: str


@dataclass(frozen=True, slots=True)
class AddendumView:
    number: int
    author: str
    when_label: str
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class NoteView:
    note_id: int
    status: str
    status_label: str
    status_css: str
    is_final: bool
    practice_name: str
    patient_name: str
    patient_dob_label: str
    patient_account: str
    author_name: str
    author_npi: str
    service_label: str
    date_label: str
    place_of_service_label: str
    telehealth_label: str
    timezone: str
    segments: list[SegmentView]
    total_minutes_label: str
    patient_present_label: str
    others_present: str
    sections: list[SectionView]
    interventions: list[str]
    measurements: list[MeasurementView]
    diagnoses: list[str]
    goals: list[GoalView]
    requires_cosign: bool
    supervisor_name: str
    signature_line: str
    signed_label: str
    cosignature_line: str
    cosigned_label: str
    finalized_label: str
    findings: list[FindingView]
    events: list[EventView]
    addenda: list[AddendumView]
    return_comment: str
    returned_by: str
    billing_view: bool = False  # minimum necessary: only what a claim needs is shown
    disclosure_reason: str = ""
    may_open_full: bool = False
    addenda_withheld: int = 0
    full_note_until_label: str = ""


def _change_label(from_status: str, to_status: str) -> str:
    if not from_status:
        return f"Created ({status_label(to_status).lower()})"
    return f"{status_label(from_status)} → {status_label(to_status)}"


def _presence_label(content: Mapping[str, object]) -> tuple[str, str]:
    participants = content.get("participants")
    if not isinstance(participants, Mapping):
        return "Not recorded", ""
    present = participants.get("patient_present")
    label = "Yes" if present is True else "No" if present is False else "Not recorded"
    return label, str(participants.get("others") or "")


def _answer_text(spec: FieldSpec, value: object) -> str:
    """A text, choice or minutes answer as the note page and the PDF show it ("" when none)."""
    if spec.kind is FieldKind.TEXT:
        return value.strip() if isinstance(value, str) else ""
    if spec.kind is FieldKind.CHOICE:
        return spec.option_label(value) if isinstance(value, str) and value else ""
    if spec.kind is FieldKind.CHOICES:
        return "; ".join(spec.option_label(str(v)) for v in value) if isinstance(value, list) else ""
    if spec.kind is FieldKind.MINUTES:
        return f"{value} minutes" if isinstance(value, int) and not isinstance(value, bool) else ""
    return ""


def _sections(content: Mapping[str, object], template: NoteTemplate | None) -> list[SectionView]:
    """The text answers in the catalog's order, then any answer the catalog no longer knows
    (a field since renamed or dropped): a signed note never loses text when the templates change."""
    cat = catalog()
    sections = []
    for key, spec in cat.fields.items():
        value = content.get(key)
        text = _answer_text(spec, value)
        if text:
            sections.append(SectionView(label=spec.label, text=text))
    for key, value in content.items():
        if key not in cat.fields and isinstance(value, str) and value.strip():
            sections.append(SectionView(label=key.replace("_", " ").capitalize(), text=value.strip()))
    return sections


def _intervention_labels(content: Mapping[str, object], template: NoteTemplate | None) -> list[str]:
    chosen = content.get("interventions")
    if not isinstance(chosen, list):
        return []
    known = {i.code: i.label for i in template.interventions} if template else {}
    return [known.get(str(code), str(code)) for code in chosen]


def _template(service_type: str) -> NoteTemplate | None:
    try:
        return catalog().templates[ServiceType(service_type)]
    except (ValueError, KeyError):
        return None


def note_view(
    note: Any,
    *,
    zone: ZoneInfo,
    practice_name: str,
    disclosure: Disclosure = FULL,
    full_note_until: Any = None,
) -> NoteView:
    """`note` is a SessionNote from `selectors.note_read` (relations prefetched). Only the part
    `disclosure` allows is put in the view (clinical_notes.domain.disclosure): the page and the
    PDF render whatever is here."""
    shows = disclosure.shows
    content: Mapping[str, object] = disclosed_content(note.content or {}, disclosure)
    template = _template(note.service_type)
    segments = [
        Segment(starts_at=s.starts_at, ends_at=s.ends_at, is_crisis=s.is_crisis) for s in note.segments.all()
    ]
    present, others = _presence_label(content)
    instruments = catalog().instruments
    events = list(note.events.all())
    returns = [e for e in events if e.to_status == NoteState.RETURNED]
    last_return = returns[-1] if returns else None
    return NoteView(
        note_id=note.pk,
        status=note.status,
        status_label=status_label(note.status),
        status_css=status_css(note.status),
        is_final=note.status == NoteState.FINAL,
        practice_name=practice_name,
        patient_name=patient_label(note.patient),
        patient_dob_label=date_label(note.patient.date_of_birth),
        patient_account=note.patient.account_number,
        author_name=provider_label(note.author),
        author_npi=note.author.npi or "",
        service_label=service_label(note.service_type),
        date_label=date_label(note.date_of_service),
        place_of_service_label=f"{note.place_of_service} – {place_of_service_label(note.place_of_service)}",
        telehealth_label=TELEHEALTH_LABELS.get(note.telehealth, note.telehealth),
        timezone=zone.key,
        segments=[
            SegmentView(
                number=i,
                span_label=span_label(s, zone),
                minutes_label=minutes_label(segment_minutes(s)),
                crisis=s.is_crisis,
            )
            for i, s in enumerate(segments, start=1)
        ],
        total_minutes_label=minutes_label(session_minutes(segments)),
        patient_present_label=present,
        others_present=others,
        sections=_sections(content, template),
        interventions=_intervention_labels(content, template),
        measurements=[
            MeasurementView(
                label=instrument.label if (instrument := instruments.get(m.instrument)) else m.instrument,
                score=m.score,
                range_label=f"{instrument.min_score}–{instrument.max_score}" if instrument else "",
            )
            for m in (note.measurements.all() if shows("measurements") else [])
        ],
        diagnoses=[f"{format_icd10(d.code)} {d.description}".strip() for d in note_diagnosis_lines(note)],
        goals=[
            GoalView(description=g.goal.description, progress=g.progress)
            for g in (note.note_goals.all() if shows("goals") else [])
        ],
        requires_cosign=note.requires_cosign,
        supervisor_name=provider_label(note.supervisor),
        signature_line=note.attestation,
        signed_label=moment_label(note.signed_at, zone),
        cosignature_line=note.cosign_attestation,
        cosigned_label=moment_label(note.cosigned_at, zone),
        finalized_label=moment_label(note.finalized_at, zone),
        findings=[finding_view(f) for f in (note.findings or [])] if shows("findings") else [],
        events=[
            EventView(
                who=user_label(e.actor),
                when_label=moment_label(e.occurred_at, zone),
                change_label=_change_label(e.from_status, e.to_status),
                comment=e.comment,
            )
            for e in (events if shows("history") else [])
        ],
        addenda=[
            AddendumView(
                number=i,
                author=user_label(a.author),
                when_label=moment_label(a.created_at, zone),
                reason=a.reason,
                text=a.text,
            )
            for i, a in enumerate(note.addenda.all() if shows("addenda") else [], start=1)
        ],
        return_comment=last_return.comment if last_return and note.status == NoteState.RETURNED else "",
        returned_by=user_label(last_return.actor)
        if last_return and note.status == NoteState.RETURNED
        else "",
        billing_view=not shows("narrative"),
        disclosure_reason=disclosure.reason,
        may_open_full=disclosure.may_open_full,
        addenda_withheld=0 if shows("addenda") else len(note.addenda.all()),
        full_note_until_label=moment_label(full_note_until, zone) if full_note_until else "",
    )


@dataclass(frozen=True, slots=True)
class NoteActions:
    """What the viewer may do on the note page, with the links and forms that do it."""

    can_edit: bool
    can_cosign: bool
    can_add_addendum: bool
    edit_url: str
    pdf_url: str
    cosign_url: str
    return_url: str
    addendum_url: str
    next_url: str
    open_full_url: str


def note_actions(*, note_id: int, can_edit: bool, can_cosign: bool, can_add_addendum: bool) -> NoteActions:
    return NoteActions(
        can_edit=can_edit,
        can_cosign=can_cosign,
        can_add_addendum=can_add_addendum,
        edit_url=reverse("clinical_notes:edit", args=[note_id]),
        pdf_url=reverse("clinical_notes:pdf", args=[note_id]),
        cosign_url=reverse("clinical_notes:cosign", args=[note_id]),
        return_url=reverse("clinical_notes:return", args=[note_id]),
        addendum_url=reverse("clinical_notes:addendum_add", args=[note_id]),
        next_url=reverse("clinical_notes:detail", args=[note_id]),
        open_full_url=reverse("clinical_notes:open_full", args=[note_id]),
    )
