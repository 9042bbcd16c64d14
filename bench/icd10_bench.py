"""ICD-10-CM wrapper: load time, memory, billable look-ups and searches.

    .venv/bin/python bench/icd10_bench.py

Needs no database: the ICD-10-CM table comes from simple-icd-10-cm and the FY2025 billable
list from coding/data (both loaded lazily by coding.icd10). Prints one line per figure. Randomness is seeded so runs compare.
"""

from __future__ import annotations

import os
import platform
import random
import resource
import statistics
import sys
import time
from datetime import date
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coding import icd10  # noqa: E402

LOOKUPS = 1_000
SEARCHES = 100
QUERIES = [
    "depress",
    "major depressive recurrent",
    "F43",
    "f43.2",
    "anxiety",
    "generalized anxiety",
    "adhd",
    "autis",
    "ptsd",
    "alcohol dependence",
    "opioid use",
    "Z63",
    "bipolar",
    "schizo",
    "insomnia",
    "eating disorder",
    "F9",
    "grief",
    "adjustment disorder",
    "personality",
]


def rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    rng = random.Random(20261127)
    print(
        f"machine: {platform.machine()} {platform.system()} {os.cpu_count()} cpu, Python {platform.python_version()}"
    )
    print(f"simple-icd-10-cm {metadata.version('simple-icd-10-cm')}")
    print(f"RSS before load: {rss_mb():.0f} MB")

    start = time.perf_counter()
    catalog = icd10.icd10_catalog()
    load = time.perf_counter() - start
    print(f"load (import package + change rows): {load:.2f} s; table FY{catalog.source.fiscal_year}")
    print(f"RSS after load: {rss_mb():.0f} MB")

    start = time.perf_counter()
    fy2025 = icd10.icd10_fy_billable_codes(2025)
    list_load = time.perf_counter() - start
    list_file = Path(icd10.__file__).parent / "data" / icd10.BILLABLE_LIST_FILES[2025]
    print(
        f"FY2025 billable list load: {list_load * 1000:.0f} ms; {len(fy2025)} codes, "
        f"{list_file.stat().st_size / 1024:.0f} KB gz; RSS after list: {rss_mb():.0f} MB"
    )

    start = time.perf_counter()
    catalog.ensure_index()
    index = time.perf_counter() - start
    print(f"search index build: {index:.2f} s; RSS after index: {rss_mb():.0f} MB")

    all_codes = [e.code for e in catalog.indexed_entries()]
    sample = rng.sample(all_codes, LOOKUPS - 100) + [
        f"Q{rng.randint(0, 99)}.{rng.randint(0, 9)}X" for _ in range(100)
    ]
    rng.shuffle(sample)
    days = [date(2024, 9, 30), date(2025, 3, 1), date(2025, 10, 1), date(2026, 3, 1)]  # FY2024-FY2026
    start = time.perf_counter()
    billable = sum(icd10.icd10_is_billable(code, on=days[i % 4]) for i, code in enumerate(sample))
    lookups = time.perf_counter() - start
    print(
        f"{LOOKUPS} billable look-ups (dates of service in FY2024-26): {lookups * 1000:.1f} ms total, "
        f"{lookups / LOOKUPS * 1e6:.1f} us each ({billable} billable of {len(all_codes)} indexed codes sampled)"
    )

    timings = []
    found = 0
    for i in range(SEARCHES):
        query = QUERIES[i % len(QUERIES)]
        start = time.perf_counter()
        found += len(catalog.search(query, limit=20))
        timings.append(time.perf_counter() - start)
    timings.sort()
    print(
        f"{SEARCHES} searches (limit 20): {sum(timings) * 1000:.1f} ms total, median {statistics.median(timings) * 1000:.2f} ms, "
        f"p95 {timings[int(0.95 * len(timings)) - 1] * 1000:.2f} ms, max {timings[-1] * 1000:.2f} ms ({found} results)"
    )


if __name__ == "__main__":
    main()
