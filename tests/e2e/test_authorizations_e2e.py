"""Prior authorizations and payer rules in a real browser: burn-down bars with alert badges, and
the "try it" panel of a payer's rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from payer_rules.demo_rules import MEDICAID
from tests.e2e.helpers import login_with_mfa
from tests.factories import CoverageFactory, PatientFactory, PayerFactory
from tests.factories.authorizations import (
    AuthorizationUsageFactory,
    PayerRuleSetFactory,
    PriorAuthorizationFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin(practice, make_member):  # type: ignore[no-untyped-def]
    return make_member("practice_admin", practice)


def test_authorization_list_shows_burn_down_and_alerts(live_server, page: Page, practice, admin):
    # given: 36 of 40 units used and ten days to go
    today = timezone.localdate()
    patient = PatientFactory(practice=practice, first_name="Robin", last_name="Hale")
    payer = PayerFactory(practice=practice, kind="medicaid", name="Keystone Community Care")
    CoverageFactory(patient=patient, payer=payer)
    auth = PriorAuthorizationFactory(
        practice=practice,
        patient=patient,
        payer=payer,
        number="KCC-2026-7",
        authorized=40,
        start_on=today - dt.timedelta(days=30),
        end_on=today + dt.timedelta(days=10),
    )
    AuthorizationUsageFactory(authorization=auth, units=36, service_date=today - dt.timedelta(days=2))
    login_with_mfa(page, live_server.url, admin)

    # when
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Authorizations").click()

    # then
    row = page.locator(f"#auth-{auth.pk}")
    expect(row).to_contain_text("Hale, Robin")
    bar = row.locator(".stack")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("data-used", "90")
    expect(bar).to_have_attribute("aria-label", "36 used, 0 planned, 4 left of 40 units")
    badges = row.locator(".alert-badge")
    expect(badges).to_have_count(2)
    expect(badges.nth(0)).to_have_text("Little left")
    expect(badges.nth(1)).to_have_text("Ending soon")
    # and the row leads to the detail with its usage history
    row.get_by_role("link", name="KCC-2026-7").click()
    expect(page.locator("#auth-used")).to_contain_text("36")


def test_try_it_panel_codes_a_sample_session(live_server, page: Page, practice, admin):
    # given
    payer = PayerFactory(practice=practice, kind="medicaid", name="Keystone Community Care")
    rule_set = PayerRuleSetFactory(payer=payer, effective_from=dt.date(2024, 1, 1), rules=MEDICAID.rules)
    login_with_mfa(page, live_server.url, admin)

    # when: from the payer list to its rules, then a technician's hour of ABA at home
    page.goto(f"{live_server.url}/payers/")
    page.get_by_role("link", name="Keystone Community Care").click()
    page.locator(f"#rule-set-{rule_set.pk} a").first.click()
    page.select_option("#id_try-service_type", "aba_technician_treatment")
    page.fill("#id_try-minutes", "60")
    page.select_option("#id_try-credential", "RBT")
    page.fill("#id_try-place_of_service", "12")
    page.click("#try-submit")

    # then
    lines = page.locator("#try-lines tbody tr")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text("97153")
    expect(lines.first).to_contain_text("HM")
    expect(page.locator("#try-rendering")).to_contain_text("supervising provider on the claim")
    expect(page.locator("#try-problems")).to_contain_text("needs a prior authorization")
    expect(page.locator("#try-why")).to_contain_text("60 minutes of 97153 make 4 unit(s)")
