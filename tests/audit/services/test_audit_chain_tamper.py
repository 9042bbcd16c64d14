"""An attacker with superuser rights gets past the triggers; audit_chain_verify still catches them.

Each scenario turns the triggers off one of two ways (ALTER TABLE … DISABLE TRIGGER ALL, or
session_replication_role = replica), changes the table with raw SQL, turns them back on, and
checks the verifier's stored findings. All inside the test's transaction (rolled back after).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from django.db import connection

from audit import chain_services
from audit.chain_services import audit_chain_verify
from audit.domain.chain import compute_hash
from audit.keys import audit_chain_current_key
from audit.models import AuditEvent, AuditVerification

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

KEY = audit_chain_current_key()
BYPASSES = ["disable_trigger", "replication_role_replica"]
TABLES = ("audit_auditevent", "audit_auditchainhead")


@contextmanager
def _triggers_bypassed(how: str) -> Iterator[None]:
    with connection.cursor() as cursor:
        # PostgreSQL refuses ALTER TABLE / TRUNCATE while this transaction has deferred checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if how == "disable_trigger":
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        if how == "disable_trigger":
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
        else:
            cursor.execute("SET LOCAL session_replication_role = origin")


def _sql(*statements: tuple[str, list]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _findings(verification: AuditVerification) -> list[tuple[str, str]]:
    return [(f["code"], f["field"]) for f in verification.findings]


@pytest.fixture
def four_events(practice, record_event) -> list[AuditEvent]:
    return [record_event(practice_id=practice.pk, patient_id=500 + n, object_id=500 + n) for n in range(1, 5)]


@pytest.mark.parametrize("how", BYPASSES)
def test_the_chain_verifies_before_tampering(four_events, how):
    # when
    with _triggers_bypassed(how):
        pass
    verification = audit_chain_verify()
    # then
    assert (verification.ok, verification.events_checked, verification.findings) == (True, 4, [])


@pytest.mark.parametrize("how", BYPASSES)
def test_an_edited_event_is_caught(four_events, how):
    # given
    with _triggers_bypassed(how):
        _sql(("UPDATE audit_auditevent SET patient_id = %s WHERE seq = %s", [999, 2]))
    assert AuditEvent.objects.get(seq=2).patient_id == 999
    # when
    verification = audit_chain_verify()
    # then
    assert verification.ok is False
    assert verification.events_checked == 4
    assert verification.findings == [
        {
            "code": "audit_row_altered",
            "message": "This event's contents no longer match its hash: it was edited.",
            "field": "seq 2",
        }
    ]
    assert AuditVerification.objects.get().pk == verification.pk


@pytest.mark.parametrize("how", BYPASSES)
def test_an_edited_and_resealed_event_is_caught(four_events, how):
    # given: the attacker holds the chain key too and re-seals the edited row
    record = next(r for r in chain_services.audit_chain_records() if r.seq == 2)
    forged = replace(record, patient_id=999)
    with _triggers_bypassed(how):
        _sql(
            (
                "UPDATE audit_auditevent SET patient_id = %s, hash = %s WHERE seq = %s",
                [999, compute_hash(forged, secret=KEY.secret), 2],
            )
        )
    # when
    verification = audit_chain_verify()
    # then
    assert _findings(verification) == [("audit_link_broken", "seq 3")]


@pytest.mark.parametrize("how", BYPASSES)
def test_a_deleted_event_is_caught(four_events, how):
    # given
    with _triggers_bypassed(how):
        _sql(("DELETE FROM audit_auditevent WHERE seq = %s", [2]))
    # when
    verification = audit_chain_verify()
    # then
    assert verification.ok is False
    assert verification.events_checked == 3
    assert _findings(verification) == [("audit_seq_gap", "seq 3"), ("audit_link_broken", "seq 3")]


@pytest.mark.parametrize("how", BYPASSES)
def test_an_inserted_event_is_caught(four_events, how):
    # given: make room at seq 3, then insert a well-formed forged event there
    second = next(r for r in chain_services.audit_chain_records() if r.seq == 2)
    forged = replace(second, seq=3, patient_id=777, object_id="777", prev_hash=second.hash)
    forged = replace(forged, hash=compute_hash(forged, secret=KEY.secret))
    with _triggers_bypassed(how):
        _sql(
            ("UPDATE audit_auditevent SET seq = seq + 1000 WHERE seq >= %s", [3]),
            ("UPDATE audit_auditevent SET seq = seq - 999 WHERE seq >= %s", [1000]),
        )
        AuditEvent.objects.create(
            seq=forged.seq,
            occurred_at=forged.occurred_at,
            actor_id=forged.actor_id,
            actor_username=forged.actor_username,
            practice_id=forged.practice_id,
            patient_id=forged.patient_id,
            action=forged.action,
            category=forged.category,
            object_type=forged.object_type,
            object_id=forged.object_id,
            outcome=forged.outcome,
            detail=forged.detail,
            ip_address=forged.ip_address,
            request_path=forged.request_path,
            prev_hash=forged.prev_hash,
            chain_version=forged.chain_version,
            key_id=forged.key_id,
            hash=forged.hash,
        )
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    # when
    verification = audit_chain_verify()
    # then
    assert verification.events_checked == 5
    assert _findings(verification) == [
        ("audit_link_broken", "seq 4"),
        ("audit_row_altered", "seq 4"),
        ("audit_row_altered", "seq 5"),
        ("audit_tail_mismatch", "head"),
    ]


@pytest.mark.parametrize("how", BYPASSES)
def test_reordered_events_are_caught(four_events, how):
    # given: events 2 and 3 swap their seq values
    with _triggers_bypassed(how):
        _sql(
            ("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [-2, 2]),
            ("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [2, 3]),
            ("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [3, -2]),
        )
    # when
    verification = audit_chain_verify()
    # then
    assert _findings(verification) == [
        ("audit_link_broken", "seq 2"),
        ("audit_row_altered", "seq 2"),
        ("audit_link_broken", "seq 3"),
        ("audit_row_altered", "seq 3"),
        ("audit_link_broken", "seq 4"),
    ]


@pytest.mark.parametrize("how", BYPASSES)
def test_a_truncated_tail_is_caught(four_events, how):
    # given
    with _triggers_bypassed(how):
        _sql(("DELETE FROM audit_auditevent WHERE seq >= %s", [3]))
    # when
    verification = audit_chain_verify()
    # then
    assert verification.events_checked == 2
    assert _findings(verification) == [("audit_tail_mismatch", "head")]


@pytest.mark.parametrize("how", BYPASSES)
def test_an_emptied_log_is_caught_while_the_head_remains(four_events, how):
    # given
    with _triggers_bypassed(how):
        _sql(("TRUNCATE audit_auditevent", []))
    # when
    verification = audit_chain_verify()
    # then
    assert verification.events_checked == 0
    assert _findings(verification) == [("audit_tail_mismatch", "head")]


def test_a_flood_of_findings_is_capped(practice, record_event):
    # given: every event edited
    for _ in range(205):
        record_event(practice_id=practice.pk)
    with _triggers_bypassed("disable_trigger"):
        _sql(("UPDATE audit_auditevent SET detail = 'x'", []))
    # when
    verification = audit_chain_verify()
    # then
    assert len(verification.findings) == 201
    assert verification.findings[-1] == {
        "code": "audit_findings_truncated",
        "message": "5 more findings were not stored.",
        "field": "",
    }
