"""The shape of note content on draft saves (pure)."""

from __future__ import annotations

import pytest

from clinical_notes.domain.codes import NoteProblemCode as Code
from clinical_notes.domain.content import content_shape_problems


@pytest.mark.parametrize(
    ("_case", "content", "expected"),
    [
        ("empty draft", {}, []),
        (
            "half-written draft",
            {"plan": "", "interventions": [], "participants": {"patient_present": None}},
            [],
        ),
        ("unknown key", {"mood_score": "7"}, [(Code.UNKNOWN_FIELD, "content.mood_score")]),
        ("text as a number", {"plan": 7}, [(Code.FIELD_WRONG_TYPE, "content.plan")]),
        (
            "interventions as text",
            {"interventions": "cbt"},
            [(Code.FIELD_WRONG_TYPE, "content.interventions")],
        ),
        (
            "repeated intervention",
            {"interventions": ["cbt", "cbt"]},
            [(Code.FIELD_WRONG_TYPE, "content.interventions")],
        ),
        ("participants as text", {"participants": "mom"}, [(Code.FIELD_WRONG_TYPE, "content.participants")]),
        (
            "presence as text",
            {"participants": {"patient_present": "yes"}},
            [(Code.FIELD_WRONG_TYPE, "content.participants.patient_present")],
        ),
        (
            "extra participant key",
            {"participants": {"patient_present": True, "x": 1}},
            [(Code.FIELD_WRONG_TYPE, "content.participants")],
        ),
        ("text too long", {"plan": "x" * 20_001}, [(Code.FIELD_TOO_LONG, "content.plan")]),
    ],
)
def test_content_shape(_case, content, expected):
    assert [(p.code, p.field) for p in content_shape_problems(content)] == expected
