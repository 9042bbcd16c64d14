"""Stable codes for the patient rules' findings, and a helper to re-root field paths."""

from __future__ import annotations

import dataclasses
from enum import StrEnum

from core.domain.problems import Problem


class PatientProblem(StrEnum):
    REQUIRED = "required"
    DOB_IN_FUTURE = "dob_in_future"
    DOB_TOO_OLD = "dob_too_old"
    SEX_INVALID = "sex_invalid"
    STATE_INVALID = "state_invalid"
    POSTAL_CODE_INVALID = "postal_code_invalid"
    PHONE_INVALID = "phone_invalid"
    RELATIONSHIP_INVALID = "relationship_invalid"
    PAYER_UNKNOWN = "payer_unknown"
    PAYER_INACTIVE = "payer_inactive"
    PAYER_SELF_PAY = "payer_self_pay"
    PRIORITY_INVALID = "priority_invalid"
    COVERAGE_DATES_ORDER = "coverage_dates_order"
    COVERAGE_OVERLAP = "coverage_overlap"
    COVERAGE_ALREADY_TERMINATED = "coverage_already_terminated"
    SUBSCRIBER_REQUIRED = "subscriber_required"
    ICD10_FORMAT = "icd10_format"
    DIAGNOSIS_DUPLICATE = "diagnosis_duplicate"
    DIAGNOSIS_ALREADY_RESOLVED = "diagnosis_already_resolved"
    RANK_INVALID = "rank_invalid"
    DATE_IN_FUTURE = "date_in_future"
    DATE_ORDER = "date_order"
    CONSENT_KIND_INVALID = "consent_kind_invalid"
    CONSENT_ALREADY_REVOKED = "consent_already_revoked"
    PART2_CONSENT_MISSING = "part2_consent_missing"
    SEARCH_DATE_FORMAT = "search_date_format"


def prefixed(problems: list[Problem], prefix: str) -> list[Problem]:
    """Move problems under a nested field path: `member_id` → `coverage.member_id`."""
    if not prefix:
        return problems
    return [dataclasses.replace(p, field=f"{prefix}.{p.field}" if p.field else prefix) for p in problems]


def required(value: str, field: str, label: str) -> list[Problem]:
    if value.strip():
        return []
    return [Problem(PatientProblem.REQUIRED, f"{label} is required.", field)]
