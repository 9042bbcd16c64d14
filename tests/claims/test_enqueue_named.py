"""core.tasks.enqueue_named_on_commit: a task queued by name, only after commit."""

from __future__ import annotations

import pytest
from celery import current_app

from core.tasks import enqueue_named_on_commit

pytestmark = pytest.mark.django_db


def test_a_named_task_is_sent_with_its_kwargs_only_at_commit(monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    task = current_app.tasks["claims.tasks.note_ready_to_bill_task"]

    def record(*, kwargs):
        sent.append(kwargs)

    monkeypatch.setattr(task, "apply_async", record)
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_named_on_commit("claims.tasks.note_ready_to_bill_task", note_id=7)
        assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [{"note_id": 7}]


def test_an_unknown_task_name_fails_loudly_at_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_named_on_commit("claims.tasks.no_such_task", note_id=7)
    with pytest.raises(KeyError):
        callbacks[0]()
