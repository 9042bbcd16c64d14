"""Permission-matrix entries for the notes API (`notes_api:*`) and the note screens
(`clinical_notes:*`, at the end: they reuse the same notes).

Each value holds the keyword arguments of `tests.test_permission_matrix.Entry`; that module
merges them into MATRIX. In the shared graph every clinical member's provider is an LPC (no
co-signature needed) and the technician has the graph's `patient` on their caseload. Notes are
written by the technician; the co-sign and return entries add a supervision (supervisor →
technician) and a note waiting for co-signature. Each entry's note has its own session time so
that no documentation check blocks the allowed call.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from practice.models import Supervision
from tests.factories.clinical import (
    NoteDiagnosisFactory,
    NoteSegmentFactory,
    PatientDiagnosisFactory,
    SessionNoteFactory,
)
from tests.factories.scheduling import AppointmentFactory

ROLES = ("technician", "clinician", "supervisor", "biller", "practice_admin", "compliance")
CLINICAL = ("technician", "clinician", "supervisor")
NOTE_READERS = (*CLINICAL, "biller", "practice_admin")
SIGNED_AT = dt.datetime(2026, 3, 9, 20, 0, tzinfo=dt.UTC)

_hours = itertools.count()


def _only(*allowed: str) -> dict[str, str]:
    return {role: "ok" if role in allowed else "deny" for role in ROLES}


def _provider(g: dict[str, Any], role: str) -> Any:
    return g["members"][role].provider_profiles.get()


def _diagnosis(g: dict[str, Any]) -> Any:
    if "notes_diagnosis" not in g:
        g["notes_diagnosis"] = PatientDiagnosisFactory(patient=g["patient"], code="F840")
    return g["notes_diagnosis"]


def _note(g: dict[str, Any], key: str, *, status: str, segments: bool = True) -> Any:
    """The technician's individual psychotherapy note of 2026-03-09, complete and signable."""
    if key in g:
        return g[key]
    extra: dict[str, Any] = {}
    if status != "draft":
        extra = {"signed_at": SIGNED_AT, "signed_by": g["members"]["technician"]}
    if status == "final":
        extra |= {"finalized_at": SIGNED_AT}
    if status == "awaiting_cosign":
        extra |= {"requires_cosign": True, "supervisor": _provider(g, "supervisor")}
    note = SessionNoteFactory(
        practice=g["practice"],
        patient=g["patient"],
        author=_provider(g, "technician"),
        status=status,
        **extra,
    )
    if segments and status == "draft":
        start = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC) + dt.timedelta(hours=next(_hours) % 8)
        NoteSegmentFactory(note=note, starts_at=start, ends_at=start + dt.timedelta(minutes=53))
        NoteDiagnosisFactory(note=note, diagnosis=_diagnosis(g))
    g[key] = note
    return note


def _supervised(g: dict[str, Any]) -> None:
    Supervision.objects.get_or_create(
        supervisor=_provider(g, "supervisor"),
        supervisee=_provider(g, "technician"),
        defaults={"starts_on": dt.date(2025, 1, 1)},
    )


def _final(g: dict[str, Any]) -> dict[str, Any]:
    return {"note_id": _note(g, "notes_final", status="final", segments=False).pk}


def _draft(g: dict[str, Any]) -> dict[str, Any]:
    return {"note_id": _note(g, "notes_draft", status="draft").pk}


def _awaiting(g: dict[str, Any]) -> dict[str, Any]:
    _supervised(g)
    return {"note_id": _note(g, "notes_awaiting", status="awaiting_cosign", segments=False).pk}


def _new_note(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "patient_id": g["patient"].pk,
        "service_type": "individual_psychotherapy",
        "date_of_service": "2026-03-09",
    }


ENTRIES: dict[str, dict[str, Any]] = {
    "notes_api:list": {"access": _only(*NOTE_READERS)},
    "notes_api:cosign_queue": {"access": _only(*NOTE_READERS)},
    # The technician's final note: the author and the billing roles read it; the other clinicians
    # neither supervise the technician nor follow the patient.
    "notes_api:detail": {"access": _only("technician", "biller", "practice_admin"), "kwargs": _final},
    # The checks quote the note's text: billing readers see the billing view only (minimum necessary).
    "notes_api:checks": {"access": _only("technician"), "kwargs": _final},
    "notes_api:open_full": {
        "access": _only("biller", "practice_admin"),
        "kwargs": _final,
        "method": "post",
        "data": lambda g: {"purpose": "appeal", "detail": "Appeal 2026-118"},
    },
    "notes_api:create": {"access": _only(*CLINICAL), "method": "post", "data": _new_note},
    # Drafts are private to their author.
    "notes_api:update": {
        "access": _only("technician"),
        "kwargs": _draft,
        "method": "patch",
        "data": lambda g: {"version": 1, "place_of_service": "12"},
    },
    "notes_api:sign": {
        "access": _only("technician"),
        "kwargs": _draft,
        "method": "post",
        "data": lambda g: {"attested": True},
    },
    "notes_api:delete": {"access": _only("technician"), "kwargs": _draft, "method": "delete"},
    # Only the author's supervisor on the date of service co-signs or returns.
    "notes_api:cosign": {
        "access": _only("supervisor"),
        "kwargs": _awaiting,
        "method": "post",
        "data": lambda g: {"attested": True},
    },
    "notes_api:return": {
        "access": _only("supervisor"),
        "kwargs": _awaiting,
        "method": "post",
        "data": lambda g: {"comment": "Add the trial counts."},
    },
    "notes_api:addendum_add": {
        "access": _only("technician"),
        "kwargs": _final,
        "method": "post",
        "data": lambda g: {"reason": "Late entry", "text": "Parent called after the session."},
    },
}


# ---------------------------------------------------------------------------- the screens


def _appointment(g: dict[str, Any]) -> dict[str, Any]:
    """A completed session of the technician with the graph's patient (its note is not started)."""
    appointment = AppointmentFactory(
        practice=g["practice"], patient=g["patient"], provider=_provider(g, "technician"), status="completed"
    )
    return {"appointment_id": appointment.pk}


SCREEN_ENTRIES: dict[str, dict[str, Any]] = {
    # The clinician's lists (billing roles read final notes through "all notes" only).
    "clinical_notes:my_day": {"access": _only(*CLINICAL)},
    "clinical_notes:to_write": {"access": _only(*CLINICAL)},
    "clinical_notes:returned": {"access": _only(*CLINICAL)},
    "clinical_notes:cosign_queue": {"access": _only("clinician", "supervisor")},
    "clinical_notes:list": {"access": _only(*NOTE_READERS)},
    # Only the appointment's provider starts its note.
    "clinical_notes:start": {
        "access": _only("technician"),
        "kwargs": _appointment,
        "method": "post",
        "data": lambda g: {},
    },
    "clinical_notes:detail": {"access": _only("technician", "biller", "practice_admin"), "kwargs": _final},
    "clinical_notes:pdf": {"access": _only("technician", "biller", "practice_admin"), "kwargs": _final},
    "clinical_notes:open_full": {
        "access": _only("biller", "practice_admin"),
        "kwargs": _final,
        "method": "post",
        "data": lambda g: {"purpose": "records_request", "detail": "Request from the patient"},
    },
    "clinical_notes:edit": {"access": _only("technician"), "kwargs": _draft},
    "clinical_notes:sign": {
        "access": _only("technician"),
        "kwargs": _draft,
        "method": "post",
        "data": lambda g: {"attested": "on"},
    },
    "clinical_notes:cosign": {
        "access": _only("supervisor"),
        "kwargs": _awaiting,
        "method": "post",
        "data": lambda g: {"attested": "on"},
    },
    # Co-signing several clean notes: roles with a co-sign queue post it (a note that is not
    # theirs to co-sign is refused inside, with a message); others are denied.
    "clinical_notes:cosign_many": {
        "access": _only("clinician", "supervisor"),
        "method": "post",
        "data": lambda g: {"note_ids": [str(_awaiting(g)["note_id"])]},
    },
    "clinical_notes:return": {
        "access": _only("supervisor"),
        "kwargs": _awaiting,
        "method": "post",
        "data": lambda g: {"comment": "Add the trial counts."},
    },
    "clinical_notes:addendum_add": {
        "access": _only("technician"),
        "kwargs": _final,
        "method": "post",
        "data": lambda g: {"reason": "Late entry", "text": "Parent called after the session."},
    },
}
ENTRIES.update(SCREEN_ENTRIES)


# Minimum necessary: which parts of a final note each role sees on the note page, in the PDF and
# from the API (clinical_notes.domain.disclosure; the README's role table says the same).
# The technician is on the patient's care team and wrote the note. "billing" is the billing view;
# "full" everything; "none" no access to the note at all.
NOTE_VIEW_BY_ROLE = {
    "technician": "full",
    "clinician": "none",  # not on this patient's care team, not the author's supervisor
    "supervisor": "none",  # no supervision in the shared graph
    "biller": "billing",
    "practice_admin": "billing",
    "compliance": "none",
}
