"""Eligibility in a real browser: "Verify now" on the patient screen → the mental-health
benefits in plain words, labelled Sandbox → "Verify again" after the payer ended the coverage →
what changed, as an alert, and on the problems list."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from patients.models import Coverage
from tests.e2e.helpers import login_with_mfa
from tests.eligibility.world import make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_verify_now_shows_plain_benefits_then_what_changed(live_server, page: Page, make_member):  # type: ignore[no-untyped-def]
    # given: a patient whose card carries the sandbox member with MH benefits
    world = make_world(make_member)
    coverage = world.coverage("SBX1001")
    login_with_mfa(page, live_server.url, world.biller)

    # when: Verify now for the date of service, from the patient screen
    page.goto(f"{live_server.url}/patients/{coverage.patient_id}/")
    panel = page.locator(f"#eligibility-coverage-{coverage.pk}")
    expect(panel.locator(f"#eligibility-status-{coverage.pk}")).to_have_text("Never verified.")
    panel.locator(f"#service-date-{coverage.pk}").fill("2026-03-10")
    panel.locator(f"#verify-{coverage.pk}").click()

    # then: the plain-language benefits, labelled Sandbox
    benefits = page.locator(f"#eligibility-benefits-{coverage.pk}")
    expect(benefits).to_contain_text("$20.00 copay per visit")
    expect(benefits).to_contain_text("$500.00 of $500.00 deductible left")
    expect(page.locator(f"#eligibility-coverage-{coverage.pk} .badge.sandbox").first).to_have_text("Sandbox")
    expect(page.locator(f"#eligibility-status-{coverage.pk}")).to_contain_text("Active for Mar 10, 2026")

    # when: the payer has ended the coverage (the sandbox's terminated member) and we verify again
    Coverage.objects.filter(pk=coverage.pk).update(member_id="SBX1007")
    page.locator(f"#service-date-{coverage.pk}").fill("2026-03-10")
    page.locator(f"#verify-{coverage.pk}").click()

    # then: what changed, as an alert
    changes = page.locator(f"#eligibility-changes-{coverage.pk}")
    expect(changes).to_contain_text("What changed since the previous check")
    expect(changes.locator("li.alert")).to_contain_text("Coverage ended")
    expect(page.locator(f"#eligibility-status-{coverage.pk}")).to_contain_text("Inactive")
    # and the history keeps both checks, each with its record
    expect(page.locator(f"#eligibility-history-{coverage.pk} tbody tr")).to_have_count(2)
    # the date typed is the date checked (E6), shown unchanged
    expect(page.locator(f"#eligibility-history-{coverage.pk} tbody tr").first).to_contain_text("Mar 10, 2026")

    # and the alert is on the problems page reached from the navigation
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Before the session").click()
    expect(page.locator("#alerts")).to_contain_text("Coverage ended")
