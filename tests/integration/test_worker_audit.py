"""A real Celery worker (Redis broker, embedded solo worker) runs the chain verifier.

Needs PostgreSQL (it tampers by disabling the triggers); without it the test fails and says so,
it never skips. The broker is a Redis server of the test's own (tests.workers.RedisServer), so
nothing is left in anyone's Redis. The worker runs in a thread on its own DB connection, so the
test's data must be committed: `django_db(transaction=True)`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction
from django_celery_results.models import TaskResult

from audit.models import AuditEvent, AuditVerification
from audit.services import AuditContext, audit_chain_verify_request, audit_event_record
from audit.tasks import audit_chain_verify_task
from billing.celery import app
from core.tasks import enqueue_on_commit
from tests.workers import RedisServer, sending_to

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def audit_worker() -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.fail("This worker test tampers through PostgreSQL triggers: set DATABASE_URL=postgres://…")
    queue = f"test-audit-{uuid.uuid4().hex[:8]}"
    redis = RedisServer()
    redis.start()
    try:
        with (
            sending_to(redis.url, queue),
            start_worker(
                app,
                pool="solo",
                perform_ping_check=False,
                shutdown_timeout=30,
                queues=[queue],
                loglevel="WARNING",
            ),
        ):
            yield queue
    finally:
        redis.stop()


def _wait_for_verifications(count: int, timeout: float = 60.0) -> list[AuditVerification]:
    """Poll until the worker has stored `count` task results (eager runs store none)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = TaskResult.objects.filter(status="SUCCESS")  # only this test's tasks in this database
        if done.count() >= count:
            rows = list(AuditVerification.objects.order_by("pk"))
            assert sorted(int(r.result) for r in done) == [v.pk for v in rows]
            return rows
        time.sleep(0.2)
    return pytest.fail(
        f"No worker result within {timeout:.0f} s: {AuditVerification.objects.count()} verification(s)."
    )


def test_the_worker_verifies_the_chain_and_catches_tampering(audit_worker, practice):
    # given: three committed events
    context = AuditContext(actor_id=None, actor_username="clinician1", ip_address="192.0.2.10")
    for patient_id in (41, 42, 43):
        audit_event_record(
            context=context,
            action=AuditEvent.Action.VIEW,
            category="demographics",
            practice_id=practice.pk,
            patient_id=patient_id,
        )

    # when: queued through enqueue_on_commit, which sends it once the transaction commits
    with transaction.atomic():
        enqueue_on_commit(audit_chain_verify_task)
    (first,) = _wait_for_verifications(1)

    # then
    assert (first.ok, first.events_checked, first.findings) == (True, 3, [])

    # given: a superuser turns the trigger off and edits event 2
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("UPDATE audit_auditevent SET patient_id = 999 WHERE seq = 2")
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")

    # when: "Verify chain now" (records seq 4, queues the task on commit)
    audit_chain_verify_request(context=AuditContext.system("test"), practice_id=practice.pk)
    _, second = _wait_for_verifications(2)

    # then
    assert second.ok is False
    assert second.events_checked == 4
    assert second.findings == [
        {
            "code": "audit_row_altered",
            "message": "This event's contents no longer match its hash: it was edited.",
            "field": "seq 2",
        }
    ]
    assert AuditVerification.objects.count() == 2
