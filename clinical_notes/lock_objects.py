"""Row locks for note services: evaluated inside the caller's transaction."""

from __future__ import annotations

from clinical_notes.models import SessionNote


def note_lock(*, note_id: int, practice_id: int) -> SessionNote | None:
    """Lock one note of the practice (None when missing or another practice's)."""
    return (
        SessionNote.objects.select_for_update(of=("self",))
        .select_related("author")
        .filter(pk=note_id, practice_id=practice_id)
        .first()
    )
