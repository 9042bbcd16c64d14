"""The cost-benefit hint for low-value denials: expected recovery (the amount times the share
of such denials recovered when worked) against the cost of working the recommended action.
A hint only: nothing is written off on its own (R4)."""

from __future__ import annotations

from dataclasses import dataclass

from core.money import format_cents
from denials.domain.table import denial_table


@dataclass(frozen=True, slots=True)
class CostBenefit:
    expected_recovery_cents: int
    cost_cents: int
    low_value: bool
    hint: str


def cost_benefit(*, cents: int, category: str, action: str) -> CostBenefit:
    table = denial_table()
    percent = table.recovery_percent.get(category, table.recovery_percent["unknown"])
    expected = (cents * percent + 50) // 100  # integer cents, half up
    cost = table.cost_to_work_cents.get(action, table.cost_to_work_cents["look_up_code"])
    low = expected < cost
    hint = (
        f"Low value: about {format_cents(expected)} expected back for about {format_cents(cost)} of work. "
        "Consider writing it off (a person decides, with a reason)."
        if low
        else f"Worth working: about {format_cents(expected)} expected back for {format_cents(cost)} of work."
    )
    return CostBenefit(expected, cost, low, hint)
