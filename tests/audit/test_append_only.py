"""The audit log is append-only in the database (migration 0005), the queryset and the admin."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from audit.errors import AppendOnlyViolation
from audit.models import AuditChainHead, AuditEvent, AuditVerification

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    return list(AuditEvent.objects.order_by("seq").values_list("seq", "detail", "hash", "prev_hash"))


def _head() -> tuple[int, str]:
    head = AuditChainHead.objects.get()
    return head.last_seq, head.last_hash


def _execute(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def three_events(practice, record_event) -> list[AuditEvent]:
    return [record_event(practice_id=practice.pk, patient_id=500 + n, object_id=500 + n) for n in (1, 2, 3)]


def test_the_triggers_are_installed():
    # when
    if connection.vendor == "postgresql":
        rows = _names(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            " AND tgrelid IN ('audit_auditevent'::regclass, 'audit_auditchainhead'::regclass)"
        )
        expected = {
            "audit_auditevent_append_only",
            "audit_auditevent_no_truncate",
            "audit_auditchainhead_advance_only",
            "audit_auditchainhead_no_delete",
            "audit_auditchainhead_no_truncate",
        }
    else:
        rows = _names("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'")
        expected = {
            "audit_auditevent_no_update",
            "audit_auditevent_no_delete",
            "audit_auditchainhead_advance_only",
        }
    # then
    assert rows == expected


def _names(sql: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}


def test_saving_an_existing_event_is_refused_by_the_database(three_events):
    # given
    before = _snapshot()
    event = AuditEvent.objects.get(seq=2)
    event.detail = "edited"
    # when / then
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        event.save(update_fields=["detail"])
    assert _snapshot() == before


def test_deleting_an_event_through_the_orm_is_refused_by_the_database(three_events):
    # given
    before = _snapshot()
    event = AuditEvent.objects.get(seq=2)
    # when / then
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        event.delete()
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("_case", "sql"),
    [
        ("update_one", "UPDATE audit_auditevent SET detail = 'edited' WHERE seq = 2"),
        ("update_all", "UPDATE audit_auditevent SET outcome = 'allowed'"),
        ("delete_one", "DELETE FROM audit_auditevent WHERE seq = 3"),
        ("delete_middle", "DELETE FROM audit_auditevent WHERE seq = 2"),
    ],
)
def test_raw_sql_changes_are_refused_by_the_database(three_events, _case, sql):
    # given
    before = _snapshot()
    # when / then
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _execute(sql)
    assert _snapshot() == before


def test_queryset_update_and_delete_are_refused_before_reaching_the_database(three_events):
    # given
    before = _snapshot()
    # when / then
    with pytest.raises(AppendOnlyViolation, match="cannot be updated"):
        AuditEvent.objects.filter(seq=2).update(detail="edited")
    with pytest.raises(AppendOnlyViolation, match="cannot be deleted"):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyViolation), transaction.atomic():
        AuditEvent.objects.bulk_update(list(AuditEvent.objects.all()), ["detail"])
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("_case", "sql"),
    [
        ("rewind", "UPDATE audit_auditchainhead SET last_seq = 2"),
        ("skip_ahead", "UPDATE audit_auditchainhead SET last_seq = 4"),
        ("wrong_hash", "UPDATE audit_auditchainhead SET last_seq = 4, last_hash = 'f'"),
    ],
)
def test_the_chain_head_only_advances_to_a_real_event(three_events, _case, sql):
    # given
    before = _head()
    # when / then
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _execute(sql)
    assert _head() == before


@pytest.mark.postgres
def test_the_chain_head_cannot_be_deleted(three_events):
    # given
    before = _head()
    # when / then
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _execute("DELETE FROM audit_auditchainhead")
    assert _head() == before


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditchainhead"])
def test_truncate_is_refused_without_a_superuser_opting_in(three_events, table):
    # given: test connections opt in (billing/settings/test.py); this transaction opts out
    before, head_before = _snapshot(), _head()
    _execute("SET CONSTRAINTS ALL IMMEDIATE")  # PG refuses TRUNCATE with deferred checks pending
    _execute("SET LOCAL parity.audit_truncate = ''")
    # when / then
    with pytest.raises(IntegrityError, match=f"{table} is append-only: TRUNCATE"), transaction.atomic():
        _execute(f"TRUNCATE {table} CASCADE")
    assert _snapshot() == before
    assert _head() == head_before


@pytest.mark.postgres
def test_appending_still_works_after_a_refused_change(three_events, record_event, practice):
    # given
    with pytest.raises(IntegrityError), transaction.atomic():
        _execute("UPDATE audit_auditevent SET detail = 'x'")
    # when
    event = record_event(practice_id=practice.pk)
    # then
    assert event.seq == 4
    assert _head() == (4, event.hash)


def test_the_admin_is_read_only():
    # given
    request = RequestFactory().get("/admin/")
    # then
    for model in (AuditEvent, AuditVerification):
        model_admin = admin_site._registry[model]
        assert model_admin.has_add_permission(request) is False
        assert model_admin.has_change_permission(request) is False
        assert model_admin.has_delete_permission(request) is False
        assert model_admin.get_actions(request) == {}


@pytest.mark.django_db(transaction=True)
def test_the_test_runner_can_still_flush_the_audit_tables(practice, record_event):
    # given: committed events (SQLite: DELETE oldest first; PostgreSQL: TRUNCATE, opted in for tests)
    for _ in range(3):
        record_event(practice_id=practice.pk)
    # when
    call_command("flush", interactive=False, verbosity=0)
    # then
    assert (AuditEvent.objects.count(), AuditChainHead.objects.count()) == (0, 0)
