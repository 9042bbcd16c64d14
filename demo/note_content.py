"""Synthetic note content (pure: no Django): the demo seed and the tests fill notes with it, from
the phrase bank in `demo.note_phrases` (sentences per section and kind of service)."""

from __future__ import annotations

import random
import re

from clinical_notes.domain.templates import FieldKind, catalog, note_template_for
from core.domain.service_types import ServiceType
from demo.note_phrases import ABA, BANK, COMMUNITY, FILLERS, THERAPY

FAMILIES: dict[ServiceType, str] = {
    **dict.fromkeys(ServiceType, THERAPY),
    ServiceType.ABA_ASSESSMENT: ABA,
    ServiceType.ABA_TECHNICIAN_TREATMENT: ABA,
    ServiceType.ABA_PROTOCOL_MODIFICATION: ABA,
    ServiceType.ABA_FAMILY_GUIDANCE: ABA,
    ServiceType.THERAPEUTIC_BEHAVIORAL_SERVICES: ABA,
    ServiceType.SKILLS_TRAINING: COMMUNITY,
    ServiceType.PSYCHOSOCIAL_REHABILITATION: COMMUNITY,
    ServiceType.CASE_MANAGEMENT: COMMUNITY,
    ServiceType.PEER_SUPPORT: COMMUNITY,
    ServiceType.SERVICE_PLAN_DEVELOPMENT: COMMUNITY,
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _fill(sentence: str, rng: random.Random) -> str:
    text = _PLACEHOLDER.sub(lambda m: rng.choice(FILLERS[m.group(1)]), sentence)
    return text[:1].upper() + text[1:]


def section_text(service_type: ServiceType | str, key: str, *, seed: int, sentences: int = 2) -> str:
    """A deterministic passage for one note section: `sentences` different sentences of the
    service's phrase bank (the therapy bank when the service's own has none for the section)."""
    family = FAMILIES.get(ServiceType(service_type), THERAPY)
    options = BANK[family].get(key) or BANK[THERAPY].get(key) or BANK[THERAPY]["session_focus"]
    rng = random.Random(f"{seed}:{family}:{key}")  # noqa: S311 - synthetic demo text
    chosen = rng.sample(options, k=min(sentences, len(options)))
    return " ".join(_fill(sentence, rng) for sentence in chosen)


def narrative(seed: int, words: int = 14) -> str:
    """A deterministic synthetic passage of at least `words` words (tests and the demo)."""
    text = section_text(ServiceType.INDIVIDUAL_PSYCHOTHERAPY, "patient_response", seed=seed)
    extra = 0
    while len(text.split()) < words:
        extra += 1
        text += " " + section_text(
            ServiceType.INDIVIDUAL_PSYCHOTHERAPY, "progress", seed=seed + extra, sentences=1
        )
    return text


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
            content[key] = section_text(service_type, key, seed=seed * 100 + index)
    return content
