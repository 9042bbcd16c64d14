"""Add-on pairing: 90785 with allowed primaries only, E/M add-ons, 90840 after 90839, 90863."""

from __future__ import annotations

import pytest

from coding.domain.rules import add_on_problems, code_day, code_session
from coding.domain.types import InteractiveComplexityFactor as F
from core.domain.service_types import ServiceType as S
from tests.coding.domain.helpers import lines, problem_codes, session

IC = (F.CAREGIVER_INTERFERENCE,)


@pytest.mark.parametrize(
    ("service", "minutes", "kwargs", "expected"),
    [
        (S.INDIVIDUAL_PSYCHOTHERAPY, 30, {}, [("90832", 1), ("90785", 1)]),
        (S.INDIVIDUAL_PSYCHOTHERAPY, 45, {}, [("90834", 1), ("90785", 1)]),
        (S.INDIVIDUAL_PSYCHOTHERAPY, 60, {}, [("90837", 1), ("90785", 1)]),
        (
            S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM,
            30,
            {"em_code": "99213"},
            [("99213", 1), ("90833", 1), ("90785", 1)],
        ),
        (S.DIAGNOSTIC_EVALUATION, 60, {}, [("90791", 1), ("90785", 1)]),
        (S.DIAGNOSTIC_EVALUATION, 60, {"rendering_credential": "MD/DO"}, [("90792", 1), ("90785", 1)]),
        (S.GROUP_PSYCHOTHERAPY, 60, {}, [("90853", 1), ("90785", 1)]),
        (S.CRISIS_PSYCHOTHERAPY, 20, {}, [("90832", 1), ("90785", 1)]),
    ],
)
def test_interactive_complexity_is_added_to_allowed_primaries(service, minutes, kwargs, expected):
    # when
    result = code_session(session(service, minutes, interactive_complexity=IC, **kwargs))

    # then
    assert lines(result) == expected
    assert result.problems == ()


@pytest.mark.parametrize(
    ("service", "minutes", "expected", "message"),
    [
        (
            S.CRISIS_PSYCHOTHERAPY,
            60,
            [("90839", 1)],
            "Interactive complexity (+90785) cannot be reported with 90839; it was not added.",
        ),
        (
            S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT,
            50,
            [("90847", 1)],
            "Interactive complexity (+90785) cannot be reported with 90847; it was not added.",
        ),
        (
            S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT,
            50,
            [("90846", 1)],
            "Interactive complexity (+90785) cannot be reported with 90846; it was not added.",
        ),
        (
            S.ABA_PROTOCOL_MODIFICATION,
            60,
            [("97155", 4)],
            "Interactive complexity (+90785) cannot be reported with 97155; it was not added.",
        ),
        (
            S.SKILLS_TRAINING,
            60,
            [("H2014", 4)],
            "Interactive complexity (+90785) cannot be reported with H2014; it was not added.",
        ),
    ],
)
def test_interactive_complexity_is_not_added_to_other_primaries(service, minutes, expected, message):
    # when
    result = code_session(session(service, minutes, interactive_complexity=IC))

    # then
    assert lines(result) == expected
    assert problem_codes(result) == [("interactive_complexity_not_allowed", "warning")]
    assert result.problems[0].message == message


def test_interactive_complexity_on_a_session_with_nothing_billable_adds_nothing():
    # when
    result = code_session(session(S.INDIVIDUAL_PSYCHOTHERAPY, 10, interactive_complexity=IC))

    # then
    assert result.lines == ()
    assert problem_codes(result) == [("time_below_minimum", "error")]


@pytest.mark.parametrize(
    ("_case", "codes", "expected"),
    [
        ("90785 with 90834", ["90834", "90785"], []),
        ("90785 with 90853", ["90853", "90785"], []),
        ("90785 with E/M add-on", ["99213", "90833", "90785"], []),
        ("90785 alone", ["90785"], [("add_on_without_primary", "+90785")]),
        (
            "90785 with 90839",
            ["90839", "90785"],
            [("add_on_without_primary", "+90785"), ("add_on_not_allowed", "+90785")],
        ),
        ("90785 with 90847 and 90837", ["90837", "90847", "90785"], [("add_on_not_allowed", "+90785")]),
        (
            "90785 with 97153",
            ["97153", "90785"],
            [("add_on_without_primary", "+90785"), ("add_on_not_allowed", "+90785")],
        ),
        ("90833 with E/M", ["99214", "90833"], []),
        ("90836 without E/M", ["90836"], [("add_on_without_primary", "+90836")]),
        ("90838 with 90837", ["99214", "90837", "90838"], [("add_on_not_allowed", "+90838")]),
        ("90833 with 90839", ["99214", "90839", "90833"], [("add_on_not_allowed", "+90833")]),
        ("90840 after 90839", ["90839", "90840"], []),
        ("90840 alone", ["90840"], [("add_on_without_primary", "+90840")]),
        ("90863 with 90834", ["90834", "90863"], []),
        ("90863 alone", ["90863"], [("add_on_without_primary", "+90863")]),
        ("90863 with crisis", ["90832", "90839", "90863"], [("add_on_not_allowed", "+90863")]),
        ("stand-alone codes", ["90837", "90853", "97153"], []),
    ],
)
def test_add_on_problems(_case, codes, expected):
    # when
    problems = add_on_problems(codes)

    # then
    assert [(str(p.code), p.message.split(" ")[0]) for p in problems] == expected
    assert all(p.severity == "error" for p in problems)


def test_add_on_messages_name_what_is_needed():
    # when
    problems = add_on_problems(["90840", "90785", "90847"])

    # then
    assert [p.message for p in problems] == [
        "+90840 is an add-on: it needs 90839 on the same date.",
        "+90785 is an add-on: it needs 90791, 90792, 90832, 90833, 90834, 90836, 90837, 90838, 90853 on the same date.",
        "+90785 cannot be reported with 90840, 90847.",
    ]


def test_interactive_complexity_on_one_session_does_not_leak_to_another():
    # given: group psychotherapy with interactive complexity, family psychotherapy without
    sessions = [
        session(S.GROUP_PSYCHOTHERAPY, 60, interactive_complexity=IC),
        session(S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, 50),
    ]

    # when
    result = code_day(sessions)

    # then: the day's 90846 makes the 90785 a pairing error (the source bans 90785 with 90846)
    assert lines(result) == [("90853", 1), ("90785", 1), ("90846", 1)]
    assert problem_codes(result) == [("add_on_not_allowed", "error")]
