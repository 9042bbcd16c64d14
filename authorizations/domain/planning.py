"""Planned use of an authorization from scheduled appointments (pure).

An appointment is coded as if it happened as planned (its service type and booked minutes,
through coding's `code_session` and the payer's coding rules on that date): the lines with an
authorized code give the planned units (the payer's unit rule counts the 15-minute units), or
one visit for an authorization counted in visits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from authorizations.domain.types import AuthUsage, UnitKind, UsageSource
from coding.domain.code_sets import CodeCatalog
from coding.domain.rules import code_session
from coding.domain.types import PayerCodingRules, SessionFacts, Telehealth
from core.domain.service_types import ServiceType


@dataclass(frozen=True, slots=True)
class PlannedSession:
    appointment_id: int
    patient_id: int
    provider_id: int
    date_of_service: date
    service_type: str
    minutes: int
    telehealth: str = ""
    place_of_service: str = "11"
    credential: str = ""


def planned_usage(
    session: PlannedSession,
    *,
    codes: frozenset[str],
    unit_kind: UnitKind,
    rules: PayerCodingRules,
    catalog: CodeCatalog,
) -> AuthUsage | None:
    """What the appointment will take from an authorization for `codes`, or None."""
    try:
        service_type = ServiceType(session.service_type)
        telehealth = Telehealth(session.telehealth)
    except ValueError:
        return None
    facts = SessionFacts(
        service_type=service_type,
        date_of_service=session.date_of_service,
        segment_minutes=(max(session.minutes, 0),),
        telehealth=telehealth,
        rendering_credential=session.credential,
        place_of_service=session.place_of_service,
        session_ref=str(session.appointment_id),
    )
    lines = [line for line in code_session(facts, rules, catalog=catalog).lines if line.code in codes]
    if not lines:
        return None
    units = sum(line.units for line in lines) if unit_kind is UnitKind.UNITS else 1
    return AuthUsage(
        date=session.date_of_service,
        code=lines[0].code,
        units=units,
        source=UsageSource.APPOINTMENT,
        ref=f"appointment:{session.appointment_id}",
    )


def planned_by_date(planned: Sequence[AuthUsage]) -> dict[date, int]:
    by_date: dict[date, int] = {}
    for usage in planned:
        by_date[usage.date] = by_date.get(usage.date, 0) + usage.units
    return by_date
