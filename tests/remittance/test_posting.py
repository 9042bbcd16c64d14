"""The pure posting plan: matching (with reasons), ledger entries in cents, denials,
underpayments, exceptions. Each pitfall of DOMAIN-rcm-pitfalls.md §4-5 that the pure layer owns
is named in its test."""

from __future__ import annotations

from datetime import date

import pytest

from edi.x835 import Payment835, parse_835
from remittance.domain import posting
from remittance.domain.codes import CATEGORIES, carc, rarc
from remittance.domain.posting import BilledClaim, BilledLine, plan_posting
from tests.edi.samples_835 import DENIED, PAID, REVERSAL, envelope, header

NOV1, NOV2, NOV3, NOV4 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)


def _tx(body: list[str]) -> Payment835:
    return parse_835(envelope(body)).transactions[0]


def _billed(contracted: int | None = None) -> list[BilledClaim]:
    return [
        BilledClaim(
            "C100",
            "PCN100",
            (
                BilledLine("B1", "L1", "90837", ("95",), NOV1, 20000, contracted),
                BilledLine("B2", "L2", "90785", (), NOV1, 10000),
            ),
        ),
        BilledClaim("C200", "PCN200", (BilledLine("B3", "", "90837", (), NOV2, 15000),)),
        BilledClaim("C300", "PCN300", (BilledLine("B4", "", "90791", (), NOV3, 12000),)),
        BilledClaim("C400", "PCN400", (BilledLine("B5", "L9", "90837", (), NOV4, 20000),)),
    ]


def _sums(plan: posting.PostingPlan, line_id: str | None = None) -> dict[str, int]:
    totals: dict[str, int] = {}
    for entry in plan.entries:
        if line_id is None or entry.line_id == line_id:
            totals[entry.kind] = totals.get(entry.kind, 0) + entry.cents
    return totals


def test_paid_file_matches_every_line_with_a_reason():
    plan = plan_posting(_tx(PAID), _billed())
    assert plan.balanced
    assert plan.exceptions == []
    reasons = {m.line_id: m.reason for m in plan.line_matches}
    assert reasons["B1"] == "line control number (REF*6R) L1"  # R7
    assert reasons["B3"].startswith("code 90837, modifiers, date and charge (the payer changed")  # SVC06
    assert reasons["B4"] == "code 90791, modifiers, date and charge"  # a claim without REF*6R


def test_ledger_entries_in_cents_and_the_per_line_invariant():  # R21
    plan = plan_posting(_tx(PAID), _billed())
    assert _sums(plan, "B1") == {
        "payment": 12000,
        "contractual_writeoff": 5000,
        "patient_responsibility": 3000,
    }
    for line_id, charge in {"B1": 20000, "B2": 10000, "B3": 15000, "B4": 12000}.items():
        assert sum(_sums(plan, line_id).values()) == charge


def test_entries_name_the_payer_and_the_trace():  # R20
    plan = plan_posting(_tx(PAID), _billed())
    assert {(e.payer_id, e.trace_number) for e in plan.entries} == {("SYNPAYER1", "EFT1001")}


def test_plb_interest_and_recoupment_post_at_provider_level():  # R10
    plan = plan_posting(_tx(PAID), _billed())
    plb = [
        (e.reason_code, e.reference, e.cents, e.claim_id)
        for e in plan.entries
        if e.kind == "provider_adjustment"
    ]
    assert plb == [("L6", "", 366, None), ("WO", "PCN999 20261001", -4000, None)]
    paid = sum(e.cents for e in plan.entries if e.kind == "payment")
    assert paid + sum(c for *_, c, _ in plb) == 21366  # the deposit, BPR02


def test_deductible_at_zero_paid_is_not_a_denial():  # R14
    plan = plan_posting(_tx(PAID), _billed())
    assert plan.denials == []
    assert _sums(plan, "B4") == {"patient_responsibility": 12000}


def test_co_197_denial_is_pending_not_written_off():  # R4, D1, D6
    plan = plan_posting(_tx(DENIED), _billed())
    kinds = _sums(plan, "B5")
    assert kinds == {"denial_pending": 20000}
    assert "contractual_writeoff" not in kinds
    assert "patient_responsibility" not in kinds
    (denial,) = plan.denials
    assert (denial.carcs, denial.rarcs, denial.cents, denial.category) == (
        ("CO-197",),
        ("M62",),
        20000,
        "authorization",
    )
    assert "corrected claim" in denial.action


def test_unmatched_claim_goes_to_the_exceptions_queue():  # R17
    plan = plan_posting(_tx(DENIED), _billed())
    assert [(e.kind, e.patient_control_number) for e in plan.exceptions] == [("unmatched_claim", "NOSUCH")]
    assert all(e.claim_id != "NOSUCH" for e in plan.entries)


def test_reversal_and_correction_net_to_the_corrected_amounts():  # R2 check 1
    billed = [BilledClaim("C100", "PCN100", ())]
    plan = plan_posting(_tx(REVERSAL), billed)
    totals = _sums(plan)
    assert totals == {
        "reversal": -5000,
        "contractual_writeoff": 0,
        "patient_responsibility": -1000,
        "payment": 6000,
    }
    assert all(e.reversal for e in plan.entries if e.cents < 0)
    assert plan.denials == []


def test_reversal_without_our_claim_is_not_force_posted():  # R2 check 3
    plan = plan_posting(_tx(REVERSAL), [])
    assert plan.entries == []
    assert {e.kind for e in plan.exceptions} == {"unmatched_claim"}


def test_split_claim_two_clps_post_to_one_claim():  # R13 check 1
    body = [
        *header("100.00", "EFT5"),
        "CLP*PCN100*1*200.00*60.00**12*CCN-A*11*1",
        "SVC*HC:90837:95*200.00*60.00**1",
        "DTM*472*20261101",
        "CAS*CO*45*140.00",
        "REF*6R*L1",
        "CLP*PCN100*1*100.00*40.00**12*CCN-B*11*1",
        "SVC*HC:90785*100.00*40.00**1",
        "DTM*472*20261101",
        "CAS*CO*45*60.00",
        "REF*6R*L2",
    ]
    plan = plan_posting(_tx(body), _billed())
    assert [m.claim_id for m in plan.claim_matches] == ["C100", "C100"]
    assert _sums(plan)["payment"] == 10000


def _one_line(svc: str, ref: str = "", charge: str = "200.00") -> list[str]:
    body = [
        *header("200.00", "EFT6"),
        f"CLP*PCN100*1*{charge}*{charge}**12*CCN*11*1",
        svc,
        "DTM*472*20261101",
    ]
    return body + ([ref] if ref else [])


@pytest.mark.parametrize(
    ("svc", "ref", "billed_lines", "expected"),
    [
        # R7: the control number wins over everything else
        (
            "SVC*HC:90837*200.00*200.00**1",
            "REF*6R*X2",
            [("A", "X1", "90837", ()), ("B", "X2", "90837", ())],
            ("B", "line control number (REF*6R) X2"),
        ),
        # R6: the payer dropped modifier 95
        (
            "SVC*HC:90837*200.00*200.00**1",
            "",
            [("A", "", "90837", ("95",))],
            ("A", "code 90837, date and charge; modifiers differ (billed 95, returned none)"),
        ),
        # exact modifiers preferred over a modifier-less twin
        (
            "SVC*HC:90837:95*200.00*200.00**1",
            "",
            [("A", "", "90837", ()), ("B", "", "90837", ("95",))],
            ("B", "code 90837, modifiers, date and charge"),
        ),
        # R6: the same code twice without 6R is ambiguous: never pooled
        (
            "SVC*HC:90837*200.00*200.00**1",
            "",
            [("A", "", "90837", ()), ("B", "", "90837", ())],
            (None, "ambiguous: several billed lines have this code, modifiers, date and charge"),
        ),
        (
            "SVC*HC:90837*200.00*200.00**1",
            "",
            [("A", "", "90837", ("95",)), ("B", "", "90837", ("HO",))],
            (None, "ambiguous: several billed lines have this code, date and charge"),
        ),
        # a different code, charge or date matches nothing
        (
            "SVC*HC:90834*200.00*200.00**1",
            "",
            [("A", "", "90837", ())],
            (None, "no billed line has this control number, code, date and charge"),
        ),
        # an unknown control number falls back to code/date/charge
        (
            "SVC*HC:90837*200.00*200.00**1",
            "REF*6R*ZZ",
            [("A", "X1", "90837", ())],
            ("A", "code 90837, modifiers, date and charge"),
        ),
    ],
)
def test_line_matching_table(svc, ref, billed_lines, expected):
    claim = _tx(_one_line(svc, ref)).claims[0]
    billed = BilledClaim(
        "C", "PCN100", tuple(BilledLine(i, cn, code, mods, NOV1, 20000) for i, cn, code, mods in billed_lines)
    )
    line, why = posting.match_line(claim, 0, billed, set())
    assert ((line.line_id if line else None), why) == expected


@pytest.mark.parametrize(
    ("charge_cents", "when", "matches"),
    [(20000, NOV1, True), (20001, NOV1, False), (19999, NOV1, False), (20000, NOV2, False)],
)
def test_fallback_needs_the_same_charge_and_date(charge_cents, when, matches):
    claim = _tx(_one_line("SVC*HC:90837*200.00*200.00**1")).claims[0]
    billed = BilledClaim("C", "PCN100", (BilledLine("A", "", "90837", (), when, charge_cents),))
    assert (posting.match_line(claim, 0, billed, set())[0] is not None) is matches


def test_ambiguous_line_holds_the_whole_claim():  # R6: never pooled, posted whole or not at all
    billed = [
        BilledClaim(
            "C",
            "PCN100",
            (BilledLine("A", "", "90837", (), NOV1, 20000), BilledLine("B", "", "90837", (), NOV1, 20000)),
        )
    ]
    plan = plan_posting(_tx(_one_line("SVC*HC:90837*200.00*200.00**1")), billed)
    assert plan.entries == []
    assert [e.kind for e in plan.exceptions] == ["ambiguous_line"]


def test_out_of_balance_claim_is_held_and_the_others_post():  # R8
    body = [s.replace("CLP*PCN200*1*150.00", "CLP*PCN200*1*155.00") for s in PAID]
    plan = plan_posting(_tx(body), _billed())
    held = [e for e in plan.exceptions if e.kind == "out_of_balance"]
    assert [(e.patient_control_number, e.message.split(" (")[0]) for e in held] == [
        ("PCN200", "out of balance: 5.00")
    ]
    assert {e.claim_id for e in plan.entries} == {"C100", "C300", None}


def test_allowed_amount_is_never_in_the_arithmetic():  # R8: AMT*B6 informational
    body = [s.replace("AMT*B6*150.00", "AMT*B6*999.00") for s in PAID]
    assert plan_posting(_tx(body), _billed()).entries == plan_posting(_tx(PAID), _billed()).entries


def test_claim_level_adjustment_stays_at_claim_level():  # R9 (RFI 1053)
    body = [
        *header("80.00", "EFT7"),
        "CLP*PCN100*1*300.00*80.00*5.00*12*CCN*11*1",
        "CAS*PR*2*5.00",
        "SVC*HC:90837:95*200.00*85.00**1",
        "CAS*CO*45*115.00",
        "REF*6R*L1",
        "SVC*HC:90785*100.00*0**1",
        "CAS*CO*45*100.00",
        "REF*6R*L2",
    ]
    # line payments (85) exceed CLP04 (80) by the claim-level PR: the claim balances
    plan = plan_posting(_tx(body), _billed())
    claim_level = [(e.kind, e.cents) for e in plan.entries if e.line_id is None and e.claim_id == "C100"]
    assert claim_level == [("patient_responsibility", 500)]


@pytest.mark.parametrize(("contracted", "flagged"), [(14999, None), (15000, None), (15001, 1), (16000, 1000)])
def test_underpayment_against_the_contracted_amount(contracted, flagged):
    # line B1: paid 120.00 with PR 30.00, so the payer owes contracted - 30.00
    plan = plan_posting(_tx(PAID), _billed(contracted))
    found = [u.difference_cents for u in plan.underpayments]
    assert found == ([] if flagged is None else [flagged])


@pytest.mark.parametrize(
    ("cas", "kind"),
    [
        ("CAS*CO*45*60.00", "contractual_writeoff"),
        ("CAS*CO*253*60.00", "contractual_writeoff"),
        ("CAS*CO*97*60.00", "denial_pending"),
        ("CAS*PR*3*60.00", "patient_responsibility"),
        ("CAS*OA*23*60.00", "other_adjustment"),
        ("CAS*PI*45*60.00", "payer_reduction"),
        ("CAS*CR*45*60.00", "correction"),
        ("CAS*CO*ZZ9*60.00", "denial_pending"),  # R5: an unknown code still posts
    ],
)
def test_adjustment_kinds_by_group_and_reason(cas, kind):  # D6: CO never reaches the patient
    body = [cas if s == "CAS*CO*45*60.00" else s for s in PAID]
    plan = plan_posting(_tx(body), _billed())
    assert [e.kind for e in plan.entries if e.line_id == "B3" and e.group] == [kind]


def test_unknown_codes_are_labelled_for_update():  # R5
    assert not carc("ZZ9").known
    assert "update the code list" in carc("ZZ9").label
    assert "update the code list" in rarc("Q999").label


def test_denial_with_claim_lacks_information_and_its_remark():  # D4
    body = [s.replace("CAS*CO*197*200.00", "CAS*CO*16*200.00") for s in DENIED]
    (denial,) = plan_posting(_tx(body), _billed()).denials
    assert (denial.carcs, denial.rarcs, denial.category) == (("CO-16",), ("M62",), "documentation")
    assert rarc("N290").known


def test_patient_share_is_not_counted_as_a_denial():  # D8
    body = [
        *header("0.00", "EFT8"),
        "CLP*PCN400*1*200.00*0*40.00*12*CCN*11*1",
        "SVC*HC:90837*200.00*0**1",
        "DTM*472*20261104",
        "CAS*CO*50*160.00",
        "CAS*PR*1*40.00",
        "REF*6R*L9",
    ]
    (denial,) = plan_posting(_tx(body), _billed()).denials
    assert (denial.carcs, denial.cents, denial.category) == (("CO-50",), 16000, "medical_necessity")


def test_every_table_entry_has_a_known_category_and_our_own_words():
    from remittance.domain.codes import _table

    table = _table()
    for code, entry in table["carc"].items():
        assert entry["category"] in CATEGORIES, code
        assert entry["label"], code
        assert entry["action"], code
    assert {"1", "2", "3", "45", "197", "29", "18", "22", "50", "119", "16", "252"} <= set(table["carc"])


@pytest.mark.parametrize(
    ("status", "extra", "crossover"),
    [("1", [], False), ("19", [], True), ("20", [], True), ("1", ["NM1*TT*2*SECOND PLAN*****PI*SEC1"], True)],
)
def test_crossover_claims_are_flagged(status, extra, crossover):  # R15
    body = [*header("300.00", "EFT9"), f"CLP*PCN100*{status}*300.00*300.00**12*CCN*11*1", *extra]
    plan = plan_posting(_tx(body), _billed())
    assert (plan.crossovers == ["C100"]) is crossover


def test_zero_check_with_a_forward_balance_balances():  # R11
    body = [
        *header("0.00", "EFT10"),
        "CLP*PCN100*1*300.00*50.00**12*CCN*11*1",
        "CAS*CO*45*250.00",
        "PLB*1234567893*20261231*FB:PCN100*50.00",
    ]
    tx = _tx(body)
    plan = plan_posting(tx, _billed())
    assert plan.balanced
    # the FB reference names our claim PCN100: the provider-level entry is linked to it
    assert [
        (e.kind, e.cents, e.reference, e.claim_id) for e in plan.entries if e.kind == "provider_adjustment"
    ] == [("provider_adjustment", -5000, "PCN100", "C100")]


def test_one_billed_line_returned_as_two_service_lines():  # R13 check 2
    body = [
        *header("200.00", "EFT11"),
        "CLP*PCN100*1*200.00*200.00**12*CCN*11*1",
        "SVC*HC:90837:95*100.00*100.00**1",
        "REF*6R*L1",
        "SVC*HC:90837:95*100.00*100.00**1",
        "REF*6R*L1",
    ]
    plan = plan_posting(_tx(body), _billed())
    assert [m.line_id for m in plan.line_matches] == ["B1", "B1"]
    assert _sums(plan, "B1") == {"payment": 20000}


def test_corrected_insured_is_kept_for_review():  # R16 (the proposal itself is the Django side's)
    assert _tx(PAID).claims[0].corrected_insured is not None


def test_adjustment_repeated_at_claim_and_line_level_is_held():  # R8 (RFI 358): never posted twice
    body = [*PAID[: PAID.index("CLP*PCN200*1*150.00*90.00*0*12*PAYERCCN2*11*1") + 1], "CAS*CO*45*60.00"]
    body += PAID[PAID.index("CLP*PCN200*1*150.00*90.00*0*12*PAYERCCN2*11*1") + 1 :]
    plan = plan_posting(_tx(body), _billed())
    assert [(e.kind, e.patient_control_number) for e in plan.exceptions] == [("out_of_balance", "PCN200")]
    assert all(e.claim_id != "C200" for e in plan.entries)
