"""1,000 eligibility checks through real Celery workers against the sandbox clearinghouse with
200 ms simulated payer latency: wall time and checks per second.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/parity_bench_elig
    .venv/bin/python bench/eligibility.py                    # --checks 1000 --latency-ms 200
    .venv/bin/python bench/eligibility.py --workers 2 --threads 20

It creates `--database`'s tables (migrate), a practice with 1,000 patients whose coverages carry
the sandbox's test member IDs (rows written with bulk_create: the setup is not what is
measured), starts its own redis-server on a free port and `--workers` `celery worker -P threads`
processes (I/O concurrency: each check waits 200 ms on the payer), then asks for every check
and waits until every check has finished. `--mode schedule` (the default, the realistic bulk
path): one appointment per patient in the coming days and one run of the morning batch
(`eligibility_schedule_run`: one transaction, a check and an outbox row per coverage, handed off
after commit). `--mode on-demand`: one "Verify now" per coverage through
`eligibility_verify_now` (audit event, outbox row, hand-off after commit each), from one process. Prints the time to queue, the wall time from
the first request to the last check finished, and checks per second. Transient scenarios
(payer unavailable, clearinghouse down) are left out: their retries wait on purpose.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "billing.settings.test")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--mode", choices=("schedule", "on-demand"), default="schedule")
    args = parser.parse_args()

    port = _free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    os.environ["REDIS_URL"] = redis_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from billing.celery import app
    from clearinghouse.sandbox import SANDBOX_MEMBERS, Scenario, scenario_for
    from eligibility import services
    from eligibility.models import EligibilityCheck
    from patients.models import Coverage, Patient
    from practice.access import practice_access_for
    from practice.selectors import practice_today
    from scheduling.models import Appointment
    from tests.factories import (
        LocationFactory,
        MembershipFactory,
        PayerFactory,
        PracticeFactory,
        ProviderFactory,
        UserFactory,
    )

    call_command("migrate", verbosity=0)
    members = [
        m
        for m in sorted(SANDBOX_MEMBERS)
        if scenario_for(m) not in (Scenario.PAYER_UNAVAILABLE, Scenario.CLEARINGHOUSE_DOWN)
    ]
    practice = PracticeFactory(timezone="America/New_York")
    user = UserFactory()
    MembershipFactory(user=user, practice=practice, role="biller")
    payer = PayerFactory(practice=practice, payer_id="SBXPAYER", name=f"Sandbox plan {uuid.uuid4().hex[:6]}")
    patients = Patient.objects.bulk_create(
        Patient(
            practice=practice, account_number=f"B{n:06d}", first_name="Pat", last_name=f"Bench{n}",
            date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=n), sex="F", address_line1="1 Main St",
            city="Portland", state="ME", postal_code="04101",
        )
        for n in range(args.checks)
    )  # fmt: skip
    coverages = Coverage.objects.bulk_create(
        Coverage(
            patient=p, payer=payer, member_id=members[n % len(members)], effective_on=dt.date(2025, 1, 1)
        )
        for n, p in enumerate(patients)
    )
    if args.mode == "schedule":
        provider, location = ProviderFactory(practice=practice), LocationFactory(practice=practice)
        tomorrow = practice_today(practice_id=practice.pk) + dt.timedelta(days=1)
        Appointment.objects.bulk_create(
            Appointment(
                practice=practice, patient=p, provider=provider, location=location,
                service_type="individual_psychotherapy",
                starts_at=dt.datetime.combine(tomorrow + dt.timedelta(days=n % 5), dt.time(15), tzinfo=dt.UTC),
                ends_at=dt.datetime.combine(tomorrow + dt.timedelta(days=n % 5), dt.time(16), tzinfo=dt.UTC),
            )
            for n, p in enumerate(patients)
        )  # fmt: skip
    access = practice_access_for(user=user, practice_id=practice.pk)
    if access is None:
        sys.exit("The bench user has no access to its practice.")

    redis = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "ELIGIBILITY_SANDBOX_LATENCY_MS": str(args.latency_ms),
    }
    workers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "billing",
                "worker",
                "-P",
                "threads",
                "-c",
                str(args.threads),
                "-Q",
                queue,
                "-l",
                "WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )  # fmt: skip
        for _ in range(args.workers)
    ]
    app.conf.update(broker_url=redis_url, task_always_eager=False, task_default_queue=queue)
    app._pool = None
    try:
        time.sleep(4)  # the workers connect
        print(
            f"machine: {platform.machine()} {os.cpu_count()} cores, {connection.vendor} {connection.pg_version}"
        )
        print(
            f"{args.checks} checks ({args.mode}), {args.latency_ms} ms payer latency, "
            f"{args.workers} workers x {args.threads} threads"
        )
        started = time.perf_counter()
        if args.mode == "schedule":
            batch = services.eligibility_schedule_run(practice_id=practice.pk)
            ids = list(EligibilityCheck.objects.filter(batch=batch).values_list("pk", flat=True))
        else:
            ids = [
                services.eligibility_verify_now(
                    access=access, coverage_id=c.pk, service_date=dt.date(2026, 3, 10)
                ).pk
                for c in coverages
            ]
        queued = time.perf_counter() - started
        finished = EligibilityCheck.objects.filter(pk__in=ids, status__in=["done", "failed_permanent"])
        while finished.count() < len(ids):
            if time.perf_counter() - started > 600:
                sys.exit("Gave up after 600 s.")
            time.sleep(0.25)
        wall = time.perf_counter() - started
        done = EligibilityCheck.objects.filter(pk__in=ids, status="done").count()
        how = "one batch run" if args.mode == "schedule" else "service, audit event, outbox row each"
        print(f"queued {len(ids)} checks in {queued:.1f} s ({how})")
        print(
            f"wall time {wall:.1f} s for {len(ids)} checks ({done} answered): {len(ids) / wall:.1f} checks/s"
        )
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        redis.kill()
        redis.wait()


if __name__ == "__main__":
    main()
