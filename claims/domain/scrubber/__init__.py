"""The claim scrubber: every predictable denial, found before a claim exists.

`scrub(claim)` is a pure function over a `ClaimToBe` (claims.domain.types) and returns a list of
`Problem`s, each with a stable code (`ScrubCode`), a severity, a plain message, a fix hint and a
field path into the claim-to-be (`lines[0].modifiers`, `coverage`, `rendering_provider.npi`...).
Errors block the claim; warnings are shown.

Thresholds and sources (../shared/DOMAIN-coding-facts.md): psychotherapy time bands and crisis
units (section 1, via `coding.domain.units`), 15-minute units by the CPT midpoint or CMS
8-minute rule (section 2), telehealth POS 02/10 and modifiers (section 4), add-on pairing
(`coding.domain.rules.add_on_problems`), NPI check digits (section 8, `core.domain.identifiers`),
timely filing (section 9: a warning from 14 days before the deadline), 42 CFR Part 2 TPO consent
(section 9, `patients.domain.consents`), same-day code conflicts (`same_day`, a table per payer),
codes Medicare does not pay (`medicare`), telehealth modifiers and the note's place of service
(`telehealth`), eligibility from the 271 (issue #10, pitfall E11:
`scrubber.eligibility`).

Every check runs every time and every finding is returned (errors first): a biller sees them
all at once, never one class after another.

Lines with 0 units are not billed (a biller zeroes a line to drop it) and are skipped.
"""

from collections.abc import Callable, Iterable

from claims.domain.scrubber.coding import (
    check_add_ons,
    check_codes_and_time,
    check_daily_maximum,
    check_diagnoses,
    check_pointers,
)
from claims.domain.scrubber.common import ScrubCode as ScrubCode
from claims.domain.scrubber.coverage import check_coverage, check_prior_authorization
from claims.domain.scrubber.documented_service import check_code_matches_service
from claims.domain.scrubber.eligibility import check_eligibility
from claims.domain.scrubber.limits import (
    check_duplicates,
    check_part2_consent,
    check_repeated_evaluation,
    check_something_to_bill,
    check_timely_filing,
    check_visit_limit,
)
from claims.domain.scrubber.medicare import check_medicare_codes
from claims.domain.scrubber.modifiers import check_modifiers, check_place_of_service
from claims.domain.scrubber.providers import check_note, check_providers
from claims.domain.scrubber.same_day import check_same_day
from claims.domain.scrubber.telehealth import (
    check_pos_matches_note,
    check_telehealth_home,
    check_telehealth_modifiers,
    check_telehealth_rules_configured,
)
from claims.domain.types import ClaimToBe
from core.domain.problems import Problem, Severity

CHECKS: tuple[Callable[[ClaimToBe], list[Problem]], ...] = (
    check_something_to_bill,
    check_coverage,
    check_eligibility,
    check_prior_authorization,
    check_note,
    check_providers,
    check_diagnoses,
    check_pointers,
    check_codes_and_time,
    check_code_matches_service,
    check_add_ons,
    check_daily_maximum,
    check_modifiers,
    check_place_of_service,
    check_telehealth_modifiers,
    check_telehealth_home,
    check_pos_matches_note,
    check_telehealth_rules_configured,
    check_same_day,
    check_medicare_codes,
    check_duplicates,
    check_timely_filing,
    check_part2_consent,
    check_visit_limit,
    check_repeated_evaluation,
)


def scrub(claim: ClaimToBe) -> list[Problem]:
    """Every problem with `claim`, errors first, then in check order."""
    found: list[Problem] = []
    for check in CHECKS:
        found.extend(check(claim))
    return sorted(found, key=lambda p: p.severity is not Severity.ERROR)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)
