"""Reads of the schedule. Every PHI read is scoped by practice (techs: own + caseload) and audited.

Audit: each public function that returns appointments to a person writes ONE event, category
`appointment` (`list` for lists with the filters and the count in `detail`, `view` for one
appointment with its patient id). `upcoming_appointments` is a system read for background jobs
(eligibility checks, authorization forecasts): it takes an optional system `AuditContext` and
writes one `list` event only when given one.

Times: rows carry the UTC instants and the same instants in the practice's zone, plus ready-made
labels; an appointment crossing midnight is listed on the day it starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from accounts.access import PracticeAccess
from accounts.domain.roles import Capability
from audit.domain.categories import Category
from audit.models import AuditEvent
from audit.services import AuditContext, audit_event_record
from core.domain.service_types import SERVICE_TYPE_LABELS, ServiceType
from core.errors import NotFound, ValidationFailed
from patients.selectors import caseload_patient_ids, patient_list_for_user
from practice.domain.place_of_service import place_of_service_label
from practice.models import Location, Practice, Provider
from practice.selectors import location_list, practice_zone, provider_choices
from scheduling.domain.status import next_statuses, status_change_permitted
from scheduling.domain.times import local_range_bounds, to_local, week_start
from scheduling.domain.types import STATUS_LABELS, AppointmentStatus, BookedSlot
from scheduling.models import Appointment, AppointmentEvent, GroupSession, Telehealth

MAX_RANGE_DAYS = 62
PICKER_LIMIT = 200
ACTIVE_STATUSES = (AppointmentStatus.SCHEDULED, AppointmentStatus.ARRIVED)
TELEHEALTH_LABELS = dict(Telehealth.choices)
STATUS_CSS = {
    AppointmentStatus.SCHEDULED: "",
    AppointmentStatus.ARRIVED: "warn",
    AppointmentStatus.COMPLETED: "ok",
    AppointmentStatus.CANCELLED: "bad",
    AppointmentStatus.NO_SHOW: "bad",
}


# ---------------------------------------------------------------------------------------------
# View models


@dataclass(frozen=True, slots=True)
class AppointmentView:
    """One appointment as screens and the API show it (times ready-made in the practice's zone)."""

    appointment_id: int
    practice_id: int
    patient_id: int
    patient_name: str
    provider_id: int
    provider_name: str
    service_type: str
    service_label: str
    starts_at: dt.datetime  # aware, UTC
    ends_at: dt.datetime
    starts_local: dt.datetime  # aware, practice zone
    ends_local: dt.datetime
    timezone: str
    date_of_service: dt.date  # the local date it starts
    time_label: str  # "09:00–10:00", "23:30–00:30 (+1 day)"
    duration_minutes: int
    crosses_midnight: bool
    location_id: int | None
    location_name: str
    place_of_service: str
    place_of_service_label: str
    telehealth: str
    telehealth_label: str
    patient_at_home: bool
    group_session_id: int | None
    group_title: str
    status: str
    status_label: str
    status_css: str  # badge class: ok / warn / bad / ""
    cancel_reason: str
    note_id: int | None  # the session note written for it, if any


@dataclass(frozen=True, slots=True)
class AppointmentEventView:
    from_status: str
    to_status: str
    label: str  # "Scheduled → Arrived"
    actor: str
    at_local: dt.datetime
    note: str


@dataclass(frozen=True, slots=True)
class StatusAction:
    status: str
    label: str
    needs_reason: bool


@dataclass(frozen=True, slots=True)
class AppointmentDetail:
    appointment: AppointmentView
    events: tuple[AppointmentEventView, ...]
    actions: tuple[StatusAction, ...]  # the status changes this user may try
    can_reschedule: bool


@dataclass(frozen=True, slots=True)
class ScheduleDay:
    day: dt.date
    label: str  # "Sunday 8 March 2026"
    appointments: tuple[AppointmentView, ...]


@dataclass(frozen=True, slots=True)
class GroupSessionDetail:
    group_session_id: int
    title: str
    provider_id: int
    provider_name: str
    service_type: str
    service_label: str
    starts_local: dt.datetime
    ends_local: dt.datetime
    time_label: str
    location_id: int | None
    location_name: str
    telehealth: str
    telehealth_label: str
    roster: tuple[AppointmentView, ...]  # every roster entry, removed (cancelled) ones included
    can_edit: bool


@dataclass(frozen=True, slots=True)
class UpcomingAppointment:
    """An appointment still to happen, for background jobs (eligibility, authorization forecasts)."""

    appointment_id: int
    practice_id: int
    patient_id: int
    provider_id: int
    service_type: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    date_of_service: dt.date
    location_id: int | None
    place_of_service: str
    telehealth: str
    status: str


@dataclass(frozen=True, slots=True)
class ScheduleOptions:
    """Pickers for the schedule screens."""

    providers: list[tuple[int, str]]
    locations: list[tuple[int, str]]


# ---------------------------------------------------------------------------------------------
# Scoping and building rows


def _today(zone: ZoneInfo) -> dt.date:
    return timezone.now().astimezone(zone).date()


def _caseload_appointments(provider_id: int, today: dt.date) -> Q:
    """Appointments of patients on the provider's care team today."""
    return Q(patient_id__in=caseload_patient_ids(provider_id=provider_id, on=today))


def _visible(access: PracticeAccess, *, zone: ZoneInfo) -> QuerySet[Appointment]:
    """The practice's appointments; for caseload-scoped roles their own and their caseload's."""
    appointments = Appointment.objects.filter(practice_id=access.practice_id)
    if not access.caseload_scoped:
        return appointments
    if access.provider_id is None:
        return appointments.none()
    return appointments.filter(
        Q(provider_id=access.provider_id) | _caseload_appointments(access.provider_id, _today(zone))
    )


def _with_relations(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return appointments.select_related("patient", "provider", "location", "group_session").annotate(
        note_pk=F("note__id")
    )


def time_label(starts_local: dt.datetime, ends_local: dt.datetime) -> str:
    days = (ends_local.date() - starts_local.date()).days
    suffix = "" if days == 0 else f" (+{days} day{'s' if days > 1 else ''})"
    return f"{starts_local:%H:%M}–{ends_local:%H:%M}{suffix}"


def _view(appointment: Appointment, zone: ZoneInfo) -> AppointmentView:
    starts_local = to_local(appointment.starts_at, zone)
    ends_local = to_local(appointment.ends_at, zone)
    status = AppointmentStatus(appointment.status)
    location = appointment.location
    group = appointment.group_session
    return AppointmentView(
        appointment_id=appointment.pk,
        practice_id=appointment.practice_id,
        patient_id=appointment.patient_id,
        patient_name=appointment.patient.full_name,
        provider_id=appointment.provider_id,
        provider_name=appointment.provider.full_name,
        service_type=appointment.service_type,
        service_label=SERVICE_TYPE_LABELS.get(
            ServiceType(appointment.service_type), appointment.service_type
        ),
        starts_at=appointment.starts_at.astimezone(dt.UTC),
        ends_at=appointment.ends_at.astimezone(dt.UTC),
        starts_local=starts_local,
        ends_local=ends_local,
        timezone=zone.key,
        date_of_service=starts_local.date(),
        time_label=time_label(starts_local, ends_local),
        duration_minutes=int((appointment.ends_at - appointment.starts_at).total_seconds() // 60),
        crosses_midnight=ends_local.date() != starts_local.date(),
        location_id=appointment.location_id,
        location_name=location.name if location is not None else "",
        place_of_service=appointment.place_of_service,
        place_of_service_label=place_of_service_label(appointment.place_of_service),
        telehealth=appointment.telehealth,
        telehealth_label=TELEHEALTH_LABELS.get(appointment.telehealth, appointment.telehealth),
        patient_at_home=appointment.patient_at_home,
        group_session_id=appointment.group_session_id,
        group_title=group.title if group is not None else "",
        status=status.value,
        status_label=STATUS_LABELS[status],
        status_css=STATUS_CSS[status],
        cancel_reason=appointment.cancel_reason,
        note_id=getattr(appointment, "note_pk", None),
    )


def _audit_list(access: PracticeAccess, *, detail: str, patient_ids: Iterable[int] = ()) -> None:
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.LIST,
        category=Category.APPOINTMENT,
        practice_id=access.practice_id,
        object_type="appointment",
        detail=detail,
        shown_patient_ids=patient_ids,
    )


def _deny_missing(access: PracticeAccess, *, object_type: str, object_id: int) -> NotFound:
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.APPOINTMENT,
        practice_id=access.practice_id,
        object_type=object_type,
        object_id=object_id,
        outcome=AuditEvent.Outcome.DENIED,
        detail="reason=not_accessible",
    )
    return NotFound()


def _check_range(first_day: dt.date, last_day: dt.date) -> None:
    if last_day < first_day:
        raise ValidationFailed(field_errors={"end": ["The end date cannot be before the start date."]})
    if (last_day - first_day).days + 1 > MAX_RANGE_DAYS:
        raise ValidationFailed(field_errors={"end": [f"Ask for at most {MAX_RANGE_DAYS} days at a time."]})


# ---------------------------------------------------------------------------------------------
# Lists


def _appointments_filtered(
    access: PracticeAccess,
    *,
    first_day: dt.date,
    last_day: dt.date,
    provider_id: int | None,
    location_id: int | None,
    patient_id: int | None,
    statuses: Iterable[str],
    view: str,
) -> tuple[QuerySet[Appointment], list[str], ZoneInfo]:
    """The visible appointments of the range with the filters applied (and their names)."""
    access.require(Capability.SCHEDULE_VIEW)
    _check_range(first_day, last_day)
    zone = practice_zone(practice_id=access.practice_id)
    start, end = local_range_bounds(first_day, last_day, zone)
    appointments = _visible(access, zone=zone).filter(starts_at__gte=start, starts_at__lt=end)
    filters = [f"view={view}", f"from={first_day.isoformat()}", f"to={last_day.isoformat()}"]
    if provider_id is not None:
        appointments = appointments.filter(provider_id=provider_id)
        filters.append(f"provider={provider_id}")
    if location_id is not None:
        appointments = appointments.filter(location_id=location_id)
        filters.append(f"location={location_id}")
    if patient_id is not None:
        appointments = appointments.filter(patient_id=patient_id)
        filters.append(f"patient={patient_id}")
    wanted = [AppointmentStatus(s) for s in statuses]
    if wanted:
        appointments = appointments.filter(status__in=wanted)
        filters.append("status=" + ",".join(wanted))
    return appointments, filters, zone


def appointment_list(
    *,
    access: PracticeAccess,
    first_day: dt.date,
    last_day: dt.date,
    provider_id: int | None = None,
    location_id: int | None = None,
    patient_id: int | None = None,
    statuses: Iterable[str] = (),
    view: str = "list",
) -> list[AppointmentView]:
    """Appointments starting on local days first_day..last_day (inclusive), by start time.

    One query for the rows whatever their number, plus one `list` audit event.
    """
    appointments, filters, zone = _appointments_filtered(
        access,
        first_day=first_day,
        last_day=last_day,
        provider_id=provider_id,
        location_id=location_id,
        patient_id=patient_id,
        statuses=statuses,
        view=view,
    )
    rows = [_view(a, zone) for a in _with_relations(appointments).order_by("starts_at", "pk")]
    _audit_list(
        access, detail=";".join([*filters, f"results={len(rows)}"]), patient_ids=[r.patient_id for r in rows]
    )
    return rows


@dataclass(frozen=True, slots=True)
class AppointmentPage:
    rows: list[AppointmentView]
    total: int  # matching the filters, before the page is cut


def appointment_page(
    *,
    access: PracticeAccess,
    first_day: dt.date,
    last_day: dt.date,
    provider_id: int | None = None,
    location_id: int | None = None,
    patient_id: int | None = None,
    statuses: Iterable[str] = (),
    offset: int = 0,
    limit: int = 50,
) -> AppointmentPage:
    """One page of `appointment_list` (the same filters), counted and cut in the database."""
    appointments, filters, zone = _appointments_filtered(
        access,
        first_day=first_day,
        last_day=last_day,
        provider_id=provider_id,
        location_id=location_id,
        patient_id=patient_id,
        statuses=statuses,
        view="api",
    )
    total = appointments.count()
    offset, limit = max(0, offset), max(1, limit)
    page = _with_relations(appointments).order_by("starts_at", "pk")[offset : offset + limit]
    rows = [_view(a, zone) for a in page]
    _audit_list(
        access,
        detail=";".join([*filters, f"results={len(rows)}", f"total={total}"]),
        patient_ids=[r.patient_id for r in rows],
    )
    return AppointmentPage(rows=rows, total=total)


def appointments_for_provider_day(
    *, access: PracticeAccess, provider_id: int, day: dt.date
) -> list[AppointmentView]:
    """A provider's appointments starting on `day` (local), cancelled ones included."""
    return appointment_list(access=access, first_day=day, last_day=day, provider_id=provider_id, view="day")


def appointments_for_location_range(
    *, access: PracticeAccess, location_id: int, first_day: dt.date, last_day: dt.date
) -> list[AppointmentView]:
    """A location's appointments starting on first_day..last_day (local, inclusive)."""
    return appointment_list(
        access=access, first_day=first_day, last_day=last_day, location_id=location_id, view="location"
    )


def _day_label(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def schedule_day(
    *, access: PracticeAccess, day: dt.date, provider_id: int | None = None, location_id: int | None = None
) -> ScheduleDay:
    rows = appointment_list(
        access=access,
        first_day=day,
        last_day=day,
        provider_id=provider_id,
        location_id=location_id,
        view="day",
    )
    return ScheduleDay(day=day, label=_day_label(day), appointments=tuple(rows))


def schedule_week(
    *, access: PracticeAccess, day: dt.date, provider_id: int | None = None, location_id: int | None = None
) -> list[ScheduleDay]:
    """Monday to Sunday of `day`'s week, one entry per day (empty days included)."""
    monday = week_start(day)
    sunday = monday + dt.timedelta(days=6)
    rows = appointment_list(
        access=access,
        first_day=monday,
        last_day=sunday,
        provider_id=provider_id,
        location_id=location_id,
        view="week",
    )
    by_day: dict[dt.date, list[AppointmentView]] = {}
    for row in rows:
        by_day.setdefault(row.date_of_service, []).append(row)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    return [ScheduleDay(day=d, label=_day_label(d), appointments=tuple(by_day.get(d, []))) for d in days]


def my_day(*, access: PracticeAccess, day: dt.date | None = None) -> list[AppointmentView]:
    """The signed-in provider's own appointments on `day` (default: today where the practice is).

    Empty for users who are not providers. Cancelled and no-show appointments are included
    (the screen shows them struck through); `note_id` tells whether the note is written.
    """
    access.require(Capability.SCHEDULE_VIEW)
    if access.provider_id is None:
        return []
    if day is None:
        day = _today(practice_zone(practice_id=access.practice_id))
    return appointment_list(
        access=access, first_day=day, last_day=day, provider_id=access.provider_id, view="my_day"
    )


def appointments_awaiting_note(*, access: PracticeAccess, days_back: int = 30) -> list[AppointmentView]:
    """The signed-in provider's completed appointments of the last `days_back` days with no note."""
    access.require(Capability.SCHEDULE_VIEW)
    if access.provider_id is None:
        return []
    zone = practice_zone(practice_id=access.practice_id)
    today = _today(zone)
    start, end = local_range_bounds(today - dt.timedelta(days=days_back), today, zone)
    appointments = _visible(access, zone=zone).filter(
        provider_id=access.provider_id,
        status=AppointmentStatus.COMPLETED,
        starts_at__gte=start,
        starts_at__lt=end,
        note__isnull=True,
    )
    rows = [_view(a, zone) for a in _with_relations(appointments).order_by("starts_at", "pk")]
    _audit_list(
        access,
        detail=f"view=awaiting_note;days={days_back};results={len(rows)}",
        patient_ids=[r.patient_id for r in rows],
    )
    return rows


# ---------------------------------------------------------------------------------------------
# One appointment, one group


def _event_view(event: AppointmentEvent, zone: ZoneInfo) -> AppointmentEventView:
    to_label = STATUS_LABELS[AppointmentStatus(event.to_status)]
    if event.from_status and event.from_status != event.to_status:
        label = f"{STATUS_LABELS[AppointmentStatus(event.from_status)]} → {to_label}"
    elif event.from_status:
        label = to_label
    else:
        label = f"Booked ({to_label.lower()})"
    return AppointmentEventView(
        from_status=event.from_status,
        to_status=event.to_status,
        label=label,
        actor=event.actor.get_username() if event.actor is not None else "system",
        at_local=to_local(event.created_at, zone),
        note=event.note,
    )


def _actions(access: PracticeAccess, view: AppointmentView) -> tuple[StatusAction, ...]:
    current = AppointmentStatus(view.status)
    own = access.provider_id is not None and view.provider_id == access.provider_id
    return tuple(
        StatusAction(status=s.value, label=STATUS_LABELS[s], needs_reason=s is AppointmentStatus.CANCELLED)
        for s in next_statuses(current)
        if status_change_permitted(
            can_edit_schedule=access.can(Capability.SCHEDULE_EDIT), is_own_appointment=own, target=s
        )
    )


def appointment_get(*, access: PracticeAccess, appointment_id: int) -> AppointmentDetail:
    """One appointment with its history and the status changes this user may make.

    Another practice's, a missing one, or (techs) one outside their own/caseload: one denied
    event, then NotFound. Otherwise one `view` event with the patient's id.
    """
    access.require(Capability.SCHEDULE_VIEW)
    zone = practice_zone(practice_id=access.practice_id)
    appointment = _with_relations(_visible(access, zone=zone).filter(pk=appointment_id)).first()
    if appointment is None:
        raise _deny_missing(access, object_type="appointment", object_id=appointment_id)
    events = list(AppointmentEvent.objects.filter(appointment_id=appointment.pk).select_related("actor"))
    view = _view(appointment, zone)
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.APPOINTMENT,
        practice_id=access.practice_id,
        patient_id=appointment.patient_id,
        object_type="appointment",
        object_id=appointment.pk,
    )
    return AppointmentDetail(
        appointment=view,
        events=tuple(_event_view(e, zone) for e in events),
        actions=_actions(access, view),
        can_reschedule=access.can(Capability.SCHEDULE_EDIT)
        and view.status == AppointmentStatus.SCHEDULED
        and view.group_session_id is None,
    )


def group_session_get(*, access: PracticeAccess, group_session_id: int) -> GroupSessionDetail:
    """A group session and its roster. Techs see it only when it is theirs (they run it).

    One `view` event (patient_id empty: a roster names several patients; detail has the count).
    """
    access.require(Capability.SCHEDULE_VIEW)
    zone = practice_zone(practice_id=access.practice_id)
    groups = GroupSession.objects.filter(practice_id=access.practice_id)
    if access.caseload_scoped:
        groups = groups.filter(provider_id=access.provider_id) if access.provider_id else groups.none()
    group = groups.select_related("provider", "location").filter(pk=group_session_id).first()
    if group is None:
        raise _deny_missing(access, object_type="group_session", object_id=group_session_id)
    roster = [
        _view(a, zone)
        for a in _with_relations(Appointment.objects.filter(group_session_id=group.pk)).order_by(
            "patient__last_name", "patient__first_name", "pk"
        )
    ]
    audit_event_record(
        context=access.audit,
        action=AuditEvent.Action.VIEW,
        category=Category.APPOINTMENT,
        practice_id=access.practice_id,
        object_type="group_session",
        object_id=group.pk,
        detail=f"roster={len(roster)}",
    )
    starts_local = to_local(group.starts_at, zone)
    ends_local = to_local(group.ends_at, zone)
    return GroupSessionDetail(
        group_session_id=group.pk,
        title=group.title,
        provider_id=group.provider_id,
        provider_name=group.provider.full_name,
        service_type=group.service_type,
        service_label=SERVICE_TYPE_LABELS.get(ServiceType(group.service_type), group.service_type),
        starts_local=starts_local,
        ends_local=ends_local,
        time_label=f"{_day_label(starts_local.date())}, {time_label(starts_local, ends_local)}",
        location_id=group.location_id,
        location_name=group.location.name if group.location is not None else "",
        telehealth=group.telehealth,
        telehealth_label=TELEHEALTH_LABELS.get(group.telehealth, group.telehealth),
        roster=tuple(roster),
        can_edit=access.can(Capability.SCHEDULE_EDIT),
    )


# ---------------------------------------------------------------------------------------------
# For background jobs


def upcoming_appointments(
    *,
    practice_id: int,
    start: dt.datetime,
    end: dt.datetime,
    context: AuditContext | None = None,
    patient_id: int | None = None,
) -> list[UpcomingAppointment]:
    """Scheduled or arrived appointments starting in [start, end) (aware datetimes), by start.

    A system read for later issues (eligibility checks, authorization forecasts): no user, no
    capability check, scoped by `practice_id`. Pass `context=AuditContext.system("<job>")` to
    record one `list` event (jobs that show nothing to a person may leave it out).
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("upcoming_appointments needs aware datetimes")
    zone = practice_zone(practice_id=practice_id)
    rows = Appointment.objects.filter(
        practice_id=practice_id, status__in=ACTIVE_STATUSES, starts_at__gte=start, starts_at__lt=end
    )
    if patient_id is not None:
        rows = rows.filter(patient_id=patient_id)
    result = [
        UpcomingAppointment(
            appointment_id=a.pk,
            practice_id=a.practice_id,
            patient_id=a.patient_id,
            provider_id=a.provider_id,
            service_type=a.service_type,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            date_of_service=to_local(a.starts_at, zone).date(),
            location_id=a.location_id,
            place_of_service=a.place_of_service,
            telehealth=a.telehealth,
            status=a.status,
        )
        for a in rows.order_by("starts_at", "pk")
    ]
    if context is not None:
        audit_event_record(
            context=context,
            action=AuditEvent.Action.LIST,
            category=Category.APPOINTMENT,
            practice_id=practice_id,
            object_type="appointment",
            detail=f"view=upcoming;results={len(result)}",
            shown_patient_ids=[a.patient_id for a in result],
        )
    return result


# ---------------------------------------------------------------------------------------------
# Pickers and facts for services (no PHI returned to a person except `patient_choices`)


def schedule_options(*, access: PracticeAccess) -> ScheduleOptions:
    """Active providers and locations of the practice (not PHI, not audited)."""
    access.require(Capability.SCHEDULE_VIEW)
    return ScheduleOptions(
        providers=provider_choices(access=access),
        locations=[(loc.pk, loc.name) for loc in location_list(access=access, active_only=True)],
    )


def patient_choices(*, access: PracticeAccess) -> list[tuple[int, str]]:
    """Active patients for the booking pickers ("Last, First (account)"), read through
    patients.selectors (scoped, one `list` event). At most PICKER_LIMIT patients: a practice
    larger than that needs a search-as-you-type picker (not built yet)."""
    access.require(Capability.SCHEDULE_EDIT)
    page = patient_list_for_user(access=access, include_inactive=False, limit=PICKER_LIMIT)
    return [(p.pk, f"{p.last_name}, {p.first_name} ({p.account_number})") for p in page.patients]


@dataclass(frozen=True, slots=True)
class PatientFacts:
    patient_id: int
    practice_id: int
    is_active: bool

    @property
    def label(self) -> str:
        return f"Patient #{self.patient_id}"


@dataclass(frozen=True, slots=True)
class ProviderFacts:
    provider_id: int
    practice_id: int
    is_active: bool


@dataclass(frozen=True, slots=True)
class LocationFacts:
    location_id: int
    practice_id: int
    is_active: bool
    default_place_of_service: str


# Facts for services: whether a patient exists in the practice and is active (whether a provider
# has them on their caseload is patients.selectors.on_care_team). No demographics are returned,
# so no audit event; they read through the practice's relations. (They belong in patients.selectors once it offers them.)


def patient_facts(*, practice_id: int, patient_id: int) -> PatientFacts | None:
    """The practice's patient, or None (another practice's is indistinguishable from missing)."""
    row = (
        Practice.objects.filter(pk=practice_id, patients__pk=patient_id)
        .values_list("patients__is_active")
        .first()
    )
    return (
        None
        if row is None
        else PatientFacts(patient_id=patient_id, practice_id=practice_id, is_active=row[0])
    )


def provider_facts(*, practice_id: int, provider_id: int) -> ProviderFacts | None:
    row = Provider.objects.filter(pk=provider_id, practice_id=practice_id).values_list("is_active").first()
    return (
        None
        if row is None
        else ProviderFacts(provider_id=provider_id, practice_id=practice_id, is_active=row[0])
    )


def location_facts(*, practice_id: int, location_id: int) -> LocationFacts | None:
    row = (
        Location.objects.filter(pk=location_id, practice_id=practice_id)
        .values_list("is_active", "default_place_of_service")
        .first()
    )
    if row is None:
        return None
    return LocationFacts(
        location_id=location_id, practice_id=practice_id, is_active=row[0], default_place_of_service=row[1]
    )


def booked_slots(
    *,
    practice_id: int,
    provider_id: int,
    patient_ids: Iterable[int],
    start: dt.datetime,
    end: dt.datetime,
) -> list[BookedSlot]:
    """Appointments of the provider or of any of the patients overlapping [start, end)."""
    rows = (
        Appointment.objects.filter(practice_id=practice_id, starts_at__lt=end, ends_at__gt=start)
        .filter(Q(provider_id=provider_id) | Q(patient_id__in=list(patient_ids)))
        .exclude(status__in=[AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW])
        .order_by("starts_at", "pk")
        .values_list("pk", "provider_id", "patient_id", "starts_at", "ends_at", "status", "group_session_id")
    )
    return [
        BookedSlot(
            appointment_id=pk,
            provider_id=prov,
            patient_id=pat,
            starts_at=s,
            ends_at=e,
            status=AppointmentStatus(status),
            group_session_id=group,
        )
        for pk, prov, pat, s, e, status, group in rows
    ]


# ---------------------------------------------------------------------------------------------
# Counts for the home page (numbers only: nothing about a patient is shown, so no audit event)


@dataclass(frozen=True, slots=True)
class ProviderDayCounts:
    sessions_today: int  # booked, arrived or completed today
    undocumented: int  # sessions of the last `days_back` days that ended and have no note yet
    oldest_undocumented_on: dt.date | None


def provider_day_counts(
    *, access: PracticeAccess, provider_id: int, now: dt.datetime, days_back: int = 30
) -> ProviderDayCounts:
    """The home page's numbers for one provider: today's sessions and the sessions still to
    document (the same rule as "Notes to write": ended or completed, no note). Two queries."""
    access.require(Capability.SCHEDULE_VIEW)
    zone = practice_zone(practice_id=access.practice_id)
    today = now.astimezone(zone).date()
    mine = _visible(access, zone=zone).filter(provider_id=provider_id)
    day_start, day_end = local_range_bounds(today, today, zone)
    sessions_today = mine.filter(
        starts_at__gte=day_start,
        starts_at__lt=day_end,
        status__in=[AppointmentStatus.SCHEDULED, AppointmentStatus.ARRIVED, AppointmentStatus.COMPLETED],
    ).count()
    first, _ = local_range_bounds(today - dt.timedelta(days=days_back), today, zone)
    undocumented = (
        mine.filter(starts_at__gte=first, starts_at__lt=day_end, note__isnull=True)
        .filter(
            Q(status=AppointmentStatus.COMPLETED)
            | Q(status__in=[AppointmentStatus.SCHEDULED, AppointmentStatus.ARRIVED], ends_at__lte=now)
        )
        .aggregate(n=Count("pk"), oldest=Min("starts_at"))
    )
    oldest = undocumented["oldest"]
    return ProviderDayCounts(
        sessions_today=sessions_today,
        undocumented=undocumented["n"],
        oldest_undocumented_on=oldest.astimezone(zone).date() if oldest is not None else None,
    )
