"""Fees and Good Faith Estimates in a real browser: a CSV upload refused with its bad line named,
then accepted; a Good Faith Estimate made for a self-pay patient, with its due date and PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from claims.services import fee_schedule_entry_set
from practice.access import practice_access_for
from tests.e2e.helpers import login_with_mfa
from tests.factories import PatientFactory, PayerFactory, PracticeFactory, ProviderFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "code,modifiers,amount,effective_from,effective_to\n"


@pytest.fixture
def office(make_member):  # type: ignore[no-untyped-def]
    practice = PracticeFactory(timezone="America/New_York")
    biller = make_member("biller", practice, username="e2e-fees-biller")
    admin = make_member("practice_admin", practice)
    PayerFactory(practice=practice, name="Blue Harbor Health", kind="commercial", payer_id="BHH01")
    fee_schedule_entry_set(
        access=practice_access_for(user=admin, practice_id=practice.pk),
        code="90834",
        amount_cents=15000,
        effective_from=dt.date(2025, 1, 1),
    )
    patient = PatientFactory(practice=practice, first_name="Jordan", last_name="Vale")
    provider = ProviderFactory(practice=practice, first_name="Casey", last_name="Lind")
    return {"biller": biller, "patient": str(patient.pk), "provider": str(provider.pk)}


def test_fee_upload_then_a_good_faith_estimate(live_server, page: Page, office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    login_with_mfa(page, live_server.url, office["biller"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Fees").click()
    expect(page.locator("#fee-table")).to_contain_text("$150.00")

    # A file with one bad line: nothing imported, the line named.
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "90834,,95.00,2026-01-01,\n90837,,1O5.00,2026-01-01,\n")
    page.click("#import-fees")
    page.select_option("select[name=kind]", "allowed")
    page.select_option("select[name=payer_id]", label="Blue Harbor Health")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#estimates-form button[type=submit]")
    expect(page.locator("#import-problems")).to_contain_text(
        "Line 3: amount '1O5.00' is not dollars and cents"
    )

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "90834,,95.00,2026-01-01,\n")
    page.select_option("select[name=kind]", "allowed")
    page.select_option("select[name=payer_id]", label="Blue Harbor Health")
    page.set_input_files("input[name=file]", str(good))
    page.click("#estimates-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/estimates/fees/$"))
    expect(page.locator("#fee-table")).to_contain_text("Allowed (contract)")
    expect(page.locator("#fee-table")).to_contain_text("$95.00")

    # A Good Faith Estimate for a self-pay patient, asked for on a Thursday.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Good Faith Estimates").click()
    page.click("#new-gfe")
    page.select_option("select[name=patient_id]", office["patient"])
    page.select_option("select[name=provider_id]", office["provider"])
    page.fill("input[name=service_description]", "Weekly psychotherapy")
    page.fill("input[name=items]", "90834 x 4")
    page.fill("input[name=requested_on]", "2026-03-05")
    page.click("#estimates-form button[type=submit]")
    expect(page.locator("#gfe-deadline")).to_contain_text("Tue 10 Mar 2026")  # 3 business days after Thursday
    expect(page.locator(".gfe-items")).to_contain_text("$600.00")
    expect(page.locator("#gfe-status")).to_have_text("Overdue")
    with page.expect_download() as download:
        page.click("#gfe-pdf")
    assert download.value.suggested_filename.startswith("good-faith-estimate-")
    page.click("#gfe-given")
    expect(page.locator("#gfe-status")).to_have_text("Given late")
