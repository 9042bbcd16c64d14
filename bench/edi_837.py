"""Build 10,000 synthetic claims into one 837P file in memory with `edi.x837p`, then let pyx12
validate that same file once. Pure Python, no database:

    .venv/bin/python bench/edi_837.py [CLAIMS]

Prints the build time, claims per second, the peak traced memory of a second, traced build, the
pyx12 time and the ratio pyx12 / build. The claims cycle through the test scenarios (original,
supervised, dependent patient, secondary with COB, replacement, void, telehealth, several lines).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from edi.x837p import build_837p  # noqa: E402
from tests.edi.pyx12_oracle import pyx12_validate  # noqa: E402
from tests.edi.samples837 import (  # noqa: E402
    FACILITY,
    LEO,
    SUPERVISOR,
    batch,
    claim,
    envelope,
    line,
    secondary_claim,
)

TEMPLATES = (
    claim(prior_authorization="AUTH77", service_facility=FACILITY),
    claim(supervising=SUPERVISOR, lines=(line(modifiers=("HN",)),)),
    claim(patient=LEO),
    secondary_claim(),
    claim(frequency="7", payer_claim_control_number="PAYER123"),
    claim(frequency="8", payer_claim_control_number="PAYER123"),
    claim(place_of_service="10", lines=(line(modifiers=("95",)),)),
    claim(
        diagnoses=("F33.1", "F41.1", "F43.10"),
        lines=(
            line(),
            line(procedure="90785", charge=Decimal("25.00"), control_number="L2", diagnosis_pointers=(2, 3)),
        ),
    ),
)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    claims = tuple(replace(TEMPLATES[i % len(TEMPLATES)], claim_id=f"P{i:08d}") for i in range(count))
    started = time.perf_counter()
    text = build_837p(batch(*claims), envelope())
    build = time.perf_counter() - started
    tracemalloc.start()  # a second build, traced (tracemalloc slows it down, so it is not timed)
    build_837p(batch(*claims), envelope())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out = sys.stdout
    out.write(f"claims: {count}, file: {len(text) / 1e6:.1f} MB, {text.count('~')} segments\n")
    out.write(
        f"build: {build:.2f} s, {count / build:,.0f} claims/s, peak traced memory {peak / 2**20:.0f} MiB\n"
    )
    started = time.perf_counter()
    ok, _ack = pyx12_validate(text)
    validate = time.perf_counter() - started
    out.write(f"pyx12: {validate:.2f} s (valid: {ok}); ratio pyx12/build: {validate / build:.1f}x\n")


if __name__ == "__main__":
    main()
