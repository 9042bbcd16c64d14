"""What stands in the way of an upcoming session, from the coverage's latest check (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from eligibility.domain.summary import Summary


class SessionProblem(StrEnum):
    UNVERIFIED = "unverified"
    INACTIVE = "inactive"
    AUTH_REQUIRED = "auth_required"


PROBLEM_LABELS: dict[SessionProblem, str] = {
    SessionProblem.UNVERIFIED: "Eligibility not verified",
    SessionProblem.INACTIVE: "Coverage not active",
    SessionProblem.AUTH_REQUIRED: "Authorization required, none on file",
}


@dataclass(frozen=True, slots=True)
class LatestCheck:
    service_date: date
    summary: Summary | None  # None: the check has not finished or failed


def session_problems(
    *, appointment_on: date, latest: LatestCheck | None, window_days: int, has_authorization: bool
) -> list[SessionProblem]:
    """Unverified: no finished check for a date within `window_days` of the session. Inactive:
    the finished check says the coverage does not hold. Auth required: the payer says so and no
    authorization covers the date."""
    if latest is None or latest.summary is None:
        return [SessionProblem.UNVERIFIED]
    if abs((appointment_on - latest.service_date).days) > window_days:
        return [SessionProblem.UNVERIFIED]
    if not latest.summary.covered:
        return [SessionProblem.INACTIVE]
    if latest.summary.auth_required and not has_authorization:
        return [SessionProblem.AUTH_REQUIRED]
    return []
