"""Lists and the note path at practice scale: 5,000 patients, 50,000 final notes with charges.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/scale.py [--database parity_bench] [--requests 20] [--paths 20]

Drops and recreates `--database` on the server of DATABASE_URL (never point it at real data),
migrates, builds the demo practice through the services (`demo.seed.seed_all`), grows it in bulk
(`bench/scale_data.py`: bulk copies, documented there), then prints:

1. the per-note cost of the full path through the real services: create -> draft -> sign ->
   co-sign -> capture (capture runs in-process: REDIS_URL is ignored, tasks run eagerly), its
   wall time and its query count, with the capture's share;
2. for every list page and list API, as biller, supervisor and technician (and compliance for
   the audit log): the status, the SQL query count of one request and p50/p95 over `--requests`
   requests with Django's test Client (signed in, MFA passed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PAGES = [
    "/patients/",
    "/schedule/",
    "/schedule/week/",
    "/notes/my-day/",
    "/notes/to-write/",
    "/notes/returned/",
    "/notes/cosign/",
    "/notes/all/",
    "/notes/all/?status=final&page=3",
    "/authorizations/",
    "/authorizations/?status=active&page=2",
    "/charges/",
    "/practice/providers/",
    "/payers/",
    "/audit/",
]
APIS = [
    "/api/patients/",
    "/api/patients/?q=Lee",
    "/api/schedule/appointments/",
    "/api/notes/",
    "/api/notes/?status=final&offset=500",
    "/api/notes/cosign-queue/",
    "/api/authorizations/",
    "/api/charges/",
    "/api/practice/providers/",
    "/api/practice/locations/",
    "/api/payers/",
    "/api/audit/events/",
]
ROLES = {"biller": "biller", "supervisor": "supervisor", "technician": "tech", "compliance": "compliance"}


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
    os.environ.pop("REDIS_URL", None)  # capture runs in-process (eager tasks)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "billing.settings.test")
    import django

    django.setup()


def _queries(run: Callable[[], Any]) -> tuple[int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = run()
    return len(captured.captured_queries), result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_lists(requests: int) -> list[tuple[str, str, int, int, float, float]]:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    rows = []
    for role, username in ROLES.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
        session.save()
        urls = ["/audit/", "/api/audit/events/"] if role == "compliance" else PAGES + APIS
        for url in urls:
            client.get(url)  # warm: template loading, first-use caches
            count, response = _queries(lambda url=url, client=client: client.get(url))
            samples = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(url)
                samples.append(time.perf_counter() - started)
            rows.append((role, url, response.status_code, count, statistics.median(samples), _p95(samples)))
            print(f"  {role:<10} {url:<42} {response.status_code}", file=sys.stderr, flush=True)
    return rows


def measure_note_path(paths: int, today: dt.date) -> dict[str, Any]:
    import claims.tasks
    from accounts.models import User
    from clinical_notes import services as notes
    from clinical_notes.domain.types import Segment
    from core.domain.service_types import ServiceType
    from patients.models import CareTeamMember, PatientDiagnosis
    from practice.access import practice_access_for
    from practice.models import Practice
    from practice.selectors import practice_zone
    from tests.factories.clinical_content import complete_content_for

    tech, supervisor = User.objects.get(username="tech"), User.objects.get(username="supervisor")
    practice = Practice.objects.get(memberships__user=tech)
    author = practice_access_for(user=tech, practice_id=practice.pk)
    cosigner = practice_access_for(user=supervisor, practice_id=practice.pk)
    zone = practice_zone(practice_id=practice.pk)
    caseload = list(
        CareTeamMember.objects.filter(provider__user=tech, patient__practice=practice)
        .values_list("patient_id", flat=True)
        .order_by("patient_id")[:paths]
    )
    original = claims.tasks.note_ready_to_bill_record
    capture_queries: list[int] = []
    capture_seconds: list[float] = []

    def counted_capture(**kwargs: Any) -> Any:
        started = time.perf_counter()
        count, result = _queries(lambda: original(**kwargs))
        capture_seconds.append(time.perf_counter() - started)
        capture_queries.append(count)
        return result

    claims.tasks.note_ready_to_bill_record = counted_capture  # count capture's share separately
    steps: dict[str, list[int]] = {"create": [], "draft": [], "sign": [], "cosign": []}
    seconds: list[float] = []
    service = ServiceType.BEHAVIORAL_HEALTH_COUNSELING
    for i in range(paths):
        patient_id = caseload[i % len(caseload)]
        day = today - dt.timedelta(days=3 + i)
        starts = dt.datetime.combine(day, dt.time(6, 0), tzinfo=zone) + dt.timedelta(minutes=7 * (i % 5))
        diagnosis_ids = list(
            PatientDiagnosis.objects.filter(patient_id=patient_id).values_list("pk", flat=True)[:2]
        )
        started = time.perf_counter()
        n, note = _queries(
            lambda p=patient_id, d=day: notes.note_create(
                access=author, patient_id=p, service_type=service, date_of_service=d
            )
        )
        steps["create"].append(n)
        n, note = _queries(
            lambda note=note, s=starts, dx=diagnosis_ids, i=i: notes.note_draft_update(
                access=author,
                note_id=note.pk,
                version=note.version,
                content=complete_content_for(service, seed=5000 + i, patient_present=True),
                segments=[Segment(starts_at=s, ends_at=s + dt.timedelta(minutes=60))],
                diagnosis_ids=dx,
            )
        )
        steps["draft"].append(n)
        n, note = _queries(lambda note=note: notes.note_sign(access=author, note_id=note.pk, attested=True))
        steps["sign"].append(n)
        n, note = _queries(
            lambda note=note: notes.note_cosign(access=cosigner, note_id=note.pk, attested=True)
        )
        steps["cosign"].append(n)
        seconds.append(time.perf_counter() - started)
    claims.tasks.note_ready_to_bill_record = original
    return {
        "steps": steps,
        "seconds": seconds,
        "capture": capture_queries,
        "capture_seconds": capture_seconds,
    }


def _print_path(result: dict[str, Any]) -> None:
    steps, seconds, capture = result["steps"], result["seconds"], result["capture"]
    total = [sum(v[i] for v in steps.values()) for i in range(len(seconds))]
    print(f"\nNote path create -> draft -> sign -> co-sign -> capture, {len(seconds)} notes")
    print(
        f"  per note: median {_ms(statistics.median(seconds)).strip()} ms, p95 {_ms(_p95(seconds)).strip()} ms"
    )
    for name, counts in steps.items():
        print(f"  {name:<7} queries: median {statistics.median(counts):.0f}, max {max(counts)}")
    notes_side = [t - c for t, c in zip(total, capture, strict=False)]
    capture_time = result["capture_seconds"] or [0.0]
    notes_time = [t - c for t, c in zip(seconds, capture_time, strict=False)]
    print(f"  of which capture: median {_ms(statistics.median(capture_time)).strip()} ms")
    print(f"  of which the notes side: median {_ms(statistics.median(notes_time)).strip()} ms")
    print(
        f"  capture queries (inside co-sign): median {statistics.median(capture or [0]):.0f}, max {max(capture or [0])}"
    )
    print(
        f"  notes side (create..co-sign without capture): median {statistics.median(notes_side or [0]):.0f}"
    )
    print(f"  total queries per note: median {statistics.median(total):.0f}, max {max(total)}")


def explain_visibility() -> None:
    """EXPLAIN ANALYZE of the notes visibility count (the count under every notes list)."""
    from django.db import connection

    from accounts.models import User
    from clinical_notes.selectors import note_scope
    from practice.access import practice_access_for

    print("\nNotes visibility count (EXPLAIN ANALYZE, SELECT COUNT(*) over note_scope)")
    for role, username in list(ROLES.items())[:3]:
        user = User.objects.get(username=username)
        membership = user.memberships.order_by("pk").first()
        access = practice_access_for(user=user, practice_id=membership.practice_id)
        sql, params = note_scope(access).order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({sql}) visible", params)  # noqa: S608 - the ORM's SQL
            plan = [row[0] for row in cursor.fetchall()]
        scans = [
            line.strip().split("  (")[0]
            for line in plan
            if " Scan " in line or line.strip().startswith("->  Seq")
        ]
        timing = next(line for line in plan if line.startswith("Execution Time"))
        print(f"  {role:<10} {timing}; {scans[0] if scans else plan[0]}")


def _print_lists(rows: list[tuple[str, str, int, int, float, float]]) -> None:
    print("\n| role | list | status | queries | p50 ms | p95 ms |\n|---|---|---|---:|---:|---:|")
    for role, url, status, count, p50, p95 in rows:
        print(f"| {role} | `{url}` | {status} | {count} | {_ms(p50).strip()} | {_ms(p95).strip()} |")
    worst = max(rows, key=lambda r: r[5])
    print(f"\nworst p95: {_ms(worst[5]).strip()} ms ({worst[0]} {worst[1]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="parity_bench")
    parser.add_argument("--patients", type=int, default=5_000)
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--awaiting", type=int, default=350)
    parser.add_argument("--authorizations", type=int, default=800)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--paths", type=int, default=20)
    args = parser.parse_args()
    began = time.perf_counter()
    _setup(args.database)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from scale_data import build_scale

    from demo.seed import seed_all
    from practice.models import Practice

    call_command("migrate", verbosity=0)
    now = timezone.now()
    seed_all(now=now)
    today = now.date()
    practice = Practice.objects.order_by("pk").first()
    assert practice is not None  # noqa: S101 - seed_all made it
    made = build_scale(
        practice=practice,
        patients=args.patients,
        notes=args.notes,
        awaiting=args.awaiting,
        authorizations=args.authorizations,
        today=today,
        seed=2026,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a live table; sets the visibility map
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    built = time.perf_counter() - began
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"database: {version} ({args.database}); built in {built:.0f} s: {made}")
    explain_visibility()
    _print_path(measure_note_path(args.paths, today))
    _print_lists(measure_lists(args.requests))
    print(f"\ntotal run time {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
