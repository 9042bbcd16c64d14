"""A signed note keeps the diagnoses it was signed with (issue #7).

Signing copies each diagnosis's code and description onto the note's own rows; the note page,
the PDF and the API read that copy, whatever later happens to the patient's problem list
(through the patients services, the ORM or raw SQL). An editable note shows the problem list
as it is today. (The charge capture is checked in tests/claims/services/test_capture_signed_diagnoses.py.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from clinical_notes import services
from clinical_notes.models import NoteDiagnosis, SessionNote
from patients import services as patient_services
from patients.domain.types import DiagnosisInput
from patients.models import PatientDiagnosis
from tests.clinical_notes.helpers import sign
from tests.clinical_notes.views.builders import awaiting_note, final_note, returned_note, tech_note
from tests.clinical_notes.views.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

SIGNED = ("F840", "Synthetic diagnosis")
LATER = ("F849", "Changed after signing")


def recorded(note_id: int) -> list[tuple[int, int, str, str]]:
    return list(
        NoteDiagnosis.objects.filter(note_id=note_id)
        .order_by("position")
        .values_list("diagnosis_id", "position", "code", "description")
    )


def change_problem_list(clinic, how: str) -> None:
    """Change what the patient's diagnosis says after the note was signed."""
    diagnosis = clinic.diagnosis
    if how == "patients_services":
        # The patients services have no "edit a code": the diagnosis is resolved and replaced.
        biller = clinic.access(clinic.biller_user)
        patient_services.diagnosis_resolve(
            access=biller,
            patient_id=clinic.patient.pk,
            diagnosis_id=diagnosis.pk,
            resolved_on=dt.date(2026, 3, 10),
        )
        patient_services.diagnosis_add(
            access=biller,
            patient_id=clinic.patient.pk,
            diagnosis=DiagnosisInput(code="F84.9", description=LATER[1], onset_on=dt.date(2026, 3, 10)),
        )
    elif how == "orm_update":
        PatientDiagnosis.objects.filter(pk=diagnosis.pk).update(code=LATER[0], description=LATER[1])
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE patients_patientdiagnosis SET code = %s, description = %s WHERE id = %s",
                [*LATER, diagnosis.pk],
            )


def api_diagnoses(client, note_id: int) -> list[dict[str, object]]:
    response = client.get(reverse("notes_api:detail", kwargs={"note_id": note_id}))
    assert response.status_code == 200
    return response.json()["diagnoses"]


# ---------------------------------------------------------------------------- recording


def test_signing_records_each_diagnosis_as_signed(clinic):
    # given
    draft = tech_note(clinic)
    assert recorded(draft.pk) == [(clinic.diagnosis.pk, 1, "", "")]
    # when
    note = sign(clinic.access(clinic.tech_user), draft)
    # then
    assert note.status == "awaiting_cosign"
    assert recorded(note.pk) == [(clinic.diagnosis.pk, 1, *SIGNED)]


def test_the_cosigner_signs_what_the_author_signed(clinic):
    # given: the problem list changes while the note waits for its co-signature
    note = awaiting_note(clinic)
    change_problem_list(clinic, "orm_update")
    # when
    services.note_cosign(access=clinic.access(clinic.supervisor_user), note_id=note.pk, attested=True)
    # then
    assert SessionNote.objects.get(pk=note.pk).status == "final"
    assert recorded(note.pk) == [(clinic.diagnosis.pk, 1, *SIGNED)]


def test_a_returned_note_forgets_the_record_and_signing_again_records_today(clinic):
    # given
    note = returned_note(clinic)
    assert recorded(note.pk) == [(clinic.diagnosis.pk, 1, "", "")]
    change_problem_list(clinic, "orm_update")
    # when
    sign(clinic.access(clinic.tech_user), note)
    # then
    assert recorded(note.pk) == [(clinic.diagnosis.pk, 1, *LATER)]


def test_the_pointer_order_is_kept_as_signed(clinic):
    # given
    second = PatientDiagnosis.objects.create(
        patient=clinic.patient, code="F411", description="Synthetic anxiety", rank=2
    )
    tech = clinic.access(clinic.tech_user)
    draft = tech_note(clinic)
    draft = services.note_draft_update(
        access=tech, note_id=draft.pk, version=draft.version, diagnosis_ids=[second.pk, clinic.diagnosis.pk]
    )
    # when
    note = sign(tech, draft)
    PatientDiagnosis.objects.filter(pk=second.pk).update(rank=9, code="F419")
    # then
    assert recorded(note.pk) == [
        (second.pk, 1, "F411", "Synthetic anxiety"),
        (clinic.diagnosis.pk, 2, *SIGNED),
    ]


# ---------------------------------------------------------------------------- reading


@pytest.mark.parametrize("how", ["patients_services", "orm_update", "raw_sql"])
def test_a_final_note_says_what_it_was_signed_with_after_the_problem_list_changes(clinic, client_for, how):
    # given
    note = final_note(clinic)
    # when
    change_problem_list(clinic, how)
    # then: the stored record, the page, the PDF and the API
    assert recorded(note.pk) == [(clinic.diagnosis.pk, 1, *SIGNED)]
    biller = client_for(clinic.biller_user)
    page = biller.get(reverse("clinical_notes:detail", args=[note.pk]))
    assert page.context["note"].diagnoses == ["F84.0 Synthetic diagnosis"]
    text = pdf_text(biller.get(reverse("clinical_notes:pdf", args=[note.pk])).content)
    assert "F84.0 Synthetic diagnosis" in text
    assert "F84.9" not in text
    assert LATER[1] not in text
    assert api_diagnoses(biller, note.pk) == [
        {"id": clinic.diagnosis.pk, "code": "F84.0", "description": SIGNED[1], "position": 1}
    ]


def test_a_draft_shows_the_problem_list_as_it_is_today(clinic, client_for):
    # given
    note = tech_note(clinic)
    # when
    change_problem_list(clinic, "orm_update")
    # then
    tech = client_for(clinic.tech_user)
    assert api_diagnoses(tech, note.pk) == [
        {"id": clinic.diagnosis.pk, "code": "F84.9", "description": LATER[1], "position": 1}
    ]
    page = tech.get(reverse("clinical_notes:detail", args=[note.pk]))
    assert page.context["note"].diagnoses == [f"F84.9 {LATER[1]}"]


# ---------------------------------------------------------------------------- the database


@pytest.mark.postgres
def test_the_record_of_a_final_note_cannot_be_rewritten(clinic):
    # given
    note = final_note(clinic)
    # when / then
    with pytest.raises(IntegrityError, match="is final; its parts cannot be changed"), transaction.atomic():
        NoteDiagnosis._base_manager.filter(note_id=note.pk).update(code=LATER[0], description=LATER[1])
    assert recorded(note.pk) == [(clinic.diagnosis.pk, 1, *SIGNED)]


@pytest.mark.postgres
@pytest.mark.parametrize(("_case", "status"), [("sign", "awaiting_cosign"), ("finalise", "final")])
def test_the_database_refuses_to_sign_a_note_whose_diagnoses_are_not_recorded(clinic, _case, status):
    # given: a complete draft, signed around the services
    note = tech_note(clinic)
    # when / then
    with (
        pytest.raises(IntegrityError, match="its diagnoses are not recorded as signed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE clinical_notes_sessionnote SET status = %s, signed_at = now(), finalized_at = now()"
            " WHERE id = %s",
            [status, note.pk],
        )
    assert SessionNote.objects.get(pk=note.pk).status == "draft"
