"""Typed inputs for the practice rules: plain frozen values, no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PracticeDetails:
    legal_name: str
    tax_id: str
    billing_npi: str
    taxonomy_code: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    postal_code: str
    phone: str
    timezone: str


@dataclass(frozen=True, slots=True)
class LocationDetails:
    name: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    postal_code: str
    npi: str
    default_place_of_service: str


@dataclass(frozen=True, slots=True)
class ProviderDetails:
    first_name: str
    last_name: str
    npi: str
    taxonomy_code: str
    credential: str


@dataclass(frozen=True, slots=True)
class LicenseDetails:
    number: str
    state: str
    kind: str
    issued_on: date | None
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class ProviderFacts:
    """What the supervision rules need to know about a provider."""

    provider_id: int
    practice_id: int
    credential: str
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class SupervisionPeriod:
    """One supervision row: inclusive dates, `ends_on` None = open-ended."""

    supervisor_id: int
    supervisee_id: int
    starts_on: date
    ends_on: date | None
    supervision_id: int | None = None

    def covers(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


@dataclass(frozen=True, slots=True)
class LicenseExpiry:
    license_id: int
    expires_on: date


@dataclass(frozen=True, slots=True)
class AlertDue:
    """An alert the daily job should make sure exists (one per licence, expiry and status)."""

    license_id: int
    expires_on: date
    status: str
