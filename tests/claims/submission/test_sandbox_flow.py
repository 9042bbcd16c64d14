"""The whole path through the sandbox clearinghouse (clearinghouse.sandbox_claims), stage by
stage: claims assembled from reviewed charges, sent in batches, then the 999, the clearinghouse's
277CA, the payer's 277CA and the 835 collected and applied (K1, K3, K5, K7)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimAcknowledgement, InboundFile
from claims.selectors.submission import claims_missing_acknowledgement, rejection_queue
from claims.services.acknowledgements import claims_responses_collect
from claims.services.assembly import claims_assemble
from claims.services.batches import claim_batch_create, claim_batch_send
from practice.access import practice_access_for
from tests.claims.claims837.world import make_world, reviewed_set
from tests.factories import CoverageFactory, PatientFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)
MEMBERS = {"paid": "SBCPAID0001", "ch": "SBCCHREJ0001", "payer": "SBCPAYREJ0001", "x12": "SBCX120001",
           "silent": "SBCSILENT0001"}  # fmt: skip


def test_the_sandbox_answers_in_stages_and_every_state_is_reached(
    settings: Any, tmp_path: Path, make_member: Any
) -> None:
    # given: one ready claim per sandbox scenario, sent in three batches
    settings.CLAIMS_CLEARINGHOUSE = "sandbox"
    settings.CLAIMS_SANDBOX_DIR = str(tmp_path / "sandbox")
    world = make_world()
    for member in MEMBERS.values():
        patient = PatientFactory(practice=world.practice, sex="M")
        coverage = CoverageFactory(patient=patient, payer=world.payer, member_id=member)
        reviewed_set(world, DAY, patient=patient, coverage=coverage)
    claims_assemble(world.practice.pk, actor=None)
    claim = {key: Claim.objects.get(coverage__member_id=member) for key, member in MEMBERS.items()}
    assert {c.status for c in claim.values()} == {"ready"}, [c.findings for c in claim.values()]
    biller = practice_access_for(user=make_member("biller", world.practice), practice_id=world.practice.pk)
    for group in (["paid", "ch", "payer"], ["x12"], ["silent"]):
        batch = claim_batch_create(world.practice.pk, [claim[k].pk for k in group], actor=biller)
        assert claim_batch_send(batch_id=batch.pk) == "sent"

    def statuses() -> dict[str, str]:
        return {key: Claim.objects.get(pk=c.pk).status for key, c in claim.items()}

    def collect() -> dict[str, str]:
        claims_responses_collect(practice_id=world.practice.pk)
        return statuses()

    # when / then: stage 1, the 999s: the X12 claim's set is rejected (K1), the rest stay sent
    assert collect() == {"paid": "submitted", "ch": "submitted", "payer": "submitted", "x12": "rejected",
                         "silent": "submitted"}  # fmt: skip
    # stage 2, the clearinghouse's 277CA: accepted by the clearinghouse, never by the payer (K3)
    assert collect() == {"paid": "accepted_clearinghouse", "ch": "rejected", "payer": "accepted_clearinghouse",
                         "x12": "rejected", "silent": "submitted"}  # fmt: skip
    # stage 3, the payer's 277CA: accepted by the payer (with its claim number), or rejected
    assert collect() == {"paid": "accepted_payer", "ch": "rejected", "payer": "rejected", "x12": "rejected",
                         "silent": "submitted"}  # fmt: skip
    assert Claim.objects.get(pk=claim["paid"].pk).payer_claim_number
    # stage 4: the 835 is kept for remittance posting; rejections are not denials (K5)
    collect()
    assert InboundFile.objects.filter(practice=world.practice, kind="835").count() == 1
    queue = {row.claim_id: row for row in rejection_queue(practice_id=world.practice.pk)}
    assert set(queue) == {claim["ch"].pk, claim["payer"].pk, claim["x12"].pk}
    assert queue[claim["ch"].pk].source == "clearinghouse_277ca"
    assert "member" in queue[claim["ch"].pk].reason
    assert queue[claim["payer"].pk].source == "payer_277ca"
    assert "NPI" in queue[claim["payer"].pk].reason
    assert queue[claim["x12"].pk].source == "999"
    sources = set(ClaimAcknowledgement.objects.filter(claim=claim["paid"]).values_list("source", flat=True))
    assert sources == {"999", "clearinghouse_277ca", "payer_277ca"}
    # the silent claim never heard back: it is on the no-acknowledgement list after two days (K7)
    later = timezone.now() + dt.timedelta(days=3)
    stuck = claims_missing_acknowledgement(practice_id=world.practice.pk, now=later)
    assert [s.claim_id for s in stuck] == [claim["silent"].pk]


def test_u6_three_test_claims_one_per_prefix_post_to_paid_partial_and_denied_and_stay_isa15_t(
    settings: Any, tmp_path: Path, make_member: Any
) -> None:
    """U6: the sandbox is the safe end-to-end test mode. Three test claims (paid, partial, denied
    member-ID prefixes) get their 277CAs and an 835 that posts each to its state, and a batch
    sent through the sandbox is always marked test (ISA15 = T), never production."""
    from remittance.models import EraFile, EraLine
    from remittance.services.adjudication import era_adjudications_record
    from remittance.services.inbound import era_post_inbound_file

    # given
    settings.CLAIMS_CLEARINGHOUSE = "sandbox"
    settings.CLAIMS_SANDBOX_DIR = str(tmp_path / "sandbox")
    world = make_world()
    members = {"paid": "SBCPAID0002", "partial": "SBCPART0002", "denied": "SBCAUTH0002"}
    for member in members.values():
        patient = PatientFactory(practice=world.practice, sex="F")
        coverage = CoverageFactory(patient=patient, payer=world.payer, member_id=member)
        reviewed_set(world, DAY, patient=patient, coverage=coverage)
    claims_assemble(world.practice.pk, actor=None)
    claim = {key: Claim.objects.get(coverage__member_id=member) for key, member in members.items()}
    biller = practice_access_for(user=make_member("biller", world.practice), practice_id=world.practice.pk)
    batch = claim_batch_create(world.practice.pk, [c.pk for c in claim.values()], actor=biller)

    # when
    assert claim_batch_send(batch_id=batch.pk) == "sent"
    for _stage in range(4):  # 999, clearinghouse 277CA, payer 277CA, 835
        claims_responses_collect(practice_id=world.practice.pk)
    eras = InboundFile.objects.filter(practice=world.practice, kind="835")
    results = [era_post_inbound_file(inbound_file_id=era.pk) for era in eras]
    for era_file in EraFile.objects.filter(practice=world.practice):  # the worker's hand-off
        era_adjudications_record(era_file_id=era_file.pk)

    # then
    batch.refresh_from_db()
    isa = batch.x12.split("~", 1)[0].split("*")
    assert isa[0] == "ISA"
    assert isa[15] == "T"
    assert results
    assert "missing" not in results
    # (a claim the payer paid with a patient share is "paid": the rest is the patient's, not open)
    assert {key: Claim.objects.get(pk=c.pk).status for key, c in claim.items()} == {
        "paid": "paid",
        "partial": "paid",
        "denied": "denied",
    }
    groups = {
        key: {
            a["group"] for line in EraLine.objects.filter(era_claim__claim_id=c.pk) for a in line.adjustments
        }
        for key, c in claim.items()
    }
    assert groups["partial"] >= {"PR", "CO"}
    assert "PR" not in groups["paid"]
