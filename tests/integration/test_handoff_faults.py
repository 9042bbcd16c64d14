"""Nothing is lost between the final note and its charges: a real worker killed with SIGKILL at
different points of a batch of charge captures (20 rounds, solo and prefork pools), and a round
with Redis stopped while notes are signed. Afterwards every final note has exactly one charge set.

Real pieces only: PostgreSQL (the test database), a Redis server of the test's own (started on a
free port, so stopping it touches no one else's Redis), and `celery worker` processes started and
SIGKILLed as a whole process group (a crashed container or machine). The test process signs the
notes through the services, so each hand-off goes through `job_enqueue_on_commit` to the broker,
and plays the beat's part by calling the relay while it waits.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from accounts.access import PracticeAccess
from claims.models import BillableNote, ChargeSet
from clinical_notes import services as note_services
from clinical_notes.domain.types import Segment
from clinical_notes.models import SessionNote
from core.domain.service_types import ServiceType
from core.jobs import jobs_relay
from core.models import BackgroundJob
from practice.access import practice_access_for
from tests.factories import PatientFactory, PracticeFactory
from tests.factories.clinical import PatientDiagnosisFactory
from tests.factories.clinical_content import complete_content_for
from tests.workers import RedisServer, Worker, jobs_done, sending_to, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NY = ZoneInfo("America/New_York")
ROUNDS = 20
BATCH = 5
LEASE_SECONDS = 8
FAST_JOBS = {"JOBS_LEASE_SECONDS": str(LEASE_SECONDS), "JOBS_RETRY_BASE_SECONDS": "1"}
RNG = random.Random(20261206)


class Practice:
    """A clinician (LPC) whose individual psychotherapy notes are final when signed."""

    def __init__(self, make_member) -> None:  # type: ignore[no-untyped-def]
        practice = PracticeFactory(timezone="America/New_York")
        user = make_member("clinician", practice, provider=True, credential="LPC")
        self.access: PracticeAccess = practice_access_for(user=user, practice_id=practice.pk)  # type: ignore[assignment]
        self.patients = [PatientFactory(practice=practice) for _ in range(4)]
        self.diagnoses = {p.pk: PatientDiagnosisFactory(patient=p, code="F4310").pk for p in self.patients}
        self.made = 0
        self.first_day = dt.datetime.now(tz=NY).date() - dt.timedelta(days=30)

    def final_note(self) -> SessionNote:
        """One more final note through the services: create, fill, sign (final at once)."""
        n = self.made
        self.made += 1
        patient = self.patients[n % len(self.patients)]
        day = self.first_day + dt.timedelta(days=n // 8)
        start = dt.datetime.combine(day, dt.time(8, 0), tzinfo=NY) + dt.timedelta(minutes=50 * (n % 8))
        service = ServiceType.INDIVIDUAL_PSYCHOTHERAPY
        note = note_services.note_create(
            access=self.access, patient_id=patient.pk, service_type=service, date_of_service=day
        )
        note = note_services.note_draft_update(
            access=self.access,
            note_id=note.pk,
            version=note.version,
            content=complete_content_for(service, seed=n + 1),
            segments=[Segment(starts_at=start, ends_at=start + dt.timedelta(minutes=45))],
            diagnosis_ids=[self.diagnoses[patient.pk]],
        )
        signed = note_services.note_sign(access=self.access, note_id=note.pk, attested=True)
        assert signed.status == "final", signed.status
        return signed


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fast_jobs(settings):  # type: ignore[no-untyped-def]
    settings.JOBS_LEASE_SECONDS = LEASE_SECONDS
    settings.JOBS_RETRY_BASE_SECONDS = 1.0


def _assert_every_final_note_has_exactly_one_charge_set(expected_notes: int) -> None:
    final = set(SessionNote.objects.filter(status="final").values_list("pk", flat=True))
    assert len(final) == expected_notes
    per_note = dict(ChargeSet.objects.values_list("note_id").annotate(n=Count("pk")))
    assert set(per_note) == final, f"lost: {sorted(final - set(per_note))}"
    assert set(per_note.values()) == {1}, "a note has more than one charge set"
    assert sorted(BillableNote.objects.values_list("note_id", flat=True)) == sorted(final)
    assert set(BackgroundJob.objects.values_list("status", flat=True)) == {"done"}


@pytest.mark.timeout(1500)
def test_killing_the_worker_mid_batch_loses_and_doubles_nothing(
    redis_server, fast_jobs, make_member, tmp_path, capsys
):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: set DATABASE_URL=postgres://…")
    clinic = Practice(make_member)
    queue = f"test-faults-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "workers.log"
    kills: list[str] = []
    started = time.monotonic()
    with sending_to(redis_server.url, queue):
        for round_number in range(ROUNDS):
            pool = "solo" if round_number % 2 == 0 else "prefork"
            # given: a batch of final notes whose hand-offs wait in the queue (no worker runs)
            done_before = jobs_done()
            for _ in range(BATCH):
                clinic.final_note()
            # when: a worker starts on the batch and is killed once `target` of its captures are
            # done, at a random instant of the next one (0: while it boots or on the first)
            worker = Worker(redis_url=redis_server.url, queue=queue, pool=pool, log=log, env=FAST_JOBS)
            target = RNG.randrange(BATCH)
            wait_until(
                lambda t=target, d=done_before: jobs_done() >= d + t,
                timeout=120,
                what=f"{target} captures",
                poll=0.01,
            )
            time.sleep(RNG.uniform(0, 0.05))
            worker.kill()
            kills.append(
                f"round {round_number + 1:2d} ({pool:7}): SIGKILL with {jobs_done() - done_before} of the "
                f"{BATCH} captures of its batch done, {time.monotonic() - started:5.1f} s"
            )
        # then: a worker that is left alone finishes what the killed ones lost
        survivor = Worker(redis_url=redis_server.url, queue=queue, pool="prefork", log=log, env=FAST_JOBS)
        try:
            expected = ROUNDS * BATCH
            wait_until(lambda: jobs_done() == expected, timeout=240, what="every capture")
        finally:
            survivor.kill()
    attempts = sorted(BackgroundJob.objects.values_list("attempts", flat=True))
    with capsys.disabled():  # the rounds, for the record, in the test run's output
        sys.stdout.write("\n" + "\n".join(kills) + f"\nattempts per job (runs started): {attempts}\n")
    _assert_every_final_note_has_exactly_one_charge_set(ROUNDS * BATCH)
    assert sum(attempts) > ROUNDS * BATCH, "no capture was interrupted: the kills missed the batches"


def test_signing_while_redis_is_down_succeeds_and_the_charges_follow_when_it_is_back(
    redis_server, fast_jobs, make_member, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: set DATABASE_URL=postgres://…")
    clinic = Practice(make_member)
    queue = f"test-outage-{uuid.uuid4().hex[:8]}"
    with sending_to(redis_server.url, queue):
        # given: Redis is down while a clinician signs five notes
        redis_server.stop()
        for _ in range(BATCH):
            started = time.monotonic()
            clinic.final_note()  # final, no error for the clinician
            assert time.monotonic() - started < 10
        # then: five final notes, no charges yet, five jobs due for the relay
        jobs = list(BackgroundJob.objects.all())
        assert len(jobs) == BATCH
        assert {j.status for j in jobs} == {"pending"}
        assert ChargeSet.objects.count() == 0
        assert jobs_relay() == BATCH  # Redis still down: the relay cannot send them either …
        # when Redis is back and a worker runs
        redis_server.start()
        worker = Worker(
            redis_url=redis_server.url, queue=queue, pool="solo", log=tmp_path / "worker.log", env=FAST_JOBS
        )
        try:
            wait_until(lambda: jobs_done() == BATCH, timeout=120, what="the charges after the outage")
        finally:
            worker.kill()
    _assert_every_final_note_has_exactly_one_charge_set(BATCH)
    assert settings.JOBS_LEASE_SECONDS == LEASE_SECONDS
