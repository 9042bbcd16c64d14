"""The code an appointment is expected to be billed with, for estimates made before the session.

Only the services whose code follows from the service type and the booked length; for the rest
the person making the estimate picks the code (None here)."""

from __future__ import annotations

from coding.domain.units import psychotherapy_band
from core.domain.service_types import ServiceType

_FIXED = {
    ServiceType.DIAGNOSTIC_EVALUATION: "90791",
    ServiceType.FAMILY_PSYCHOTHERAPY_WITHOUT_PATIENT: "90846",
    ServiceType.FAMILY_PSYCHOTHERAPY_WITH_PATIENT: "90847",
    ServiceType.GROUP_PSYCHOTHERAPY: "90853",
}


def expected_code(service_type: str, minutes: int) -> str | None:
    if service_type == ServiceType.INDIVIDUAL_PSYCHOTHERAPY:
        band = psychotherapy_band(minutes)
        return band.code if band is not None else None
    try:
        return _FIXED.get(ServiceType(service_type))
    except ValueError:
        return None
