"""Audit test helpers: PostgreSQL-only tests fail loudly elsewhere; events and chains on demand."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.services import AuditContext, audit_event_record
from billing.celery import app as celery_app


@pytest.fixture(autouse=True)
def _postgres_marker_means_postgres(request: pytest.FixtureRequest) -> None:
    """A `postgres` test never passes (or skips) on SQLite: it fails and says why."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.fail(
            "This test needs PostgreSQL (triggers, row locks): set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/parity_<you>, or deselect with -m 'not postgres'."
        )


@pytest.fixture
def record_event(db) -> Callable[..., AuditEvent]:  # type: ignore[no-untyped-def]
    """record_event(practice_id=..., **overrides): append one event through the service."""

    def _record(
        *,
        practice_id: int | None,
        username: str = "clinician1",
        actor_id: int | None = None,
        action: str = AuditEvent.Action.VIEW,
        category: str = "demographics",
        patient_id: int | None = 501,
        object_type: str = "patient",
        object_id: str | int = 501,
        outcome: str = AuditEvent.Outcome.ALLOWED,
        detail: str = "",
        ip_address: str | None = "192.0.2.10",
    ) -> AuditEvent:
        return audit_event_record(
            context=AuditContext(
                actor_id=actor_id, actor_username=username, ip_address=ip_address, request_path="/patients/"
            ),
            action=action,
            category=category,
            practice_id=practice_id,
            patient_id=patient_id,
            object_type=object_type,
            object_id=object_id,
            outcome=outcome,
            detail=detail,
        )

    return _record


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Run queued tasks in-process even when REDIS_URL is set (these tests need no worker)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = before
