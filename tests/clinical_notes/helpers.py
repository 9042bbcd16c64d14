"""Building notes through the services (the way the application does)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from accounts.access import PracticeAccess
from clinical_notes import services
from clinical_notes.domain.types import Segment
from clinical_notes.models import SessionNote
from core.domain.service_types import ServiceType
from tests.factories.clinical_content import complete_content_for

NY = ZoneInfo("America/New_York")


def session_start(day: int = 9, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=NY)


def write_note(
    access: PracticeAccess,
    *,
    patient_id: int,
    diagnosis_ids: list[int],
    service_type: ServiceType = ServiceType.ABA_TECHNICIAN_TREATMENT,
    start: dt.datetime | None = None,
    minutes: int = 53,
    seed: int = 1,
    content: dict[str, object] | None = None,
) -> SessionNote:
    """An ad hoc draft, filled completely through `note_draft_update`."""
    start = start or session_start()
    note = services.note_create(
        access=access,
        patient_id=patient_id,
        service_type=service_type,
        date_of_service=start.astimezone(NY).date(),
    )
    return services.note_draft_update(
        access=access,
        note_id=note.pk,
        version=note.version,
        content=content if content is not None else complete_content_for(service_type, seed=seed),
        segments=[Segment(starts_at=start, ends_at=start + dt.timedelta(minutes=minutes))],
        diagnosis_ids=diagnosis_ids,
    )


def sign(access: PracticeAccess, note: SessionNote) -> SessionNote:
    return services.note_sign(access=access, note_id=note.pk, attested=True)
