import datetime as dt

import pytest
from django.test import Client

from audit.models import AuditEvent
from patients.models import Consent, Coverage, Guarantor, Patient, PatientDiagnosis
from tests.factories import CoverageFactory, PatientFactory, PayerFactory
from tests.patients.conftest import events
from tests.patients.factories import CareTeamMemberFactory, ConsentFactory, DiagnosisFactory, GuarantorFactory
from tests.query_counts import queries_of

pytestmark = pytest.mark.django_db
D = dt.date
NOT_FOUND = {"message": "Not found.", "code": "not_found", "extra": {}}

NEW_PATIENT = {
    "first_name": "Avery",
    "last_name": "Quill",
    "date_of_birth": "1990-04-12",
    "sex": "F",
    "address_line1": "48 Birch Lane",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62704",
}


@pytest.fixture
def api(biller, client_for) -> Client:  # type: ignore[no-untyped-def]
    return client_for(biller)


@pytest.fixture
def foreign_patient(other_practice):  # type: ignore[no-untyped-def]
    patient = PatientFactory(practice=other_practice, first_name="Robin", city="Peoria")
    CoverageFactory(patient=patient, member_id="FOREIGN001")
    return patient


def _counts() -> dict[str, int]:
    return {
        "patients": Patient.objects.count(),
        "guarantors": Guarantor.objects.count(),
        "coverages": Coverage.objects.count(),
        "diagnoses": PatientDiagnosis.objects.count(),
        "consents": Consent.objects.count(),
        "changes": AuditEvent.objects.filter(
            action__in=["create", "update", "delete"], outcome="allowed"
        ).count(),
    }


# --- list -------------------------------------------------------------------------------------


def test_list_shape_for_a_biller(practice, api, payer, frozen_today):
    # given
    patient = PatientFactory(
        practice=practice,
        first_name="Avery",
        last_name="Quill",
        date_of_birth=D(1990, 4, 12),
        account_number="A1",
    )
    CoverageFactory(patient=patient, payer=payer, member_id="XQM1")
    PatientFactory(practice=practice, first_name="Blake", last_name="Stone")
    # when
    response = api.post("/api/patients/search/", {"q": "quill"}, content_type="application/json")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "limit": 50,
        "offset": 0,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": patient.pk,
                "account_number": "A1",
                "first_name": "Avery",
                "last_name": "Quill",
                "date_of_birth": "1990-04-12",
                "sex": "F",
                "is_active": True,
                "primary_coverage": {
                    "payer": {"id": payer.pk, "name": "Prairie Mutual Health"},
                    "member_id": "XQM1",
                },
            }
        ],
    }


def test_list_for_a_technician_has_no_coverage(practice, make_member, client_for):
    # given
    user = make_member("technician", practice, provider=True)
    patient = PatientFactory(practice=practice)
    CareTeamMemberFactory(patient=patient, provider=user.provider_profiles.get())
    PatientFactory(practice=practice)  # not on the caseload
    # when
    body = client_for(user).get("/api/patients/").json()
    # then
    assert [r["id"] for r in body["results"]] == [patient.pk]
    assert "primary_coverage" not in body["results"][0]


def test_list_bad_dob_is_one_error_shape(api):
    response = api.post("/api/patients/search/", {"dob": "12 April"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "message": "The data is not valid.",
        "code": "validation_failed",
        "extra": {"fields": {"dob": ["Enter the date as YYYY-MM-DD or MM/DD/YYYY."]}},
    }


@pytest.mark.parametrize("role", ["compliance"])
def test_roles_without_patient_view_get_403(practice, make_member, client_for, role):
    response = client_for(make_member(role, practice)).get("/api/patients/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_anonymous_gets_403():
    response = Client().get("/api/patients/")
    assert response.status_code == 403
    assert set(response.json()) == {"message", "code", "extra"}


# --- create -----------------------------------------------------------------------------------


def test_create_with_coverage(api, payer, frozen_today):
    # when
    response = api.post(
        "/api/patients/create/",
        {
            **NEW_PATIENT,
            "coverage": {"payer_id": payer.pk, "member_id": "XQM123456", "effective_on": "2026-01-01"},
        },
        content_type="application/json",
    )
    # then
    assert response.status_code == 201
    body = response.json()
    patient = Patient.objects.get()
    assert body["id"] == patient.pk
    assert body["account_number"] == "P000001"
    assert body["guarantor"]["relationship"] == "self"
    assert [(c["payer"]["id"], c["member_id"], c["priority"], c["status"]) for c in body["coverages"]] == [
        (payer.pk, "XQM123456", 1, "active")
    ]


def test_create_with_invalid_member_id_writes_nothing(api, payer):
    # given
    before = _counts()
    # when
    response = api.post(
        "/api/patients/create/",
        {
            **NEW_PATIENT,
            "coverage": {"payer_id": payer.pk, "member_id": "X Q!", "effective_on": "2026-01-01"},
        },
        content_type="application/json",
    )
    # then
    assert response.status_code == 400
    assert response.json() == {
        "message": "The data is not valid.",
        "code": "validation_failed",
        "extra": {
            "fields": {
                "coverage.member_id": [
                    "A member ID is 3 to 30 letters, digits or hyphens, with no spaces or symbols."
                ]
            }
        },
    }
    assert _counts() == before


def test_create_shape_errors_are_flattened(api):
    response = api.post(
        "/api/patients/create/",
        {**NEW_PATIENT, "date_of_birth": "yesterday", "coverage": {"payer_id": "x"}},
        content_type="application/json",
    )
    fields = response.json()["extra"]["fields"]
    assert response.status_code == 400
    assert sorted(fields) == [
        "coverage.effective_on",
        "coverage.member_id",
        "coverage.payer_id",
        "date_of_birth",
    ]
    assert Patient.objects.count() == 0


def test_clinician_cannot_create(practice, make_member, client_for):
    response = client_for(make_member("clinician", practice)).post(
        "/api/patients/create/", NEW_PATIENT, content_type="application/json"
    )
    assert response.status_code == 403
    assert Patient.objects.count() == 0


# --- retrieve ---------------------------------------------------------------------------------


def _record(practice, payer):  # type: ignore[no-untyped-def]
    patient = PatientFactory(practice=practice, first_name="Avery", last_name="Quill")
    GuarantorFactory(patient=patient)
    CoverageFactory(patient=patient, payer=payer, member_id="XQM1", effective_on=D(2025, 1, 1))
    DiagnosisFactory(patient=patient, code="F411")
    ConsentFactory(patient=patient, kind="part2_tpo", recipient="Payers", purpose="Payment")
    return patient


def test_retrieve_shape_for_a_biller(practice, api, payer, frozen_today):
    # given
    patient = _record(practice, payer)
    # when
    response = api.get(f"/api/patients/{patient.pk}/")
    # then
    body = response.json()
    assert response.status_code == 200
    assert body["sections"] == ["demographics", "guarantor", "coverage", "diagnosis", "consent", "care_team"]
    assert (body["first_name"], body["guarantor"]["relationship"]) == ("Avery", "self")
    assert [(c["member_id"], c["status"], c["payer"]["name"]) for c in body["coverages"]] == [
        ("XQM1", "active", "Prairie Mutual Health")
    ]
    assert [(d["code"], d["display_code"]) for d in body["diagnoses"]] == [("F411", "F41.1")]
    assert [c["kind"] for c in body["consents"]] == ["part2_tpo"]
    assert body["care_team"] == []


def test_retrieve_for_a_technician_has_no_coverage(practice, make_member, client_for, payer):
    # given
    user = make_member("technician", practice, provider=True)
    patient = _record(practice, payer)
    CareTeamMemberFactory(patient=patient, provider=user.provider_profiles.get())
    # when
    body = client_for(user).get(f"/api/patients/{patient.pk}/").json()
    # then
    assert "coverages" not in body
    assert body["sections"] == ["demographics", "guarantor", "diagnosis", "consent", "care_team"]
    assert "XQM1" not in str(body)


def test_retrieve_other_practices_patient_is_404(api, foreign_patient):
    # when
    response = api.get(f"/api/patients/{foreign_patient.pk}/")
    missing = api.get("/api/patients/999999/")
    # then
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert "Robin" not in response.content.decode()


# --- update -----------------------------------------------------------------------------------


def test_patch_updates_given_fields(practice, api):
    # given
    patient = PatientFactory(practice=practice, city="Springfield")
    # when
    response = api.patch(
        f"/api/patients/{patient.pk}/update/", {"city": "Chatham"}, content_type="application/json"
    )
    # then
    assert response.status_code == 200
    assert response.json()["city"] == "Chatham"
    patient.refresh_from_db()
    assert patient.city == "Chatham"


def test_patch_future_dob_is_a_field_error(practice, api, frozen_today):
    patient = PatientFactory(practice=practice, date_of_birth=D(1990, 1, 1))
    response = api.patch(
        f"/api/patients/{patient.pk}/update/",
        {"date_of_birth": "2026-03-17"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {"date_of_birth": ["Date of birth can't be in the future."]}
    patient.refresh_from_db()
    assert patient.date_of_birth == D(1990, 1, 1)


def test_put_needs_every_demographic_field(practice, api):
    patient = PatientFactory(practice=practice)
    response = api.put(
        f"/api/patients/{patient.pk}/update/", {"city": "Chatham"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "first_name" in response.json()["extra"]["fields"]


@pytest.mark.parametrize("method", ["patch", "put"])
def test_update_other_practices_patient_is_404_and_changes_nothing(api, foreign_patient, method):
    # given
    before = _counts()
    # when
    response = getattr(api, method)(
        f"/api/patients/{foreign_patient.pk}/update/",
        {**NEW_PATIENT, "city": "Chatham"},
        content_type="application/json",
    )
    # then
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    foreign_patient.refresh_from_db()
    assert (foreign_patient.city, foreign_patient.first_name) == ("Peoria", "Robin")
    assert _counts() == before
    # denied in the caller's practice, and recorded again in the owning practice
    assert [(e.outcome, e.patient_id) for e in events()] == [("denied", foreign_patient.pk)] * 2


# --- coverages --------------------------------------------------------------------------------


def test_coverage_add(practice, api, payer, frozen_today):
    patient = PatientFactory(practice=practice)
    response = api.post(
        f"/api/patients/{patient.pk}/coverages/create/",
        {"payer_id": payer.pk, "member_id": "ZX-1001", "effective_on": "2026-04-01", "priority": 2},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("member_id", "priority", "status", "terminates_on")} == {
        "member_id": "ZX-1001",
        "priority": 2,
        "status": "future",
        "terminates_on": None,
    }


def test_coverage_add_overlap_is_400(practice, api, payer):
    # given
    patient = PatientFactory(practice=practice)
    CoverageFactory(patient=patient, payer=payer, effective_on=D(2025, 1, 1), terminates_on=D(2025, 12, 31))
    # when
    response = api.post(
        f"/api/patients/{patient.pk}/coverages/create/",
        {"payer_id": payer.pk, "member_id": "ZX-1001", "effective_on": "2025-12-31"},
        content_type="application/json",
    )
    # then
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {
        "effective_on": [
            "These dates overlap the patient's other primary coverage (Wed 1 Jan 2025 to Wed 31 Dec 2025)."
        ]
    }
    assert Coverage.objects.filter(patient=patient).count() == 1


def test_coverage_add_to_other_practices_patient_is_404(api, foreign_patient, payer):
    before = _counts()
    response = api.post(
        f"/api/patients/{foreign_patient.pk}/coverages/create/",
        {"payer_id": payer.pk, "member_id": "ZX-1001", "effective_on": "2026-01-01", "priority": 2},
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert _counts() == before


def test_coverage_update_of_other_practices_coverage_is_404(api, foreign_patient):
    coverage = foreign_patient.coverages.get()
    response = api.patch(
        f"/api/patients/{foreign_patient.pk}/coverages/{coverage.pk}/update/",
        {"member_id": "HACKED01"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    coverage.refresh_from_db()
    assert coverage.member_id == "FOREIGN001"


def test_coverage_update_and_terminate(practice, api, payer, frozen_today):
    # given
    patient = PatientFactory(practice=practice)
    coverage = CoverageFactory(patient=patient, payer=payer, member_id="OLD00001", effective_on=D(2025, 1, 1))
    # when
    updated = api.patch(
        f"/api/patients/{patient.pk}/coverages/{coverage.pk}/update/",
        {"member_id": "NEW00001"},
        content_type="application/json",
    )
    terminated = api.post(
        f"/api/patients/{patient.pk}/coverages/{coverage.pk}/terminate/",
        {"terminates_on": "2026-03-01"},
        content_type="application/json",
    )
    # then
    assert (updated.status_code, updated.json()["member_id"]) == (200, "NEW00001")
    assert (terminated.status_code, terminated.json()["status"], terminated.json()["terminates_on"]) == (
        200,
        "terminated",
        "2026-03-01",
    )


def test_cross_practice_payer_in_coverage_is_a_field_error(practice, other_practice, api):
    patient = PatientFactory(practice=practice)
    foreign_payer = PayerFactory(practice=other_practice)
    response = api.post(
        f"/api/patients/{patient.pk}/coverages/create/",
        {"payer_id": foreign_payer.pk, "member_id": "ZX-1001", "effective_on": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {"payer": ["Choose one of this practice's payers."]}


# --- diagnoses, consents, care team -----------------------------------------------------------


def test_diagnosis_add_and_resolve(practice, api, frozen_today):
    patient = PatientFactory(practice=practice)
    added = api.post(
        f"/api/patients/{patient.pk}/diagnoses/create/",
        {"code": "f43.10", "description": "PTSD"},
        content_type="application/json",
    )
    resolved = api.post(
        f"/api/patients/{patient.pk}/diagnoses/{added.json()['id']}/resolve/",
        {"resolved_on": "2026-03-16"},
        content_type="application/json",
    )
    assert (added.status_code, added.json()["code"], added.json()["display_code"]) == (201, "F4310", "F43.10")
    assert (resolved.status_code, resolved.json()["resolved_on"]) == (200, "2026-03-16")


def test_diagnosis_add_bad_code(practice, api):
    patient = PatientFactory(practice=practice)
    response = api.post(
        f"/api/patients/{patient.pk}/diagnoses/create/", {"code": "F4.11"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["code"]
    assert PatientDiagnosis.objects.count() == 0


def test_consent_add_and_revoke(practice, api, frozen_today):
    patient = PatientFactory(practice=practice, is_substance_use_program=True)
    added = api.post(
        f"/api/patients/{patient.pk}/consents/create/",
        {
            "kind": "part2_tpo",
            "signed_on": "2026-01-05",
            "recipient": "Payers of record",
            "purpose": "Payment",
        },
        content_type="application/json",
    )
    revoked = api.post(
        f"/api/patients/{patient.pk}/consents/{added.json()['id']}/revoke/",
        {"revoked_on": "2026-03-01"},
        content_type="application/json",
    )
    assert (added.status_code, added.json()["kind"]) == (201, "part2_tpo")
    assert (revoked.status_code, revoked.json()["revoked_on"]) == (200, "2026-03-01")


def test_consent_add_to_other_practices_patient_is_404(api, foreign_patient):
    response = api.post(
        f"/api/patients/{foreign_patient.pk}/consents/create/",
        {"kind": "treatment", "signed_on": "2026-01-05"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert Consent.objects.count() == 0


def test_care_team_add_and_remove(practice, api):
    from tests.factories import ProviderFactory

    patient = PatientFactory(practice=practice)
    provider = ProviderFactory(practice=practice, first_name="Lee", last_name="Park")
    added = api.post(
        f"/api/patients/{patient.pk}/care-team/create/",
        {"provider_id": provider.pk},
        content_type="application/json",
    )
    removed = api.post(f"/api/patients/{patient.pk}/care-team/{added.json()['id']}/remove/")
    assert (added.status_code, added.json()["provider_name"]) == (201, "Lee Park")
    assert removed.status_code == 204
    assert patient.care_team.get().ends_on is not None


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/patients/create/", {}),
        ("/api/patients/{id}/coverages/create/", {}),
        ("/api/patients/{id}/consents/create/", {}),
        ("/api/patients/{id}/care-team/create/", {}),
    ],
)
def test_technician_gets_403_before_validation(practice, make_member, client_for, path, body):
    # given
    patient = PatientFactory(practice=practice)
    client = client_for(make_member("technician", practice, provider=True))
    # when
    response = client.post(path.format(id=patient.pk), body, content_type="application/json")
    # then
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_the_list_pages_after_filtering_and_runs_the_same_queries_for_more_rows(practice, api):
    # given
    for n in range(12):
        PatientFactory(practice=practice, last_name="Lark", first_name=f"Zoe{n:02d}")
    for n in range(20):
        PatientFactory(practice=practice, last_name=f"Abbot{n:02d}")
    api.get("/api/patients/")
    before = queries_of(lambda: api.get("/api/patients/", {"limit": 5}))
    # when
    body = api.post(
        "/api/patients/search/?limit=5&offset=10", {"q": "Lark"}, content_type="application/json"
    ).json()
    # then
    assert [r["first_name"] for r in body["results"]] == ["Zoe10", "Zoe11"]
    assert (body["count"], body["next"]) == (12, None)
    assert body["previous"].endswith("/api/patients/search/?limit=5&offset=5")
    for n in range(30):
        PatientFactory(practice=practice, last_name=f"More{n:02d}")
    assert queries_of(lambda: api.get("/api/patients/", {"limit": 5})) == before <= 20


@pytest.mark.parametrize("param", ["q", "dob", "member_id"])
def test_the_list_refuses_phi_in_its_query_string(api, practice, param):
    # names, birth dates and member IDs stay out of URLs: the search is a POST body
    PatientFactory(practice=practice)
    response = api.get("/api/patients/", {param: "Quill"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert "POST /api/patients/search/" in body["extra"]["fields"][param][0]


def test_search_checks_permission_before_the_body(practice, make_member, client_for):
    client = client_for(make_member("compliance", practice))
    response = client.post(
        "/api/patients/search/", {"dob": "not a date" * 20}, content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
