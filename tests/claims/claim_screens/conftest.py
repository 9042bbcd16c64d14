"""Claims for the claim screens' tests: the notes' clinic (time frozen 2026-03-10 16:00 UTC), a
commercial payer and the patient's coverage, and `make_claim(...)` writing a claim with lines
(rows as the assembly writes them; the screens only read them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimAcknowledgement, ClaimEvent
from tests.clinical_notes.conftest import Clinic, clinic, eager_tasks, frozen_now  # noqa: F401
from tests.factories import CoverageFactory, PayerFactory
from tests.factories.claims import ClaimFactory, ClaimLineFactory

DOS = dt.date(2026, 3, 2)


@dataclass
class ClaimWorld:
    clinic: Clinic
    payer: Any
    other_payer: Any
    coverage: Any

    def make_claim(
        self, *, status: str = "ready", lines: int = 1, dos: dt.date = DOS, cents: int = 15000, **fields: Any
    ) -> Claim:
        claim = ClaimFactory(
            coverage=fields.pop("coverage", self.coverage),
            rendering_provider=fields.pop("rendering_provider", self.clinic.clinician),
            status=status,
            date_from=dos,
            date_to=dos,
            total_cents=cents * lines,
            timely_filing_deadline=dos + dt.timedelta(days=90),
            diagnoses=["F41.1"],
            **fields,
        )
        for number in range(1, lines + 1):
            ClaimLineFactory(claim=claim, line_number=number, charge_cents=cents, service_date=dos)
        ClaimEvent.objects.create(
            claim=claim, kind="transition", from_status="draft", to_status=status, actor_label="Parity",
            occurred_at=timezone.now(), reason="Scrubbed clean.",
        )  # fmt: skip
        return claim

    def reject(
        self, claim: Claim, message: str = "The member ID is not on file: check the insurance card."
    ) -> None:
        ClaimAcknowledgement.objects.create(
            claim=claim, source="payer_277ca", accepted=False, category_code="A7", status_code="33",
            message=message, occurred_at=timezone.now(),
        )  # fmt: skip


@pytest.fixture
def world(clinic: Clinic) -> ClaimWorld:  # noqa: F811
    practice = clinic.practice
    practice.postal_code = "627011234"  # the billing provider's ZIP+4 (837P 2010AA)
    practice.save(update_fields=["postal_code"])
    payer = PayerFactory(practice=practice, name="Acme Commercial", payer_id="ACM01")
    other_payer = PayerFactory(
        practice=practice, name="State Medicaid MCO", payer_id="MCD01", claim_filing_indicator="MC"
    )
    coverage = CoverageFactory(patient=clinic.patient, payer=payer, member_id="ACM123456")
    return ClaimWorld(clinic=clinic, payer=payer, other_payer=other_payer, coverage=coverage)
