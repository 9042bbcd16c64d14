"""Payer rules as data, pure: reading documents, versions by date, checks, decisions."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

import pytest

from coding.domain.code_sets import shipped_catalog
from coding.domain.types import (
    CodeSubstitution,
    PayerCodingRules,
    PayerScope,
    PayerScopeRule,
    ServiceCrosswalk,
    TelehealthPos,
    UnitRule,
)
from core.domain.problems import Severity
from core.domain.service_types import ServiceType
from payer_rules.demo_rules import COMMERCIAL, MEDICAID, MEDICARE
from payer_rules.domain.policy import (
    BillingFrequency,
    DiagnosisAgeRule,
    PayerPolicy,
    PolicyTimeline,
    PriorAuthRule,
    RenderingBilling,
    RenderingRule,
    RuleSetVersion,
    VersionSpan,
    VisitLimit,
    age_on,
    default_policy,
    diagnosis_age_problems,
    policy_document,
    policy_for,
    policy_from_document,
    policy_review,
    prior_auth_rule,
    rendering_decision,
    version_dates_problems,
    version_overlap_problems,
    version_to_close,
    visit_limit_problems,
)
from payer_rules.domain.policy_checks import policy_problems

CATALOG = shipped_catalog()
ON = date(2026, 1, 1)


def read(document, **kwargs):
    policy, problems = policy_from_document(document, **kwargs)
    assert problems == []
    return policy


def version(rule_set_id, start, end, *, label=""):
    return RuleSetVersion(
        span=VersionSpan(rule_set_id=rule_set_id, effective_from=start, effective_to=end),
        policy=PayerPolicy(
            coding=PayerCodingRules(label=label or f"v{rule_set_id}"), rule_set_id=rule_set_id
        ),
    )


# ---- reading and writing documents -----------------------------------------------------------------


def test_empty_document_is_the_cpt_rules_alone():
    # when
    policy = read({})

    # then
    assert policy == PayerPolicy(coding=PayerCodingRules(telehealth_configured=True))
    assert policy.coding == PayerCodingRules(telehealth_configured=True)  # an admin's document (C12)


def test_document_maps_onto_coding_rules_and_is_normalised():
    # given
    document = {
        "coding": {
            "unit_rule": "cms_8_minute",
            "practitioner_modifiers": True,
            "telehealth_pos": "always_02",
            "video_modifier": "gt",
            "audio_only_modifier": "",
            "audio_only_allowed": False,
            "code_substitutions": [{"from_code": "97153", "to_code": "h2019", "credentials": ["rbt", "BHT"]}],
            "max_units_per_day": {"97153": 32},
            "distinct_modifier": "xe",
            "crosswalk": [{"service_type": "case_management", "code": "t1017", "credentials": ["bht"]}],
        },
        "rendering": [{"credentials": ["bcaba"], "codes": ["97155 "], "billing": "with_supervisor"}],
        "prior_auth": [{"codes": ["90837"], "after_visits_per_year": 20}],
        "billing_frequency": "monthly",
        "cosign_required": True,
    }

    # when
    policy = read(document, label="Keystone (rules from 2026-01-01)", rule_set_id=7)

    # then
    assert policy.coding == PayerCodingRules(
        label="Keystone (rules from 2026-01-01)",
        unit_rule=UnitRule.CMS_8_MINUTE,
        practitioner_modifiers=True,
        telehealth_pos=TelehealthPos.ALWAYS_02,
        video_modifier="GT",
        audio_only_modifier="",
        audio_only_allowed=False,
        code_substitutions=(
            CodeSubstitution(from_code="97153", to_code="H2019", credentials=frozenset({"RBT", "BHT"})),
        ),
        max_units_per_day=MappingProxyType({"97153": 32}),
        distinct_modifier="XE",
        crosswalk=(
            ServiceCrosswalk(
                service_type=ServiceType.CASE_MANAGEMENT, code="T1017", credentials=frozenset({"BHT"})
            ),
        ),
        # the "who renders" rules, as the coding engine applies them
        scope=PayerScope(
            rules=(
                PayerScopeRule(credentials=frozenset({"BCaBA"}), codes=frozenset({"97155"}), allowed=True),
            ),
        ),
        telehealth_configured=True,
    )
    assert policy.rendering == (
        RenderingRule(credentials=("BCaBA",), codes=("97155",), billing=RenderingBilling.WITH_SUPERVISOR),
    )
    assert policy.prior_auth == (PriorAuthRule(codes=("90837",), after_visits_per_year=20),)
    assert (policy.billing_frequency, policy.cosign_required, policy.rule_set_id) == (
        BillingFrequency.MONTHLY,
        True,
        7,
    )


def test_dump_is_canonical_and_reads_back_the_same():
    # given
    policy = read(MEDICAID.rules, label="x")

    # when
    document = policy_document(policy)

    # then
    assert read(document, label="x") == policy
    assert "label" not in document["coding"]
    assert "rule_set_id" not in document
    assert document["coding"]["max_units_per_day"] == {}
    assert document["rendering"][0] == {
        "credentials": ["RBT", "BHT"],
        "codes": ["97153", "H2019", "H2014"],
        "billing": "with_supervisor",
    }


@pytest.mark.parametrize(
    ("_case", "document", "expected"),
    [
        ("not an object", [], [("", "The rules: must be a JSON object.")]),
        ("unknown rule", {"copay": 20}, [("copay", "Copay: unknown rule 'copay'.")]),
        (
            "unknown coding rule",
            {"coding": {"label": "x"}},
            [("coding.label", "Label: unknown coding rule 'label'.")],
        ),
        (
            "bad choice",
            {"coding": {"unit_rule": "hourly"}},
            [("coding.unit_rule", "Unit rule: Should be 'cpt_midpoint' or 'cms_8_minute'.")],
        ),
        (
            "codes not a list",
            {"prior_auth": [{"codes": "97153"}]},
            [("prior_auth[0].codes", "Prior authorization rule 1, codes: Should be a list.")],
        ),
        (
            "units not a number",
            {"coding": {"max_units_per_day": {"97153": "lots"}}},
            [
                (
                    "coding.max_units_per_day.97153",
                    "Maximum units per day for 97153: Should be a valid integer, unable to parse string as an integer.",
                )
            ],
        ),
        (
            "extra key in a rule",
            {"visit_limits": [{"name": "x", "codes": ["90834"], "visits_per_year": 5, "per": "month"}]},
            [("visit_limits[0].per", "Visit limit rule 1, per: Unexpected keyword argument.")],
        ),
    ],
)
def test_unreadable_documents(_case, document, expected):
    # when
    policy, problems = policy_from_document(document)

    # then
    assert policy is None
    assert [(p.field, p.message) for p in problems] == expected


# ---- versions by date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "on", "expected"),
    [
        ("before the first version", date(2023, 12, 31), None),
        ("first day of v1", date(2024, 1, 1), "v1"),
        ("last day of v1", date(2024, 12, 31), "v1"),
        ("first day of v2", date(2025, 1, 1), "v2"),
        ("long after v2 started (open-ended)", date(2030, 6, 1), "v2"),
    ],
)
def test_policy_for_picks_the_version_in_force(_case, on, expected):
    # given
    versions = [version(1, date(2024, 1, 1), date(2024, 12, 31)), version(2, date(2025, 1, 1), None)]

    # when
    policy = policy_for(versions, on=on)

    # then
    assert (policy.coding.label if policy else None) == expected


def test_gap_between_versions_has_no_policy():
    versions = [version(1, date(2024, 1, 1), date(2024, 6, 30)), version(2, date(2024, 8, 1), None)]
    assert policy_for(versions, on=date(2024, 7, 15)) is None
    assert policy_for(versions, on=date(2024, 8, 1)).coding.label == "v2"


def test_timeline_falls_back_and_fills_the_payers_windows():
    # given
    timeline = PolicyTimeline(
        versions=(
            RuleSetVersion(
                span=VersionSpan(1, date(2025, 1, 1), None),
                policy=PayerPolicy(coding=PayerCodingRules(label="v1"), timely_filing_days=365),
            ),
        ),
        fallback=default_policy(PayerCodingRules(label="kind defaults")),
        timely_filing_days=90,
        appeal_window_days=180,
    )

    # when
    before, after = timeline.on(date(2024, 12, 31)), timeline.on(date(2025, 1, 1))

    # then
    assert (before.coding.label, before.timely_filing_days, before.appeal_window_days) == (
        "kind defaults",
        90,
        180,
    )
    assert (after.coding.label, after.timely_filing_days, after.appeal_window_days) == ("v1", 365, 180)


@pytest.mark.parametrize(
    ("_case", "start", "end", "overlaps"),
    [
        ("ends the day before the next", date(2024, 1, 1), date(2024, 12, 31), False),
        ("ends on the next's first day", date(2024, 1, 1), date(2025, 1, 1), True),
        ("inside the closed one", date(2023, 3, 1), date(2023, 3, 31), True),
        ("open-ended after everything", date(2026, 1, 1), None, True),
        ("before everything", date(2022, 1, 1), date(2022, 12, 31), False),
    ],
)
def test_version_overlap_edges(_case, start, end, overlaps):
    # given: a closed 2023 version and an open-ended one from 2025
    others = [VersionSpan(1, date(2023, 1, 1), date(2023, 12, 31)), VersionSpan(2, date(2025, 1, 1), None)]

    # when
    problems = version_overlap_problems(VersionSpan(None, start, end), others)

    # then
    assert bool(problems) is overlaps
    assert all(p.code == "rule_set_overlap" and p.field == "effective_from" for p in problems)


def test_a_version_does_not_overlap_itself():
    span = VersionSpan(3, date(2025, 1, 1), None)
    assert version_overlap_problems(span, [span]) == []


def test_version_to_close_is_the_open_ended_one_before():
    others = [VersionSpan(1, date(2023, 1, 1), date(2023, 12, 31)), VersionSpan(2, date(2024, 1, 1), None)]
    assert version_to_close(date(2026, 1, 1), others) == others[1]
    assert version_to_close(date(2024, 1, 1), others) is None  # same start: an overlap, not a successor
    assert version_to_close(date(2023, 6, 1), [others[0]]) is None


def test_version_dates_order():
    assert version_dates_problems(date(2025, 1, 2), date(2025, 1, 1))[0].field == "effective_to"
    assert version_dates_problems(date(2025, 1, 1), date(2025, 1, 1)) == []
    assert version_dates_problems(date(2025, 1, 1), None) == []


# ---- checks against the code set, credentials and ranges -------------------------------------------


def test_the_demo_rule_sets_pass_every_check():
    for demo in [COMMERCIAL, MEDICAID, *MEDICARE]:
        assert policy_problems(read(demo.rules), catalog=CATALOG, on=demo.effective_from) == []


@pytest.mark.parametrize(
    ("_case", "document", "expected"),
    [
        (
            "unknown code",
            {"prior_auth": [{"codes": ["97153", "99999"]}]},
            [("rules_unknown_code", "prior_auth[0].codes", "error")],
        ),
        (
            "a modifier is not a procedure code",
            {"rendering": [{"credentials": ["LPC"], "codes": ["95"]}]},
            [("rules_unknown_code", "rendering[0].codes", "error")],
        ),
        (
            "code no longer valid on the start date",
            {"coding": {"max_units_per_day": {"99201": 1}}},
            [("rules_code_not_effective", "coding.max_units_per_day.99201", "warning")],
        ),
        (
            "unknown credential",
            {"rendering": [{"credentials": ["LPC", "Shaman"], "codes": []}]},
            [("rules_unknown_credential", "rendering[0].credentials", "error")],
        ),
        (
            "no credentials",
            {
                "coding": {
                    "code_substitutions": [{"from_code": "97153", "to_code": "H2019", "credentials": []}]
                }
            },
            [("rules_empty_list", "coding.code_substitutions[0].credentials", "error")],
        ),
        (
            "substitution by itself",
            {
                "coding": {
                    "code_substitutions": [{"from_code": "97153", "to_code": "97153", "credentials": ["RBT"]}]
                }
            },
            [("rules_substitution_same_code", "coding.code_substitutions[0].to_code", "error")],
        ),
        (
            "audio-only modifier on video",
            {"coding": {"video_modifier": "93"}},
            [("rules_modifier_not_allowed", "coding.video_modifier", "error")],
        ),
        (
            "distinct modifier",
            {"coding": {"distinct_modifier": "25"}},
            [("rules_modifier_not_allowed", "coding.distinct_modifier", "error")],
        ),
        (
            "units a day over 96",
            {"coding": {"max_units_per_day": {"97153": 97}}},
            [("rules_out_of_range", "coding.max_units_per_day.97153", "error")],
        ),
        (
            "a code in two prior-auth rules",
            {"prior_auth": [{"codes": ["97153"]}, {"codes": ["97155", "97153"], "after_visits_per_year": 3}]},
            [("rules_duplicate", "prior_auth[1].codes", "error")],
        ),
        ("no codes", {"prior_auth": [{"codes": []}]}, [("rules_empty_list", "prior_auth[0].codes", "error")]),
        (
            "visit limit without a name",
            {"visit_limits": [{"name": " ", "codes": ["90834"], "visits_per_year": 52}]},
            [("rules_name_missing", "visit_limits[0].name", "error")],
        ),
        (
            "zero visits a year",
            {"visit_limits": [{"name": "Therapy", "codes": ["90834"], "visits_per_year": 0}]},
            [("rules_out_of_range", "visit_limits[0].visits_per_year", "error")],
        ),
        (
            "diagnosis prefix shape",
            {"diagnosis_age": [{"prefix": "93.0", "max_age": 17}]},
            [("rules_diagnosis_prefix", "diagnosis_age[0].prefix", "error")],
        ),
        (
            "no age bound",
            {"diagnosis_age": [{"prefix": "F93.0"}]},
            [("rules_age_range", "diagnosis_age[0].max_age", "error")],
        ),
        (
            "ages reversed",
            {"diagnosis_age": [{"prefix": "F03", "min_age": 60, "max_age": 40}]},
            [("rules_age_range", "diagnosis_age[0].max_age", "error")],
        ),
        (
            "timely filing zero",
            {"timely_filing_days": 0},
            [("rules_out_of_range", "timely_filing_days", "error")],
        ),
        (
            "appeal window over three years",
            {"appeal_window_days": 1096},
            [("rules_out_of_range", "appeal_window_days", "error")],
        ),
    ],
)
def test_policy_problems(_case, document, expected):
    # when
    problems = policy_problems(read(document), catalog=CATALOG, on=date(2021, 1, 1))

    # then
    assert [(p.code, p.field, p.severity.value) for p in problems] == expected


def test_problem_messages_are_plain():
    problems = policy_problems(read({"prior_auth": [{"codes": ["99999"]}]}), catalog=CATALOG, on=ON)
    assert [p.message for p in problems] == ["99999 is not a CPT or HCPCS code in the code set."]


# ---- decisions -------------------------------------------------------------------------------------


MEDICAID_POLICY = read(MEDICAID.rules)
MEDICARE_2023 = read(MEDICARE[0].rules)
MEDICARE_2024 = read(MEDICARE[1].rules)
COMMERCIAL_POLICY = read(COMMERCIAL.rules)


@pytest.mark.parametrize(
    ("_case", "policy", "credential", "code", "billing", "rule_index"),
    [
        ("medicaid tech on 97153", MEDICAID_POLICY, "RBT", "97153", RenderingBilling.WITH_SUPERVISOR, 0),
        ("medicaid tech on H2014", MEDICAID_POLICY, "BHT", "H2014", RenderingBilling.WITH_SUPERVISOR, 0),
        ("medicaid tech on psychotherapy", MEDICAID_POLICY, "RBT", "90834", RenderingBilling.NOT_ALLOWED, 2),
        ("medicaid BHT on counseling", MEDICAID_POLICY, "BHT", "H0004", RenderingBilling.WITH_SUPERVISOR, 1),
        ("medicaid RBT on counseling", MEDICAID_POLICY, "RBT", "H0004", RenderingBilling.NOT_ALLOWED, 2),
        ("medicaid LCSW (unlisted)", MEDICAID_POLICY, "LCSW", "90834", RenderingBilling.RENDERING, None),
        ("medicare LPC in 2023", MEDICARE_2023, "LPC", "90834", RenderingBilling.NOT_ALLOWED, None),
        ("medicare LPC from 2024", MEDICARE_2024, "LPC", "90834", RenderingBilling.RENDERING, 0),
        ("medicare RBT", MEDICARE_2024, "RBT", "97153", RenderingBilling.NOT_ALLOWED, None),
        (
            "commercial tech under the BCBA",
            COMMERCIAL_POLICY,
            "rbt",
            "97153",
            RenderingBilling.SUPERVISOR_RENDERS,
            0,
        ),
    ],
)
def test_rendering_decision(_case, policy, credential, code, billing, rule_index):
    # when
    decision = rendering_decision(policy, credential=credential, code=code)

    # then
    assert (decision.billing, decision.rule_index) == (billing, rule_index)
    assert decision.allowed is (billing is not RenderingBilling.NOT_ALLOWED)


@pytest.mark.parametrize(
    ("_case", "code", "visits_before", "needs_auth"),
    [
        ("97153 always", "97153", 0, True),
        ("97155 always", "97155", 0, True),
        ("90837, 20th visit", "90837", 19, False),
        ("90837, 21st visit", "90837", 20, True),
        ("90834 never", "90834", 100, False),
    ],
)
def test_prior_auth_after_n_visits(_case, code, visits_before, needs_auth):
    assert (
        prior_auth_rule(COMMERCIAL_POLICY, code=code, visits_before=visits_before) is not None
    ) is needs_auth


@pytest.mark.parametrize(("visits_before", "over"), [(51, False), (52, True)])
def test_visit_limit_at_52(visits_before, over):
    # when
    problems = visit_limit_problems(MEDICAID_POLICY, code="90834", visits_before=visits_before)

    # then
    assert [p.code for p in problems] == (["payer_visit_limit_reached"] if over else [])


def test_visit_limit_other_codes_unlimited():
    policy = PayerPolicy(visit_limits=(VisitLimit(name="Therapy", codes=("90834",), visits_per_year=1),))
    assert visit_limit_problems(policy, code="90837", visits_before=9) == []


@pytest.mark.parametrize(
    ("_case", "diagnosis", "age", "flagged"),
    [
        ("F93.0 at 17", "F93.0", 17, False),
        ("F93.0 at 18", "F930", 18, True),
        ("F84.0 autism at 40 (no rule)", "F84.0", 40, False),
        ("prefix F90 matches F90.2", "f90.2", 5, True),
        ("F90 at its minimum", "F90.2", 6, False),
    ],
)
def test_diagnosis_age(_case, diagnosis, age, flagged):
    # given
    policy = PayerPolicy(
        diagnosis_age=(
            DiagnosisAgeRule(prefix="F93.0", max_age=17),
            DiagnosisAgeRule(prefix="F90", min_age=6, severity=Severity.ERROR, message="Too young."),
        )
    )

    # when
    problems = diagnosis_age_problems(policy, diagnoses=[diagnosis], age=age)

    # then
    assert len(problems) == (1 if flagged else 0)


def test_age_on_birthday_edges():
    assert age_on(date(2008, 3, 9), date(2026, 3, 8)) == 17
    assert age_on(date(2008, 3, 9), date(2026, 3, 9)) == 18


def test_policy_review_of_a_medicaid_tech_session():
    # when
    review = policy_review(
        MEDICAID_POLICY, codes=["97153", "90834"], credential="RBT", diagnoses=["F93.0"], patient_age=30
    )

    # then
    assert [(p.code, p.severity.value) for p in review.problems] == [
        ("payer_prior_auth_required", "warning"),
        ("payer_credential_not_allowed", "error"),
        ("payer_diagnosis_age", "warning"),
    ]
    assert review.prior_auth_codes == ("97153",)
    assert [d.billing for d in review.rendering] == [
        RenderingBilling.WITH_SUPERVISOR,
        RenderingBilling.NOT_ALLOWED,
    ]
    assert "The payer requires the note's co-signature before the service is billed." in review.why
    assert "Billing: a claim per month, a line per date of service." in review.why
