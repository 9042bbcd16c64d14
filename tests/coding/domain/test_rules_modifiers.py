"""Modifiers, place of service and payer rules: practitioner level, telehealth, 59/X, 25, substitutions."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

import pytest

from coding.domain.payer_defaults import payer_kind_coding_rules
from coding.domain.rules import code_day, code_session
from coding.domain.types import (
    CodeSubstitution,
    DegreeLevel,
    PayerCodingRules,
    Telehealth,
    TelehealthPos,
)
from core.domain.service_types import ServiceType as S
from tests.coding.domain.helpers import full, line, problem_codes, session

MEDICAID = payer_kind_coding_rules("medicaid", name="State Medicaid")
MEDICARE = payer_kind_coding_rules("medicare", name="Medicare")
COMMERCIAL = payer_kind_coding_rules("commercial", name="Acme")
AV, AO = Telehealth.AUDIO_VIDEO, Telehealth.AUDIO_ONLY


@pytest.mark.parametrize(
    ("credential", "modifier"),
    [
        ("RBT", "HM"),
        ("BHT", "HM"),
        ("CPRS", "HM"),
        ("BCaBA", "HN"),
        ("CADC", "HN"),
        ("LPC", "HO"),
        ("LCSW", "HO"),
        ("LMFT", "HO"),
        ("BCBA", "HO"),
        ("PMHNP", "HO"),
        ("PhD/PsyD", "HP"),
        ("MD/DO", "HP"),
        ("BCBA-D", "HP"),
    ],
)
def test_practitioner_level_modifier_by_credential_when_the_payer_asks(credential, modifier):
    # when
    result = code_session(session(S.SKILLS_TRAINING, 30, rendering_credential=credential), MEDICAID)

    # then
    assert full(result) == [("H2014", 2, (modifier,), "11")]


def test_practitioner_level_follows_the_providers_own_degree_over_the_credential():
    # when: an RBT with a bachelor's degree
    result = code_session(
        session(S.SKILLS_TRAINING, 30, rendering_credential="RBT", rendering_degree=DegreeLevel.BACHELOR),
        MEDICAID,
    )

    # then
    assert full(result) == [("H2014", 2, ("HN",), "11")]


@pytest.mark.parametrize("rules", [None, COMMERCIAL, MEDICARE], ids=["cpt", "commercial", "medicare"])
def test_no_practitioner_level_modifier_unless_the_payer_asks(rules):
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, rendering_credential="LPC"), rules)

    # then
    assert full(result) == [("90834", 1, (), "11")]


def test_practitioner_level_unknown_without_credential():
    # when
    result = code_session(session(S.SKILLS_TRAINING, 30), MEDICAID)

    # then
    assert full(result) == [("H2014", 2, (), "11")]
    assert problem_codes(result) == [("practitioner_level_unknown", "error")]


def test_medicaid_bills_technicians_aba_as_hcpcs():
    # when: an RBT's 40 minutes of ABA treatment under Medicaid
    result = code_session(session(S.ABA_TECHNICIAN_TREATMENT, 40, rendering_credential="RBT"), MEDICAID)

    # then
    assert full(result) == [("H2019", 3, ("HM",), "11")]
    assert "State Medicaid (medicaid defaults): 97153 rendered by RBT is billed as H2019." in result.why


@pytest.mark.parametrize("rules", [None, COMMERCIAL], ids=["cpt", "commercial"])
def test_other_payers_keep_97153_for_technicians(rules):
    # when
    result = code_session(session(S.ABA_TECHNICIAN_TREATMENT, 40, rendering_credential="RBT"), rules)

    # then
    assert full(result) == [("97153", 3, (), "11")]


def test_substitution_is_only_for_the_named_credentials():
    # given: a BCBA rendering 97153 under Medicaid
    result = code_session(session(S.ABA_TECHNICIAN_TREATMENT, 40, rendering_credential="BCBA"), MEDICAID)

    # then
    assert full(result) == [("97153", 3, ("HO",), "11")]


@pytest.mark.parametrize(
    ("rules", "telehealth", "at_home", "expected"),
    [
        (
            None,
            AV,
            True,
            ("95",),
        ),
        (None, AO, True, ("93",)),
        (COMMERCIAL, AV, True, ("95",)),
        (COMMERCIAL, AV, False, ("95",)),
        (MEDICARE, AV, True, ()),
        (MEDICARE, AV, False, ()),
        (MEDICARE, AO, True, ("93",)),
        (MEDICAID, AV, True, ("HO", "95")),
        (MEDICAID, AO, False, ("HO", "93")),
    ],
)
def test_telehealth_modifiers_and_pos_by_payer(rules, telehealth, at_home, expected):
    # when
    facts = session(
        S.INDIVIDUAL_PSYCHOTHERAPY,
        45,
        rendering_credential="LPC",
        telehealth=telehealth,
        patient_at_home=at_home,
    )
    result = code_session(facts, rules)

    # then
    assert full(result) == [("90834", 1, expected, "10" if at_home else "02")]


@pytest.mark.parametrize(("pos", "expected"), [("10", "10"), ("02", "02"), ("11", "10")])
def test_a_telehealth_pos_on_the_note_says_where_the_patient_was(pos, expected):
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, telehealth=AV, place_of_service=pos))

    # then
    assert full(result) == [("90834", 1, ("95",), expected)]


@pytest.mark.parametrize(
    ("policy", "pos", "expected"),
    [
        (TelehealthPos.IN_PERSON_POS, "11", "11"),
        (TelehealthPos.IN_PERSON_POS, "53", "53"),
        (TelehealthPos.IN_PERSON_POS, "10", "11"),
        (TelehealthPos.ALWAYS_02, "11", "02"),
    ],
)
def test_telehealth_pos_policies(policy, pos, expected):
    # given
    rules = PayerCodingRules(label="Plan", telehealth_pos=policy, video_modifier="GT")

    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, telehealth=AV, place_of_service=pos), rules)

    # then
    assert full(result) == [("90834", 1, ("GT",), expected)]


def test_audio_only_not_covered_is_an_error():
    # given
    rules = PayerCodingRules(label="Plan", audio_only_allowed=False)

    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, telehealth=AO), rules)

    # then
    assert problem_codes(result) == [("telehealth_not_covered", "error")]
    assert result.problems[0].message == "Plan does not pay audio-only sessions."


def test_in_person_session_with_a_telehealth_pos_warns():
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, place_of_service="10"))

    # then
    assert full(result) == [("90834", 1, (), "10")]
    assert problem_codes(result) == [("pos_telehealth_mismatch", "warning")]


@pytest.mark.parametrize(("pos", "ok"), [("11", True), ("53", True), ("77", False), ("1", False)])
def test_pos_must_be_in_the_code_set_on_the_date(pos, ok):
    # when
    result = code_session(session(S.GROUP_PSYCHOTHERAPY, 60, place_of_service=pos))

    # then
    assert problem_codes(result) == ([] if ok else [("pos_unknown", "error")])


@pytest.mark.parametrize(("day", "pos"), [(date(2021, 12, 31), "02"), (date(2022, 1, 1), "10")])
def test_telehealth_at_home_before_pos_10_existed_is_pos_02(day, pos):
    # when
    result = code_session(session(S.GROUP_PSYCHOTHERAPY, 60, telehealth=AV, date_of_service=day))

    # then
    assert full(result) == [("90853", 1, ("95",), pos)]
    assert result.problems == ()


@pytest.mark.parametrize(("rules", "modifier"), [(None, "59"), (MEDICAID, "59"), (MEDICARE, "XE")])
def test_family_and_individual_psychotherapy_same_day_get_the_distinct_modifier(rules, modifier):
    # given: 90847 and 90837 on the same date
    sessions = [
        session(S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, 50, rendering_credential="MD/DO"),
        session(S.INDIVIDUAL_PSYCHOTHERAPY, 60, rendering_credential="MD/DO"),
    ]

    # when
    result = code_day(sessions, rules)

    # then: the family line carries it; the individual line does not
    assert line(result, "90847").modifiers[0] == modifier
    assert modifier not in line(result, "90837").modifiers
    assert problem_codes(result) == [("distinct_service_documentation", "warning")]


def test_no_distinct_modifier_for_unrelated_same_day_services():
    # when
    result = code_day([session(S.GROUP_PSYCHOTHERAPY, 60), session(S.INDIVIDUAL_PSYCHOTHERAPY, 60)])

    # then
    assert full(result) == [("90853", 1, (), "11"), ("90837", 1, (), "11")]


def test_modifier_25_on_an_em_with_a_separate_procedure_the_same_day():
    # given: an E/M visit with psychotherapy add-on, and family psychotherapy later that day
    sessions = [
        session(S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, 30, em_code="99214", rendering_credential="MD/DO"),
        session(S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, 50, rendering_credential="MD/DO"),
    ]

    # when
    result = code_day(sessions)

    # then
    assert full(result) == [
        ("99214", 1, ("25",), "11"),
        ("90833", 1, (), "11"),
        ("90846", 1, (), "11"),
    ]
    assert "Modifier 25 on the E/M: a separately identifiable E/M on the same date as 90846." in result.why


def test_no_modifier_25_for_em_with_psychotherapy_add_on_only():
    # when
    result = code_session(
        session(S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, 45, em_code="99214", rendering_credential="PMHNP")
    )

    # then
    assert full(result) == [("99214", 1, (), "11"), ("90836", 1, (), "11")]
    assert "An E/M with a psychotherapy add-on needs no modifier 25." in result.why


def test_modifiers_stack_in_a_fixed_order():
    # given: Medicaid, telehealth, E/M with crisis (25), by a psychiatrist (HP)
    facts = session(
        S.CRISIS_PSYCHOTHERAPY, 60, with_em=True, em_code="99215", rendering_credential="MD/DO", telehealth=AV
    )

    # when
    result = code_session(facts, MEDICAID)

    # then: 25 first, then the practitioner level, then telehealth
    assert full(result) == [("99215", 1, ("25", "HP", "95"), "10"), ("90839", 1, ("HP", "95"), "10")]


def test_units_over_the_payers_daily_maximum_are_capped_with_a_warning():
    # given
    rules = PayerCodingRules(label="Plan", max_units_per_day=MappingProxyType({"H2014": 4}))

    # when: 2 hours of skills training = 8 units
    result = code_session(session(S.SKILLS_TRAINING, 120), rules)

    # then
    assert full(result) == [("H2014", 4, (), "11")]
    assert problem_codes(result) == [("units_over_daily_max", "warning")]
    assert (
        result.problems[0].message
        == "Plan pays at most 4 unit(s) of H2014 a day; 8 were documented, 4 are billed."
    )


def test_custom_substitution():
    # given: a plan that wants H0004 instead of 90834 from an LMSW
    rules = PayerCodingRules(
        label="Plan",
        code_substitutions=(
            CodeSubstitution(from_code="90834", to_code="H0004", credentials=frozenset({"LMSW"})),
        ),
    )

    # when: the substituted code is then counted in 15-minute units
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, rendering_credential="LMSW"), rules)

    # then
    assert full(result) == [("H0004", 1, (), "11")]


@pytest.mark.parametrize(
    ("service", "credential", "refused"),
    [
        (S.INDIVIDUAL_PSYCHOTHERAPY, "RBT", ["An RBT may not render 90834 (psychotherapy)"]),
        (S.INDIVIDUAL_PSYCHOTHERAPY, "BCBA", ["A BCBA may not render 90834 (psychotherapy)"]),
        (S.INDIVIDUAL_PSYCHOTHERAPY, "CADC", ["A CADC may not render 90834 (psychotherapy)"]),
        (S.INDIVIDUAL_PSYCHOTHERAPY, "LMSW", []),
        (S.GROUP_PSYCHOTHERAPY, "CPRS", ["A CPRS may not render 90853 (psychotherapy)"]),
        (
            S.ABA_PROTOCOL_MODIFICATION,
            "RBT",
            ["An RBT may not render 97155 (ABA by a qualified professional)"],
        ),
        (S.ABA_PROTOCOL_MODIFICATION, "BCaBA", []),
        (S.ABA_FAMILY_GUIDANCE, "BHT", ["A BHT may not render 97156 (ABA by a qualified professional)"]),
        (
            S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM,
            "LCSW",
            [
                "An LCSW may not render 99213 (an E/M visit)",
                "An LCSW may not render 90836 (psychotherapy with an E/M visit)",
            ],
        ),
        (S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, "PMHNP", []),
    ],
)
def test_credential_that_cannot_render_the_code(service, credential, refused):
    # when
    result = code_session(session(service, 45, rendering_credential=credential, em_code="99213"))

    # then: each refusal names the credential, the code and its family, and says how to fix it
    problems = [p for p in result.problems if p.code == "credential_cannot_render"]
    assert [p.message.split(":")[0] for p in problems] == refused
    assert all(p.severity == "error" and p.fix_hint for p in problems)


@pytest.mark.parametrize(
    ("day", "modifier", "problems"),
    [(date(2021, 12, 31), "93", [("code_not_effective", "error")]), (date(2022, 1, 1), "93", [])],
)
def test_modifiers_must_be_effective_on_the_date(day, modifier, problems):
    # when: audio-only telehealth before and after modifier 93 existed
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, telehealth=AO, date_of_service=day))

    # then
    assert full(result) == [("90834", 1, (modifier,), "10" if day.year >= 2022 else "02")]
    assert problem_codes(result) == problems


def test_codes_must_be_effective_on_the_date():
    # when: ABA codes before their 2019 start
    result = code_session(
        session(S.ABA_TECHNICIAN_TREATMENT, 30, date_of_service=date(2018, 12, 31), place_of_service="12")
    )

    # then
    assert problem_codes(result) == [("code_not_effective", "error")]
    assert (
        result.problems[0].message == "97153 is not valid on Mon 31 Dec 2018 (valid Tue 1 Jan 2019 to now)."
    )


def test_why_explains_every_decision_in_order():
    # when
    result = code_session(
        session(S.INDIVIDUAL_PSYCHOTHERAPY, 45, rendering_credential="LPC", telehealth=AV), MEDICAID
    )

    # then
    assert result.why == (
        "Rules applied: State Medicaid (medicaid defaults).",
        "45 minutes of psychotherapy falls in the 38-52 minute band: 90834.",
        "Telehealth with the patient at home: POS 10.",
        "State Medicaid (medicaid defaults) asks for the practitioner level: LPC (master) -> HO.",
        "Telehealth (audio and video): modifier 95.",
    )
