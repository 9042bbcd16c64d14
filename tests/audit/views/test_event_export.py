"""The CSV export: the filtered events of the viewer's practice, and its own audit event."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/audit/export.csv"


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_export_streams_the_filtered_events_as_csv(
    practice, other_practice, make_member, client_for, record_event
):
    # given
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 30, 0, 250000, tzinfo=dt.UTC), tick=False):
        first = record_event(practice_id=practice.pk, username="clin1", patient_id=41, object_id=41)
        record_event(practice_id=practice.pk, category="coverage", patient_id=42)
        record_event(practice_id=other_practice.pk, patient_id=43)
        second = record_event(
            practice_id=practice.pk,
            username="clin2",
            patient_id=44,
            object_id=44,
            detail="=cmd|' /C calc'!A0",
        )
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(URL, {"category": "demographics"})
    rows = _csv(response)
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-events.csv"'
    assert "no-store" in response["Cache-Control"]
    assert rows == [
        [
            "seq",
            "occurred_at_utc",
            "user",
            "practice_id",
            "patient_id",
            "action",
            "category",
            "object_type",
            "object_id",
            "outcome",
            "detail",
            "ip_address",
            "hash",
        ],
        [
            "4",
            "2026-11-27T09:30:00.250000Z",
            "clin2",
            str(practice.pk),
            "44",
            "view",
            "demographics",
            "patient",
            "44",
            "allowed",
            "'=cmd|' /C calc'!A0",
            "192.0.2.10",
            second.hash,
        ],
        [
            "1",
            "2026-11-27T09:30:00.250000Z",
            "clin1",
            str(practice.pk),
            "41",
            "view",
            "demographics",
            "patient",
            "41",
            "allowed",
            "",
            "192.0.2.10",
            first.hash,
        ],
    ]


def test_export_is_recorded(practice, make_member, client_for):
    # given
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(URL, {"outcome": "denied"})
    rows = _csv(response)
    # then: the export event is written before the rows are read, so it is not in a denied-only file
    assert rows[1:] == []
    event = AuditEvent.objects.get()
    assert (event.action, event.category, event.actor_id, event.practice_id, event.detail) == (
        "export",
        "audit_log",
        officer.pk,
        practice.pk,
        "filters: outcome=denied",
    )


def test_export_with_invalid_filters_is_refused_and_not_recorded(practice, make_member, client_for):
    # given
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(URL, {"date_from": "yesterday"})
    # then
    assert response.status_code == 400
    assert AuditEvent.objects.count() == 0
