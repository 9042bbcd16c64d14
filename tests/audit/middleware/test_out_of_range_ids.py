"""Ids beyond the bigint range answer 404 on every route, and the attempt is audited as denied."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # 20 digits: past 2**63 - 1
NOT_FOUND = {"message": "Not found.", "code": "not_found", "extra": {}}


def _denied() -> list[tuple[str, str, str, str, int | None, str]]:
    return list(
        AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).values_list(
            "action", "category", "object_type", "object_id", "patient_id", "detail"
        )
    )


@pytest.fixture
def web(practice, make_member, client_for):  # type: ignore[no-untyped-def]
    return client_for(make_member("practice_admin", practice))


@pytest.mark.parametrize(
    ("_case", "url", "category", "object_type"),
    [
        ("patient_screen", f"/patients/{HUGE}/", "demographics", "patient"),
        ("patient_edit_screen", f"/patients/{HUGE}/edit/", "demographics", "patient"),
        ("note_screen", f"/notes/{HUGE}/", "clinical_note", "note"),
        ("charges_screen", f"/charges/{HUGE}/", "billing", "charge_set"),
        ("charges_for_note_screen", f"/charges/notes/{HUGE}/", "clinical_note", "note"),
        ("payer_screen", f"/payers/{HUGE}/edit/", "practice", "payer"),
    ],
)
def test_screens_answer_404_and_audit(web, practice, _case, url, category, object_type):
    # when
    response = web.get(url)
    # then
    assert response.status_code == 404
    assert _denied() == [("view", category, object_type, HUGE, None, "reason=id_out_of_range")]
    assert AuditEvent.objects.get(outcome=AuditEvent.Outcome.DENIED).practice_id == practice.pk


@pytest.mark.parametrize(
    ("_case", "method", "url", "action", "category", "object_type"),
    [
        ("patient_api", "get", f"/api/patients/{HUGE}/", "view", "demographics", "patient"),
        ("patient_update_api", "patch", f"/api/patients/{HUGE}/update/", "update", "demographics", "patient"),
        ("note_api", "get", f"/api/notes/{HUGE}/", "view", "clinical_note", "note"),
        ("note_delete_api", "post", f"/api/notes/{HUGE}/delete/", "update", "clinical_note", "note"),
        ("charges_api", "get", f"/api/charges/{HUGE}/", "view", "billing", "charge_set"),
    ],
)
def test_api_answers_404_in_the_error_shape_and_audits(
    web, _case, method, url, action, category, object_type
):
    # when
    response = getattr(web, method)(url, {}, content_type="application/json")
    # then
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert _denied() == [(action, category, object_type, HUGE, None, "reason=id_out_of_range")]


def test_nested_route_keeps_the_patient_and_truncates_a_long_id(web, practice):
    # given
    patient = PatientFactory(practice=practice)
    long_id = "9" * 60
    # when
    response = web.post(f"/patients/{patient.pk}/coverages/{long_id}/terminate/", {})
    # then
    assert response.status_code == 404
    assert _denied() == [("update", "coverage", "coverage", "9" * 40, patient.pk, "reason=id_out_of_range")]


def test_largest_bigint_is_an_ordinary_404(web):
    # when
    response = web.get(f"/patients/{2**63 - 1}/")
    # then: the view ran and denied it as missing, the usual way
    assert response.status_code == 404
    assert _denied() == [
        ("view", "demographics", "patient", str(2**63 - 1), 2**63 - 1, "reason=not_accessible")
    ]
