"""`era_post` on a real database: the 835 posts completely or not at all, once, in integer cents,
with each match's reason; what cannot post waits in the exceptions queue. Each test names the
pitfall of DOMAIN-rcm-pitfalls.md §4/§6 it pins."""

from __future__ import annotations

import pytest

from core.models import BackgroundJob
from ledger.models import LedgerEntry
from ledger.selectors import patient_balances, posting_problems
from remittance.models import EraClaim, EraFile, EraLine, PostingException, Underpayment
from remittance.services.posting import era_force_post, era_post, era_withdraw
from tests.edi.samples_835 import DENIED, PAID, REVERSAL, envelope
from tests.remittance.world import NOV1, NOV2, World, era, sums

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(practice):  # type: ignore[no-untyped-def]
    w = World(practice)
    w.sample_claims()
    return w


def _post(world: World, raw: bytes, **kwargs):  # type: ignore[no-untyped-def]
    return era_post(practice_id=world.practice.pk, raw=raw, **kwargs)


def test_paid_file_posts_every_claim_with_the_issue_summary(world):
    # when
    outcome = _post(world, envelope(PAID).encode(), name="paid.835")
    # then
    assert outcome.summaries == [
        {
            "status": "posted",
            "trace_number": "EFT1001",
            "payment_amount": "213.66",
            "claims": 3,
            "matched": 3,
            "unmatched": 0,
            "paid_total": "250.00",
            "adjustment_totals": {"CO": "160.00", "PR": "160.00"},
            "denied_claims": 0,
            "balanced": True,
            "errors": [],
        }
    ]
    era_file = EraFile.objects.get()
    assert (era_file.status, era_file.payment_cents, era_file.matched_count) == ("posted", 21366, 3)
    assert bytes(era_file.raw) == envelope(PAID).encode()
    assert PostingException.objects.count() == 0


def test_line_matches_name_their_reason_r7(world):
    _post(world, envelope(PAID).encode())
    reasons = {line.claim_line_id: line.match_reason for line in EraLine.objects.all()}
    assert reasons[world.lines["L1"].pk] == "line control number (REF*6R) L1"
    assert reasons[world.lines["L3"].pk].startswith(
        "code 90837, modifiers, date and charge (the payer changed"
    )
    assert {c.match_reason for c in EraClaim.objects.all()} == {"patient control number (CLP01)"}


def test_per_line_invariant_charge_equals_paid_adjusted_and_open_r21(world):
    _post(world, envelope(PAID).encode())
    line = world.lines["L1"]
    rows = {(e.account, e.kind): e.amount_cents for e in LedgerEntry.objects.filter(claim_line_id=line.pk)}
    assert rows == {
        ("insurance", "charge"): 20000,
        ("insurance", "insurance_payment"): -12000,
        ("insurance", "contractual_adjustment"): -5000,
        ("insurance", "patient_responsibility"): -3000,
        ("patient", "patient_responsibility"): 3000,
    }
    for control in ("L1", "L2", "L3", "L4"):
        assert sums(claim_line_id=world.lines[control].pk).get("insurance") == 0
    assert posting_problems(practice_id=world.practice.pk) == []


def test_insurance_money_names_the_payer_and_trace_r20(world):
    _post(world, envelope(PAID).encode())
    payments = LedgerEntry.objects.filter(kind="insurance_payment")
    assert {(e.payer_name, e.trace_number) for e in payments} == {("SYNTHETIC HEALTH PLAN", "EFT1001")}
    assert all(e.patient_payment_id is None for e in payments)


def test_plb_posts_at_provider_level_never_on_a_patient_r10(world):
    _post(world, envelope(PAID).encode())
    plb = LedgerEntry.objects.filter(account="provider").order_by("amount_cents")
    assert [(e.reason_code, e.amount_cents, e.patient_id, e.claim_id) for e in plb] == [
        ("WO", -4000, None, None),  # the reference names no claim of ours: a provider-level item
        ("L6", 366, None, None),  # interest adds to the deposit
    ]
    # the deposit reconciles: payments - PLB = BPR02
    paid = -sum(e.amount_cents for e in LedgerEntry.objects.filter(kind="insurance_payment"))
    assert paid + sum(e.amount_cents for e in plb) == EraFile.objects.get().payment_cents


def test_corrected_member_id_is_kept_for_review_r16(world):
    _post(world, envelope(PAID).encode())
    assert EraClaim.objects.get(patient_control_number="PCN100").corrected_member_id == "MEMNEW9"


def test_paid_zero_to_the_deductible_is_not_a_denial_r14(world):
    outcome = _post(world, envelope(PAID).encode())
    assert outcome.summaries[0]["denied_claims"] == 0
    claim = world.claims["PCN300"]
    assert sums(claim_id=claim.pk) == {"insurance": 0, "patient": 12000}
    assert not LedgerEntry.objects.filter(claim_id=claim.pk, account="denied").exists()


def test_the_same_era_twice_adds_nothing_r1(world):
    # given
    _post(world, envelope(PAID).encode(), name="first.835")
    before = list(LedgerEntry.objects.values_list("pk", flat=True))
    # when: the same payment in a differently named file with other bytes (a blank line added)
    outcome = _post(world, envelope(PAID).encode() + b"\n", name="again.835")
    # then
    assert outcome.summaries[0]["status"] == "duplicate"
    assert "received already" in outcome.summaries[0]["errors"][0]["message"]
    assert list(LedgerEntry.objects.values_list("pk", flat=True)) == before
    duplicate = EraFile.objects.get(status="duplicate")
    assert duplicate.duplicate_of == EraFile.objects.get(status="posted")
    assert EraClaim.objects.filter(era=duplicate).count() == 0


def test_a_malformed_file_is_kept_rejected_with_a_located_error_and_nothing_posted(world):
    raw = envelope(PAID).replace("CLP*PCN200*1*150.00*90.00", "CLP*PCN200*1*1X0.00*90.00").encode()
    outcome = _post(world, raw)
    assert outcome.rejected
    [error] = outcome.summaries[0]["errors"]
    assert error["segment"] == "CLP"
    assert error["position"] == raw.decode().index("CLP*PCN200")
    assert outcome.summaries[0]["status"] == "rejected"
    era_file = EraFile.objects.get()
    assert (era_file.status, bytes(era_file.raw)) == ("rejected", raw)
    assert LedgerEntry.objects.count() == EraClaim.objects.count() == 0


def test_an_unbalanced_payment_is_held_then_posted_anyway_with_a_reason_r8(world, make_member):
    biller = make_member("biller", world.practice)
    raw = envelope(PAID).replace("BPR*I*213.66", "BPR*I*200.00").encode()
    # when
    outcome = _post(world, raw)
    # then: recorded, nothing posted
    summary = outcome.summaries[0]
    assert (summary["status"], summary["balanced"], summary["matched"]) == ("held", False, 0)
    assert summary["errors"][0]["segment"] == "BPR"
    assert "out of balance by 13.66" in summary["errors"][0]["message"]
    assert LedgerEntry.objects.count() == 0
    assert set(EraClaim.objects.values_list("state", flat=True)) == {"not_posted"}
    # and a corrected copy with the same trace is a duplicate while the held one stands
    assert _post(world, envelope(PAID).encode()).summaries[0]["status"] == "duplicate"
    # when the biller posts it anyway
    forced = era_force_post(
        practice_id=world.practice.pk,
        era_id=outcome.era_ids[0],
        actor=biller,
        reason="matches the bank deposit",
    )
    assert forced.summaries[0]["matched"] == 3
    assert EraFile.objects.get(pk=outcome.era_ids[0]).force_reason == "matches the bank deposit"
    assert sums(claim_id=world.claims["PCN100"].pk)["insurance"] == 0


def test_a_withdrawn_held_payment_lets_the_corrected_file_in_r8(world, make_member):
    biller = make_member("biller", world.practice)
    outcome = _post(world, envelope(PAID).replace("BPR*I*213.66", "BPR*I*200.00").encode())
    era_withdraw(
        practice_id=world.practice.pk, era_id=outcome.era_ids[0], actor=biller, reason="payer resent it"
    )
    assert _post(world, envelope(PAID).encode()).summaries[0]["status"] == "posted"


def test_a_claim_off_by_five_dollars_is_held_and_the_others_post_r8(world):
    body = [s.replace("CLP*PCN200*1*150.00*90.00", "CLP*PCN200*1*155.00*90.00") for s in PAID]
    outcome = _post(world, envelope(body).encode())
    summary = outcome.summaries[0]
    assert (summary["status"], summary["matched"], summary["unmatched"], summary["balanced"]) == (
        "posted",
        2,
        1,
        False,
    )
    [exception] = PostingException.objects.all()
    assert exception.kind == "out_of_balance"
    assert "out of balance: 5.00" in exception.message
    assert not LedgerEntry.objects.filter(claim_id=world.claims["PCN200"].pk).exists()


def test_a_denial_is_parked_as_denied_ar_never_written_off_r4(world):
    outcome = _post(world, envelope(DENIED).encode())
    assert outcome.summaries[0]["denied_claims"] == 1
    claim = world.claims["PCN400"]
    assert sums(claim_id=claim.pk) == {"insurance": 0, "denied": 20000}
    assert not LedgerEntry.objects.filter(
        claim_id=claim.pk, kind__in=["write_off", "contractual_adjustment"]
    ).exists()
    assert not LedgerEntry.objects.filter(claim_id=claim.pk, account="patient").exists()  # D6


def test_an_unmatched_claim_waits_in_the_exceptions_queue_r17(world):
    outcome = _post(world, envelope(DENIED).encode())
    assert (outcome.summaries[0]["matched"], outcome.summaries[0]["unmatched"]) == (1, 1)
    exception = PostingException.objects.get()
    assert (exception.kind, exception.era_claim.patient_control_number, exception.status) == (
        "unmatched_claim",
        "NOSUCH",
        "open",
    )


def test_an_era_matching_nothing_is_still_posted_with_every_claim_in_exceptions_r17(practice):
    world = World(practice)  # no claims at all
    outcome = _post(world, envelope(PAID).encode())
    summary = outcome.summaries[0]
    assert (summary["status"], summary["matched"], summary["unmatched"]) == ("posted", 0, 3)
    assert PostingException.objects.filter(kind="unmatched_claim").count() == 3
    assert not LedgerEntry.objects.exclude(account="provider").exists()


def test_reversal_and_correction_in_one_file_net_to_the_correction_r2(world):
    # given: the original posting ($50 paid, CO-45 $75, PR-1 $25) at claim level
    world.claim("PCN900", ("L90", "90834", (), NOV1, 15000))
    original = [
        "CLP*PCN900*1*150.00*50.00*25.00*12*PAYERCCN1*11*1",
        "CAS*CO*45*75.00",
        "CAS*PR*1*25.00",
    ]
    _post(world, era("50.00", "EFT0001", *original))
    # when: reversal + correction ($60 paid, PR $15)
    body = [s.replace("PCN100", "PCN900") for s in REVERSAL]
    outcome = _post(world, envelope(body).encode())
    # then
    assert outcome.summaries[0]["matched"] == 2
    claim = world.claims["PCN900"]
    assert sums(claim_id=claim.pk) == {"insurance": 0, "patient": 1500}
    paid = -sum(
        e.amount_cents
        for e in LedgerEntry.objects.filter(claim_id=claim.pk, kind__in=["insurance_payment", "reversal"])
    )
    assert paid == 6000
    assert EraClaim.objects.get(status_code="1", era__trace_number="EFT0001").reversed_by is not None


def test_reversal_weeks_later_reopens_the_claim_then_the_correction_posts_r2_p6(world):
    world.claim("PCN900", ("L90", "90834", (), NOV1, 15000))
    _post(
        world,
        era(
            "50.00",
            "EFT0001",
            "CLP*PCN900*1*150.00*50.00*25.00*12*C1*11*1",
            "CAS*CO*45*75.00",
            "CAS*PR*1*25.00",
        ),
    )
    claim = world.claims["PCN900"]
    # when: the reversal alone
    _post(
        world,
        era(
            "-50.00",
            "EFT0002",
            "CLP*PCN900*22*-150.00*-50.00*-25.00*12*C1*11*1",
            "CAS*CO*45*-75.00",
            "CAS*PR*1*-25.00",
        ),
    )
    # then: back to its pre-posting balance
    assert sums(claim_id=claim.pk) == {"insurance": 15000, "patient": 0}
    # when: the correction in a later file
    _post(
        world,
        era(
            "60.00",
            "EFT0003",
            "CLP*PCN900*1*150.00*60.00*15.00*12*C1B*11*1",
            "CAS*CO*45*75.00",
            "CAS*PR*1*15.00",
        ),
    )
    assert sums(claim_id=claim.pk) == {"insurance": 0, "patient": 1500}


def test_a_reversal_without_its_original_goes_to_exceptions_r2(world):
    outcome = _post(
        world, era("-50.00", "EFT0002", "CLP*PCN300*22*-150.00*-50.00*0*12*C1*11*1", "CAS*CO*45*-100.00")
    )
    assert outcome.summaries[0]["matched"] == 0
    assert PostingException.objects.get().kind == "reversal_orphan"
    assert not LedgerEntry.objects.exists()


def test_a_claim_level_reversal_of_a_line_level_posting_goes_to_exceptions_r2(world):
    _post(world, envelope(PAID).encode())
    outcome = _post(
        world,
        era(
            "-160.00",
            "EFT0009",
            "CLP*PCN100*22*-300.00*-160.00*-40.00*12*C1*11*1",
            "CAS*CO*45*-100.00",
            "CAS*PR*2*-40.00",
        ),
    )
    assert outcome.summaries[0]["matched"] == 0
    assert "only claim-level detail" in PostingException.objects.get().message


def test_a_takeback_larger_than_the_payment_posts_and_flags_the_variance_r12(world):
    world.claim("PCN900", ("L90", "90834", (), NOV1, 15000))
    _post(world, era("50.00", "EFT0001", "CLP*PCN900*1*150.00*50.00*0*12*C1*11*1", "CAS*CO*45*100.00"))
    _post(world, era("-50.37", "EFT0002", "CLP*PCN900*22*-150.00*-50.37*0*12*C1*11*1", "CAS*CO*45*-99.63"))
    reversal = EraClaim.objects.get(status_code="22")
    assert (reversal.state, reversal.variance_cents) == ("posted", 37)


def test_a_denial_later_paid_without_a_reversal_undoes_the_denial_r3(world):
    _post(world, envelope(DENIED).encode())
    claim = world.claims["PCN400"]
    _post(
        world,
        era(
            "150.00",
            "EFT0010",
            "CLP*PCN400*1*200.00*150.00*0*12*C4*11*1",
            "SVC*HC:90837*200.00*150.00**1",
            "DTM*472*20261104",
            "CAS*CO*45*50.00",
            "REF*6R*L9",
        ),
    )
    assert sums(claim_id=claim.pk) == {"insurance": 0, "denied": 0}


def test_a_second_payment_without_a_reversal_waits_in_exceptions(world):
    _post(world, envelope(PAID).encode())
    outcome = _post(
        world,
        era(
            "90.00",
            "EFT0011",
            "CLP*PCN200*1*150.00*90.00*0*12*C2*11*1",
            "SVC*HC:90837*150.00*90.00**1",
            "DTM*472*20261102",
            "CAS*CO*45*60.00",
        ),
    )
    assert outcome.summaries[0]["matched"] == 0
    assert PostingException.objects.get().kind == "already_paid"
    assert sums(claim_id=world.claims["PCN200"].pk)["insurance"] == 0


def test_a_split_claim_posts_both_parts_to_one_claim_r13(world):
    claim = world.claims["PCN100"]
    outcome = _post(
        world,
        era(
            "160.00",
            "EFT0012",
            "CLP*PCN100*1*200.00*120.00*30.00*12*SPLIT1*11*1",
            "SVC*HC:90837:95*200.00*120.00**1",
            "DTM*472*20261101",
            "CAS*CO*45*50.00",
            "CAS*PR*2*30.00",
            "REF*6R*L1",
            "CLP*PCN100*1*100.00*40.00*10.00*12*SPLIT2*11*1",
            "SVC*HC:90785*100.00*40.00**1",
            "DTM*472*20261101",
            "CAS*CO*45*50.00",
            "CAS*PR*2*10.00",
            "REF*6R*L2",
        ),
    )
    assert outcome.summaries[0]["matched"] == 2
    assert sums(claim_id=claim.pk) == {"insurance": 0, "patient": 4000}
    assert LedgerEntry.objects.filter(claim_id=claim.pk, kind="charge").count() == 2


def test_a_dropped_modifier_still_matches_and_twin_lines_are_never_pooled_r6(world):
    world.claim("PCN700", ("L70", "90837", ("95",), NOV2, 15000))
    world.claim("PCN800", ("L80", "90832", (), NOV2, 8000), ("L81", "90832", (), NOV2, 8000))
    outcome = _post(
        world,
        era(
            "200.00",
            "EFT0013",
            "CLP*PCN700*1*150.00*100.00*0*12*C7*11*1",
            "SVC*HC:90837*150.00*100.00**1",
            "DTM*472*20261102",
            "CAS*CO*45*50.00",
            "CLP*PCN800*1*160.00*100.00*0*12*C8*11*1",
            "SVC*HC:90832*80.00*50.00**1",
            "DTM*472*20261102",
            "CAS*CO*45*30.00",
            "SVC*HC:90832*80.00*50.00**1",
            "DTM*472*20261102",
            "CAS*CO*45*30.00",
        ),
    )
    assert outcome.summaries[0]["matched"] == 1
    line = EraLine.objects.get(claim_line_id=world.lines["L70"].pk)
    assert "modifiers differ (billed 95, returned none)" in line.match_reason
    assert set(PostingException.objects.values_list("kind", flat=True)) == {"ambiguous_line"}
    assert not LedgerEntry.objects.filter(claim_id=world.claims["PCN800"].pk).exists()


def test_an_unknown_carc_posts_and_is_stored_raw_r5(world):
    world.claim("PCN700", ("L70", "90837", (), NOV2, 15000))
    _post(
        world,
        era(
            "100.00",
            "EFT0014",
            "CLP*PCN700*1*150.00*100.00*0*12*C7*11*1",
            "SVC*HC:90837*150.00*100.00**1",
            "DTM*472*20261102",
            "CAS*OA*Z99*50.00",
        ),
    )
    entry = LedgerEntry.objects.get(reason_code="Z99")
    assert (entry.group, entry.amount_cents, entry.kind) == ("OA", -5000, "other_adjustment")


def test_an_underpayment_is_flagged_with_the_difference(world):
    world.contract("90837", 13000)
    world.claim("PCN700", ("L70", "90837", (), NOV2, 15000))
    _post(
        world,
        era(
            "100.00",
            "EFT0015",
            "CLP*PCN700*1*150.00*100.00*10.00*12*C7*11*1",
            "SVC*HC:90837*150.00*100.00**1",
            "DTM*472*20261102",
            "CAS*CO*45*40.00",
            "CAS*PR*2*10.00",
        ),
    )
    under = Underpayment.objects.get()
    assert (under.expected_cents, under.paid_cents, under.difference_cents) == (12000, 10000, 2000)


def test_posting_hands_adjudications_to_the_outbox_and_skips_denials_until_installed(world):
    outcome = _post(world, envelope(PAID).encode())
    jobs = list(BackgroundJob.objects.values_list("task_name", "kwargs"))
    assert jobs == [("remittance.tasks.era_adjudications_record", {"era_file_id": outcome.era_ids[0]})]


def test_patient_balance_keeps_insurance_pending_apart_from_patient_due_p1(world):
    # given a claim not adjudicated yet and one with PR
    world.claim("PCN500", ("L50", "90837", (), NOV1, 15000))
    _post(world, envelope(PAID).encode())
    balances = patient_balances(practice_id=world.practice.pk, patient_id=world.patient.pk)
    # PCN500 has no ERA: nothing posted yet, nothing due from the patient for it
    assert balances.patient_cents == 3000 + 1000 + 12000
    assert balances.insurance_cents == 0


def test_posting_queries_do_not_grow_with_claims(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        _post(world, envelope(PAID).encode())


def test_the_adjudication_job_moves_the_claims_with_their_lines(world):
    from claims.models import ClaimAdjudication
    from remittance.services.adjudication import era_adjudications_record

    outcome = _post(world, envelope(PAID).encode())
    assert era_adjudications_record(era_file_id=outcome.era_ids[0]) == 3
    assert era_adjudications_record(era_file_id=outcome.era_ids[0]) == 3  # idempotent
    assert ClaimAdjudication.objects.count() == 3
    world.claims["PCN100"].refresh_from_db()
    assert world.claims["PCN100"].status == "paid"
    row = ClaimAdjudication.objects.get(claim=world.claims["PCN100"])
    assert (row.paid_cents, row.patient_responsibility_cents, row.lines.count()) == (16000, 4000, 2)


def test_an_inbound_835_from_the_clearinghouse_posts_once(world):
    import hashlib

    from django.utils import timezone

    from claims.models import InboundFile
    from remittance.tasks import era_post_inbound_file

    text = envelope(PAID)
    inbound = InboundFile.objects.create(
        practice=world.practice,
        kind="835",
        name="inbox/era1.835",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        received_at=timezone.now(),
    )
    assert era_post_inbound_file(inbound_file_id=inbound.pk) == "processed"
    assert era_post_inbound_file(inbound_file_id=inbound.pk) == "skipped"
    era_file = EraFile.objects.get()
    assert (era_file.source, era_file.inbound_file_id, era_file.status) == (
        "clearinghouse",
        inbound.pk,
        "posted",
    )
    inbound.refresh_from_db()
    assert inbound.status == "processed"
