"""Values the scheduling rules work on: statuses, telehealth modes, problem codes, facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AppointmentStatus(StrEnum):
    """Mirrors `scheduling.models.Appointment.Status` (a test keeps the two equal)."""

    SCHEDULED = "scheduled"
    ARRIVED = "arrived"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


STATUS_LABELS: dict[AppointmentStatus, str] = {
    AppointmentStatus.SCHEDULED: "Scheduled",
    AppointmentStatus.ARRIVED: "Arrived",
    AppointmentStatus.COMPLETED: "Completed",
    AppointmentStatus.CANCELLED: "Cancelled",
    AppointmentStatus.NO_SHOW: "No-show",
}

# Appointments in these states no longer hold the provider's (or the patient's) time.
RELEASED_STATUSES = frozenset({AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW})


class TelehealthMode(StrEnum):
    """Mirrors `scheduling.models.Telehealth`."""

    NONE = ""
    AUDIO_VIDEO = "audio_video"
    AUDIO_ONLY = "audio_only"


class Code(StrEnum):
    """Stable codes of the scheduling rules' findings."""

    LOCAL_TIME_MISSING = "local_time_missing"  # spring-forward gap
    LOCAL_TIME_AMBIGUOUS = "local_time_ambiguous"  # fall-back repeat (warning)
    END_NOT_AFTER_START = "end_not_after_start"
    TOO_LONG = "appointment_too_long"
    OTHER_PRACTICE = "other_practice"
    PATIENT_INACTIVE = "patient_inactive"
    PROVIDER_INACTIVE = "provider_inactive"
    LOCATION_INACTIVE = "location_inactive"
    LOCATION_REQUIRED = "location_required"
    SERVICE_TYPE_UNKNOWN = "service_type_unknown"
    TELEHEALTH_UNKNOWN = "telehealth_unknown"
    GROUP_SERVICE_NEEDS_GROUP = "group_service_needs_group"
    SERVICE_NOT_GROUP_CAPABLE = "service_not_group_capable"
    PROVIDER_DOUBLE_BOOKED = "provider_double_booked"
    PATIENT_DOUBLE_BOOKED = "patient_double_booked"  # warning
    NOT_ON_CASELOAD = "not_on_caseload"  # warning
    ROSTER_EMPTY = "roster_empty"
    ROSTER_DUPLICATE = "roster_duplicate"
    ALREADY_ON_ROSTER = "already_on_roster"
    NOT_ON_ROSTER = "not_on_roster"
    SAME_STATUS = "same_status"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    REASON_REQUIRED = "reason_required"
    TOO_EARLY = "too_early"
    NOT_RESCHEDULABLE = "not_reschedulable"
    GROUP_MEMBER_RESCHEDULE = "group_member_reschedule"
    TITLE_REQUIRED = "title_required"


@dataclass(frozen=True, slots=True)
class BookedSlot:
    """An appointment already on the books (of the provider or of the patient)."""

    appointment_id: int
    provider_id: int
    patient_id: int
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    group_session_id: int | None = None


@dataclass(frozen=True, slots=True)
class AppointmentFacts:
    """Everything the booking rules need to judge one proposed appointment (times aware UTC).

    `appointment_id` is the appointment being rescheduled (None for a new one); `group_session_id`
    the group it belongs to, if any. `location_*` are None when no location was given.
    """

    practice_id: int
    patient_id: int
    patient_practice_id: int
    patient_active: bool
    provider_id: int
    provider_practice_id: int
    provider_active: bool
    service_type: str
    telehealth: str
    starts_at: datetime
    ends_at: datetime
    location_id: int | None = None
    location_practice_id: int | None = None
    location_active: bool = True
    patient_on_caseload: bool = True
    appointment_id: int | None = None
    group_session_id: int | None = None
