"""Patients in a real browser: search, create with coverage, and a form error."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from patients.models import Coverage, Patient
from tests.e2e.helpers import login_with_mfa
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, PracticeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def biller(practice, make_member):  # type: ignore[no-untyped-def]
    return make_member("biller", practice)


def test_list_and_search_find_the_right_patient(live_server, page: Page, practice, biller):
    # given
    payer = PayerFactory(practice=practice, name="Prairie Mutual Health")
    avery = PatientFactory(
        practice=practice, first_name="Avery", last_name="Quill", date_of_birth=dt.date(1990, 4, 12)
    )
    CoverageFactory(patient=avery, payer=payer, member_id="XQM777001")
    PatientFactory(
        practice=practice, first_name="Blake", last_name="Stone", date_of_birth=dt.date(1985, 7, 1)
    )
    PatientFactory(practice=PracticeFactory(), first_name="Avery", last_name="Quillfeather")
    login_with_mfa(page, live_server.url, biller)
    # when: the list, then a search by "last, first", then by date of birth
    page.goto(f"{live_server.url}/patients/")
    table = page.locator("#patient-table")
    expect(table).to_contain_text("Quill, Avery")
    expect(table).to_contain_text("Stone, Blake")
    page.fill("#id_q", "quill, avery")
    page.click("#patient-search button[type=submit]")
    # then
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Quill, Avery")
    expect(table).to_contain_text("XQM777001")
    expect(table).not_to_contain_text("Stone")
    expect(table).not_to_contain_text("Quillfeather")
    # and by DOB in US format
    page.fill("#id_q", "")
    page.fill("#id_dob", "07/01/1985")
    page.click("#patient-search button[type=submit]")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Stone, Blake")
    # and the row leads to the patient's page
    table.get_by_role("link", name="Stone, Blake").click()
    expect(page.locator("#patient-name")).to_have_text("Stone, Blake")


def _fill_new_patient(page: Page, *, member_id: str) -> None:
    page.fill("#id_first_name", "Rowan")
    page.fill("#id_last_name", "Ellery")
    page.fill("#id_date_of_birth", "1992-11-03")
    page.select_option("#id_sex", "M")
    page.fill("#id_address_line1", "7 Willow Way")
    page.fill("#id_city", "Springfield")
    page.fill("#id_state", "IL")
    page.fill("#id_postal_code", "62704")
    page.select_option("#id_coverage-payer", label="Prairie Mutual Health")
    page.fill("#id_coverage-member_id", member_id)
    page.fill("#id_coverage-group_number", "GRP-42")
    page.fill("#id_coverage-effective_on", "2026-01-01")


def test_create_patient_with_coverage_through_the_form(live_server, page: Page, practice, biller):
    # given
    PayerFactory(practice=practice, name="Prairie Mutual Health")
    login_with_mfa(page, live_server.url, biller)
    # when
    page.goto(f"{live_server.url}/patients/")
    page.click("#new-patient")
    _fill_new_patient(page, member_id="RE-5550123")
    page.click("#patient-create-form button[type=submit]")
    # then
    expect(page.locator("#patient-name")).to_have_text("Ellery, Rowan")
    coverages = page.locator("#coverages")
    expect(coverages).to_contain_text("Prairie Mutual Health")
    expect(coverages).to_contain_text("RE-5550123")
    expect(coverages).to_contain_text("GRP-42")
    expect(page.locator("#guarantor")).to_contain_text("Self")
    patient = Patient.objects.get()
    assert (patient.first_name, patient.last_name, patient.date_of_birth) == (
        "Rowan",
        "Ellery",
        dt.date(1992, 11, 3),
    )
    assert Coverage.objects.get(patient=patient).member_id == "RE-5550123"


def test_invalid_member_id_shows_the_error_on_the_form(live_server, page: Page, practice, biller):
    # given
    PayerFactory(practice=practice, name="Prairie Mutual Health")
    login_with_mfa(page, live_server.url, biller)
    page.goto(f"{live_server.url}/patients/new/")
    # when
    _fill_new_patient(page, member_id="RE 555#0123")
    page.click("#patient-create-form button[type=submit]")
    # then
    expect(page.locator("#form-errors")).to_have_text("Nothing was saved. Correct the fields marked below.")
    expect(page.locator("#field-coverage-member_id .errors")).to_have_text(
        "A member ID is 3 to 30 letters, digits or hyphens, with no spaces or symbols."
    )
    expect(page.locator("#id_first_name")).to_have_value("Rowan")
    assert Patient.objects.count() == 0
    assert Coverage.objects.count() == 0
