"""Builders for the note screens' tests (on top of tests/clinical_notes/conftest.py's `clinic`:
a New York practice, time frozen at 2026-03-10 16:00 UTC = 12:00 EDT)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from audit.models import AuditEvent
from clinical_notes import services
from clinical_notes.models import NoteAddendum, NoteEvent, SessionNote
from tests.clinical_notes.helpers import NY, sign, write_note


def tech_note(clinic: Any, **kwargs: Any) -> SessionNote:
    """A complete draft by the supervised technician for `clinic.patient` (9 Mar, 10:00–10:53)."""
    return write_note(
        clinic.access(clinic.tech_user),
        patient_id=clinic.patient.pk,
        diagnosis_ids=[clinic.diagnosis.pk],
        **kwargs,
    )


def awaiting_note(clinic: Any, *, signed_at: dt.datetime | None = None, **kwargs: Any) -> SessionNote:
    """A tech note signed (at `signed_at`, default now) and waiting for the supervisor."""
    if signed_at is None:
        return sign(clinic.access(clinic.tech_user), tech_note(clinic, **kwargs))
    with time_machine.travel(signed_at, tick=False):
        return sign(clinic.access(clinic.tech_user), tech_note(clinic, **kwargs))


def final_note(clinic: Any, **kwargs: Any) -> SessionNote:
    note = awaiting_note(clinic, **kwargs)
    return services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)


def returned_note(clinic: Any, *, comment: str = "Say which prompts you used.", **kwargs: Any) -> SessionNote:
    note = awaiting_note(clinic, **kwargs)
    return services.note_return(
        access=clinic.access(clinic.supervisor_user), note_id=note.pk, comment=comment
    )


def state(note_id: int) -> tuple[Any, ...]:
    """Everything a failed screen action must leave as it was."""
    note = SessionNote.objects.get(pk=note_id)
    return (
        note.status,
        note.version,
        note.content,
        note.signed_at,
        note.cosigned_at,
        note.finalized_at,
        [(s.starts_at, s.ends_at) for s in note.segments.order_by("pk")],
        list(note.measurements.values_list("instrument", "score")),
        list(NoteEvent.objects.filter(note_id=note_id).values_list("from_status", "to_status", "comment")),
        NoteAddendum.objects.filter(note_id=note_id).count(),
        AuditEvent.objects.filter(object_id=str(note_id))
        .exclude(action="view")
        .exclude(outcome="denied")
        .count(),
    )


def form_data(form: Any, **changes: Any) -> dict[str, Any]:
    """The POST body of a rendered Django form (as a browser would send it), with `changes`."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool) or value is None:
            if value:
                data[name] = "on"
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    for name, value in changes.items():
        key = name.replace("__", "-")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def ny(hour: int, minute: int = 0, day: int = 10) -> dt.datetime:
    """A wall time in New York in March 2026 (default: today, 10 March) as an aware datetime."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=NY)
