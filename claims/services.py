"""Claims use cases. For now: record a final note as ready to bill (the documentation hand-off)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from claims.models import BillableNote
from clinical_notes.selectors import final_note_ref


def note_ready_to_bill_record(*, note_id: int) -> BillableNote | None:
    """Record the final note `note_id` as ready to bill. Idempotent on the note's id.

    Called (through its task) when a note becomes final. A second call for the same note
    returns the existing row and changes nothing; a note that is not final (or missing)
    is not recorded (None).
    """
    ref = final_note_ref(note_id=note_id)
    if ref is None:
        return None
    with transaction.atomic(durable=True):
        billable, _created = BillableNote.objects.get_or_create(
            note_id=ref.note_id,
            defaults={
                "practice_id": ref.practice_id,
                "status": BillableNote.Status.READY_TO_BILL,
                "recorded_at": timezone.now(),
            },
        )
    return billable
