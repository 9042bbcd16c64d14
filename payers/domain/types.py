"""Typed inputs for payer rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PayerDetails:
    name: str
    kind: str
    payer_id: str
    claim_filing_indicator: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    postal_code: str
    phone: str
    timely_filing_days: int
    appeal_window_days: int


@dataclass(frozen=True, slots=True)
class EnrollmentDetails:
    status: str
    effective_on: date | None
    ends_on: date | None
    payer_provider_id: str
