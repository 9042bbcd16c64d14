"""The charge set's status: derived from the scrubber's findings and the biller's review.

    captured  --scrub-->  on_hold (errors)  |  ready (no errors)  |  reviewed (no errors, reviewed)

* A fresh capture is `captured` until the scrubber has run (in the same transaction).
* `on_hold` whenever errors remain, whatever the review; `ready` once none remain.
* A biller marks a set reviewed only when no errors remain (`review_problems`); it is then
  `reviewed`. An override re-runs the scrubber: errors put the set back on hold, and a changed
  line needs a fresh review (the review is cleared).
"""

from __future__ import annotations

from claims.domain.types import ChargeStatus
from core.domain.problems import Problem


class ChargeRuleCode:
    NOT_REVIEWABLE = "charges_not_reviewable"
    ALREADY_REVIEWED = "charges_already_reviewed"


def status_after_scrub(*, has_errors: bool, reviewed: bool) -> ChargeStatus:
    if has_errors:
        return ChargeStatus.ON_HOLD
    return ChargeStatus.REVIEWED if reviewed else ChargeStatus.READY


def review_problems(*, status: ChargeStatus, error_count: int) -> list[Problem]:
    """Whether a biller may mark the charges reviewed now."""
    if status is ChargeStatus.REVIEWED:
        return [
            Problem(
                code=ChargeRuleCode.ALREADY_REVIEWED,
                message="These charges are already reviewed.",
                field="status",
            )
        ]
    if error_count or status is ChargeStatus.ON_HOLD:
        return [
            Problem(
                code=ChargeRuleCode.NOT_REVIEWABLE,
                message=f"Fix the scrubber's {error_count} error(s) before marking the charges reviewed.",
                field="status",
                fix_hint="Override the lines the findings point at (with a reason), or fix the record and re-scrub.",
            )
        ]
    return []
