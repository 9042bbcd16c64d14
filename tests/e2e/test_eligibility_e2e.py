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
    expect(page.locator(f"#eligibility-status-{coverage.pk}")).to_contain_text("Active for Tue 10 Mar 2026")

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
    expect(page.locator(f"#eligibility-history-{coverage.pk} tbody tr").first).to_contain_text(
        "Tue 10 Mar 2026"
    )

    # and the alert is on the problems page reached from the navigation
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Before the session").click()
    expect(page.locator("#alerts")).to_contain_text("Coverage ended")


def test_carve_out_verify_with_the_administrator_at_phone_width(live_server, page: Page, make_member):  # type: ignore[no-untyped-def]
    """Pitfall E1 in the browser, at 390 px: the plan names the administrator, "Verify with …"
    asks it, and its benefits show under the plan's answer."""
    from tests.factories import PayerFactory

    world = make_world(make_member)
    PayerFactory(practice=world.practice, payer_id="SBXBH01", name="Sandbox Behavioral Health")
    coverage = world.coverage("SBX1011")
    page.set_viewport_size({"width": 390, "height": 844})
    login_with_mfa(page, live_server.url, world.biller)
    page.goto(f"{live_server.url}/patients/{coverage.patient_id}/")
    page.locator(f"#service-date-{coverage.pk}").fill("2026-03-10")
    page.locator(f"#verify-{coverage.pk}").click()
    carve_out = page.locator(f"#eligibility-carve-out-{coverage.pk}")
    expect(carve_out).to_contain_text("Mental health administrator: Sandbox Behavioral Health")
    expect(page.locator(f"#eligibility-benefits-{coverage.pk}")).to_contain_text(
        "administered by SANDBOX BEHAVIORAL HEALTH"
    )
    page.locator(f"#verify-carve-out-{coverage.pk}").click()
    expect(page.locator(f"#carve-out-benefits-{coverage.pk}")).to_contain_text("$20.00 copay per visit")
    expect(page.locator(f"#carve-out-status-{coverage.pk}")).to_contain_text("Done")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_sftp_connection_form_at_phone_width_never_shows_the_key(
    live_server, page: Page, make_member, settings, tmp_path
):  # type: ignore[no-untyped-def]
    from tests.eligibility.matrix_entries import sftp_form_data

    settings.SFTP_KEYS_DIR = str(tmp_path / "keys")
    world = make_world(make_member)
    admin = make_member("practice_admin", world.practice)
    data = sftp_form_data()
    page.set_viewport_size({"width": 390, "height": 844})
    login_with_mfa(page, live_server.url, admin)
    page.goto(f"{live_server.url}/eligibility/settings/")
    form = page.locator("#sftp-settings-form")
    for name in ("host", "port", "username", "known_host_key", "private_key"):
        form.locator(f"[name={name}]").fill(data[name])
    page.locator("#sftp-save").click()
    expect(page.locator("#sftp-connection")).to_contain_text(
        "parity-practice@sftp.clearinghouse.example:2222"
    )
    expect(page.locator("#sftp-secrets")).to_contain_text("Private key: set")
    assert data["private_key"].splitlines()[1] not in page.content()
    assert page.locator("#sftp-settings-form [name=private_key]").input_value() == ""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
