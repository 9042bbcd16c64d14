"""What changed between two checks of the same coverage (pure), and which changes are alerts.

Compared: coverage (active ↔ not), the deductible (met), visits (running out: `VISITS_LOW` or
fewer left; used up), the copay and whether an authorization is now required. The first check
of a coverage has nothing to compare with. A failed check (no benefits) is never compared:
the workflow compares done checks only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from eligibility.domain.summary import Summary

VISITS_LOW = 3


class ChangeKind(StrEnum):
    COVERAGE_ENDED = "coverage_ended"
    COVERAGE_RESTORED = "coverage_restored"
    DEDUCTIBLE_MET = "deductible_met"
    VISITS_RUNNING_OUT = "visits_running_out"
    VISITS_USED_UP = "visits_used_up"
    COPAY_CHANGED = "copay_changed"
    AUTH_NOW_REQUIRED = "auth_now_required"


ALERTS = frozenset(
    {
        ChangeKind.COVERAGE_ENDED,
        ChangeKind.VISITS_RUNNING_OUT,
        ChangeKind.VISITS_USED_UP,
        ChangeKind.AUTH_NOW_REQUIRED,
    }
)


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    message: str

    @property
    def alert(self) -> bool:
        return self.kind in ALERTS


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def what_changed(previous: Summary | None, current: Summary) -> list[Change]:
    if previous is None:
        return []
    changes: list[Change] = []
    if previous.covered and not current.covered:
        changes.append(Change(ChangeKind.COVERAGE_ENDED, f"Coverage ended: {current.reason}"))
        return changes
    if not previous.covered and current.covered:
        changes.append(Change(ChangeKind.COVERAGE_RESTORED, "Coverage is active again."))
    if not current.covered:
        return changes
    if (
        current.deductible_left is not None
        and current.deductible_left == 0
        and (previous.deductible_left is None or previous.deductible_left > 0)
    ):
        changes.append(Change(ChangeKind.DEDUCTIBLE_MET, "The deductible has been met."))
    if current.visits_left is not None:
        before = previous.visits_left
        if current.visits_left == 0 and (before is None or before > 0):
            changes.append(Change(ChangeKind.VISITS_USED_UP, "No visits left this benefit period."))
        elif 0 < current.visits_left <= VISITS_LOW and (before is None or before > VISITS_LOW):
            changes.append(
                Change(ChangeKind.VISITS_RUNNING_OUT, f"Visits running out: {current.visits_left} left.")
            )
    if previous.copay is not None and current.copay is not None and previous.copay != current.copay:
        changes.append(
            Change(
                ChangeKind.COPAY_CHANGED,
                f"The copay changed from {_money(previous.copay)} to {_money(current.copay)}.",
            )
        )
    if current.auth_required and not previous.auth_required:
        changes.append(Change(ChangeKind.AUTH_NOW_REQUIRED, "A prior authorization is now required."))
    return changes
