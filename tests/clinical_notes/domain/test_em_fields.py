"""Psychotherapy with E/M: the E/M level, what supports it and interactive complexity as note
fields (issue 8, item 3) — the template data, the content shape and the documentation check."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from clinical_notes.domain.checks import run_documentation_checks
from clinical_notes.domain.codes import NoteProblemCode as Code
from clinical_notes.domain.content import content_shape_problems
from clinical_notes.domain.templates import (
    FieldKind,
    TemplateDataError,
    catalog,
    note_template_for,
    parse_catalog,
)
from coding.domain.types import InteractiveComplexityFactor
from core.domain.service_types import ServiceType
from tests.clinical_notes.domain.facts import make_facts
from tests.factories.clinical_content import complete_content_for

WITH_EM = ServiceType.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM


def test_the_psychotherapy_with_em_template_asks_for_the_level_and_its_support():
    template = note_template_for(WITH_EM)
    assert {"em_code", "em_basis"} <= set(template.required_fields)
    assert {"em_minutes", "em_decision_making", "interactive_complexity"} <= set(template.optional_fields)
    offered = [value for value, _label in catalog().fields["em_code"].options]
    assert offered == ["99202", "99203", "99204", "99205", "99212", "99213", "99214", "99215"]


@pytest.mark.parametrize(
    "service_type",
    [
        ServiceType.DIAGNOSTIC_EVALUATION,
        ServiceType.INDIVIDUAL_PSYCHOTHERAPY,
        WITH_EM,
        ServiceType.GROUP_PSYCHOTHERAPY,
    ],
)
def test_interactive_complexity_is_offered_where_90785_may_go(service_type):
    assert "interactive_complexity" in note_template_for(service_type).fields


@pytest.mark.parametrize(
    "service_type",
    [
        ServiceType.CRISIS_PSYCHOTHERAPY,
        ServiceType.FAMILY_PSYCHOTHERAPY_WITH_PATIENT,
        ServiceType.ABA_ASSESSMENT,
    ],
)
def test_interactive_complexity_is_not_offered_where_90785_never_goes(service_type):
    assert "interactive_complexity" not in note_template_for(service_type).fields


def test_the_four_reasons_are_the_coding_engines_factors():
    reasons = [value for value, _label in catalog().fields["interactive_complexity"].options]
    assert reasons == [
        f.value for f in InteractiveComplexityFactor if f is not InteractiveComplexityFactor.UNSPECIFIED
    ]
    assert catalog().fields["interactive_complexity"].kind is FieldKind.CHOICES


def test_every_offered_level_has_its_support_rule_and_the_data_refuses_a_gap():
    raw = json.loads(resources.files("clinical_notes.data").joinpath("note_templates.json").read_text())
    assert parse_catalog(raw).em_levels["99214"].min_minutes == 30
    del raw["em_levels"]["99214"]
    with pytest.raises(TemplateDataError, match="em_levels"):
        parse_catalog(raw)


@pytest.mark.parametrize(
    ("_case", "content", "ok"),
    [
        ("a level on the list", {"em_code": "99214"}, True),
        ("99211 is not offered", {"em_code": "99211"}, False),
        ("a level as a number", {"em_code": 99214}, False),
        ("a basis on the list", {"em_basis": "time"}, True),
        ("an unknown basis", {"em_basis": "history"}, False),
        ("minutes", {"em_minutes": 25}, True),
        ("zero minutes", {"em_minutes": 0}, True),
        ("a day of minutes", {"em_minutes": 1440}, True),
        ("over a day", {"em_minutes": 1441}, False),
        ("negative minutes", {"em_minutes": -1}, False),
        ("minutes as text", {"em_minutes": "25"}, False),
        ("minutes as a boolean", {"em_minutes": True}, False),
        ("two reasons", {"interactive_complexity": ["sentinel_event", "play_or_devices"]}, True),
        ("a reason twice", {"interactive_complexity": ["sentinel_event", "sentinel_event"]}, False),
        ("an unknown reason", {"interactive_complexity": ["translation_only"]}, False),
        ("a reason not in a list", {"interactive_complexity": "sentinel_event"}, False),
    ],
)  # fmt: skip
def test_content_shape_of_the_new_fields(_case, content, ok):
    assert (content_shape_problems(content) == []) is ok


def em_note(**answers: Any) -> list[str]:
    content = complete_content_for(WITH_EM, seed=1)
    for key, value in answers.items():
        if value is None:
            content.pop(key, None)
        else:
            content[key] = value
    return sorted(p.code for p in run_documentation_checks(make_facts(WITH_EM, content=content)))


@pytest.mark.parametrize(
    ("_case", "answers", "expected"),
    [
        ("decision making described", {"em_code": "99214", "em_basis": "mdm"}, []),
        ("decision making not described", {"em_code": "99214", "em_basis": "mdm", "em_decision_making": None}, [Code.EM_LEVEL_NOT_SUPPORTED]),
        ("99214 by time, 30 minutes", {"em_code": "99214", "em_basis": "time", "em_minutes": 30}, []),
        ("99214 by time, 29 minutes", {"em_code": "99214", "em_basis": "time", "em_minutes": 29}, [Code.EM_LEVEL_NOT_SUPPORTED]),
        ("99212 by time, 10 minutes", {"em_code": "99212", "em_basis": "time", "em_minutes": 10}, []),
        ("99212 by time, 9 minutes", {"em_code": "99212", "em_basis": "time", "em_minutes": 9}, [Code.EM_LEVEL_NOT_SUPPORTED]),
        ("99205 by time, 60 minutes", {"em_code": "99205", "em_basis": "time", "em_minutes": 60}, []),
        ("99205 by time, 59 minutes", {"em_code": "99205", "em_basis": "time", "em_minutes": 59}, [Code.EM_LEVEL_NOT_SUPPORTED]),
        ("by time, minutes missing", {"em_code": "99213", "em_basis": "time"}, [Code.EM_LEVEL_NOT_SUPPORTED]),
        ("no level", {"em_code": None}, [Code.MISSING_REQUIRED_FIELD]),
        ("no basis", {"em_basis": None}, [Code.MISSING_REQUIRED_FIELD]),
    ],
)  # fmt: skip
def test_the_em_level_is_supported_by_decision_making_or_time(_case, answers, expected):
    assert em_note(**answers) == expected


def test_too_little_time_names_the_level_the_time_supports():
    content = {
        **complete_content_for(WITH_EM, seed=1),
        "em_code": "99215",
        "em_basis": "time",
        "em_minutes": 32,
    }
    problem = next(p for p in run_documentation_checks(make_facts(WITH_EM, content=content)))
    assert (
        problem.message == "99215 by time needs at least 40 minutes of E/M time on the date; 32 are recorded."
    )
    assert problem.fix_hint == "Choose 99214, or support the level by medical decision making."


@pytest.mark.parametrize(
    ("code", "minutes"),
    [
        ("99202", 15),
        ("99203", 30),
        ("99204", 45),
        ("99205", 60),
        ("99212", 10),
        ("99213", 20),
        ("99214", 30),
        ("99215", 40),
    ],
)
def test_each_levels_minutes_by_time_at_the_edge(code, minutes):
    assert em_note(em_code=code, em_basis="time", em_minutes=minutes) == []
    assert em_note(em_code=code, em_basis="time", em_minutes=minutes - 1) == [Code.EM_LEVEL_NOT_SUPPORTED]
