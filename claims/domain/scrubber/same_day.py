"""Same-day conflicts: code pairs a payer does not pay together on one date (issue 8, item 4).

The pairs are data: the national defaults in `payer_rules/data/same_day_conflicts.json`, which
a payer's rules override by name or add to (`payer_rules.domain.same_day`). A line conflicts
with another line of this claim, or with a line already captured or billed for the patient on
the date of service (by the same rendering provider when the rule says so).

A pair the add-on rules already report (+90785 with crisis psychotherapy: `check_add_ons`) is
not reported twice.
"""

from __future__ import annotations

from claims.domain.scrubber.common import ScrubCode, billed_lines, rules_label
from claims.domain.types import ClaimToBe
from coding.domain.families import coding_data
from core.domain.problems import Problem, Severity
from core.formatting import date_label
from payer_rules.domain.same_day import SameDayRule, SameDaySeverity, same_day_rules

DEFAULT_FIX_HINT = "Bill the code the note supports and drop the other (set its units to 0, with a reason)."


def _reported_by_add_on_rules(first: str, second: str) -> bool:
    add_ons = coding_data().add_ons
    return any(
        (rule := add_ons.get(a)) is not None and b in rule.never_with
        for a, b in ((first, second), (second, first))
    )


def _finding(claim: ClaimToBe, rule: SameDayRule, index: int, code: str, other: str, where: str) -> Problem:
    who = " by the same provider" if rule.same_provider else ""
    why = f": {rule.why}" if rule.why else ""
    return Problem(
        code=ScrubCode.SAME_DAY_CONFLICT,
        message=(
            f"{code} and {other} on {date_label(claim.date_of_service)}{who} ({where}) do not go together under "
            f"{rules_label(claim)}{why}."
        ),
        field=f"lines[{index}].code",
        severity=Severity.ERROR if rule.severity == SameDaySeverity.ERROR else Severity.WARNING,
        fix_hint=rule.fix_hint or DEFAULT_FIX_HINT,
    )


def check_same_day(claim: ClaimToBe) -> list[Problem]:
    mine = billed_lines(claim)
    me = claim.rendering.provider_id if claim.rendering is not None else None
    day = [p for p in claim.prior_lines if p.date_of_service == claim.date_of_service and p.units]
    problems: list[Problem] = []
    for rule in same_day_rules(claim.policy.same_day):
        if rule.severity == SameDaySeverity.OFF:
            continue
        others = [p for p in day if not rule.same_provider or p.rendering_provider_id == me]
        for position, (index, line) in enumerate(mine):
            partners = rule.partners(line.code)
            if not partners:
                continue
            for _, other in mine[position + 1 :]:
                if other.code in partners and not _reported_by_add_on_rules(line.code, other.code):
                    problems.append(_finding(claim, rule, index, line.code, other.code, "both on this claim"))
            for prior in others:
                if prior.code in partners and not _reported_by_add_on_rules(line.code, prior.code):
                    problems.append(
                        _finding(
                            claim,
                            rule,
                            index,
                            line.code,
                            prior.code,
                            f"{prior.code} {prior.source}, {prior.reference}",
                        )
                    )
    return problems
