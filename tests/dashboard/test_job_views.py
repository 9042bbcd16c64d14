"""The background-jobs screen: what billers see of jobs that failed, and the retry button."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import BackgroundJob

pytestmark = pytest.mark.django_db


def make_job(
    practice_id: int, *, key: str, status: str = "needs_attention", error: str = "boom"
) -> BackgroundJob:
    return BackgroundJob.objects.create(
        key=key,
        task_name="claims.tasks.note_ready_to_bill_task",
        kwargs={"note_id": 999_999},
        label=f"Capture charges for {key}",
        practice_id=practice_id,
        status=status,
        attempts=5 if status == "needs_attention" else 1,
        next_attempt_at=timezone.now(),
        last_attempt_at=timezone.now(),
        last_error=error,
    )


def test_billers_see_their_practice_jobs_that_need_attention_or_wait(
    practice, other_practice, make_member, client_for
):
    biller = make_member("biller", practice)
    make_job(practice.pk, key="mine-stuck", error="OperationalError: server closed the connection")
    make_job(practice.pk, key="mine-waiting", status="pending", error="RuntimeError: try later")
    make_job(practice.pk, key="mine-done", status="done", error="")
    make_job(other_practice.pk, key="theirs")
    response = client_for(biller).get(reverse("dashboard:jobs"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Capture charges for mine-stuck" in body
    assert "OperationalError: server closed the connection" in body
    assert "Capture charges for mine-waiting" in body
    assert "mine-done" not in body
    assert "theirs" not in body


def test_a_retried_job_runs_again_and_leaves_the_list(
    practice, make_member, client_for, django_capture_on_commit_callbacks
):
    biller = make_member("biller", practice)
    job = make_job(practice.pk, key="stuck")
    client = client_for(biller)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:job_retry", kwargs={"job_id": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    # on commit the task ran in-process (no broker in tests): the note does not exist, so done
    assert (job.status, job.attempts) == ("done", 1)
    assert "Nothing needs attention." in client.get(reverse("dashboard:jobs")).content.decode()


def test_another_practice_job_cannot_be_retried(practice, other_practice, make_member, client_for):
    biller = make_member("biller", practice)
    job = make_job(other_practice.pk, key="theirs")
    response = client_for(biller).post(reverse("dashboard:job_retry", kwargs={"job_id": job.pk}))
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == "needs_attention"
