"""The requirements data: complete, consistent, and loaded into frozen dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import json
from importlib import resources

import pytest

from clinical_notes.domain.templates import (
    PatientPresence,
    TemplateDataError,
    catalog,
    instrument_for,
    note_template_for,
    parse_catalog,
)
from core.domain.service_types import ServiceType

S = ServiceType


def _raw() -> dict:
    text = resources.files("clinical_notes.data").joinpath("note_templates.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_every_service_type_has_a_template():
    assert set(catalog().templates) == set(ServiceType)


@pytest.mark.parametrize(
    ("service_type", "timed", "minimum"),
    [
        (S.DIAGNOSTIC_EVALUATION, False, 0),
        (S.INDIVIDUAL_PSYCHOTHERAPY, True, 16),
        (S.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM, True, 16),
        (S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, True, 26),
        (S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, True, 26),
        (S.GROUP_PSYCHOTHERAPY, False, 0),
        (S.CRISIS_PSYCHOTHERAPY, True, 30),
        (S.ABA_ASSESSMENT, True, 8),
        (S.ABA_TECHNICIAN_TREATMENT, True, 8),
        (S.ABA_PROTOCOL_MODIFICATION, True, 8),
        (S.ABA_FAMILY_GUIDANCE, True, 8),
        (S.BEHAVIORAL_HEALTH_COUNSELING, True, 8),
        (S.THERAPEUTIC_BEHAVIORAL_SERVICES, True, 8),
        (S.SKILLS_TRAINING, True, 8),
        (S.PSYCHOSOCIAL_REHABILITATION, True, 8),
        (S.CASE_MANAGEMENT, True, 8),
        (S.PEER_SUPPORT, True, 8),
        (S.CRISIS_INTERVENTION_SERVICE, True, 8),
        (S.MH_ASSESSMENT_NONPHYSICIAN, False, 0),
        (S.SERVICE_PLAN_DEVELOPMENT, False, 0),
    ],
)
def test_minimum_minutes_per_service_type(service_type, timed, minimum):
    template = note_template_for(service_type)
    assert (template.timed, template.min_minutes) == (timed, minimum)


def test_crisis_psychotherapy_falls_back_to_psychotherapy_and_requires_risk():
    template = note_template_for("crisis_psychotherapy")
    assert template.short_time_bills_as is S.INDIVIDUAL_PSYCHOTHERAPY
    assert template.risk_assessment_required is True
    assert {"risk_factors", "safety_plan"} <= set(template.required_fields)


@pytest.mark.parametrize(
    ("service_type", "presence"),
    [
        (S.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT, PatientPresence.ABSENT),
        (S.FAMILY_PSYCHOTHERAPY_WITH_PATIENT, PatientPresence.PRESENT),
        (S.ABA_FAMILY_GUIDANCE, PatientPresence.ANY),
        (S.INDIVIDUAL_PSYCHOTHERAPY, PatientPresence.PRESENT),
    ],
)
def test_patient_presence_per_service(service_type, presence):
    assert note_template_for(service_type).patient_presence is presence


@pytest.mark.parametrize(
    ("code", "low", "high"),
    [("PHQ9", 0, 27), ("GAD7", 0, 21), ("PCL5", 0, 80), ("AUDIT", 0, 40), ("CSSRS", 0, 6), ("K10", 10, 50)],
)
def test_instrument_ranges(code, low, high):
    instrument = instrument_for(code)
    assert (instrument.min_score, instrument.max_score) == (low, high)
    assert instrument.accepts(low)
    assert instrument.accepts(high)
    assert not instrument.accepts(low - 1)
    assert not instrument.accepts(high + 1)


def test_templates_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        note_template_for("individual_psychotherapy").min_minutes = 1  # type: ignore[misc]


def test_unknown_service_type_is_rejected():
    with pytest.raises(ValueError, match="not_a_service"):
        note_template_for("not_a_service")


def _broken(mutate) -> dict:
    raw = copy.deepcopy(_raw())
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    ("_case", "mutate", "message"),
    [
        (
            "a service type without a template",
            lambda r: r["service_types"].pop("peer_support"),
            "no template for peer_support",
        ),
        (
            "an unknown field",
            lambda r: r["service_types"]["peer_support"]["required"].append("mood"),
            "unknown field 'mood'",
        ),
        (
            "an unknown intervention list",
            lambda r: r["service_types"]["peer_support"].update(interventions="nope"),
            "unknown list",
        ),
        (
            "interventions asked for without a list",
            lambda r: r["service_types"]["peer_support"].update(interventions=None),
            "has no pick list",
        ),
        ("a bad clone threshold", lambda r: r["quality"].update(clone_similarity_threshold=1.5), "(0, 1]"),
        (
            "an inverted instrument range",
            lambda r: r["instruments"]["PHQ9"].update(min=30),
            "min must be below max",
        ),
        (
            "risk required without the fields",
            lambda r: r["service_types"]["peer_support"].update(risk_assessment_required=True),
            "risk_factors and safety_plan",
        ),
        (
            "minimum minutes on an untimed service",
            lambda r: r["service_types"]["group_psychotherapy"].update(min_minutes=10),
            "untimed",
        ),
        (
            "an unknown service type",
            lambda r: r["service_types"].update(yoga={"required": []}),
            "unknown service type",
        ),
    ],
)
def test_malformed_data_is_rejected(_case, mutate, message):
    with pytest.raises(
        TemplateDataError, match=message.replace("(", r"\(").replace(")", r"\)").replace("]", r"\]")
    ):
        parse_catalog(_broken(mutate))
