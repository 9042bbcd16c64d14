"""Stable codes for every problem the coding rules report (screens, the API and tests key on them)."""

from __future__ import annotations

from enum import StrEnum


class CodingProblemCode(StrEnum):
    # Input
    INVALID_MINUTES = "invalid_minutes"
    NO_TIME_DOCUMENTED = "no_time_documented"
    MIXED_DATES = "mixed_dates"
    NO_SESSIONS = "no_sessions"
    # Time rules
    TIME_BELOW_MINIMUM = "time_below_minimum"
    # Add-on pairing
    ADD_ON_WITHOUT_PRIMARY = "add_on_without_primary"
    ADD_ON_NOT_ALLOWED = "add_on_not_allowed"
    INTERACTIVE_COMPLEXITY_NOT_ALLOWED = "interactive_complexity_not_allowed"
    EM_CODE_UNKNOWN = "em_code_unknown"
    EM_WITH_CRISIS_UNCONFIRMED = "em_with_crisis_unconfirmed"
    ONCE_PER_DATE = "once_per_date"
    # Who renders
    CREDENTIAL_CANNOT_RENDER = "credential_cannot_render"
    PRACTITIONER_LEVEL_UNKNOWN = "practitioner_level_unknown"
    PATIENT_PRESENCE_CONFLICT = "patient_presence_conflict"
    # Place of service and telehealth
    POS_UNKNOWN = "pos_unknown"
    POS_TELEHEALTH_MISMATCH = "pos_telehealth_mismatch"
    TELEHEALTH_NOT_COVERED = "telehealth_not_covered"
    # Code sets and payer limits
    CODE_NOT_EFFECTIVE = "code_not_effective"
    UNITS_OVER_DAILY_MAX = "units_over_daily_max"
    TOO_MANY_MODIFIERS = "too_many_modifiers"
    DISTINCT_SERVICE_DOCUMENTATION = "distinct_service_documentation"
    # Diagnoses
    TOO_MANY_DIAGNOSES = "too_many_diagnoses"
    DIAGNOSIS_INVALID = "diagnosis_invalid"
    DIAGNOSIS_NOT_BILLABLE = "diagnosis_not_billable"
    DIAGNOSIS_YEAR_INEXACT = "diagnosis_year_inexact"
