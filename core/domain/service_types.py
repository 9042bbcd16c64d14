"""The fixed vocabulary of services, shared by scheduling, documentation and coding."""

from __future__ import annotations

from enum import StrEnum


class ServiceType(StrEnum):
    DIAGNOSTIC_EVALUATION = "diagnostic_evaluation"
    INDIVIDUAL_PSYCHOTHERAPY = "individual_psychotherapy"
    INDIVIDUAL_PSYCHOTHERAPY_WITH_EM = "individual_psychotherapy_with_em"
    FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT = "family_psychotherapy_without_patient"
    FAMILY_PSYCHOTHERAPY_WITH_PATIENT = "family_psychotherapy_with_patient"
    GROUP_PSYCHOTHERAPY = "group_psychotherapy"
    CRISIS_PSYCHOTHERAPY = "crisis_psychotherapy"
    ABA_ASSESSMENT = "aba_assessment"
    ABA_TECHNICIAN_TREATMENT = "aba_technician_treatment"
    ABA_PROTOCOL_MODIFICATION = "aba_protocol_modification"
    ABA_FAMILY_GUIDANCE = "aba_family_guidance"
    BEHAVIORAL_HEALTH_COUNSELING = "behavioral_health_counseling"
    THERAPEUTIC_BEHAVIORAL_SERVICES = "therapeutic_behavioral_services"
    SKILLS_TRAINING = "skills_training"
    PSYCHOSOCIAL_REHABILITATION = "psychosocial_rehabilitation"
    CASE_MANAGEMENT = "case_management"
    PEER_SUPPORT = "peer_support"
    CRISIS_INTERVENTION_SERVICE = "crisis_intervention_service"
    MH_ASSESSMENT_NONPHYSICIAN = "mh_assessment_nonphysician"
    SERVICE_PLAN_DEVELOPMENT = "service_plan_development"


SERVICE_TYPE_LABELS: dict[ServiceType, str] = {
    ServiceType.DIAGNOSTIC_EVALUATION: "Diagnostic evaluation",
    ServiceType.INDIVIDUAL_PSYCHOTHERAPY: "Individual psychotherapy",
    ServiceType.INDIVIDUAL_PSYCHOTHERAPY_WITH_EM: "Individual psychotherapy with E/M",
    ServiceType.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT: "Family psychotherapy, patient absent",
    ServiceType.FAMILY_PSYCHOTHERAPY_WITH_PATIENT: "Family psychotherapy, patient present",
    ServiceType.GROUP_PSYCHOTHERAPY: "Group psychotherapy",
    ServiceType.CRISIS_PSYCHOTHERAPY: "Crisis psychotherapy",
    ServiceType.ABA_ASSESSMENT: "ABA assessment",
    ServiceType.ABA_TECHNICIAN_TREATMENT: "ABA treatment by technician",
    ServiceType.ABA_PROTOCOL_MODIFICATION: "ABA treatment with protocol modification",
    ServiceType.ABA_FAMILY_GUIDANCE: "ABA family treatment guidance",
    ServiceType.BEHAVIORAL_HEALTH_COUNSELING: "Behavioral health counseling",
    ServiceType.THERAPEUTIC_BEHAVIORAL_SERVICES: "Therapeutic behavioral services",
    ServiceType.SKILLS_TRAINING: "Skills training and development",
    ServiceType.PSYCHOSOCIAL_REHABILITATION: "Psychosocial rehabilitation",
    ServiceType.CASE_MANAGEMENT: "Case management",
    ServiceType.PEER_SUPPORT: "Peer support",
    ServiceType.CRISIS_INTERVENTION_SERVICE: "Crisis intervention service",
    ServiceType.MH_ASSESSMENT_NONPHYSICIAN: "Mental health assessment (non-physician)",
    ServiceType.SERVICE_PLAN_DEVELOPMENT: "Service plan development",
}

GROUP_SERVICE_TYPES = frozenset({ServiceType.GROUP_PSYCHOTHERAPY})
ABA_SERVICE_TYPES = frozenset(
    {
        ServiceType.ABA_ASSESSMENT,
        ServiceType.ABA_TECHNICIAN_TREATMENT,
        ServiceType.ABA_PROTOCOL_MODIFICATION,
        ServiceType.ABA_FAMILY_GUIDANCE,
    }
)


def service_type_choices() -> list[tuple[str, str]]:
    return [(s.value, SERVICE_TYPE_LABELS[s]) for s in ServiceType]
