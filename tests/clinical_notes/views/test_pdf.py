"""The note as a PDF (records requests, appeals): its text, checked with poppler's pdftotext."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from clinical_notes import services
from tests.clinical_notes.views.builders import awaiting_note, final_note

pytestmark = pytest.mark.django_db

PDFTOTEXT = "/usr/bin/pdftotext"


def pdf_text(document: bytes) -> str:
    """The PDF's text with the layout's line breaks folded into single spaces."""
    result = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-", "-"], input=document, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def test_the_pdf_has_the_note_signatures_cosignature_and_addenda(clinic, client_for):
    # given
    note = final_note(clinic)
    services.note_addendum_add(
        access=clinic.access(clinic.tech_user),
        note_id=note.pk,
        reason="Late entry",
        text="The caregiver reported the same card use at home that evening.",
    )
    services.note_full_open(
        access=clinic.access(clinic.biller_user), note_id=note.pk, purpose="appeal", detail="Appeal 2026-118"
    )
    before = AuditEvent.objects.count()
    # when: the biller opened the full note (for an appeal) and prints it
    response = client_for(clinic.biller_user).get(reverse("clinical_notes:pdf", args=[note.pk]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="session-note-{note.pk}.pdf"'
    assert "no-store" in {part.strip() for part in response["Cache-Control"].split(",")}
    text = pdf_text(response.content)
    patient = clinic.patient
    for expected in [
        "Session note",
        f"Patient {patient.last_name}, {patient.first_name}",
        f"Account {patient.account_number}",
        "Service ABA treatment by technician",
        "Date of service Mon 9 Mar 2026",
        f"Rendering provider {clinic.tech.full_name}, RBT · NPI {clinic.tech.npi}",
        "Status Final",
        "Time 1: Mon 9 Mar 2026, 10:00–10:53 EDT (53 minutes)",
        "Total face-to-face time: 53 minutes",
        note.content["behavior_data"],
        "F84.0 Synthetic diagnosis",
        f"Signed electronically by {clinic.tech.full_name}, RBT, on 2026-03-10 at 12:00 EDT.",
        "I attest that I supervised this service, reviewed this note, and agree with its content. "
        f"Signed electronically by {clinic.supervisor.full_name}, BCBA, on 2026-03-10 at 12:00 EDT.",
        f"Addendum 1 · {clinic.tech_user.get_full_name()} · Tue 10 Mar 2026, 12:00 EDT",
        "Reason: Late entry",
        "The caregiver reported the same card use at home that evening.",
        f"Generated Tue 10 Mar 2026, 12:00 EDT by {clinic.biller_user.username}.",
    ]:
        assert expected in text, expected
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [(e.action, e.object_id, e.detail, e.patient_id, e.actor_id) for e in events] == [
        ("view", str(note.pk), "status=final;purpose=pdf;view=full", patient.pk, clinic.biller_user.pk)
    ]


def test_a_billers_pdf_is_the_billing_view_unless_the_full_note_is_open(clinic, client_for):
    # given
    note = final_note(clinic)
    services.note_addendum_add(
        access=clinic.access(clinic.tech_user),
        note_id=note.pk,
        reason="Late entry",
        text="The caregiver reported the same card use at home that evening.",
    )
    # when
    response = client_for(clinic.biller_user).get(reverse("clinical_notes:pdf", args=[note.pk]))
    # then
    text = pdf_text(response.content)
    assert "Billing view (minimum necessary)" in text
    assert "Time 1: Mon 9 Mar 2026, 10:00–10:53 EDT (53 minutes)" in text
    assert "F84.0 Synthetic diagnosis" in text
    assert f"Signed electronically by {clinic.tech.full_name}, RBT, on 2026-03-10 at 12:00 EDT." in text
    assert "1 addendum not included (billing view)." in text
    assert note.content["behavior_data"] not in text
    assert "The caregiver reported" not in text
    assert AuditEvent.objects.order_by("seq").last().detail == "status=final;purpose=pdf;view=billing"


def test_a_pdf_of_a_note_waiting_for_cosignature_says_it_is_not_final(clinic, client_for):
    # given
    note = awaiting_note(clinic)
    # when
    response = client_for(clinic.supervisor_user).get(reverse("clinical_notes:pdf", args=[note.pk]))
    # then
    text = pdf_text(response.content)
    assert "Status: Awaiting co-signature — this note is not final." in text
    assert f"Co-signature pending ({clinic.supervisor.full_name}, BCBA)." in text


def test_a_biller_gets_no_pdf_of_a_note_that_is_not_final(clinic, client_for):
    note = awaiting_note(clinic)
    assert (
        client_for(clinic.biller_user).get(reverse("clinical_notes:pdf", args=[note.pk])).status_code == 404
    )
