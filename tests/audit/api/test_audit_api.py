"""GET /api/audit/events/ and /api/audit/verifications/latest/: compliance only, one error shape."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from audit import urls as audit_urls
from audit.models import AuditEvent, AuditVerification

pytestmark = pytest.mark.django_db

EVENTS = "/api/audit/events/"
LATEST = "/api/audit/verifications/latest/"


def test_compliance_lists_their_practice_events(
    practice, other_practice, make_member, client_for, record_event
):
    # given
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), tick=False):
        mine = record_event(practice_id=practice.pk, patient_id=41, object_id=41)
        record_event(practice_id=other_practice.pk, patient_id=42)
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(EVENTS, {"category": "demographics"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    assert body["results"] == [
        {
            "seq": 1,
            "occurred_at": "2026-11-27T09:00:00Z",
            "user": "clinician1",
            "practice_id": practice.pk,
            "patient_id": 41,
            "action": "view",
            "category": "demographics",
            "object_type": "patient",
            "object_id": "41",
            "outcome": "allowed",
            "detail": "",
            "ip_address": "192.0.2.10",
            "prev_hash": mine.prev_hash,
            "hash": mine.hash,
        }
    ]


def test_listing_is_recorded_and_paginated_by_limit_and_offset(
    practice, make_member, client_for, record_event
):
    # given
    for n in range(1, 8):
        record_event(practice_id=practice.pk, patient_id=n)
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(EVENTS, {"limit": 3, "offset": 2})
    # then: 7 events + this list event = 8, newest first
    body = response.json()
    assert body["count"] == 8
    assert [r["seq"] for r in body["results"]] == [6, 5, 4]
    assert body["next"].endswith("?limit=3&offset=5")
    listed = AuditEvent.objects.get(seq=8)
    assert (listed.action, listed.category, listed.actor_id, listed.request_path) == (
        "list",
        "audit_log",
        officer.pk,
        EVENTS,
    )


@pytest.mark.parametrize(
    ("_case", "params", "expected"),
    [
        ("user", {"user": "biller7"}, [2]),
        ("patient", {"patient_id": 1}, [1]),
        ("action", {"action": "update"}, [2]),
        ("outcome", {"outcome": "denied"}, [1]),
        ("dates", {"date_from": "2026-11-02", "date_to": "2026-11-02"}, [2]),
    ],
)
def test_filters(practice, make_member, client_for, record_event, _case, params, expected):
    # given
    with time_machine.travel(dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC), tick=False):
        record_event(practice_id=practice.pk, patient_id=1, outcome="denied")
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC), tick=False):
        record_event(practice_id=practice.pk, patient_id=2, username="biller7", action="update")
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(EVENTS, {**params, "category": "demographics"})
    # then
    assert [r["patient_id"] for r in response.json()["results"]] == expected


def test_invalid_filters_get_the_error_shape_and_read_nothing(practice, make_member, client_for):
    # given
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(EVENTS, {"category": "gossip", "patient_id": "x"})
    # then
    assert response.status_code == 400
    body = response.json()
    assert (body["message"], body["code"], sorted(body["extra"]["fields"])) == (
        "The data is not valid.",
        "validation_failed",
        ["category", "patient_id"],
    )
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("role", ["biller", "technician", "clinician", "supervisor", "practice_admin"])
def test_other_roles_are_refused(practice, make_member, client_for, record_event, role):
    # given
    record_event(practice_id=practice.pk)
    client = client_for(make_member(role, practice))
    # when
    responses = [client.get(EVENTS), client.get(LATEST)]
    # then
    for response in responses:
        assert response.status_code == 403
        assert response.json() == {
            "message": "You do not have permission to do this.",
            "code": "permission_denied",
            "extra": {},
        }
    assert AuditEvent.objects.count() == 1


def test_anonymous_is_refused():
    response = Client().get(EVENTS)
    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"
    assert AuditEvent.objects.count() == 0


def test_latest_verification_is_404_before_the_first_run(practice, make_member, client_for):
    response = client_for(make_member("compliance", practice)).get(LATEST)
    assert response.status_code == 404
    assert response.json() == {
        "message": "The audit chain has not been verified yet.",
        "code": "not_found",
        "extra": {},
    }


def test_latest_verification(practice, make_member, client_for):
    # given
    AuditVerification.objects.create(
        ran_at=dt.datetime(2026, 11, 26, 2, 15, tzinfo=dt.UTC), events_checked=3, ok=True, findings=[]
    )
    latest = AuditVerification.objects.create(
        ran_at=dt.datetime(2026, 11, 27, 2, 15, tzinfo=dt.UTC),
        events_checked=4,
        ok=False,
        findings=[{"code": "audit_row_altered", "message": "It was edited.", "field": "seq 2"}],
    )
    # when
    response = client_for(make_member("compliance", practice)).get(LATEST)
    # then
    assert response.status_code == 200
    assert response.json() == {
        "id": latest.pk,
        "ran_at": "2026-11-27T02:15:00Z",
        "ok": False,
        "events_checked": 4,
        "findings": [{"code": "audit_row_altered", "message": "It was edited.", "field": "seq 2"}],
    }


def test_the_schema_documents_both_operations():
    # when
    schema = SchemaGenerator(patterns=audit_urls.api_urlpatterns).get_schema(request=None, public=True)
    # then
    events = schema["paths"]["/events/"]["get"]
    assert events["operationId"] == "audit_events_list"
    assert {p["name"] for p in events["parameters"]} == {
        "user",
        "patient_id",
        "category",
        "action",
        "outcome",
        "date_from",
        "date_to",
        "limit",
        "offset",
    }
    page_schema = events["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page_schema == "#/components/schemas/PaginatedAuditEventList"
    latest = schema["paths"]["/verifications/latest/"]["get"]
    assert latest["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/AuditVerification"
    )
