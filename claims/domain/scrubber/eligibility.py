"""Scrubber checks from the payer's eligibility response (issue #10).

* Not verified: no finished eligibility check for a date of service within the payer's window
  (payer rules `eligibility.verify_within_days`, 30 days by default) — a warning.
* Not covered: the 271 nearest the date says the coverage does not hold (inactive, ended
  before the date, rejected) — an error.
* Visits used up: the 271 shows no visits left — an error.
* Authorization required (pitfall E11): the 271 says the service needs one and no line of the
  claim carries an authorization number (REF*G1) — an error.
"""

from __future__ import annotations

from claims.domain.scrubber.common import ScrubCode, billed_lines, error, warning
from claims.domain.types import ClaimToBe
from core.domain.problems import Problem
from core.formatting import date_label


def check_eligibility(claim: ClaimToBe) -> list[Problem]:
    facts, coverage = claim.eligibility, claim.coverage
    if facts is None or coverage is None:
        return []
    payer, dos = coverage.payer_name, claim.date_of_service
    if facts.verified_for is None:
        return [
            warning(
                ScrubCode.ELIGIBILITY_NOT_VERIFIED,
                f"Eligibility with {payer} was not verified for {date_label(dos)} (no finished check within "
                f"{facts.window_days} days of it).",
                "eligibility",
                "Verify eligibility for the date of service (Verify now on the patient or appointment screen).",
            )
        ]
    checked = f"The eligibility response for {facts.verified_for}"
    if not facts.covered:
        return [
            error(
                ScrubCode.ELIGIBILITY_NOT_COVERED,
                f"{checked} says the coverage with {payer} does not hold: {facts.reason}",
                "eligibility.covered",
                "Confirm the coverage with the patient; bill the payer that covered the date, or the patient.",
            )
        ]
    problems: list[Problem] = []
    if facts.visits_left == 0:
        used = f" ({facts.visit_limit} of {facts.visit_limit} used)" if facts.visit_limit else ""
        problems.append(
            error(
                ScrubCode.ELIGIBILITY_VISITS_USED_UP,
                f"{checked} shows no visits left with {payer}{used}.",
                "eligibility.visits_left",
                "Ask the payer for more visits (an authorization), or bill the patient as agreed.",
            )
        )
    if facts.auth_required and not any(line.auth_number for _, line in billed_lines(claim)):
        problems.append(
            error(
                ScrubCode.ELIGIBILITY_AUTH_REQUIRED,
                f"{checked} says {payer} requires a prior authorization, and no line carries one.",
                "lines[0].auth_number",
                "Record the payer's authorization for the patient, then re-scrub so its number goes on the claim.",
            )
        )
    return problems
