"""The psychotherapy-with-E/M fields in a real browser (issue 8, item 3): the editor's autosave
sends the E/M level, its support, the E/M minutes (a number) and the interactive-complexity
reasons (a list), and the page shows them again after a reload."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clinical_notes import services
from clinical_notes.models import SessionNote
from practice.access import practice_access_for
from tests.e2e.helpers import login_with_mfa
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.clinical import CareTeamMemberFactory, PatientDiagnosisFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_editor_autosaves_the_em_level_its_support_and_interactive_complexity(
    live_server, page: Page, make_member
):
    # given: a psychiatrist's psychotherapy-with-E/M draft
    practice = PracticeFactory(timezone="America/New_York")
    user = make_member("clinician", practice, provider=True, credential="MD/DO")
    provider = user.provider_profiles.get()
    patient = PatientFactory(practice=practice)
    CareTeamMemberFactory(patient=patient, provider=provider)
    PatientDiagnosisFactory(patient=patient, code="F332")
    access = practice_access_for(user=user, practice_id=practice.pk)
    assert access is not None
    note = services.note_create(
        access=access,
        patient_id=patient.pk,
        service_type="individual_psychotherapy_with_em",
        date_of_service=timezone.localdate(),
    )
    base = live_server.url
    login_with_mfa(page, base, user)
    page.goto(f"{base}/notes/{note.pk}/edit/")
    expect(page).to_have_url(re.compile(rf"/notes/{note.pk}/edit/$"))
    section = page.locator("#visit-coding")
    expect(section).to_contain_text("E/M and add-ons")

    # when
    page.select_option("#id_content-em_code", "99214")
    page.select_option("#id_content-em_basis", "time")
    page.fill("#id_content-em_minutes", "32")
    page.check("input[data-content-choices=interactive_complexity][value=caregiver_interference]")
    page.check("input[data-content-choices=interactive_complexity][value=play_or_devices]")
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=15_000)

    # then: stored in their types
    saved = SessionNote.objects.get(pk=note.pk)
    assert (
        saved.content.get("em_code"),
        saved.content.get("em_basis"),
        saved.content.get("em_minutes"),
        saved.content.get("interactive_complexity"),
    ) == ("99214", "time", 32, ["caregiver_interference", "play_or_devices"])
    # and shown again after a reload
    page.reload()
    expect(page.locator("#id_content-em_code")).to_have_value("99214")
    expect(page.locator("#id_content-em_minutes")).to_have_value("32")
    expect(
        page.locator("input[data-content-choices=interactive_complexity][value=play_or_devices]")
    ).to_be_checked()
