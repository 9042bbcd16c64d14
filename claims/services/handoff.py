"""The documentation hand-off: a final note is recorded as ready to bill, then captured."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from claims.models import BillableNote
from claims.services.capture import charges_capture_for_note
from clinical_notes.selectors import final_note_ref


def note_ready_to_bill_record(*, note_id: int) -> BillableNote | None:
    """Record the final note `note_id` as ready to bill, then capture its charges.

    Called (through its task) when a note becomes final. Idempotent: a second call finds the
    row and the charge set and changes nothing; a note that is not final (or missing) is not
    recorded (None).
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
    charges_capture_for_note(note_id=note_id)
    return billable
