"""Minimum necessary in a real browser: a biller opens a final note and sees the billing view; they
open the full note for an appeal (purpose and detail), and the clinical narrative appears."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from audit.models import AuditEvent
from clinical_notes import services
from practice.access import practice_access_for
from tests.clinical_notes.helpers import sign, write_note
from tests.e2e.helpers import login_with_mfa
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.clinical import CareTeamMemberFactory, PatientDiagnosisFactory, SupervisionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def final_note(make_member):  # type: ignore[no-untyped-def]
    practice = PracticeFactory(timezone="America/New_York")
    tech = make_member("technician", practice, provider=True, credential="RBT")
    supervisor = make_member("supervisor", practice, provider=True, credential="BCBA")
    biller = make_member("biller", practice)
    SupervisionFactory(
        supervisor=supervisor.provider_profiles.get(),
        supervisee=tech.provider_profiles.get(),
        starts_on=dt.date(2025, 1, 1),
    )
    patient = PatientFactory(practice=practice)
    CareTeamMemberFactory(patient=patient, provider=tech.provider_profiles.get())
    diagnosis = PatientDiagnosisFactory(patient=patient, code="F840", description="Autistic disorder")
    tech_access = practice_access_for(user=tech, practice_id=practice.pk)
    supervisor_access = practice_access_for(user=supervisor, practice_id=practice.pk)
    assert tech_access is not None
    assert supervisor_access is not None
    note = sign(tech_access, write_note(tech_access, patient_id=patient.pk, diagnosis_ids=[diagnosis.pk]))
    note = services.note_cosign(access=supervisor_access, note_id=note.pk, attested=True)
    return {"note": note, "biller": biller}


def test_a_biller_sees_the_billing_view_then_opens_the_full_note_for_an_appeal(
    live_server, page: Page, final_note
):
    note, biller = final_note["note"], final_note["biller"]
    necessity, narrative = note.content["medical_necessity"], note.content["behavior_data"]
    # given
    login_with_mfa(page, live_server.url, biller)
    # when
    page.goto(f"{live_server.url}/notes/{note.pk}/")
    # then: the billing view
    expect(page.locator("#billing-view")).to_contain_text("Billing view")
    expect(page.locator("#note-content")).to_contain_text(necessity)
    expect(page.locator("#note-content")).not_to_contain_text(narrative)
    expect(page.locator("#history")).to_have_count(0)
    # when: they open the full note for an appeal
    page.click("#open-full-note summary")
    page.select_option("#id_purpose", "appeal")
    page.fill("#id_detail", "Appeal A-118, denied for medical necessity")
    page.click("#open-full")
    # then
    expect(page.locator("#full-note-open")).to_contain_text("stays open to you until")
    expect(page.locator("#note-content")).to_contain_text(narrative)
    expect(page.locator("#history")).to_be_visible()
    opened = AuditEvent.objects.filter(actor_id=biller.pk, detail__startswith="full_note_opened").get()
    assert opened.detail.startswith("full_note_opened;purpose=appeal;minutes=30")
