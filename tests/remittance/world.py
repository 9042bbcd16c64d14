"""A practice with one commercial payer, a patient and claims whose CLM01 / REF*6R are the ones
tests/edi/samples_835.py echoes; and a tiny 835 writer for the cases the samples lack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from claims.models import Claim, ClaimLine, ContractedRate
from ledger.models import LedgerEntry
from practice.models import Practice
from tests.edi.samples_835 import envelope, header
from tests.factories import CoverageFactory, PayerFactory
from tests.factories.claims import ClaimFactory, ClaimLineFactory

NOV1, NOV2, NOV3, NOV4 = (
    dt.date(2026, 11, 1),
    dt.date(2026, 11, 2),
    dt.date(2026, 11, 3),
    dt.date(2026, 11, 4),
)


@dataclass
class World:
    practice: Practice
    claims: dict[str, Claim] = field(default_factory=dict)
    lines: dict[str, ClaimLine] = field(default_factory=dict)

    def claim(self, pcn: str, *lines: tuple[str, str, tuple[str, ...], dt.date, int]) -> Claim:
        """lines: (control number, code, modifiers, date, charge cents)."""
        claim = ClaimFactory(
            coverage=self.coverage,
            patient_control_number=pcn,
            date_from=min(line[3] for line in lines),
            date_to=max(line[3] for line in lines),
            total_cents=sum(line[4] for line in lines),
            status="submitted",
        )
        for number, (control, code, modifiers, day, cents) in enumerate(lines, start=1):
            self.lines[control] = ClaimLineFactory(
                claim=claim,
                line_number=number,
                code=code,
                modifiers=list(modifiers),
                service_date=day,
                charge_cents=cents,
                line_control_number=control,
            )
        self.claims[pcn] = claim
        return claim

    def __post_init__(self) -> None:
        self.payer = PayerFactory(practice=self.practice, name="Synthetic Health Plan")
        self.coverage = CoverageFactory(patient__practice=self.practice, payer=self.payer)
        self.patient = self.coverage.patient

    def sample_claims(self) -> None:
        """The claims tests/edi/samples_835.py pays and denies."""
        self.claim("PCN100", ("L1", "90837", ("95",), NOV1, 20000), ("L2", "90785", (), NOV1, 10000))
        self.claim("PCN200", ("L3", "90837", (), NOV2, 15000))
        self.claim("PCN300", ("L4", "90791", (), NOV3, 12000))
        self.claim("PCN400", ("L9", "90837", (), NOV4, 20000))

    def contract(self, code: str, cents: int) -> None:
        ContractedRate.objects.create(
            practice=self.practice,
            payer=self.payer,
            code=code,
            amount_cents=cents,
            effective_from=dt.date(2026, 1, 1),
        )


def sums(**filters: object) -> dict[str, int]:
    """Ledger totals per account for the filter."""
    totals: dict[str, int] = {}
    for entry in LedgerEntry.objects.filter(**filters):
        totals[entry.account] = totals.get(entry.account, 0) + entry.amount_cents
    return totals


def era(amount: str, trace: str, *segments: str) -> bytes:
    return envelope([*header(amount, trace), "LX*1", *segments]).encode()


# PCN900 (World.claim("PCN900", ...)) paid $50 with CO-45 and PR-1, and its reversal (R2, R11).
PAID_900 = ("CLP*PCN900*1*150.00*50.00*25.00*12*C1*11*1", "CAS*CO*45*75.00", "CAS*PR*1*25.00")
REVERSED_900 = ("CLP*PCN900*22*-150.00*-50.00*-25.00*12*C1*11*1", "CAS*CO*45*-75.00", "CAS*PR*1*-25.00")
