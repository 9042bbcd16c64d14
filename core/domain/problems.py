"""A `Problem` is a rule's finding: a stable code, a severity, a plain message, a field path."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    field: str = ""
    severity: Severity = Severity.ERROR
    fix_hint: str = ""


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def field_errors(problems: list[Problem]) -> dict[str, list[str]]:
    """Group error messages by field path (for forms and the API's `extra.fields`)."""
    grouped: dict[str, list[str]] = {}
    for problem in errors_only(problems):
        grouped.setdefault(problem.field or "__all__", []).append(problem.message)
    return grouped


def problem_as_dict(problem: Problem) -> dict[str, str]:
    """The stored and JSON form of a problem (findings columns, the API's `extra.problems`)."""
    return {
        "code": str(problem.code),
        "message": problem.message,
        "field": problem.field,
        "severity": str(problem.severity),
        "fix_hint": problem.fix_hint,
    }
