"""claims.domain.acknowledgements: what a 999 or a 277CA means for each claim (pitfalls K1–K5, K7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from claims.domain.acknowledgements import (
    AckSource,
    Outcome,
    ack_codes,
    claims_by_transaction,
    group_control_number,
    missing_acknowledgement,
    status_after,
    verdict_277ca,
    verdicts_999,
)
from claims.domain.batches import SendStep, gives_up, send_step
from edi.x277ca import read_277ca
from edi.x837p import build_837p
from edi.x999 import read_999
from tests.edi.samples837 import batch, claim, envelope
from tests.edi.test_x837p_acks import PARTIAL_999, _277, _wrap

SETS = {"0001": ["CLM000001"], "0002": ["CLM000002"], "0003": ["CLM000003", "CLM000004"]}


def test_k1_partial_999_rejects_only_the_claims_of_rejected_sets():
    # given: AK9*P*3*3*1, IK5*R for sets 0002 and 0003
    (ack,) = read_999(PARTIAL_999)

    # when
    verdicts = {v.claim_id: v for v in verdicts_999(ack, SETS)}

    # then: 0001's claim passes the file check, the others are rejected with the location
    assert verdicts["CLM000001"].outcome is Outcome.ACCEPTED
    assert [verdicts[c].outcome for c in ("CLM000002", "CLM000003", "CLM000004")] == [Outcome.REJECTED] * 3
    second = verdicts["CLM000002"].message
    assert "transaction 0002" in second
    assert "segment NM1 (position 12, loop 2010BA)" in second
    assert 'NM109 (element 67): a code that is not allowed ("SB 1001")' in second
    third = verdicts["CLM000003"].message
    assert "SV101-2 (element 234)" in third
    assert "DTP (position 31, loop 2400)" in third
    assert verdicts["CLM000003"].transaction_control_number == "0003"
    assert verdicts["CLM000002"].fix


def test_k2_a_failed_file_rejects_every_claim_in_it():
    # given: the whole group rejected, no set named
    text = _wrap("FA", "005010X231A1", ["AK1*HC*23*005010X222A1~", "AK9*R*3*3*0*4~"])
    (ack,) = read_999(text)

    # when
    verdicts = verdicts_999(ack, SETS)

    # then: none is left "submitted"
    assert {v.outcome for v in verdicts} == {Outcome.REJECTED}
    assert len(verdicts) == 4
    assert "rejected the whole file" in verdicts[0].message
    assert all(status_after("submitted", AckSource.X999, v.outcome) == "rejected" for v in verdicts)


def test_k1_an_accepted_999_moves_no_claim():
    assert status_after("submitted", AckSource.X999, Outcome.ACCEPTED) is None


@pytest.mark.parametrize(
    ("current", "source", "outcome", "expected"),
    [
        ("submitted", AckSource.CLEARINGHOUSE_277CA, Outcome.ACCEPTED, "accepted_clearinghouse"),
        ("submitted", AckSource.PAYER_277CA, Outcome.ACCEPTED, "accepted_payer"),
        ("accepted_clearinghouse", AckSource.PAYER_277CA, Outcome.ACCEPTED, "accepted_payer"),
        ("accepted_clearinghouse", AckSource.PAYER_277CA, Outcome.REJECTED, "rejected"),
        ("accepted_clearinghouse", AckSource.CLEARINGHOUSE_277CA, Outcome.ACCEPTED, None),
        # never backwards: the clearinghouse's late 277CA after the payer's changes nothing
        ("accepted_payer", AckSource.CLEARINGHOUSE_277CA, Outcome.ACCEPTED, None),
        ("accepted_payer", AckSource.PAYER_277CA, Outcome.REJECTED, None),
        ("paid", AckSource.PAYER_277CA, Outcome.ACCEPTED, None),
        ("denied", AckSource.PAYER_277CA, Outcome.REJECTED, None),
        ("rejected", AckSource.PAYER_277CA, Outcome.ACCEPTED, None),
        ("submitted", AckSource.PAYER_277CA, Outcome.INFO, None),
    ],
)
def test_status_after_an_acknowledgement(current, source, outcome, expected):
    assert status_after(current, source, outcome) == expected


def test_k3_clearinghouse_acceptance_then_payer_rejection_ends_rejected_by_the_payer():
    # given: A1 from the clearinghouse (AY), then an A7 from the payer
    (clearinghouse,) = read_277ca(_277("AY", ["STC*A1:19:PR*20260312*WQ*300~"]))
    (payer,) = read_277ca(_277("PR", ["STC*A7:33:IL*20260314*U*150~"]))

    # when
    first = verdict_277ca(clearinghouse.claims[0], from_clearinghouse=clearinghouse.from_clearinghouse)
    status = status_after("submitted", first.source, first.outcome)
    second = verdict_277ca(payer.claims[0], from_clearinghouse=payer.from_clearinghouse)
    final = status_after(status or "submitted", second.source, second.outcome)

    # then: accepted by the clearinghouse (never "by the payer"), then rejected by the payer
    assert (first.source, first.outcome, status) == (
        AckSource.CLEARINGHOUSE_277CA,
        Outcome.ACCEPTED,
        "accepted_clearinghouse",
    )
    assert (second.source, second.outcome, final) == (AckSource.PAYER_277CA, Outcome.REJECTED, "rejected")
    assert "the subscriber: member ID not found" in second.message


def test_k4_a7_562_85_names_the_billing_provider_and_the_fix():
    # given: the second claim of the sample: STC*A7:562:85 with A8:496:85 in STC10
    (ack,) = read_277ca(_277("PR", ["STC*A2:20:PR*20260312*WQ*150~"]))

    # when
    verdict = verdict_277ca(ack.claims[1], from_clearinghouse=False)

    # then
    assert verdict.outcome is Outcome.REJECTED
    assert (verdict.category_code, verdict.status_code) == ("A7", "562")
    assert verdict.message.startswith("Rejected: information not valid — the billing provider: NPI")
    assert "(A7:562:85)" in verdict.message
    assert "(A8:496:85)" in verdict.message
    assert "Correct the NPI" in verdict.fix
    assert "link the billing provider" in verdict.fix


def test_k4_an_unknown_code_still_reads_as_a_sentence_with_a_fix():
    (ack,) = read_277ca(_277("PR", ["STC*A3:9999:ZZ*20260312*U*150~"]))
    verdict = verdict_277ca(ack.claims[0], from_clearinghouse=False)
    assert verdict.outcome is Outcome.REJECTED
    assert "status code 9999" in verdict.message
    assert "resubmit" in verdict.fix


def test_accepted_277ca_carries_the_payer_claim_number():
    (ack,) = read_277ca(_277("PR", ["STC*A2:20:PR*20260312*WQ*150~"]))
    verdict = verdict_277ca(ack.claims[0], from_clearinghouse=False)
    assert (verdict.outcome, verdict.payer_claim_number) == (Outcome.ACCEPTED, "PAYER123")


def test_pending_categories_are_information_only():
    (ack,) = read_277ca(_277("PR", ["STC*P1:20:PR*20260312*WQ*150~"]))
    verdict = verdict_277ca(ack.claims[0], from_clearinghouse=False)
    assert verdict.outcome is Outcome.INFO
    assert status_after("submitted", verdict.source, verdict.outcome) is None


def test_codes_table_has_our_words_for_every_category_of_a_277ca():
    codes = ack_codes()
    for category in ("A1", "A2", "A3", "A4", "A6", "A7", "A8"):
        assert category in codes.categories
    assert codes.entities["85"] == "the billing provider"


NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "age_days", "has_999", "has_payer", "expected"),
    [
        ("submitted", 1, False, False, ""),
        ("submitted", 3, False, False, "No 999"),
        ("submitted", 3, True, False, ""),
        ("submitted", 8, True, False, "No acknowledgement (277CA) from the payer in 7 days"),
        ("accepted_clearinghouse", 8, True, False, "No acknowledgement (277CA)"),
        ("accepted_clearinghouse", 8, True, True, ""),
        ("accepted_payer", 30, False, False, ""),
        ("rejected", 30, False, False, ""),
    ],
)
def test_k7_claims_without_acknowledgements_are_flagged(status, age_days, has_999, has_payer, expected):
    reason = missing_acknowledgement(
        status=status,
        submitted_at=NOW - timedelta(days=age_days),
        now=NOW,
        has_999=has_999,
        has_payer_277ca=has_payer,
        days_999=2,
        days_277ca=7,
    )
    assert reason.startswith(expected) if expected else reason == ""


def test_the_sent_file_maps_each_transaction_to_its_claims():
    text = build_837p(batch(claim(), claim(claim_id="CLM2")), envelope())
    found = claims_by_transaction(text)
    assert list(found.values()) == [[claim().claim_id, "CLM2"]]
    assert group_control_number(text) == str(envelope().group_control_number)


@pytest.mark.parametrize(
    ("status", "has_file", "expected"),
    [
        ("queued", False, SendStep.BUILD),
        ("sending", True, SendStep.RESEND),
        ("sending", False, SendStep.BUILD),
        ("needs_attention", True, SendStep.RESEND),
        ("sent", True, SendStep.NOTHING),
    ],
)
def test_c16_a_batch_file_is_built_once_and_resent_under_its_name(status, has_file, expected):
    assert send_step(status, has_file=has_file) is expected


def test_giving_up_after_five_attempts():
    assert not gives_up(4)
    assert gives_up(5)
    with pytest.raises(ValueError, match="unknown batch status"):
        send_step("lost", has_file=False)
