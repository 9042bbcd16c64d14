"""A payer's same-day conflict rules in its rules document (issue 8, item 4): read, normalised,
checked against the default table's names and the code set."""

from __future__ import annotations

from datetime import date

import pytest

from coding.domain.code_sets import shipped_catalog
from payer_rules.domain.policy import policy_document, policy_from_document
from payer_rules.domain.policy_checks import policy_problems
from payer_rules.domain.same_day import SameDayRule, SameDaySeverity, same_day_rules

CATALOG = shipped_catalog()
ON = date(2026, 1, 1)


def read(document):
    policy, problems = policy_from_document(document)
    assert problems == [], problems
    assert policy is not None
    return policy


def test_a_same_day_override_is_read_normalised_and_dumped_back():
    policy = read(
        {
            "same_day": [
                {
                    "rule": " Diagnostic_Evaluation_With_Psychotherapy ",
                    "severity": "error",
                    "with_codes": [" 90837 "],
                }
            ]
        }
    )
    assert policy.same_day == (
        SameDayRule(
            rule="diagnostic_evaluation_with_psychotherapy",
            with_codes=("90837",),
            severity=SameDaySeverity.ERROR,
        ),
    )
    assert policy_document(policy)["same_day"] == [
        {
            "rule": "diagnostic_evaluation_with_psychotherapy",
            "codes": [],
            "with_codes": ["90837"],
            "same_provider": True,
            "severity": "error",
            "why": "",
            "fix_hint": "",
        }
    ]
    merged = {r.rule: r for r in same_day_rules(policy.same_day)}["diagnostic_evaluation_with_psychotherapy"]
    assert (merged.codes, merged.with_codes, merged.severity) == (("90791", "90792"), ("90837",), "error")
    assert merged.why.startswith("many payers")


def test_an_unknown_key_or_severity_is_a_shape_problem():
    assert policy_from_document({"same_day": [{"rule": "x", "bundles": True}]})[0] is None
    assert policy_from_document({"same_day": [{"rule": "x", "severity": "sometimes"}]})[0] is None


@pytest.mark.parametrize(
    ("_case", "rules", "expected"),
    [
        ("a default turned off", [{"rule": "crisis_with_psychotherapy", "severity": "off"}], []),
        ("a payer's own pair", [{"rule": "family_with_group", "codes": ["90847"], "with_codes": ["90853"]}], []),
        ("a pair with one side empty", [{"rule": "family_with_group", "codes": ["90847"]}], [("rules_empty_list", "same_day[0].with_codes")]),
        ("a code on both sides", [{"rule": "x", "codes": ["90847"], "with_codes": ["90847"]}], [("rules_duplicate", "same_day[0].with_codes")]),
        ("an unknown code in a default's override", [{"rule": "crisis_with_psychotherapy", "with_codes": ["99999"]}], [("rules_unknown_code", "same_day[0].with_codes")]),
        ("no name", [{"rule": "", "codes": ["90847"], "with_codes": ["90853"]}], [("rules_name_missing", "same_day[0].rule")]),
        ("a name twice", [{"rule": "crisis_with_psychotherapy"}, {"rule": "crisis_with_psychotherapy", "severity": "off"}], [("rules_duplicate", "same_day[1].rule")]),
    ],
)  # fmt: skip
def test_same_day_rule_checks(_case, rules, expected):
    problems = policy_problems(read({"same_day": rules}), catalog=CATALOG, on=ON)
    assert [(p.code, p.field) for p in problems] == expected
