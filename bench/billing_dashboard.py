"""The billing dashboard with 50,000 claims: queries and time per page (issue 12).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   # any database on the server
    .venv/bin/python bench/billing_dashboard.py                      # --claims 50000 --requests 5

Drops and recreates `--database` (default parity_billdash_bench), migrates, bulk-inserts the
claims (two payers, four patients, ages 0-200 days, every status the queues read; paid and
denied ones posted to the ledger) and measures the dashboard, the claim worklist (oldest 200)
and the patient A/R list through the Django test client, signed in as a biller with MFA passed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup(database: str) -> None:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL")
    import psycopg2

    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database}"')
    conn.close()
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "billing.settings.test")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="parity_billdash_bench")
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    _setup(args.database)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from claims.models import Claim
    from ledger.models import LedgerEntry
    from practice.selectors import practice_today
    from tests.dashboard.billing_world import claims_bulk
    from tests.factories import MembershipFactory, PracticeFactory, UserFactory

    practice = PracticeFactory()
    user: User = UserFactory(username="bench-biller")
    MembershipFactory(user=user, practice=practice, role="biller")
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    started = time.perf_counter()
    claims_bulk(practice, args.claims, today=practice_today(practice_id=practice.pk))
    inserted = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    # Keep one connection and its query log across requests (as in tests), so that the log
    # counts each request's queries.
    request_started.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    print(
        f"machine: {platform.machine()} {platform.system()} {os.cpu_count()} cores, python {platform.python_version()}"
    )
    print(f"database: {version}")
    print(
        f"rows: {Claim.objects.count()} claims, {LedgerEntry.objects.count()} ledger rows (inserted in {inserted:.1f} s)"
    )
    for url in (
        "/billing/",
        "/billing/?basis=submission",
        "/billing/claims/?side=insurance",
        "/billing/patients/",
    ):
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url}: HTTP {response.status_code}")
        executed: list[str] = []

        def counting(execute, sql, params, many, context, executed=executed):  # type: ignore[no-untyped-def]
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            client.get(url)
        samples = []
        for _ in range(args.requests):
            begin = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - begin)
        print(
            f"{url:36s} {len(executed):3d} queries, "
            f"median {statistics.median(samples) * 1000:8.1f} ms, max {max(samples) * 1000:8.1f} ms ({args.requests} requests)"
        )


if __name__ == "__main__":
    main()
