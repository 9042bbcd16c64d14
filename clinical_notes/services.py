"""Session-note use cases: create, save a draft, sign, co-sign, return, addenda, delete a draft,
co-sign reminders.

Every service takes `access: PracticeAccess` (who acts, in which practice) and keyword-only
typed arguments, opens `transaction.atomic(durable=True)`, locks the note row, runs the pure
rules (`clinical_notes.domain`), and writes the change, a `NoteEvent` for transitions and an
audit event (category clinical_note) in the same transaction.

Errors (all `core.errors` types, so the API and the screens show them the same way):

- `NotFound`: the note (patient, appointment) is missing, another practice's, or outside the
  caller's scope (one `denied` audit event is recorded).
- `PermissionDenied`: visible but not yours to change (not the author; not a supervisor of the
  author on the date of service). One `denied` audit event.
- `Conflict`: the note moved on (`code` "stale_version" with `extra.current_version`,
  "note_not_editable", "transition_conflict", "note_exists_for_appointment" with
  `extra.note_id`).
- `ValidationFailed` (`NoteRuleViolation`): input or documentation problems;
  `extra.fields` maps field paths to messages and `extra.problems` lists every finding
  (code, message, field, severity, fix_hint).

When a note becomes final, `claims.tasks.note_ready_to_bill_task(note_id=...)` is queued by
name after commit (clinical_notes sits below claims and never imports it).

Signing records the note's diagnoses as signed (code and description copied onto its
`NoteDiagnosis` rows); returning a note for revision forgets them (issue #7).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from clinical_notes import lock_objects, selectors
from clinical_notes.domain.checks import problem_to_dict, run_documentation_checks
from clinical_notes.domain.codes import PERMISSION_CODES
from clinical_notes.domain.codes import NoteProblemCode as Code
from clinical_notes.domain.content import content_shape_problems
from clinical_notes.domain.disclosure import FULL_NOTE_MINUTES, full_note_expires_at, full_note_open_problems
from clinical_notes.domain.supervision import requires_cosign
from clinical_notes.domain.transitions import (
    COSIGN_ATTESTATION,
    EDITABLE_STATES,
    SIGN_ATTESTATION,
    NoteAction,
    NoteState,
    TransitionFacts,
    target_state_for_sign,
    transition_problems,
)
from clinical_notes.domain.types import GoalProgress, Measurement, Segment
from clinical_notes.errors import NoteErrorCode, NoteRuleViolation
from clinical_notes.models import (
    CosignReminder,
    FullNoteOpening,
    NoteAddendum,
    NoteDiagnosis,
    NoteEvent,
    NoteGoal,
    NoteMeasurement,
    NoteSegment,
    NoteStatus,
    SessionNote,
)
from core.domain.problems import Problem, Severity, errors_only, field_errors
from core.domain.service_types import ServiceType
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.jobs import job_enqueue_on_commit
from patients.selectors import on_care_team
from practice.domain.place_of_service import place_of_service_problems
from practice.domain.supervision import supervisor_on, supervisors_on
from practice.selectors import practice_zone, provider_get, supervision_periods_for_supervisee
from scheduling.domain.types import RELEASED_STATUSES, AppointmentStatus, TelehealthMode
from scheduling.selectors import patient_facts

READY_TO_BILL_TASK = "claims.tasks.note_ready_to_bill_task"
# full_clean() would read each foreign key's row again; the service has checked them (practice
# from access, patient in the practice, author = acting provider) and the database enforces them.
FK_CHECKED_ABOVE = ("practice", "patient", "appointment", "author", "supervisor", "signed_by", "cosigned_by")
NOTE_OBJECT_TYPE = selectors.NOTE_OBJECT_TYPE
MAX_SEGMENTS = 12
MAX_REASON_CHARS = 200
MAX_ADDENDUM_CHARS = 20_000
MAX_COMMENT_CHARS = 5_000


# ---------------------------------------------------------------------------------------------
# Helpers


def _audit(
    access: PracticeAccess,
    *,
    action: str,
    note: SessionNote,
    detail: str,
    outcome: str = AuditEvent.Outcome.ALLOWED,
) -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.CLINICAL_NOTE,
        practice_id=access.practice_id,
        patient_id=note.patient_id,
        object_type=NOTE_OBJECT_TYPE,
        object_id=note.pk,
        outcome=outcome,
        detail=detail,
    )


def _deny(access: PracticeAccess, *, action: str, note_id: int | None, reason: str) -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.CLINICAL_NOTE,
        practice_id=access.practice_id,
        object_type=NOTE_OBJECT_TYPE,
        object_id=note_id if note_id is not None else "",
        outcome=AuditEvent.Outcome.DENIED,
        detail=reason,
    )


def _acting_provider(access: PracticeAccess, *, action: str, note_id: int | None) -> int:
    """The provider acting. Notes are written and signed by providers with clinical access."""
    if not access.can(Capability.CLINICAL_VIEW) or access.provider_id is None:
        _deny(access, action=action, note_id=note_id, reason="reason=not_a_clinical_provider")
        raise PermissionDenied("Only providers with clinical access write, sign and co-sign notes.")
    return access.provider_id


class NoteRelation(StrEnum):
    """Who may change a note, checked before the API reads the request's body."""

    AUTHOR = "author"  # edit, sign, delete
    SUPERVISOR = "supervisor"  # co-sign, return: a supervisor of the author on the date of service
    AUTHOR_OR_SUPERVISOR = "author_or_supervisor"  # addenda


def note_writer_require(
    *,
    access: PracticeAccess,
    note_id: int | None = None,
    creating: bool = False,
    relation: NoteRelation | None = None,
) -> None:
    """Deny (audited: 403, or 404 for a note outside the caller's scope) a caller who can't
    write notes at all, or, with `relation`, who does not stand in that relation to the note,
    before the API reads the body. The services check the same again (they serve the screens
    too): permission first, then the body, then the rules."""
    action = AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE
    me = _acting_provider(access, action=action, note_id=note_id)
    if relation is None or note_id is None:
        return
    header = _visible_header(access, note_id=note_id, action=action)
    if relation is NoteRelation.AUTHOR:
        _require_author(access, header, me=me, action=action)
    elif relation is NoteRelation.SUPERVISOR or me not in (header.author_id, header.supervisor_id):
        _require_supervisor(access, header, me=me, action=action)


@dataclass(frozen=True)
class _NoteHeader:
    note_id: int
    patient_id: int
    author_id: int
    date_of_service: date
    supervisor_id: int | None


def _visible_header(access: PracticeAccess, *, note_id: int, action: str) -> _NoteHeader:
    """The note's identity if `access` may see it; else one denied event and NotFound."""
    try:
        scope = selectors.note_scope(access)
    except PermissionDenied:
        _deny(access, action=action, note_id=note_id, reason="reason=capability")
        raise
    row = (
        scope.filter(pk=note_id)
        .values_list("patient_id", "author_id", "date_of_service", "supervisor_id")
        .first()
    )
    if row is None:
        _deny(access, action=action, note_id=note_id, reason="reason=not_accessible")
        raise NotFound()
    return _NoteHeader(note_id, row[0], row[1], row[2], row[3])


def _require_author(access: PracticeAccess, header: _NoteHeader, *, me: int, action: str) -> None:
    if header.author_id != me:
        _deny(access, action=action, note_id=header.note_id, reason="reason=not_author")
        raise PermissionDenied("Only the note's author can do this.")


def _supervisor_ids(*, author_id: int, on: date) -> frozenset[int]:
    return frozenset(supervisors_on(on, supervision_periods_for_supervisee(supervisee_id=author_id)))


def _require_supervisor(
    access: PracticeAccess, header: _NoteHeader, *, me: int, action: str
) -> frozenset[int]:
    supervisors = _supervisor_ids(author_id=header.author_id, on=header.date_of_service)
    if me == header.author_id or me not in supervisors:
        _deny(access, action=action, note_id=header.note_id, reason="reason=not_supervisor")
        raise PermissionDenied(
            "Only a supervisor of the author on the date of service can co-sign or return this note."
        )
    return supervisors


def _locked(access: PracticeAccess, note_id: int) -> SessionNote:
    note = lock_objects.note_lock(note_id=note_id, practice_id=access.practice_id)
    if note is None:  # deleted since the visibility check
        raise NotFound()
    return note


def _stale(note: SessionNote) -> Conflict:
    return Conflict(
        "Someone saved this note since you opened it. Reload to see the latest version.",
        code=NoteErrorCode.STALE_VERSION,
        extra={"current_version": note.version},
    )


def _not_editable(note: SessionNote) -> Conflict:
    return Conflict(
        f"This note is {NoteStatus(note.status).label.lower()} and can no longer be edited.",
        code=NoteErrorCode.NOTE_NOT_EDITABLE,
        extra={"status": note.status},
    )


def _raise_transition_problems(
    problems: Sequence[Problem], *, message: str, extra: Sequence[Problem] = ()
) -> None:
    """Map the state machine's findings to the right error type (nothing has been written)."""
    if not problems:
        return
    codes = {p.code for p in problems}
    if codes & PERMISSION_CODES:
        raise PermissionDenied(problems[0].message)
    if Code.TRANSITION_NOT_ALLOWED in codes and Code.DOCUMENTATION_ERRORS not in codes:
        # The note is not in the state the action needs (someone acted first).
        first = next(p for p in problems if p.code == Code.TRANSITION_NOT_ALLOWED)
        raise Conflict(first.message, code=NoteErrorCode.TRANSITION_CONFLICT)
    raise NoteRuleViolation(
        message, problems=[*problems, *extra], code=NoteErrorCode.DOCUMENTATION_INCOMPLETE
    )


def _full_clean(instance: SessionNote | NoteAddendum, *, exclude: Sequence[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        raise ValidationFailed(field_errors=exc.message_dict) from exc


def _record_event(
    note: SessionNote,
    *,
    access: PracticeAccess,
    from_status: str,
    to_status: str,
    at: datetime,
    comment: str = "",
) -> None:
    NoteEvent.objects.create(
        note_id=note.pk,
        actor_id=access.user_id,
        occurred_at=at,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


def _signature(text: str, *, name: str, credential: str, at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{text} Signed electronically by {name}, {credential}, on {local:%Y-%m-%d at %H:%M %Z}."


def _record_signed_diagnoses(note_id: int, *, keep_recorded: bool) -> None:
    """Copy each diagnosis's code and description onto the note's own rows: what it is signed
    with. `keep_recorded` leaves rows already recorded (the co-signer signs what the author
    signed). Runs before the status change (a trigger checks it, issue #7)."""
    rows = NoteDiagnosis.objects.filter(note_id=note_id).select_related("diagnosis")
    if keep_recorded:
        rows = rows.filter(code="")
    changed = list(rows)
    for row in changed:
        row.code, row.description = row.diagnosis.code, row.diagnosis.description
    if changed:
        NoteDiagnosis.objects.bulk_update(changed, ["code", "description"])


def _forget_signed_diagnoses(note_id: int) -> None:
    """A note returned for revision shows the problem list as it is again until signed anew."""
    NoteDiagnosis.objects.filter(note_id=note_id).update(code="", description="")


def _apply(note: SessionNote, rows: QuerySet[SessionNote], values: dict[str, Any], *, conflict: str) -> None:
    """The conditional update of a transition (exactly one row, or Conflict), mirrored on the
    locked instance so the caller gets the note as stored without reading it again."""
    if rows.update(**values) != 1:
        raise Conflict(conflict, code=NoteErrorCode.TRANSITION_CONFLICT)
    for name, value in values.items():
        setattr(note, name, value)


def _hand_off_if_final(note: SessionNote, status: str) -> None:
    """A final note is handed to claims: the job commits with the note's change (durable)."""
    if status == NoteStatus.FINAL:
        job_enqueue_on_commit(
            READY_TO_BILL_TASK,
            key=f"{READY_TO_BILL_TASK}:note={note.pk}",
            label=f"Capture charges for note #{note.pk}",
            practice_id=note.practice_id,
            note_id=note.pk,
        )


# ---------------------------------------------------------------------------------------------
# Create


def _header_problems(*, service_type: str, place_of_service: str, telehealth: str) -> list[Problem]:
    problems: list[Problem] = []
    if service_type not in {s.value for s in ServiceType}:
        problems.append(
            Problem(code="service_type_unknown", message="Choose a service type.", field="service_type")
        )
    problems.extend(place_of_service_problems(place_of_service, field="place_of_service"))
    if telehealth not in {t.value for t in TelehealthMode}:
        problems.append(
            Problem(
                code="telehealth_unknown",
                message="Telehealth is audio_video, audio_only or empty.",
                field="telehealth",
            )
        )
    return problems


def note_create(
    *,
    access: PracticeAccess,
    appointment_id: int | None = None,
    patient_id: int | None = None,
    service_type: ServiceType | str | None = None,
    date_of_service: date | None = None,
    place_of_service: str | None = None,
    telehealth: str | None = None,
) -> SessionNote:
    """Start a draft note written by the acting provider.

    From an appointment (`appointment_id`): patient, service type, date of service (the
    appointment's start, in the practice's time zone), place of service and telehealth come
    from it (explicit arguments override service type, place of service and telehealth), and
    the planned times pre-fill one segment for the author to correct. The appointment must be
    the acting provider's, not cancelled or a no-show, and not documented yet.

    Ad hoc (no appointment): `patient_id`, `service_type` and `date_of_service` are required;
    place of service defaults to "11", telehealth to in person. Techs may only document
    patients on their caseload.
    """
    action = AuditEvent.Action.CREATE
    me = _acting_provider(access, action=action, note_id=None)
    zone = practice_zone(practice_id=access.practice_id)
    segment: Segment | None = None
    if appointment_id is not None:
        appointment = selectors.appointment_for_note(
            practice_id=access.practice_id, appointment_id=appointment_id
        )
        if appointment is None:
            _deny(
                access,
                action=action,
                note_id=None,
                reason=f"reason=appointment_not_accessible:{appointment_id}",
            )
            raise NotFound("Appointment not found.")
        if appointment.provider_id != me:
            _deny(
                access, action=action, note_id=None, reason=f"reason=not_rendering_provider:{appointment_id}"
            )
            raise PermissionDenied("Only the appointment's provider can document it.")
        if appointment.existing_note_id is not None:
            raise Conflict(
                "This appointment already has a note.",
                code=NoteErrorCode.NOTE_EXISTS_FOR_APPOINTMENT,
                extra={"note_id": appointment.existing_note_id},
            )
        if AppointmentStatus(appointment.status) in RELEASED_STATUSES:
            raise ValidationFailed(
                "A cancelled or missed appointment has no session to document.",
                field_errors={"appointment_id": ["The appointment was cancelled or missed."]},
            )
        patient_id = appointment.patient_id
        service_type = service_type or appointment.service_type
        date_of_service = appointment.starts_at.astimezone(zone).date()
        place_of_service = place_of_service if place_of_service is not None else appointment.place_of_service
        telehealth = telehealth if telehealth is not None else appointment.telehealth
        segment = Segment(starts_at=appointment.starts_at, ends_at=appointment.ends_at)
    else:
        missing = {
            name: ["This field is required."]
            for name, value in (
                ("patient_id", patient_id),
                ("service_type", service_type),
                ("date_of_service", date_of_service),
            )
            if value in (None, "")
        }
        if missing:
            raise ValidationFailed(field_errors=missing)
    if patient_id is None or date_of_service is None:  # ad hoc without them: reported above
        raise ValidationFailed(field_errors={"patient_id": ["This field is required."]})
    patient = patient_facts(practice_id=access.practice_id, patient_id=patient_id)
    today = timezone.now().astimezone(zone).date()
    if patient is None or (
        access.caseload_scoped and not on_care_team(provider_id=me, patient_id=patient_id, on=today)
    ):
        _deny(access, action=action, note_id=None, reason="reason=patient_not_accessible")
        raise NotFound("Patient not found.")
    service = str(service_type or "")
    pos = (place_of_service or "11").strip()
    mode = telehealth or ""
    problems = _header_problems(service_type=service, place_of_service=pos, telehealth=mode)
    if errors_only(problems):
        raise NoteRuleViolation("The note cannot be started.", problems=problems, code="invalid_note")

    now = timezone.now()
    with transaction.atomic(durable=True):
        note = SessionNote(
            practice_id=access.practice_id,
            patient_id=patient_id,
            appointment_id=appointment_id,
            author_id=me,
            service_type=service,
            date_of_service=date_of_service,
            place_of_service=pos,
            telehealth=mode,
            status=NoteStatus.DRAFT,
            content={},
            version=1,
        )
        _full_clean(note, exclude=["content", "findings", *FK_CHECKED_ABOVE])
        note.save()
        if segment is not None:
            NoteSegment.objects.bulk_create(
                [NoteSegment(note_id=note.pk, starts_at=segment.starts_at, ends_at=segment.ends_at)]
            )
        _record_event(note, access=access, from_status="", to_status=NoteStatus.DRAFT, at=now)
        _audit(
            access,
            action=action,
            note=note,
            detail=f"service={service}" + (f";appointment={appointment_id}" if appointment_id else ""),
        )
    return note


# ---------------------------------------------------------------------------------------------
# Draft saves


def _segment_problems(segments: Sequence[Segment]) -> list[Problem]:
    problems = []
    if len(segments) > MAX_SEGMENTS:
        problems.append(
            Problem(code="too_many_segments", message=f"At most {MAX_SEGMENTS} times.", field="segments")
        )
    for index, segment in enumerate(segments):
        if timezone.is_naive(segment.starts_at) or timezone.is_naive(segment.ends_at):
            problems.append(
                Problem(
                    code="naive_time",
                    message="Times need a time zone offset.",
                    field=f"segments[{index}]",
                )
            )
    return problems


def _measurement_problems(measurements: Sequence[Measurement]) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for index, measurement in enumerate(measurements):
        if not measurement.instrument or len(measurement.instrument) > 32:
            problems.append(
                Problem(
                    code="instrument_invalid",
                    message="Choose an instrument.",
                    field=f"measurements[{index}].instrument",
                )
            )
        if measurement.instrument in seen:
            problems.append(
                Problem(
                    code=Code.MEASUREMENT_REPEATED,
                    message=f"{measurement.instrument} is recorded twice.",
                    field=f"measurements[{index}].instrument",
                )
            )
        seen.add(measurement.instrument)
    return problems


def note_draft_update(
    *,
    access: PracticeAccess,
    note_id: int,
    version: int,
    content: Mapping[str, object] | None = None,
    segments: Sequence[Segment] | None = None,
    measurements: Sequence[Measurement] | None = None,
    diagnosis_ids: Sequence[int] | None = None,
    goals: Sequence[GoalProgress] | None = None,
    service_type: ServiceType | str | None = None,
    date_of_service: date | None = None,
    place_of_service: str | None = None,
    telehealth: str | None = None,
) -> SessionNote:
    """Save the author's draft (status draft or returned). Autosave calls this.

    `version` is the version the editor loaded; a different current version raises Conflict
    ("stale_version", `extra.current_version`). Arguments left as None are unchanged; a given
    `content` replaces the whole content object, and given lists (segments, measurements,
    diagnosis ids in order, goals) replace the stored ones. Shape is validated here; whether
    the note is complete is the documentation checks' job (preview, sign). Bumps `version`.
    """
    action = AuditEvent.Action.UPDATE
    me = _acting_provider(access, action=action, note_id=note_id)
    header = _visible_header(access, note_id=note_id, action=action)
    _require_author(access, header, me=me, action=action)

    problems: list[Problem] = []
    if content is not None:
        problems.extend(content_shape_problems(content))
    if segments is not None:
        problems.extend(_segment_problems(segments))
    if measurements is not None:
        problems.extend(_measurement_problems(measurements))
    if diagnosis_ids is not None:
        wanted = list(diagnosis_ids)
        known = selectors.note_patient_diagnosis_ids(note_id=note_id, diagnosis_ids=wanted)
        if len(set(wanted)) != len(wanted):
            problems.append(
                Problem(code="diagnosis_repeated", message="A diagnosis is listed twice.", field="diagnoses")
            )
        problems.extend(
            Problem(
                code=Code.DIAGNOSIS_NOT_PATIENTS,
                message="A diagnosis addressed is not on this patient's problem list.",
                field=f"diagnoses[{index}]",
            )
            for index, dx in enumerate(wanted)
            if dx not in known
        )
    if goals is not None:
        goal_ids = [g.goal_id for g in goals]
        known_goals = selectors.patient_goal_ids(patient_id=header.patient_id, goal_ids=goal_ids)
        if len(set(goal_ids)) != len(goal_ids):
            problems.append(Problem(code="goal_repeated", message="A goal is listed twice.", field="goals"))
        problems.extend(
            Problem(
                code="goal_not_patients",
                message="A goal is not in this patient's treatment plans.",
                field=f"goals[{i}]",
            )
            for i, goal_id in enumerate(goal_ids)
            if goal_id not in known_goals
        )
    with transaction.atomic(durable=True):
        note = _locked(access, note_id)
        if NoteState(note.status) not in EDITABLE_STATES:
            raise _not_editable(note)
        if note.version != version:
            raise _stale(note)
        new_service = str(service_type) if service_type is not None else note.service_type
        new_pos = place_of_service.strip() if place_of_service is not None else note.place_of_service
        new_mode = telehealth if telehealth is not None else note.telehealth
        problems.extend(
            _header_problems(service_type=new_service, place_of_service=new_pos, telehealth=new_mode)
        )
        if errors_only(problems):
            raise NoteRuleViolation("The draft was not saved.", problems=problems, code="invalid_draft")

        changed = ["version", "updated_at"]
        for field, value in (
            ("service_type", new_service),
            ("place_of_service", new_pos),
            ("telehealth", new_mode),
            ("date_of_service", date_of_service if date_of_service is not None else note.date_of_service),
            ("content", dict(content) if content is not None else note.content),
        ):
            if getattr(note, field) != value:
                setattr(note, field, value)
                changed.append(field)
        note.version += 1
        _full_clean(note, exclude=["content", "findings", *FK_CHECKED_ABOVE])
        note.save(update_fields=changed)
        parts = []
        if segments is not None:
            NoteSegment.objects.filter(note_id=note.pk).delete()
            NoteSegment.objects.bulk_create(
                [
                    NoteSegment(
                        note_id=note.pk, starts_at=s.starts_at, ends_at=s.ends_at, is_crisis=s.is_crisis
                    )
                    for s in segments
                ]
            )
            parts.append("segments")
        if measurements is not None:
            NoteMeasurement.objects.filter(note_id=note.pk).delete()
            NoteMeasurement.objects.bulk_create(
                [
                    NoteMeasurement(note_id=note.pk, instrument=m.instrument, score=m.score)
                    for m in measurements
                ]
            )
            parts.append("measurements")
        if diagnosis_ids is not None:
            NoteDiagnosis.objects.filter(note_id=note.pk).delete()
            NoteDiagnosis.objects.bulk_create(
                [
                    NoteDiagnosis(note_id=note.pk, diagnosis_id=dx, position=position)
                    for position, dx in enumerate(diagnosis_ids, start=1)
                ]
            )
            parts.append("diagnoses")
        if goals is not None:
            NoteGoal.objects.filter(note_id=note.pk).delete()
            NoteGoal.objects.bulk_create(
                [NoteGoal(note_id=note.pk, goal_id=g.goal_id, progress=g.progress) for g in goals]
            )
            parts.append("goals")
        fields = sorted({*changed, *parts} - {"version", "updated_at"})
        _audit(
            access,
            action=action,
            note=note,
            detail=f"draft_saved;version={note.version};fields={','.join(fields)}"[:200],
        )
    return note


# ---------------------------------------------------------------------------------------------
# Sign, co-sign, return


def note_sign(
    *, access: PracticeAccess, note_id: int, attested: bool, version: int | None = None
) -> SessionNote:
    """The author signs a draft or a returned note.

    Runs every documentation check: errors block signing (NoteRuleViolation, code
    "documentation_incomplete", nothing changes); warnings are stored in `findings`. Decides
    whether a co-signature is needed (author's credential, or the payer) and routes the note
    to the author's supervisor on the date of service → `awaiting_cosign`; otherwise → `final`
    (and the claims hand-off is queued). `attested` must be True (the attestation text and
    time are stored). `version`, when given, must match the current version.
    """
    action = AuditEvent.Action.UPDATE
    me = _acting_provider(access, action=action, note_id=note_id)
    header = _visible_header(access, note_id=note_id, action=action)
    _require_author(access, header, me=me, action=action)
    now = timezone.now()
    with transaction.atomic(durable=True):
        note = _locked(access, note_id)
        if version is not None and note.version != version:
            raise _stale(note)
        if NoteState(note.status) not in EDITABLE_STATES:
            raise _not_editable(note)
        zone = practice_zone(practice_id=note.practice_id)
        problems = run_documentation_checks(selectors.note_facts_for(note, now=now, zone=zone))
        errors = errors_only(problems)
        warnings = [p for p in problems if p.severity is Severity.WARNING]
        periods = supervision_periods_for_supervisee(supervisee_id=note.author_id)
        needs_cosign = requires_cosign(
            note.author.credential,
            selectors.payer_requires_cosign(note=note),
            author_is_supervised=bool(supervisors_on(note.date_of_service, periods)),
        )
        target = target_state_for_sign(needs_cosign)
        transition = TransitionFacts(
            actor_provider_id=me,
            author_provider_id=note.author_id,
            requires_cosign=needs_cosign,
            supervisor_ids=frozenset(supervisors_on(note.date_of_service, periods)),
            documentation_errors=tuple(errors),
            attested=attested,
            action=NoteAction.SIGN,
        )
        _raise_transition_problems(
            transition_problems(note.status, target, transition),
            message="The note cannot be signed yet.",
            extra=[*errors, *warnings],
        )
        from_status = note.status
        _record_signed_diagnoses(note.pk, keep_recorded=False)
        values: dict[str, Any] = {
            "status": target,
            "requires_cosign": needs_cosign,
            "supervisor_id": supervisor_on(note.date_of_service, periods) if needs_cosign else None,
            "signed_at": now,
            "signed_by_id": access.user_id,
            "attestation": _signature(
                SIGN_ATTESTATION,
                name=note.author.full_name,
                credential=note.author.credential,
                at=now,
                zone=zone,
            ),
            "findings": [problem_to_dict(p) for p in warnings],
            "cosigned_at": None,
            "cosigned_by": None,
            "cosign_attestation": "",
            "finalized_at": now if target == NoteState.FINAL else None,
            "updated_at": now,
        }
        _apply(
            note,
            SessionNote.objects.filter(pk=note.pk, status=from_status, version=note.version),
            values,
            conflict="The note changed while signing; reload it.",
        )
        _record_event(note, access=access, from_status=from_status, to_status=target, at=now)
        _audit(
            access, action=action, note=note, detail=f"sign:{from_status}->{target};warnings={len(warnings)}"
        )
        _hand_off_if_final(note, target)
    return note


def note_cosign(*, access: PracticeAccess, note_id: int, attested: bool) -> SessionNote:
    """A supervisor of the author on the date of service co-signs: awaiting_cosign → final.

    Concurrent co-sign and return: the row lock and the conditional update let exactly one
    win; the other gets Conflict ("transition_conflict"). Queues the claims hand-off.
    """
    action = AuditEvent.Action.UPDATE
    me = _acting_provider(access, action=action, note_id=note_id)
    header = _visible_header(access, note_id=note_id, action=action)
    supervisors = _require_supervisor(access, header, me=me, action=action)
    now = timezone.now()
    with transaction.atomic(durable=True):
        note = _locked(access, note_id)
        _raise_transition_problems(
            transition_problems(
                note.status,
                NoteState.FINAL,
                TransitionFacts(
                    actor_provider_id=me,
                    author_provider_id=note.author_id,
                    requires_cosign=note.requires_cosign,
                    supervisor_ids=supervisors,
                    attested=attested,
                    action=NoteAction.COSIGN,
                ),
            ),
            message="The note cannot be co-signed.",
        )
        signer = provider_get(access=access, provider_id=me)
        _record_signed_diagnoses(note.pk, keep_recorded=True)
        values: dict[str, Any] = {
            "status": NoteStatus.FINAL,
            "supervisor_id": me,
            "cosigned_at": now,
            "cosigned_by_id": access.user_id,
            "cosign_attestation": _signature(
                COSIGN_ATTESTATION,
                name=signer.full_name,
                credential=signer.credential,
                at=now,
                zone=practice_zone(practice_id=note.practice_id),
            ),
            "finalized_at": now,
            "updated_at": now,
        }
        _apply(
            note,
            SessionNote.objects.filter(pk=note.pk, status=NoteStatus.AWAITING_COSIGN),
            values,
            conflict="Someone acted on this note first; reload it.",
        )
        _record_event(
            note, access=access, from_status=NoteStatus.AWAITING_COSIGN, to_status=NoteStatus.FINAL, at=now
        )
        _audit(access, action=action, note=note, detail="cosign:awaiting_cosign->final")
        _hand_off_if_final(note, NoteStatus.FINAL)
    return note


def note_return(*, access: PracticeAccess, note_id: int, comment: str) -> SessionNote:
    """A supervisor of the author on the date of service returns the note for revision with
    comments (required): awaiting_cosign → returned. The author's signature is cleared; the
    author revises and signs again. Exactly one of concurrent co-sign/return wins."""
    action = AuditEvent.Action.UPDATE
    me = _acting_provider(access, action=action, note_id=note_id)
    header = _visible_header(access, note_id=note_id, action=action)
    supervisors = _require_supervisor(access, header, me=me, action=action)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationFailed(field_errors={"comment": [f"At most {MAX_COMMENT_CHARS} characters."]})
    now = timezone.now()
    with transaction.atomic(durable=True):
        note = _locked(access, note_id)
        _raise_transition_problems(
            transition_problems(
                note.status,
                NoteState.RETURNED,
                TransitionFacts(
                    actor_provider_id=me,
                    author_provider_id=note.author_id,
                    requires_cosign=note.requires_cosign,
                    supervisor_ids=supervisors,
                    comment=comment,
                    action=NoteAction.RETURN,
                ),
            ),
            message="The note cannot be returned.",
        )
        _apply(
            note,
            SessionNote.objects.filter(pk=note.pk, status=NoteStatus.AWAITING_COSIGN),
            {
                "status": NoteStatus.RETURNED,
                "signed_at": None,
                "signed_by": None,
                "attestation": "",
                "updated_at": now,
            },
            conflict="Someone acted on this note first; reload it.",
        )
        _forget_signed_diagnoses(note.pk)
        _record_event(
            note,
            access=access,
            from_status=NoteStatus.AWAITING_COSIGN,
            to_status=NoteStatus.RETURNED,
            at=now,
            comment=comment,
        )
        _audit(access, action=action, note=note, detail="return:awaiting_cosign->returned")
    return note


# ---------------------------------------------------------------------------------------------
# Addenda and deleting drafts


def note_addendum_add(*, access: PracticeAccess, note_id: int, reason: str, text: str) -> NoteAddendum:
    """Add a correction to a final note (the only way to change one). The author, or a
    supervisor of the author on the date of service (or the co-signer), may add one."""
    action = AuditEvent.Action.CREATE
    me = _acting_provider(access, action=action, note_id=note_id)
    header = _visible_header(access, note_id=note_id, action=action)
    if me != header.author_id and me != header.supervisor_id:
        _require_supervisor(access, header, me=me, action=action)
    reason = (reason or "").strip()
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Say why you are adding to the note."]
    elif len(reason) > MAX_REASON_CHARS:
        errors["reason"] = [f"At most {MAX_REASON_CHARS} characters."]
    if not text:
        errors["text"] = ["Write the addendum."]
    elif len(text) > MAX_ADDENDUM_CHARS:
        errors["text"] = [f"At most {MAX_ADDENDUM_CHARS} characters."]
    now = timezone.now()
    with transaction.atomic(durable=True):
        note = _locked(access, note_id)
        if note.status != NoteStatus.FINAL:
            raise Conflict(
                "Only a final note takes addenda; edit the note instead.",
                code=NoteErrorCode.NOTE_NOT_EDITABLE,
                extra={"status": note.status},
            )
        if errors:
            raise ValidationFailed(field_errors=errors)
        addendum = NoteAddendum(
            note_id=note.pk, author_id=access.user_id, reason=reason, text=text, created_at=now
        )
        _full_clean(addendum, exclude=["note", "author"])
        addendum.save()
        _audit(access, action=action, note=note, detail=f"addendum={addendum.pk}")
    return addendum


def note_full_open(*, access: PracticeAccess, note_id: int, purpose: str, detail: str) -> FullNoteOpening:
    """A billing reader opens a final note's full text for a stated purpose, for 30 minutes.

    Permission first: the note must be in the reader's scope (else NotFound, audited) and the
    rule must offer the opening (not a clinical reader, who sees it all already; never a 42 CFR
    Part 2 patient without an active consent): else PermissionDenied, audited. Then the purpose
    and its detail are checked. The opening is an audit event (purpose, never the free text).
    """
    action = AuditEvent.Action.VIEW
    note, disclosure = selectors.note_for_full_opening(access=access, note_id=note_id)
    if not disclosure.may_open_full:
        _deny(access, action=action, note_id=note_id, reason="reason=full_note_not_offered")
        raise PermissionDenied(disclosure.reason or "You see this note in full already.")
    problems = full_note_open_problems(purpose=purpose, detail=detail)
    if problems:
        raise ValidationFailed(field_errors=field_errors(problems))
    now = timezone.now()
    with transaction.atomic(durable=True):
        opening = FullNoteOpening(
            practice_id=access.practice_id,
            note_id=note.pk,
            user_id=access.user_id,
            purpose=purpose,
            detail=detail.strip(),
            opened_at=now,
            expires_at=full_note_expires_at(now),
        )
        opening.full_clean(exclude=["practice", "note", "user"])
        opening.save()
        _audit(
            access,
            action=action,
            note=note,
            detail=f"full_note_opened;purpose={purpose};minutes={FULL_NOTE_MINUTES};opening={opening.pk}",
        )
    return opening


def note_delete_draft(*, access: PracticeAccess, note_id: int) -> None:
    """The author deletes a draft that was never signed (a returned note cannot be deleted)."""
    action = AuditEvent.Action.DELETE
    me = _acting_provider(access, action=action, note_id=note_id)
    header = _visible_header(access, note_id=note_id, action=action)
    _require_author(access, header, me=me, action=action)
    with transaction.atomic(durable=True):
        note = _locked(access, note_id)
        if note.status != NoteStatus.DRAFT:
            raise Conflict(
                "Only a draft that was never signed can be deleted.",
                code=NoteErrorCode.NOTE_NOT_EDITABLE,
                extra={"status": note.status},
            )
        _audit(access, action=action, note=note, detail="draft_deleted")
        note.delete()


# ---------------------------------------------------------------------------------------------
# Co-sign reminders


def cosign_reminders_send(*, today: date, overdue_days: int | None = None) -> list[CosignReminder]:
    """Record one reminder per overdue note per day and email each supervisor once (no PHI in
    the email: a count and where to look). Idempotent: a second run on the same day finds the
    reminders already recorded and sends nothing. Returns the reminders created now."""
    days = settings.COSIGN_OVERDUE_DAYS if overdue_days is None else overdue_days
    overdue = selectors.overdue_cosigns(today=today, overdue_days=days)
    now = timezone.now()
    created: list[CosignReminder] = []
    per_supervisor: dict[str, list[int]] = defaultdict(list)
    with transaction.atomic(durable=True):
        for item in overdue:
            reminder, was_created = CosignReminder.objects.get_or_create(
                note_id=item.note_id,
                sent_on=today,
                defaults={
                    "supervisor_id": item.supervisor_id,
                    "days_waiting": item.days_waiting,
                    "created_at": now,
                },
            )
            if was_created:
                created.append(reminder)
                if item.supervisor_email:
                    per_supervisor[item.supervisor_email].append(item.days_waiting)
        for email, waits in per_supervisor.items():
            transaction.on_commit(partial(_send_reminder, email, waits, days))
    return created


def _send_reminder(email: str, waits: list[int], overdue_days: int) -> None:
    count = len(waits)
    plural = "s" if count != 1 else ""
    send_mail(
        subject=f"Parity: {count} note{plural} waiting for your co-signature",
        message=(
            f"{count} session note{plural} {'have' if count != 1 else 'has'} been waiting for your "
            f"co-signature for {overdue_days} days or more (the oldest for {max(waits)} days).\n\n"
            "Open your co-sign queue in Parity to review and co-sign or return them."
        ),
        from_email=None,
        recipient_list=[email],
    )
