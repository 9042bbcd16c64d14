"""The "Verify chain now" button: records the request and queues the verifier on commit."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent, AuditVerification

pytestmark = pytest.mark.django_db


def test_verify_now_queues_the_verifier_after_commit(
    practice, make_member, client_for, record_event, eager_tasks, django_capture_on_commit_callbacks
):
    # given
    record_event(practice_id=practice.pk)
    officer = make_member("compliance", practice)
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(officer).post("/audit/verify/")
    # then
    assert response.status_code == 302
    assert response.url == "/audit/"
    assert len(callbacks) == 1
    verification = AuditVerification.objects.get()
    assert (verification.ok, verification.events_checked) == (True, 2)
    requested = AuditEvent.objects.get(seq=2)
    assert (
        requested.action,
        requested.category,
        requested.actor_id,
        requested.practice_id,
        requested.object_type,
    ) == (
        "verify",
        "audit_log",
        officer.pk,
        practice.pk,
        "audit_chain",
    )


def test_verify_now_needs_post(practice, make_member, client_for, django_capture_on_commit_callbacks):
    # given
    officer = make_member("compliance", practice)
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(officer).get("/audit/verify/")
    # then
    assert response.status_code == 405
    assert callbacks == []
    assert AuditEvent.objects.count() == 0


def test_a_biller_cannot_queue_a_verification(
    practice, make_member, client_for, django_capture_on_commit_callbacks
):
    # given
    biller = make_member("biller", practice)
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(biller).post("/audit/verify/")
    # then
    assert response.status_code == 403
    assert callbacks == []
    assert AuditEvent.objects.count() == 0
    assert AuditVerification.objects.count() == 0
