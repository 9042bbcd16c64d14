"""The care-team rule: is this provider on this patient's care team on day D?

A membership runs from `starts_on` to `ends_on`, both days included; a missing `starts_on` or
`ends_on` leaves that side open. A membership that starts after D is not active yet (future); one
that ended before D is over (ended). Technicians see only the patients on their care teams
today, so this one rule scopes patients, appointments, notes and treatment plans.

The same rule, written for the database, is `CareTeamMemberQuerySet.active_on` next to the
model; the tests run both over one table of edge cases.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class CareTeamState(StrEnum):
    FUTURE = "future"
    CURRENT = "current"
    ENDED = "ended"


def care_team_state(*, starts_on: dt.date | None, ends_on: dt.date | None, on: dt.date) -> CareTeamState:
    """Where a membership stands on `on`: not started yet, in force, or over."""
    if ends_on is not None and ends_on < on:
        return CareTeamState.ENDED
    if starts_on is not None and starts_on > on:
        return CareTeamState.FUTURE
    return CareTeamState.CURRENT


def care_team_active(*, starts_on: dt.date | None, ends_on: dt.date | None, on: dt.date) -> bool:
    """starts_on ≤ on ≤ ends_on, each side open when missing."""
    return care_team_state(starts_on=starts_on, ends_on=ends_on, on=on) is CareTeamState.CURRENT
