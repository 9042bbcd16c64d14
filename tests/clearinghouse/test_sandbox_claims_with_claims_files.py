"""The sandbox answers the 837 files the claims app writes (claims.services.batch_file from
assembled claims in PostgreSQL): the 277CAs and the 835 echo each claim's patient control number
and each line's control number, so the claims and remittance sides can match them (R7)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from claims.models import Claim
from claims.services.assembly import claims_assemble
from claims.services.batch_file import claims_837_file
from clearinghouse.sandbox_claims import SandboxClaimsClearinghouse, payer_claim_number
from edi.x277ca import read_277ca
from edi.x835 import imbalances, parse_835
from edi.x999 import read_999
from tests.claims.claims837.world import make_world, reviewed_set
from tests.edi.pyx12_oracle import pyx12_validate
from tests.factories import CoverageFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_the_claims_apps_file_is_answered_claim_by_claim_and_line_by_line(tmp_path: Path) -> None:
    # given: one partly paid patient (two lines) and one denied for no authorization
    world = make_world()
    world.coverage.member_id = "SBCPART0001"
    world.coverage.save(update_fields=["member_id"])
    denied: Any = PatientFactory(practice=world.practice, sex="M")
    denied_coverage = CoverageFactory(patient=denied, payer=world.payer, member_id="SBCAUTH0002")
    day = dt.date(2026, 3, 9)
    reviewed_set(world, day, [("90837", 1, 15000), ("90785", 1, 4000)])
    reviewed_set(world, day, patient=denied, coverage=denied_coverage)
    claims_assemble(world.practice.pk, actor=None)
    claims = list(Claim.objects.filter(practice=world.practice).order_by("pk"))
    built = claims_837_file([c.pk for c in claims], practice_id=world.practice.pk)
    assert built.excluded == ()
    sandbox = SandboxClaimsClearinghouse(tmp_path)

    # when
    sandbox.submit_claims("837P-test.x12", built.text)
    documents = []
    for _ in range(4):
        for document in sandbox.collect_responses():
            documents.append(document)
            sandbox.archive(document.name)

    # then
    assert [d.kind for d in documents] == ["999", "277CA", "277CA", "835"]
    assert read_999(documents[0].text)[0].group_status == "A"
    by_pcn = {c.patient_control_number: c for c in claims}
    (payer_ack,) = read_277ca(documents[2].text)
    assert {c.claim_id: c.payer_claim_control_number for c in payer_ack.claims} == {
        pcn: payer_claim_number(pcn) for pcn in by_pcn
    }
    (payment,) = parse_835(documents[3].text).transactions
    assert imbalances(payment) == []
    assert pyx12_validate(documents[3].text)[0]
    statuses = {c.patient_control_number: c.status for c in payment.claims}
    partial = next(c for c in claims if c.patient_id == world.patient.pk)
    refused = next(c for c in claims if c.patient_id == denied.pk)
    assert statuses == {partial.patient_control_number: "1", refused.patient_control_number: "4"}
    for claim_payment in payment.claims:
        claim = by_pcn[claim_payment.patient_control_number]
        assert claim_payment.charge * 100 == claim.total_cents
        assert [line.control_number for line in claim_payment.lines] == list(
            claim.lines.order_by("line_number").values_list("line_control_number", flat=True)
        )
