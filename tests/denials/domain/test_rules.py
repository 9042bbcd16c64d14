"""The pure denial rules, table-driven: classification (D1, D4, R5), the denial amount (R14,
D8: PR excluded), actions (D5, D6, R4), deadlines and reminders (D7), parity (MHPAEA),
cost-benefit, repeat patterns (D8) and enrollment gaps (D3), the appeal letter's evidence (D2)."""

from __future__ import annotations

import datetime as dt

import pytest

from denials.domain.classify import Adjustment, classify, denial_from_adjustments, is_mh_sud_service
from denials.domain.cost import cost_benefit
from denials.domain.deadlines import appeal_deadline, days_left, days_left_label, reminder_due
from denials.domain.letters import PARITY_ARGUMENT, EvidenceFacts, NoteEvidence, argument, evidence_list
from denials.domain.patterns import DenialPoint, enrollment_gaps, repeat_patterns
from denials.domain.table import denial_table
from denials.domain.workflow import (
    DenialFacts,
    Operation,
    Outcome,
    Source,
    Status,
    allowed_operations,
    operation_problems,
    outcome_problems,
    outcome_status,
    write_off_reason_problems,
)

TODAY = dt.date(2026, 12, 6)


# -- the table ---------------------------------------------------------------------------------


def test_every_code_names_a_known_category_and_action() -> None:
    table = denial_table()
    for code, rule in table.carcs.items():
        assert rule.category in table.categories, code
        assert rule.action in table.actions, code
        assert rule.label, code
        assert len(rule.label) < 80, code
    for refinement in table.refinements:
        assert refinement.carc in table.carcs
        assert refinement.category in table.categories
        assert refinement.action in table.actions
    for action in table.actions:
        assert action in table.cost_to_work_cents
    assert set(table.recovery_percent) == set(table.categories)


@pytest.mark.parametrize(
    ("group", "carc", "rarcs", "category", "action"),
    [
        ("CO", "197", (), "authorization", "obtain_retro_auth"),
        ("CO", "15", (), "authorization", "correct_and_resubmit"),
        ("CO", "29", (), "timely_filing", "appeal"),
        ("CO", "B7", (), "credentialing", "fix_enrollment"),
        ("CO", "4", (), "coding", "correct_and_resubmit"),
        ("CO", "16", (), "documentation", "correct_and_resubmit"),
        ("CO", "16", ("M62",), "authorization", "correct_and_resubmit"),
        ("CO", "16", ("N290",), "credentialing", "correct_and_resubmit"),
        ("CO", "18", (), "duplicate", "check_original"),
        ("CO", "22", (), "coordination_of_benefits", "bill_other_payer"),
        ("CO", "27", (), "eligibility", "verify_eligibility"),
        ("PR", "27", (), "eligibility", "transfer_to_patient"),
        ("CO", "50", (), "medical_necessity", "appeal"),
        ("CO", "96", (), "medical_necessity", "appeal"),
        ("PR", "96", (), "medical_necessity", "transfer_to_patient"),
        ("CO", "151", (), "documentation", "appeal"),
        ("CO", "45", (), "contractual", "write_off"),
        ("CO", "226", (), "documentation", "send_records"),
    ],
)
def test_classification_table(
    group: str, carc: str, rarcs: tuple[str, ...], category: str, action: str
) -> None:
    result = classify(group=group, carc=carc, rarcs=rarcs)
    assert (result.category, result.action) == (category, action)
    assert result.carc.known


def test_d4_the_denial_shows_group_carc_and_rarc_with_our_labels_and_its_kind() -> None:
    result = classify(group="CO", carc="16", rarcs=("N290",))
    assert result.group == "CO"
    assert result.carc.label == "Claim is missing information (see the remark code)"
    assert result.rarcs[0].code == "N290"
    assert "Rendering provider" in result.rarcs[0].label
    assert result.kind == "front_end"  # front-end fixable -> corrected claim
    assert classify(group="CO", carc="50").kind == "clinical"  # clinical -> appeal


def test_r5_an_unknown_code_is_classified_unknown_with_a_safe_default() -> None:
    result = classify(group="CO", carc="Z99", rarcs=("ZZ1",))
    assert result.category == "unknown"
    assert result.action == "look_up_code"
    assert not result.carc.known
    assert "Z99" in result.carc.label
    assert not result.rarcs[0].known
    assert "nothing happens on its own" in result.why


def test_d1_co197_with_an_auth_on_file_suggests_a_corrected_claim_not_an_appeal() -> None:
    without = classify(group="CO", carc="197")
    with_auth = classify(group="CO", carc="197", auth_on_file=True)
    assert without.action == "obtain_retro_auth"
    assert with_auth.action == "correct_and_resubmit"
    assert "REF*G1" in with_auth.why


def test_d5_a_rejection_is_never_offered_an_appeal() -> None:
    result = classify(group="CO", carc="50", rejected=True)
    assert not result.appeal_rights
    assert result.action == "correct_and_resubmit"
    facts = DenialFacts(status="open", group="CO", source=Source.REJECTION, appeal_rights=False)
    assert Operation.APPEAL not in allowed_operations(facts)
    assert "never reached the payer" in operation_problems(Operation.APPEAL, facts)[0]
    assert Operation.CORRECT_AND_RESUBMIT in allowed_operations(facts)


def test_d5_an_unprocessable_claim_ma130_is_not_appealed_either() -> None:
    result = classify(group="CO", carc="16", rarcs=("MA130",))
    assert not result.appeal_rights
    facts = DenialFacts(status="open", group="CO", appeal_rights=result.appeal_rights)
    assert Operation.APPEAL not in allowed_operations(facts)


def test_d5_an_adjudicated_denial_offers_correction_and_appeal() -> None:
    ops = allowed_operations(DenialFacts(status="open", group="CO"))
    assert Operation.APPEAL in ops
    assert Operation.CORRECT_AND_RESUBMIT in ops


@pytest.mark.parametrize(
    ("group", "allowed"), [("CO", False), ("OA", False), ("PI", False), ("CR", False), ("PR", True)]
)
def test_d6_only_pr_amounts_move_to_the_patient(group: str, allowed: bool) -> None:
    facts = DenialFacts(status="open", group=group)
    assert (Operation.TRANSFER_TO_PATIENT in allowed_operations(facts)) is allowed
    if group == "CO":
        assert "never billed to the patient" in operation_problems(Operation.TRANSFER_TO_PATIENT, facts)[0]


def test_d6_the_table_never_recommends_moving_a_co_amount_to_the_patient() -> None:
    for code in denial_table().carcs:
        assert classify(group="CO", carc=code).action != "transfer_to_patient", code


@pytest.mark.parametrize("reason", ["", "   ", "too short"])
def test_r4_write_off_needs_a_reason(reason: str) -> None:
    assert write_off_reason_problems(reason)


def test_r4_no_rule_recommends_writing_off_a_denial_on_its_own() -> None:
    # Only contractual reductions carry the write_off recommendation, and it stays a recommendation:
    # the workflow has no transition to written_off but the person's write_off operation.
    table = denial_table()
    assert {c for c, r in table.carcs.items() if r.action == "write_off"} == {"45", "253"}
    assert not write_off_reason_problems("Below the cost of an appeal; agreed with the manager")


@pytest.mark.parametrize(
    ("status", "operations"),
    [
        ("open", {"correct_and_resubmit", "appeal", "write_off", "resolve"}),
        ("in_appeal", set()),
        ("resubmitted", {"write_off", "resolve"}),
        ("written_off", set()),
        ("transferred", set()),
        ("resolved", set()),
    ],
)
def test_operations_by_status(status: str, operations: set[str]) -> None:
    assert {op.value for op in allowed_operations(DenialFacts(status=status, group="CO"))} == operations


def test_closed_denials_say_why() -> None:
    problems = operation_problems(Operation.WRITE_OFF, DenialFacts(status="written_off", group="CO"))
    assert problems == ["This denial is closed (written off)."]


@pytest.mark.parametrize(
    ("outcome", "recovered", "denied", "ok", "status"),
    [
        (Outcome.WON, 10000, 10000, True, Status.RESOLVED),
        (Outcome.PARTIALLY_WON, 4000, 10000, True, Status.OPEN),
        (Outcome.PARTIALLY_WON, 10000, 10000, False, Status.OPEN),
        (Outcome.LOST, 0, 10000, True, Status.OPEN),
        (Outcome.LOST, 100, 10000, False, Status.OPEN),
        (Outcome.WON, 20000, 10000, False, Status.RESOLVED),
        (Outcome.WON, -1, 10000, False, Status.RESOLVED),
        (Outcome.PENDING, 0, 10000, False, Status.IN_APPEAL),
    ],
)
def test_appeal_outcomes(outcome: Outcome, recovered: int, denied: int, ok: bool, status: Status) -> None:
    assert (not outcome_problems(outcome, recovered_cents=recovered, denied_cents=denied)) is ok
    assert outcome_status(outcome) is status


# -- deadlines and reminders (D7) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("era", "window", "deadline", "left", "label"),
    [
        (dt.date(2026, 11, 1), 60, dt.date(2026, 12, 31), 25, "25 days left"),
        (dt.date(2026, 8, 8), 120, dt.date(2026, 12, 6), 0, "due today"),
        (dt.date(2026, 8, 8), 121, dt.date(2026, 12, 7), 1, "1 day left"),
        (dt.date(2026, 6, 1), 180, dt.date(2026, 11, 28), -8, "8 days overdue"),
    ],
)
def test_d7_the_deadline_is_the_era_date_plus_the_payers_window(
    era: dt.date, window: int, deadline: dt.date, left: int, label: str
) -> None:
    assert appeal_deadline(era, window) == deadline
    assert days_left(deadline, TODAY) == left
    assert days_left_label(left) == label


@pytest.mark.parametrize(
    ("left", "sent", "due"),
    [
        (30, frozenset(), None),
        (14, frozenset(), 14),
        (10, frozenset({14}), None),
        (5, frozenset(), 7),  # the tightest reached, not a late 14-day reminder too
        (5, frozenset({14}), 7),
        (5, frozenset({14, 7}), None),
        (2, frozenset({14, 7}), 2),
        (0, frozenset({14, 7}), 2),
        (0, frozenset({14, 7, 2}), None),
        (-1, frozenset(), None),
    ],
)
def test_reminders_once_per_threshold(left: int, sent: frozenset[int], due: int | None) -> None:
    assert reminder_due(left, sent=sent, thresholds=denial_table().reminder_days) == due


# -- parity (MHPAEA) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("carc", "code", "diagnoses", "candidate"),
    [
        ("119", "90837", (), True),
        ("119", "H0004", (), True),
        ("119", "97153", (), True),
        ("119", "99213", ("F32.1",), True),  # an E/M visit for depression
        ("119", "99213", ("E11.9",), False),
        ("50", "90837", (), False),
        ("119", "97110", (), False),
    ],
)
def test_parity_candidate_is_carc_119_on_a_mh_sud_service(
    carc: str, code: str, diagnoses: tuple[str, ...], candidate: bool
) -> None:
    result = classify(group="CO", carc=carc, service_code=code, diagnoses=diagnoses)
    assert result.parity_candidate is candidate
    if candidate:
        assert "MHPAEA" in result.why


def test_parity_letter_has_placeholders_for_the_comparison() -> None:
    text = " ".join(argument("medical_necessity", parity=True))
    assert text == " ".join(PARITY_ARGUMENT)
    assert "comparative analysis" in text
    assert "[Add here" in text
    assert argument("medical_necessity", parity=False) != PARITY_ARGUMENT
    assert is_mh_sud_service("0373T")


# -- which lines are denials, and for how much -------------------------------------------------


@pytest.mark.parametrize(
    ("adjustments", "paid", "expected"),
    [
        # R14: the deductible leaves paid $0 but is the patient's share, not a denial
        ((Adjustment("PR", "1", 15000),), 0, None),
        ((Adjustment("CO", "45", 3000), Adjustment("PR", "2", 2000)), 10000, None),
        ((Adjustment("CO", "197", 15000),), 0, ("CO", "197", ("CO-197",), 15000)),
        (
            (Adjustment("CO", "45", 3000), Adjustment("CO", "151", 5000)),
            7000,
            ("CO", "151", ("CO-151",), 5000),
        ),
        (
            (Adjustment("OA", "23", 1000), Adjustment("CO", "16", 9000)),
            0,
            ("CO", "16", ("CO-16", "OA-23"), 10000),
        ),
        ((Adjustment("PR", "96", 12000),), 0, ("PR", "96", ("PR-96",), 12000)),
        # adjusted to zero by a contractual code alone: a human looks
        ((Adjustment("CO", "45", 12000),), 0, ("CO", "45", ("CO-45",), 12000)),
        ((Adjustment("CO", "197", -15000),), 0, None),  # a reversal's negative amounts
    ],
)
def test_which_lines_are_denials(
    adjustments: tuple[Adjustment, ...], paid: int, expected: tuple[str, str, tuple[str, ...], int] | None
) -> None:
    draft = denial_from_adjustments(adjustments, paid_cents=paid)
    if expected is None:
        assert draft is None
    else:
        assert draft is not None
        assert (draft.group, draft.carc, draft.carcs, draft.cents) == expected


# -- cost-benefit ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "category", "action", "low"),
    [
        (2500, "medical_necessity", "appeal", True),  # ~$11 back for $45 of work
        (50000, "medical_necessity", "appeal", False),
        (1500, "coding", "correct_and_resubmit", True),
        (3000, "coding", "correct_and_resubmit", False),
        (100000, "contractual", "write_off", False),
    ],
)
def test_cost_benefit_hint(cents: int, category: str, action: str, low: bool) -> None:
    result = cost_benefit(cents=cents, category=category, action=action)
    assert result.low_value is low
    assert ("Low value" in result.hint) is low


def test_cost_benefit_is_integer_cents_rounded_half_up() -> None:
    assert (
        cost_benefit(cents=1001, category="coding", action="correct_and_resubmit").expected_recovery_cents
        == 801
    )


# -- patterns (D8, D3) -------------------------------------------------------------------------


def _point(
    day: int, *, payer: int = 1, group: str = "CO", carc: str = "197", provider: int = 7
) -> DenialPoint:
    category = classify(group=group, carc=carc).category
    return DenialPoint(
        payer,
        f"Payer {payer}",
        group,
        carc,
        category,
        provider,
        f"Provider {provider}",
        TODAY - dt.timedelta(days=day),
        10000,
    )


def test_d8_three_same_payer_code_category_in_30_days_is_a_pattern() -> None:
    points = [_point(1), _point(10), _point(29), _point(3, payer=2), _point(40)]
    found = repeat_patterns(points, today=TODAY)
    assert [(p.payer_id, p.code, p.count, p.cents) for p in found] == [(1, "CO-197", 3, 30000)]
    assert "fix the cause" in found[0].message


def test_d8_two_in_the_window_and_pr_lines_are_not_patterns() -> None:
    points = [_point(1), _point(2), _point(31), *(_point(d, group="PR", carc="96") for d in (1, 2, 3))]
    assert repeat_patterns(points, today=TODAY) == []


def test_d8_patterns_are_ordered_by_dollars() -> None:
    small = [_point(d, carc="4") for d in (1, 2, 3)]
    big = [_point(d, carc="50") for d in (1, 2, 3, 4)]
    assert [p.code for p in repeat_patterns(small + big, today=TODAY)] == ["CO-50", "CO-4"]


def test_d3_b7_denials_cluster_by_provider_and_payer() -> None:
    points = [_point(d, carc="B7") for d in (1, 5, 9)] + [_point(2, carc="B7", provider=8)]
    gaps = enrollment_gaps(points, today=TODAY)
    assert [(g.provider_id, g.payer_id, g.count) for g in gaps] == [(7, 1, 3)]
    assert gaps[0].message.startswith("Probable enrollment gap")


# -- the appeal packet (D2, D7) ------------------------------------------------------------------


def test_evidence_lists_what_exists_and_flags_what_the_argument_needs() -> None:
    facts = EvidenceFacts(
        notes=(NoteEvidence(dt.date(2026, 11, 2), "90837 with Dana Reyes, LPC", 1),),
        treatment_plan="Signed Mon 12 Jan 2026",
    )
    items = evidence_list("authorization", facts)
    assert [(i.label, i.present) for i in items] == [
        ("Session note", True),
        ("Prior authorization", False),
        ("Treatment plan", True),
    ]
    assert "1 addendum" in items[0].detail


def test_d2_a_timely_filing_appeal_encloses_the_277ca_acceptance() -> None:
    items = evidence_list(
        "timely_filing", EvidenceFacts(acknowledgement="Accepted on Wed 4 Nov 2026 (277CA)")
    )
    assert [(i.label, i.present) for i in items] == [("Proof of timely filing", True)]
    missing = evidence_list("timely_filing", EvidenceFacts())
    assert [(i.label, i.present) for i in missing] == [("Proof of timely filing", False)]
