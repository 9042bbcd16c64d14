"""Stable codes for every problem the note rules can report (the API and screens key on them)."""

from __future__ import annotations

from enum import StrEnum


class NoteProblemCode(StrEnum):
    # Content
    MISSING_REQUIRED_FIELD = "missing_required_field"
    PATIENT_PRESENCE_MISSING = "patient_presence_missing"
    PATIENT_PRESENCE_MISMATCH = "patient_presence_mismatch"
    RISK_ASSESSMENT_MISSING = "risk_assessment_missing"
    NO_INTERVENTION_SELECTED = "no_intervention_selected"
    UNKNOWN_INTERVENTION = "unknown_intervention"
    OTHER_INTERVENTION_UNDESCRIBED = "other_intervention_undescribed"
    NO_PATIENT_RESPONSE = "no_patient_response"
    RESPONSE_TOO_SHORT = "response_too_short"
    BOILERPLATE_TEXT = "boilerplate_text"
    CLONED_NOTE = "cloned_note"
    EM_LEVEL_NOT_SUPPORTED = "em_level_not_supported"
    # Time
    NO_SEGMENTS = "no_segments"
    SEGMENT_ENDS_BEFORE_START = "segment_ends_before_start"
    SEGMENT_ZERO_LENGTH = "segment_zero_length"
    SEGMENT_IN_FUTURE = "segment_in_future"
    SEGMENTS_OVERLAP = "segments_overlap"
    DATE_OF_SERVICE_MISMATCH = "date_of_service_mismatch"
    CROSSES_MIDNIGHT = "crosses_midnight"
    TIME_TOO_SHORT = "time_too_short"
    BILLS_AS_OTHER_SERVICE = "bills_as_other_service"
    PROVIDER_OVERLAP = "provider_overlap"
    PATIENT_OVERLAP = "patient_overlap"
    ABA_CONCURRENT_SERVICES = "aba_concurrent_services"
    # Clinical links
    DIAGNOSIS_MISSING = "diagnosis_missing"
    DIAGNOSIS_NOT_ACTIVE = "diagnosis_not_active"
    DIAGNOSIS_NOT_PATIENTS = "diagnosis_not_patients"
    MEASUREMENT_UNKNOWN_INSTRUMENT = "measurement_unknown_instrument"
    MEASUREMENT_OUT_OF_RANGE = "measurement_out_of_range"
    MEASUREMENT_REPEATED = "measurement_repeated"
    TREATMENT_PLAN_REVIEW_PASSED = "treatment_plan_review_passed"
    # Content shape (draft saves)
    UNKNOWN_FIELD = "unknown_field"
    FIELD_WRONG_TYPE = "field_wrong_type"
    FIELD_TOO_LONG = "field_too_long"
    # Transitions
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    NOT_AUTHOR = "not_author"
    NOT_SUPERVISOR = "not_supervisor"
    SELF_COSIGN = "self_cosign"
    NO_SUPERVISOR = "no_supervisor"
    ATTESTATION_REQUIRED = "attestation_required"
    COMMENT_REQUIRED = "comment_required"
    DOCUMENTATION_ERRORS = "documentation_errors"


# Transition problems that mean "you may not", not "the note is not ready".
PERMISSION_CODES = frozenset(
    {NoteProblemCode.NOT_AUTHOR, NoteProblemCode.NOT_SUPERVISOR, NoteProblemCode.SELF_COSIGN}
)
