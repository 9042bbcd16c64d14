"""The shape of a note's `content` (the template's answers): checked on every draft save.

Shape only (known keys, right types, sane lengths). Whether the content is complete enough to
sign is the documentation checks' business; a draft may be half-written.
"""

from __future__ import annotations

from collections.abc import Mapping

from clinical_notes.domain.codes import NoteProblemCode as Code
from clinical_notes.domain.templates import FieldKind, TemplateCatalog, catalog
from core.domain.problems import Problem

MAX_TEXT_CHARS = 20_000
MAX_SHORT_TEXT_CHARS = 500
MAX_INTERVENTIONS = 40
MAX_MINUTES = 24 * 60
PARTICIPANT_KEYS = frozenset({"patient_present", "others"})


def _wrong_type(key: str, expected: str) -> Problem:
    return Problem(code=Code.FIELD_WRONG_TYPE, message=f"{key} must be {expected}.", field=f"content.{key}")


def _too_long(key: str, limit: int) -> Problem:
    return Problem(
        code=Code.FIELD_TOO_LONG, message=f"{key} is longer than {limit} characters.", field=f"content.{key}"
    )


def content_shape_problems(
    content: Mapping[str, object], cat: TemplateCatalog | None = None
) -> list[Problem]:
    cat = cat or catalog()
    problems: list[Problem] = []
    for key, value in content.items():
        spec = cat.fields.get(key)
        if spec is None:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_FIELD, message=f"{key} is not a note field.", field=f"content.{key}"
                )
            )
        elif spec.kind is FieldKind.TEXT:
            if not isinstance(value, str):
                problems.append(_wrong_type(key, "text"))
            elif len(value) > MAX_TEXT_CHARS:
                problems.append(_too_long(key, MAX_TEXT_CHARS))
        elif spec.kind is FieldKind.INTERVENTIONS:
            if not isinstance(value, list) or not all(isinstance(v, str) and 0 < len(v) <= 64 for v in value):
                problems.append(_wrong_type(key, "a list of intervention codes"))
            elif len(value) > MAX_INTERVENTIONS or len(set(value)) != len(value):
                problems.append(_wrong_type(key, f"at most {MAX_INTERVENTIONS} different codes"))
        elif spec.kind is FieldKind.CHOICE:
            if not isinstance(value, str) or value not in dict(spec.options):
                problems.append(_wrong_type(key, f"one of {', '.join(v for v, _ in spec.options)}"))
        elif spec.kind is FieldKind.CHOICES:
            allowed = dict(spec.options)
            if (
                not isinstance(value, list)
                or not all(isinstance(v, str) and v in allowed for v in value)
                or len(set(value)) != len(value)
            ):
                problems.append(_wrong_type(key, f"a list of different values from {', '.join(allowed)}"))
        elif spec.kind is FieldKind.MINUTES:
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_MINUTES:
                problems.append(_wrong_type(key, f"a whole number of minutes from 0 to {MAX_MINUTES}"))
        else:
            problems.extend(_participants_problems(key, value))
    return problems


def _participants_problems(key: str, value: object) -> list[Problem]:
    if not isinstance(value, Mapping) or not set(value) <= PARTICIPANT_KEYS:
        return [_wrong_type(key, "an object with patient_present and others")]
    present = value.get("patient_present")
    others = value.get("others", "")
    if present is not None and not isinstance(present, bool):
        return [_wrong_type(f"{key}.patient_present", "true, false or null")]
    if not isinstance(others, str):
        return [_wrong_type(f"{key}.others", "text")]
    if len(others) > MAX_SHORT_TEXT_CHARS:
        return [_too_long(f"{key}.others", MAX_SHORT_TEXT_CHARS)]
    return []
