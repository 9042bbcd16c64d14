"""Consents, including the 42 CFR Part 2 consent for treatment, payment and operations (TPO).

A Part 2 program may disclose substance-use records for payment (claims!) only with the
patient's written consent. `part2_consent_active` answers "may we bill this day?" for such
patients; claims and eligibility call it before sending anything to a payer.

Rules kept here (format, dates, required fields); what counts as a valid consent form is the
practice's paper process: recipient and purpose are required for Part 2 and release-of-information
consents, an expiry is optional (the 2024 rule allows "none" for a TPO consent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from core.domain.problems import Problem, Severity
from core.formatting import date_label
from patients.domain.problems import PatientProblem, required
from patients.domain.types import (
    CONSENT_KINDS,
    CONSENT_PART2_TPO,
    CONSENT_RELEASE_OF_INFORMATION,
    ConsentFacts,
    ConsentInput,
)


def consent_is_active(consent: ConsentFacts, *, on: dt.date) -> bool:
    """Signed on or before `on`, not expired before it, not revoked on or before it."""
    if consent.signed_on > on:
        return False
    if consent.expires_on is not None and consent.expires_on < on:
        return False
    return not (consent.revoked_on is not None and consent.revoked_on <= on)


def consent_state(consent: ConsentFacts, *, on: dt.date) -> str:
    """'active', 'revoked', 'expired' or 'pending' (signed after `on`), for screens."""
    if consent.revoked_on is not None and consent.revoked_on <= on:
        return "revoked"
    if consent.expires_on is not None and consent.expires_on < on:
        return "expired"
    if consent.signed_on > on:
        return "pending"
    return "active"


def part2_consent_active(consents: Iterable[ConsentFacts], *, on: dt.date) -> bool:
    return any(c.kind == CONSENT_PART2_TPO and consent_is_active(c, on=on) for c in consents)


def part2_consent_problems(
    *, is_substance_use_program: bool, consents: Iterable[ConsentFacts], on: dt.date
) -> list[Problem]:
    """For Part 2 patients without an active TPO consent: a warning to show, a blocker for claims."""
    if not is_substance_use_program or part2_consent_active(consents, on=on):
        return []
    return [
        Problem(
            PatientProblem.PART2_CONSENT_MISSING,
            "This patient is in a substance-use program and has no active 42 CFR Part 2 consent "
            "for treatment, payment and operations: claims can't be sent.",
            "consents",
            severity=Severity.WARNING,
            fix_hint="Record the signed Part 2 TPO consent.",
        )
    ]


def consent_problems(consent: ConsentInput, *, today: dt.date) -> list[Problem]:
    if consent.kind not in CONSENT_KINDS:
        return [Problem(PatientProblem.CONSENT_KIND_INVALID, "Choose the kind of consent.", "kind")]
    problems: list[Problem] = []
    if consent.signed_on is None:
        problems.append(Problem(PatientProblem.REQUIRED, "Date signed is required.", "signed_on"))
    elif consent.signed_on > today:
        problems.append(
            Problem(PatientProblem.DATE_IN_FUTURE, "The date signed can't be in the future.", "signed_on")
        )
    elif consent.expires_on is not None and consent.expires_on < consent.signed_on:
        problems.append(
            Problem(PatientProblem.DATE_ORDER, "The consent can't expire before it was signed.", "expires_on")
        )
    if consent.kind in (CONSENT_PART2_TPO, CONSENT_RELEASE_OF_INFORMATION):
        problems += required(consent.recipient, "recipient", "Recipient")
    if consent.kind == CONSENT_PART2_TPO:
        problems += required(consent.purpose, "purpose", "Purpose")
    return problems


def consent_revocation_problems(
    *, signed_on: dt.date, revoked_already_on: dt.date | None, revoked_on: dt.date | None, today: dt.date
) -> list[Problem]:
    """Revoking again on the same date is fine (a double click): the service does nothing."""
    if revoked_already_on is not None and revoked_on != revoked_already_on:
        return [
            Problem(
                PatientProblem.CONSENT_ALREADY_REVOKED,
                f"This consent was already revoked on {date_label(revoked_already_on)}.",
                "revoked_on",
            )
        ]
    if revoked_on is None:
        return [Problem(PatientProblem.REQUIRED, "Revocation date is required.", "revoked_on")]
    if revoked_on > today:
        return [Problem(PatientProblem.DATE_IN_FUTURE, "Revocation can't be in the future.", "revoked_on")]
    if revoked_on < signed_on:
        return [
            Problem(PatientProblem.DATE_ORDER, "Revocation can't be before the date signed.", "revoked_on")
        ]
    return []
