"""What kind of PHI an audit event is about."""

from enum import StrEnum


class Category(StrEnum):
    DEMOGRAPHICS = "demographics"
    COVERAGE = "coverage"
    DIAGNOSIS = "diagnosis"
    CONSENT = "consent"
    CARE_TEAM = "care_team"
    CLINICAL_NOTE = "clinical_note"
    TREATMENT_PLAN = "treatment_plan"
    APPOINTMENT = "appointment"
    BILLING = "billing"
    AUDIT_LOG = "audit_log"
    SIGN_IN = "sign_in"  # sign-ins, failures, lockouts, two-factor enrolment and resets: no PHI
    PRACTICE = "practice"  # practice setup reached by id (payers, providers, locations, jobs): no PHI
    ACCOUNT_SECURITY = "account_security"  # MFA enrolment codes issued, used, expired; devices reset
