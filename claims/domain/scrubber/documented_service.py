"""Scrubber check: each line's code is one the note's documented service can produce.

A biller's override can turn an individual 90837 into group 90853 or into H0004; the claim would
then bill a service the note does not document. The codes a service can produce are coding's
(`coding.domain.crosswalk.codes_for_service`: the default coding, add-ons such as +90785 and
96127, and this payer's crosswalk and code substitutions).
"""

from __future__ import annotations

from claims.domain.scrubber.common import ScrubCode, billed_lines, error
from claims.domain.types import ClaimToBe
from coding.domain.crosswalk import BRIEF_ASSESSMENT_CODE, INTERACTIVE_COMPLEXITY_CODE, codes_for_service
from core.domain.problems import Problem
from core.domain.service_types import SERVICE_TYPE_LABELS

SHOWN_CODES = 6


def _supported(codes: frozenset[str]) -> str:
    main = sorted(codes - {BRIEF_ASSESSMENT_CODE, INTERACTIVE_COMPLEXITY_CODE})
    shown = ", ".join(main[:SHOWN_CODES])
    return shown + (", ..." if len(main) > SHOWN_CODES else "")


def check_code_matches_service(claim: ClaimToBe) -> list[Problem]:
    service = claim.note.service_type
    codes = codes_for_service(service, claim.policy.coding)
    label = SERVICE_TYPE_LABELS[service]
    return [
        error(
            ScrubCode.CODE_NOT_FOR_SERVICE,
            f"{line.code} is not a code for the service the note documents ({label.lower()}: "
            f"{_supported(codes)}).",
            f"lines[{index}].code",
            "Bill the code the note supports, or correct the note's service type by addendum and "
            "capture the charges again.",
        )
        for index, line in billed_lines(claim)
        if line.code_known and line.code not in codes  # an unknown code is reported as such
    ]
