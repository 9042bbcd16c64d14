"""In a real browser: a technician's note for a service the patient's Medicaid plan will not pay
from a technician shows the warning by the Sign button; the service list offers the services the
technician may give first; choosing one reloads the editor without the warning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clinical_notes import services
from core.domain.service_types import ServiceType
from payer_rules.demo_rules import MEDICAID
from practice.access import practice_access_for
from tests.e2e.helpers import login_with_mfa
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, PracticeFactory
from tests.factories.authorizations import PayerRuleSetFactory
from tests.factories.clinical import CareTeamMemberFactory, PatientDiagnosisFactory, SupervisionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def counseling_note(make_member):
    practice = PracticeFactory(timezone="America/New_York")
    # an RBT: the demo Medicaid plan pays H0004 from a BHT (under the supervisor) but not from an RBT
    tech = make_member("technician", practice, provider=True, credential="RBT")
    supervisor = make_member("supervisor", practice, provider=True, credential="BCBA")
    provider = tech.provider_profiles.get()
    SupervisionFactory(
        supervisor=supervisor.provider_profiles.get(), supervisee=provider, starts_on=dt.date(2025, 1, 1)
    )
    patient = PatientFactory(practice=practice)
    CareTeamMemberFactory(patient=patient, provider=provider)
    PatientDiagnosisFactory(patient=patient, code="F840", description="Autistic disorder")
    payer = PayerFactory(practice=practice, kind="medicaid", name="Keystone Community Care")
    PayerRuleSetFactory(payer=payer, effective_from=dt.date(2024, 1, 1), rules=MEDICAID.rules)
    CoverageFactory(patient=patient, payer=payer, effective_on=dt.date(2025, 1, 1))
    note = services.note_create(
        access=practice_access_for(user=tech, practice_id=practice.pk),
        patient_id=patient.pk,
        service_type=ServiceType.BEHAVIORAL_HEALTH_COUNSELING,
        date_of_service=timezone.localdate(),
    )
    return tech, note


def test_warning_before_signing_and_permitted_services_first(live_server, page: Page, counseling_note):
    tech, note = counseling_note
    base = live_server.url

    # given: the technician opens their counseling note
    login_with_mfa(page, base, tech)
    page.goto(f"{base}/notes/{note.pk}/edit/")

    # then: the warning sits in the Sign panel, in plain words, and says signing still works
    warning = page.locator("#sign #payer-scope-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(
        "Keystone Community Care will not pay behavioral health counseling (H0004)"
    )
    expect(warning).to_contain_text("You can still sign")
    # the services an RBT may give for this plan come first
    groups = page.locator("select[data-header=service_type] optgroup")
    expect(groups.first).to_have_attribute("label", "Services you may provide")
    expect(groups.first.locator("option").first).to_have_attribute("value", "aba_technician_treatment")
    expect(groups.nth(1)).to_have_attribute(
        "label", "Not paid for your credential by Keystone Community Care"
    )

    # when: they pick a service they may give (the editor saves and reloads with its template)
    page.select_option("select[data-header=service_type]", "aba_technician_treatment")

    # then: once reloaded, no warning any more, and the note is the ABA session
    expect(page.locator("#payer-scope-warning")).to_have_count(0, timeout=15_000)
    page.reload()
    expect(page.locator("select[data-header=service_type]")).to_have_value("aba_technician_treatment")
    expect(page.locator("#sign")).to_be_visible()
