"""Editing a version of a payer's rules without rewriting the past (pure).

A version whose first day has come (it is in force, or ended) has already decided claims: its
rules and its first day stay as they are. A change to its rules becomes a new version from a day
the admin chooses (`revision_problems`): the old version ends the day before and keeps its rules
for earlier dates of service. In place, such a version may only get other notes, or an end date
from today on (`in_place_edit_problems`). A version that has not started yet is edited freely.
"""

from __future__ import annotations

from datetime import date

from core.domain.problems import Problem
from core.formatting import date_label
from payer_rules.domain.policy import VersionSpan


class VersionEditCode:
    RULES_IN_FORCE = "rule_set_rules_in_force"
    START_IN_FORCE = "rule_set_start_in_force"
    END_IN_PAST = "rule_set_end_in_past"
    CHANGE_FROM_TOO_EARLY = "rule_set_change_from_too_early"
    CHANGE_FROM_AFTER_END = "rule_set_change_from_after_end"
    NOT_STARTED = "rule_set_not_started"


def has_started(version: VersionSpan, *, today: date) -> bool:
    """The version's first day has come: claims may already use it."""
    return version.effective_from <= today


def in_place_edit_problems(
    version: VersionSpan,
    *,
    rules_changed: bool,
    effective_from: date,
    effective_to: date | None,
    today: date,
) -> list[Problem]:
    """What an in-place edit of `version` may not do once it has started."""
    if not has_started(version, today=today):
        return []
    start = date_label(version.effective_from)
    problems: list[Problem] = []
    if rules_changed:
        problems.append(
            Problem(
                VersionEditCode.RULES_IN_FORCE,
                f"These rules have been in force since {start} and claims already used them. Save the "
                "changes as a new version from the date they apply; the earlier dates keep these rules.",
                "__all__",
            )
        )
    if effective_from != version.effective_from:
        problems.append(
            Problem(
                VersionEditCode.START_IN_FORCE,
                f"This version has been in force since {start}; its first day cannot move.",
                "effective_from",
            )
        )
    if effective_to != version.effective_to and effective_to is not None and effective_to < today:
        problems.append(
            Problem(
                VersionEditCode.END_IN_PAST,
                f"Ending it before today ({date_label(today)}) would change the rules of dates of "
                "service already passed; end it today or later.",
                "effective_to",
            )
        )
    return problems


def revision_problems(version: VersionSpan, *, change_from: date, today: date) -> list[Problem]:
    """Whether the changes may start on `change_from` as a new version cut from `version`: after
    its first day (which keeps at least one day) and no later than its last."""
    if not has_started(version, today=today):
        return [
            Problem(
                VersionEditCode.NOT_STARTED,
                "This version has not started yet: edit it in place.",
                "effective_from",
            )
        ]
    if change_from <= version.effective_from:
        return [
            Problem(
                VersionEditCode.CHANGE_FROM_TOO_EARLY,
                f"The changes must start after {date_label(version.effective_from)}, the version's first "
                "day (that day keeps the rules claims were made with).",
                "effective_from",
            )
        ]
    if version.effective_to is not None and change_from > version.effective_to:
        return [
            Problem(
                VersionEditCode.CHANGE_FROM_AFTER_END,
                f"This version ends on {date_label(version.effective_to)}; for later dates add a new version.",
                "effective_from",
            )
        ]
    return []
