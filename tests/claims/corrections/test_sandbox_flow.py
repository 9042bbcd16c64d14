"""The whole COB path at the service level, with the sandbox clearinghouse's own answers: the
primary's 837 -> the sandbox's 835 -> claim_adjudication_record (as remittance posting calls it)
-> the durable job creates the secondary -> its 837 passes pyx12 with the primary's CAS and
paid amounts and the sandbox payer's claim number. A crossover 835 (CLP02 19 + NM1*TT) creates
nothing and says where the claim went (R15)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claims.models import Claim, ClaimEvent, ClaimLine
from claims.services.adjudication import AdjudicationIn, LineAdjudicationIn, claim_adjudication_record
from claims.services.batch_file import claims_837_file
from claims.services.secondary import SECONDARY_TASK
from claims.tasks import claim_secondary_create_job
from clearinghouse.sandbox_claims import answer_837, payer_claim_number
from core.models import BackgroundJob
from core.money import cents_from_decimal
from edi.x835 import ClaimPayment, parse_835
from tests.claims.corrections.helpers import cob_scenario, segments
from tests.edi.pyx12_oracle import pyx12_validate

pytestmark = pytest.mark.django_db


def _sandbox_835(claim: Claim) -> ClaimPayment:
    built = claims_837_file([claim.pk], practice_id=claim.practice_id)
    assert built.claim_ids == (claim.pk,), built.excluded
    stages = answer_837(built.text, "SUB1", 1)
    (era,) = [doc for stage in stages for doc in stage if doc.kind == "835"][:1]
    remittance = parse_835(era.text)
    return next(
        c
        for t in remittance.transactions
        for c in t.claims
        if c.patient_control_number == claim.patient_control_number
    )


def _post(claim: Claim, paid: ClaimPayment) -> None:
    """What remittance posting hands to claims (the fields of contracts.md)."""
    lines = {line.line_control_number: line.pk for line in ClaimLine.objects.filter(claim=claim)}
    claim_adjudication_record(
        AdjudicationIn(
            claim_id=claim.pk,
            era_reference=f"TRN1:{paid.segment_number}",
            claim_status_code=paid.status,
            paid_cents=cents_from_decimal(paid.paid),
            patient_responsibility_cents=cents_from_decimal(paid.patient_responsibility or Decimal(0)),
            adjudicated_on=claim.date_from,
            charge_cents=cents_from_decimal(paid.charge),
            payer_claim_number=paid.payer_claim_control_number,
            adjustments=tuple(
                {
                    "group": a.group,
                    "reason": a.reason,
                    "cents": cents_from_decimal(a.amount),
                    "quantity": None,
                }
                for a in paid.adjustments
            ),
            lines=tuple(
                LineAdjudicationIn(
                    claim_line_id=lines[line.control_number],
                    paid_cents=cents_from_decimal(line.paid),
                    charge_cents=cents_from_decimal(line.charge),
                    adjustments=tuple(
                        {
                            "group": a.group,
                            "reason": a.reason,
                            "cents": cents_from_decimal(a.amount),
                            "quantity": None,
                        }
                        for a in line.adjustments
                    ),
                )
                for line in paid.lines
            ),
            crossover_carrier=paid.crossover_carrier.name if paid.crossover_carrier else "",
            remarks=paid.remarks,
        )
    )


def _scenario(member_id: str) -> Claim:
    s = cob_scenario(status="submitted")
    s.practice.phone = "217-555-0100"
    s.practice.save()
    s.claim.coverage.member_id = member_id
    s.claim.coverage.save()
    return Claim.objects.get(pk=s.claim.pk)


def test_primary_835_with_patient_responsibility_leads_to_a_pyx12_clean_secondary(
    django_capture_on_commit_callbacks,
):
    claim = _scenario("SBCPART0001")
    paid = _sandbox_835(claim)
    assert paid.patient_responsibility
    assert paid.patient_responsibility > 0

    with django_capture_on_commit_callbacks(execute=False):
        _post(claim, paid)

    claim.refresh_from_db()
    assert claim.status in {"paid", "partially_paid"}
    job = BackgroundJob.objects.get(task_name=SECONDARY_TASK)
    claim_secondary_create_job(**job.kwargs)  # what the worker runs
    secondary = Claim.objects.get(primary_claim=claim)
    assert secondary.status == "ready", secondary.findings
    built = claims_837_file([secondary.pk], practice_id=claim.practice_id)
    assert built.claim_ids == (secondary.pk,), built.excluded
    ok, ack = pyx12_validate(built.text)
    assert ok, ack
    rows = segments(built.text)
    assert ["REF", "F8", payer_claim_number(claim.patient_control_number)] in rows  # C2
    assert [r[2] for r in rows if r[:2] == ["AMT", "D"]] == [format(paid.paid.normalize(), "f")]
    svd_paid = [Decimal(r[2]) for r in rows if r[0] == "SVD"]
    assert svd_paid == [line.paid for line in paid.lines]
    cas_groups = [r[1] for r in rows if r[0] == "CAS"]
    assert "PR" in cas_groups
    assert len(cas_groups) == len(
        [
            (i, g)
            for i, line in enumerate(paid.lines)
            for g in dict.fromkeys(a.group for a in line.adjustments)
        ]
    )  # C1: one CAS per group per line


def test_a_crossover_835_creates_no_secondary_and_names_the_carrier():  # R15
    claim = _scenario("SBCCROSS0001")
    paid = _sandbox_835(claim)
    assert paid.status == "19"

    _post(claim, paid)

    assert not BackgroundJob.objects.filter(task_name=SECONDARY_TASK).exists()
    assert not Claim.objects.filter(primary_claim=claim).exists()
    event = ClaimEvent.objects.get(claim=claim, detail="crossover")
    assert event.reason.startswith("Crossed over to SANDBOX SECONDARY MUTUAL")
