import datetime as dt

import pytest
from django.test import Client

from patients.models import Consent, Coverage, Guarantor, Patient, PatientDiagnosis
from tests.factories import CoverageFactory, PatientFactory, ProviderFactory
from tests.patients.factories import CareTeamMemberFactory, ConsentFactory, DiagnosisFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def web(biller, client_for) -> Client:  # type: ignore[no-untyped-def]
    return client_for(biller)


def _form(payer_id="", **overrides) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "first_name": "Avery",
        "last_name": "Quill",
        "date_of_birth": "1990-04-12",
        "sex": "F",
        "address_line1": "48 Birch Lane",
        "city": "Springfield",
        "state": "IL",
        "postal_code": "62704",
        "guarantor-relationship": "self",
        "coverage-payer": str(payer_id),
        "coverage-member_id": "XQM123456" if payer_id else "",
        "coverage-priority": "1",
        "coverage-effective_on": "2026-01-01" if payer_id else "",
        "coverage-subscriber_relationship": "18",
    }
    data.update(overrides)
    return data


def _counts() -> tuple[int, int, int]:
    return Patient.objects.count(), Guarantor.objects.count(), Coverage.objects.count()


# --- list -------------------------------------------------------------------------------------


def test_list_shows_patients_with_primary_coverage(practice, web, payer, frozen_today):
    # given
    patient = PatientFactory(
        practice=practice, first_name="Avery", last_name="Quill", date_of_birth=D(1990, 4, 12)
    )
    CoverageFactory(patient=patient, payer=payer, member_id="XQM777")
    # when
    page = web.get("/patients/").content.decode()
    # then
    assert "Quill, Avery" in page
    assert "12 Apr 1990" in page
    assert "Prairie Mutual Health" in page
    assert "XQM777" in page


def test_list_search_hides_others(practice, other_practice, web):
    PatientFactory(practice=practice, first_name="Avery", last_name="Quill")
    PatientFactory(practice=practice, first_name="Blake", last_name="Stone")
    PatientFactory(practice=other_practice, first_name="Avery", last_name="Quillfeather")
    page = web.post("/patients/", {"q": "Quill, Avery"}, follow=True).content.decode()
    assert "Quill, Avery" in page
    assert "Stone" not in page
    assert "Quillfeather" not in page


def test_list_bad_dob_shows_the_error(web):
    response = web.post("/patients/", {"dob": "April"}, follow=True)
    assert response.status_code == 400
    assert "Enter the date as YYYY-MM-DD or MM/DD/YYYY." in response.content.decode()


def test_list_for_technician_hides_coverage(practice, make_member, client_for, payer):
    # given
    user = make_member("technician", practice, provider=True)
    patient = PatientFactory(practice=practice, first_name="Avery", last_name="Quill")
    CoverageFactory(patient=patient, payer=payer, member_id="XQM777")
    CareTeamMemberFactory(patient=patient, provider=user.provider_profiles.get())
    # when
    page = client_for(user).get("/patients/").content.decode()
    # then
    assert "Quill, Avery" in page
    assert "XQM777" not in page
    assert "Member ID" not in page
    assert "New patient" not in page


def test_list_paginates(practice, web):
    for n in range(27):
        PatientFactory(practice=practice, last_name=f"Zed{n:02d}", first_name="Pat")
    first = web.get("/patients/").content.decode()
    second = web.get("/patients/", {"page": 2}).content.decode()
    assert "Zed24" in first
    assert "Zed25" not in first
    assert "Zed25" in second
    assert "Zed26" in second
    assert "26–27 of 27" in second


def test_anonymous_is_sent_to_sign_in():
    response = Client().get("/patients/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# --- detail -----------------------------------------------------------------------------------


def test_detail_shows_every_section(practice, web, payer, frozen_today):
    # given
    patient = PatientFactory(
        practice=practice, first_name="Avery", last_name="Quill", is_substance_use_program=True
    )
    CoverageFactory(
        patient=patient, payer=payer, member_id="XQM777", group_number="G-1", effective_on=D(2026, 4, 1)
    )
    DiagnosisFactory(patient=patient, code="F4310", description="PTSD")
    ConsentFactory(patient=patient, kind="treatment")
    CareTeamMemberFactory(
        patient=patient, provider=ProviderFactory(practice=practice, first_name="Lee", last_name="Park")
    )
    # when
    page = web.get(f"/patients/{patient.pk}/").content.decode()
    # then
    for text in [
        "Quill, Avery",
        "XQM777",
        "G-1",
        "Future",
        "F43.10",
        "PTSD",
        "Consent to treatment",
        "Lee Park, LPC",
    ]:
        assert text in page, text
    assert "no active 42 CFR Part 2 consent" in page


def test_detail_for_technician_has_no_coverage_section(practice, make_member, client_for, payer):
    user = make_member("technician", practice, provider=True)
    patient = PatientFactory(practice=practice)
    CoverageFactory(patient=patient, payer=payer, member_id="XQM777")
    CareTeamMemberFactory(patient=patient, provider=user.provider_profiles.get())
    page = client_for(user).get(f"/patients/{patient.pk}/").content.decode()
    assert 'id="coverages"' not in page
    assert "XQM777" not in page


def test_detail_of_other_practices_patient_is_404(other_practice, web):
    patient = PatientFactory(practice=other_practice, first_name="Robin")
    response = web.get(f"/patients/{patient.pk}/")
    assert response.status_code == 404
    assert "Robin" not in response.content.decode()


# --- create -----------------------------------------------------------------------------------


def test_create_form_offers_only_this_practices_active_payers(practice, other_practice, web, payer):
    from tests.factories import PayerFactory

    PayerFactory(practice=other_practice, name="Elsewhere Health")
    PayerFactory(practice=practice, name="Retired Plan", is_active=False)
    page = web.get("/patients/new/").content.decode()
    assert "Prairie Mutual Health" in page
    assert "Elsewhere Health" not in page
    assert "Retired Plan" not in page


def test_create_with_coverage_redirects_to_detail(web, payer, frozen_today):
    # when
    response = web.post("/patients/new/", _form(payer.pk))
    # then
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response.url == f"/patients/{patient.pk}/"
    assert Coverage.objects.get(patient=patient).member_id == "XQM123456"
    assert Guarantor.objects.get(patient=patient).relationship == "self"


def test_create_without_coverage(web):
    response = web.post("/patients/new/", _form())
    assert response.status_code == 302
    assert _counts() == (1, 1, 0)


@pytest.mark.parametrize(
    ("_case", "overrides", "field", "message"),
    [
        (
            "invalid member id",
            {"coverage-member_id": "XQ 12#"},
            "coverage-member_id",
            "A member ID is 3 to 30 letters, digits or hyphens, with no spaces or symbols.",
        ),
        (
            "future date of birth",
            {"date_of_birth": "2026-03-17"},
            "date_of_birth",
            "Date of birth can&#x27;t be in the future.",
        ),
        ("missing state", {"state": ""}, "state", "State is required."),
        (
            "guarantor without details",
            {"guarantor-relationship": "parent"},
            "guarantor-first_name",
            "Guarantor&#x27;s first name is required.",
        ),
    ],
)
def test_create_errors_show_on_the_form_and_write_nothing(
    web, payer, frozen_today, _case, overrides, field, message
):
    # when
    response = web.post("/patients/new/", _form(payer.pk, **overrides))
    # then
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved" in page
    field_block = page.split(f'id="field-{field}"', 1)[1].split('<div class="field', 1)[0]
    assert message in field_block
    assert _counts() == (0, 0, 0)


def test_create_form_is_refused_to_a_clinician(practice, make_member, client_for):
    response = client_for(make_member("clinician", practice)).get("/patients/new/")
    assert response.status_code == 403


# --- coverage, diagnosis, consent forms and actions -------------------------------------------


def test_coverage_add_overlap_shows_a_clear_message(practice, web, payer):
    # given
    patient = PatientFactory(practice=practice)
    CoverageFactory(patient=patient, payer=payer, effective_on=D(2025, 1, 1))
    # when
    response = web.post(
        f"/patients/{patient.pk}/coverages/new/",
        {
            "payer": payer.pk,
            "member_id": "NEW12345",
            "priority": "1",
            "effective_on": "2026-01-01",
            "subscriber_relationship": "18",
        },
    )
    # then
    assert response.status_code == 400
    assert (
        "These dates overlap the patient&#x27;s other primary coverage (Wed 1 Jan 2025 to no end date)."
        in response.content.decode()
    )
    assert Coverage.objects.filter(patient=patient).count() == 1


def test_coverage_add_success(practice, web, payer):
    patient = PatientFactory(practice=practice)
    response = web.post(
        f"/patients/{patient.pk}/coverages/new/",
        {
            "payer": payer.pk,
            "member_id": "NEW12345",
            "priority": "2",
            "effective_on": "2026-01-01",
            "subscriber_relationship": "18",
        },
    )
    assert (response.status_code, response.url) == (302, f"/patients/{patient.pk}/")
    assert Coverage.objects.get(patient=patient).priority == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_coverage_add_for_other_practices_patient_is_404(other_practice, web, payer, method):
    patient = PatientFactory(practice=other_practice)
    response = getattr(web, method)(
        f"/patients/{patient.pk}/coverages/new/",
        {"payer": payer.pk, "member_id": "NEW12345", "effective_on": "2026-01-01"},
    )
    assert response.status_code == 404
    assert Coverage.objects.count() == 0


def test_diagnosis_form_error_and_success(practice, web):
    patient = PatientFactory(practice=practice)
    bad = web.post(f"/patients/{patient.pk}/diagnoses/new/", {"code": "4F1.1"})
    good = web.post(f"/patients/{patient.pk}/diagnoses/new/", {"code": "f41.1", "rank": "1"})
    assert bad.status_code == 400
    assert "An ICD-10-CM code is a letter" in bad.content.decode()
    assert good.status_code == 302
    assert list(PatientDiagnosis.objects.values_list("code", flat=True)) == ["F411"]


def test_consent_form(practice, web, frozen_today):
    patient = PatientFactory(practice=practice)
    bad = web.post(f"/patients/{patient.pk}/consents/new/", {"kind": "part2_tpo", "signed_on": "2026-03-01"})
    good = web.post(
        f"/patients/{patient.pk}/consents/new/",
        {
            "kind": "part2_tpo",
            "signed_on": "2026-03-01",
            "recipient": "Payers of record",
            "purpose": "Payment",
        },
    )
    assert bad.status_code == 400
    assert "Recipient is required." in bad.content.decode()
    assert good.status_code == 302
    assert Consent.objects.get().kind == "part2_tpo"


def test_terminate_action_reports_errors_as_messages(practice, web, payer, frozen_today):
    # given
    patient = PatientFactory(practice=practice)
    coverage = CoverageFactory(patient=patient, payer=payer, effective_on=D(2026, 1, 1))
    # when
    bad = web.post(
        f"/patients/{patient.pk}/coverages/{coverage.pk}/terminate/", {"on": "2025-12-31"}, follow=True
    )
    good = web.post(
        f"/patients/{patient.pk}/coverages/{coverage.pk}/terminate/", {"on": "2026-02-28"}, follow=True
    )
    # then
    assert "The termination date can&#x27;t be before the effective date." in bad.content.decode()
    assert "Coverage terminated." in good.content.decode()
    coverage.refresh_from_db()
    assert coverage.terminates_on == D(2026, 2, 28)


def test_edit_patient(practice, web):
    patient = PatientFactory(practice=practice, city="Springfield")
    form = web.get(f"/patients/{patient.pk}/edit/")
    data = {**_form(), "city": "Chatham", "account_number": patient.account_number, "is_active": "on"}
    response = web.post(f"/patients/{patient.pk}/edit/", data)
    assert form.status_code == 200
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.city, patient.first_name) == ("Chatham", "Avery")


def test_care_team_actions(practice, web):
    patient = PatientFactory(practice=practice)
    provider = ProviderFactory(practice=practice)
    web.post(f"/patients/{patient.pk}/care-team/add/", {"provider": provider.pk})
    member = patient.care_team.get()
    page = web.get(f"/patients/{patient.pk}/").content.decode()
    web.post(f"/patients/{patient.pk}/care-team/{member.pk}/remove/")
    again = web.post(f"/patients/{patient.pk}/care-team/{member.pk}/remove/", follow=True).content.decode()
    member.refresh_from_db()
    assert "Current" in page
    assert member.ends_on is not None
    assert "Provider removed from the care team." in again
    assert "Ended" in again


# --- admin ------------------------------------------------------------------------------------


def test_admin_lists_ids_but_no_phi(practice, make_member, client_for, payer):
    # given
    staff = make_member("practice_admin", practice)
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    patient = PatientFactory(practice=practice, first_name="Zanzibar", last_name="Quixote")
    CoverageFactory(patient=patient, payer=payer, member_id="SECRET0001")
    client = client_for(staff)
    # when
    patients_page = client.get("/admin/patients/patient/").content.decode()
    detail_page = client.get(f"/admin/patients/patient/{patient.pk}/change/").content.decode()
    coverage_page = client.get("/admin/patients/coverage/").content.decode()
    # then
    assert str(patient.pk) in patients_page
    for page in (patients_page, detail_page, coverage_page):
        assert "Zanzibar" not in page
        assert "Quixote" not in page
        assert "SECRET0001" not in page


def test_a_name_search_finds_the_matches_on_the_second_page_and_its_links_keep_the_search(practice, web):
    # given: 30 patients named Lark (plus 40 others, sorted before them)
    for n in range(40):
        PatientFactory(practice=practice, last_name=f"Abbot{n:02d}", first_name="Pat")
    for n in range(30):
        PatientFactory(practice=practice, last_name="Lark", first_name=f"Zoe{n:02d}")
    # when
    first = web.post("/patients/", {"q": "Lark"}, follow=True)
    token = first.request["QUERY_STRING"]  # s=<token>: the name stays out of the URL
    second = web.get("/patients/?" + token + "&page=2")
    # then
    pager = first.context["pager"]
    assert (pager.total, pager.pages, pager.next_url) == (30, 2, f"?{token}&page=2")
    assert [r.name for r in second.context["rows"]] == [f"Lark, Zoe{n:02d}" for n in range(25, 30)]
    assert "26–30 of 30" in second.content.decode()


def test_the_list_runs_the_same_queries_for_2_or_60_patients(practice, web):
    for n in range(2):
        PatientFactory(practice=practice, last_name=f"Few{n}")
    web.get("/patients/")
    few = queries_of(lambda: web.get("/patients/"))
    for n in range(58):
        CoverageFactory(patient=PatientFactory(practice=practice, last_name=f"Many{n:02d}"))
    assert queries_of(lambda: web.get("/patients/")) == few <= 20
    assert len(web.get("/patients/").context["rows"]) == 25
