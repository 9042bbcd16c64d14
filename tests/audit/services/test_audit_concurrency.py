"""Concurrent writers on PostgreSQL: the head row lock keeps the chain whole.

Threads have their own database connections, so the data must be committed
(`transaction=True`); each thread closes its connection when done.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from audit.chain_services import audit_chain_verify
from audit.models import AuditChainHead, AuditEvent, AuditVerification
from audit.services import AuditContext, audit_event_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 8
EVENTS_EACH = 6


def _run_together(targets: list) -> list[BaseException]:  # type: ignore[type-arg]
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def wrapped(target) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=30)
            target()
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return errors


def _writer(practice_id: int, writer: int):  # type: ignore[no-untyped-def]
    def write() -> None:
        for n in range(EVENTS_EACH):
            audit_event_record(
                context=AuditContext(actor_id=None, actor_username=f"writer{writer}"),
                action=AuditEvent.Action.VIEW,
                category="demographics",
                practice_id=practice_id,
                patient_id=1000 * writer + n,
            )

    return write


def test_concurrent_appends_from_an_empty_log_make_one_valid_chain(practice):
    # given: no chain head yet, so the writers also race to create it
    assert AuditChainHead.objects.count() == 0
    # when
    errors = _run_together([_writer(practice.pk, w) for w in range(WRITERS)])
    # then
    assert errors == []
    total = WRITERS * EVENTS_EACH
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, total + 1))
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (total, AuditEvent.objects.get(seq=total).hash)
    verification = audit_chain_verify()
    assert (verification.ok, verification.events_checked, verification.findings) == (True, total, [])


def test_verifying_while_events_are_appended_never_reports_a_false_break(practice, record_event):
    # given
    record_event(practice_id=practice.pk)
    verdicts: list[tuple[bool, int, list]] = []  # type: ignore[type-arg]

    def verify_repeatedly() -> None:
        for _ in range(10):
            result = audit_chain_verify()
            verdicts.append((result.ok, result.events_checked, result.findings))

    # when
    errors = _run_together([*[_writer(practice.pk, w) for w in range(4)], verify_repeatedly])
    # then
    assert errors == []
    assert len(verdicts) == 10
    assert all(ok and findings == [] for ok, _, findings in verdicts), verdicts
    assert all(1 <= checked <= 1 + 4 * EVENTS_EACH for _, checked, _ in verdicts)
    assert AuditVerification.objects.filter(ok=False).count() == 0
    assert audit_chain_verify().events_checked == 1 + 4 * EVENTS_EACH
