"""Rules for insurance coverages. Pure: existing coverages and payer facts are passed in.

Decisions:
- Dates are inclusive; an open termination (None) means "until further notice". Two coverages of
  the same patient with the same priority may not both cover any one day, so a coverage that
  terminates on June 30 and another that starts on June 30 overlap; the second must start July 1.
- Self-pay is not a coverage. A patient with no active coverage is billed directly, so adding a
  coverage for a self-pay payer is rejected (it would carry a made-up member ID onto claims and
  eligibility requests).
- When the subscriber is the patient (relationship 18) the subscriber fields are not used (the
  service blanks them); otherwise name and date of birth are required (270/837P 2010BA).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from core.domain.identifiers import member_id_problems
from core.domain.problems import Problem
from core.formatting import date_label
from patients.domain.demographics import date_of_birth_problems
from patients.domain.problems import PatientProblem, required
from patients.domain.types import (
    PRIORITIES,
    SEX_CODES,
    SUBSCRIBER_RELATIONSHIPS,
    CoverageInput,
    CoverageSpan,
    PayerFacts,
)


class CoverageStatus(StrEnum):
    ACTIVE = "active"
    TERMINATED = "terminated"
    FUTURE = "future"


def coverage_status(
    *, effective_on: dt.date, terminates_on: dt.date | None, today: dt.date
) -> CoverageStatus:
    if effective_on > today:
        return CoverageStatus.FUTURE
    if terminates_on is not None and terminates_on < today:
        return CoverageStatus.TERMINATED
    return CoverageStatus.ACTIVE


def spans_overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Inclusive date ranges; None is open-ended."""
    a_before_b_ends = b_end is None or a_start <= b_end
    b_before_a_ends = a_end is None or b_start <= a_end
    return a_before_b_ends and b_before_a_ends


def payer_problems(payer: PayerFacts | None, *, practice_id: int, field: str = "payer") -> list[Problem]:
    # Another practice's payer reads the same as a missing one: no hint that it exists.
    if payer is None or payer.practice_id != practice_id:
        return [Problem(PatientProblem.PAYER_UNKNOWN, "Choose one of this practice's payers.", field)]
    if not payer.is_active:
        return [
            Problem(
                PatientProblem.PAYER_INACTIVE,
                "This payer is inactive; choose an active payer.",
                field,
                fix_hint="Reactivate the payer on the payers screen if the practice bills it again.",
            )
        ]
    if payer.is_self_pay:
        return [
            Problem(
                PatientProblem.PAYER_SELF_PAY,
                "Self-pay is not a coverage: leave the patient without coverage and they are billed directly.",
                field,
            )
        ]
    return []


def coverage_dates_problems(effective_on: dt.date | None, terminates_on: dt.date | None) -> list[Problem]:
    if effective_on is None:
        return [Problem(PatientProblem.REQUIRED, "Effective date is required.", "effective_on")]
    if terminates_on is not None and terminates_on < effective_on:
        return [
            Problem(
                PatientProblem.COVERAGE_DATES_ORDER,
                "The termination date can't be before the effective date.",
                "terminates_on",
            )
        ]
    return []


def subscriber_problems(coverage: CoverageInput, *, today: dt.date) -> list[Problem]:
    if coverage.subscriber_relationship not in SUBSCRIBER_RELATIONSHIPS:
        return [
            Problem(
                PatientProblem.RELATIONSHIP_INVALID,
                "Choose the patient's relationship to the subscriber.",
                "subscriber_relationship",
            )
        ]
    if coverage.subscriber_is_patient:
        return []
    problems = [
        *required(coverage.subscriber_first_name, "subscriber_first_name", "Subscriber's first name"),
        *required(coverage.subscriber_last_name, "subscriber_last_name", "Subscriber's last name"),
        *date_of_birth_problems(
            coverage.subscriber_date_of_birth,
            today=today,
            field="subscriber_date_of_birth",
            label="Subscriber's date of birth",
        ),
    ]
    if coverage.subscriber_sex and coverage.subscriber_sex not in SEX_CODES:
        problems.append(
            Problem(PatientProblem.SEX_INVALID, "Choose female, male or unknown.", "subscriber_sex")
        )
    return problems


def coverage_overlap_problems(
    *,
    priority: int,
    effective_on: dt.date,
    terminates_on: dt.date | None,
    existing: Iterable[CoverageSpan],
    coverage_id: int | None = None,
) -> list[Problem]:
    """A patient has at most one coverage of each priority on any day."""
    for span in existing:
        if span.coverage_id == coverage_id or span.priority != priority:
            continue
        if spans_overlap(effective_on, terminates_on, span.effective_on, span.terminates_on):
            until = date_label(span.terminates_on) if span.terminates_on else "no end date"
            label = PRIORITIES.get(priority, str(priority)).lower()
            return [
                Problem(
                    PatientProblem.COVERAGE_OVERLAP,
                    f"These dates overlap the patient's other {label} coverage "
                    f"({date_label(span.effective_on)} to {until}).",
                    "effective_on",
                    fix_hint="Terminate the other coverage first, or choose another priority.",
                )
            ]
    return []


def coverage_problems(
    coverage: CoverageInput,
    *,
    payer: PayerFacts | None,
    practice_id: int,
    existing: Iterable[CoverageSpan],
    today: dt.date,
    coverage_id: int | None = None,
) -> list[Problem]:
    """Every rule for a new or changed coverage. `existing` are the patient's other coverages."""
    problems = [
        *payer_problems(payer, practice_id=practice_id),
        *member_id_problems(coverage.member_id),
    ]
    if coverage.priority not in PRIORITIES:
        problems.append(
            Problem(PatientProblem.PRIORITY_INVALID, "Choose primary, secondary or tertiary.", "priority")
        )
    date_problems = coverage_dates_problems(coverage.effective_on, coverage.terminates_on)
    problems += date_problems
    problems += subscriber_problems(coverage, today=today)
    if not date_problems and coverage.effective_on is not None and coverage.priority in PRIORITIES:
        problems += coverage_overlap_problems(
            priority=coverage.priority,
            effective_on=coverage.effective_on,
            terminates_on=coverage.terminates_on,
            existing=existing,
            coverage_id=coverage_id,
        )
    return problems


def coverage_termination_problems(
    *, effective_on: dt.date, current_terminates_on: dt.date | None, terminates_on: dt.date | None
) -> list[Problem]:
    """Terminating sets (or moves earlier) the last covered day; it never extends a coverage.

    Asking again for the date already set is fine (a double click): the service does nothing.
    """
    if terminates_on is None:
        return [Problem(PatientProblem.REQUIRED, "Termination date is required.", "terminates_on")]
    if terminates_on < effective_on:
        return [
            Problem(
                PatientProblem.COVERAGE_DATES_ORDER,
                "The termination date can't be before the effective date.",
                "terminates_on",
            )
        ]
    if current_terminates_on is not None and terminates_on > current_terminates_on:
        return [
            Problem(
                PatientProblem.COVERAGE_ALREADY_TERMINATED,
                f"This coverage already terminates on {date_label(current_terminates_on)}.",
                "terminates_on",
                fix_hint="Edit the coverage to extend it.",
            )
        ]
    return []
