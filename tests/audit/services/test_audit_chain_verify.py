"""audit_chain_verify on a real database: stores the result; memory and queries stay flat."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit import chain_services
from audit.chain_services import audit_chain_verify
from audit.models import AuditEvent, AuditVerification

pytestmark = pytest.mark.django_db


def test_a_clean_chain_is_stored_as_ok(practice, other_practice, record_event):
    # given
    for practice_id in (practice.pk, other_practice.pk, None):
        record_event(practice_id=practice_id)
    # when
    verification = audit_chain_verify()
    # then
    stored = AuditVerification.objects.get()
    assert stored.pk == verification.pk
    assert (stored.ok, stored.events_checked, stored.findings) == (True, 3, [])


def test_an_empty_chain_is_ok():
    # when
    verification = audit_chain_verify()
    # then
    assert (verification.ok, verification.events_checked, verification.findings) == (True, 0, [])
    assert AuditEvent.objects.count() == 0


def test_verifying_writes_no_audit_event(practice, record_event):
    # given
    record_event(practice_id=practice.pk)
    # when
    audit_chain_verify()
    # then
    assert AuditEvent.objects.count() == 1


def test_the_chain_is_read_as_records_in_seq_order(practice, record_event):
    # given
    events = [record_event(practice_id=practice.pk, patient_id=n) for n in (11, 12, 13)]
    # when
    records = list(chain_services.audit_chain_records(chunk_size=2))
    # then
    assert [(r.seq, r.patient_id, r.hash) for r in records] == [(e.seq, e.patient_id, e.hash) for e in events]


@pytest.mark.parametrize("count", [3, 40])
def test_verification_runs_the_same_queries_whatever_the_chain_length(practice, record_event, count):
    # given
    for _ in range(count):
        record_event(practice_id=practice.pk)
    # when
    with CaptureQueriesContext(connection) as queries:
        verification = audit_chain_verify()
    # then: head, the streamed events, the insert (+ savepoint bookkeeping inside the test's transaction)
    assert verification.events_checked == count
    assert len([q for q in queries.captured_queries if "audit_auditevent" in q["sql"]]) == 1
    assert len(queries.captured_queries) == 5
