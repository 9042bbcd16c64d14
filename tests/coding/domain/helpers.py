"""Builders for the coding rules' inputs (plain values; no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

from coding.domain.types import ChargeLine, CodingResult, SessionFacts
from core.domain.service_types import ServiceType

DOS = date(2026, 11, 2)


def session(service: ServiceType | str, minutes: int | tuple[int, ...], **overrides: Any) -> SessionFacts:
    segments = minutes if isinstance(minutes, tuple) else (minutes,)
    values: dict[str, Any] = {
        "service_type": ServiceType(service),
        "date_of_service": DOS,
        "segment_minutes": segments,
    }
    values.update(overrides)
    return SessionFacts(**values)


def lines(result: CodingResult) -> list[tuple[str, int]]:
    return [(line.code, line.units) for line in result.lines]


def full(result: CodingResult) -> list[tuple[str, int, tuple[str, ...], str]]:
    return [(line.code, line.units, line.modifiers, line.pos) for line in result.lines]


def problem_codes(result: CodingResult) -> list[tuple[str, str]]:
    return [(str(p.code), str(p.severity)) for p in result.problems]


def line(result: CodingResult, code: str) -> ChargeLine:
    (found,) = [item for item in result.lines if item.code == code]
    return found
