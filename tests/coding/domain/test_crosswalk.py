"""Payer crosswalks, 96127 per scored instrument, the codes a service can produce, and who may
give a service (the editor's question)."""

from __future__ import annotations

from datetime import date

import pytest

from coding.domain.crosswalk import codes_for_service, service_codes, service_scope
from coding.domain.rules import code_session
from coding.domain.types import (
    CodeSubstitution,
    PayerCodingRules,
    PayerScope,
    PayerScopeRule,
    ServiceCrosswalk,
    SessionFacts,
)
from core.domain.service_types import ServiceType as S

DAY = date(2026, 3, 9)


def session(service: S, minutes: int, credential: str = "", **changes) -> SessionFacts:
    return SessionFacts(
        service_type=service,
        date_of_service=DAY,
        segment_minutes=(minutes,),
        rendering_credential=credential,
        **changes,
    )


def crosswalk(service: S, code: str, *credentials: str) -> PayerCodingRules:
    return PayerCodingRules(
        label="State Medicaid",
        crosswalk=(ServiceCrosswalk(service_type=service, code=code, credentials=frozenset(credentials)),),
    )


def billed(result) -> list[tuple[str, int]]:
    return [(line.code, line.units) for line in result.lines]


# ---- crosswalks in the coding ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "facts", "rules", "expected"),
    [
        ("default stays without a crosswalk", session(S.CASE_MANAGEMENT, 23, "BHT"), PayerCodingRules(), [("T1016", 2)]),
        ("case management as T1017 (anyone)", session(S.CASE_MANAGEMENT, 23, "BHT"), crosswalk(S.CASE_MANAGEMENT, "T1017"), [("T1017", 2)]),
        ("credential-specific: listed", session(S.CASE_MANAGEMENT, 23, "BHT"), crosswalk(S.CASE_MANAGEMENT, "T1017", "BHT"), [("T1017", 2)]),
        ("credential-specific: not listed", session(S.CASE_MANAGEMENT, 23, "LCSW"), crosswalk(S.CASE_MANAGEMENT, "T1017", "BHT"), [("T1016", 2)]),
        ("ABA by a technician as H2019", session(S.ABA_TECHNICIAN_TREATMENT, 60, "RBT"), crosswalk(S.ABA_TECHNICIAN_TREATMENT, "H2019", "RBT"), [("H2019", 4)]),
        ("ABA as H2014, units by the new code", session(S.ABA_TECHNICIAN_TREATMENT, 22, "RBT"), crosswalk(S.ABA_TECHNICIAN_TREATMENT, "H2014"), [("H2014", 1)]),
        ("group counseling by a CADC as H0005", session(S.GROUP_PSYCHOTHERAPY, 60, "CADC"), crosswalk(S.GROUP_PSYCHOTHERAPY, "H0005", "CADC"), [("H0005", 1)]),
        ("another service is not touched", session(S.PEER_SUPPORT, 30, "CPRS"), crosswalk(S.CASE_MANAGEMENT, "T1017"), [("H0038", 2)]),
    ],
)  # fmt: skip
def test_crosswalk(_case, facts, rules, expected):
    # when
    result = code_session(facts, rules)

    # then
    assert billed(result) == expected
    assert not result.problems


def test_crosswalk_explains_itself_and_is_checked_for_scope():
    # given: group counseling by a CADC; without the crosswalk 90853 is psychotherapy, out of scope
    facts = session(S.GROUP_PSYCHOTHERAPY, 60, "CADC")

    # when
    without = code_session(facts, PayerCodingRules())
    with_crosswalk = code_session(facts, crosswalk(S.GROUP_PSYCHOTHERAPY, "H0005", "CADC"))

    # then
    assert [p.code for p in without.problems] == ["credential_cannot_render"]
    assert (
        "State Medicaid: Group psychotherapy rendered by CADC is billed as H0005 (instead of 90853)."
        in with_crosswalk.why
    )


# ---- 96127 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "instruments", "minutes", "expected"),
    [
        ("none scored", (), 45, [("90834", 1)]),
        ("one", ("PHQ9",), 45, [("90834", 1), ("96127", 1)]),
        ("two", ("PHQ9", "GAD7"), 45, [("90834", 1), ("96127", 2)]),
        ("a feedback scale is not an assessment", ("PHQ9", "ORS", "SRS"), 45, [("90834", 1), ("96127", 1)]),
        ("the same instrument twice counts once", ("PHQ9", "PHQ9"), 45, [("90834", 1), ("96127", 1)]),
        ("not billed alone: no session line", ("PHQ9",), 15, []),
    ],
)  # fmt: skip
def test_brief_assessment_per_instrument(_case, instruments, minutes, expected):
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, minutes, "LPC", instruments=instruments))

    # then
    assert billed(result) == expected


def test_brief_assessment_by_a_technician_is_out_of_scope():
    # when
    result = code_session(session(S.ABA_TECHNICIAN_TREATMENT, 60, "RBT", instruments=("PSC17",)))

    # then
    assert billed(result) == [("97153", 4), ("96127", 1)]
    assert [p.message.split(":")[0] for p in result.problems] == [
        "An RBT may not render 96127 (a brief emotional or behavioral assessment (96127))"
    ]


# ---- the codes a documented service can produce --------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "rules", "inside", "outside"),
    [
        (S.INDIVIDUAL_PSYCHOTHERAPY, None, {"90832", "90834", "90837", "90785", "96127"}, {"90853", "H0004", "90836", "99213"}),
        (S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, None, {"99213", "90833", "90836", "90838", "90785"}, {"90834", "90837"}),
        (S.GROUP_PSYCHOTHERAPY, None, {"90853", "90785"}, {"90837", "H0005"}),
        (S.GROUP_PSYCHOTHERAPY, crosswalk(S.GROUP_PSYCHOTHERAPY, "H0005"), {"90853", "H0005"}, {"H0004"}),
        (S.CASE_MANAGEMENT, None, {"T1016", "96127"}, {"T1017", "90785"}),
        (S.CASE_MANAGEMENT, crosswalk(S.CASE_MANAGEMENT, "T1017"), {"T1016", "T1017"}, set()),
        (S.ABA_ASSESSMENT, None, {"97151", "97152"}, {"97153"}),
        (S.ABA_TECHNICIAN_TREATMENT, PayerCodingRules(code_substitutions=(CodeSubstitution("97153", "H2019", frozenset({"RBT"})),)), {"97153", "H2019"}, {"H2014"}),
        (S.CRISIS_PSYCHOTHERAPY, None, {"90839", "90840", "90832", "90837"}, {"90853"}),
        (S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, None, {"90846", "90847"}, {"90834", "90785"}),
        (S.DIAGNOSTIC_EVALUATION, None, {"90791", "90792", "90785"}, {"90834"}),
    ],
)  # fmt: skip
def test_codes_for_service(service, rules, inside, outside):
    codes = codes_for_service(service, rules)
    assert inside <= codes
    assert not (outside & codes)


# ---- who may give a service (the note editor) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "credential", "rules", "codes", "allowed"),
    [
        (S.BEHAVIORAL_HEALTH_COUNSELING, "BHT", None, ("H0004",), False),
        (S.BEHAVIORAL_HEALTH_COUNSELING, "CADC", None, ("H0004",), True),
        (S.INDIVIDUAL_PSYCHOTHERAPY, "BCBA", None, ("90834",), False),
        (S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, "LCSW", None, ("99213", "90836"), False),
        (S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, "PMHNP", None, ("99213", "90836"), True),
        (S.DIAGNOSTIC_EVALUATION, "MD/DO", None, ("90792",), True),
        (S.DIAGNOSTIC_EVALUATION, "LMSW", None, ("90791",), True),
        (S.ABA_ASSESSMENT, "RBT", None, ("97152",), True),
        (S.ABA_TECHNICIAN_TREATMENT, "RBT", crosswalk(S.ABA_TECHNICIAN_TREATMENT, "H2019"), ("H2019",), True),
        (
            S.BEHAVIORAL_HEALTH_COUNSELING,
            "BHT",
            PayerCodingRules(scope=PayerScope(rules=(PayerScopeRule(frozenset({"BHT"}), frozenset({"H0004"})),))),
            ("H0004",),
            True,
        ),
        (
            S.INDIVIDUAL_PSYCHOTHERAPY,
            "LMSW",
            PayerCodingRules(scope=PayerScope(rules=(PayerScopeRule(frozenset({"LCSW"})),), unlisted_allowed=False)),
            ("90834",),
            False,
        ),
    ],
)  # fmt: skip
def test_service_scope(service, credential, rules, codes, allowed):
    assert service_codes(service, credential, rules) == codes
    assert service_scope(service, credential, rules).allowed is allowed
