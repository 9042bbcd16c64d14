"""Roles and what each may do: least privilege as data, checked by pure functions."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    TECHNICIAN = "technician"
    CLINICIAN = "clinician"
    SUPERVISOR = "supervisor"
    BILLER = "biller"
    PRACTICE_ADMIN = "practice_admin"
    COMPLIANCE = "compliance"


ROLE_LABELS: dict[Role, str] = {
    Role.TECHNICIAN: "Technician (BHT/RBT)",
    Role.CLINICIAN: "Clinician",
    Role.SUPERVISOR: "Supervisor",
    Role.BILLER: "Biller",
    Role.PRACTICE_ADMIN: "Practice admin",
    Role.COMPLIANCE: "Compliance auditor",
}


class Capability(StrEnum):
    """What a role may do. Views, APIs and selectors ask for a capability, never a role."""

    PATIENT_VIEW = "patient_view"  # demographics; techs only for their caseload
    PATIENT_EDIT = "patient_edit"  # demographics, guarantor
    COVERAGE_VIEW = "coverage_view"
    COVERAGE_EDIT = "coverage_edit"
    DIAGNOSIS_VIEW = "diagnosis_view"
    DIAGNOSIS_EDIT = "diagnosis_edit"
    CONSENT_VIEW = "consent_view"
    CONSENT_EDIT = "consent_edit"
    CLINICAL_VIEW = "clinical_view"  # session notes, treatment plans (caseload-scoped for techs)
    BILLING_VIEW = "billing_view"  # charges, claims, payments
    BILLING_EDIT = "billing_edit"
    PROVIDER_VIEW = "provider_view"
    PRACTICE_MANAGE = "practice_manage"  # locations, providers, payers, supervision, users
    PAYER_VIEW = "payer_view"
    AUDIT_VIEW = "audit_view"
    SCHEDULE_VIEW = "schedule_view"  # appointments (techs: their own and their caseload's)
    SCHEDULE_EDIT = "schedule_edit"  # book, reschedule, cancel anyone's appointments in the practice
    TREATMENT_PLAN_EDIT = "treatment_plan_edit"  # write, sign and activate treatment plans
    AUTHORIZATION_EDIT = "authorization_edit"  # record and change payers' prior authorizations
    NOTE_COSIGN = "note_cosign"  # a co-sign queue (who may co-sign a given note is supervision's rule)
    WRITE_OFF = "write_off"  # write off a denied amount, with a reason (denials; never automatic)


_CLINICAL_BASE = {
    Capability.PATIENT_VIEW,
    Capability.DIAGNOSIS_VIEW,
    Capability.CONSENT_VIEW,
    Capability.CLINICAL_VIEW,
    Capability.PROVIDER_VIEW,
    Capability.SCHEDULE_VIEW,
}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    # Techs: their caseload's clinical data, no billing, no coverage.
    Role.TECHNICIAN: frozenset(_CLINICAL_BASE),
    Role.CLINICIAN: frozenset(
        _CLINICAL_BASE
        | {
            Capability.DIAGNOSIS_EDIT,
            Capability.COVERAGE_VIEW,
            Capability.SCHEDULE_EDIT,
            Capability.TREATMENT_PLAN_EDIT,
            Capability.NOTE_COSIGN,
        }
    ),
    Role.SUPERVISOR: frozenset(
        _CLINICAL_BASE
        | {
            Capability.DIAGNOSIS_EDIT,
            Capability.COVERAGE_VIEW,
            Capability.SCHEDULE_EDIT,
            Capability.TREATMENT_PLAN_EDIT,
            Capability.NOTE_COSIGN,
        }
    ),
    # Billers: billing data and the clinical data a claim needs (diagnoses, consents), no notes.
    Role.BILLER: frozenset(
        {
            Capability.PATIENT_VIEW,
            Capability.PATIENT_EDIT,
            Capability.COVERAGE_VIEW,
            Capability.COVERAGE_EDIT,
            Capability.DIAGNOSIS_VIEW,
            Capability.DIAGNOSIS_EDIT,
            Capability.CONSENT_VIEW,
            Capability.CONSENT_EDIT,
            Capability.BILLING_VIEW,
            Capability.BILLING_EDIT,
            Capability.PROVIDER_VIEW,
            Capability.PAYER_VIEW,
            Capability.SCHEDULE_VIEW,
            Capability.SCHEDULE_EDIT,
            Capability.AUTHORIZATION_EDIT,
            Capability.WRITE_OFF,
        }
    ),
    Role.PRACTICE_ADMIN: frozenset(
        {
            Capability.PATIENT_VIEW,
            Capability.PATIENT_EDIT,
            Capability.COVERAGE_VIEW,
            Capability.COVERAGE_EDIT,
            Capability.DIAGNOSIS_VIEW,
            Capability.DIAGNOSIS_EDIT,
            Capability.CONSENT_VIEW,
            Capability.CONSENT_EDIT,
            Capability.BILLING_VIEW,
            Capability.PROVIDER_VIEW,
            Capability.PRACTICE_MANAGE,
            Capability.PAYER_VIEW,
            Capability.SCHEDULE_VIEW,
            Capability.SCHEDULE_EDIT,
            Capability.AUTHORIZATION_EDIT,
        }
    ),
    # Compliance reads the audit log and nothing else.
    Role.COMPLIANCE: frozenset({Capability.AUDIT_VIEW}),
}

# Roles whose patient access is limited to their own caseload (care team).
CASELOAD_SCOPED_ROLES = frozenset({Role.TECHNICIAN})


def role_can(role: Role | str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES[Role(role)]


def role_is_caseload_scoped(role: Role | str) -> bool:
    return Role(role) in CASELOAD_SCOPED_ROLES
