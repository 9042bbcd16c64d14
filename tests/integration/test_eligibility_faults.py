"""No eligibility check is lost or done twice when the worker dies: a real worker SIGKILLed in
the middle of a scheduled batch of checks (6 rounds, thread and prefork pools, 300 ms payer
latency so the kill lands while 270s are in flight), then a worker left alone and the relay.

Afterwards every check is done exactly once: one answered exchange per check (one stored 270
whose ISA13 is that exchange's control number, never reused), one outbox job per check, done.
Real pieces only, as in test_handoff_faults.py: the test database, a private Redis server and
`celery worker` processes killed as a whole process group.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import uuid

import pytest
from django.db import connection
from django.db.models import Count

from clearinghouse.sandbox import SANDBOX_MEMBERS, Scenario, scenario_for
from core.models import BackgroundJob
from edi.reader import read_interchange
from eligibility import services
from eligibility.models import EligibilityCheck, EligibilityExchange
from practice.selectors import practice_today
from tests.eligibility.world import make_world
from tests.workers import RedisServer, Worker, sending_to, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 6
BATCH = 8
LEASE_SECONDS = 8
WORKER_ENV = {
    "JOBS_LEASE_SECONDS": str(LEASE_SECONDS),
    "JOBS_RETRY_BASE_SECONDS": "1",
    "ELIGIBILITY_SANDBOX_LATENCY_MS": "300",
}
RNG = random.Random(20261206)
ANSWERED = [m for m in sorted(SANDBOX_MEMBERS) if scenario_for(m) not in (Scenario.PAYER_UNAVAILABLE, Scenario.CLEARINGHOUSE_DOWN)]  # fmt: skip


def checks_done() -> int:
    return EligibilityCheck.objects.filter(status=EligibilityCheck.Status.DONE).count()


@pytest.fixture
def redis_server():  # type: ignore[no-untyped-def]
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.timeout(900)
def test_killing_the_worker_mid_batch_loses_and_doubles_no_check(
    redis_server, settings, make_member, tmp_path, capsys
):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: set DATABASE_URL=postgres://…")
    settings.JOBS_LEASE_SECONDS = LEASE_SECONDS
    settings.JOBS_RETRY_BASE_SECONDS = 1.0
    world = make_world(make_member)
    tomorrow = practice_today(practice_id=world.practice.pk) + dt.timedelta(days=1)
    queue = f"test-elig-faults-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "workers.log"
    kills: list[str] = []
    made = 0
    with sending_to(redis_server.url, queue):
        for round_number in range(ROUNDS):
            pool = "threads:4" if round_number % 2 == 0 else "prefork"
            # given: a scheduled batch of checks waiting in the queue (no worker runs)
            for _ in range(BATCH):
                world.appointment(world.coverage(ANSWERED[made % len(ANSWERED)]), tomorrow)
                made += 1
            done_before = checks_done()
            batch = services.eligibility_schedule_run(practice_id=world.practice.pk)
            assert batch is not None
            assert batch.total == BATCH
            # when: a worker starts on it and is killed once `target` checks are done, while the
            # next ones wait on the payer
            worker = Worker(redis_url=redis_server.url, queue=queue, pool=pool, log=log, env=WORKER_ENV)
            target = RNG.randrange(BATCH // 2)
            wait_until(
                lambda t=target, d=done_before: checks_done() >= d + t,
                timeout=120,
                what=f"{target} checks",
                poll=0.01,
            )
            time.sleep(RNG.uniform(0, 0.3))
            worker.kill()
            kills.append(
                f"round {round_number + 1} ({pool:9}): SIGKILL with {checks_done() - done_before} of the "
                f"{BATCH} checks of its batch done"
            )
        # then: a worker left alone (and the relay, which `wait_until` runs as beat would)
        # finishes what the killed ones lost
        survivor = Worker(redis_url=redis_server.url, queue=queue, pool="threads:4", log=log, env=WORKER_ENV)
        try:
            wait_until(lambda: checks_done() == made, timeout=300, what="every check")
        finally:
            survivor.kill()
    attempts = sorted(EligibilityCheck.objects.values_list("attempts", flat=True))
    with capsys.disabled():
        sys.stdout.write("\n" + "\n".join(kills) + f"\nattempts per check: {attempts}\n")

    checks = EligibilityCheck.objects.all()
    assert checks.count() == made == ROUNDS * BATCH
    assert set(checks.values_list("status", flat=True)) == {"done"}
    per_check = dict(EligibilityExchange.objects.values_list("check_run_id").annotate(n=Count("pk")))
    assert per_check == dict.fromkeys(checks.values_list("pk", flat=True), 1), (
        "a check lost or answered twice"
    )
    for exchange in EligibilityExchange.objects.all():
        assert exchange.outcome == "answered"
        isa13 = read_interchange(exchange.request_x12).isa.get(13)
        assert int(isa13) == exchange.interchange_control_number  # the 270 stored is the one sent
    jobs = BackgroundJob.objects.filter(key__startswith="eligibility.check:")
    assert jobs.count() == made
    assert set(jobs.values_list("status", flat=True)) == {"done"}
    assert sum(attempts) > made, "no check was interrupted: the kills missed the batches"
