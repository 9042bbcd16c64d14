"""Service type -> code family, as data (`coding/data/service_codes.json`).

This module parses that file once into frozen dataclasses and answers questions about it:
which family codes a service, which credentials prescribe or are technicians (the scope-of-practice
table's groups), which degree a
credential implies, which add-ons go with which primaries. It does no other I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

from coding.domain.scope_of_practice import scope_table
from coding.domain.types import DegreeLevel
from core.domain.service_types import ServiceType

DATA_PACKAGE = "coding.data"
DATA_FILE = "service_codes.json"
EM_MARKER = "@em"


class Family(StrEnum):
    DIAGNOSTIC_EVALUATION = "diagnostic_evaluation"
    PSYCHOTHERAPY = "psychotherapy"
    FAMILY_PSYCHOTHERAPY = "family_psychotherapy"
    CRISIS = "crisis"
    UNTIMED = "untimed"
    TIMED_UNITS = "timed_units"


@dataclass(frozen=True, slots=True)
class ServiceCoding:
    service_type: ServiceType
    family: Family
    code: str = ""
    prescriber_code: str = ""
    technician_code: str = ""
    with_em: bool = False
    patient_present: bool | None = None


@dataclass(frozen=True, slots=True)
class AddOnRule:
    code: str
    primaries: frozenset[str]  # may contain EM_MARKER: "any E/M code"
    never_with: frozenset[str]


@dataclass(frozen=True, slots=True)
class DistinctPair:
    modifier_on: frozenset[str]
    with_codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class CodingData:
    services: Mapping[ServiceType, ServiceCoding]
    psychotherapy_codes: frozenset[str]
    prescribers: frozenset[str]
    technicians: frozenset[str]
    credential_degree: Mapping[str, DegreeLevel]
    degree_modifier: Mapping[DegreeLevel, str]
    em_codes: frozenset[str]
    add_ons: Mapping[str, AddOnRule]
    once_per_date: frozenset[str]
    distinct_pairs: tuple[DistinctPair, ...]
    brief_assessment_code: str = "96127"
    brief_assessment_instruments: frozenset[str] = frozenset()

    def service(self, service_type: ServiceType) -> ServiceCoding:
        return self.services[service_type]

    def is_prescriber(self, credential: str) -> bool:
        return credential in self.prescribers

    def is_technician(self, credential: str) -> bool:
        return credential in self.technicians

    def degree_for(self, credential: str) -> DegreeLevel | None:
        return self.credential_degree.get(credential)

    def add_on_primaries(self, code: str) -> frozenset[str]:
        """The primaries `code` may go with, with the E/M marker expanded to the E/M codes."""
        rule = self.add_ons.get(code)
        if rule is None:
            return frozenset()
        expanded = set(rule.primaries - {EM_MARKER})
        if EM_MARKER in rule.primaries:
            expanded |= self.em_codes
        return frozenset(expanded)


def _strings(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{DATA_FILE}: {where} must be a list of strings")
    return frozenset(value)


def parse_coding_data(raw: Mapping[str, object]) -> CodingData:
    """Build `CodingData` from the parsed JSON; raise ValueError naming the first bad entry."""
    services_raw = raw.get("services")
    if not isinstance(services_raw, dict):
        raise ValueError(f"{DATA_FILE}: 'services' must be an object")
    services: dict[ServiceType, ServiceCoding] = {}
    for key, spec in services_raw.items():
        if not isinstance(spec, dict):
            raise ValueError(f"{DATA_FILE}: services.{key} must be an object")
        services[ServiceType(key)] = ServiceCoding(
            service_type=ServiceType(key),
            family=Family(spec["family"]),
            code=str(spec.get("code", "")),
            prescriber_code=str(spec.get("prescriber_code", "")),
            technician_code=str(spec.get("technician_code", "")),
            with_em=bool(spec.get("with_em", False)),
            patient_present=spec.get("patient_present"),
        )
    missing = [s.value for s in ServiceType if s not in services]
    if missing:
        raise ValueError(f"{DATA_FILE}: no coding for service type(s) {', '.join(missing)}")
    degrees = raw.get("credential_degree")
    degree_modifier = raw.get("degree_modifier")
    add_ons_raw = raw.get("add_ons")
    distinct_raw = raw.get("same_day_distinct")
    brief = raw.get("brief_assessment", {})
    if not (
        isinstance(brief, dict)
        and isinstance(degrees, dict)
        and isinstance(degree_modifier, dict)
        and isinstance(add_ons_raw, dict)
        and isinstance(distinct_raw, dict)
    ):
        raise ValueError(
            f"{DATA_FILE}: brief_assessment, credential_degree, degree_modifier, add_ons, same_day_distinct "
            "must be objects"
        )
    add_ons: dict[str, AddOnRule] = {}
    for code, spec in add_ons_raw.items():
        if code == "about":
            continue
        if not isinstance(spec, dict):
            raise ValueError(f"{DATA_FILE}: add_ons.{code} must be an object")
        add_ons[code] = AddOnRule(
            code=code,
            primaries=_strings(spec.get("primaries"), f"add_ons.{code}.primaries"),
            never_with=_strings(spec.get("never_with"), f"add_ons.{code}.never_with"),
        )
    pairs_raw = distinct_raw.get("pairs")
    if not isinstance(pairs_raw, list):
        raise ValueError(f"{DATA_FILE}: same_day_distinct.pairs must be a list")
    pairs = tuple(
        DistinctPair(
            modifier_on=_strings(pair.get("modifier_on"), "same_day_distinct.modifier_on"),
            with_codes=_strings(pair.get("with"), "same_day_distinct.with"),
        )
        for pair in pairs_raw
    )
    scope = scope_table()
    return CodingData(
        services=MappingProxyType(services),
        psychotherapy_codes=_strings(raw.get("psychotherapy_codes"), "psychotherapy_codes"),
        prescribers=scope.group("prescribers"),
        technicians=scope.group("technicians"),
        credential_degree=MappingProxyType(
            {str(k): DegreeLevel(str(v)) for k, v in degrees.items() if k != "about"}
        ),
        degree_modifier=MappingProxyType({DegreeLevel(str(k)): str(v) for k, v in degree_modifier.items()}),
        em_codes=_strings(raw.get("em_codes"), "em_codes"),
        add_ons=MappingProxyType(add_ons),
        once_per_date=_strings(raw.get("once_per_date"), "once_per_date"),
        distinct_pairs=pairs,
        brief_assessment_code=str(brief.get("code", "96127")),
        brief_assessment_instruments=_strings(brief.get("instruments", []), "brief_assessment.instruments"),
    )


@cache
def coding_data() -> CodingData:
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_coding_data(json.loads(text))
