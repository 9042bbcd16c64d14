"""Payer rules and the scope-of-practice table: one who-may-render rule, crosswalks in documents."""

from __future__ import annotations

from datetime import date

import pytest

from coding.domain.code_sets import shipped_catalog
from coding.domain.payer_defaults import payer_kind_coding_rules
from coding.domain.rules import code_session
from coding.domain.types import SessionFacts
from core.domain.service_types import ServiceType
from payer_rules.demo_rules import COMMERCIAL, MEDICAID, MEDICARE
from payer_rules.domain.policy import (
    RenderingBilling,
    default_policy,
    policy_document,
    policy_from_document,
    policy_review,
    rendering_decision,
)
from payer_rules.domain.policy_checks import policy_problems

ON = date(2026, 3, 2)


def read(document):
    policy, problems = policy_from_document(document, label="Acme")
    assert problems == []
    return policy


MEDICAID_POLICY = read(MEDICAID.rules)
MEDICARE_2023 = read(MEDICARE[0].rules)
MEDICARE_2024 = read(MEDICARE[1].rules)
COMMERCIAL_POLICY = read(COMMERCIAL.rules)
ANY_CODE = read({"rendering": [{"credentials": ["BCBA", "CADC"], "codes": [], "billing": "rendering"}]})
WIDENS = read({"rendering": [{"credentials": ["CADC"], "codes": ["90834"], "billing": "with_supervisor"}]})
MEDICARE_DEFAULTS = default_policy(payer_kind_coding_rules("medicare", name="Medicare"))


@pytest.mark.parametrize(
    ("_case", "policy", "credential", "code", "billing"),
    [
        ("a BCBA's 90837: a rule for any code does not widen the national table", ANY_CODE, "BCBA", "90837", RenderingBilling.NOT_ALLOWED),
        ("a CADC's 90834: likewise", ANY_CODE, "CADC", "90834", RenderingBilling.NOT_ALLOWED),
        ("a CADC's H0004 under that rule", ANY_CODE, "CADC", "H0004", RenderingBilling.RENDERING),
        ("a rule naming the code widens it", WIDENS, "CADC", "90834", RenderingBilling.WITH_SUPERVISOR),
        ("the widening is for that code only", WIDENS, "CADC", "90837", RenderingBilling.NOT_ALLOWED),
        ("no rules at all: BCBA psychotherapy refused", read({}), "BCBA", "90837", RenderingBilling.NOT_ALLOWED),
        ("no rules at all: LCSW psychotherapy", read({}), "LCSW", "90837", RenderingBilling.RENDERING),
        ("medicaid LCSW on 97153 (unlisted, out of scope)", MEDICAID_POLICY, "LCSW", "97153", RenderingBilling.NOT_ALLOWED),
        ("medicare 2023: LPC not listed", MEDICARE_2023, "LPC", "90834", RenderingBilling.NOT_ALLOWED),
        ("medicare 2024: LPC listed", MEDICARE_2024, "LPC", "90834", RenderingBilling.RENDERING),
        ("medicare 2024: LMSW never", MEDICARE_2024, "LMSW", "90834", RenderingBilling.NOT_ALLOWED),
        ("medicare kind defaults: LMSW", MEDICARE_DEFAULTS, "LMSW", "90834", RenderingBilling.NOT_ALLOWED),
        ("medicare kind defaults: LCSW", MEDICARE_DEFAULTS, "LCSW", "90834", RenderingBilling.RENDERING),
        ("medicare kind defaults: LCSW on ABA", MEDICARE_DEFAULTS, "LCSW", "97153", RenderingBilling.NOT_ALLOWED),
        ("commercial: technicians' ABA under the BCBA", COMMERCIAL_POLICY, "RBT", "97153", RenderingBilling.SUPERVISOR_RENDERS),
    ],
)  # fmt: skip
def test_rendering_decision_asks_the_scope_table(_case, policy, credential, code, billing):
    # when
    decision = rendering_decision(policy, credential=credential, code=code)

    # then
    assert decision.billing is billing
    if billing is RenderingBilling.NOT_ALLOWED:
        assert decision.message
        assert decision.fix_hint


@pytest.mark.parametrize(
    ("policy", "credential", "service", "code"),
    [
        (MEDICARE_2024, "LMSW", ServiceType.INDIVIDUAL_PSYCHOTHERAPY, "90834"),
        (MEDICARE_2023, "LPC", ServiceType.INDIVIDUAL_PSYCHOTHERAPY, "90834"),
        (MEDICARE_2024, "LPC", ServiceType.INDIVIDUAL_PSYCHOTHERAPY, "90834"),
        (MEDICAID_POLICY, "RBT", ServiceType.INDIVIDUAL_PSYCHOTHERAPY, "90834"),
        (MEDICAID_POLICY, "BHT", ServiceType.BEHAVIORAL_HEALTH_COUNSELING, "H0004"),
        (ANY_CODE, "BCBA", ServiceType.INDIVIDUAL_PSYCHOTHERAPY, "90834"),
        (WIDENS, "CADC", ServiceType.INDIVIDUAL_PSYCHOTHERAPY, "90834"),
        (COMMERCIAL_POLICY, "LCSW", ServiceType.CASE_MANAGEMENT, "T1016"),
    ],
)
def test_coding_and_payer_rules_agree(policy, credential, service, code):
    """The coding engine (and so suggest_codes and "try it") and rendering_decision (the scrubber)
    give the same answer: one rule."""
    facts = SessionFacts(
        service_type=service, date_of_service=ON, segment_minutes=(45,), rendering_credential=credential
    )
    result = code_session(facts, policy.coding, catalog=shipped_catalog())
    coded_refusal = [p.message for p in result.problems if p.code == "credential_cannot_render"]
    decision = rendering_decision(policy, credential=credential, code=code)
    assert coded_refusal == ([] if decision.allowed else [decision.message])


def test_try_it_review_lists_the_decision_without_repeating_the_refusal():
    review = policy_review(MEDICARE_2024, codes=["90834"], credential="LMSW", report_rendering=False)
    assert [d.billing for d in review.rendering] == [RenderingBilling.NOT_ALLOWED]
    assert [p.code for p in review.problems] == []
    reported = policy_review(MEDICARE_2024, codes=["90834"], credential="LMSW")
    assert [p.code for p in reported.problems] == ["payer_credential_not_allowed"]


# ---- crosswalks in documents -----------------------------------------------------------------------------


def test_crosswalk_round_trips_and_scope_is_not_a_document_key():
    document = {
        "coding": {
            "crosswalk": [
                {"service_type": "case_management", "code": "t1017", "credentials": ["bht", "CADC"]}
            ]
        },
        "rendering": [{"credentials": ["LCSW"], "codes": [], "billing": "rendering"}],
        "unlisted_rendering": "not_allowed",
    }
    policy = read(document)
    stored = policy_document(policy)
    assert stored["coding"]["crosswalk"] == [
        {"service_type": "case_management", "code": "T1017", "credentials": ["BHT", "CADC"]}
    ]
    assert "scope" not in stored["coding"]
    assert read(stored) == policy
    assert policy.coding.scope.unlisted_allowed is False
    _, problems = policy_from_document({"coding": {"scope": {}}})
    assert [p.code for p in problems] == ["rules_unknown_key"]


@pytest.mark.parametrize(
    ("_case", "crosswalk", "expected"),
    [
        ("fine", [{"service_type": "case_management", "code": "T1017"}], []),
        ("unknown code", [{"service_type": "case_management", "code": "T9999"}], [("rules_unknown_code", "coding.crosswalk[0].code")]),
        ("time-banded service", [{"service_type": "individual_psychotherapy", "code": "H0004"}], [("rules_crosswalk_not_single_code", "coding.crosswalk[0].service_type")]),
        ("unknown credential", [{"service_type": "case_management", "code": "T1017", "credentials": ["CM"]}], [("rules_unknown_credential", "coding.crosswalk[0].credentials")]),
        ("same service twice", [{"service_type": "case_management", "code": "T1017"}, {"service_type": "case_management", "code": "H0032"}], [("rules_duplicate", "coding.crosswalk[1].service_type")]),
        ("same service, other credentials", [{"service_type": "group_psychotherapy", "code": "H0005", "credentials": ["CADC"]}, {"service_type": "group_psychotherapy", "code": "90853", "credentials": ["LCSW"]}], []),
    ],
)  # fmt: skip
def test_crosswalk_checks(_case, crosswalk, expected):
    problems = policy_problems(read({"coding": {"crosswalk": crosswalk}}), catalog=shipped_catalog(), on=ON)
    assert [(str(p.code), p.field) for p in problems] == expected
