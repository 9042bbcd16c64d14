"""Charge capture reads the diagnoses a final note was signed with, not today's problem list (issue #7)."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.selectors.facts import diagnosis_codes, final_sessions, session_of
from claims.services import note_ready_to_bill_record
from patients.models import PatientDiagnosis
from tests.claims.conftest import charges_of, final_note

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("_case", ["orm_update", "raw_sql"])
def test_capture_after_the_problem_list_changed_uses_the_signed_code(billing, _case):
    # given: a final note signed with F84.0, not captured yet
    note = final_note(billing, capture=False)
    diagnosis = billing.clinic.diagnosis
    # when: the patient's diagnosis says something else before the capture runs
    if _case == "orm_update":
        PatientDiagnosis.objects.filter(pk=diagnosis.pk).update(code="F411", description="Changed")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE patients_patientdiagnosis SET code = 'F411', description = 'Changed' WHERE id = %s",
                [diagnosis.pk],
            )
    note_ready_to_bill_record(note_id=note.pk)
    # then
    captured = session_of(final_sessions(note_id=note.pk), note.pk)
    assert captured is not None
    assert diagnosis_codes(captured) == ("F84.0",)
    assert charges_of(note).claim_diagnoses == ["F84.0"]
