"""Typed values of the prior-authorization rules (frozen dataclasses; no Django)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum


class UnitKind(StrEnum):
    UNITS = "units"  # units of the codes (e.g. 15-minute units of 97153)
    VISITS = "visits"  # one per date of service with any of the codes


class AuthStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"  # its end date has passed
    EXHAUSTED = "exhausted"  # every unit or visit is used
    CANCELLED = "cancelled"  # withdrawn by the payer or entered in error (set by a person)


class UsageSource(StrEnum):
    CHARGE = "charge"  # used: a captured charge
    APPOINTMENT = "appointment"  # planned: a scheduled appointment


class AlertKind(StrEnum):
    LOW_REMAINING = "low_remaining"  # 20% or less of the units/visits left
    EXPIRING = "expiring"  # the end date is 14 days away or nearer


class AuthorizationProblemCode(StrEnum):
    # details of an authorization
    NUMBER_MISSING = "auth_number_missing"
    NUMBER_FORMAT = "auth_number_format"
    NUMBER_TAKEN = "auth_number_taken"
    CODES_MISSING = "auth_codes_missing"
    CODE_UNKNOWN = "auth_code_unknown"
    CODE_NOT_EFFECTIVE = "auth_code_not_effective"
    AMOUNT_RANGE = "auth_amount_range"
    DATES_ORDER = "auth_dates_order"
    PERIOD_TOO_LONG = "auth_period_too_long"
    UNIT_KIND_UNKNOWN = "auth_unit_kind_unknown"
    NOTES_TOO_LONG = "auth_notes_too_long"
    CAP_INVALID = "auth_cap_invalid"
    STATUS_NOT_SETTABLE = "auth_status_not_settable"
    PATIENT_UNKNOWN = "auth_patient_unknown"
    PAYER_UNKNOWN = "auth_payer_unknown"
    PAYER_SELF_PAY = "auth_payer_self_pay"
    PROVIDER_UNKNOWN = "auth_provider_unknown"
    # recording usage
    USAGE_UNITS = "auth_usage_units"
    USAGE_OUTSIDE_DATES = "auth_usage_outside_dates"
    USAGE_CODE_NOT_AUTHORIZED = "auth_usage_code_not_authorized"
    USAGE_CANCELLED = "auth_usage_cancelled"
    USAGE_SOURCE = "auth_usage_source"
    # matching a service (the scrubber)
    MISSING = "auth_missing"
    OUTSIDE_DATES = "auth_outside_dates"
    OTHER_PROVIDER = "auth_other_provider"
    CANCELLED = "auth_cancelled"
    UNITS_EXCEEDED = "auth_units_exceeded"


@dataclass(frozen=True, slots=True)
class AuthUsage:
    """Units (or one visit) of an authorization, used by a charge or planned by an appointment."""

    date: date
    code: str
    units: int
    source: UsageSource
    ref: str = ""  # "charge-line:12", "appointment:34" (display and tracing only)


@dataclass(frozen=True, slots=True)
class CapDetails:
    """A cap as entered: at most `units` of these codes together (one code: a per-code cap)."""

    codes: tuple[str, ...]
    units: int


@dataclass(frozen=True, slots=True)
class AuthorizationDetails:
    """What a person enters for an authorization (checked by `rules.authorization_problems`)."""

    number: str
    codes: tuple[str, ...]
    unit_kind: str
    authorized: int
    start_on: date
    end_on: date
    notes: str = ""
    caps: tuple[CapDetails, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitCap:
    """A cap within an authorization: at most `units` (units or visits, as the authorization
    counts) of `codes` together, besides the authorization's total. `used` from recorded charges."""

    codes: frozenset[str]
    units: int
    used: int = 0

    @property
    def remaining(self) -> int:
        return self.units - self.used

    @property
    def label(self) -> str:
        return ", ".join(sorted(self.codes))


@dataclass(frozen=True, slots=True)
class AuthorizationFacts:
    """An authorization as the matching and the scrubber see it (`used` from recorded charges)."""

    authorization_id: int
    patient_id: int
    payer_id: int
    number: str
    codes: frozenset[str]
    unit_kind: UnitKind
    authorized: int
    used: int
    start_on: date
    end_on: date
    rendering_provider_id: int | None = None
    status: AuthStatus = AuthStatus.ACTIVE
    caps: tuple[UnitCap, ...] = ()

    @property
    def remaining(self) -> int:
        return self.authorized - self.used

    def cap_for(self, code: str) -> UnitCap | None:
        """The cap that holds `code`, if any (a code is in at most one cap)."""
        return next((cap for cap in self.caps if code in cap.codes), None)

    def remaining_for(self, code: str) -> int:
        """What is left for `code`: the total's remainder, or its cap's when that is smaller."""
        cap = self.cap_for(code)
        return self.remaining if cap is None else min(self.remaining, cap.remaining)

    def with_used(self, by_code: Mapping[str, int], *, total: int | None = None) -> AuthorizationFacts:
        """These facts with `by_code` more used (negative: less), per code and in each code's cap;
        `total` changes the total by another amount (a visit counts once for several codes)."""
        change = sum(by_code.values()) if total is None else total
        caps = tuple(
            replace(cap, used=cap.used + sum(n for code, n in by_code.items() if code in cap.codes))
            for cap in self.caps
        )
        return replace(self, used=self.used + change, caps=caps)


@dataclass(frozen=True, slots=True)
class ServiceToAuthorize:
    """A service looking for its authorization: a charge line (or a line of a claim to be).

    `units` are the line's units; an authorization counted in visits needs 1 whatever they are.
    """

    patient_id: int
    payer_id: int
    code: str
    on: date
    provider_id: int | None = None
    units: int = 1


def usage_ref_label(ref: str) -> str:
    """A usage's source in words: "charge-line:12" → "Charge line 12", "appointment:34" →
    "Appointment 34" (never the internal key)."""
    kind, _, number = ref.partition(":")
    if not number:
        return ref.replace("-", " ").replace("_", " ").capitalize()
    return f"{kind.replace('-', ' ').replace('_', ' ').capitalize()} {number}"
