"""Every sandbox scenario through a real Celery worker (private Redis, the test database):
the verify-now hand-off goes through the durable outbox, transient failures (HTTP 503, AAA 42)
retry with backoff until they give up, permanent ones are recorded once, and a job delivered
twice changes nothing (one exchange per attempt, one check per coverage and date)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clearinghouse.sandbox import SANDBOX_MEMBERS
from core.jobs import job_send
from core.models import BackgroundJob
from eligibility import services
from eligibility.models import EligibilityCheck
from tests.eligibility.world import make_world
from tests.workers import real_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = EligibilityCheck.Status
FAST_RETRIES = {"JOBS_RETRY_BASE_SECONDS": "0.5", "JOBS_LEASE_SECONDS": "5"}
EXPECTED = {
    "SBX1001": ("done", "covered"),
    "SBX1002": ("done", "covered"),
    "SBX1003": ("done", "covered"),
    "SBX1004": ("done", "covered"),
    "SBX1005": ("done", "covered"),
    "SBX1006": ("done", "covered"),
    "SBX1007": ("done", "inactive"),
    "SBX1008": ("done", "rejected"),
    "SBX1009": ("failed_permanent", ""),  # AAA 42 five times: gave up
    "SBX1010": ("failed_permanent", ""),  # HTTP 503 five times: gave up
    "SBX1011": ("done", "covered"),
    "SBX1012": ("done", "covered"),
    "SBX1013": ("done", "at_risk"),
}
FINISHED = (Status.DONE, Status.FAILED_PERMANENT)


def test_every_sandbox_scenario_through_a_real_worker(make_member, tmp_path: Path):  # type: ignore[no-untyped-def]
    assert set(EXPECTED) == set(SANDBOX_MEMBERS)
    world = make_world(make_member)
    coverages = {member_id: world.coverage(member_id) for member_id in EXPECTED}
    with real_worker(tmp_path, pool="threads:8", env=FAST_RETRIES):
        checks = {
            member_id: services.eligibility_verify_now(
                access=world.access, coverage_id=coverage.pk, service_date=dt.date(2026, 3, 10)
            )
            for member_id, coverage in coverages.items()
        }
        # the same job delivered again (a redelivery after the relay resent it): nothing changes
        done_first = checks["SBX1001"]
        job = BackgroundJob.objects.get(key=f"eligibility.check:{done_first.pk}")
        wait_until(
            lambda: EligibilityCheck.objects.filter(pk=done_first.pk, status=Status.DONE).exists(),
            timeout=60,
            what="the first check",
        )
        job_send(job.pk, job.task_name, job.kwargs)
        wait_until(
            lambda: EligibilityCheck.objects.filter(status__in=FINISHED).count() == len(EXPECTED),
            timeout=150,
            what="every check finished",
        )
    found = {
        member_id: tuple(
            EligibilityCheck.objects.filter(pk=c.pk).values_list("status", "coverage_status").get()
        )
        for member_id, c in checks.items()
    }
    assert found == EXPECTED
    attempts = dict(EligibilityCheck.objects.values_list("coverage__member_id", "attempts"))
    assert attempts["SBX1009"] == attempts["SBX1010"] == 5
    assert all(attempts[m] == 1 for m in EXPECTED if m not in ("SBX1009", "SBX1010"))
    assert EligibilityCheck.objects.get(pk=done_first.pk).exchanges.count() == 1
    assert EligibilityCheck.objects.count() == len(EXPECTED)
    gave_up = EligibilityCheck.objects.get(pk=checks["SBX1010"].pk)
    assert "Gave up after 5 attempts" in gave_up.error_message
    assert gave_up.exchanges.count() == 5


def test_carve_outs_through_a_real_worker_the_batch_and_the_button(make_member, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Pitfall E1: the morning batch asks the carve-out administrator by itself once the plan's
    answer names it; "Verify with …" does the same for an on-demand check."""
    from practice.selectors import practice_today
    from tests.factories import PayerFactory

    world = make_world(make_member)
    PayerFactory(practice=world.practice, payer_id="SBXBH01", name="Sandbox Behavioral Health")
    scheduled, on_demand = world.coverage("SBX1011"), world.coverage("SBX1011")
    world.appointment(scheduled, practice_today(practice_id=world.practice.pk) + dt.timedelta(days=1))
    with real_worker(tmp_path, pool="threads:4", env=FAST_RETRIES):
        assert services.eligibility_schedule_run(practice_id=world.practice.pk) is not None
        plan = services.eligibility_verify_now(
            access=world.access, coverage_id=on_demand.pk, service_date=dt.date(2026, 3, 10)
        )
        wait_until(
            lambda: EligibilityCheck.objects.filter(pk=plan.pk, status=Status.DONE).exists(),
            timeout=60,
            what="the on-demand plan check",
        )
        services.eligibility_carve_out_verify(access=world.access, check_id=plan.pk)
        wait_until(
            lambda: EligibilityCheck.objects.filter(reason="carve_out", status=Status.DONE).count() == 2,
            timeout=90,
            what="both administrators' checks",
        )
    for coverage in (scheduled, on_demand):
        plan_check = EligibilityCheck.objects.get(coverage=coverage, carve_out_of__isnull=True)
        asked = EligibilityCheck.objects.get(carve_out_of=plan_check)
        assert plan_check.summary["carve_out"] == "SANDBOX BEHAVIORAL HEALTH"
        assert (asked.coverage_status, asked.summary["copay"]) == ("covered", "20.00")
        assert asked.exchanges.count() == 1
    assert set(BackgroundJob.objects.values_list("status", flat=True)) == {"done"}
