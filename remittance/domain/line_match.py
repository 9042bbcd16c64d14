"""A biller's line-by-line match of one ERA claim (R17): each ERA service line (SVC) goes to one
of the claim's billed lines. Several SVCs may go to one billed line: the payer split it (R13).
Pure: the service passes plain values and posts with the assignment once it has no problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from core.domain.problems import Problem
from remittance.domain.posting import BilledLine


@dataclass(frozen=True, slots=True)
class EraLineFacts:
    """What the guess compares of one ERA service line."""

    era_line_id: int
    code: str  # the billed code (SVC06 when the payer changed it, else SVC01)
    modifiers: tuple[str, ...]
    service_date: date | None
    charge_cents: int
    control_number: str  # REF*6R, "" when the payer did not echo it


def assignment_problems(
    *, era_line_ids: Sequence[int], billed_line_ids: Sequence[str], assignment: Mapping[int, str]
) -> list[Problem]:
    """Every ERA line assigned, once, to a billed line of that claim; nothing else assigned."""
    problems: list[Problem] = []
    billed = set(billed_line_ids)
    for era_line_id in era_line_ids:
        target = assignment.get(era_line_id)
        field = f"lines.{era_line_id}"
        if target is None:
            problems.append(Problem("line_unassigned", "Choose the billed line this ERA line pays.", field))
        elif target not in billed:
            problems.append(Problem("line_not_on_claim", "That billed line is not on this claim.", field))
    for extra in sorted(set(assignment) - set(era_line_ids)):
        problems.append(Problem("not_an_era_line", "This line is not on the ERA claim.", f"lines.{extra}"))
    if not era_line_ids:
        problems.append(Problem("no_lines", "This ERA claim has no service lines to match.", "lines"))
    return problems


def _score(line: EraLineFacts, billed: BilledLine) -> int:
    if line.control_number and line.control_number == billed.control_number:
        return 100
    return (
        8 * (line.service_date is not None and line.service_date == billed.service_date)
        + 4 * (line.charge_cents == billed.charge_cents)
        + 2 * (line.code == billed.code)
        + 1 * (line.code == billed.code and line.modifiers == billed.modifiers)
    )


def best_guesses(lines: Sequence[EraLineFacts], billed: Sequence[BilledLine]) -> dict[int, str | None]:
    """The billed line to pre-select for each ERA line: the same REF*6R, else the one sharing most
    of date, charge, code and modifiers (in that order of weight), a line not yet taken first.
    None when nothing is shared (the biller must choose)."""
    guesses: dict[int, str | None] = {}
    taken: set[str] = set()
    for line in lines:
        ranked = sorted(
            billed, key=lambda b: (_score(line, b), b.line_id not in taken), reverse=True
        )  # stable: the first billed line wins a tie
        best = ranked[0] if ranked and _score(line, ranked[0]) > 0 else None
        guesses[line.era_line_id] = best.line_id if best else None
        if best is not None:
            taken.add(best.line_id)
    return guesses
