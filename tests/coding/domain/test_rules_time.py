"""Session facts -> charge lines: time bands, crisis, family, untimed and timed-unit services."""

from __future__ import annotations

import pytest

from coding.domain.payer_defaults import payer_kind_coding_rules
from coding.domain.rules import code_day, code_session
from coding.domain.types import PayerCodingRules, UnitRule
from core.domain.service_types import ServiceType as S
from tests.coding.domain.helpers import lines, problem_codes, session

CMS = PayerCodingRules(label="CMS test", unit_rule=UnitRule.CMS_8_MINUTE)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (15, []),
        (16, [("90832", 1)]),
        (37, [("90832", 1)]),
        (38, [("90834", 1)]),
        (52, [("90834", 1)]),
        (53, [("90837", 1)]),
        (90, [("90837", 1)]),
    ],
)
def test_individual_psychotherapy_time_bands(minutes, expected):
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, minutes))

    # then
    assert lines(result) == expected


def test_psychotherapy_under_16_minutes_is_not_billable():
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 15))

    # then
    assert result.lines == ()
    assert problem_codes(result) == [("time_below_minimum", "error")]
    assert result.problems[0].message == (
        "15 minutes of psychotherapy is under the 16 minutes a psychotherapy code needs; "
        "no psychotherapy code is billable."
    )


@pytest.mark.parametrize(
    ("minutes", "add_on"), [(16, "90833"), (37, "90833"), (38, "90836"), (52, "90836"), (53, "90838")]
)
def test_psychotherapy_with_em_uses_the_add_on_after_the_em(minutes, add_on):
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, minutes, em_code="99213"))

    # then
    assert lines(result) == [("99213", 1), (add_on, 1)]
    assert result.problems == ()
    assert [line.add_on for line in result.lines] == [False, True]


def test_with_em_flag_on_plain_psychotherapy_also_uses_the_add_on():
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, with_em=True, em_code="99214"))

    # then
    assert lines(result) == [("99214", 1), ("90836", 1)]


def test_psychotherapy_under_16_minutes_with_em_reports_only_the_em():
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, 12, em_code="99213"))

    # then
    assert lines(result) == [("99213", 1)]
    assert problem_codes(result) == [("time_below_minimum", "warning")]


def test_add_on_without_an_em_code_is_an_error():
    # when: the note says an E/M was done but not which
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, 45))

    # then
    assert lines(result) == [("90836", 1)]
    assert problem_codes(result) == [("add_on_without_primary", "error")]
    assert (
        result.problems[0].message
        == "+90836 is an add-on: it needs an E/M code (99202-99215) on the same date."
    )


def test_unknown_em_code_is_an_error_and_not_billed():
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, 45, em_code="99999"))

    # then
    assert lines(result) == [("90836", 1)]
    assert problem_codes(result) == [("em_code_unknown", "error"), ("add_on_without_primary", "error")]


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (15, []),
        (16, [("90832", 1)]),
        (29, [("90832", 1)]),
        (30, [("90839", 1)]),
        (74, [("90839", 1)]),
        (75, [("90839", 1), ("90840", 1)]),
        (104, [("90839", 1), ("90840", 1)]),
        (105, [("90839", 1), ("90840", 2)]),
        (134, [("90839", 1), ("90840", 2)]),
        (135, [("90839", 1), ("90840", 3)]),
    ],
)
def test_crisis_psychotherapy_units(minutes, expected):
    # when
    result = code_session(session(S.CRISIS_PSYCHOTHERAPY, minutes))

    # then
    assert lines(result) == expected


def test_crisis_under_30_minutes_with_em_is_the_psychotherapy_add_on():
    # when: AAPC's 24-minute crisis, with an E/M
    result = code_session(session(S.CRISIS_PSYCHOTHERAPY, 24, with_em=True, em_code="99214"))

    # then
    assert lines(result) == [("99214", 1), ("90833", 1)]
    assert result.problems == ()


def test_crisis_minutes_add_up_over_the_date_and_90839_is_billed_once():
    # given: two crisis sessions on one date, 40 and 45 minutes
    sessions = [session(S.CRISIS_PSYCHOTHERAPY, 40), session(S.CRISIS_PSYCHOTHERAPY, 45)]

    # when
    result = code_day(sessions)

    # then: 85 crisis minutes -> 90839 + 90840
    assert lines(result) == [("90839", 1), ("90840", 1)]
    assert "Crisis time on the date adds up over 2 sessions: 85 minutes." in result.why


def test_crisis_minutes_count_only_the_crisis_part_of_a_session():
    # when: a 90-minute session, 50 minutes of it in crisis
    result = code_session(session(S.CRISIS_PSYCHOTHERAPY, 90, crisis_minutes=50))

    # then
    assert lines(result) == [("90839", 1)]


def test_crisis_with_an_em_warns_that_the_pairing_is_unconfirmed_and_adds_25():
    # when
    result = code_session(session(S.CRISIS_PSYCHOTHERAPY, 60, with_em=True, em_code="99214"))

    # then
    assert [(line.code, line.modifiers) for line in result.lines] == [("99214", ("25",)), ("90839", ())]
    assert problem_codes(result) == [("em_with_crisis_unconfirmed", "warning")]


@pytest.mark.parametrize(
    ("service", "minutes", "expected"),
    [
        (S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, 25, []),
        (S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, 26, [("90847", 1)]),
        (S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, 25, []),
        (S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, 26, [("90846", 1)]),
        (S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, 80, [("90846", 1)]),
    ],
)
def test_family_psychotherapy_needs_26_minutes(service, minutes, expected):
    # when
    result = code_session(session(service, minutes))

    # then
    assert lines(result) == expected
    assert problem_codes(result) == ([] if expected else [("time_below_minimum", "error")])


@pytest.mark.parametrize(
    ("service", "present", "code", "problems"),
    [
        (S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, True, "90847", []),
        (S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, False, "90846", []),
        (S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, False, "90846", [("patient_presence_conflict", "warning")]),
        (S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, True, "90847", [("patient_presence_conflict", "warning")]),
    ],
)
def test_patient_presence_decides_the_family_code(service, present, code, problems):
    # when
    result = code_session(session(service, 50, patient_present=present))

    # then
    assert lines(result) == [(code, 1)]
    assert problem_codes(result) == problems


@pytest.mark.parametrize("minutes", [1, 45, 120])
def test_group_psychotherapy_is_untimed_one_unit(minutes):
    assert lines(code_session(session(S.GROUP_PSYCHOTHERAPY, minutes))) == [("90853", 1)]


def test_no_time_documented_bills_nothing():
    # when
    result = code_session(session(S.GROUP_PSYCHOTHERAPY, 0))

    # then
    assert result.lines == ()
    assert problem_codes(result) == [("no_time_documented", "error")]


@pytest.mark.parametrize(
    ("credential", "code"),
    [("", "90791"), ("LCSW", "90791"), ("PhD/PsyD", "90791"), ("MD/DO", "90792"), ("PMHNP", "90792")],
)
def test_diagnostic_evaluation_90792_only_for_prescribers(credential, code):
    # when
    result = code_session(session(S.DIAGNOSTIC_EVALUATION, 70, rendering_credential=credential))

    # then
    assert lines(result) == [(code, 1)]


@pytest.mark.parametrize(
    ("service", "code"),
    [
        (S.MH_ASSESSMENT_NONPHYSICIAN, "H0031"),
        (S.SERVICE_PLAN_DEVELOPMENT, "H0032"),
    ],
)
def test_untimed_hcpcs_services(service, code):
    assert lines(code_session(session(service, 40))) == [(code, 1)]


@pytest.mark.parametrize(
    ("service", "code"),
    [
        (S.ABA_ASSESSMENT, "97151"),
        (S.ABA_TECHNICIAN_TREATMENT, "97153"),
        (S.ABA_PROTOCOL_MODIFICATION, "97155"),
        (S.ABA_FAMILY_GUIDANCE, "97156"),
        (S.BEHAVIORAL_HEALTH_COUNSELING, "H0004"),
        (S.THERAPEUTIC_BEHAVIORAL_SERVICES, "H2019"),
        (S.SKILLS_TRAINING, "H2014"),
        (S.PSYCHOSOCIAL_REHABILITATION, "H2017"),
        (S.CASE_MANAGEMENT, "T1016"),
        (S.PEER_SUPPORT, "H0038"),
        (S.CRISIS_INTERVENTION_SERVICE, "H2011"),
    ],
)
@pytest.mark.parametrize(("minutes", "units"), [(7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (120, 8)])
@pytest.mark.parametrize("rules", [None, CMS], ids=["cpt", "cms"])
def test_15_minute_codes_units_under_both_rules_for_one_code(service, code, minutes, units, rules):
    # when: one code alone on the date, the two rules agree
    result = code_session(session(service, minutes), rules)

    # then
    assert lines(result) == ([(code, units)] if units else [])
    assert problem_codes(result) == ([] if units else [("time_below_minimum", "error")])


def test_aba_assessment_by_a_technician_is_97152():
    # when
    result = code_session(session(S.ABA_ASSESSMENT, 60, rendering_credential="RBT"))

    # then
    assert lines(result) == [("97152", 4)]


def test_domain_example_7_plus_7_minutes_cpt_bills_nothing():
    # given: 7 minutes each of two 15-minute codes on one date
    sessions = [session(S.SKILLS_TRAINING, 7), session(S.PSYCHOSOCIAL_REHABILITATION, 7)]

    # when
    result = code_day(sessions)

    # then
    assert result.lines == ()
    assert problem_codes(result) == [("time_below_minimum", "error"), ("time_below_minimum", "error")]


def test_domain_example_7_plus_7_minutes_cms_bills_one_unit():
    # given
    sessions = [session(S.SKILLS_TRAINING, 7), session(S.PSYCHOSOCIAL_REHABILITATION, 7)]

    # when
    result = code_day(sessions, CMS)

    # then: 14 minutes on the date -> 1 unit, to the first of the tie
    assert lines(result) == [("H2014", 1)]
    assert result.problems == ()
    assert (
        "H2017: its 7 minutes counted toward the day's total but earned no unit of its own under the CMS rule."
        in (result.why)
    )


@pytest.mark.parametrize(
    ("rules", "expected"),
    [(None, [("H2014", 2)]), (CMS, [("H2014", 2), ("H2017", 1)])],
    ids=["cpt", "cms"],
)
def test_cms_example_33_plus_7_minutes(rules, expected):
    # given
    sessions = [session(S.SKILLS_TRAINING, 33), session(S.PSYCHOSOCIAL_REHABILITATION, 7)]

    # when
    result = code_day(sessions, rules)

    # then
    assert lines(result) == expected


def test_same_code_twice_on_a_date_counts_its_minutes_together_under_cpt():
    # given: two 10-minute skills sessions (each alone would be 1 unit)
    sessions = [session(S.SKILLS_TRAINING, 10), session(S.SKILLS_TRAINING, 10)]

    # when
    result = code_day(sessions)

    # then: 20 minutes of H2014 on the date -> 1 unit, on the first line
    assert lines(result) == [("H2014", 1)]


def test_segments_add_up():
    # when: 20 + 25 minutes of psychotherapy
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, (20, 25)))

    # then
    assert lines(result) == [("90834", 1)]


@pytest.mark.parametrize(
    ("facts_kwargs", "code"),
    [
        ({"segment_minutes": (30, -5)}, "invalid_minutes"),
        ({"crisis_minutes": -1}, "invalid_minutes"),
        ({"crisis_minutes": 99}, "invalid_minutes"),
    ],
)
def test_bad_minutes_give_no_lines(facts_kwargs, code):
    # when
    result = code_session(session(S.CRISIS_PSYCHOTHERAPY, 30, **facts_kwargs))

    # then
    assert result.lines == ()
    assert problem_codes(result) == [(code, "error")]


def test_sessions_on_different_dates_are_refused():
    # given
    from datetime import date

    sessions = [
        session(S.SKILLS_TRAINING, 30),
        session(S.SKILLS_TRAINING, 30, date_of_service=date(2026, 11, 3)),
    ]

    # when
    result = code_day(sessions)

    # then
    assert result.lines == ()
    assert problem_codes(result) == [("mixed_dates", "error")]


def test_no_sessions():
    assert problem_codes(code_day([])) == [("no_sessions", "error")]


def test_medicaid_defaults_do_not_change_the_time_bands():
    # when
    result = code_session(
        session(S.INDIVIDUAL_PSYCHOTHERAPY, 53, rendering_credential="LPC"),
        payer_kind_coding_rules("medicaid"),
    )

    # then
    assert lines(result) == [("90837", 1)]
