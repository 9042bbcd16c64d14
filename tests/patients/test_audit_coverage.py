"""Every PHI view emits exactly one audit event; a denied attempt emits exactly one denied event.

Each case makes one request and compares the audit log before and after.
"""

import pytest

from audit.models import AuditEvent
from tests.factories import CoverageFactory, PatientFactory
from tests.patients.factories import CareTeamMemberFactory, ConsentFactory, DiagnosisFactory, GuarantorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(practice, payer):  # type: ignore[no-untyped-def]
    patient = PatientFactory(practice=practice)
    GuarantorFactory(patient=patient)
    CoverageFactory(patient=patient, payer=payer)
    DiagnosisFactory(patient=patient)
    ConsentFactory(patient=patient)
    return patient


def _new_events(before: int) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (e.action, e.category, e.patient_id, e.outcome, e.detail, e.actor_username)
        for e in AuditEvent.objects.filter(seq__gt=before).order_by("seq")
    ]


def _last_seq() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


ALL_SECTIONS = "sections=demographics,guarantor,coverage,diagnosis,consent,care_team"


@pytest.mark.parametrize(
    ("_case", "path", "detail"),
    [
        ("detail page", "/patients/{id}/", ALL_SECTIONS),
        ("API retrieve", "/api/patients/{id}/", ALL_SECTIONS),
        ("edit form", "/patients/{id}/edit/", "sections=demographics,guarantor;purpose=edit_form"),
        (
            "coverage form",
            "/patients/{id}/coverages/new/",
            "sections=demographics,guarantor;purpose=coverage_form",
        ),
        (
            "diagnosis form",
            "/patients/{id}/diagnoses/new/",
            "sections=demographics,guarantor;purpose=diagnosis_form",
        ),
        (
            "consent form",
            "/patients/{id}/consents/new/",
            "sections=demographics,guarantor;purpose=consent_form",
        ),
    ],
)
def test_each_patient_view_emits_exactly_one_event(biller, client_for, patient, _case, path, detail):
    # given
    client = client_for(biller)
    before = _last_seq()
    # when
    response = client.get(path.format(id=patient.pk))
    # then
    assert response.status_code == 200
    assert _new_events(before) == [("view", "demographics", patient.pk, "allowed", detail, biller.username)]


@pytest.mark.parametrize("path", ["/patients/", "/api/patients/"])
def test_each_list_emits_exactly_one_event(biller, client_for, patient, path):
    client = client_for(biller)
    before = _last_seq()
    if path.startswith("/api/"):
        response = client.post(
            path + "search/", {"q": patient.last_name[:3]}, content_type="application/json"
        )
    else:  # the screen searches by POST, then shows the results under a search token
        response = client.post(path, {"q": patient.last_name[:3]}, follow=True)
    assert response.status_code == 200
    [event] = _new_events(before)
    assert event[:4] == ("list", "demographics", None, "allowed")
    assert event[4].startswith("results=1;total=1;filters=name")


def test_technician_detail_event_lists_only_what_was_shown(practice, make_member, client_for, patient):
    # given
    user = make_member("technician", practice, provider=True)
    CareTeamMemberFactory(patient=patient, provider=user.provider_profiles.get())
    before = _last_seq()
    # when
    client_for(user).get(f"/patients/{patient.pk}/")
    # then
    assert _new_events(before) == [
        (
            "view",
            "demographics",
            patient.pk,
            "allowed",
            "sections=demographics,guarantor,diagnosis,consent,care_team",
            user.username,
        )
    ]


@pytest.mark.parametrize("path", ["/patients/{id}/", "/api/patients/{id}/", "/patients/{id}/coverages/new/"])
def test_denied_attempt_emits_one_denied_event_here_and_one_in_the_owning_practice(
    other_practice, biller, client_for, path
):
    # given
    foreign = PatientFactory(practice=other_practice)
    before = _last_seq()
    # when
    response = client_for(biller).get(path.format(id=foreign.pk))
    # then
    assert response.status_code == 404
    caller = AuditEvent.objects.filter(seq__gt=before).order_by("seq").first()
    assert caller is not None
    assert _new_events(before) == [
        ("view", "demographics", foreign.pk, "denied", "reason=not_accessible", biller.username),
        (
            "view",
            "demographics",
            foreign.pk,
            "denied",
            f"cross_practice;from_practice={caller.practice_id};reason=not_accessible",
            biller.username,
        ),
    ]
    assert AuditEvent.objects.filter(seq__gt=before, practice_id=other_practice.pk).count() == 1


def test_technician_off_caseload_emits_one_denied_event(practice, make_member, client_for, patient):
    user = make_member("technician", practice, provider=True)
    before = _last_seq()
    response = client_for(user).get(f"/api/patients/{patient.pk}/")
    assert response.status_code == 404
    assert _new_events(before) == [
        ("view", "demographics", patient.pk, "denied", "reason=not_on_caseload", user.username)
    ]


def test_create_form_shows_no_phi_and_emits_nothing(biller, client_for):
    before = _last_seq()
    client_for(biller).get("/patients/new/")
    assert _new_events(before) == []


def test_failed_form_post_emits_one_view_and_no_change(biller, client_for, patient, payer):
    # given
    before = _last_seq()
    # when: a bad member ID re-renders the form (with the patient's name in the header)
    response = client_for(biller).post(
        f"/patients/{patient.pk}/coverages/new/",
        {"payer": payer.pk, "member_id": "BAD ID!", "priority": "2", "effective_on": "2026-01-01"},
    )
    # then
    assert response.status_code == 400
    assert [e[:4] for e in _new_events(before)] == [("view", "demographics", patient.pk, "allowed")]


def test_events_carry_the_request_context(biller, client_for, patient):
    before = _last_seq()
    client_for(biller).get(f"/patients/{patient.pk}/", REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.actor_id, event.practice_id, event.request_path, event.ip_address, event.object_id) == (
        biller.pk,
        patient.practice_id,
        f"/patients/{patient.pk}/",
        "10.1.2.3",
        str(patient.pk),
    )
