"""Post an 835 of 10,000 claims (about three lines each, with adjustments) into PostgreSQL through
the real `era_post`, and beside it the time pyx12's reader takes merely to read the same file.

    createdb -h 127.0.0.1 -U postgres parity_bench_era
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/parity_bench_era
    .venv/bin/python bench/era_post.py               # --claims 10000 --lines 3
    .venv/bin/python bench/era_post.py --no-pyx12

It migrates the database, creates a practice, a payer, one patient's coverage and the 10,000
claims the file pays (bulk inserts, not timed), then times `era_post` (parse, balance, match by
REF*6R or by code/modifier/date/charge for every fifth claim, ledger, exceptions, one durable
hand-off), counts its SQL queries, and measures memory three ways: the process's peak (ru_maxrss:
the whole Python process, setup, file and Django included), the peak resident size while posting
(Linux: the high-water mark is reset just before `era_post`, so it is Django, the file and the
posting, without the setup's peak), and the Python allocations of a second posting of the file
under another trace number (tracemalloc; every claim is then held as already paid, the exceptions
path). Before the timing it runs ANALYZE on the claims tables (what autovacuum does after the
bulk seed) and imports the task modules the hand-off needs (a worker has them loaded; the first
posting in a fresh web process pays this once, printed as "warm-up").
The durable hand-offs the posting queues (the claims' adjudications, denials) are left in the
outbox for a worker, as in production; `--adjudications` times the first one afterwards.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import os
import platform
import pstats
import resource
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "billing.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=3)
    parser.add_argument("--no-pyx12", action="store_true")
    parser.add_argument(
        "--adjudications", action="store_true", help="also time the worker's adjudication job"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the posting (top 25 functions)")
    parser.add_argument("--profile-out", default="", help="also save the cProfile stats to this file")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (see the docstring).")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.utils import timezone
    from edi_835 import build  # bench/edi_835.py: the same generated file as the parser bench

    import core.jobs
    from claims.models import Claim, ClaimLine
    from ledger.models import LedgerEntry
    from remittance.models import PostingException
    from remittance.services.posting import era_post
    from tests.factories import CoverageFactory, PracticeFactory, ProviderFactory

    # The durable hand-offs (claims' adjudications, denials) stay in the outbox for a worker, as
    # in production: without REDIS_URL they would otherwise run in-process inside the timing.
    core.jobs.job_send = lambda *args, **kwargs: True  # type: ignore[assignment]
    call_command("migrate", verbosity=0)
    tag = uuid.uuid4().hex[:6].upper()
    text, billed = build(args.claims, args.lines)
    text = text.replace("REF*6R*", f"REF*6R*{tag}")
    coverage = CoverageFactory(  # factory sequences restart per run: a fresh NPI each time
        patient__practice=PracticeFactory(
            billing_npi=f"9{uuid.uuid4().int % 10**9:09d}", legal_name=f"Bench {tag}"
        )
    )
    practice = coverage.patient.practice
    provider = ProviderFactory(practice=practice)
    now = timezone.now()
    t0 = time.perf_counter()
    claims = Claim.objects.bulk_create(
        [
            Claim(
                practice=practice,
                patient=coverage.patient,
                payer=coverage.payer,
                coverage=coverage,
                rendering_provider=provider,
                patient_control_number=b.patient_control_number,
                status="submitted",
                status_changed_at=now,
                place_of_service="11",
                date_from=b.lines[0].service_date or dt.date(2026, 10, 1),
                date_to=b.lines[0].service_date or dt.date(2026, 10, 1),
                total_cents=sum(line.charge_cents for line in b.lines),
            )
            for b in billed
        ],
        batch_size=2000,
    )
    ClaimLine.objects.bulk_create(
        [
            ClaimLine(
                claim=claim,
                line_number=k + 1,
                code=line.code,
                modifiers=list(line.modifiers),
                units=1,
                charge_cents=line.charge_cents,
                place_of_service="11",
                service_date=line.service_date or dt.date(2026, 10, 1),
                line_control_number=f"{tag}{line.control_number}",
            )
            for claim, b in zip(claims, billed, strict=True)
            for k, line in enumerate(b.lines)
        ],
        batch_size=5000,
    )
    setup_s = time.perf_counter() - t0
    del claims, billed  # the setup's objects are not the posting's
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim, claims_claimline")
    t0 = time.perf_counter()
    core.jobs.registered_task("remittance.tasks.era_adjudications_record")
    warm_up_s = time.perf_counter() - t0
    gc.collect()
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(
        f"file: {args.claims:,} claims x {args.lines} lines, {text.count('~'):,} segments, "
        f"{len(text) / 1e6:.1f} MB; setup (bulk insert of the claims, not timed): {setup_s:.1f} s; "
        f"warm-up (task modules imported, not timed): {warm_up_s:.1f} s"
    )
    raw = text.encode()
    connection.force_debug_cursor = True
    reset_queries()
    profile = cProfile.Profile() if args.profile else None
    setup_peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hwm_reset = _reset_peak_rss()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    pg0 = _cpu_of(backend)
    load_before = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    outcome = era_post(practice_id=practice.pk, raw=raw, name="bench.835")
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    pg1 = _cpu_of(backend)
    if profile is not None:
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        if args.profile_out:
            profile.dump_stats(args.profile_out)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    reset_queries()
    summary = outcome.summaries[0]
    entries = LedgerEntry.objects.filter(era_id=outcome.era_ids[0]).count()
    exceptions = PostingException.objects.filter(era_id=outcome.era_ids[0]).count()
    print(
        f"era_post: {seconds:.2f} s, {args.claims / seconds:,.0f} claims/s, {queries} SQL queries "
        f"(one COPY per table), status {summary['status']}, matched {summary['matched']:,}, "
        f"{entries:,} ledger rows, {exceptions} exceptions"
    )
    print(
        f"of which CPU in this Python process: {cpu:.2f} s (the rest is PostgreSQL and waiting; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores)"
    )
    pg_cpu = f"{pg1 - pg0:.2f} s" if pg0 is not None and pg1 is not None else "n/a (not readable)"
    print(
        f"CPU of the PostgreSQL backend serving the posting: {pg_cpu} (COPY, indexes, constraint "
        f"checks at COMMIT; WAL flushing by other server processes not included)"
    )
    if hwm_reset:
        posting_peak = _peak_rss_mib()
        print(
            f"peak memory of the process (ru_maxrss): {max(setup_peak_mib, posting_peak):.0f} MiB "
            f"(setup {setup_peak_mib:.0f} MiB); peak resident while posting: {posting_peak:.0f} MiB"
        )
    else:
        print(
            f"peak memory of the process (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
    # a second posting (another trace number: a new payment) to measure Python allocations alone
    tracemalloc.start()
    era_post(practice_id=practice.pk, raw=raw.replace(b"TRN*1*BENCH835", b"TRN*1*BENCH836"), name="again.835")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"peak Python allocations of a second posting, all held as already paid (tracemalloc): {peak / 2**20:.0f} MiB"
    )
    if not args.no_pyx12:
        import pyx12.error_handler
        import pyx12.params
        import pyx12.x12context
        from pyx12.x12file import X12Reader

        t0 = time.perf_counter()
        count = sum(1 for _ in X12Reader(io.StringIO(text)))
        print(
            f"pyx12 X12Reader, splitting segments only: {time.perf_counter() - t0:.2f} s ({count:,} segments)"
        )
        # pyx12 reading the file as an 835 (its segments placed in the 005010X221A1 loops, as a
        # parser must): the figure the "about 11 s" names
        t0 = time.perf_counter()
        reader = pyx12.x12context.X12ContextReader(
            pyx12.params.params(), pyx12.error_handler.errh_null(), io.StringIO(text)
        )
        count = sum(1 for _ in reader.iter_segments())
        print(
            f"pyx12 X12ContextReader, reading it as an 835: {time.perf_counter() - t0:.2f} s ({count:,} segments)"
        )


def _reset_peak_rss() -> bool:
    """Reset this process's resident high-water mark (Linux 4.0+), so VmHWM covers what follows."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def _cpu_of(pid: int) -> float | None:
    """User + system CPU seconds of a local process (the PostgreSQL backend), if readable."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mib() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    main()
