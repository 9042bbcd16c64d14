"""The compliance viewer at /audit/: who may see it, what it shows, and that viewing is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Membership
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/audit/"


def _seqs(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [row.seq for row in response.context["page"].rows]


def test_the_url_names():
    assert reverse("audit:event_list") == "/audit/"
    assert reverse("audit:event_export") == "/audit/export.csv"
    assert reverse("audit:chain_verify") == "/audit/verify/"


def test_compliance_sees_only_their_practice_events_newest_first(
    practice, other_practice, make_member, client_for, record_event
):
    # given
    ours = [record_event(practice_id=practice.pk, patient_id=n) for n in (11, 12)]
    record_event(practice_id=other_practice.pk, patient_id=99)
    record_event(practice_id=None, patient_id=None)
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(URL)
    # then: the viewing event (seq 5) is itself listed
    assert response.status_code == 200
    assert _seqs(response) == [5, ours[1].seq, ours[0].seq]
    assert [row.patient_id for row in response.context["page"].rows] == ["", "12", "11"]
    content = response.content.decode()
    assert 'data-seq="3"' not in content
    assert 'data-seq="4"' not in content


def test_a_row_shows_every_column_ready_made(practice, make_member, client_for, record_event):
    # given
    with time_machine.travel(dt.datetime(2026, 11, 27, 14, 5, 9, tzinfo=dt.UTC), tick=False):
        record_event(
            practice_id=practice.pk,
            username="biller7",
            action=AuditEvent.Action.UPDATE,
            category="coverage",
            patient_id=42,
            object_type="coverage",
            object_id=8,
            outcome=AuditEvent.Outcome.DENIED,
            detail="fields: member_id",
            ip_address="203.0.113.9",
        )
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(URL, {"category": "coverage"})
    # then
    (row,) = response.context["page"].rows
    assert (
        row.seq,
        row.occurred_at,
        row.username,
        row.practice_id,
        row.patient_id,
        row.action_label,
        row.category,
        row.object_label,
        row.outcome,
        row.outcome_badge,
        row.detail,
        row.ip_address,
    ) == (
        1,
        "Fri 27 Nov 2026, 08:05 CST",
        "biller7",
        practice.pk,
        "42",
        "Updated",
        "coverage",
        "coverage #8",
        "denied",
        "bad",
        "fields: member_id",
        "203.0.113.9",
    )
    assert "Fri 27 Nov 2026, 08:05 CST" in response.content.decode()
    assert (row.category_label, row.object_text, row.outcome_label) == ("Coverage", "Coverage 8", "Denied")


def test_viewing_the_log_is_recorded(practice, make_member, client_for):
    # given
    officer = make_member("compliance", practice)
    # when
    client_for(officer).get(URL, {"category": "demographics", "patient_id": "77"})
    # then
    event = AuditEvent.objects.get()
    assert (
        event.action,
        event.category,
        event.actor_id,
        event.actor_username,
        event.practice_id,
        event.patient_id,
        event.object_type,
        event.detail,
        event.request_path,
    ) == (
        "list",
        "audit_log",
        officer.pk,
        officer.username,
        practice.pk,
        77,
        "audit_event",
        "filters: category=demographics, patient",
        "/audit/",
    )


@pytest.mark.parametrize("role", ["biller", "technician", "clinician", "supervisor", "practice_admin"])
def test_other_roles_get_403_and_nothing_is_recorded(practice, make_member, client_for, record_event, role):
    # given
    record_event(practice_id=practice.pk)
    user = make_member(role, practice)
    client = client_for(user)
    # when
    responses = [client.get(URL), client.get("/audit/export.csv"), client.post("/audit/verify/")]
    # then
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1]


def test_a_user_without_a_practice_gets_403(make_member, client_for, practice):
    # given: the only membership was ended
    user = make_member("compliance", practice)
    Membership.objects.filter(user=user).update(is_active=False)
    # when
    response = client_for(user).get(URL)
    # then
    assert response.status_code == 403
    assert AuditEvent.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client):
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/audit/"
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "params", "expected_patients"),
    [
        ("user", {"user": "BILLER7"}, [2]),
        ("patient", {"patient_id": "3"}, [3]),
        ("category", {"category": "coverage"}, [2]),
        ("action", {"action": "update"}, [2, 3]),
        ("outcome", {"outcome": "denied"}, [3]),
        ("from", {"date_from": "2026-11-02"}, [2, 3]),
        ("to", {"date_to": "2026-11-02"}, [1, 2]),
        ("range", {"date_from": "2026-11-02", "date_to": "2026-11-02"}, [2]),
        ("combined", {"action": "update", "outcome": "allowed"}, [2]),
    ],
)
def test_filters(practice, make_member, client_for, record_event, _case, params, expected_patients):
    # given: three events on three days in the practice's zone (Chicago, UTC-6 in November)
    specs = [
        (dt.datetime(2026, 11, 2, 5, 59, tzinfo=dt.UTC), {"username": "clin1", "action": "view"}),
        (
            dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC),
            {"username": "biller7", "action": "update", "category": "coverage"},
        ),
        (
            dt.datetime(2026, 11, 3, 12, 0, tzinfo=dt.UTC),
            {"username": "clin1", "action": "update", "outcome": "denied"},
        ),
    ]
    for n, (moment, fields) in enumerate(specs, start=1):
        with time_machine.travel(moment, tick=False):
            record_event(practice_id=practice.pk, patient_id=n, **fields)
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(URL, params)
    # then: newest first
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert [int(r.patient_id) for r in rows if r.category != "audit_log"] == sorted(
        expected_patients, reverse=True
    )


def test_invalid_filters_show_errors_and_read_nothing(practice, make_member, client_for, record_event):
    # given
    record_event(practice_id=practice.pk)
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(
        URL, {"patient_id": "abc", "date_from": "2026-11-05", "date_to": "2026-11-01"}
    )
    # then
    assert response.status_code == 400
    assert response.context["page"] is None
    assert set(response.context["form"].errors) == {"patient_id", "date_to"}
    assert AuditEvent.objects.count() == 1


def test_pages_hold_fifty_events_newest_first(practice, make_member, client_for, record_event):
    # given: 120 events, then the viewer's own list event each time the page is viewed
    for _ in range(120):
        record_event(practice_id=practice.pk)
    officer = make_member("compliance", practice)
    client = client_for(officer)
    # when
    first = client.get(URL, {"category": "demographics"})
    third = client.get(URL, {"category": "demographics", "page": "3"})
    # then
    assert _seqs(first) == list(range(120, 70, -1))
    assert _seqs(third) == list(range(20, 0, -1))
    page = first.context["page"]
    assert (page.number, page.num_pages, page.total, page.previous_number, page.next_number) == (
        1,
        3,
        120,
        None,
        2,
    )
    assert 'href="?category=demographics&amp;page=2"' in first.content.decode()
    assert (third.context["page"].next_number, third.context["page"].previous_number) == (None, 2)


def test_the_list_runs_a_fixed_number_of_queries(
    practice, make_member, client_for, record_event, django_assert_num_queries
):
    # given
    for _ in range(60):
        record_event(practice_id=practice.pk)
    client = client_for(make_member("compliance", practice))
    client.get(URL)  # warm the session
    # when / then: session, user, OTP device, membership+practice, provider; the list event
    # (savepoint, head lock, insert, head update, release); count, page, the practice's time
    # zone, the patients' names, latest verification; session save (savepoint, update,
    # release). No query per row.
    with django_assert_num_queries(18):
        response = client.get(URL)
    assert len(response.context["page"].rows) == 50


def test_the_last_verification_is_shown(practice, make_member, client_for, record_event, eager_tasks):
    # given
    from audit.chain_services import audit_chain_verify

    record_event(practice_id=practice.pk)
    with time_machine.travel(dt.datetime(2026, 11, 27, 2, 15, tzinfo=dt.UTC), tick=False):
        audit_chain_verify()
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(URL)
    # then
    summary = response.context["verification"]
    assert (summary.label, summary.badge, summary.events_checked, summary.ran_at) == (
        "Chain intact",
        "ok",
        1,
        "2026-11-27 02:15:00 UTC",
    )
    assert "Chain intact" in response.content.decode()


def test_a_broken_chain_shows_its_findings(practice, make_member, client_for):
    # given
    from audit.models import AuditVerification

    AuditVerification.objects.create(
        ran_at=dt.datetime(2026, 11, 27, 2, 15, tzinfo=dt.UTC),
        events_checked=4,
        ok=False,
        findings=[{"code": "audit_row_altered", "message": "It was edited.", "field": "seq 2"}],
    )
    officer = make_member("compliance", practice)
    # when
    response = client_for(officer).get(URL)
    # then
    content = response.content.decode()
    assert "Chain broken" in content
    assert "<code>audit_row_altered</code> seq 2: It was edited." in content


def test_never_verified_says_so(practice, make_member, client_for):
    response = client_for(make_member("compliance", practice)).get(URL)
    assert response.context["verification"] is None
    assert "The chain has not been verified yet." in response.content.decode()


def test_rows_name_the_patient_and_the_filter_finds_them_by_name(
    practice, make_member, client_for, record_event
):
    # given
    from tests.factories import PatientFactory

    avery = PatientFactory(practice=practice, first_name="Avery", last_name="Quill")
    other = PatientFactory(practice=practice, first_name="Jordan", last_name="Reyes")
    record_event(practice_id=practice.pk, patient_id=avery.pk, detail="results=3;purpose=cosign_queue")
    record_event(practice_id=practice.pk, patient_id=other.pk)
    officer = make_member("compliance", practice)
    # when
    everyone = client_for(officer).get(URL).context["page"].rows
    by_name = client_for(officer).get(URL, {"patient": "quill av"}).context["page"].rows
    by_account = client_for(officer).get(URL, {"patient": other.account_number}).context["page"].rows
    nobody = client_for(officer).get(URL, {"patient": "Nobody"}).context["page"].rows
    # then
    named = {r.patient_name: r.patient_account for r in everyone if r.patient_name}
    assert named == {"Quill, Avery": avery.account_number, "Reyes, Jordan": other.account_number}
    assert [(r.patient_name, r.detail_text) for r in by_name] == [
        ("Quill, Avery", "results: 3 · purpose: co-sign queue")
    ]
    assert [r.patient_name for r in by_account] == ["Reyes, Jordan"]
    assert [r for r in nobody if r.category != "audit_log"] == []
