"""A practice with a patient covered by a primary, a secondary and (optionally) a tertiary
payer, a 3-line claim to the primary, and the primary's adjudication rows (all synthetic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.access import PracticeAccess
from claims.models import Claim, ClaimAdjudication, ClaimLine, ClaimLineAdjudication
from claims.services.batch_file import claims_837_file
from payer_rules.services import payer_rule_set_create
from practice.access import practice_access_for
from tests.factories import (
    CoverageFactory,
    MembershipFactory,
    PatientFactory,
    PayerFactory,
    PracticeFactory,
    ProviderFactory,
    UserFactory,
)
from tests.factories.claims import ClaimFactory, ClaimLineFactory

DOS = dt.date(2026, 3, 9)
ADJUDICATED = dt.date(2026, 4, 2)
LINES = (("90837", 15000), ("90834", 12000), ("90832", 8000))


@dataclass
class Cob:
    practice: Any
    patient: Any
    primary_payer: Any
    secondary_payer: Any
    tertiary_payer: Any
    claim: Claim

    def lines(self) -> list[ClaimLine]:
        return list(self.claim.lines.order_by("line_number"))


def cob_scenario(
    *,
    status: str = "paid",
    tertiary: bool = False,
    secondary_kind: str = "commercial",
    secondary_filing_indicator: str = "CI",
    lines: tuple[tuple[str, int], ...] = LINES,
) -> Cob:
    practice = PracticeFactory(
        legal_name="Calm Waters Counseling", postal_code="627011234", phone="217-555-0100"
    )
    patient = PatientFactory(
        practice=practice,
        first_name="Ana",
        last_name="Rivera",
        address_line1="12 Elm St",
        postal_code="62702",
    )
    provider = ProviderFactory(practice=practice, first_name="Jordan", last_name="Lee")
    primary = PayerFactory(
        practice=practice, name="Sandbox Health", payer_id="SBXPAYER", timely_filing_days=90
    )
    secondary = PayerFactory(
        practice=practice,
        name="Second Mutual",
        payer_id="SECPAYER",
        kind=secondary_kind,
        claim_filing_indicator=secondary_filing_indicator,
        timely_filing_days=60,
    )
    third = PayerFactory(practice=practice, name="Third Trust", payer_id="TRDPAYER", timely_filing_days=365)
    coverage = CoverageFactory(patient=patient, payer=primary, priority=1, member_id="SBX1001")
    CoverageFactory(patient=patient, payer=secondary, priority=2, member_id="SEC2002")
    if tertiary:
        CoverageFactory(patient=patient, payer=third, priority=3, member_id="TRD3003")
    claim = ClaimFactory(
        coverage=coverage,
        rendering_provider=provider,
        status=status,
        total_cents=sum(cents for _, cents in lines),
        diagnoses=["F33.1"],
        date_from=DOS,
        payer_claim_number="",
    )
    for number, (code, cents) in enumerate(lines, start=1):
        ClaimLineFactory(
            claim=claim,
            line_number=number,
            code=code,
            charge_cents=cents,
            line_control_number=f"P{practice.pk}-{claim.patient_control_number}-{number}",
        )
    return Cob(practice, patient, primary, secondary, third, claim)


def adjudicate(
    claim: Claim,
    lines: dict[int, tuple[int, list[dict[str, Any]]]],
    *,
    status_code: str = "1",
    payer_claim_number: str = "ABC123",
    patient_cents: int | None = None,
    on: dt.date = ADJUDICATED,
    claim_adjustments: list[dict[str, Any]] | None = None,
) -> ClaimAdjudication:
    """Adjudication rows as claim_adjudication_record writes them: {line number: (paid cents,
    [{group, reason, cents}])}."""
    paid = sum(p for p, _ in lines.values())
    owed = sum(a["cents"] for _, adj in lines.values() for a in adj if a["group"] == "PR")
    adjudication = ClaimAdjudication.objects.create(
        claim=claim,
        era_reference=f"ERA-{claim.pk}-{status_code}",
        payer_claim_number=payer_claim_number,
        claim_status_code=status_code,
        charge_cents=claim.total_cents,
        paid_cents=paid,
        patient_responsibility_cents=owed if patient_cents is None else patient_cents,
        adjustments=claim_adjustments or [],
        adjudicated_on=on,
        recorded_at=timezone.now(),
    )
    for line in claim.lines.all():
        if line.line_number in lines:
            line_paid, adjustments = lines[line.line_number]
            ClaimLineAdjudication.objects.create(
                adjudication=adjudication,
                claim_line=line,
                code=line.code,
                charge_cents=line.charge_cents,
                paid_cents=line_paid,
                adjustments=adjustments,
                adjudicated_on=on,
            )
    return adjudication


def cas(group: str, reason: str, cents: int) -> dict[str, Any]:
    return {"group": group, "reason": reason, "cents": cents, "quantity": None}


# The primary paid each line, with CO-45, PR-1 and PR-2 (pitfall C1's example on line 1).
PAID_WITH_PR = {
    1: (9000, [cas("CO", "45", 2000), cas("PR", "1", 3000), cas("PR", "2", 1000)]),
    2: (8000, [cas("CO", "45", 2000), cas("PR", "2", 2000)]),
    3: (6000, [cas("PR", "3", 2000)]),
}


def member(practice: Any, role: str = "biller") -> PracticeAccess:
    user = UserFactory()
    MembershipFactory(user=user, practice=practice, role=role)
    access = practice_access_for(user=user, practice_id=practice.pk)
    assert access is not None
    return access


def rules(practice: Any, payer: Any, corrections: dict[str, Any]) -> None:
    payer_rule_set_create(
        access=member(practice, "practice_admin"),
        payer_pk=payer.pk,
        effective_from=dt.date(2025, 1, 1),
        rules={"corrections": corrections},
    )


def batch_837(*claims: Claim) -> str:
    """The claims' 837P as the batch builder writes it (claims.services.batch_file); every claim
    must be in it."""
    built = claims_837_file([claim.pk for claim in claims], practice_id=claims[0].practice_id)
    assert built.claim_ids == tuple(claim.pk for claim in claims), built.excluded
    return built.text


def segments(text: str) -> list[list[str]]:
    return [s.split("*") for s in text.split("~") if s]
