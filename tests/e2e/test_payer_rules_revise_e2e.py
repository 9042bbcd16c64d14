"""Payer rules in a real browser: "try it" on the unsaved draft, then a version in force saved as
a new version from a chosen day (the old one keeps its rules); an authorization's per-code cap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from authorizations.domain.types import CapDetails
from authorizations.services import authorization_create
from payer_rules.demo_rules import MEDICAID
from payer_rules.models import PayerRuleSet
from practice.access import practice_access_for
from tests.e2e.helpers import login_with_mfa
from tests.factories import CoverageFactory, PatientFactory, PayerFactory
from tests.factories.authorizations import AuthorizationUsageFactory, PayerRuleSetFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin(practice, make_member):  # type: ignore[no-untyped-def]
    return make_member("practice_admin", practice)


def test_try_the_draft_then_save_it_as_a_new_version(live_server, page: Page, practice, admin):
    # given: Medicaid rules in force since 2024 with a daily maximum of 32 units of 97153
    payer = PayerFactory(practice=practice, kind="medicaid", name="Keystone Community Care")
    old = PayerRuleSetFactory(payer=payer, effective_from=dt.date(2024, 1, 1), rules=MEDICAID.rules)
    login_with_mfa(page, live_server.url, admin)
    page.goto(f"{live_server.url}/payers/{payer.pk}/rules/{old.pk}/edit/")
    expect(page.locator("#revise-notice")).to_contain_text("in force since Mon 1 Jan 2024")

    # when: the draft caps 97153 at 3 units a day, and the admin tries an hour of ABA on it
    page.fill("#id_max_units_per_day-0-code", "97153")
    page.fill("#id_max_units_per_day-0-units", "3")
    page.select_option("#id_try-service_type", "aba_technician_treatment")
    page.fill("#id_try-minutes", "60")
    page.select_option("#id_try-credential", "RBT")
    page.fill("#id_try-place_of_service", "12")
    page.click("#try-submit")

    # then: the result follows the draft, and nothing is saved yet
    lines = page.locator("#try-lines tbody tr")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text("97153")
    expect(lines.first.locator("td").nth(1)).to_have_text("3")
    assert PayerRuleSet.objects.count() == 1

    # when: saved from the first of next month
    change_from = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    page.fill("#id_version-effective_from", change_from.isoformat())
    page.click("#save-rule-set")

    # then: a new version from that day; the old one ends the day before with its rules
    expect(page.get_by_text("Saved as a new version from")).to_be_visible()
    old.refresh_from_db()
    new = PayerRuleSet.objects.exclude(pk=old.pk).get()
    assert (old.effective_to, old.rules) == (change_from - dt.timedelta(days=1), MEDICAID.rules)
    assert (new.effective_from, new.rules["coding"]["max_units_per_day"]) == (change_from, {"97153": 3})


def test_an_authorizations_cap_has_its_own_burn_down(live_server, page: Page, practice, admin):
    # given
    patient = PatientFactory(practice=practice)
    payer = PayerFactory(practice=practice, kind="medicaid")
    CoverageFactory(patient=patient, payer=payer)
    access = practice_access_for(user=admin, practice_id=practice.pk)
    today = timezone.localdate()
    auth = authorization_create(
        access=access,
        patient_id=patient.pk,
        payer_id=payer.pk,
        number="KCC-CAP-9",
        codes=["97153", "97155"],
        authorized=200,
        start_on=today - dt.timedelta(days=30),
        end_on=today + dt.timedelta(days=150),
        caps=[CapDetails(("97155",), 24)],
    )
    AuthorizationUsageFactory(
        authorization=auth,
        source_id="charge-line:1",
        code="97155",
        units=18,
        service_date=today - dt.timedelta(days=3),
    )
    login_with_mfa(page, live_server.url, admin)

    # when
    page.goto(f"{live_server.url}/authorizations/{auth.pk}/")

    # then
    cap = page.locator("#auth-caps .auth-cap")
    expect(cap).to_have_count(1)
    expect(cap.first).to_contain_text("97155")
    expect(cap.first).to_contain_text("18 used · 0 planned · 6 left of 24 units")
    expect(page.locator("#auth-facts")).to_contain_text("97155: at most 24")
