"""Parse + balance + plan an 835 of 10,000 claims (about three lines each, with adjustments),
all in memory, no database; and, beside it, pyx12 merely reading the same file.

    .venv/bin/python bench/edi_835.py                 # --claims 10000 --lines 3
    .venv/bin/python bench/edi_835.py --no-pyx12

Prints the file size, seconds for parse_835, for the three-level balancing, for the posting
plan (matching every line by REF*6R, or by code/modifier/date/charge for every fifth claim that
carries no REF*6R), their total and claims per second, the peak Python memory of the whole
pipeline (tracemalloc, in a second run so the timing is not slowed by it), and the seconds
pyx12's X12Reader takes to iterate the segments of the same text (no map validation).
"""

from __future__ import annotations

import argparse
import io
import platform
import random
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from edi.x835 import imbalances, parse_835  # noqa: E402
from remittance.domain.posting import BilledClaim, BilledLine, plan_posting  # noqa: E402

CODES = [("90837", 20000, 15000), ("90834", 15000, 11000), ("90785", 3000, 2200), ("90791", 25000, 18000)]


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}" if cents >= 0 else "-" + _money(-cents)


def build(claims: int, lines: int, seed: int = 835) -> tuple[str, list[BilledClaim]]:
    rng = random.Random(seed)
    body: list[str] = []
    billed: list[BilledClaim] = []
    total_paid = 0
    start = date(2026, 10, 1)
    for n in range(claims):
        day = start + timedelta(days=n % 60)
        stamp = day.strftime("%Y%m%d")
        segments: list[str] = []
        billed_lines: list[BilledLine] = []
        charge_total = paid_total = patient_total = 0
        with_ref = n % 5 != 0
        for k in range(lines):
            code, charge, allowed = CODES[(n + k) % len(CODES)]
            modifiers = ("95",) if k == 0 and n % 3 == 0 else ()
            patient = rng.choice([0, 2000, 3000])
            paid = allowed - patient
            control = f"{n}-{k}"
            procedure = "HC:" + ":".join((code, *modifiers))
            segments += [f"SVC*{procedure}*{_money(charge)}*{_money(paid)}**1", f"DTM*472*{stamp}"]
            segments.append(f"CAS*CO*45*{_money(charge - allowed)}")
            if patient:
                segments.append(f"CAS*PR*{rng.choice(['1', '2', '3'])}*{_money(patient)}")
            if with_ref:
                segments.append(f"REF*6R*{control}")
            segments.append(f"AMT*B6*{_money(allowed)}")
            billed_lines.append(BilledLine(control, control, code, modifiers, day, charge, allowed))
            charge_total += charge
            paid_total += paid
            patient_total += patient
        body.append(
            f"CLP*PCN{n}*1*{_money(charge_total)}*{_money(paid_total)}*{_money(patient_total)}*12*CCN{n}*11*1"
        )
        body.append(f"NM1*QC*1*PATIENT*SYNTH{n}****MI*M{n:08d}")
        body.append(f"DTM*232*{stamp}")
        body += segments
        billed.append(BilledClaim(f"C{n}", f"PCN{n}", tuple(billed_lines)))
        total_paid += paid_total
    body.append("PLB*1234567893*20261231*L6*-12.34*WO:PCN1*50.00")
    total_paid += 1234 - 5000
    head = [
        f"BPR*I*{_money(total_paid)}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261201",
        "TRN*1*BENCH835*1512345678",
        "DTM*405*20261130",
        "N1*PR*SYNTHETIC HEALTH PLAN",
        "REF*2U*SYNPAYER1",
        "N1*PE*CALM MINDS THERAPY*XX*1234567893",
        "LX*1",
    ]
    segments = [*head, *body]
    text = "\n".join(
        [
            "ISA*00*          *00*          *ZZ*PAYERSENDER    *ZZ*PARITYRCV      *261201*1200*^*00501*000000101*0*P*:~",
            "GS*HP*PAYERSENDER*PARITYRCV*20261201*1200*7*X*005010X221A1~",
            "ST*835*0001*005010X221A1~",
            *(s + "~" for s in segments),
            f"SE*{len(segments) + 2}*0001~",
            "GE*1*7~",
            "IEA*1*000000101~",
        ]
    )
    return text, billed


def pipeline(text: str, billed: list[BilledClaim]) -> tuple[float, float, float, int, int, int]:
    t0 = time.perf_counter()
    remittance = parse_835(text)
    t1 = time.perf_counter()
    off = [i for tx in remittance.transactions for i in imbalances(tx)]
    t2 = time.perf_counter()
    plans = [plan_posting(tx, billed) for tx in remittance.transactions]
    t3 = time.perf_counter()
    entries = sum(len(p.entries) for p in plans)
    exceptions = sum(len(p.exceptions) for p in plans)
    return t1 - t0, t2 - t1, t3 - t2, len(off), entries, exceptions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=3)
    parser.add_argument("--no-pyx12", action="store_true")
    args = parser.parse_args()
    text, billed = build(args.claims, args.lines)
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(
        f"file: {args.claims:,} claims x {args.lines} lines, {text.count('~'):,} segments, {len(text) / 1e6:.1f} MB"
    )
    parse_s, balance_s, plan_s, off, entries, exceptions = pipeline(text, billed)
    total = parse_s + balance_s + plan_s
    print(f"parse_835: {parse_s:.2f} s")
    print(f"balancing (transaction, claims, lines): {balance_s:.2f} s, {off} imbalances")
    print(f"posting plan: {plan_s:.2f} s, {entries:,} ledger entries, {exceptions} exceptions")
    print(f"total: {total:.2f} s, {args.claims / total:,.0f} claims/s")
    tracemalloc.start()
    pipeline(text, billed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python memory of the pipeline (tracemalloc): {peak / 2**20:.0f} MiB")
    if not args.no_pyx12:
        from pyx12.x12file import X12Reader

        t0 = time.perf_counter()
        count = sum(1 for _ in X12Reader(io.StringIO(text)))
        print(f"pyx12 X12Reader, reading only: {time.perf_counter() - t0:.2f} s ({count:,} segments)")


if __name__ == "__main__":
    main()
