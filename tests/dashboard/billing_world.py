"""A practice's claims in bulk for the billing-dashboard tests (synthetic): two payers, claims in
every state the queues look at, ledger rows as posting writes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from claims.models import Claim, ClaimLine
from ledger.models import Account, EntryKind, LedgerEntry
from tests.factories import CoverageFactory, PatientFactory, PayerFactory, ProviderFactory

STATES = ["submitted", "accepted_payer", "rejected", "paid", "denied"]


@dataclass
class World:
    practice: object
    claims: list[Claim]


def claims_bulk(practice: object, n: int, *, today: dt.date) -> list[Claim]:
    """`n` claims over two payers and several patients, spread over 0-200 days of age; every
    "paid" one posted (charge, payment, CO-45, PR-2 $20). One statement per row count."""
    provider = ProviderFactory(practice=practice)
    coverages = [
        CoverageFactory(patient=PatientFactory(practice=practice), payer=PayerFactory(practice=practice))
        for _ in range(2)
    ]
    coverages += [
        CoverageFactory(patient=PatientFactory(practice=practice), payer=coverages[0].payer) for _ in range(2)
    ]
    now = timezone.now()
    start = Claim.objects.count()
    claims = []
    for i in range(n):
        coverage = coverages[i % len(coverages)]
        age = (i * 7) % 200
        dos = today - dt.timedelta(days=age)
        status = STATES[i % len(STATES)]
        claims.append(
            Claim(
                practice_id=coverage.patient.practice_id,
                patient_id=coverage.patient_id,
                payer_id=coverage.payer_id,
                coverage=coverage,
                rendering_provider=provider,
                patient_control_number=f"B{start + i:09d}",
                status=status,
                status_changed_at=now - dt.timedelta(days=age // 2),
                submitted_at=now - dt.timedelta(days=max(age - 3, 0)),
                place_of_service="11",
                date_from=dos,
                date_to=dos,
                total_cents=10000 + i,
                diagnoses=["F41.1"],
            )
        )
    claims = Claim.objects.bulk_create(claims)
    lines = ClaimLine.objects.bulk_create(
        [
            ClaimLine(
                claim=claim,
                line_number=1,
                code="90837",
                units=1,
                charge_cents=claim.total_cents,
                place_of_service="11",
                diagnosis_pointers=[1],
                service_date=claim.date_from,
                line_control_number=f"BL{claim.pk:012d}",
            )
            for claim in claims
        ]
    )
    entries = []
    for claim, line in zip(claims, lines, strict=True):
        if claim.status not in ("paid", "denied"):
            continue
        common = {
            "practice_id": claim.practice_id,
            "patient_id": claim.patient_id,
            "claim_id": claim.pk,
            "claim_line_id": line.pk,
            "occurred_on": min(claim.date_from + dt.timedelta(days=20), today),
        }
        entries.append(
            LedgerEntry(
                account=Account.INSURANCE, kind=EntryKind.CHARGE, amount_cents=line.charge_cents, **common
            )
        )
        if claim.status == "paid":
            entries += [
                LedgerEntry(
                    account=Account.INSURANCE, kind=EntryKind.INSURANCE_PAYMENT, amount_cents=-6000, **common
                ),
                LedgerEntry(
                    account=Account.INSURANCE,
                    kind=EntryKind.CONTRACTUAL_ADJUSTMENT,
                    amount_cents=-(line.charge_cents - 8000),
                    **common,
                ),
                LedgerEntry(
                    account=Account.INSURANCE,
                    kind=EntryKind.PATIENT_RESPONSIBILITY,
                    amount_cents=-2000,
                    **common,
                ),
                LedgerEntry(
                    account=Account.PATIENT,
                    kind=EntryKind.PATIENT_RESPONSIBILITY,
                    amount_cents=2000,
                    **common,
                ),
            ]
        else:
            entries += [
                LedgerEntry(
                    account=Account.INSURANCE,
                    kind=EntryKind.DENIAL_PENDING,
                    amount_cents=-line.charge_cents,
                    **common,
                ),
                LedgerEntry(
                    account=Account.DENIED,
                    kind=EntryKind.DENIAL_PENDING,
                    amount_cents=line.charge_cents,
                    **common,
                ),
            ]
    LedgerEntry.objects.bulk_create(entries)
    return claims
