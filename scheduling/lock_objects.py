"""Row locks for scheduling services: evaluated inside the caller's transaction, ordered by pk.

Bookings lock the provider row (practice.lock_objects.providers_lock) so that two concurrent
bookings of the same provider cannot both pass the double-booking check. On SQLite
`select_for_update` is a no-op (SQLite serializes writers anyway).
"""

from __future__ import annotations

from scheduling.models import Appointment, GroupSession


def appointment_lock(*, practice_id: int, appointment_id: int) -> Appointment | None:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .filter(pk=appointment_id, practice_id=practice_id)
        .first()
    )


def group_session_lock(*, practice_id: int, group_session_id: int) -> GroupSession | None:
    return (
        GroupSession.objects.select_for_update(of=("self",))
        .filter(pk=group_session_id, practice_id=practice_id)
        .first()
    )
