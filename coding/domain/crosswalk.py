"""Payer code crosswalks and the codes a documented service can produce (pure).

* `crosswalk_for(rules, service_type, credential)`: the payer's code for a service type, if any
  (first matching entry; entries naming credentials apply only to them).
* `codes_for_service(service_type, rules)`: every code the default coding or this payer's
  crosswalk and substitutions can produce for a note of that service type, add-ons included.
  The scrubber flags a line whose code is not among them (a biller's override that turned an
  individual session into group therapy, say).
* `service_codes(service_type, credential, rules)`: the codes a note by this credential would
  mainly be billed with; `service_scope(...)`: whether the credential may give the service for
  this payer (the note editor warns before signing and lists permitted services first).

A crosswalk applies to services coded with one code (untimed and timed-unit services), not to
the time-banded psychotherapy codes.
"""

from __future__ import annotations

from coding.domain.families import CodingData, Family, coding_data
from coding.domain.scope_of_practice import ScopeDecision, scope_decision
from coding.domain.types import PayerCodingRules, ServiceCrosswalk
from coding.domain.units import PSYCHOTHERAPY_BANDS
from core.domain.service_types import ServiceType

BRIEF_ASSESSMENT_CODE = "96127"
INTERACTIVE_COMPLEXITY_CODE = "90785"
CROSSWALK_FAMILIES = frozenset({Family.UNTIMED, Family.TIMED_UNITS})


def crosswalk_allowed(service_type: ServiceType, *, data: CodingData | None = None) -> bool:
    """Whether a payer may map this service type to a code of its own."""
    return (data or coding_data()).service(service_type).family in CROSSWALK_FAMILIES


def crosswalk_for(
    rules: PayerCodingRules, service_type: ServiceType, credential: str
) -> ServiceCrosswalk | None:
    for entry in rules.crosswalk:
        if entry.service_type is not service_type:
            continue
        if entry.credentials and credential not in entry.credentials:
            continue
        return entry
    return None


def _default_codes(service_type: ServiceType, data: CodingData) -> set[str]:
    coding = data.service(service_type)
    plain = {band.code for band in PSYCHOTHERAPY_BANDS}
    with_em = {band.with_em_code for band in PSYCHOTHERAPY_BANDS}
    if coding.family is Family.DIAGNOSTIC_EVALUATION:
        return {coding.code, coding.prescriber_code}
    if coding.family is Family.PSYCHOTHERAPY:
        return with_em | set(data.em_codes) if coding.with_em else plain
    if coding.family is Family.FAMILY_PSYCHOTHERAPY:
        return {"90846", "90847"}
    if coding.family is Family.CRISIS:
        return {"90839", "90840"} | plain | with_em | set(data.em_codes)
    return {coding.code, coding.technician_code} - {""}


def codes_for_service(
    service_type: ServiceType, rules: PayerCodingRules | None = None, *, data: CodingData | None = None
) -> frozenset[str]:
    """Every code a note of `service_type` can yield under these payer rules (see the module doc)."""
    data = data or coding_data()
    rules = rules or PayerCodingRules()
    codes = _default_codes(service_type, data)
    codes |= {e.code for e in rules.crosswalk if e.service_type is service_type}
    changed = True
    while changed:  # a substitution may follow a crosswalk (or another substitution)
        extra = {s.to_code for s in rules.code_substitutions if s.from_code in codes} - codes
        codes |= extra
        changed = bool(extra)
    codes |= {BRIEF_ASSESSMENT_CODE}
    if codes & data.add_ons[INTERACTIVE_COMPLEXITY_CODE].primaries:
        codes.add(INTERACTIVE_COMPLEXITY_CODE)
    return frozenset(codes)


def service_codes(
    service_type: ServiceType,
    credential: str,
    rules: PayerCodingRules | None = None,
    *,
    data: CodingData | None = None,
) -> tuple[str, ...]:
    """The codes a note of `service_type` by `credential` is mainly billed with (a 45-minute band
    stands for the psychotherapy bands), after the payer's crosswalk and substitutions."""
    data = data or coding_data()
    rules = rules or PayerCodingRules()
    coding = data.service(service_type)
    middle = PSYCHOTHERAPY_BANDS[1]
    if coding.family is Family.DIAGNOSTIC_EVALUATION:
        codes = [coding.prescriber_code if data.is_prescriber(credential) else coding.code]
    elif coding.family is Family.PSYCHOTHERAPY:
        codes = ["99213", middle.with_em_code] if coding.with_em else [middle.code]
    elif coding.family is Family.FAMILY_PSYCHOTHERAPY:
        codes = ["90847" if coding.patient_present is not False else "90846"]
    elif coding.family is Family.CRISIS:
        codes = ["90839"]
    else:
        code = coding.code
        if coding.technician_code and data.is_technician(credential):
            code = coding.technician_code
        entry = crosswalk_for(rules, service_type, credential)
        codes = [entry.code if entry is not None else code]
    return tuple(_substituted(code, credential, rules) for code in codes)


def _substituted(code: str, credential: str, rules: PayerCodingRules) -> str:
    for sub in rules.code_substitutions:
        if code == sub.from_code and credential in sub.credentials:
            return sub.to_code
    return code


def service_scope(
    service_type: ServiceType,
    credential: str,
    rules: PayerCodingRules | None = None,
    *,
    data: CodingData | None = None,
) -> ScopeDecision:
    """May `credential` give `service_type` for this payer? The first refusal among the codes it
    would be billed with (`service_codes`), else the decision for its first code."""
    rules = rules or PayerCodingRules()
    decisions = [
        scope_decision(credential=credential, code=code, payer=rules.scope, payer_label=rules.label)
        for code in service_codes(service_type, credential, rules, data=data)
    ]
    return next((d for d in decisions if not d.allowed), decisions[0])
