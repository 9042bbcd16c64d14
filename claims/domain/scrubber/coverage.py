"""Scrubber checks on the coverage and the prior authorization."""

from __future__ import annotations

from collections import defaultdict

from authorizations.domain.matching import authorization_check
from authorizations.domain.types import AuthorizationProblemCode, ServiceToAuthorize, UnitKind
from claims.domain.scrubber.common import (
    ScrubCode,
    billed_lines,
    error,
    rules_label,
    warning,
)
from claims.domain.types import ClaimToBe
from core.domain.identifiers import member_id_problems
from core.domain.problems import Problem
from core.formatting import date_label

# ---- coverage ----------------------------------------------------------------------------------


def check_coverage(claim: ClaimToBe) -> list[Problem]:
    coverage = claim.coverage
    if coverage is None:
        if not claim.self_pay:
            return [
                error(
                    ScrubCode.COVERAGE_NOT_ACTIVE,
                    "No coverage is attached to these charges.",
                    "coverage",
                    "Add the patient's coverage, or mark the charges self-pay.",
                )
            ]
        return [
            warning(
                ScrubCode.SELF_PAY,
                f"The patient has no primary coverage active on {date_label(claim.date_of_service)}: the charges are "
                "billed to the patient (self-pay).",
                "coverage",
                "If the patient has insurance, add the coverage and re-scrub.",
            )
        ]
    problems: list[Problem] = []
    dos = claim.date_of_service
    if dos < coverage.effective_on:
        problems.append(
            error(
                ScrubCode.COVERAGE_NOT_ACTIVE,
                f"The coverage with {coverage.payer_name} starts on {date_label(coverage.effective_on)}, after the date "
                f"of service {date_label(dos)}.",
                "coverage.effective_on",
                "Check the coverage dates, or bill the payer that covered the patient on that date.",
            )
        )
    elif coverage.terminates_on is not None and dos > coverage.terminates_on:
        problems.append(
            error(
                ScrubCode.COVERAGE_NOT_ACTIVE,
                f"The coverage with {coverage.payer_name} ended on {date_label(coverage.terminates_on)}, before the date "
                f"of service {date_label(dos)}.",
                "coverage.terminates_on",
                "Check the coverage dates, or bill the payer that covered the patient on that date.",
            )
        )
    problems.extend(
        error(
            ScrubCode.MEMBER_ID_INVALID,
            p.message,
            "coverage.member_id",
            "Copy the member ID from the insurance card.",
        )
        for p in member_id_problems(coverage.member_id)
    )
    return problems


# ---- prior authorization -----------------------------------------------------------------------


AUTH_CODES = {
    AuthorizationProblemCode.MISSING: ScrubCode.AUTH_MISSING,
    AuthorizationProblemCode.CANCELLED: ScrubCode.AUTH_MISSING,
    AuthorizationProblemCode.OUTSIDE_DATES: ScrubCode.AUTH_DATES,
    AuthorizationProblemCode.OTHER_PROVIDER: ScrubCode.AUTH_OTHER_PROVIDER,
    AuthorizationProblemCode.UNITS_EXCEEDED: ScrubCode.AUTH_UNITS_EXHAUSTED,
}


def check_prior_authorization(claim: ClaimToBe) -> list[Problem]:
    """Codes the payer wants authorized (always, or once N visits with the rule's codes were
    billed this calendar year: 20 allowed, the 21st needs one) need an authorization for the
    patient, payer and code that covers the date of service (and the rendering provider, when
    it names one) with the units (or a visit) left (`authorizations.domain.matching`), in total
    and under the code's cap, if the authorization caps it. The claim's codes draw on the same
    authorization one after the other: two codes that each fit alone but not together are found."""
    coverage = claim.coverage
    if coverage is None:
        return []
    problems: list[Problem] = []
    units_by_code: dict[str, int] = defaultdict(int)
    first_line: dict[str, int] = {}
    for index, line in billed_lines(claim):
        units_by_code[line.code] += line.units
        first_line.setdefault(line.code, index)
    auths = list(claim.authorizations)  # a visit is one visit whatever its codes: units only
    for code, units in units_by_code.items():
        rules = [r for r in claim.policy.prior_auth if code in r.codes]
        required = [
            r
            for r in rules
            if r.after_visits_per_year is None or claim.visits_before(r.codes) >= r.after_visits_per_year
        ]
        if not required:
            continue
        after = required[0].after_visits_per_year
        service = ServiceToAuthorize(
            patient_id=claim.patient.patient_id,
            payer_id=coverage.payer_id,
            code=code,
            on=claim.date_of_service,
            provider_id=claim.rendering.provider_id if claim.rendering is not None else None,
            units=units,
        )
        checked = authorization_check(service, auths)
        match = checked.authorization
        if match is not None and match.unit_kind is UnitKind.UNITS:  # later codes see what this one took
            auths = [a.with_used({code: units}) if a is match else a for a in auths]
        for found in checked.problems:
            when = "" if after is None else f" (required after {after} visits a year)"
            problems.append(
                error(
                    AUTH_CODES.get(AuthorizationProblemCode(found.code), ScrubCode.AUTH_MISSING),
                    f"{rules_label(claim)}: {found.message}{when}",
                    f"lines[{first_line[code]}].auth_number",
                    found.fix_hint,
                )
            )
    return problems
