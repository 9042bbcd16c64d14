"""Row locks for the claims services (ordered by pk; `select_for_update` does nothing on SQLite)."""

from __future__ import annotations

from datetime import date

from claims.models import Charge, ChargeSet
from clinical_notes.models import NoteStatus, SessionNote


def lock_patient_day(*, patient_id: int, day: date) -> list[int]:
    """Lock the patient's final notes of `day`: captures of the same patient and date run one at a
    time (each note's share of the day depends on what the others already captured)."""
    notes = (
        SessionNote.objects.select_for_update(of=("self",))
        .filter(patient_id=patient_id, date_of_service=day, status=NoteStatus.FINAL)
        .order_by("pk")
        .only("pk")
    )
    return [note.pk for note in notes]


def lock_charge_set(*, practice_id: int, charge_set_id: int) -> ChargeSet | None:
    return (
        ChargeSet.objects.select_for_update(of=("self",))
        .filter(pk=charge_set_id, practice_id=practice_id)
        .first()
    )


def lock_charge(*, charge_set_id: int, charge_id: int) -> Charge | None:
    return (
        Charge.objects.select_for_update(of=("self",))
        .filter(pk=charge_id, charge_set_id=charge_set_id)
        .first()
    )
