"""What every scrubber check shares: the finding codes, thresholds and small helpers."""

from __future__ import annotations

from enum import StrEnum

from claims.domain.types import ClaimToBe, LineFacts
from core.domain.problems import Problem, Severity

TIMELY_FILING_WARNING_DAYS = 14
MAX_LINE_POINTERS = 4
TELEHEALTH_POS = frozenset({"02", "10"})
TELEHEALTH_MODIFIERS = frozenset({"95", "93", "GT", "GQ", "FQ"})
LEVEL_MODIFIERS = frozenset({"HM", "HN", "HO", "HP"})
STANDALONE_PSYCHOTHERAPY = frozenset({"90832", "90834", "90837"})
PSYCHOTHERAPY_WITH_EM = frozenset({"90833", "90836", "90838"})
FAMILY_CODES = frozenset({"90846", "90847"})


class ScrubCode(StrEnum):
    """Stable codes for every scrubber finding (screens, the API and tests key on them)."""

    # Coverage
    SELF_PAY = "self_pay"
    COVERAGE_NOT_ACTIVE = "coverage_not_active"
    MEMBER_ID_INVALID = "member_id_invalid"
    ELIGIBILITY_NOT_VERIFIED = "eligibility_not_verified"
    ELIGIBILITY_NOT_COVERED = "eligibility_not_covered"
    ELIGIBILITY_VISITS_USED_UP = "eligibility_visits_used_up"
    ELIGIBILITY_AUTH_REQUIRED = "eligibility_auth_required"
    # Prior authorization
    AUTH_MISSING = "auth_missing"
    AUTH_DATES = "auth_dates"
    AUTH_OTHER_PROVIDER = "auth_other_provider"
    AUTH_UNITS_EXHAUSTED = "auth_units_exhausted"
    # The note
    NOTE_NOT_FINAL = "note_not_final"
    NOTE_NOT_COSIGNED = "note_not_cosigned"
    # Providers
    RENDERING_MISSING = "rendering_missing"
    PROVIDER_NOT_ENROLLED = "provider_not_enrolled"
    LICENSE_NOT_VALID = "license_not_valid"
    CREDENTIAL_CANNOT_RENDER = "credential_cannot_render"
    SUPERVISOR_REQUIRED = "supervisor_required"
    NPI_MISSING = "npi_missing"
    NPI_INVALID = "npi_invalid"
    # Diagnoses
    DIAGNOSIS_MISSING = "diagnosis_missing"
    DIAGNOSIS_NOT_BILLABLE = "diagnosis_not_billable"
    DIAGNOSIS_AGE = "diagnosis_age"
    ICD10_YEAR_NOT_LOADED = "icd10_year_not_loaded"
    POINTER_MISSING = "pointer_missing"
    POINTER_INVALID = "pointer_invalid"
    # Codes, time and units
    CODE_UNKNOWN = "code_unknown"
    MINUTES_MISMATCH = "minutes_mismatch"
    UNITS_INVALID = "units_invalid"
    UNITS_EXCEED_MINUTES = "units_exceed_minutes"
    UNITS_OVER_DAILY_MAX = "units_over_daily_max"
    ADD_ON_WITHOUT_PRIMARY = "add_on_without_primary"
    ADD_ON_NOT_ALLOWED = "add_on_not_allowed"
    CODE_NOT_FOR_SERVICE = "code_not_for_service"
    # Modifiers and place of service
    MODIFIER_MISSING = "modifier_missing"
    MODIFIER_NOT_EXPECTED = "modifier_not_expected"
    MODIFIER_UNKNOWN = "modifier_unknown"
    POS_UNKNOWN = "pos_unknown"
    POS_TELEHEALTH_MISMATCH = "pos_telehealth_mismatch"
    # Other lines, deadlines, consent, limits
    DUPLICATE_LINE = "duplicate_line"
    TIMELY_FILING_PASSED = "timely_filing_passed"
    TIMELY_FILING_NEAR = "timely_filing_near"
    PART2_CONSENT_MISSING = "part2_consent_missing"
    VISIT_LIMIT_REACHED = "visit_limit_reached"
    NOTHING_TO_BILL = "nothing_to_bill"
    # Same-day conflicts, Medicare, telehealth modifiers, the note's place of service
    SAME_DAY_CONFLICT = "same_day_conflict"
    MEDICARE_CODE_NOT_PAYABLE = "medicare_code_not_payable"
    MODIFIER_GT_MEDICARE = "modifier_gt_medicare"
    MODIFIER_TELEHEALTH_KIND = "modifier_telehealth_kind"
    MODIFIER_CONFLICT = "modifier_conflict"
    POS_TELEHEALTH_HOME = "pos_telehealth_home"
    POS_DIFFERS_FROM_NOTE = "pos_differs_from_note"
    TELEHEALTH_RULES_MISSING = "telehealth_rules_missing"
    EVALUATION_REPEATED = "evaluation_repeated"


def error(code: ScrubCode, message: str, field: str, fix_hint: str = "") -> Problem:
    return Problem(code=code, message=message, field=field, severity=Severity.ERROR, fix_hint=fix_hint)


def warning(code: ScrubCode, message: str, field: str, fix_hint: str = "") -> Problem:
    return Problem(code=code, message=message, field=field, severity=Severity.WARNING, fix_hint=fix_hint)


def billed_lines(claim: ClaimToBe) -> list[tuple[int, LineFacts]]:
    """(index, line) for the lines that go on the claim (units other than 0)."""
    return [(i, line) for i, line in enumerate(claim.lines) if line.units != 0]


def rules_label(claim: ClaimToBe) -> str:
    """How messages name the payer's rules ("Medicaid Plan (rules from 2026-01-01)")."""
    return claim.policy.coding.label


def line_label(line: LineFacts) -> str:
    return "-".join((line.code, *line.modifiers))
