"""Diagnosis pointers: at most 12 diagnoses on a claim (HI), at most 4 pointers per line (SV107).

Source: DOMAIN-coding-facts.md section 7. Diagnoses come ordered by rank (primary first); each
session's lines point at that session's first four diagnoses in the claim's list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coding.domain.codes import CodingProblemCode
from core.domain.problems import Problem, Severity

MAX_CLAIM_DIAGNOSES = 12
MAX_LINE_POINTERS = 4


@dataclass(frozen=True, slots=True)
class PointerPlan:
    claim_diagnoses: tuple[str, ...]  # the claim's HI list, in order (pointer n = item n-1)
    pointers: tuple[tuple[int, ...], ...]  # per input group: the 1-based pointers for its lines
    problems: tuple[Problem, ...]
    why: tuple[str, ...]


def plan_diagnosis_pointers(groups: Sequence[Sequence[str]]) -> PointerPlan:
    """Claim diagnoses and per-group line pointers for diagnosis lists ordered by rank.

    `groups` holds one ranked diagnosis list per session (one group for a single note). Codes
    are compared as given (normalise them first). The claim keeps the first 12 distinct codes
    in order of appearance; a group's lines point at its own first four that made the claim.
    """
    order: list[str] = []
    for group in groups:
        for code in group:
            if code not in order:
                order.append(code)
    claim = tuple(order[:MAX_CLAIM_DIAGNOSES])
    problems: list[Problem] = []
    why: list[str] = []
    if len(order) > MAX_CLAIM_DIAGNOSES:
        dropped = ", ".join(order[MAX_CLAIM_DIAGNOSES:])
        problems.append(
            Problem(
                code=CodingProblemCode.TOO_MANY_DIAGNOSES,
                message=f"A claim holds at most {MAX_CLAIM_DIAGNOSES} diagnoses; left off: {dropped}.",
                field="diagnoses",
                severity=Severity.WARNING,
                fix_hint="Rank the diagnoses so the ones treated today come first.",
            )
        )
    pointers: list[tuple[int, ...]] = []
    for group in groups:
        ranked = [claim.index(code) + 1 for code in dict.fromkeys(group) if code in claim]
        chosen = tuple(ranked[:MAX_LINE_POINTERS])
        pointers.append(chosen)
        if len(ranked) > MAX_LINE_POINTERS:
            why.append(
                f"A line points at no more than {MAX_LINE_POINTERS} diagnoses: the first four by rank "
                f"({', '.join(claim[p - 1] for p in chosen)})."
            )
    if claim:
        why.append(f"Claim diagnoses in rank order: {', '.join(claim)} (the first is the primary).")
    return PointerPlan(
        claim_diagnoses=claim, pointers=tuple(pointers), problems=tuple(problems), why=tuple(why)
    )
