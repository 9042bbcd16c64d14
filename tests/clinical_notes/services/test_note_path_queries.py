"""The clinical side of a note's life in a fixed, small number of queries: create → draft →
sign → co-sign. (Charge capture runs after commit on the claims side and is not counted here.)"""

from __future__ import annotations

import datetime as dt

import pytest

from clinical_notes import services
from clinical_notes.domain.types import Segment
from core.domain.service_types import ServiceType
from tests.clinical_notes.helpers import NY, session_start
from tests.factories.clinical_content import complete_content_for

pytestmark = pytest.mark.django_db

# Each step: the practice's zone and the visibility check, the work, its event and its audit
# event (savepoint, chain head lock, insert, head update, release), BEGIN and COMMIT. Signing
# also copies the diagnoses onto the note (read, update); co-signing checks that copy (read) and
# commits the hand-off's BackgroundJob row with the note (get_or_create: 4).
QUERIES = {"create": 12, "draft": 19, "sign": 27, "cosign": 21}


def test_create_draft_sign_and_cosign_cost_a_fixed_number_of_queries(clinic, django_assert_max_num_queries):
    tech, supervisor = clinic.access(clinic.tech_user), clinic.access(clinic.supervisor_user)
    service = ServiceType.ABA_TECHNICIAN_TREATMENT
    start = session_start()
    audit_head = services.note_create(  # the audit chain's head row exists from here on
        access=tech, patient_id=clinic.patient.pk, service_type=service, date_of_service=dt.date(2026, 3, 2)
    )
    services.note_delete_draft(access=tech, note_id=audit_head.pk)
    with django_assert_max_num_queries(QUERIES["create"]):
        note = services.note_create(
            access=tech,
            patient_id=clinic.patient.pk,
            service_type=service,
            date_of_service=start.astimezone(NY).date(),
        )
    with django_assert_max_num_queries(QUERIES["draft"]):
        note = services.note_draft_update(
            access=tech,
            note_id=note.pk,
            version=note.version,
            content=complete_content_for(service, seed=3),
            segments=[Segment(starts_at=start, ends_at=start + dt.timedelta(minutes=60))],
            diagnosis_ids=[clinic.diagnosis.pk],
        )
    with django_assert_max_num_queries(QUERIES["sign"]):
        signed = services.note_sign(access=tech, note_id=note.pk, attested=True)
    with django_assert_max_num_queries(QUERIES["cosign"]):
        final = services.note_cosign(access=supervisor, note_id=note.pk, attested=True)
    assert (signed.status, final.status, final.cosigned_by_id) == (
        "awaiting_cosign",
        "final",
        clinic.supervisor_user.pk,
    )
