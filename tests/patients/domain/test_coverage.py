import datetime as dt

import pytest

from core.domain.problems import field_errors
from patients.domain.coverage import (
    CoverageStatus,
    coverage_overlap_problems,
    coverage_problems,
    coverage_status,
    coverage_termination_problems,
    payer_problems,
    spans_overlap,
)
from patients.domain.problems import prefixed
from patients.domain.types import CoverageSpan, PayerFacts
from tests.patients.conftest import coverage_input

TODAY = dt.date(2026, 3, 16)
PRACTICE = 7
PAYER = PayerFacts(payer_id=3, practice_id=PRACTICE, is_active=True, is_self_pay=False)
D = dt.date


@pytest.mark.parametrize(
    ("_case", "a", "b", "overlap"),
    [
        ("b starts the day a ends", (D(2025, 1, 1), D(2025, 6, 30)), (D(2025, 6, 30), None), True),
        ("b starts the day after a ends", (D(2025, 1, 1), D(2025, 6, 30)), (D(2025, 7, 1), None), False),
        ("b ends the day a starts", (D(2025, 7, 1), None), (D(2025, 1, 1), D(2025, 7, 1)), True),
        ("b ends the day before a starts", (D(2025, 7, 1), None), (D(2025, 1, 1), D(2025, 6, 30)), False),
        ("both open", (D(2025, 1, 1), None), (D(2030, 1, 1), None), True),
        ("b inside a", (D(2025, 1, 1), D(2025, 12, 31)), (D(2025, 3, 1), D(2025, 3, 2)), True),
        ("one-day spans, same day", (D(2025, 3, 1), D(2025, 3, 1)), (D(2025, 3, 1), D(2025, 3, 1)), True),
    ],
)
def test_spans_overlap(_case, a, b, overlap):
    assert spans_overlap(*a, *b) is overlap
    assert spans_overlap(*b, *a) is overlap


@pytest.mark.parametrize(
    ("_case", "existing", "priority", "start", "end", "codes"),
    [
        (
            "same priority, boundary day",
            [(1, 1, D(2025, 1, 1), D(2025, 12, 31))],
            1,
            D(2025, 12, 31),
            None,
            ["coverage_overlap"],
        ),
        ("same priority, next day", [(1, 1, D(2025, 1, 1), D(2025, 12, 31))], 1, D(2026, 1, 1), None, []),
        ("other priority overlaps freely", [(1, 1, D(2025, 1, 1), None)], 2, D(2025, 6, 1), None, []),
        (
            "open-ended existing",
            [(1, 1, D(2025, 1, 1), None)],
            1,
            D(2030, 1, 1),
            D(2030, 2, 1),
            ["coverage_overlap"],
        ),
        (
            "new ends before existing starts",
            [(1, 1, D(2026, 1, 1), None)],
            1,
            D(2025, 1, 1),
            D(2025, 12, 31),
            [],
        ),
        ("itself is ignored", [(9, 1, D(2025, 1, 1), None)], 1, D(2025, 1, 1), None, []),
    ],
)
def test_coverage_overlap_problems(_case, existing, priority, start, end, codes):
    # given
    spans = [
        CoverageSpan(coverage_id=i, priority=p, effective_on=s, terminates_on=e) for i, p, s, e in existing
    ]
    # when
    problems = coverage_overlap_problems(
        priority=priority, effective_on=start, terminates_on=end, existing=spans, coverage_id=9
    )
    # then
    assert [p.code for p in problems] == codes


def test_overlap_message_names_the_other_coverage():
    spans = [CoverageSpan(coverage_id=1, priority=1, effective_on=D(2025, 1, 1), terminates_on=None)]
    problems = coverage_overlap_problems(
        priority=1, effective_on=D(2025, 5, 1), terminates_on=None, existing=spans
    )
    assert problems[0].message == (
        "These dates overlap the patient's other primary coverage (Wed 1 Jan 2025 to no end date)."
    )
    assert problems[0].field == "effective_on"


@pytest.mark.parametrize(
    ("_case", "payer", "codes"),
    [
        ("ok", PAYER, []),
        ("missing", None, ["payer_unknown"]),
        (
            "another practice's",
            PayerFacts(payer_id=3, practice_id=99, is_active=True, is_self_pay=False),
            ["payer_unknown"],
        ),
        (
            "inactive",
            PayerFacts(payer_id=3, practice_id=PRACTICE, is_active=False, is_self_pay=False),
            ["payer_inactive"],
        ),
        (
            "self-pay",
            PayerFacts(payer_id=3, practice_id=PRACTICE, is_active=True, is_self_pay=True),
            ["payer_self_pay"],
        ),
    ],
)
def test_payer_problems(_case, payer, codes):
    assert [p.code for p in payer_problems(payer, practice_id=PRACTICE)] == codes


def test_other_practice_payer_reads_like_a_missing_one():
    other = PayerFacts(payer_id=3, practice_id=99, is_active=True, is_self_pay=False)
    assert payer_problems(other, practice_id=PRACTICE) == payer_problems(None, practice_id=PRACTICE)


@pytest.mark.parametrize(
    ("_case", "overrides", "errors"),
    [
        ("valid", {}, {}),
        (
            "member id with spaces",
            {"member_id": "AB 12"},
            {"member_id": ["A member ID is 3 to 30 letters, digits or hyphens, with no spaces or symbols."]},
        ),
        ("member id blank", {"member_id": ""}, {"member_id": ["A member ID is required."]}),
        (
            "termination before effective",
            {"terminates_on": D(2025, 12, 31)},
            {"terminates_on": ["The termination date can't be before the effective date."]},
        ),
        ("termination on effective day", {"terminates_on": D(2026, 1, 1)}, {}),
        ("no effective date", {"effective_on": None}, {"effective_on": ["Effective date is required."]}),
        ("bad priority", {"priority": 4}, {"priority": ["Choose primary, secondary or tertiary."]}),
        (
            "subscriber is a spouse, no details",
            {"subscriber_relationship": "01"},
            {
                "subscriber_first_name": ["Subscriber's first name is required."],
                "subscriber_last_name": ["Subscriber's last name is required."],
                "subscriber_date_of_birth": ["Subscriber's date of birth is required."],
            },
        ),
        (
            "subscriber is a spouse, complete",
            {
                "subscriber_relationship": "01",
                "subscriber_first_name": "Sam",
                "subscriber_last_name": "Quill",
                "subscriber_date_of_birth": D(1988, 2, 2),
            },
            {},
        ),
        (
            "subscriber born tomorrow",
            {
                "subscriber_relationship": "19",
                "subscriber_first_name": "Sam",
                "subscriber_last_name": "Quill",
                "subscriber_date_of_birth": TODAY + dt.timedelta(days=1),
            },
            {"subscriber_date_of_birth": ["Subscriber's date of birth can't be in the future."]},
        ),
        (
            "unknown relationship",
            {"subscriber_relationship": "99"},
            {"subscriber_relationship": ["Choose the patient's relationship to the subscriber."]},
        ),
    ],
)
def test_coverage_problems(_case, overrides, errors):
    # given
    coverage = coverage_input(PAYER.payer_id, **overrides)
    # when
    problems = coverage_problems(coverage, payer=PAYER, practice_id=PRACTICE, existing=[], today=TODAY)
    # then
    assert field_errors(problems) == errors


def test_coverage_problems_include_overlap():
    spans = [CoverageSpan(coverage_id=1, priority=1, effective_on=D(2025, 1, 1), terminates_on=None)]
    problems = coverage_problems(
        coverage_input(3), payer=PAYER, practice_id=PRACTICE, existing=spans, today=TODAY
    )
    assert [p.code for p in problems] == ["coverage_overlap"]


def test_prefixed_moves_fields_under_a_parent():
    problems = prefixed(
        coverage_problems(
            coverage_input(3, member_id="!"), payer=None, practice_id=PRACTICE, existing=[], today=TODAY
        ),
        "coverage",
    )
    assert [p.field for p in problems] == ["coverage.payer", "coverage.member_id"]


@pytest.mark.parametrize(
    ("_case", "effective", "terminates", "status"),
    [
        ("starts tomorrow", TODAY + dt.timedelta(days=1), None, CoverageStatus.FUTURE),
        ("starts today", TODAY, None, CoverageStatus.ACTIVE),
        ("ends today", D(2025, 1, 1), TODAY, CoverageStatus.ACTIVE),
        ("ended yesterday", D(2025, 1, 1), TODAY - dt.timedelta(days=1), CoverageStatus.TERMINATED),
        ("open", D(2025, 1, 1), None, CoverageStatus.ACTIVE),
    ],
)
def test_coverage_status(_case, effective, terminates, status):
    assert coverage_status(effective_on=effective, terminates_on=terminates, today=TODAY) is status


@pytest.mark.parametrize(
    ("_case", "current", "new", "codes"),
    [
        ("open coverage", None, D(2026, 2, 28), []),
        ("on the effective day", None, D(2026, 1, 1), []),
        ("before effective", None, D(2025, 12, 31), ["coverage_dates_order"]),
        ("missing date", None, None, ["required"]),
        ("moved earlier", D(2026, 6, 30), D(2026, 3, 31), []),
        ("extending is not terminating", D(2026, 6, 30), D(2026, 7, 31), ["coverage_already_terminated"]),
        ("same date again (double click)", D(2026, 6, 30), D(2026, 6, 30), []),
    ],
)
def test_coverage_termination_problems(_case, current, new, codes):
    problems = coverage_termination_problems(
        effective_on=D(2026, 1, 1), current_terminates_on=current, terminates_on=new
    )
    assert [p.code for p in problems] == codes
