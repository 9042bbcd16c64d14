"""Booking rules for one proposed appointment: pure, over `AppointmentFacts` and booked slots.

Errors block the booking; warnings (severity WARNING) are shown and the booking goes ahead:
- the patient is booked with another provider at the same time (they may be in ABA with a tech
  while a parent sees a clinician; the documentation checks flag concurrent billing later);
- the patient is not on the provider's caseload (care team).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from core.domain.problems import Problem, Severity
from core.domain.service_types import GROUP_SERVICE_TYPES, ServiceType
from practice.domain.place_of_service import DEFAULT_PLACE_OF_SERVICE
from scheduling.domain.types import (
    RELEASED_STATUSES,
    AppointmentFacts,
    AppointmentStatus,
    BookedSlot,
    Code,
    TelehealthMode,
)

MAX_DURATION = timedelta(hours=12)

# POS for telehealth (CMS, 2022 on): 10 when the patient is in their home, 02 anywhere else.
POS_TELEHEALTH_AT_HOME = "10"
POS_TELEHEALTH_ELSEWHERE = "02"

# Services that may be delivered to a group (one appointment per patient on the roster).
GROUP_CAPABLE_SERVICE_TYPES = frozenset(
    GROUP_SERVICE_TYPES
    | {
        ServiceType.ABA_TECHNICIAN_TREATMENT,  # group adaptive behavior treatment
        ServiceType.ABA_PROTOCOL_MODIFICATION,
        ServiceType.ABA_FAMILY_GUIDANCE,  # multiple-family group guidance
        ServiceType.BEHAVIORAL_HEALTH_COUNSELING,
        ServiceType.SKILLS_TRAINING,
        ServiceType.PSYCHOSOCIAL_REHABILITATION,
        ServiceType.PEER_SUPPORT,
    }
)


def intervals_overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: 10:00–11:00 and 11:00–12:00 touch but do not overlap."""
    return a_start < b_end and b_start < a_end


def place_of_service_for(*, telehealth: str, location_pos: str | None, patient_at_home: bool) -> str:
    """The claim's place of service for an appointment.

    Telehealth: 10 if the patient is at home, else 02 (whatever the provider's location).
    In person: the location's default POS (office 11, school 03, home 12...), or 11 without one.
    """
    if telehealth:
        return POS_TELEHEALTH_AT_HOME if patient_at_home else POS_TELEHEALTH_ELSEWHERE
    return location_pos or DEFAULT_PLACE_OF_SERVICE


def time_problems(starts_at: datetime, ends_at: datetime) -> list[Problem]:
    """End strictly after start, and no longer than MAX_DURATION (catches end-time typos)."""
    if ends_at <= starts_at:
        return [Problem(Code.END_NOT_AFTER_START, "The end must be after the start.", "ends_at")]
    if ends_at - starts_at > MAX_DURATION:
        hours = int(MAX_DURATION.total_seconds() // 3600)
        return [
            Problem(
                Code.TOO_LONG,
                f"An appointment cannot last more than {hours} hours. Check the end time.",
                "ends_at",
            )
        ]
    return []


def _service_problems(facts: AppointmentFacts) -> list[Problem]:
    try:
        service = ServiceType(facts.service_type)
    except ValueError:
        return [Problem(Code.SERVICE_TYPE_UNKNOWN, "Choose a service type from the list.", "service_type")]
    problems: list[Problem] = []
    if facts.group_session_id is None and service in GROUP_SERVICE_TYPES:
        problems.append(
            Problem(
                Code.GROUP_SERVICE_NEEDS_GROUP,
                "Group services are booked as a group session with a roster.",
                "service_type",
            )
        )
    if facts.group_session_id is not None and service not in GROUP_CAPABLE_SERVICE_TYPES:
        problems.append(
            Problem(
                Code.SERVICE_NOT_GROUP_CAPABLE, "This service is not delivered to groups.", "service_type"
            )
        )
    return problems


def _membership_problems(facts: AppointmentFacts) -> list[Problem]:
    problems: list[Problem] = []
    if facts.patient_practice_id != facts.practice_id:
        problems.append(
            Problem(Code.OTHER_PRACTICE, "The patient belongs to another practice.", "patient_id")
        )
    if facts.provider_practice_id != facts.practice_id:
        problems.append(
            Problem(Code.OTHER_PRACTICE, "The provider belongs to another practice.", "provider_id")
        )
    if facts.location_id is not None and facts.location_practice_id != facts.practice_id:
        problems.append(
            Problem(Code.OTHER_PRACTICE, "The location belongs to another practice.", "location_id")
        )
    if not facts.patient_active:
        problems.append(Problem(Code.PATIENT_INACTIVE, "The patient is inactive.", "patient_id"))
    if not facts.provider_active:
        problems.append(Problem(Code.PROVIDER_INACTIVE, "The provider is no longer active.", "provider_id"))
    if facts.location_id is not None and not facts.location_active:
        problems.append(Problem(Code.LOCATION_INACTIVE, "The location is closed.", "location_id"))
    return problems


def _place_problems(facts: AppointmentFacts) -> list[Problem]:
    try:
        mode = TelehealthMode(facts.telehealth)
    except ValueError:
        return [
            Problem(Code.TELEHEALTH_UNKNOWN, "Choose in person, audio-video or audio only.", "telehealth")
        ]
    if mode is TelehealthMode.NONE and facts.location_id is None:
        return [
            Problem(
                Code.LOCATION_REQUIRED,
                "An in-person appointment needs a location (it sets the place of service).",
                "location_id",
            )
        ]
    return []


def conflict_problems(
    facts: AppointmentFacts, booked: Iterable[BookedSlot], *, field: str = "starts_at"
) -> list[Problem]:
    """Double bookings among `booked` (cancelled and no-show appointments hold no time).

    - The provider has another appointment overlapping this one: error — except appointments
      of the same group session, which share the provider's time on purpose.
    - The patient has an overlapping appointment with another provider: warning.
    """
    provider_clash: list[BookedSlot] = []
    patient_clash: list[BookedSlot] = []
    for slot in booked:
        if slot.status in RELEASED_STATUSES:
            continue
        if facts.appointment_id is not None and slot.appointment_id == facts.appointment_id:
            continue
        if not intervals_overlap(facts.starts_at, facts.ends_at, slot.starts_at, slot.ends_at):
            continue
        same_group = facts.group_session_id is not None and slot.group_session_id == facts.group_session_id
        if slot.provider_id == facts.provider_id and not same_group:
            provider_clash.append(slot)
        elif slot.patient_id == facts.patient_id and slot.provider_id != facts.provider_id:
            patient_clash.append(slot)
    problems: list[Problem] = []
    if provider_clash:
        ids = ", ".join(f"#{s.appointment_id}" for s in sorted(provider_clash, key=lambda s: s.starts_at))
        problems.append(
            Problem(
                Code.PROVIDER_DOUBLE_BOOKED,
                f"The provider is already booked at this time (appointment {ids}).",
                field,
            )
        )
    if patient_clash:
        ids = ", ".join(f"#{s.appointment_id}" for s in sorted(patient_clash, key=lambda s: s.starts_at))
        problems.append(
            Problem(
                Code.PATIENT_DOUBLE_BOOKED,
                f"The patient has another appointment with another provider at this time ({ids}).",
                field,
                Severity.WARNING,
            )
        )
    return problems


def appointment_problems(facts: AppointmentFacts, *, booked: Sequence[BookedSlot]) -> list[Problem]:
    """Every finding for a proposed appointment: errors first, then warnings."""
    problems = [
        *time_problems(facts.starts_at, facts.ends_at),
        *_membership_problems(facts),
        *_service_problems(facts),
        *_place_problems(facts),
    ]
    if facts.ends_at > facts.starts_at:
        problems.extend(conflict_problems(facts, booked))
    if not facts.patient_on_caseload:
        problems.append(
            Problem(
                Code.NOT_ON_CASELOAD,
                "The patient is not on this provider's caseload (care team).",
                "provider_id",
                Severity.WARNING,
            )
        )
    return sorted(problems, key=lambda p: p.severity is Severity.WARNING)


def roster_problems(patient_ids: Sequence[int], *, title: str) -> list[Problem]:
    """A new group session: a title and at least one patient, each once."""
    problems: list[Problem] = []
    if not title.strip():
        problems.append(Problem(Code.TITLE_REQUIRED, "Give the group a title.", "title"))
    if not patient_ids:
        problems.append(Problem(Code.ROSTER_EMPTY, "Add at least one patient to the roster.", "patient_ids"))
    elif len(set(patient_ids)) != len(patient_ids):
        problems.append(
            Problem(Code.ROSTER_DUPLICATE, "A patient appears on the roster more than once.", "patient_ids")
        )
    return problems


def roster_add_problems(existing: AppointmentStatus | None) -> list[Problem]:
    """Adding a patient to a group: new, or back after being removed (a cancelled roster entry)."""
    if existing is None or existing is AppointmentStatus.CANCELLED:
        return []
    return [Problem(Code.ALREADY_ON_ROSTER, "The patient is already on this group's roster.", "patient_id")]


def roster_remove_problems(existing: AppointmentStatus | None) -> list[Problem]:
    """Removing a patient cancels their appointment in the group; only a scheduled one."""
    if existing is None or existing is AppointmentStatus.CANCELLED:
        return [Problem(Code.NOT_ON_ROSTER, "The patient is not on this group's roster.", "patient_id")]
    if existing is not AppointmentStatus.SCHEDULED:
        return [
            Problem(
                Code.TRANSITION_NOT_ALLOWED,
                "Only a patient whose appointment is still scheduled can be taken off the roster.",
                "patient_id",
            )
        ]
    return []
