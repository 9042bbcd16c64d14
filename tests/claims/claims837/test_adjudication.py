"""claim_adjudication_record: once per (claim, ERA reference), the claim moved by the outcome
with an event, reversals (CLP02 22) undo the outcome they reverse, and lines recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim, ClaimAdjudication, ClaimEvent
from claims.services.adjudication import AdjudicationIn, LineAdjudicationIn, claim_adjudication_record
from claims.services.assembly import claims_assemble
from claims.services.transitions import claim_transition
from core.errors import ValidationFailed
from tests.claims.claims837.world import make_world, reviewed_set

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 3, 9)
PAID_ON = dt.date(2026, 3, 30)


def _submitted() -> Claim:
    world = make_world()
    reviewed_set(world, MON, [("90837", 1, 15000), ("90785", 1, 2500)])
    (claim_id,) = claims_assemble(world.practice.pk, actor=None).claim_ids
    for to in ("queued", "submitted", "accepted_clearinghouse", "accepted_payer"):
        claim_transition(claim_id, to, actor=None)
    return Claim.objects.get(pk=claim_id)


def _outcome(claim: Claim, **kwargs) -> AdjudicationIn:
    first, second = claim.lines.order_by("line_number")
    base = {
        "claim_id": claim.pk,
        "era_reference": "TRN1:1",
        "claim_status_code": "1",
        "charge_cents": 17500,
        "paid_cents": 12000,
        "patient_responsibility_cents": 3000,
        "adjudicated_on": PAID_ON,
        "payer_claim_number": "PCN-PAYER-1",
        "lines": (
            LineAdjudicationIn(
                first.pk, paid_cents=12000, charge_cents=15000, allowed_cents=15000,
                adjustments=({"group": "PR", "reason": "1", "cents": 3000},),
            ),
            LineAdjudicationIn(
                second.pk, paid_cents=2500, charge_cents=2500, allowed_cents=2500,
            ),
        ),
    }  # fmt: skip
    base.update(kwargs)
    return AdjudicationIn(**base)


def test_paid_moves_the_claim_keeps_the_payer_number_and_is_idempotent():
    claim = _submitted()
    first = claim_adjudication_record(_outcome(claim))
    again = claim_adjudication_record(_outcome(claim))
    assert first.pk == again.pk
    assert ClaimAdjudication.objects.count() == 1
    claim.refresh_from_db()
    assert (claim.status, claim.payer_claim_number) == ("paid", "PCN-PAYER-1")
    assert first.lines.count() == 2
    assert ClaimEvent.objects.filter(claim=claim, kind="adjudicated").count() == 1


def test_denied_and_partially_paid():
    claim = _submitted()
    claim_adjudication_record(_outcome(claim, claim_status_code="4", paid_cents=0, patient_responsibility_cents=0,
                                       lines=()))  # fmt: skip
    claim.refresh_from_db()
    assert claim.status == "denied"
    other = _submitted()
    first, second = other.lines.order_by("line_number")
    claim_adjudication_record(
        _outcome(
            other,
            lines=(
                LineAdjudicationIn(first.pk, paid_cents=12000),
                LineAdjudicationIn(
                    second.pk, paid_cents=0, adjustments=({"group": "CO", "reason": "4", "cents": 2500},)
                ),
            ),
        )
    )
    other.refresh_from_db()
    assert other.status == "partially_paid"


def test_a_reversal_undoes_the_outcome_and_a_readjudication_moves_it_again():
    claim = _submitted()
    paid = claim_adjudication_record(_outcome(claim))
    reversal = claim_adjudication_record(
        _outcome(
            claim,
            era_reference="TRN2:1",
            claim_status_code="22",
            paid_cents=-12000,
            patient_responsibility_cents=-3000,
            lines=(),
        )  # fmt: skip
    )
    paid.refresh_from_db()
    assert paid.reversed_by_id == reversal.pk
    assert paid.reversed
    claim.refresh_from_db()
    assert claim.status == "accepted_payer"
    claim_adjudication_record(
        _outcome(claim, era_reference="TRN2:2", paid_cents=15000, patient_responsibility_cents=0)
    )
    claim.refresh_from_db()
    assert claim.status == "paid"
    kinds = list(
        ClaimEvent.objects.filter(claim=claim, kind__in=["adjudicated", "reversed"]).values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["adjudicated", "reversed", "adjudicated"]


def test_a_voided_claim_still_records_the_outcome_and_keeps_its_status():
    claim = _submitted()
    Claim.objects.filter(pk=claim.pk).update(status="voided")
    row = claim_adjudication_record(_outcome(claim))
    assert row.pk
    claim.refresh_from_db()
    assert claim.status == "voided"
    event = ClaimEvent.objects.filter(claim=claim, kind="adjudicated").get()
    assert event.detail == "status stays voided (not paid)"


def test_lines_of_another_claim_are_refused_and_nothing_is_written():
    claim = _submitted()
    other = _submitted()
    stranger = other.lines.first()
    with pytest.raises(ValidationFailed, match="not lines of claim"):
        claim_adjudication_record(_outcome(claim, lines=(LineAdjudicationIn(stranger.pk, paid_cents=1),)))
    assert ClaimAdjudication.objects.count() == 0
