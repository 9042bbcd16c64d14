"""Provider credentials and what they imply for billing (pure data and rules)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class Credential(StrEnum):
    BHT = "BHT"
    RBT = "RBT"
    BCABA = "BCaBA"
    BCBA = "BCBA"
    BCBA_D = "BCBA-D"
    CADC = "CADC"
    PEER = "CPRS"
    LPC = "LPC"
    LPCC = "LPCC"
    LCSW = "LCSW"
    LMSW = "LMSW"
    LMFT = "LMFT"
    LCADC = "LCADC"
    PSYCHOLOGIST = "PhD/PsyD"
    PSYCHIATRIST = "MD/DO"
    NP = "PMHNP"
    PA = "PA"


CREDENTIAL_LABELS: dict[Credential, str] = {
    Credential.BHT: "Behavioral health technician",
    Credential.RBT: "Registered behavior technician",
    Credential.BCABA: "Board certified assistant behavior analyst",
    Credential.BCBA: "Board certified behavior analyst",
    Credential.BCBA_D: "Board certified behavior analyst, doctoral",
    Credential.CADC: "Certified alcohol and drug counselor",
    Credential.PEER: "Certified peer recovery specialist",
    Credential.LPC: "Licensed professional counselor",
    Credential.LPCC: "Licensed professional clinical counselor",
    Credential.LCSW: "Licensed clinical social worker",
    Credential.LMSW: "Licensed master social worker",
    Credential.LMFT: "Licensed marriage and family therapist",
    Credential.LCADC: "Licensed clinical alcohol and drug counselor",
    Credential.PSYCHOLOGIST: "Psychologist",
    Credential.PSYCHIATRIST: "Psychiatrist",
    Credential.NP: "Psychiatric nurse practitioner",
    Credential.PA: "Physician assistant",
}

# Credentials that always work under a licensed supervisor (their notes need a co-sign).
SUPERVISED_CREDENTIALS = frozenset(
    {Credential.BHT, Credential.RBT, Credential.BCABA, Credential.CADC, Credential.PEER, Credential.LMSW}
)

# Credentials that can supervise others.
SUPERVISOR_CREDENTIALS = frozenset(
    {
        Credential.BCBA,
        Credential.BCBA_D,
        Credential.LPC,
        Credential.LPCC,
        Credential.LCSW,
        Credential.LMFT,
        Credential.LCADC,
        Credential.PSYCHOLOGIST,
        Credential.PSYCHIATRIST,
        Credential.NP,
    }
)

LICENSE_ALERT_DAYS = 60


class LicenseStatus(StrEnum):
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"


def credential_requires_supervision(credential: Credential | str) -> bool:
    return Credential(credential) in SUPERVISED_CREDENTIALS


def credential_requires_npi(credential: Credential | str) -> bool:
    """Providers who bill under their own NPI: everyone who does not work under supervision."""
    return not credential_requires_supervision(credential)


def credential_can_supervise(credential: Credential | str) -> bool:
    return Credential(credential) in SUPERVISOR_CREDENTIALS


def license_status(
    expires_on: date | None, *, today: date, alert_days: int = LICENSE_ALERT_DAYS
) -> LicenseStatus:
    if expires_on is None:
        return LicenseStatus.MISSING
    if expires_on < today:
        return LicenseStatus.EXPIRED
    if expires_on <= today + timedelta(days=alert_days):
        return LicenseStatus.EXPIRING
    return LicenseStatus.ACTIVE


def periods_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    """Whether two date ranges (inclusive; None = open-ended) share at least one day."""
    a_end = a_to or date.max
    b_end = b_to or date.max
    return a_from <= b_end and b_from <= a_end
