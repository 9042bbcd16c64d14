"""Scheduling use cases: book, reschedule, change status, group sessions and their rosters.

Each opens `transaction.atomic(durable=True)`, locks what it changes, runs the pure rules in
`scheduling.domain`, saves with `full_clean()`, appends an `AppointmentEvent` for every status
change (booking included: "" → scheduled) and writes the audit event in the same transaction.
On any error nothing is written.

Who may do what (capabilities in accounts.domain.roles):
- SCHEDULE_EDIT (clinicians, supervisors, billers, practice admins): book, reschedule and change
  the status of any appointment in the practice; create groups and edit rosters.
- SCHEDULE_VIEW only (technicians): check in (arrived) and complete their OWN appointments.

Times: `starts_at`/`ends_at` may be aware (an instant) or naive (a wall clock in the practice's
time zone; see scheduling.domain.times for the DST rules). Non-blocking findings (double-booked
patient, not on caseload, ambiguous fall-back time) come back as `warnings`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import audit_event_record
from core.domain.problems import Problem, Severity, field_errors
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.formatting import moment_label
from core.validation import raise_for_problems
from patients.selectors import on_care_team
from practice.lock_objects import providers_lock
from practice.selectors import practice_zone
from scheduling import selectors
from scheduling.domain.rules import (
    appointment_problems,
    place_of_service_for,
    roster_add_problems,
    roster_problems,
    roster_remove_problems,
    time_problems,
)
from scheduling.domain.status import reschedule_problems, status_change_permitted, transition_problems
from scheduling.domain.times import wall_time_to_utc
from scheduling.domain.types import AppointmentFacts, AppointmentStatus, Code
from scheduling.lock_objects import appointment_lock, group_session_lock
from scheduling.models import Appointment, AppointmentEvent, GroupSession

ROSTER_REMOVED_REASON = "Removed from the group roster"


@dataclass(frozen=True)
class BookingOutcome:
    appointment: Appointment
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class GroupOutcome:
    group_session: GroupSession
    appointments: tuple[Appointment, ...]
    warnings: tuple[Problem, ...] = ()


# ---------------------------------------------------------------------------------------------
# Helpers


def _raise_if_errors(problems: Sequence[Problem], message: str) -> None:
    raise_for_problems(problems, message=message, single_error_message=True)


def _warnings(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    seen: list[Problem] = []
    for p in problems:
        if p.severity is Severity.WARNING and p not in seen:
            seen.append(p)
    return tuple(seen)


def _clean(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        raise ValidationFailed(field_errors=error.message_dict) from error


def _resolve_times(
    starts_at: dt.datetime, ends_at: dt.datetime, zone: ZoneInfo
) -> tuple[dt.datetime, dt.datetime, list[Problem]]:
    start, start_findings = wall_time_to_utc(starts_at, zone, field="starts_at")
    end, end_findings = wall_time_to_utc(ends_at, zone, field="ends_at")
    findings = [*start_findings, *end_findings]
    if start is None or end is None:
        raise ValidationFailed(
            "This time does not exist in the practice's time zone.", field_errors=field_errors(findings)
        )
    return start, end, findings


def _event(
    appointment: Appointment, *, access: PracticeAccess | None, before: str, after: str, note: str
) -> None:
    AppointmentEvent.objects.create(
        appointment=appointment,
        actor_id=access.user_id if access is not None else None,
        from_status=before,
        to_status=after,
        note=note[:200],
    )


def _audit(access: PracticeAccess, *, action: str, appointment: Appointment, detail: str) -> None:
    audit_event_record(
        context=access.audit,
        action=action,
        category=Category.APPOINTMENT,
        practice_id=access.practice_id,
        patient_id=appointment.patient_id,
        object_type="appointment",
        object_id=appointment.pk,
        detail=detail,
    )


@dataclass(frozen=True)
class _Subjects:
    patients: dict[int, selectors.PatientFacts]
    provider: selectors.ProviderFacts
    location: selectors.LocationFacts | None


def _load_subjects(
    *,
    practice_id: int,
    patient_ids: Sequence[int],
    provider_id: int,
    location_id: int | None,
    patient_field: str,
) -> _Subjects:
    """The practice's patient(s), provider and location; ValidationFailed naming what is missing.

    Another practice's record is reported exactly like a missing one.
    """
    errors: dict[str, list[str]] = {}
    patients: dict[int, selectors.PatientFacts] = {}
    for patient_id in patient_ids:
        facts = selectors.patient_facts(practice_id=practice_id, patient_id=patient_id)
        if facts is None:
            errors.setdefault(patient_field, []).append("No such patient in this practice.")
        else:
            patients[patient_id] = facts
    provider = selectors.provider_facts(practice_id=practice_id, provider_id=provider_id)
    if provider is None:
        errors["provider_id"] = ["No such provider in this practice."]
    location = None
    if location_id is not None:
        location = selectors.location_facts(practice_id=practice_id, location_id=location_id)
        if location is None:
            errors["location_id"] = ["No such location in this practice."]
    if errors or provider is None:
        raise ValidationFailed("The appointment cannot be booked.", field_errors=errors)
    return _Subjects(patients=patients, provider=provider, location=location)


def _facts(
    *,
    practice_id: int,
    patient: selectors.PatientFacts,
    provider: selectors.ProviderFacts,
    location: selectors.LocationFacts | None,
    service_type: str,
    telehealth: str,
    start: dt.datetime,
    end: dt.datetime,
    today: dt.date,
    appointment_id: int | None = None,
    group_session_id: int | None = None,
) -> AppointmentFacts:
    return AppointmentFacts(
        practice_id=practice_id,
        patient_id=patient.patient_id,
        patient_practice_id=patient.practice_id,
        patient_active=patient.is_active,
        provider_id=provider.provider_id,
        provider_practice_id=provider.practice_id,
        provider_active=provider.is_active,
        service_type=service_type,
        telehealth=telehealth,
        starts_at=start,
        ends_at=end,
        location_id=location.location_id if location is not None else None,
        location_practice_id=location.practice_id if location is not None else None,
        location_active=location.is_active if location is not None else True,
        patient_on_caseload=on_care_team(
            provider_id=provider.provider_id, patient_id=patient.patient_id, on=today
        ),
        appointment_id=appointment_id,
        group_session_id=group_session_id,
    )


def _wall(moment: dt.datetime, zone: ZoneInfo) -> str:
    return moment_label(moment, zone)


# ---------------------------------------------------------------------------------------------
# Individual appointments


def appointment_schedule(
    *,
    access: PracticeAccess,
    patient_id: int,
    provider_id: int,
    service_type: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location_id: int | None = None,
    telehealth: str = "",
    patient_at_home: bool = False,
) -> BookingOutcome:
    """Book one patient with one rendering provider. Group services go through groups."""
    access.require(Capability.SCHEDULE_EDIT)
    with transaction.atomic(durable=True):
        zone = practice_zone(practice_id=access.practice_id)
        start, end, time_findings = _resolve_times(starts_at, ends_at, zone)
        subjects = _load_subjects(
            practice_id=access.practice_id,
            patient_ids=[patient_id],
            provider_id=provider_id,
            location_id=location_id,
            patient_field="patient_id",
        )
        providers_lock(practice_id=access.practice_id, provider_ids=[provider_id])
        booked = selectors.booked_slots(
            practice_id=access.practice_id,
            provider_id=provider_id,
            patient_ids=[patient_id],
            start=start,
            end=end,
        )
        facts = _facts(
            practice_id=access.practice_id,
            patient=subjects.patients[patient_id],
            provider=subjects.provider,
            location=subjects.location,
            service_type=service_type,
            telehealth=telehealth,
            start=start,
            end=end,
            today=timezone.now().astimezone(zone).date(),
        )
        problems = [*time_findings, *appointment_problems(facts, booked=booked)]
        _raise_if_errors(problems, "The appointment cannot be booked.")
        at_home = bool(telehealth) and patient_at_home
        appointment = Appointment(
            practice_id=access.practice_id,
            patient_id=patient_id,
            provider_id=provider_id,
            service_type=service_type,
            starts_at=start,
            ends_at=end,
            location_id=location_id,
            telehealth=telehealth,
            patient_at_home=at_home,
            place_of_service=place_of_service_for(
                telehealth=telehealth,
                location_pos=subjects.location.default_place_of_service if subjects.location else None,
                patient_at_home=at_home,
            ),
            status=AppointmentStatus.SCHEDULED,
        )
        _clean(appointment)
        appointment.save()
        _event(appointment, access=access, before="", after=AppointmentStatus.SCHEDULED, note="Booked")
        _audit(access, action=AuditEvent.Action.CREATE, appointment=appointment, detail="op=schedule")
    return BookingOutcome(appointment=appointment, warnings=_warnings(problems))


def appointment_reschedule(
    *,
    access: PracticeAccess,
    appointment_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    provider_id: int | None = None,
    location_id: int | None = None,
) -> BookingOutcome:
    """Move a scheduled appointment (optionally to another provider or location).

    `provider_id`/`location_id` None keep the current ones. The place of service is worked out
    again when the location changes. An event (scheduled → scheduled) records the old time.
    """
    access.require(Capability.SCHEDULE_EDIT)
    with transaction.atomic(durable=True):
        appointment = appointment_lock(practice_id=access.practice_id, appointment_id=appointment_id)
        if appointment is None:
            raise NotFound()
        _raise_if_errors(
            reschedule_problems(
                current=AppointmentStatus(appointment.status), group_session_id=appointment.group_session_id
            ),
            "The appointment cannot be rescheduled.",
        )
        zone = practice_zone(practice_id=access.practice_id)
        start, end, time_findings = _resolve_times(starts_at, ends_at, zone)
        new_provider_id = provider_id if provider_id is not None else appointment.provider_id
        new_location_id = location_id if location_id is not None else appointment.location_id
        subjects = _load_subjects(
            practice_id=access.practice_id,
            patient_ids=[appointment.patient_id],
            provider_id=new_provider_id,
            location_id=new_location_id,
            patient_field="patient_id",
        )
        providers_lock(practice_id=access.practice_id, provider_ids=[new_provider_id])
        booked = selectors.booked_slots(
            practice_id=access.practice_id,
            provider_id=new_provider_id,
            patient_ids=[appointment.patient_id],
            start=start,
            end=end,
        )
        facts = _facts(
            practice_id=access.practice_id,
            patient=subjects.patients[appointment.patient_id],
            provider=subjects.provider,
            location=subjects.location,
            service_type=appointment.service_type,
            telehealth=appointment.telehealth,
            start=start,
            end=end,
            today=timezone.now().astimezone(zone).date(),
            appointment_id=appointment.pk,
        )
        problems = [*time_findings, *appointment_problems(facts, booked=booked)]
        _raise_if_errors(problems, "The appointment cannot be rescheduled.")
        note = f"Rescheduled from {_wall(appointment.starts_at, zone)}"
        if new_provider_id != appointment.provider_id:
            note += f"; provider #{appointment.provider_id} → #{new_provider_id}"
        appointment.starts_at = start
        appointment.ends_at = end
        appointment.provider_id = new_provider_id
        appointment.location_id = new_location_id
        appointment.place_of_service = place_of_service_for(
            telehealth=appointment.telehealth,
            location_pos=subjects.location.default_place_of_service if subjects.location else None,
            patient_at_home=appointment.patient_at_home,
        )
        _clean(appointment)
        appointment.save(
            update_fields=["starts_at", "ends_at", "provider", "location", "place_of_service", "updated_at"]
        )
        _event(
            appointment,
            access=access,
            before=AppointmentStatus.SCHEDULED,
            after=AppointmentStatus.SCHEDULED,
            note=note,
        )
        _audit(access, action=AuditEvent.Action.UPDATE, appointment=appointment, detail="op=reschedule")
    return BookingOutcome(appointment=appointment, warnings=_warnings(problems))


def appointment_set_status(
    *, access: PracticeAccess, appointment_id: int, status: str, reason: str = ""
) -> Appointment:
    """Arrived, completed, cancelled (with a reason) or no-show, following the allowed transitions.

    A technician may mark only their own appointments arrived or completed. Their caseload's
    other appointments are visible to them (403 on change); anything else is NotFound.
    """
    access.require(Capability.SCHEDULE_VIEW)
    try:
        target = AppointmentStatus(status)
    except ValueError:
        raise ValidationFailed(field_errors={"status": ["Choose a valid status."]}) from None
    reason = reason.strip()
    with transaction.atomic(durable=True):
        appointment = appointment_lock(practice_id=access.practice_id, appointment_id=appointment_id)
        if appointment is None:
            raise NotFound()
        own = access.provider_id is not None and appointment.provider_id == access.provider_id
        can_edit = access.can(Capability.SCHEDULE_EDIT)
        if access.caseload_scoped and not own:
            zone = practice_zone(practice_id=access.practice_id)
            visible = access.provider_id is not None and on_care_team(
                provider_id=access.provider_id,
                patient_id=appointment.patient_id,
                on=timezone.now().astimezone(zone).date(),
            )
            if not visible:
                raise NotFound()
        if not status_change_permitted(can_edit_schedule=can_edit, is_own_appointment=own, target=target):
            raise PermissionDenied("You may only check in or complete your own appointments.")
        current = AppointmentStatus(appointment.status)
        now = timezone.now()
        _raise_if_errors(
            transition_problems(
                current=current, target=target, starts_at=appointment.starts_at, now=now, reason=reason
            ),
            "The status cannot change.",
        )
        changes: dict[str, object] = {"status": target.value, "updated_at": now}
        if target is AppointmentStatus.CANCELLED:
            changes["cancel_reason"] = reason[:200]
        updated = Appointment.objects.filter(pk=appointment.pk, status=current).update(**changes)
        if updated != 1:
            raise Conflict("The appointment changed meanwhile; reload and try again.")
        appointment.refresh_from_db()
        _event(appointment, access=access, before=current, after=target, note=reason)
        _audit(
            access, action=AuditEvent.Action.UPDATE, appointment=appointment, detail=f"status={target.value}"
        )
    return appointment


# ---------------------------------------------------------------------------------------------
# Group sessions


def group_session_create(
    *,
    access: PracticeAccess,
    provider_id: int,
    title: str,
    service_type: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    patient_ids: Sequence[int],
    location_id: int | None = None,
    telehealth: str = "",
) -> GroupOutcome:
    """A group session and one appointment per patient on the roster (all or nothing)."""
    access.require(Capability.SCHEDULE_EDIT)
    patient_ids = list(patient_ids)
    _raise_if_errors(roster_problems(patient_ids, title=title), "The group cannot be created.")
    with transaction.atomic(durable=True):
        zone = practice_zone(practice_id=access.practice_id)
        start, end, time_findings = _resolve_times(starts_at, ends_at, zone)
        _raise_if_errors([*time_findings, *time_problems(start, end)], "The group cannot be created.")
        subjects = _load_subjects(
            practice_id=access.practice_id,
            patient_ids=patient_ids,
            provider_id=provider_id,
            location_id=location_id,
            patient_field="patient_ids",
        )
        providers_lock(practice_id=access.practice_id, provider_ids=[provider_id])
        group = GroupSession(
            practice_id=access.practice_id,
            provider_id=provider_id,
            title=title.strip(),
            service_type=service_type,
            starts_at=start,
            ends_at=end,
            location_id=location_id,
            telehealth=telehealth,
        )
        _clean(group)
        group.save()
        booked = selectors.booked_slots(
            practice_id=access.practice_id,
            provider_id=provider_id,
            patient_ids=patient_ids,
            start=start,
            end=end,
        )
        today = timezone.now().astimezone(zone).date()
        problems: list[Problem] = list(time_findings)
        for patient_id in patient_ids:
            patient = subjects.patients[patient_id]
            facts = _facts(
                practice_id=access.practice_id,
                patient=patient,
                provider=subjects.provider,
                location=subjects.location,
                service_type=service_type,
                telehealth=telehealth,
                start=start,
                end=end,
                today=today,
                group_session_id=group.pk,
            )
            problems.extend(_roster_field(p, patient) for p in appointment_problems(facts, booked=booked))
        problems = list(dict.fromkeys(problems))  # one provider clash is one message, not one per patient
        _raise_if_errors(problems, "The group cannot be created.")
        pos = place_of_service_for(
            telehealth=telehealth,
            location_pos=subjects.location.default_place_of_service if subjects.location else None,
            patient_at_home=False,
        )
        appointments = []
        for patient_id in patient_ids:
            appointment = _roster_appointment(group, patient_id=patient_id, place_of_service=pos)
            _event(
                appointment,
                access=access,
                before="",
                after=AppointmentStatus.SCHEDULED,
                note="Booked in group",
            )
            _audit(
                access,
                action=AuditEvent.Action.CREATE,
                appointment=appointment,
                detail=f"op=group;group={group.pk}",
            )
            appointments.append(appointment)
        audit_event_record(
            context=access.audit,
            action=AuditEvent.Action.CREATE,
            category=Category.APPOINTMENT,
            practice_id=access.practice_id,
            object_type="group_session",
            object_id=group.pk,
            detail=f"roster={len(appointments)}",
        )
    return GroupOutcome(group_session=group, appointments=tuple(appointments), warnings=_warnings(problems))


PER_PATIENT_CODES = frozenset({Code.PATIENT_INACTIVE, Code.PATIENT_DOUBLE_BOOKED, Code.NOT_ON_CASELOAD})


def _roster_field(problem: Problem, patient: selectors.PatientFacts) -> Problem:
    """Findings about one roster patient name them and point at the roster field."""
    if problem.code not in PER_PATIENT_CODES:
        return problem
    return Problem(
        problem.code, f"{patient.label}: {problem.message}", "patient_ids", problem.severity, problem.fix_hint
    )


def _roster_appointment(group: GroupSession, *, patient_id: int, place_of_service: str) -> Appointment:
    appointment = Appointment(
        practice_id=group.practice_id,
        patient_id=patient_id,
        provider_id=group.provider_id,
        service_type=group.service_type,
        starts_at=group.starts_at,
        ends_at=group.ends_at,
        location_id=group.location_id,
        telehealth=group.telehealth,
        place_of_service=place_of_service,
        group_session=group,
        status=AppointmentStatus.SCHEDULED,
    )
    _clean(appointment)  # includes the once-per-group unique constraint
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:  # a concurrent add of the same patient won the race
        raise Conflict("The patient was just added to this group.") from error
    return appointment


def _group_for_change(access: PracticeAccess, group_session_id: int) -> GroupSession:
    group = group_session_lock(practice_id=access.practice_id, group_session_id=group_session_id)
    if group is None:
        raise NotFound()
    return group


def group_roster_add(*, access: PracticeAccess, group_session_id: int, patient_id: int) -> BookingOutcome:
    """Put a patient on the roster: a new appointment, or the cancelled one reinstated."""
    access.require(Capability.SCHEDULE_EDIT)
    with transaction.atomic(durable=True):
        group = _group_for_change(access, group_session_id)
        existing = Appointment.objects.filter(group_session_id=group.pk, patient_id=patient_id).first()
        _raise_if_errors(
            roster_add_problems(AppointmentStatus(existing.status) if existing is not None else None),
            "The patient cannot be added.",
        )
        zone = practice_zone(practice_id=access.practice_id)
        subjects = _load_subjects(
            practice_id=access.practice_id,
            patient_ids=[patient_id],
            provider_id=group.provider_id,
            location_id=group.location_id,
            patient_field="patient_id",
        )
        booked = selectors.booked_slots(
            practice_id=access.practice_id,
            provider_id=group.provider_id,
            patient_ids=[patient_id],
            start=group.starts_at,
            end=group.ends_at,
        )
        facts = _facts(
            practice_id=access.practice_id,
            patient=subjects.patients[patient_id],
            provider=subjects.provider,
            location=subjects.location,
            service_type=group.service_type,
            telehealth=group.telehealth,
            start=group.starts_at,
            end=group.ends_at,
            today=timezone.now().astimezone(zone).date(),
            appointment_id=existing.pk if existing is not None else None,
            group_session_id=group.pk,
        )
        problems = appointment_problems(facts, booked=booked)
        _raise_if_errors(problems, "The patient cannot be added.")
        if existing is not None:
            updated = Appointment.objects.filter(pk=existing.pk, status=AppointmentStatus.CANCELLED).update(
                status=AppointmentStatus.SCHEDULED, cancel_reason="", updated_at=timezone.now()
            )
            if updated != 1:
                raise Conflict("The roster changed meanwhile; reload and try again.")
            existing.refresh_from_db()
            appointment = existing
            _event(
                appointment,
                access=access,
                before=AppointmentStatus.CANCELLED,
                after=AppointmentStatus.SCHEDULED,
                note="Back on the group roster",
            )
            _audit(
                access,
                action=AuditEvent.Action.UPDATE,
                appointment=appointment,
                detail=f"op=roster_add;group={group.pk}",
            )
        else:
            pos = place_of_service_for(
                telehealth=group.telehealth,
                location_pos=subjects.location.default_place_of_service if subjects.location else None,
                patient_at_home=False,
            )
            appointment = _roster_appointment(group, patient_id=patient_id, place_of_service=pos)
            _event(
                appointment,
                access=access,
                before="",
                after=AppointmentStatus.SCHEDULED,
                note="Added to group",
            )
            _audit(
                access,
                action=AuditEvent.Action.CREATE,
                appointment=appointment,
                detail=f"op=roster_add;group={group.pk}",
            )
    return BookingOutcome(appointment=appointment, warnings=_warnings(problems))


def group_roster_remove(
    *, access: PracticeAccess, group_session_id: int, patient_id: int, reason: str = ""
) -> Appointment:
    """Take a patient off the roster: their group appointment is cancelled (history kept)."""
    access.require(Capability.SCHEDULE_EDIT)
    with transaction.atomic(durable=True):
        group = _group_for_change(access, group_session_id)
        existing = (
            Appointment.objects.select_for_update(of=("self",))
            .filter(group_session_id=group.pk, patient_id=patient_id)
            .first()
        )
        _raise_if_errors(
            roster_remove_problems(AppointmentStatus(existing.status) if existing is not None else None),
            "The patient cannot be removed.",
        )
        if existing is None:  # (reported above; this narrows the type)
            raise NotFound()
        note = reason.strip() or ROSTER_REMOVED_REASON
        updated = Appointment.objects.filter(pk=existing.pk, status=AppointmentStatus.SCHEDULED).update(
            status=AppointmentStatus.CANCELLED, cancel_reason=note[:200], updated_at=timezone.now()
        )
        if updated != 1:
            raise Conflict("The roster changed meanwhile; reload and try again.")
        existing.refresh_from_db()
        _event(
            existing,
            access=access,
            before=AppointmentStatus.SCHEDULED,
            after=AppointmentStatus.CANCELLED,
            note=note,
        )
        _audit(
            access,
            action=AuditEvent.Action.UPDATE,
            appointment=existing,
            detail=f"op=roster_remove;group={group.pk}",
        )
    return existing
