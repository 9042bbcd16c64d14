"""Labels the note screens show: dates and times in the practice's zone, statuses, names."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from clinical_notes.domain.transitions import NoteState
from clinical_notes.domain.types import Segment
from core.domain.service_types import SERVICE_TYPE_LABELS, ServiceType
from core.formatting import date_label as date_label
from core.formatting import moment_label as moment_label

NOTE_STATUS_LABELS = {
    NoteState.DRAFT: "Draft",
    NoteState.AWAITING_COSIGN: "Awaiting co-signature",
    NoteState.RETURNED: "Returned for revision",
    NoteState.FINAL: "Final",
}
NOTE_STATUS_CSS = {
    NoteState.DRAFT: "",
    NoteState.AWAITING_COSIGN: "warn",
    NoteState.RETURNED: "bad",
    NoteState.FINAL: "ok",
}
TELEHEALTH_LABELS = {
    "": "In person",
    "audio_video": "Telehealth, audio and video",
    "audio_only": "Telehealth, audio only",
}
RISK_FIELDS = ("risk_factors", "safety_plan")


def span_label(segment: Segment, zone: ZoneInfo) -> str:
    """A stretch of time, as "Mon 9 Mar 2026, 10:00–10:53 EDT" (naming the end's day when it differs)."""
    start = segment.starts_at.astimezone(zone)
    end = segment.ends_at.astimezone(zone)
    if end.date() == start.date():
        return f"{date_label(start.date())}, {start:%H:%M}–{end:%H:%M %Z}"
    return f"{date_label(start.date())}, {start:%H:%M %Z} – {date_label(end.date())}, {end:%H:%M %Z}"


def minutes_label(minutes: int) -> str:
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def days_label(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def service_label(service_type: str) -> str:
    try:
        return SERVICE_TYPE_LABELS[ServiceType(service_type)]
    except ValueError:
        return service_type


def status_label(status: str) -> str:
    return NOTE_STATUS_LABELS.get(NoteState(status), status) if status else ""


def status_css(status: str) -> str:
    return NOTE_STATUS_CSS.get(NoteState(status), "") if status else ""


def user_label(user: Any) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


def patient_label(patient: Any) -> str:
    return f"{patient.last_name}, {patient.first_name}"


def provider_label(provider: Any) -> str:
    if provider is None:
        return ""
    return f"{provider.full_name}, {provider.credential}" if provider.credential else provider.full_name
