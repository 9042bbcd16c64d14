"""Row locks for the claims services: claims' own rows only (ordered by pk where several)."""

from __future__ import annotations

from datetime import date, datetime

from claims.models import CaptureDay, Charge, ChargeSet, ClaimCounter


def lock_patient_day(*, patient_id: int, day: date, at: datetime) -> None:
    """Lock the patient's `CaptureDay` row for `day` until the transaction ends, creating it when
    missing, in one statement: an upsert (INSERT ... ON CONFLICT DO UPDATE) holds the row lock on
    PostgreSQL whether it inserted or updated, and a concurrent capture of the same patient and
    date waits for this one to commit. (SQLite serialises writers anyway.)"""
    CaptureDay.objects.bulk_create(
        [CaptureDay(patient_id=patient_id, date_of_service=day, locked_at=at)],
        update_conflicts=True,
        unique_fields=["patient", "date_of_service"],
        update_fields=["locked_at"],
    )


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


def lock_practice_assembly(*, practice_id: int) -> None:
    """Lock the practice's assembly row until the transaction ends (created when missing):
    a second assembly of the practice waits, then finds the charges already on claims."""
    name = f"assemble:{practice_id}"
    ClaimCounter.objects.get_or_create(name=name)
    ClaimCounter.objects.select_for_update().filter(name=name).values_list("name", flat=True).get()
