"""Diagnosis pointers: at most 4 per line, at most 12 per claim, ranked order kept."""

from __future__ import annotations

from coding.domain.pointers import plan_diagnosis_pointers
from coding.domain.rules import code_day, code_session
from core.domain.service_types import ServiceType as S
from tests.coding.domain.helpers import problem_codes, session

DX = [f"F{n}.0" for n in range(10, 25)]  # 15 distinct codes


def test_one_session_points_at_its_first_four_diagnoses():
    # when
    plan = plan_diagnosis_pointers([DX[:6]])

    # then
    assert plan.claim_diagnoses == tuple(DX[:6])
    assert plan.pointers == ((1, 2, 3, 4),)
    assert plan.problems == ()


def test_a_claim_holds_twelve_diagnoses():
    # when
    plan = plan_diagnosis_pointers([DX])

    # then
    assert plan.claim_diagnoses == tuple(DX[:12])
    assert [(p.code, p.severity) for p in plan.problems] == [("too_many_diagnoses", "warning")]
    assert plan.problems[0].message == "A claim holds at most 12 diagnoses; left off: F22.0, F23.0, F24.0."


def test_sessions_share_the_claim_list_and_point_at_their_own_diagnoses():
    # given: session 1 ranks F32.1, F41.1; session 2 ranks F41.1, Z63.0
    plan = plan_diagnosis_pointers([["F32.1", "F41.1"], ["F41.1", "Z63.0"]])

    # then
    assert plan.claim_diagnoses == ("F32.1", "F41.1", "Z63.0")
    assert plan.pointers == ((1, 2), (2, 3))


def test_duplicates_in_one_list_count_once():
    plan = plan_diagnosis_pointers([["F32.1", "F32.1", "F41.1"]])
    assert plan.claim_diagnoses == ("F32.1", "F41.1")
    assert plan.pointers == ((1, 2),)


def test_a_diagnosis_left_off_the_claim_is_not_pointed_at():
    # given: the second session's only diagnosis is the 13th distinct one
    plan = plan_diagnosis_pointers([DX[:12], [DX[12]]])

    # then
    assert plan.pointers == ((1, 2, 3, 4), ())


def test_coding_result_carries_pointers_and_the_claim_list():
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, diagnoses=tuple(DX[:5])))

    # then
    assert result.diagnoses == tuple(DX[:5])
    assert [line.diagnosis_pointers for line in result.lines] == [(1, 2, 3, 4)]


def test_no_diagnoses_leaves_pointers_empty_without_a_problem():
    # when: checking diagnoses is the scrubber's job
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45))

    # then
    assert result.diagnoses == ()
    assert [line.diagnosis_pointers for line in result.lines] == [()]
    assert result.problems == ()


def test_day_with_many_diagnoses_warns_once():
    # when
    result = code_day(
        [
            session(S.GROUP_PSYCHOTHERAPY, 60, diagnoses=tuple(DX[:8])),
            session(S.SKILLS_TRAINING, 30, diagnoses=tuple(DX[8:])),
        ]
    )

    # then
    assert [line.diagnosis_pointers for line in result.lines] == [(1, 2, 3, 4), (9, 10, 11, 12)]
    assert problem_codes(result) == [("too_many_diagnoses", "warning")]
