"""core.jobs: the durable hand-off (outbox row in the caller's transaction, relay, retries,
needs attention, retry by staff). The real-worker fault tests are in tests/integration."""

from __future__ import annotations

from datetime import timedelta

import kombu
import pytest
from django.db import transaction
from django.utils import timezone

from core import jobs
from core.errors import Conflict, NotFound
from core.models import BackgroundJob
from core.tasks import durable_task

pytestmark = pytest.mark.django_db
Status = BackgroundJob.Status

calls: list[dict[str, object]] = []
failures_left = {"n": 0}


@durable_task("tests.core.record_call")
def record_call(value: int) -> None:
    if failures_left["n"] > 0:
        failures_left["n"] -= 1
        raise RuntimeError(f"transient failure for {value}")
    calls.append({"value": value})


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()
    failures_left["n"] = 0


def enqueue(value: int = 1, *, practice_id: int | None = 7) -> BackgroundJob:
    return jobs.job_enqueue_on_commit(
        "tests.core.record_call",
        key=f"record:{value}",
        label=f"Record {value}",
        practice_id=practice_id,
        value=value,
    )


def test_the_job_row_commits_with_the_caller_and_the_task_is_sent_only_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = enqueue(5)
        assert calls == []
    assert BackgroundJob.objects.get().status == Status.PENDING
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert calls == [{"value": 5}]
    assert (job.status, job.attempts, job.last_error) == (Status.DONE, 1, "")
    assert job.done_at is not None


def test_a_rolled_back_transaction_leaves_neither_the_job_nor_a_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012
        enqueue(5)
        raise RuntimeError("the state change failed")
    assert callbacks == []
    assert BackgroundJob.objects.count() == 0


def test_the_same_intent_twice_is_one_job_and_one_send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = enqueue(5)
        second = enqueue(5)
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert calls == [{"value": 5}]


def test_an_unknown_task_fails_loudly_before_anything_commits():
    with pytest.raises(KeyError):
        jobs.job_enqueue_on_commit("tests.core.no_such_task", key="x", label="x")
    assert BackgroundJob.objects.count() == 0


def test_a_broker_that_is_down_makes_the_job_due_now_and_the_caller_is_unharmed(
    monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    conf = record_call.app.conf
    monkeypatch.setattr(record_call, "apply_async", refuse)
    conf.task_always_eager = False  # a broker is configured, and it is down
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = enqueue(5)
    finally:
        conf.task_always_eager = True
    job.refresh_from_db()
    assert job.status == Status.PENDING
    assert job.next_attempt_at <= timezone.now()
    assert calls == []
    # when the broker is back, the relay sends it
    monkeypatch.undo()
    assert jobs.jobs_relay() == 1
    job.refresh_from_db()
    assert (job.status, calls) == (Status.DONE, [{"value": 5}])


def test_a_failure_is_retried_later_with_backoff_and_the_error_is_kept(django_capture_on_commit_callbacks):
    failures_left["n"] = 1
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(5)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.PENDING, 1)
    assert job.last_error == "RuntimeError: transient failure for 5"
    assert before + timedelta(seconds=15) <= job.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    # not due yet: the relay leaves it alone
    assert jobs.jobs_relay() == 0
    # due: the relay sends it and it succeeds
    BackgroundJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    assert jobs.jobs_relay() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error, calls) == (Status.DONE, 2, "", [{"value": 5}])


def test_the_fifth_failure_stops_the_job_until_staff_retry_it(django_capture_on_commit_callbacks):
    failures_left["n"] = 5
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(5)
    for _ in range(4):
        BackgroundJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
        assert jobs.jobs_relay() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.NEEDS_ATTENTION, 5)
    assert list(jobs.jobs_needing_attention(practice_id=7)) == [job]
    BackgroundJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    assert jobs.jobs_relay() == 0  # stopped: the relay never sends it again on its own
    # staff retry: a fresh count, sent at once
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_retry(practice_id=7, job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, calls) == (Status.DONE, 1, [{"value": 5}])


def test_staff_retry_only_their_own_practice_jobs_and_never_a_finished_one(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(5)
    with pytest.raises(NotFound):
        jobs.job_retry(practice_id=8, job_id=job.pk)
    with pytest.raises(Conflict):
        jobs.job_retry(practice_id=7, job_id=job.pk)


def test_a_job_lost_with_its_worker_is_sent_again_once_its_lease_passes(django_capture_on_commit_callbacks):
    # given: sent, claimed by a worker that then died (attempt counted, lease running)
    with django_capture_on_commit_callbacks():
        job = enqueue(5)
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(
        attempts=1, last_attempt_at=now, next_attempt_at=now + jobs.job_lease()
    )
    assert jobs.jobs_relay() == 0
    # when the lease has passed
    BackgroundJob.objects.filter(pk=job.pk).update(next_attempt_at=now - timedelta(seconds=1))
    assert jobs.jobs_relay() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, calls) == (Status.DONE, 2, [{"value": 5}])


def test_a_duplicate_delivery_of_a_finished_job_does_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(5)
    assert record_call.apply(kwargs={"value": 5, "job_id": job.pk}).get() == "skipped"
    assert calls == [{"value": 5}]


def test_the_relay_sends_due_jobs_oldest_first_and_leases_them():
    now = timezone.now()
    for value, minutes in ((1, 3), (2, 1), (3, -5)):
        BackgroundJob.objects.create(
            key=f"k{value}",
            task_name="tests.core.record_call",
            kwargs={"value": value},
            label="x",
            next_attempt_at=now - timedelta(minutes=minutes),
        )
    assert jobs.jobs_relay(limit=1) == 1
    assert calls == [{"value": 1}]
    assert jobs.jobs_relay() == 1  # value 3 is not due
    assert calls == [{"value": 1}, {"value": 2}]


def test_waiting_lists_failed_and_overdue_jobs_but_not_fresh_ones(django_capture_on_commit_callbacks):
    failures_left["n"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        failed = enqueue(1)
    with django_capture_on_commit_callbacks():  # never sent (no worker)
        fresh = enqueue(2)
        stale = enqueue(3)
    BackgroundJob.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - jobs.job_lease() - timedelta(seconds=1)
    )
    waiting = set(jobs.jobs_waiting(practice_id=7))
    assert waiting == {failed, stale}
    assert fresh not in waiting
    assert jobs.job_counts(practice_id=7) == {"needs_attention": 0, "waiting": 2}


def test_without_a_broker_the_hand_off_runs_in_process_and_never_opens_a_broker_connection(
    monkeypatch, django_capture_on_commit_callbacks
):
    from celery import current_app

    def no_broker(*args, **kwargs):
        raise AssertionError("a broker connection or producer was asked for")

    assert current_app.conf.task_always_eager is True  # tests run as `make run` does: no REDIS_URL
    for method in ("producer_or_acquire", "connection_for_write", "connection_for_read"):
        monkeypatch.setattr(type(current_app._get_current_object()), method, no_broker)
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(5)
    job.refresh_from_db()
    assert (job.status, calls) == (Status.DONE, [{"value": 5}])


def test_many_jobs_commit_with_the_caller_in_constant_queries_and_known_keys_are_skipped(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    enqueue(2)  # already queued by someone else: not queued twice
    specs = [jobs.JobSpec(key=f"record:{n}", label=f"Record {n}", kwargs={"value": n}) for n in range(1, 51)]
    with django_capture_on_commit_callbacks() as callbacks, django_assert_max_num_queries(2):
        created = jobs.jobs_enqueue_many_on_commit("tests.core.record_call", specs, practice_id=7)
    assert created == 49
    assert len(callbacks) == 1  # one send for the 49
    assert calls == []
    callbacks[0]()
    assert sorted(c["value"] for c in calls) == [n for n in range(1, 51) if n != 2]
    assert BackgroundJob.objects.filter(status=Status.DONE).count() == 49
    assert set(BackgroundJob.objects.values_list("practice_id", flat=True)) == {7}
    with django_capture_on_commit_callbacks() as again:
        assert jobs.jobs_enqueue_many_on_commit("tests.core.record_call", specs) == 0
    assert again == []


def test_many_jobs_a_broker_that_fails_midway_leaves_the_unsent_due_now_for_the_relay(
    monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[int] = []

    def flaky(*args, kwargs, **options):
        if len(sent) == 3:
            raise kombu.exceptions.OperationalError("Connection refused.")
        assert options["producer"] is not None  # one producer for the whole batch
        sent.append(kwargs["job_id"])

    conf = record_call.app.conf
    monkeypatch.setattr(record_call, "apply_async", flaky)
    conf.task_always_eager = False
    specs = [jobs.JobSpec(key=f"record:{n}", label=f"Record {n}", kwargs={"value": n}) for n in range(10)]
    try:
        with django_capture_on_commit_callbacks(execute=True):
            jobs.jobs_enqueue_many_on_commit("tests.core.record_call", specs)
    finally:
        conf.task_always_eager = True
    now = timezone.now()
    due = set(BackgroundJob.objects.filter(next_attempt_at__lte=now).values_list("pk", flat=True))
    assert len(sent) == 3
    assert due == set(BackgroundJob.objects.values_list("pk", flat=True)) - set(sent)
    monkeypatch.undo()
    assert jobs.jobs_relay() == 7
    assert len(calls) == 7
