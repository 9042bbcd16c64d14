"""Scrubber checks from the 271 (issue #10, pitfall E11): verified within the payer's window,
coverage active, visits left, authorization required."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from claims.domain.scrubber import scrub
from claims.domain.scrubber.eligibility import check_eligibility
from claims.domain.types import EligibilityFacts
from core.domain.problems import Severity
from tests.claims.domain.test_scrubber import COVERAGE, DOS, claim, codes, line

VERIFIED = EligibilityFacts(verified_for=DOS, window_days=30)


@pytest.mark.parametrize(
    ("_case", "facts", "lines", "expected"),
    [
        ("not looked up", None, None, []),
        ("verified for the date", VERIFIED, None, []),
        ("no check within the window", EligibilityFacts(verified_for=None, window_days=30), None, ["eligibility_not_verified"]),
        ("not covered", replace(VERIFIED, covered=False, reason="The coverage ends before the date of service."), None, ["eligibility_not_covered"]),
        ("one visit left", replace(VERIFIED, visit_limit=30, visits_left=1), None, []),
        ("no visit left", replace(VERIFIED, visit_limit=30, visits_left=0), None, ["eligibility_visits_used_up"]),
        ("auth required, none on the line", replace(VERIFIED, auth_required=True), None, ["eligibility_auth_required"]),
        ("auth required, number on the line", replace(VERIFIED, auth_required=True), (line(auth_number="AUTH123"),), []),
    ],
)  # fmt: skip
def test_eligibility_findings(_case, facts, lines, expected):  # type: ignore[no-untyped-def]
    changes = {"coverage": COVERAGE, "eligibility": facts}
    if lines is not None:
        changes["lines"] = lines
    assert codes(check_eligibility(claim(**changes))) == expected


def test_not_verified_is_a_warning_and_the_others_block():
    unverified = check_eligibility(claim(coverage=COVERAGE, eligibility=EligibilityFacts(None, 30)))
    inactive = check_eligibility(claim(coverage=COVERAGE, eligibility=replace(VERIFIED, covered=False)))
    assert [p.severity for p in unverified] == [Severity.WARNING]
    assert [p.severity for p in inactive] == [Severity.ERROR]
    assert unverified[0].fix_hint
    assert inactive[0].fix_hint
    assert "within 30 days" in unverified[0].message


def test_the_scrubber_runs_the_eligibility_checks():
    found = scrub(claim(coverage=COVERAGE, eligibility=replace(VERIFIED, visit_limit=20, visits_left=0)))
    assert "eligibility_visits_used_up" in codes(found)


def test_self_pay_has_no_eligibility_findings():
    assert check_eligibility(claim(coverage=None, self_pay=True, eligibility=VERIFIED)) == []


def test_verified_for_another_date_names_it():
    found = check_eligibility(
        claim(
            coverage=COVERAGE,
            eligibility=replace(VERIFIED, verified_for=DOS - timedelta(days=3), covered=False),
        )
    )
    assert str(date(2026, 3, 6)) in found[0].message
