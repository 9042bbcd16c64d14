"""One table of care-team memberships around day D, shared by the rule's pure and query tests.

Each case: (name, starts_on, ends_on, state on D). Both `patients.domain.care_team` and
`CareTeamMember.objects.active_on` must agree with it, so moving an edge (≤ → <), dropping the
end-date clause or treating a missing side as closed fails a test on each side.
"""

from __future__ import annotations

import datetime as dt

from patients.domain.care_team import CareTeamState

D = dt.date(2026, 3, 16)
DAY = dt.timedelta(days=1)

CARE_TEAM_CASES: list[tuple[str, dt.date | None, dt.date | None, CareTeamState]] = [
    ("first_day", D, None, CareTeamState.CURRENT),
    ("day_before_the_first", D + DAY, None, CareTeamState.FUTURE),
    ("last_day", D - 30 * DAY, D, CareTeamState.CURRENT),
    ("day_after_the_last", D - 30 * DAY, D - DAY, CareTeamState.ENDED),
    ("one_day_membership_on_that_day", D, D, CareTeamState.CURRENT),
    ("ended_long_ago", D - 90 * DAY, D - 60 * DAY, CareTeamState.ENDED),
    ("future", D + 10 * DAY, D + 40 * DAY, CareTeamState.FUTURE),
    ("open_ended", D - 30 * DAY, None, CareTeamState.CURRENT),
    ("no_start_until_the_last_day", None, D, CareTeamState.CURRENT),
    ("no_start_ended_yesterday", None, D - DAY, CareTeamState.ENDED),
    ("no_dates_at_all", None, None, CareTeamState.CURRENT),
]


def edges_around(today: dt.date) -> list[tuple[str, dt.date | None, dt.date | None, bool]]:
    """The four edges each app's caseload scoping must get right: (name, starts_on, ends_on, visible)."""
    return [
        ("first_day", today, None, True),
        ("day_before_the_first", today + DAY, None, False),
        ("last_day", today - 30 * DAY, today, True),
        ("day_after_the_last", today - 30 * DAY, today - DAY, False),
    ]
