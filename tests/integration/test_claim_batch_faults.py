"""Every claim reaches the clearinghouse exactly once: a real worker SIGKILLed at different points
of a batch submission, 20 rounds, then recovered by the relay (pitfall C16, issue 11
"Reliability"). And a poison batch stops after 5 attempts and shows as needing attention.

Real pieces only: PostgreSQL (the test database), a Redis server of the test's own, `celery
worker` processes started and SIGKILLed as a whole process group. The clearinghouse is the
directory one (tests/claims/fake_clearinghouse.py): idempotent by file name like the real
adapters, it marks each phase of a submission ("before": nothing written; "during": the file
half-way; "after": submitted, not yet recorded by the worker) and pauses there, so each round
aims its kill at one phase. The test process creates the batches through the service (the send
job goes to Redis on commit) and plays the beat's part by calling the relay while it waits.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from claims.models import Claim, ClaimBatch, ClaimBatchItem
from claims.services.batches import claim_batch_create
from core.models import BackgroundJob
from edi.reader import read_interchange
from practice.access import practice_access_for
from tests.claims.fake_clearinghouse import DirectoryClearinghouse
from tests.claims.submission.conftest import FAKE, Office
from tests.factories import PracticeFactory
from tests.workers import RedisServer, Worker, sending_to, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 20
CLAIMS_PER_BATCH = 3
PHASES = ("before", "during", "after")
LEASE_SECONDS = 4
PAUSE = 0.4  # seconds the clearinghouse waits in each phase, so a kill can aim at it
RNG = random.Random(20261206)


def _env(root: Path, pause: float) -> dict[str, str]:
    return {
        "JOBS_LEASE_SECONDS": str(LEASE_SECONDS),
        "JOBS_RETRY_BASE_SECONDS": "0.2",
        "CLAIMS_CLEARINGHOUSE": FAKE,
        "FAKE_CLEARINGHOUSE_DIR": str(root),
        "FAKE_CLEARINGHOUSE_PAUSE": str(pause),
    }


def _office(make_member: Any, root: Path) -> Office:
    practice = PracticeFactory(postal_code="627011234", phone="217-555-0100")
    access = practice_access_for(user=make_member("biller", practice), practice_id=practice.pk)
    assert access is not None
    return Office(practice, access, DirectoryClearinghouse(root / f"practice-{practice.pk}"))


def _file_name(batch_id: int) -> str:
    return ClaimBatch.objects.values_list("file_name", flat=True).get(pk=batch_id)


@pytest.fixture
def fast_jobs(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings.JOBS_LEASE_SECONDS = LEASE_SECONDS
    settings.JOBS_RETRY_BASE_SECONDS = 0.2
    settings.CLAIMS_CLEARINGHOUSE = FAKE
    root = tmp_path / "clearinghouse"
    monkeypatch.setenv("FAKE_CLEARINGHOUSE_DIR", str(root))
    return root


@pytest.mark.timeout(300)
def test_killing_the_worker_mid_submission_sends_every_claim_exactly_once(
    fast_jobs: Path, make_member: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: set DATABASE_URL=postgres://…")
    office = _office(make_member, fast_jobs)
    poison = _office(make_member, fast_jobs)
    (poison.clearinghouse.root / "fail").write_text("transient", encoding="utf-8")
    redis = RedisServer()
    redis.start()
    queue = f"test-claims-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "workers.log"
    kills: list[str] = []
    started = time.monotonic()
    workers: list[Worker] = []

    def start(pool: str) -> Worker:
        workers.append(
            Worker(redis_url=redis.url, queue=queue, pool=pool, log=log, env=_env(fast_jobs, PAUSE))
        )
        return workers[-1]

    # Two workers serve the queue, a solo one and a prefork one, so one keeps working while a
    # killed one is replaced (a worker takes seconds to start on a busy machine).
    live = {"solo": start("solo"), "prefork": start("prefork")}
    try:
        with sending_to(redis.url, queue):
            batches: list[int] = []
            for round_number in range(ROUNDS):
                phase = PHASES[round_number % len(PHASES)]
                # given: a batch of ready claims queued (its send job goes to the workers)
                claims = office.ready_claims(CLAIMS_PER_BATCH)
                batch = claim_batch_create(office.practice.pk, [c.pk for c in claims], actor=office.biller)
                batches.append(batch.pk)
                # when: the process sending it is SIGKILLed in the chosen phase of the submission
                found: list[int] = []

                def in_phase(b: int = batch.pk, p: str = phase, found: list[int] = found) -> bool:
                    name = _file_name(b)
                    marks = [
                        m for m in office.clearinghouse.phases() if name and m.startswith(f"{name}.{p}.")
                    ]
                    found[:] = [int(m[len(name) + len(p) + 2 :].split(".")[0]) for m in marks]
                    return bool(found)

                wait_until(in_phase, timeout=60, what=f"batch {batch.pk} reaching phase {phase}", poll=0.02)
                time.sleep(RNG.uniform(0, 0.2))
                pid = found[-1]
                pool = next(p for p, w in live.items() if os.getpgid(pid) == w.process.pid)
                whole = pid == live[pool].process.pid or round_number % 5 == 4
                if whole:  # the whole worker (a solo worker's main process runs the task itself)
                    live[pool].kill()
                    live[pool] = start(pool)
                else:  # a prefork pool process: its parent replaces it and requeues the message
                    os.kill(pid, signal.SIGKILL)
                kills.append(
                    f"round {round_number + 1:2d}: SIGKILL {'worker' if whole else 'pool process'} ({pool}) in "
                    f"phase {phase:6} of batch {batch.pk}, {time.monotonic() - started:5.1f} s"
                )
            # then: the workers, left alone now, finish what the killed ones lost, and meet a
            # poison batch (its clearinghouse always answers 503). They are the ones already
            # running: a fresh worker would take 10-15 s to start on a busy two-core machine.
            poisoned = claim_batch_create(
                poison.practice.pk, [c.pk for c in poison.ready_claims(2)], actor=poison.biller
            )
            wait_until(
                lambda: (
                    ClaimBatch.objects.filter(pk__in=batches, status="sent").count() == ROUNDS
                    and ClaimBatch.objects.filter(pk=poisoned.pk, status="needs_attention").exists()
                ),
                timeout=120,
                what="every batch sent and the poison batch given up",
            )
    finally:
        for worker in workers:
            worker.kill()
        redis.stop()
    elapsed = time.monotonic() - started
    attempts = sorted(ClaimBatch.objects.filter(pk__in=batches).values_list("attempts", flat=True))
    with capsys.disabled():
        sys.stdout.write(
            "\n" + "\n".join(kills) + f"\nsend attempts per batch: {attempts}; {elapsed:.0f} s\n"
        )

    # every claim submitted, each in exactly one batch
    claim_ids = list(ClaimBatchItem.objects.filter(batch_id__in=batches).values_list("claim_id", flat=True))
    assert len(claim_ids) == len(set(claim_ids)) == ROUNDS * CLAIMS_PER_BATCH
    assert set(Claim.objects.filter(pk__in=claim_ids).values_list("status", flat=True)) == {"submitted"}
    # the clearinghouse accepted each batch's file once: no claim lost, no CLM01 twice, ISA13s distinct
    accepted = office.clearinghouse.accepted_log()
    assert sorted(accepted) == sorted(_file_name(b) for b in batches)
    clm01: Counter[str] = Counter()
    isa13: Counter[str] = Counter()
    for text in office.clearinghouse.submissions().values():
        interchange = read_interchange(text)
        isa13[interchange.isa.get(13)] += 1
        clm01.update(s.get(1) for t in interchange.transactions for s in t.segments if s.id == "CLM")
    expected = set(Claim.objects.filter(pk__in=claim_ids).values_list("patient_control_number", flat=True))
    assert set(clm01) == expected
    assert set(clm01.values()) == {1}, "a claim was sent twice"
    assert set(isa13.values()) == {1}, "an ISA13 was used twice"
    assert sum(attempts) > ROUNDS, "no send was interrupted: the kills missed the submissions"
    # the poison batch: five attempts, needs attention on the batch and on the jobs screen
    poisoned.refresh_from_db()
    # (a redelivered message may run an attempt twice at once: both count, as both ran)
    job = BackgroundJob.objects.get(key=f"claim-batch-send:{poisoned.pk}")
    assert (poisoned.status, job.status) == ("needs_attention", "needs_attention")
    assert poisoned.attempts >= 5
    assert job.attempts >= 5
    assert "503" in poisoned.last_error
    assert set(Claim.objects.filter(practice=poison.practice).values_list("status", flat=True)) == {"queued"}
    assert poison.clearinghouse.accepted_log() == []
    assert elapsed < 180
