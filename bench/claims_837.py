"""Build and scrub claims from PostgreSQL into one 837P file, then let pyx12 validate that file.

    createdb -h 127.0.0.1 -U postgres parity_bench_claims
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/parity_bench_claims
    .venv/bin/python bench/claims_837.py                 # --sizes 1000,10000

For each size N it creates (bulk inserts, not measured) a practice ready for 837s, a payer with
per-session billing, three enrolled providers, N patients with coverage (one in eight a child
on a parent's policy) and N reviewed charge sets (one or two lines; one in four a supervised
technician; one in six telehealth), then measures:

* assemble: `claims_assemble` (plan, insert claims and lines, scrub each claim: duplicate
  check, claim-level edits, enrolment, the 837 builder's own check) — N claims, all `ready`;
* file: `claims_837_file` (read the claims from PostgreSQL, map, build the 837P);

and prints for each: seconds, claims per second, SQL queries, and CPU seconds of this process
and of its PostgreSQL backend (from /proc: on a shared machine wall clock says little); the
peak traced memory (tracemalloc) of a second, traced file build; then pyx12's time and CPU to
validate the same file (in-process) and the ratios pyx12 / (assemble + file) and pyx12 / file,
by wall clock and by CPU. The query counts do not depend on N.
The seed ends with `ANALYZE` (what autovacuum does to a live table): without it the planner sees
empty tables and the assembly's charge-set query turns quadratic (see bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "billing.settings.test")


def _seed(size: int, run: int) -> int:  # noqa: PLR0914 - a flat setup script
    from django.utils import timezone

    from claims.models import Charge, ChargeSet
    from clinical_notes.models import SessionNote
    from core.domain.identifiers import npi_with_check_digit
    from patients.models import Coverage, Patient
    from payers.models import PayerEnrollment
    from tests.claims.claims837.world import make_payer
    from tests.factories import PracticeFactory, ProviderFactory

    npi = npi_with_check_digit  # the database is kept between runs: numbers unique per run
    practice = PracticeFactory(
        postal_code="04101-1234",
        taxonomy_code="261QM0801X",
        phone="207-555-0100",
        billing_npi=npi(f"13{run:07d}"),
    )
    payer = make_payer(practice, frequency="per_session", payer_id=f"BENCH{run:04d}", timely_filing_days=365)
    clinician = ProviderFactory(practice=practice, taxonomy_code="101YP2500X", npi=npi(f"14{run:07d}"))
    supervisor = ProviderFactory(
        practice=practice, credential="LCSW", taxonomy_code="1041C0700X", npi=npi(f"15{run:07d}")
    )
    tech = ProviderFactory(
        practice=practice, credential="BHT", taxonomy_code="106S00000X", npi=npi(f"16{run:07d}")
    )
    PayerEnrollment.objects.bulk_create(
        PayerEnrollment(provider=p, payer=payer, status="enrolled", effective_on=dt.date(2025, 1, 1))
        for p in (clinician, supervisor, tech)
    )
    patients = Patient.objects.bulk_create(
        (
            Patient(
                practice=practice, account_number=f"B{run}-{n:06d}", first_name="Pat", last_name=f"Bench{n}",
                date_of_birth=dt.date(1970, 1, 1) + dt.timedelta(days=n % 15000), sex="FM"[n % 2],
                address_line1=f"{n % 900 + 1} Main St", city="Portland", state="ME", postal_code="04101",
            )
            for n in range(size)
        ),
        batch_size=2000,
    )  # fmt: skip
    coverages = Coverage.objects.bulk_create(
        (
            Coverage(
                patient=p, payer=payer, member_id=f"M{run}X{n:08d}", group_number="GRP1",
                effective_on=dt.date(2025, 1, 1),
                **(
                    {"subscriber_relationship": "19", "subscriber_first_name": "Alex",
                     "subscriber_last_name": f"Bench{n}", "subscriber_date_of_birth": dt.date(1975, 5, 5),
                     "subscriber_sex": "F"}
                    if n % 8 == 0 else {}
                ),
            )
            for n, p in enumerate(patients)
        ),
        batch_size=2000,
    )  # fmt: skip
    start = dt.date(2026, 1, 5)
    notes = SessionNote.objects.bulk_create(
        (
            SessionNote(
                practice=practice, patient=p, author=tech if n % 4 == 0 else clinician,
                service_type="individual_psychotherapy", date_of_service=start + dt.timedelta(days=n % 60),
                place_of_service="10" if n % 6 == 0 else "11", status="draft",
            )
            for n, p in enumerate(patients)
        ),
        batch_size=2000,
    )  # fmt: skip
    now = timezone.now()
    sets = ChargeSet.objects.bulk_create(
        (
            ChargeSet(
                practice=practice, note=note, patient_id=note.patient_id, date_of_service=note.date_of_service,
                payer=payer, coverage=coverages[n], rendering_provider=note.author,
                supervising_provider=supervisor if n % 4 == 0 else None,
                supervisor_billing="with_supervisor" if n % 4 == 0 else "", status="reviewed",
                claim_diagnoses=["F33.1", "F41.1"] if n % 3 == 0 else ["F43.10"],
                captured_at=now, scrubbed_at=now, reviewed_at=now,
            )
            for n, note in enumerate(notes)
        ),
        batch_size=2000,
    )  # fmt: skip
    lines = []
    for n, charge_set in enumerate(sets):
        telehealth = n % 6 == 0
        if n % 4 == 0:
            rows = [("H2019", 4, 8000, ["HN"])]
        elif n % 3 == 0:
            rows = [("90837", 1, 15000, ["95"] if telehealth else []), ("90785", 1, 2500, [])]
        else:
            rows = [("90834", 1, 11000, ["95"] if telehealth else [])]
        for number, (code, units, cents, modifiers) in enumerate(rows, start=1):
            lines.append(
                Charge(
                    charge_set=charge_set, line_number=number, code=code, units=units, modifiers=modifiers,
                    place_of_service="10" if telehealth else "11", diagnosis_pointers=[1],
                    unit_fee_cents=cents // units, fee_cents=cents,
                )
            )  # fmt: skip
    Charge.objects.bulk_create(lines, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum does to a live table after a bulk load:
        cursor.execute("ANALYZE")  # without it the planner sees empty tables (see bench/README.md)
    return int(practice.pk)


def _cpu() -> tuple[float, float]:
    """CPU seconds so far of this process and of its PostgreSQL backend (on this machine; read
    from /proc, 0 where it cannot be read): on a shared machine wall clock says little."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        database = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except OSError:
        database = 0.0
    return time.process_time(), database


def _spent(since: tuple[float, float]) -> tuple[float, float]:
    now = _cpu()
    return now[0] - since[0], now[1] - since[1]


def _measure(size: int, run: int, out: object) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.services.assembly import claims_assemble
    from claims.services.batch_file import claims_837_file
    from tests.edi.pyx12_oracle import pyx12_validate

    write = out.write  # type: ignore[attr-defined]
    practice_id = _seed(size, run)
    cpu = _cpu()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = claims_assemble(practice_id, actor=None)
        assemble = time.perf_counter() - started
    assemble_cpu = _spent(cpu)
    assemble_queries = len(queries.captured_queries)
    if result.ready != size:
        sys.exit(f"expected {size} ready claims, got {result.ready} ready and {result.draft} draft")
    ids = list(result.claim_ids)
    cpu = _cpu()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        built = claims_837_file(ids, practice_id=practice_id)
        build = time.perf_counter() - started
    build_cpu = _spent(cpu)
    file_queries = len(queries.captured_queries)
    tracemalloc.start()  # a second build, traced (tracemalloc slows it down, so it is not timed)
    claims_837_file(ids, practice_id=practice_id)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total = assemble + build
    total_cpu = (assemble_cpu[0] + build_cpu[0], assemble_cpu[1] + build_cpu[1])
    cpu_text = {
        name: f"CPU {sum(pair):.2f} s (Python {pair[0]:.2f} + PostgreSQL {pair[1]:.2f})"
        for name, pair in (("assemble", assemble_cpu), ("build", build_cpu), ("total", total_cpu))
    }
    write(f"\n{size:,} claims ({built.text.count('~'):,} segments, {len(built.text) / 1e6:.1f} MB)\n")
    write(f"  assemble+scrub: {assemble:6.2f} s  {size / assemble:8,.0f} claims/s  {assemble_queries} queries; "
          f"{cpu_text['assemble']}\n")  # fmt: skip
    write(f"  837 file:       {build:6.2f} s  {size / build:8,.0f} claims/s  {file_queries} queries, "
          f"peak traced memory {peak / 2**20:.0f} MiB; {cpu_text['build']}\n")  # fmt: skip
    write(f"  total:          {total:6.2f} s  {size / total:8,.0f} claims/s; {cpu_text['total']}\n")
    started, before = time.perf_counter(), time.process_time()
    ok, _ack = pyx12_validate(built.text)
    validate, validate_cpu = time.perf_counter() - started, time.process_time() - before
    write(f"  pyx12:          {validate:6.2f} s (valid: {ok}); CPU {validate_cpu:.2f} s\n"
          f"  ratio pyx12/total {validate / total:.1f}x, pyx12/file {validate / build:.1f}x (wall clock); "
          f"CPU {validate_cpu / sum(total_cpu):.1f}x, {validate_cpu / sum(build_cpu):.1f}x\n")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated claim counts")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database (see the docstring).")
    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    sys.stdout.write(
        f"{platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()}), PostgreSQL {version}; "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    for run, size in enumerate(int(s) for s in args.sizes.split(",")):
        _measure(size, int(time.time()) % 100000 * 10 + run, sys.stdout)


if __name__ == "__main__":
    main()
