"""Synthetic note content (pure: no Django): the demo seed and the tests fill notes with it."""

from __future__ import annotations

import random

from clinical_notes.domain.templates import FieldKind, catalog, note_template_for
from core.domain.service_types import ServiceType

_VOCABULARY = [
    "anxiety",
    "mood",
    "sleep",
    "school",
    "work",
    "family",
    "sister",
    "brother",
    "mother",
    "father",
    "friend",
    "coach",
    "teacher",
    "breathing",
    "grounding",
    "exposure",
    "hierarchy",
    "worksheet",
    "homework",
    "journal",
    "trigger",
    "craving",
    "urge",
    "reframe",
    "thought",
    "evidence",
    "balanced",
    "alternative",
    "behavior",
    "reinforcement",
    "prompt",
    "token",
    "chart",
    "morning",
    "evening",
    "weekend",
    "appointment",
    "bus",
    "kitchen",
    "playground",
    "classroom",
    "recess",
    "lunch",
    "shopping",
    "calm",
    "tense",
    "tearful",
    "smiling",
    "engaged",
    "hesitant",
    "curious",
    "quiet",
    "talkative",
    "focused",
    "restless",
    "practised",
    "rehearsed",
    "described",
    "identified",
    "reported",
    "demonstrated",
    "completed",
    "initiated",
    "requested",
    "refused",
    "tolerated",
    "attempted",
    "modelled",
    "reviewed",
    "planned",
    "scheduled",
    "discussed",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "ten",
    "twelve",
    "fifteen",
    "twenty",
    "minutes",
    "trials",
    "steps",
    "targets",
    "goals",
]


def narrative(seed: int, words: int = 14) -> str:
    """A deterministic synthetic sentence; different seeds give dissimilar texts."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo text
    return " ".join(rng.choice(_VOCABULARY) for _ in range(words)).capitalize() + "."


# A choice answer other than the list's first: an established patient's E/M visit, supported by
# medical decision making (the decision-making text is filled like the other narratives).
_CHOICES = {"em_code": "99213", "em_basis": "mdm"}


def complete_content_for(
    service_type: ServiceType | str, *, seed: int = 0, patient_present: bool | None = None
) -> dict[str, object]:
    """Content that fills every required (and optional) field of the service type's template."""
    template = note_template_for(service_type)
    cat = catalog()
    content: dict[str, object] = {}
    for index, key in enumerate(template.fields):
        kind = cat.fields[key].kind
        if kind is FieldKind.PARTICIPANTS:
            present = (
                patient_present
                if patient_present is not None
                else template.patient_presence.value != "absent"
            )
            content[key] = {"patient_present": present, "others": "" if present else "mother and father"}
        elif kind is FieldKind.INTERVENTIONS:
            content[key] = [template.interventions[0].code]
        elif kind is FieldKind.CHOICE:
            content[key] = _CHOICES.get(key, cat.fields[key].options[0][0])
        elif kind in (FieldKind.CHOICES, FieldKind.MINUTES):
            continue  # optional answers that change the billing (+90785, the E/M time): left out
        else:
            content[key] = narrative(seed * 100 + index)
    return content
