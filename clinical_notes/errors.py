"""Errors specific to session notes (all are core.errors types, so the API shapes them)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError

from core.domain.problems import Problem, field_errors, problem_as_dict
from core.errors import ValidationFailed


class NoteErrorCode:
    DOCUMENTATION_INCOMPLETE = "documentation_incomplete"
    NOTE_NOT_EDITABLE = "note_not_editable"
    STALE_VERSION = "stale_version"
    TRANSITION_CONFLICT = "transition_conflict"
    NOTE_EXISTS_FOR_APPOINTMENT = "note_exists_for_appointment"
    TRANSITION_INVALID = "transition_invalid"


class NoteRuleViolation(ValidationFailed):
    """A rule blocked the change. `extra` = {"fields": {...}, "problems": [problem dicts]}."""

    def __init__(self, message: str, *, problems: Sequence[Problem], code: str) -> None:
        super().__init__(message, field_errors=field_errors(list(problems)), code=code)
        self.problems = tuple(problems)
        self.extra["problems"] = [problem_as_dict(p) for p in problems]


class FinalNoteImmutable(IntegrityError):
    """Raised by the model guards (ORM save/delete/update of a final note or its parts).

    A subclass of IntegrityError so callers see the same error type as the PostgreSQL
    trigger raises for paths the ORM guards cannot see (raw SQL).
    """

    def __init__(self, message: str = "A final note cannot be changed; add an addendum instead.") -> None:
        super().__init__(message)
