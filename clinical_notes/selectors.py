"""Reads of session notes: scoped by practice and role, audited, and facts for the rules.

Who sees which notes (`note_scope`):

- clinical roles (CLINICAL_VIEW: technician, clinician, supervisor) with a provider profile:
  every note they authored (drafts included), plus the non-draft notes of
  (a) notes routed to them for co-signature, (b) authors they supervised on the note's date of
  service, and (c) patients on their caseload today. Drafts are private to their author.
- billing roles (BILLING_VIEW without CLINICAL_VIEW: biller, practice admin): final notes only,
  never those of a 42 CFR Part 2 patient without an active Part 2 consent; and of those, a
  billing view unless they opened the full note (`note_read`, clinical_notes.domain.disclosure).
- anyone else (compliance): no notes (PermissionDenied).

Each public read of PHI records exactly one audit event (category clinical_note):
`note_list` → one `list`; `note_get` / `note_documentation_preview` → one `view` of that
note; `note_cosign_queue` → one `list`. A note outside the reader's scope (or of another
practice, or missing) is one `denied` event and NotFound.

The `*_facts*` functions feed services and the rules; they show nothing and write no events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from clinical_notes.domain.checks import DocumentationReport, documentation_report
from clinical_notes.domain.disclosure import (
    Disclosure,
    DisclosureFacts,
    NoteDisclosure,
    note_disclosure,
)
from clinical_notes.domain.supervision import (
    cosign_days_waiting,
    cosign_overdue,
    cosign_overdue_last_signed_on,
)
from clinical_notes.domain.types import (
    DiagnosisFact,
    Measurement,
    NoteDiagnosisLine,
    NoteFacts,
    OtherSession,
    PlanReview,
    PreviousNote,
    Segment,
)
from clinical_notes.models import (
    FullNoteOpening,
    NoteAddendum,
    NoteDiagnosis,
    NoteEvent,
    NoteGoal,
    NoteSegment,
    NoteStatus,
    SessionNote,
)
from core.domain.service_types import SERVICE_TYPE_LABELS, ServiceType
from core.errors import NotFound, PermissionDenied
from core.pagination import page_bounds
from patients.domain.consents import part2_consent_active
from patients.selectors import (
    caseload_patient_ids,
    part2_consent_missing_q,
    patient_billing_facts,
    primary_payer_id_on,
)
from payer_rules.selectors import payer_requires_cosign_on
from practice.selectors import practice_zone, supervised_on, supervises_anyone_on
from scheduling.models import Appointment
from treatment_plans.selectors import active_plan_dates_on, goal_ids_of_patient

NOTE_OBJECT_TYPE = "session_note"
LIST_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


# ---------------------------------------------------------------------------------------------
# Scope


def _supervised_by(provider_id: int) -> Q:
    """Notes whose author `provider_id` supervised on the note's date of service."""
    return supervised_on(supervisor_id=provider_id, supervisee_ref="author_id", on_ref="date_of_service")


def _on_caseload(provider_id: int, today: date) -> Q:
    """Notes of patients on `provider_id`'s care team today."""
    return Q(patient_id__in=caseload_patient_ids(provider_id=provider_id, on=today))


def _awaiting_cosign_by(provider_id: int) -> Q:
    return Q(status=NoteStatus.AWAITING_COSIGN) & (Q(supervisor_id=provider_id) | _supervised_by(provider_id))


def _practice_today(practice_id: int, zone: ZoneInfo | None = None) -> date:
    return timezone.now().astimezone(zone or practice_zone(practice_id=practice_id)).date()


def _deny(access: PracticeAccess, *, action: str, note_id: int | None, reason: str) -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.CLINICAL_NOTE,
        practice_id=access.practice_id,
        object_type=NOTE_OBJECT_TYPE if note_id is not None else "",
        object_id=note_id if note_id is not None else "",
        outcome=AuditEvent.Outcome.DENIED,
        detail=reason,
    )


def note_scope(access: PracticeAccess) -> QuerySet[SessionNote]:
    """The notes `access` may read (see the module docstring). No audit event: a building block.

    Raises PermissionDenied for roles that read no notes at all.
    """
    notes = SessionNote.objects.filter(practice_id=access.practice_id)
    if access.can(Capability.CLINICAL_VIEW):
        me = access.provider_id
        if me is None:
            return notes.none()
        shared = (
            Q(supervisor_id=me) | _supervised_by(me) | _on_caseload(me, _practice_today(access.practice_id))
        )
        return notes.filter(Q(author_id=me) | (~Q(status=NoteStatus.DRAFT) & shared))
    if access.can(Capability.BILLING_VIEW):
        today = _practice_today(access.practice_id)
        return notes.filter(status=NoteStatus.FINAL).exclude(part2_consent_missing_q(on=today))
    raise PermissionDenied()


def _scope_or_deny(access: PracticeAccess, *, action: str, note_id: int | None) -> QuerySet[SessionNote]:
    try:
        return note_scope(access)
    except PermissionDenied:
        _deny(access, action=action, note_id=note_id, reason="reason=capability")
        raise


def _detail_relations(notes: QuerySet[SessionNote]) -> QuerySet[SessionNote]:
    return notes.select_related(
        "patient", "author", "supervisor", "appointment", "signed_by", "cosigned_by"
    ).prefetch_related(
        Prefetch("segments", queryset=NoteSegment.objects.order_by("starts_at", "pk")),
        "measurements",
        Prefetch("note_diagnoses", queryset=note_diagnosis_rows()),
        Prefetch("note_goals", queryset=NoteGoal.objects.select_related("goal").order_by("pk")),
        Prefetch("events", queryset=NoteEvent.objects.select_related("actor").order_by("occurred_at", "pk")),
        Prefetch(
            "addenda", queryset=NoteAddendum.objects.select_related("author").order_by("created_at", "pk")
        ),
    )


def note_diagnosis_rows() -> QuerySet[NoteDiagnosis]:
    """The queryset to prefetch `note_diagnoses` with for `note_diagnosis_lines`."""
    return NoteDiagnosis.objects.select_related("diagnosis").order_by("position", "pk")


def note_diagnosis_lines(note: SessionNote) -> list[NoteDiagnosisLine]:
    """The diagnoses `note` addresses, in pointer order, as the note says them.

    A signed note (awaiting co-signature or final) says what it was signed with: the code and
    description copied onto its own rows when it was signed, whatever the patient's problem
    list says today. An editable note (draft, returned) shows the problem list as it is today.
    Reads the prefetched `note_diagnoses` (prefetch with `note_diagnosis_rows()`).
    """
    return [
        NoteDiagnosisLine(row.diagnosis_id, row.position, row.code, row.description)
        if row.code
        else NoteDiagnosisLine(row.diagnosis_id, row.position, row.diagnosis.code, row.diagnosis.description)
        for row in sorted(note.note_diagnoses.all(), key=lambda r: (r.position, r.pk))
    ]


# ---------------------------------------------------------------------------------------------
# Reads for screens and the API


@dataclass(frozen=True)
class NotePage:
    notes: list[SessionNote]  # patient and author joined
    total: int
    limit: int
    offset: int


def note_list(
    *,
    access: PracticeAccess,
    status: str | None = None,
    patient_id: int | None = None,
    author_id: int | None = None,
    mine: bool = False,
    awaiting_my_cosign: bool = False,
    limit: int = LIST_PAGE_SIZE,
    offset: int = 0,
) -> NotePage:
    """Notes `access` may read, newest date of service first. One `list` audit event.

    `mine`: authored by the current provider. `awaiting_my_cosign`: waiting for the current
    provider's co-signature (routed to them, or by an author they supervised on that date).
    """
    notes = _scope_or_deny(access, action=AuditEvent.Action.LIST, note_id=None)
    filters = []
    if status:
        notes = notes.filter(status=status)
        filters.append(f"status={status}")
    if patient_id is not None:
        notes = notes.filter(patient_id=patient_id)
        filters.append(f"patient={patient_id}")
    if author_id is not None:
        notes = notes.filter(author_id=author_id)
        filters.append(f"author={author_id}")
    me = access.provider_id
    if mine:
        notes = notes.filter(author_id=me) if me is not None else notes.none()
        filters.append("mine")
    if awaiting_my_cosign:
        notes = notes.filter(_awaiting_cosign_by(me)) if me is not None else notes.none()
        filters.append("awaiting_my_cosign")
    limit, offset = page_bounds(limit, offset, max_size=MAX_PAGE_SIZE)
    total = notes.count()
    page = list(
        notes.select_related("patient", "author").order_by("-date_of_service", "-pk")[offset : offset + limit]
    )
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.CLINICAL_NOTE,
        practice_id=access.practice_id,
        object_type=NOTE_OBJECT_TYPE,
        detail=";".join([f"results={len(page)}", f"total={total}", *filters])[:200],
        shown_patient_ids=[n.patient_id for n in page],
    )
    return NotePage(notes=page, total=total, limit=limit, offset=offset)


def _visible_note(access: PracticeAccess, *, note_id: int, detail: bool) -> SessionNote:
    notes = _scope_or_deny(access, action=AuditEvent.Action.VIEW, note_id=note_id)
    if detail:
        notes = _detail_relations(notes)
    note = notes.filter(pk=note_id).first()
    if note is None:
        _deny(access, action=AuditEvent.Action.VIEW, note_id=note_id, reason="reason=not_accessible")
        raise NotFound()
    return note


def _record_view(
    access: PracticeAccess, note: SessionNote, *, purpose: str = "", disclosure: Disclosure | None = None
) -> None:
    parts = [f"status={note.status}"]
    if purpose:
        parts.append(f"purpose={purpose}")
    if disclosure is not None:
        parts.append(f"view={disclosure.level}")
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.CLINICAL_NOTE,
        practice_id=access.practice_id,
        patient_id=note.patient_id,
        object_type=NOTE_OBJECT_TYPE,
        object_id=note.pk,
        detail=";".join(parts),
    )


@dataclass(frozen=True)
class NoteRead:
    note: SessionNote
    disclosure: Disclosure
    full_note_until: datetime | None  # when the reader's "open the full note" ends


def _full_note_until(access: PracticeAccess, note: SessionNote) -> datetime | None:
    """The reader's open "full note" (the database form of `full_note_is_open`), if any."""
    return (
        FullNoteOpening.objects.filter(
            note_id=note.pk,
            user_id=access.user_id,
            practice_id=access.practice_id,
            expires_at__gt=timezone.now(),
        )
        .order_by("-expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )


def note_disclosure_for(
    access: PracticeAccess, note: SessionNote, *, count_opening: bool = True
) -> tuple[Disclosure, datetime | None]:
    """How much of `note` (already in the reader's scope) `access` sees, and until when an
    opened full note stays open. Billing readers: one query for the opening, one or two for a
    Part 2 patient's consents. `count_opening=False`: as if the full note were not open."""
    clinical = access.can(Capability.CLINICAL_VIEW)
    billing = access.can(Capability.BILLING_VIEW)
    until = _full_note_until(access, note) if billing and not clinical and count_opening else None
    part2 = consent = False
    if billing and not clinical:
        facts = patient_billing_facts(patient_id=note.patient_id)
        part2 = facts.in_part2_program
        consent = part2 and part2_consent_active(facts.consents, on=_practice_today(access.practice_id))
    disclosure = note_disclosure(
        DisclosureFacts(
            reads_clinical=clinical,
            reads_billing=billing,
            part2_patient=part2,
            part2_consent_active=consent,
            full_note_open=until is not None,
        )
    )
    return disclosure, until


def _disclosed_or_deny(
    access: PracticeAccess, note: SessionNote, *, action: str
) -> tuple[Disclosure, datetime | None]:
    disclosure, until = note_disclosure_for(access, note)
    if disclosure.level is NoteDisclosure.WITHHELD:
        _deny(access, action=action, note_id=note.pk, reason="reason=part2_consent")
        raise PermissionDenied(disclosure.reason)
    return disclosure, until


def note_read(*, access: PracticeAccess, note_id: int, purpose: str = "") -> NoteRead:
    """One note with everything shown with it (segments, scores, diagnoses, goals, events,
    addenda; `findings` is on the row) and how much of it the reader sees (minimum necessary:
    callers show `disclosure`'s part only). One `view` audit event naming the view given;
    NotFound outside the scope."""
    note = _visible_note(access, note_id=note_id, detail=True)
    disclosure, until = _disclosed_or_deny(access, note, action=AuditEvent.Action.VIEW)
    _record_view(access, note, purpose=purpose, disclosure=disclosure)
    return NoteRead(note=note, disclosure=disclosure, full_note_until=until)


def note_get(*, access: PracticeAccess, note_id: int, purpose: str = "") -> SessionNote:
    """`note_read` for callers that show the whole note only to clinical readers (the editor)."""
    return note_read(access=access, note_id=note_id, purpose=purpose).note


def note_for_full_opening(*, access: PracticeAccess, note_id: int) -> tuple[SessionNote, Disclosure]:
    """The note a billing reader asks to open in full, and its disclosure without any opening.
    Denied (audited) and NotFound outside the scope; no `view` event (the opening records one)."""
    note = _visible_note(access, note_id=note_id, detail=False)
    disclosure, _ = note_disclosure_for(access, note, count_opening=False)
    return note, disclosure


def note_detail_after_change(*, note_id: int) -> SessionNote:
    """The detail of a note a service just changed (that service wrote the audit event)."""
    return _detail_relations(SessionNote.objects.filter(pk=note_id)).get()


def note_documentation_preview(*, access: PracticeAccess, note_id: int) -> DocumentationReport:
    """Run the documentation checks on the saved note without signing (the editor shows them
    live; the co-sign queue shows the clone diff). One `view` audit event."""
    note = _visible_note(access, note_id=note_id, detail=False)
    disclosure, _ = _disclosed_or_deny(access, note, action=AuditEvent.Action.VIEW)
    if disclosure.level is not NoteDisclosure.FULL:
        # The checks quote the note's text (clone diffs): minimum necessary keeps them behind
        # "open the full note".
        _deny(access, action=AuditEvent.Action.VIEW, note_id=note.pk, reason="reason=minimum_necessary")
        raise PermissionDenied("The documentation checks read the whole note: open the full note first.")
    _record_view(access, note, purpose="checks", disclosure=disclosure)
    return documentation_report(note_facts_for(note, now=timezone.now()))


@dataclass(frozen=True)
class CosignQueueItem:
    note_id: int
    patient_id: int
    patient_name: str
    author_id: int
    author_name: str
    service_type: ServiceType
    service_type_label: str
    date_of_service: date
    signed_at: datetime
    days_waiting: int
    overdue: bool
    warning_count: int


@dataclass(frozen=True)
class CosignQueuePage:
    items: list[CosignQueueItem]
    total: int
    overdue_total: int
    limit: int
    offset: int


def _queue_item(note: SessionNote, *, zone: ZoneInfo, today: date, overdue_days: int) -> CosignQueueItem:
    assert note.signed_at is not None  # noqa: S101 - the queue filters on it
    signed_on = note.signed_at.astimezone(zone).date()
    return CosignQueueItem(
        note_id=note.pk,
        patient_id=note.patient_id,
        patient_name=f"{note.patient.last_name}, {note.patient.first_name}",
        author_id=note.author_id,
        author_name=note.author.full_name,
        service_type=ServiceType(note.service_type),
        service_type_label=SERVICE_TYPE_LABELS[ServiceType(note.service_type)],
        date_of_service=note.date_of_service,
        signed_at=note.signed_at,
        days_waiting=cosign_days_waiting(signed_on, today),
        overdue=cosign_overdue(signed_on, today, overdue_days),
        warning_count=len(note.findings),
    )


def note_cosign_queue(
    *,
    access: PracticeAccess,
    overdue_days: int,
    today: date | None = None,
    limit: int = LIST_PAGE_SIZE,
    offset: int = 0,
) -> CosignQueuePage:
    """One page of the notes waiting for the current provider's co-signature, oldest first
    (what is due first), overdue flagged, with the queue's total and overdue count. One `list`
    audit event. (`overdue_days`: pass settings.COSIGN_OVERDUE_DAYS.)"""
    notes = _scope_or_deny(access, action=AuditEvent.Action.LIST, note_id=None)
    me = access.provider_id
    zone = practice_zone(practice_id=access.practice_id)
    today = today or _practice_today(access.practice_id, zone)
    limit, offset = page_bounds(limit, offset, max_size=MAX_PAGE_SIZE)
    waiting = (
        notes.filter(_awaiting_cosign_by(me), signed_at__isnull=False) if me is not None else notes.none()
    )
    overdue_before = datetime.combine(
        cosign_overdue_last_signed_on(today, overdue_days) + timedelta(days=1), time.min, tzinfo=zone
    )
    counts = waiting.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(signed_at__lt=overdue_before)))
    rows = list(
        waiting.select_related("patient", "author").order_by("signed_at", "pk")[offset : offset + limit]
    )
    items = [_queue_item(note, zone=zone, today=today, overdue_days=overdue_days) for note in rows]
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.CLINICAL_NOTE,
        practice_id=access.practice_id,
        object_type=NOTE_OBJECT_TYPE,
        detail=f"results={len(items)};total={counts['total']};purpose=cosign_queue",
        shown_patient_ids=[item.patient_id for item in items],
    )
    return CosignQueuePage(
        items=items, total=counts["total"], overdue_total=counts["overdue"], limit=limit, offset=offset
    )


# ---------------------------------------------------------------------------------------------
# Facts for services and rules (no audit: nothing is shown)


def note_facts_for(note: SessionNote, *, now: datetime, zone: ZoneInfo | None = None) -> NoteFacts:
    """Gather what the documentation checks need about `note` (already loaded and scoped);
    pass the practice's `zone` when the caller has it."""
    zone = zone or practice_zone(practice_id=note.practice_id)
    segments = tuple(
        Segment(starts_at=s, ends_at=e, is_crisis=c)
        for s, e, c in note.segments.order_by("starts_at", "pk").values_list(
            "starts_at", "ends_at", "is_crisis"
        )
    )
    measurements = tuple(
        Measurement(instrument=i, score=v)
        for i, v in note.measurements.order_by("pk").values_list("instrument", "score")
    )
    diagnosis_ids = tuple(
        note.note_diagnoses.order_by("position", "pk").values_list("diagnosis_id", flat=True)
    )
    patient_diagnoses = tuple(
        DiagnosisFact(diagnosis_id=pk, code=code, onset_on=onset, resolved_on=resolved)
        for pk, code, onset, resolved in SessionNote.objects.filter(
            pk=note.pk, patient__diagnoses__isnull=False
        )
        .values_list(
            "patient__diagnoses__pk",
            "patient__diagnoses__code",
            "patient__diagnoses__onset_on",
            "patient__diagnoses__resolved_on",
        )
        .order_by("patient__diagnoses__pk")
    )
    goal_ids = tuple(note.note_goals.order_by("pk").values_list("goal_id", flat=True))
    group_session_id = (
        SessionNote.objects.filter(pk=note.pk).values_list("appointment__group_session_id", flat=True).first()
        if note.appointment_id is not None
        else None
    )
    return NoteFacts(
        note_id=note.pk,
        patient_id=note.patient_id,
        provider_id=note.author_id,
        service_type=ServiceType(note.service_type),
        date_of_service=note.date_of_service,
        timezone=zone,
        now=now,
        content=dict(note.content or {}),
        segments=segments,
        measurements=measurements,
        diagnosis_ids=diagnosis_ids,
        patient_diagnoses=patient_diagnoses,
        goal_ids=goal_ids,
        other_sessions=_other_sessions(note, segments),
        previous_note=_previous_note(note),
        treatment_plan=_active_plan(note),
        group_session_id=group_session_id,
    )


def _other_sessions(note: SessionNote, segments: tuple[Segment, ...]) -> tuple[OtherSession, ...]:
    valid = [s for s in segments if s.ends_at > s.starts_at]
    if not valid:
        return ()
    window_start = min(s.starts_at for s in valid)
    window_end = max(s.ends_at for s in valid)
    rows = (
        NoteSegment.objects.filter(
            note__practice_id=note.practice_id, starts_at__lt=window_end, ends_at__gt=window_start
        )
        .filter(Q(note__author_id=note.author_id) | Q(note__patient_id=note.patient_id))
        .exclude(note_id=note.pk)
        .order_by("note_id", "starts_at", "pk")
        .values_list(
            "note_id",
            "note__author_id",
            "note__patient_id",
            "note__service_type",
            "note__appointment__group_session_id",
            "starts_at",
            "ends_at",
        )
    )
    grouped: dict[int, OtherSession] = {}
    for note_id, author_id, patient_id, service_type, group_id, starts_at, ends_at in rows:
        segment = Segment(starts_at=starts_at, ends_at=ends_at)
        known = grouped.get(note_id)
        grouped[note_id] = OtherSession(
            note_id=note_id,
            provider_id=author_id,
            patient_id=patient_id,
            service_type=ServiceType(service_type),
            segments=(*known.segments, segment) if known else (segment,),
            group_session_id=group_id,
        )
    return tuple(grouped.values())


def _previous_note(note: SessionNote) -> PreviousNote | None:
    """The patient's latest earlier note that was signed at least once (drafts are unfinished)."""
    row = (
        SessionNote.objects.filter(
            practice_id=note.practice_id,
            patient_id=note.patient_id,
            status__in=[NoteStatus.AWAITING_COSIGN, NoteStatus.RETURNED, NoteStatus.FINAL],
        )
        .exclude(pk=note.pk)
        .filter(
            Q(date_of_service__lt=note.date_of_service)
            | Q(date_of_service=note.date_of_service, pk__lt=note.pk)
        )
        .order_by("-date_of_service", "-pk")
        .values_list("pk", "date_of_service", "content")
        .first()
    )
    if row is None:
        return None
    pk, dos, content = row
    return PreviousNote(note_id=pk, date_of_service=dos, content=dict(content or {}))


def _active_plan(note: SessionNote) -> PlanReview | None:
    plan = active_plan_dates_on(patient_id=note.patient_id, on=note.date_of_service)
    return PlanReview(plan_id=plan.plan_id, review_on=plan.review_on) if plan else None


def note_patient_diagnosis_ids(*, note_id: int, diagnosis_ids: list[int]) -> set[int]:
    """Which of `diagnosis_ids` are on the note's patient's problem list (any status)."""
    if not diagnosis_ids:
        return set()
    return set(
        SessionNote.objects.filter(pk=note_id, patient__diagnoses__pk__in=diagnosis_ids).values_list(
            "patient__diagnoses__pk", flat=True
        )
    )


def patient_goal_ids(*, patient_id: int, goal_ids: list[int]) -> set[int]:
    """Which of `goal_ids` belong to one of this patient's treatment plans."""
    return goal_ids_of_patient(patient_id=patient_id, goal_ids=goal_ids)


def payer_requires_cosign(*, note: SessionNote) -> bool:
    """Whether the patient's payer requires a co-signature before billing: the payer of the
    primary coverage in force on the date of service, by its rules on that date (issue 4)."""
    payer_id = primary_payer_id_on(patient_id=note.patient_id, on=note.date_of_service)
    if payer_id is None:
        return False
    return payer_requires_cosign_on(payer_pk=payer_id, on=note.date_of_service)


@dataclass(frozen=True)
class FinalNoteRef:
    """What the claims side needs to know about a final note."""

    note_id: int
    practice_id: int
    patient_id: int
    author_id: int
    service_type: ServiceType
    date_of_service: date
    finalized_at: datetime


def final_note_ref(*, note_id: int) -> FinalNoteRef | None:
    """The note if it is final, else None (claims use this to record a note as ready to bill)."""
    row = (
        SessionNote.objects.filter(pk=note_id, status=NoteStatus.FINAL)
        .values_list(
            "practice_id", "patient_id", "author_id", "service_type", "date_of_service", "finalized_at"
        )
        .first()
    )
    if row is None:
        return None
    practice_id, patient_id, author_id, service_type, dos, finalized_at = row
    if finalized_at is None:  # a final note always has it (a check constraint)
        return None
    return FinalNoteRef(
        note_id=note_id,
        practice_id=practice_id,
        patient_id=patient_id,
        author_id=author_id,
        service_type=ServiceType(service_type),
        date_of_service=dos,
        finalized_at=finalized_at,
    )


@dataclass(frozen=True)
class OverdueCosign:
    note_id: int
    practice_id: int
    supervisor_id: int
    supervisor_user_id: int | None
    supervisor_email: str
    days_waiting: int


def overdue_cosigns(*, today: date, overdue_days: int) -> list[OverdueCosign]:
    """Notes waiting for co-signature for `overdue_days` days or more (in each practice's zone)."""
    rows = (
        SessionNote.objects.filter(
            status=NoteStatus.AWAITING_COSIGN, signed_at__isnull=False, supervisor__isnull=False
        )
        .order_by("practice_id", "supervisor_id", "signed_at", "pk")
        .values_list(
            "pk",
            "practice_id",
            "practice__timezone",
            "signed_at",
            "supervisor_id",
            "supervisor__user_id",
            "supervisor__user__email",
        )
    )
    zones: dict[str, ZoneInfo] = {}
    found = []
    for pk, practice_id, zone_name, signed_at, supervisor_id, user_id, email in rows:
        if signed_at is None:  # excluded by the filter; keeps the type checker informed
            continue
        zone = zones.get(zone_name) or zones.setdefault(zone_name, practice_zone(practice_id=practice_id))
        signed_on = signed_at.astimezone(zone).date()
        if cosign_overdue(signed_on, today, overdue_days):
            found.append(
                OverdueCosign(
                    note_id=pk,
                    practice_id=practice_id,
                    supervisor_id=supervisor_id,
                    supervisor_user_id=user_id,
                    supervisor_email=email or "",
                    days_waiting=cosign_days_waiting(signed_on, today),
                )
            )
    return found


@dataclass(frozen=True)
class AppointmentForNote:
    appointment_id: int
    patient_id: int
    provider_id: int
    service_type: ServiceType
    starts_at: datetime
    ends_at: datetime
    place_of_service: str
    telehealth: str
    status: str
    existing_note_id: int | None


def appointment_for_note(*, practice_id: int, appointment_id: int) -> AppointmentForNote | None:
    """The appointment a note documents (None when missing or another practice's)."""
    row = (
        Appointment.objects.filter(pk=appointment_id, practice_id=practice_id)
        .values_list(
            "patient_id",
            "provider_id",
            "service_type",
            "starts_at",
            "ends_at",
            "place_of_service",
            "telehealth",
            "status",
            "note__id",
        )
        .first()
    )
    if row is None:
        return None
    patient_id, provider_id, service_type, starts_at, ends_at, pos, telehealth, status, note_id = row
    return AppointmentForNote(
        appointment_id=appointment_id,
        patient_id=patient_id,
        provider_id=provider_id,
        service_type=ServiceType(service_type),
        starts_at=starts_at,
        ends_at=ends_at,
        place_of_service=pos,
        telehealth=telehealth,
        status=status,
        existing_note_id=note_id,
    )


# ---- the day's final sessions (claims' charge capture and scrubber read these) ---------------------


@dataclass(frozen=True)
class FinalSession:
    """A final session note as billing needs it (plain values). `diagnosis_codes`: the note's
    ICD-10-CM codes by rank, as stored. `patient_at_home`: from the appointment, else POS 10."""

    note_id: int
    practice_id: int
    patient_id: int
    author_id: int
    author_credential: str
    supervisor_id: int | None
    date_of_service: date
    service_type: ServiceType
    place_of_service: str
    telehealth: str
    patient_at_home: bool
    content: dict[str, object]
    segments: tuple[Segment, ...]
    diagnosis_codes: tuple[str, ...]
    requires_cosign: bool
    cosigned: bool
    instruments: tuple[str, ...] = ()  # standardized instruments scored in the note


def _final_session(note: SessionNote) -> FinalSession:
    segments = sorted(note.segments.all(), key=lambda s: (s.starts_at, s.pk))
    appointment = note.appointment
    return FinalSession(
        note_id=note.pk,
        practice_id=note.practice_id,
        patient_id=note.patient_id,
        author_id=note.author_id,
        author_credential=note.author.credential,
        supervisor_id=note.supervisor_id,
        date_of_service=note.date_of_service,
        service_type=ServiceType(note.service_type),
        place_of_service=note.place_of_service,
        telehealth=note.telehealth,
        patient_at_home=appointment.patient_at_home
        if appointment is not None
        else note.place_of_service == "10",
        content=dict(note.content) if isinstance(note.content, dict) else {},
        segments=tuple(
            Segment(starts_at=s.starts_at, ends_at=s.ends_at, is_crisis=s.is_crisis) for s in segments
        ),
        diagnosis_codes=tuple(line.code for line in note_diagnosis_lines(note)),  # as signed
        requires_cosign=note.requires_cosign,
        cosigned=note.cosigned_at is not None,
        instruments=tuple(m.instrument for m in sorted(note.measurements.all(), key=lambda m: m.pk)),
    )


def final_sessions_of_day(*, note_id: int) -> list[FinalSession]:
    """The final notes of the patient and date of final note `note_id` (it included), oldest
    note first; [] when that note is missing or not final. Four queries whatever the number."""
    target = SessionNote.objects.filter(pk=note_id, status=NoteStatus.FINAL)
    notes = (
        SessionNote.objects.filter(
            status=NoteStatus.FINAL,
            patient_id=Subquery(target.values("patient_id")[:1]),
            date_of_service=Subquery(target.values("date_of_service")[:1]),
        )
        .select_related("author", "appointment")
        .prefetch_related(
            "segments",
            "measurements",
            Prefetch("note_diagnoses", queryset=note_diagnosis_rows()),
        )
        .order_by("pk")
    )
    return [_final_session(note) for note in notes]


# ---------------------------------------------------------------------------------------------
# Counts for the home page (numbers only, no patient shown: no audit event)


@dataclass(frozen=True, slots=True)
class NoteWorklistCounts:
    drafts: int  # the provider's own drafts
    oldest_draft_on: date | None  # the oldest draft's date of service
    returned: int  # the provider's own notes returned for revision
    cosign_waiting: int  # notes waiting for the provider's co-signature
    cosign_overdue: int  # of which waiting `overdue_days` days or more since signing
    cosign_oldest_service_on: date | None  # the oldest waiting note's date of service
    supervisees_late: int  # supervisees' unsigned notes (draft or returned) past their due date
    supervises: bool  # the provider has co-sign work or supervisees' notes in view


def note_worklist_counts(
    *, access: PracticeAccess, today: date, overdue_days: int, due_days: int
) -> NoteWorklistCounts:
    """The home page's note numbers for the signed-in provider: three queries, whatever the
    number of notes. Raises PermissionDenied for roles that read no notes."""
    notes = note_scope(access)
    me = access.provider_id
    if me is None or not access.can(Capability.CLINICAL_VIEW):
        return NoteWorklistCounts(0, None, 0, 0, 0, None, 0, supervises=False)
    drafts, returned = Q(status=NoteStatus.DRAFT), Q(status=NoteStatus.RETURNED)
    own = notes.filter(author_id=me).aggregate(
        drafts=Count("pk", filter=drafts),
        oldest=Min("date_of_service", filter=drafts),
        returned=Count("pk", filter=returned),
    )
    zone = practice_zone(practice_id=access.practice_id)
    overdue_before = datetime.combine(
        cosign_overdue_last_signed_on(today, overdue_days) + timedelta(days=1), time.min, tzinfo=zone
    )
    waiting = notes.filter(_awaiting_cosign_by(me), signed_at__isnull=False).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(signed_at__lt=overdue_before)),
        oldest=Min("date_of_service"),
    )
    # Supervisees' drafts are not in `note_scope` (a draft is its author's own): count them
    # from the practice's notes, numbers only.
    late = (
        SessionNote.objects.filter(
            practice_id=access.practice_id, date_of_service__lt=today - timedelta(days=due_days)
        )
        .filter(_supervised_by(me), drafts | returned)
        .exclude(author_id=me)
        .count()
    )
    return NoteWorklistCounts(
        drafts=own["drafts"],
        oldest_draft_on=own["oldest"],
        returned=own["returned"],
        cosign_waiting=waiting["total"],
        cosign_overdue=waiting["overdue"],
        cosign_oldest_service_on=waiting["oldest"],
        supervisees_late=late,
        supervises=bool(waiting["total"] or late or supervises_anyone_on(supervisor_id=me, on=today)),
    )
