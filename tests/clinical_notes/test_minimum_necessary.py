"""Minimum necessary through every channel (note page, PDF, API), per role, with Part 2 consent and
the audited "open the full note". The permission matrix (matrix_entries.NOTE_VIEW_BY_ROLE) says
which view each role gets; these tests check what each view contains."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from clinical_notes import services
from clinical_notes.models import FullNoteOpening
from patients.models import Consent, Patient
from tests.clinical_notes.conftest import NOW
from tests.clinical_notes.matrix_entries import NOTE_VIEW_BY_ROLE
from tests.clinical_notes.views.builders import final_note

pytestmark = pytest.mark.django_db

# Keys of the ABA technician template: which a billing view keeps and which it withholds.
BILLING_KEYS = ("medical_necessity",)
CLINICAL_KEYS = ("behavior_data", "patient_response", "progress", "plan", "session_focus")


def _user(clinic: Any, role: str) -> Any:
    return {
        "technician": clinic.tech_user,
        "supervisor": clinic.supervisor_user,
        "clinician": clinic.clinician_user,
        "biller": clinic.biller_user,
        "practice_admin": clinic.admin_user,
        "compliance": clinic.compliance_user,
    }[role]


def _page(client: Any, note: Any) -> tuple[int, str]:
    response = client.get(reverse("clinical_notes:detail", args=[note.pk]))
    return response.status_code, response.content.decode()


def _pdf(client: Any, note: Any) -> tuple[int, str]:
    response = client.get(reverse("clinical_notes:pdf", args=[note.pk]))
    if response.status_code != 200:
        return response.status_code, ""
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-enc", "UTF-8", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return 200, " ".join(text.split())


def _api(client: Any, note: Any) -> tuple[int, str]:
    response = client.get(reverse("notes_api:detail", args=[note.pk]))
    if response.status_code != 200:
        return response.status_code, ""
    body = response.json()
    return 200, " ".join(
        [str(v) for v in body["content"].values()]
        + [m["instrument_label"] for m in body["measurements"]]
        + [a["text"] for a in body["addenda"]]
        + [f"disclosure={body['disclosure']}"]
    )


CHANNELS = {"page": _page, "pdf": _pdf, "api": _api}


def _seen(note: Any, text: str) -> str:
    """Which view `text` is: full (clinical text in it), billing (only the billing part) or none."""
    content = note.content
    has_billing = all(" ".join(str(content[k]).split()) in text for k in BILLING_KEYS)
    has_clinical = [k for k in CLINICAL_KEYS if " ".join(str(content[k]).split()) in text]
    addendum = "The caregiver reported the same card use" in text
    if has_clinical and addendum and has_billing:
        return "full"
    if has_billing and not has_clinical and not addendum:
        return "billing"
    return f"mixed: billing={has_billing} clinical={has_clinical} addendum={addendum}"


@pytest.fixture
def note(clinic):  # type: ignore[no-untyped-def]
    final = final_note(clinic)
    services.note_addendum_add(
        access=clinic.access(clinic.tech_user),
        note_id=final.pk,
        reason="Late entry",
        text="The caregiver reported the same card use at home that evening.",
    )
    return final


# The clinic fixture: the technician wrote the note; the supervisor supervises them; the clinician
# is on no care team. The matrix's shared graph has no supervision, so the supervisor differs there.
EXPECTED = {**NOTE_VIEW_BY_ROLE, "supervisor": "full"}


@pytest.mark.parametrize("channel", sorted(CHANNELS))
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_its_view_of_a_final_note_through_each_channel(
    clinic, note, client_for, role, channel
):
    # when
    status, text = CHANNELS[channel](client_for(_user(clinic, role)), note)
    # then
    expected = EXPECTED[role]
    if expected == "none":
        assert status in (403, 404)
        return
    assert status == 200
    assert _seen(note, text) == expected


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_a_biller_who_opens_the_full_note_sees_it_for_thirty_minutes(clinic, note, client_for, channel):
    # given
    client = client_for(clinic.biller_user)
    response = client.post(
        reverse("clinical_notes:open_full", args=[note.pk]),
        {"purpose": "appeal", "detail": "Appeal ref A-118 (denied 90837)"},
    )
    assert response.status_code == 302
    # then: open now, and until a second before the 30 minutes end (the session's 15-minute idle
    # timeout is renewed on the way)
    assert _seen(note, CHANNELS[channel](client, note)[1]) == "full"
    for after in (dt.timedelta(minutes=14), dt.timedelta(minutes=28), dt.timedelta(minutes=30, seconds=-1)):
        with time_machine.travel(NOW + after, tick=False):
            assert _seen(note, CHANNELS[channel](client, note)[1]) == "full", after
    # and the billing view again once they have passed
    with time_machine.travel(NOW + dt.timedelta(minutes=30), tick=False):
        assert _seen(note, CHANNELS[channel](client, note)[1]) == "billing"
    # and the practice admin, who opened nothing, still gets the billing view
    assert _seen(note, CHANNELS[channel](client_for(clinic.admin_user), note)[1]) == "billing"


def test_opening_the_full_note_is_audited_with_its_purpose_not_its_free_text(clinic, note, client_for):
    # given
    before = AuditEvent.objects.count()
    # when
    response = client_for(clinic.biller_user).post(
        reverse("notes_api:open_full", args=[note.pk]),
        {"purpose": "payer_audit", "detail": "Audit letter from Jane Roe at the payer"},
        content_type="application/json",
    )
    # then
    assert response.status_code == 201
    opening = FullNoteOpening.objects.get()
    assert response.json()["expires_at"].startswith("2026-03-10T16:30:00")
    assert (opening.purpose, opening.detail, opening.user_id) == (
        "payer_audit",
        "Audit letter from Jane Roe at the payer",
        clinic.biller_user.pk,
    )
    [event] = AuditEvent.objects.order_by("seq")[before:]
    assert (event.action, event.outcome, event.patient_id, event.object_id, event.actor_id) == (
        "view",
        "allowed",
        note.patient_id,
        str(note.pk),
        clinic.biller_user.pk,
    )
    assert event.detail == f"full_note_opened;purpose=payer_audit;minutes=30;opening={opening.pk}"
    assert "Jane Roe" not in event.detail


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"purpose", "detail"}),
        ({"purpose": "curiosity", "detail": "Appeal 118"}, {"purpose"}),
        ({"purpose": "appeal", "detail": "118"}, {"detail"}),
    ],
)
def test_opening_without_a_purpose_is_refused_and_nothing_opens(clinic, note, client_for, body, fields):
    # when
    response = client_for(clinic.biller_user).post(
        reverse("notes_api:open_full", args=[note.pk]), body, content_type="application/json"
    )
    # then
    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == fields
    assert not FullNoteOpening.objects.exists()


def test_the_page_shows_the_refusal_on_the_form(clinic, note, client_for):
    response = client_for(clinic.biller_user).post(
        reverse("clinical_notes:open_full", args=[note.pk]), {"purpose": "appeal", "detail": ""}
    )
    assert response.status_code == 400
    assert "open-full-form" in response.content.decode()
    assert not FullNoteOpening.objects.exists()


@pytest.mark.parametrize("role", ["technician", "supervisor", "clinician", "compliance"])
def test_only_billing_readers_open_the_full_note_and_permission_comes_before_the_body(
    clinic, note, client_for, role
):
    # when: an invalid body, from roles that may not open the full note
    response = client_for(_user(clinic, role)).post(
        reverse("notes_api:open_full", args=[note.pk]), {}, content_type="application/json"
    )
    # then
    assert response.status_code == 403
    assert not FullNoteOpening.objects.exists()


def _part2(patient: Any) -> None:
    Patient.objects.filter(pk=patient.pk).update(is_substance_use_program=True)


def _consent(patient: Any, **dates: Any) -> Consent:
    return Consent.objects.create(
        patient_id=patient.pk,
        kind=Consent.Kind.PART2_TPO,
        signed_on=dates.get("signed_on", dt.date(2026, 1, 5)),
        expires_on=dates.get("expires_on"),
        revoked_on=dates.get("revoked_on"),
        recipient="Payers of record",
        purpose="Payment",
    )


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_a_part2_patients_note_is_not_disclosed_to_billing_readers_without_consent(
    clinic, note, client_for, channel
):
    # given
    _part2(clinic.patient)
    # then: nothing for the biller, through any channel; the care team keeps the full note
    assert CHANNELS[channel](client_for(clinic.biller_user), note)[0] == 404
    assert _seen(note, CHANNELS[channel](client_for(clinic.tech_user), note)[1]) == "full"


def test_a_part2_note_cannot_be_opened_in_full_without_consent_and_is_not_listed(clinic, note, client_for):
    # given
    _part2(clinic.patient)
    client = client_for(clinic.biller_user)
    # when
    opened = client.post(
        reverse("notes_api:open_full", args=[note.pk]),
        {"purpose": "appeal", "detail": "Appeal 2026-118"},
        content_type="application/json",
    )
    listed = client.get(reverse("notes_api:list"))
    # then
    assert opened.status_code == 404
    assert not FullNoteOpening.objects.exists()
    assert note.pk not in [row["id"] for row in listed.json()["results"]]
    denied = AuditEvent.objects.filter(outcome="denied", object_id=str(note.pk)).values_list(
        "detail", flat=True
    )
    assert list(denied) == ["reason=not_accessible"]


@pytest.mark.parametrize(
    ("_case", "dates", "expected"),
    [
        ("active", {}, "billing"),
        ("signed today", {"signed_on": dt.date(2026, 3, 10)}, "billing"),
        ("signed tomorrow", {"signed_on": dt.date(2026, 3, 11)}, "none"),
        ("expires today", {"expires_on": dt.date(2026, 3, 10)}, "billing"),
        ("expired yesterday", {"expires_on": dt.date(2026, 3, 9)}, "none"),
        ("revoked tomorrow", {"revoked_on": dt.date(2026, 3, 11)}, "billing"),
        ("revoked today", {"revoked_on": dt.date(2026, 3, 10)}, "none"),
    ],
)
def test_a_part2_note_is_disclosed_while_a_part2_consent_is_active(
    clinic, note, client_for, _case, dates, expected
):
    # given: today is 2026-03-10 in the practice's zone
    _part2(clinic.patient)
    _consent(clinic.patient, **dates)
    # when
    status, text = _page(client_for(clinic.biller_user), note)
    listed = client_for(clinic.biller_user).get(reverse("notes_api:list")).json()["results"]
    # then
    if expected == "none":
        assert status == 404
        assert note.pk not in [row["id"] for row in listed]
    else:
        assert status == 200
        assert _seen(note, text) == "billing"
        assert note.pk in [row["id"] for row in listed]


def test_billing_readers_do_not_get_the_documentation_checks(clinic, note, client_for):
    response = client_for(clinic.biller_user).get(reverse("notes_api:checks", args=[note.pk]))
    assert response.status_code == 403
