"""Scrubber checks on other lines, deadlines, Part 2 consent, visit limits and empty claims."""

from __future__ import annotations

from datetime import timedelta

from claims.domain.scrubber.common import (
    TIMELY_FILING_WARNING_DAYS,
    ScrubCode,
    billed_lines,
    error,
    line_label,
    rules_label,
    warning,
)
from claims.domain.types import ClaimToBe
from coding.domain.types import EVALUATION_CODES
from core.domain.problems import Problem
from core.formatting import date_label
from patients.domain.consents import part2_consent_active

# ---- other lines, deadlines, consent, limits ---------------------------------------------------


def check_duplicates(claim: ClaimToBe) -> list[Problem]:
    problems: list[Problem] = []
    for index, line in billed_lines(claim):
        for prior in claim.prior_lines:
            if (
                prior.date_of_service == claim.date_of_service
                and prior.units
                and prior.code == line.code
                and sorted(prior.modifiers) == sorted(line.modifiers)
            ):
                problems.append(
                    error(
                        ScrubCode.DUPLICATE_LINE,
                        f"{line_label(line)} on {date_label(claim.date_of_service)} is already {prior.source} ({prior.reference}).",
                        f"lines[{index}].code",
                        "Bill the date's units on one line (set this line's units to 0 and raise the other's), "
                        "or add 59/76 only if the services were truly separate.",
                    )
                )
                break
    return problems


def check_timely_filing(claim: ClaimToBe) -> list[Problem]:
    days = claim.policy.timely_filing_days
    if claim.coverage is None or days is None:
        return []
    deadline = claim.date_of_service + timedelta(days=days)
    left = (deadline - claim.today).days
    if left < 0:
        return [
            error(
                ScrubCode.TIMELY_FILING_PASSED,
                f"The {days}-day timely-filing limit with {rules_label(claim)} passed on {date_label(deadline)}.",
                "date_of_service",
                "Appeal only with proof of timely submission; otherwise write the charge off.",
            )
        ]
    if left <= TIMELY_FILING_WARNING_DAYS:
        return [
            warning(
                ScrubCode.TIMELY_FILING_NEAR,
                f"{left} day(s) left to file with {rules_label(claim)} (deadline {deadline}).",
                "date_of_service",
                "Send this claim first.",
            )
        ]
    return []


def check_part2_consent(claim: ClaimToBe) -> list[Problem]:
    patient = claim.patient
    if claim.coverage is None or not patient.in_part2_program:
        return []
    if part2_consent_active(patient.consents, on=claim.date_of_service):
        return []
    return [
        error(
            ScrubCode.PART2_CONSENT_MISSING,
            "The patient is in a 42 CFR Part 2 substance-use program and has no active Part 2 consent "
            f"for payment (TPO) on {date_label(claim.date_of_service)}: the claim would disclose substance-use services.",
            "patient.consents",
            "Record the patient's signed Part 2 TPO consent, or bill the patient.",
        )
    ]


def check_visit_limit(claim: ClaimToBe) -> list[Problem]:
    """A yearly visit limit with any billed code: N visits allowed, so N earlier ones mean this
    one is over."""
    if claim.coverage is None:
        return []
    codes = {line.code for _, line in billed_lines(claim)}
    problems: list[Problem] = []
    for limit in claim.policy.visit_limits:
        if not codes & set(limit.codes):
            continue
        before = claim.visits_before(limit.codes)
        if before < limit.visits_per_year:
            continue
        problems.append(
            error(
                ScrubCode.VISIT_LIMIT_REACHED,
                f"{limit.name}: {rules_label(claim)} pays {limit.visits_per_year} visit(s) a year; {before} were "
                f"already billed in {claim.date_of_service.year}.",
                "visits",
                "Ask the payer for an exception (a parity argument may apply), or bill the patient with consent.",
            )
        )
    return problems


def check_something_to_bill(claim: ClaimToBe) -> list[Problem]:
    if billed_lines(claim):
        return []
    return [
        warning(
            ScrubCode.NOTHING_TO_BILL,
            "No line is billed: nothing goes on a claim for this session.",
            "lines",
            "If time was left out of the note, correct it by addendum; otherwise there is nothing to do.",
        )
    ]


def check_repeated_evaluation(claim: ClaimToBe) -> list[Problem]:
    """A diagnostic evaluation (90791/90792) within the payer's repeat window of the last one with
    the same payer (pitfall C13: many payers pay one per episode, or after months without
    treatment). A warning: a new episode of care may justify it."""
    days = claim.policy.coding.evaluation_repeat_days
    if claim.coverage is None or days <= 0 or not claim.prior_evaluations:
        return []
    last = claim.prior_evaluations[0]
    if (claim.date_of_service - last).days >= days:
        return []
    return [
        warning(
            ScrubCode.EVALUATION_REPEATED,
            f"{line_label(line)}: the patient had a diagnostic evaluation with {rules_label(claim)} on "
            f"{date_label(last)}, less than {days} days ago.",
            f"lines[{index}].code",
            "Bill a repeat evaluation only for a new episode of care or a significant change, and say so in "
            "the note; otherwise bill the psychotherapy or E/M code the session supports.",
        )
        for index, line in billed_lines(claim)
        if line.code in EVALUATION_CODES
    ]
