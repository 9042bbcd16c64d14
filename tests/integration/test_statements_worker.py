"""Statements through a real Celery worker (private Redis, the test database): a statement run
goes through the durable outbox, each patient's statement is made once, and the same job
delivered again (a redelivery) changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.jobs import job_send
from core.models import BackgroundJob
from ledger.models import PatientStatement
from ledger.patient_billing import statements_request
from tests.factories import CoverageFactory, PatientFactory
from tests.ledger.billing.world import billed_claim, post_era
from tests.workers import real_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_statement_run_through_a_real_worker_makes_each_statement_once(tmp_path: Path):  # type: ignore[no-untyped-def]
    owing = billed_claim()
    post_era(owing, paid=9000, co=2000, pr=4000)
    pending = billed_claim(
        CoverageFactory(patient=PatientFactory(practice=owing.practice))
    )  # insurance pending only: no statement in a run of open balances
    day = dt.date(2026, 11, 30)
    with real_worker(tmp_path):
        assert statements_request(practice_id=owing.practice_id, statement_date=day) == 1
        wait_until(PatientStatement.objects.exists, timeout=60, what="the statement")
        job = BackgroundJob.objects.get(key__startswith="statement:")
        job_send(job.pk, job.task_name, job.kwargs)
        wait_until(
            lambda: BackgroundJob.objects.filter(pk=job.pk, status=BackgroundJob.Status.DONE).exists(),
            timeout=60,
            what="the job done",
        )
    statement = PatientStatement.objects.get()
    assert statement.patient_id == owing.patient_id
    assert statement.amount_due_cents == 4000
    assert not PatientStatement.objects.filter(patient_id=pending.patient_id).exists()
