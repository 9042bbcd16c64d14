"""Fix and resubmit a rejected claim (K4: a new original, fixed in place; K5: not an appeal)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from claims.models import Charge, Claim, ClaimEvent, ClaimLine
from claims.selectors.submission import rejection_queue
from claims.services.acknowledgements import claims_responses_collect
from claims.services.assembly import claims_assemble
from claims.services.batches import claim_batch_create, claim_batch_send
from claims.services.resubmit import claim_resubmit
from core.errors import Conflict
from edi.reader import read_interchange
from practice.access import practice_access_for
from tests.claims.claims837.world import World, make_world, reviewed_set
from tests.claims.fake_clearinghouse import DirectoryClearinghouse
from tests.claims.submission.acks import ack_277ca
from tests.claims.submission.conftest import Office

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def world_office(make_member: Any, fake_clearinghouse: Path) -> tuple[World, Office]:
    """claims-core's billing world (reviewed charge sets, enrolled providers) with a biller."""
    world = make_world()
    access = practice_access_for(user=make_member("biller", world.practice), practice_id=world.practice.pk)
    assert access is not None
    office = Office(
        world.practice, access, DirectoryClearinghouse(fake_clearinghouse / f"practice-{world.practice.pk}")
    )
    return world, office


def _rejected(world: World, office: Office) -> Claim:
    """An assembled claim, sent, then rejected by the payer's 277CA (member ID not found)."""
    reviewed_set(world, DAY)
    result = claims_assemble(world.practice.pk, actor=None)
    (claim,) = Claim.objects.filter(pk__in=result.claim_ids)
    assert claim.status == "ready", claim.findings
    batch = claim_batch_create(office.practice.pk, [claim.pk], actor=office.biller)
    claim_batch_send(batch_id=batch.pk)
    office.clearinghouse.drop(
        "277CA", "r.277", ack_277ca("PR", [(claim.patient_control_number, "A7:33:IL", "")])
    )
    claims_responses_collect(practice_id=office.practice.pk)
    claim.refresh_from_db()
    assert claim.status == "rejected"
    return claim


def test_k4_a_fixed_rejection_is_resubmitted_as_the_same_original_claim(
    world_office: tuple[World, Office],
) -> None:
    # given: rejected by the payer: member ID not found
    world, office = world_office
    claim = _rejected(world, office)
    (row,) = rejection_queue(practice_id=office.practice.pk)
    assert "the subscriber: member ID not found" in row.reason
    assert "Verify eligibility and correct the member ID" in row.reason

    # when: the biller corrects the member ID on the coverage and resubmits
    claim.coverage.member_id = "MBRFIXED01"
    claim.coverage.save(update_fields=["member_id"])
    again = claim_resubmit(claim_id=claim.pk, actor=office.biller)

    # then: ready, same version and claim number, frequency 1; off the rejection queue
    assert (again.status, again.version, again.frequency) == ("ready", 1, "1")
    assert again.patient_control_number == claim.patient_control_number
    assert rejection_queue(practice_id=office.practice.pk) == []
    reasons = list(
        ClaimEvent.objects.filter(claim=claim, kind="transition").values_list("to_status", flat=True)
    )
    assert reasons[-2:] == ["rejected", "ready"]
    # and the next batch carries the corrected member ID
    batch = claim_batch_create(office.practice.pk, [claim.pk], actor=office.biller)
    claim_batch_send(batch_id=batch.pk)
    batch.refresh_from_db()
    segments = [s for t in read_interchange(batch.x12).transactions for s in t.segments]
    assert any(s.id == "NM1" and s.get(1) == "IL" and s.get(9) == "MBRFIXED01" for s in segments)
    assert Claim.objects.get(pk=claim.pk).status == "submitted"


def test_a_fixed_charge_is_carried_onto_the_claim_line(world_office: tuple[World, Office]) -> None:
    world, office = world_office
    claim = _rejected(world, office)
    line = ClaimLine.objects.get(claim=claim)
    Charge.objects.filter(pk=line.charge_id).update(code="90834", fee_cents=12000, unit_fee_cents=12000)

    again = claim_resubmit(claim_id=claim.pk, actor=office.biller)

    line.refresh_from_db()
    assert (line.code, line.charge_cents, again.total_cents, again.status) == ("90834", 12000, 12000, "ready")


def test_a_resubmission_that_still_has_errors_goes_back_to_draft(world_office: tuple[World, Office]) -> None:
    world, office = world_office
    claim = _rejected(world, office)
    world.practice.taxonomy_code = "BAD"
    world.practice.save(update_fields=["taxonomy_code"])

    again = claim_resubmit(claim_id=claim.pk, actor=office.biller)

    assert again.status == "draft"
    assert again.error_count >= 1


def test_resubmit_refuses_a_claim_that_is_not_rejected(office: Office) -> None:
    (claim,) = office.ready_claims(1)
    with pytest.raises(Conflict, match="Only a rejected claim"):
        claim_resubmit(claim_id=claim.pk, actor=office.biller)
