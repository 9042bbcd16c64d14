"""Denials opened by a real Celery worker through the durable outbox: remittance posting
enqueues "denials.tasks.denials_open_for_era"; the job opens each denied line once, and the
same job run again opens nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from core.jobs import job_enqueue_on_commit, job_send
from core.models import BackgroundJob
from denials.models import Denial
from tests.denials.world import make_world
from tests.workers import real_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_posted_era_opens_its_denials_once_through_a_real_worker(make_member, practice, tmp_path: Path):  # type: ignore[no-untyped-def]
    world = make_world(make_member, practice)
    claims = [world.claim() for _ in range(3)]
    era = world.era(
        [
            (claims[0], [("CO", "197", 15000)], 0),
            (claims[1], [("CO", "50", 15000)], 0),
            (claims[2], [("PR", "1", 15000)], 0),
        ]
    )
    with real_worker(tmp_path):
        with transaction.atomic():
            job = job_enqueue_on_commit(
                "denials.tasks.denials_open_for_era",
                key=f"denials.open_for_era:era={era.pk}",
                label=f"Open denials of ERA {era.pk}",
                practice_id=world.practice.pk,
                era_file_id=era.pk,
            )
        wait_until(
            lambda: BackgroundJob.objects.filter(pk=job.pk, status="done").exists(),
            timeout=90,
            what="the job",
        )
        assert Denial.objects.count() == 2
        # a worker killed after the handler committed but before the job was marked done: the
        # job runs again, and the handler finds every denial already open
        BackgroundJob.objects.filter(pk=job.pk).update(status="pending")
        job_send(job.pk, job.task_name, job.kwargs)
        wait_until(
            lambda: BackgroundJob.objects.filter(pk=job.pk, status="done", attempts=2).exists(),
            timeout=90,
            what="the second run",
        )
    assert sorted(Denial.objects.values_list("carc", flat=True)) == ["197", "50"]
