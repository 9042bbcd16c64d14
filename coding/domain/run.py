"""The working state of one coding run: lines being built, problems and reasons collected."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from coding.domain.code_sets import CodeCatalog
from coding.domain.codes import CodingProblemCode as C
from coding.domain.families import CodingData
from coding.domain.types import PayerCodingRules, SessionFacts
from core.domain.problems import Problem, Severity

TELEHEALTH_POS_CODES = frozenset({"02", "10"})
MAX_MODIFIERS_PER_LINE = 4  # 837P SV101-3..6


@dataclass(slots=True)
class Draft:
    """A line while it is being built (mutable; becomes a ChargeLine at the end)."""

    code: str
    session: int
    minutes: int = 0
    units: int | None = None  # None: counted from minutes by the unit rule
    add_on: bool = False
    modifiers: list[str] = field(default_factory=list)
    pos: str = ""
    timed: bool = False  # counted in 15-minute units by the unit rule


@dataclass(slots=True)
class Run:
    sessions: Sequence[SessionFacts]
    rules: PayerCodingRules
    catalog: CodeCatalog
    data: CodingData
    day: date
    problems: list[Problem] = field(default_factory=list)
    why: list[str] = field(default_factory=list)

    def problem(
        self, code: C, message: str, *, field: str = "", warning: bool = False, fix_hint: str = ""
    ) -> None:
        severity = Severity.WARNING if warning else Severity.ERROR
        self.problems.append(
            Problem(code=code, message=message, field=field, severity=severity, fix_hint=fix_hint)
        )
