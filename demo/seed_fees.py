"""The demo practice's fee schedule (its charge master), through the claims service. Upserts, so
running it twice changes nothing. Amounts are synthetic."""

from __future__ import annotations

import datetime as dt

from accounts.access import PracticeAccess
from claims.services import contracted_rate_set, fee_schedule_entry_set
from payers.models import Payer

# code -> default fee in cents (per unit for timed codes)
DEFAULT_FEES = {
    "90791": 25000,
    "90792": 30000,
    "90832": 11000,
    "90833": 9000,
    "90834": 15000,
    "90836": 12000,
    "90837": 20000,
    "90838": 16000,
    "90839": 26000,
    "90840": 12000,
    "90846": 15000,
    "90847": 16000,
    "90853": 6000,
    "90785": 3000,
    "97151": 4000,
    "97153": 1800,
    "97155": 3000,
    "97156": 3000,
    "H0004": 3000,
    "H2014": 2000,
    "H2019": 2500,
    "H0031": 10000,
    "H0032": 8000,
    "T1017": 2000,
}
# The Medicaid plan pays less for a few codes.
MEDICAID_FEES = {"H0004": 2400, "H2019": 2100, "97155": 2600, "90837": 14000}


# Contracted (allowed) amounts: what each plan's contract pays, for the estimates of what patients owe.
ALLOWED_FEES = {
    "commercial": {
        "90791": 18000,
        "90832": 7000,
        "90834": 9500,
        "90837": 13000,
        "90846": 10000,
        "90847": 11000,
    },
    "medicaid": {"90791": 14000, "90834": 7500, "90837": 10000, "H0004": 2400, "H2019": 2100},
}


def seed_fees(*, access: PracticeAccess, payers: dict[str, Payer], since: dt.date) -> int:
    for code, cents in DEFAULT_FEES.items():
        fee_schedule_entry_set(access=access, code=code, amount_cents=cents, effective_from=since)
    for code, cents in MEDICAID_FEES.items():
        fee_schedule_entry_set(
            access=access, code=code, amount_cents=cents, effective_from=since, payer_id=payers["medicaid"].pk
        )
    allowed = 0
    for kind, fees in ALLOWED_FEES.items():
        if kind not in payers:
            continue
        for code, cents in fees.items():
            contracted_rate_set(
                access=access, payer_id=payers[kind].pk, code=code, amount_cents=cents, effective_from=since
            )
            allowed += 1
    return len(DEFAULT_FEES) + len(MEDICAID_FEES) + allowed
